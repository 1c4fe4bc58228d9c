"""Forms of the B2B workspace. Forms with one field per item or line are built from the rows they answer."""

from django import forms
from django.forms import formset_factory
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from marketplace.b2b.models import RFQ, SUPPLIER_KINDS, PaymentTerms, SupplierProfile, SupplyOffer, Unit
from marketplace.models import Category
from opop import limits
from opop.addresses import AddressFormMixin
from opop.models import Organisation

MAX_QUANTITY = 2_000_000_000
MAX_PRICE = 10**12  # a trillion rupiah per unit: anything more is a typo
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class SupplyOfferForm(forms.ModelForm):
    class Meta:
        model = SupplyOffer
        fields = [
            "category",
            "product_name",
            "unit",
            "min_quantity",
            "price_per_unit",
            "capacity_per_month",
            "delivery_areas",
            "description",
            "is_active",
        ]
        widgets = {"delivery_areas": forms.CheckboxSelectMultiple, "description": forms.Textarea(attrs={"rows": 3})}


class SupplierProfileForm(forms.ModelForm):
    class Meta:
        model = SupplierProfile
        fields = ["about", "nib", "contact_phone"]
        widgets = {"about": forms.Textarea(attrs={"rows": 4})}


# The delivery address as the address widget writes it (RFQ and, copied on award, PurchaseOrder).
DELIVERY_ADDRESS = {
    "kabupaten_kota": "delivery_region",
    "street": "delivery_address",
    "kecamatan": "delivery_kecamatan",
    "kecamatan_code": "delivery_kecamatan_code",
    "desa": "delivery_desa",
    "desa_code": "delivery_desa_code",
    "postal_code": "delivery_postal_code",
}


class RFQForm(AddressFormMixin, forms.Form):
    address_jatim_only = True
    address_with_pin = False
    address_fields = DELIVERY_ADDRESS
    address_after = "title"
    address_street_label = _("Delivery address: street, building")
    address_legend = _("Deliver to")

    title = forms.CharField(label=_("Title"), max_length=150)
    delivery_date = forms.DateField(label=_("Needed by"), widget=DATE)
    payment_terms = forms.ChoiceField(label=_("Payment terms"), choices=PaymentTerms.choices)
    payment_days = forms.IntegerField(
        label=_("Days to pay (transfer)"), min_value=0, max_value=180, initial=14, required=False
    )
    closes_at = forms.DateTimeField(label=_("Quotations close"), widget=DATETIME)
    audience = forms.ChoiceField(label=_("Open to"), choices=RFQ.Audience.choices, initial=RFQ.Audience.OPEN)
    invited = limits.ModelMultipleChoiceField(
        label=_("Chosen suppliers"),
        queryset=Organisation.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Only when the request goes to chosen suppliers."),
    )
    note = forms.CharField(label=_("Note for suppliers"), widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args, buyer: Organisation, **kwargs):
        if not args or args[0] is None:
            kwargs.setdefault("initial", {}).setdefault("alamat_kabupaten", buyer.kabupaten_kota_id)
        super().__init__(*args, **kwargs)
        self.fields["invited"].queryset = (
            Organisation.objects.filter(kind__in=SUPPLIER_KINDS, is_active=True, supply_offers__is_active=True)
            .exclude(pk=buyer.pk)
            .distinct()
            .order_by("name")
        )


class RFQItemForm(forms.Form):
    name = forms.CharField(label=_("Item"), max_length=150)
    category = forms.ModelChoiceField(label=_("Category"), queryset=Category.objects.all())
    quantity = forms.IntegerField(label=_("Quantity"), min_value=1, max_value=MAX_QUANTITY)
    unit = forms.ChoiceField(label=_("Unit"), choices=Unit.choices)


def formset_rows(formset_class, data, prefix: str) -> list[dict]:
    """The rows of a submitted formset as initial values (what was typed, unjudged), skipping empty rows."""
    bound = formset_class(data, prefix=prefix)
    rows = [{name: form[name].value() for name in form.fields} for form in bound.forms]
    return [row for row in rows if any(value not in (None, "") for value in row.values())]


RFQItemFormSet = formset_factory(RFQItemForm, extra=3, min_num=1, validate_min=True, max_num=20)


class QuotationForm(forms.Form):
    delivery_date = forms.DateField(label=_("Can deliver by"), widget=DATE)
    valid_until = forms.DateField(label=_("Valid until"), widget=DATE)
    payment_terms = forms.ChoiceField(label=_("Payment terms"), choices=PaymentTerms.choices)
    payment_days = forms.IntegerField(label=_("Days to pay (transfer)"), min_value=0, max_value=180, required=False)
    note = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args, items, quotation=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.items = items
        existing = {line.item_id: line for line in quotation.lines.all()} if quotation else {}
        for item in items:
            line = existing.get(item.pk)
            self.fields[f"price_{item.pk}"] = forms.IntegerField(
                label=_("Price per %(unit)s (Rp): %(item)s") % {"unit": item.get_unit_display(), "item": item.name},
                min_value=1,
                max_value=MAX_PRICE,
                required=False,
                initial=line.unit_price if line else None,
            )
            self.fields[f"qty_{item.pk}"] = forms.IntegerField(
                label=_("Quantity you can deliver (of %(n)s)") % {"n": item.quantity},
                min_value=0,
                max_value=item.quantity,
                required=False,
                initial=line.quantity if line else item.quantity,
            )
        if quotation and not self.is_bound:
            for name in ("delivery_date", "valid_until", "payment_terms", "payment_days", "note"):
                self.initial[name] = getattr(quotation, name)

    def item_rows(self):
        return [(item, self[f"price_{item.pk}"], self[f"qty_{item.pk}"]) for item in self.items]

    def lines(self) -> dict[int, tuple[int, int]]:
        data = self.cleaned_data
        return {
            item.pk: (data[f"price_{item.pk}"] or 0, data[f"qty_{item.pk}"] or 0)
            for item in self.items
            if data.get(f"price_{item.pk}")
        }


