"""Forms of store opening: the owner's application and the decider's return reason."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from marketplace.images import validate_image_upload
from marketplace.models import StoreApplication
from marketplace.seller.opening import APPLICATION_FIELDS, ORIGIN_FIELDS, SLUG_MAX
from opop.addresses import AddressFormMixin

# The store's ship-from address, as the address widget writes it onto StoreApplication (and later Store).
ORIGIN_ADDRESS = {
    "kabupaten_kota": "origin",
    "street": "pickup_address",
    "kecamatan": "origin_kecamatan",
    "kecamatan_code": "origin_kecamatan_code",
    "desa": "origin_desa",
    "desa_code": "origin_desa_code",
    "postal_code": "origin_postal_code",
    "latitude": "origin_latitude",
    "longitude": "origin_longitude",
}


class StoreApplicationForm(AddressFormMixin, forms.ModelForm):
    address_jatim_only = True
    address_fields = ORIGIN_ADDRESS
    address_after = "description"
    address_street_label = _("Pickup address: street, building")

    logo_upload = forms.FileField(
        label=_("Logo"), required=False, help_text=_("A square JPEG, PNG or WebP, at least 64 pixels a side.")
    )

    class Meta:
        model = StoreApplication
        fields = [name for name in APPLICATION_FIELDS if name not in ORIGIN_FIELDS]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "slug": forms.TextInput(attrs={"autocapitalize": "none", "spellcheck": "false", "data-slug-input": ""}),
            "name": forms.TextInput(attrs={"data-slug-source": ""}),
            "bank_account_number": forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        }

    def __init__(self, *args, organisation=None, **kwargs):
        instance = kwargs.get("instance")
        if organisation is not None and not (instance and instance.pk):
            initial = kwargs.setdefault("initial", {})
            initial.setdefault("alamat_kabupaten", organisation.kabupaten_kota_id)
            initial.setdefault("name", organisation.name)
        super().__init__(*args, **kwargs)
        self.fields["slug"].required = False
        self.fields["slug"].max_length = SLUG_MAX
        self.fields["alamat_kabupaten"].help_text = _("Where orders are sent from; shoppers see it on the store page.")

    def application_values(self) -> dict:
        """What store_application_save takes, after is_valid()."""
        return {**{name: self.cleaned_data[name] for name in self.Meta.fields}, **self.address_values()}

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
