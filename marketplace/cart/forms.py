from django import forms
from django.utils.translation import gettext_lazy as _

from marketplace.models import Product


class AddToCartForm(forms.Form):
    variant = forms.ChoiceField(label=_("Variant"), required=False)
    quantity = forms.IntegerField(label=_("Quantity"), min_value=1, max_value=9999, initial=1)

    def __init__(self, *args, product: Product, **kwargs):
        super().__init__(*args, **kwargs)
        self.product = product
        variants = list(product.variants.all())
        self.fields["quantity"].initial = product.min_order
        if variants:
            self.fields["variant"].required = True
            self.fields["variant"].choices = [
                (v.pk, f"{v.name}" + ("" if v.stock > 0 else f" ({_('out of stock')})")) for v in variants
            ]
        else:
            del self.fields["variant"]

    def clean_variant(self):
        value = self.cleaned_data.get("variant")
        return self.product.variants.filter(pk=value).first() if value else None


class QuantityForm(forms.Form):
    quantity = forms.IntegerField(label=_("Quantity"), min_value=0, max_value=9999)