class AwardForm(forms.Form):
    def __init__(self, *args, items, quotations, **kwargs):
        super().__init__(*args, **kwargs)
        self.items = items
        for item in items:
            choices = [("", _("Do not buy"))] + [
                (str(q.pk), q.supplier.name) for q in quotations if item.pk in q.by_item
            ]
            self.fields[f"item_{item.pk}"] = forms.ChoiceField(label=item.name, choices=choices, required=False)

    def allocation(self) -> dict[int, int]:
        return {
            item.pk: int(self.cleaned_data[f"item_{item.pk}"])
            for item in self.items
            if self.cleaned_data.get(f"item_{item.pk}")
        }


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))


def _line_fields(form, lines, prefix, label, initial):
    for line in lines:
        form.fields[f"{prefix}_{line.pk}"] = forms.IntegerField(
            label=label(line), min_value=0, max_value=MAX_QUANTITY, required=False, initial=initial(line)
        )


class DeliveryForm(forms.Form):
    delivery_note = forms.CharField(label=_("Delivery note (surat jalan) number"), max_length=100)
    shipped_on = forms.DateField(label=_("Sent on"), widget=DATE, initial=timezone.localdate)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, lines, progress, **kwargs):
        super().__init__(*args, **kwargs)
        self.lines = lines
        _line_fields(
            self,
            lines,
            "qty",
            lambda line: (
                _("%(item)s: sent (%(open)s %(unit)s still open)")
                % {"item": line.name, "open": progress[line.pk]["open"], "unit": line.get_unit_display()}
            ),
            lambda line: progress[line.pk]["open"],
        )

    def quantities(self) -> dict[int, int]:
        return {line.pk: self.cleaned_data.get(f"qty_{line.pk}") or 0 for line in self.lines}


class ReceiveForm(forms.Form):
    def __init__(self, *args, delivery_lines, **kwargs):
        super().__init__(*args, **kwargs)
        self.delivery_lines = delivery_lines
        for line in delivery_lines:
            self.fields[f"accepted_{line.pk}"] = forms.IntegerField(
                label=_("%(item)s: accepted (of %(n)s)") % {"item": line.po_line.name, "n": line.quantity},
                min_value=0,
                max_value=line.quantity,
                initial=line.quantity,
            )
            self.fields[f"rejected_{line.pk}"] = forms.IntegerField(
                label=_("Rejected"), min_value=0, max_value=line.quantity, initial=0
            )
            self.fields[f"reason_{line.pk}"] = forms.CharField(
                label=_("Reason for rejection"), max_length=250, required=False
            )

    def rows(self):
        return [
            (line, self[f"accepted_{line.pk}"], self[f"rejected_{line.pk}"], self[f"reason_{line.pk}"])
            for line in self.delivery_lines
        ]

    def results(self) -> dict[int, tuple[int, int, str]]:
        data = self.cleaned_data
        return {
            line.pk: (data[f"accepted_{line.pk}"], data[f"rejected_{line.pk}"], data.get(f"reason_{line.pk}", ""))
            for line in self.delivery_lines
        }


class InvoiceForm(forms.Form):
    def __init__(self, *args, lines, progress, **kwargs):
        super().__init__(*args, **kwargs)
        self.lines = lines
        _line_fields(
            self,
            lines,
            "qty",
            lambda line: (
                _("%(item)s: invoice (%(n)s accepted, not invoiced)")
                % {"item": line.name, "n": progress[line.pk]["invoiceable"]}
            ),
            lambda line: progress[line.pk]["invoiceable"],
        )

    def quantities(self) -> dict[int, int]:
        return {line.pk: self.cleaned_data.get(f"qty_{line.pk}") or 0 for line in self.lines}


class RevisionForm(forms.Form):
    delivery_date = forms.DateField(label=_("Deliver by"), widget=DATE)
    reason = forms.CharField(label=_("Why the order changes"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, lines, **kwargs):
        super().__init__(*args, **kwargs)
        self.lines = lines
        for line in lines:
            self.fields[f"qty_{line.pk}"] = forms.IntegerField(
                label=_("%(item)s: quantity") % {"item": line.name},
                min_value=0,
                max_value=MAX_QUANTITY,
                initial=line.quantity,
            )
            self.fields[f"price_{line.pk}"] = forms.IntegerField(
                label=_("Price per unit (Rp)"), min_value=1, max_value=MAX_PRICE, initial=line.unit_price
            )

    def changes(self) -> dict[int, tuple[int, int]]:
        data = self.cleaned_data
        return {
            line.pk: (data[f"qty_{line.pk}"], data[f"price_{line.pk}"])
            for line in self.lines
            if (data[f"qty_{line.pk}"], data[f"price_{line.pk}"]) != (line.quantity, line.unit_price)
        }


class PaymentForm(forms.Form):
    reference = forms.CharField(label=_("Transfer reference"), max_length=100, required=False)
    proof = forms.FileField(label=_("Proof of payment (photo)"))


class RatingForm(forms.Form):
    stars = forms.TypedChoiceField(
        label=_("Rating"), coerce=int, choices=[(n, "★" * n) for n in range(5, 0, -1)], widget=forms.RadioSelect
    )
    comment = forms.CharField(label=_("Comment"), max_length=500, required=False)
