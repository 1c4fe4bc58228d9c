"""Forms of store opening: the owner's application and the decider's return reason."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from marketplace.images import validate_image_upload
from marketplace.models import StoreApplication
from marketplace.seller.opening import APPLICATION_FIELDS, SLUG_MAX
from opop.models import KabupatenKota


class StoreApplicationForm(forms.ModelForm):
    logo_upload = forms.FileField(
        label=_("Logo"), required=False, help_text=_("A square JPEG, PNG or WebP, at least 64 pixels a side.")
    )

    class Meta:
        model = StoreApplication
        fields = APPLICATION_FIELDS
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "slug": forms.TextInput(attrs={"autocapitalize": "none", "spellcheck": "false", "data-slug-input": ""}),
            "name": forms.TextInput(attrs={"data-slug-source": ""}),
            "bank_account_number": forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        }
        help_texts = {"origin": _("Where orders are sent from; shoppers see it on the store page.")}

    def __init__(self, *args, organisation=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["origin"].queryset = KabupatenKota.objects.all()
        self.fields["slug"].required = False
        self.fields["slug"].max_length = SLUG_MAX
        if organisation is not None and not self.instance.pk:
            self.initial.setdefault("origin", organisation.kabupaten_kota_id)
            self.initial.setdefault("name", organisation.name)

    def clean_slug(self):
        return (self.cleaned_data.get("slug") or "").strip().lower()

    def clean_bank_account_number(self):
        number = "".join((self.cleaned_data.get("bank_account_number") or "").split())
        if not number.isdigit() or not 6 <= len(number) <= 20:
            raise ValidationError(_("An account number has 6 to 20 digits only."))
        return number

    def clean_logo_upload(self):
        upload = self.cleaned_data.get("logo_upload")
        if upload:
            validate_image_upload(upload, min_side=64)
            upload.seek(0)
        return upload

    def validate_unique(self):
        pass  # the service checks the address against stores and other applications, with a clearer message


class ReturnForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for returning"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The applicant reads this; say what to change."),
    )
