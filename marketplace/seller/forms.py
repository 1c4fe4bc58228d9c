import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from marketplace.halal.legality import normalise_number
from marketplace.halal.models import LegalityKind, certificate_number_validator
from marketplace.halal.uploads import validate_attachment
from marketplace.images import validate_image_upload
from marketplace.models import Category, Order, Product, ShippingRate, Store, StoreInvitation
from marketplace.seller.opening_forms import ORIGIN_ADDRESS
from marketplace.seller.services import BANK_FIELDS, PRODUCT_FIELDS, STORE_FIELDS
from opop import limits
from opop.addresses import AddressFormMixin
from opop.models import KabupatenKota


class ProductForm(forms.ModelForm):
    class Meta:
        model = Product
        fields = PRODUCT_FIELDS
        widgets = {"description": forms.Textarea(attrs={"rows": 5})}

    halal_certificate_number = forms.CharField(
        label=_("Halal certificate number"),
        max_length=40,
        required=False,
        help_text=_(
            "The SH number from BPJPH, e.g. ID35110000456780922. Shoppers see the Halal badge once Diskop UKM "
            "staff have verified it."
        ),
    )
    halal_evidence = forms.FileField(
        label=_("Halal certificate scan (PDF, JPG or PNG, optional)"),
        required=False,
        validators=[validate_attachment],
        help_text=_("Helps Diskop UKM staff verify the number faster."),
    )

    def __init__(self, *args, halal_certified: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["bpom_md"].label = _("BPOM MD/ML number")
        self.fields["bpom_md"].help_text = _("MD for products made in Indonesia, ML for imported ones.")
        if halal_certified:
            # A halal certificate covers this exact composition and process: a change must be declared.
            self.fields["halal_changed"] = forms.BooleanField(
                label=_("The ingredients or the production process changed"),
                required=False,
                help_text=_(
                    "The halal certificate then no longer covers this product: the Halal badge is hidden and "
                    "the certificate needs renewal through its halal case."
                ),
            )
            self.fields["halal_change_note"] = forms.CharField(
                label=_("What changed"), required=False, widget=forms.Textarea(attrs={"rows": 2})
            )
        self.fields["category"].queryset = Category.objects.select_related("parent")
        self.fields["category"].label_from_instance = lambda c: f"{c.parent.label} > {c.label}" if c.parent else c.label
        for name in ("price", "weight_grams", "min_order", "low_stock_threshold"):
            self.fields[name].widget.attrs["inputmode"] = "numeric"

    # Legality numbers pass the same validators, with the same messages, as the legality page (halal/legality.py).
    def _legal(self, field: str, kind: str) -> str:
        value = self.cleaned_data.get(field) or ""
        return normalise_number(kind, value) if value.strip() else ""

    def clean_nib(self):
        return self._legal("nib", LegalityKind.NIB)

    def clean_pirt(self):
        return self._legal("pirt", LegalityKind.PIRT)

    def clean_bpom_md(self):
        value = (self.cleaned_data.get("bpom_md") or "").strip().upper()
        kind = LegalityKind.BPOM_ML if value.startswith("ML") else LegalityKind.BPOM_MD
        return self._legal("bpom_md", kind)

    def clean_halal_certificate_number(self):
        value = "".join((self.cleaned_data.get("halal_certificate_number") or "").split()).upper()
        if value:
            certificate_number_validator(value)  # the certificate's own rule (halal/models.py), same message
        return value

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("halal_changed") and not (cleaned.get("halal_change_note") or "").strip():
            self.add_error("halal_change_note", _("Describe what changed in the composition or the process."))
        return cleaned


class ProductCreateForm(ProductForm):
    opening_stock = forms.IntegerField(
        label=_("Opening stock"),
        min_value=0,
        max_value=limits.MAX_QUANTITY,
        initial=0,
        help_text=_("Products with variants: give stock per variant."),
    )


class PhotoForm(forms.Form):
    photo = forms.FileField(
        label=_("Photo"), help_text=_("JPEG, PNG or WebP, at most 5 MB, at least 200 pixels a side.")
    )

    def clean_photo(self):
        upload = self.cleaned_data["photo"]
        validate_image_upload(upload)
        upload.seek(0)
        return upload


class VariantForm(forms.Form):
    name = forms.CharField(label=_("Variant"), max_length=100)
    price = forms.IntegerField(label=_("Price (Rp)"), min_value=0, max_value=limits.MAX_RUPIAH)
    stock = forms.IntegerField(
        label=_("Opening stock"), min_value=0, max_value=limits.MAX_QUANTITY, initial=0, required=False
    )

    def __init__(self, *args, **kwargs):
        # Shown on the product page beside the product form, whose name/price fields own `id_name`/`id_price`.
        kwargs.setdefault("auto_id", "id_variant_%s")
        super().__init__(*args, **kwargs)


class TierForm(forms.Form):
    min_quantity = forms.IntegerField(label=_("From quantity"), min_value=2, max_value=limits.MAX_QUANTITY)
    unit_price = forms.IntegerField(label=_("Unit price (Rp)"), min_value=1, max_value=limits.MAX_RUPIAH)


class StockForm(forms.Form):
    ACTIONS = [("restock", _("Restock: add")), ("correction", _("Correction: counted stock is"))]
    action = forms.ChoiceField(label=_("What"), choices=ACTIONS)
    quantity = forms.IntegerField(label=_("Quantity"), min_value=0, max_value=limits.MAX_QUANTITY)
    reason = forms.CharField(label=_("Why"), max_length=250, required=False)


class StoreForm(forms.ModelForm):
    logo_upload = forms.FileField(label=_("Logo"), required=False, help_text=_("A square JPEG, PNG or WebP."))

    class Meta:
        model = Store
        fields = STORE_FIELDS
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}

    def clean_logo_upload(self):
        upload = self.cleaned_data.get("logo_upload")
        if upload:
            validate_image_upload(upload, min_side=64)
            upload.seek(0)
        return upload

    def clean_order_expiry_hours(self):
        hours = self.cleaned_data["order_expiry_hours"]
        if not 1 <= hours <= 168:
            raise ValidationError(_("Give between 1 and 168 hours (a week)."))
        return hours


class ShippingRateDeleteForm(forms.Form):
    delete = forms.IntegerField(min_value=1, max_value=limits.MAX_ID)


class BankForm(forms.ModelForm):
    class Meta:
        model = Store
        fields = BANK_FIELDS
        widgets = {"bank_account_number": forms.TextInput(attrs={"inputmode": "numeric"})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.required = True


class ShippingRateForm(forms.ModelForm):
    class Meta:
        model = ShippingRate
        fields = ["kabupaten_kota", "price"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kabupaten_kota"].queryset = KabupatenKota.objects.all()

    def validate_unique(self):
        pass  # an existing destination's rate is updated


class InviteForm(forms.Form):
    email = forms.EmailField(label=_("E-mail"))
    role = forms.ChoiceField(label=_("Role"), choices=StoreInvitation.Role.choices, initial="staff")


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=StoreInvitation.Role.choices)


class OrderFilter(django_filters.FilterSet):
    created_from = django_filters.DateFilter(
        field_name="created_at",
        lookup_expr="date__gte",
        label=_("From"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    created_to = django_filters.DateFilter(
        field_name="created_at", lookup_expr="date__lte", label=_("To"), widget=forms.DateInput(attrs={"type": "date"})
    )
    payment_method = django_filters.ChoiceFilter(choices=Order.PaymentMethod.choices, label=_("Payment"))
    q = django_filters.CharFilter(field_name="number", lookup_expr="icontains", label=_("Order number"))

    class Meta:
        model = Order
        fields = []


class ReportForm(forms.Form):
    GROUPS = [("day", _("Day")), ("week", _("Week")), ("month", _("Month"))]
    start = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("To"), widget=forms.DateInput(attrs={"type": "date"}))
    group = forms.ChoiceField(label=_("By"), choices=GROUPS, initial="day")

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end"):
            if data["start"] > data["end"]:
                raise ValidationError(_("The start comes after the end."))
            if (data["end"] - data["start"]).days > 731:
                raise ValidationError(_("Choose at most two years."))
        return data


class BulkUploadForm(forms.Form):
    file = forms.FileField(label=_("CSV or XLSX file"), help_text=_("At most 2 MB and 2,000 rows."))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        name = upload.name.lower()
        if not name.endswith((".csv", ".xlsx")):
            raise ValidationError(_("Upload a .csv or .xlsx file."))
        if upload.size > 2 * 1024 * 1024:
            raise ValidationError(_("The file is larger than 2 MB."))
        return upload


def _service_choices():
    from marketplace.shipping.quotes import service_label
    from marketplace.shipping.rates import COURIER_SERVICES, STORE_COURIER

    return [(code, service_label(code)) for code in (*COURIER_SERVICES, STORE_COURIER)]


class ShippingServicesForm(forms.Form):
    """Which couriers' services (and its own delivery) the store offers at checkout."""

    services = forms.MultipleChoiceField(
        label=_("Services offered at checkout"),
        choices=_service_choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Instant delivery is only offered to buyers in your own regency/city."),
    )


class ShippingRuleForm(forms.Form):
    """A free-shipping or flat-rate rule, applied through the checkout's quote."""

    from marketplace.shipping.quotes import RULE_KINDS, ZONE_CHOICES

    kind = forms.ChoiceField(label=_("Rule"), choices=RULE_KINDS)
    zone = forms.ChoiceField(label=_("Where"), choices=ZONE_CHOICES)
    min_subtotal = forms.IntegerField(
        label=_("From an order value of (Rp)"), min_value=0, max_value=limits.MAX_ID, initial=0
    )
    price = forms.IntegerField(
        label=_("Flat price (Rp)"), min_value=0, max_value=limits.MAX_ID, initial=0, required=False,
        help_text=_("Only for a flat rate; the buyer never pays more than the courier's own price."),
    )  # fmt: skip
    service = forms.ChoiceField(
        label=_("Service"), choices=lambda: [("", _("Every service")), *_service_choices()], required=False
    )

    def __init__(self, *args, **kwargs):
        # Shown on the settings page beside the shipping-rate form, whose `price` field owns `id_price`.
        kwargs.setdefault("auto_id", "id_rule_%s")
        super().__init__(*args, **kwargs)


class StoreOriginForm(AddressFormMixin, forms.ModelForm):
    """The ship-from address of an open store, through the one address widget, with the same columns the
    store application fills in."""

    address_jatim_only = True
    address_street_label = _("Pickup address: street, building")

    class Meta:
        model = Store
        fields = []

    address_fields = ORIGIN_ADDRESS
