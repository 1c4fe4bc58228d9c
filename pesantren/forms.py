from datetime import timedelta

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from opop import limits, uploads
from opop.addresses import AddressFormMixin
from opop.models import User
from pesantren.models import FIGURE_FIELDS, Aspect, BusinessUnit, MonthlyReport, Partner, Pesantren

LOGO_MAX_BYTES = 2 * 1024 * 1024
LOGO_MAX_PIXELS = 4096 * 4096
LOGO_MIN_SIDE = 64
LOGO_LONGEST_SIDE = 512


def clean_logo_upload(upload):
    """A logo is a JPEG, PNG or WebP image of at most 2 MB and 16 megapixels, at least 64 px a side; what is
    stored is its re-encoded copy (opop.uploads), never the upload."""
    image = uploads.image_open(upload, max_bytes=LOGO_MAX_BYTES, max_pixels=LOGO_MAX_PIXELS, min_side=LOGO_MIN_SIDE)
    return uploads.image_encode(image, longest_side=LOGO_LONGEST_SIDE, name="logo")


class PesantrenForm(AddressFormMixin, forms.ModelForm):
    address_jatim_only = True
    address_after = "santri_count"
    address_fields = {
        "kabupaten_kota": "kabupaten_kota",
        "kecamatan": "kecamatan",
        "kecamatan_code": "kecamatan_code",
        "desa": "desa",
        "desa_code": "desa_code",
        "street": "street",
        "rt_rw": "rt_rw",
        "postal_code": "postal_code",
        "latitude": "latitude",
        "longitude": "longitude",
    }

    # A plain file field: the kernel's checks (opop.uploads) give clearer messages than ImageField's own.
    logo = forms.FileField(
        label=_("Logo"),
        required=False,
        help_text=_("JPEG, PNG or WebP, at most 2 MB and 4096 x 4096 pixels."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )

    class Meta:
        model = Pesantren
        fields = [
            "name",
            "nspp",
            "pengasuh",
            "santri_count",
            "phone",
            "email",
            "flagship_product",
            "description",
            "logo",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "nspp": forms.TextInput(attrs={"inputmode": "numeric", "pattern": "[0-9]{12}"}),
            "phone": forms.TextInput(attrs={"inputmode": "tel", "placeholder": "08…"}),
        }

    def clean_logo(self):
        logo = self.cleaned_data.get("logo")
        if logo and hasattr(logo, "content_type"):  # a new upload, not the stored file
            return clean_logo_upload(logo)
        return logo


def profile_values(form: PesantrenForm) -> dict:
    values = {name: form.cleaned_data[name] for name in form.Meta.fields if name in form.cleaned_data}
    return {**values, **form.address_values()}


class TransitionForm(forms.Form):
    to_status = forms.ChoiceField(choices=Pesantren.Status.choices, widget=forms.HiddenInput)
    reason = forms.CharField(label=_("Reason"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    cohort = forms.IntegerField(label=_("Cohort (angkatan)"), required=False, min_value=2000, max_value=limits.MAX_YEAR)


class BusinessUnitForm(forms.ModelForm):
    class Meta:
        model = BusinessUnit
        fields = ["kind", "name", "sector", "products", "legal_entity_number", "nib", "is_active"]
        widgets = {"products": forms.Textarea(attrs={"rows": 3})}


SCORE_CHOICES = [(n, str(n)) for n in range(1, 6)]


class MappingForm(forms.Form):
    assessed_on = forms.DateField(label=_("Assessed on"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assessed_on"].initial = timezone.localdate()
        for aspect, label in Aspect.choices:
            self.fields[f"{aspect}_score"] = forms.TypedChoiceField(
                label=_("%(aspect)s: score") % {"aspect": label}, choices=SCORE_CHOICES, coerce=int
            )
            self.fields[f"{aspect}_notes"] = forms.CharField(
                label=_("%(aspect)s: notes") % {"aspect": label},
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def scores(self) -> dict:
        return {aspect: self.cleaned_data[f"{aspect}_score"] for aspect in Aspect.values}

    def notes(self) -> dict:
        return {aspect: self.cleaned_data[f"{aspect}_notes"] for aspect in Aspect.values}


class MentoringForm(forms.Form):
    held_on = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    aspect = forms.ChoiceField(label=_("Aspect"), choices=Aspect.choices)
    mentor = forms.ModelChoiceField(label=_("Mentor (staff)"), queryset=User.objects.none(), required=False)
    partner = forms.ModelChoiceField(label=_("Mentor (partner)"), queryset=Partner.objects.all(), required=False)
    activity = forms.CharField(label=_("What was done"), widget=forms.Textarea(attrs={"rows": 3}))
    follow_up = forms.CharField(label=_("Follow-up"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["held_on"].initial = timezone.localdate()
        self.fields["mentor"].queryset = (
            User.objects.filter(memberships__organisation__kind="diskop").distinct().order_by("full_name")
        )

    def clean(self):
        data = super().clean()
        if not data.get("mentor") and not data.get("partner"):
            raise ValidationError(_("Name the mentor: a staff member or a partner."))
        return data


class CollaboratorsForm(forms.Form):
    partners = limits.ModelMultipleChoiceField(
        label=_("Collaborating partners"),
        queryset=Partner.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


class PartnerForm(forms.ModelForm):
    class Meta:
        model = Partner
        fields = ["name", "kind", "website", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}


class MonthField(forms.DateField):
    """A month as `YYYY-MM` (the browser's month picker), cleaned to its first day."""

    widget = forms.DateInput(attrs={"type": "month"}, format="%Y-%m")
    input_formats = ["%Y-%m", "%Y-%m-%d"]

    def to_python(self, value):
        value = super().to_python(value)
        return value.replace(day=1) if value else value


class FiguresForm(forms.Form):
    omzet = forms.IntegerField(label=_("Turnover (omzet, Rp)"), max_value=limits.MAX_RUPIAH)
    aset = forms.IntegerField(label=_("Assets (aset, Rp)"), max_value=limits.MAX_RUPIAH)
    workers_total = forms.IntegerField(label=_("Workers employed"), max_value=limits.MAX_PEOPLE)
    jobs_created = forms.IntegerField(label=_("New jobs created this month"), max_value=limits.MAX_PEOPLE)
    operating_contribution = forms.IntegerField(
        label=_("Contribution to the pesantren's operating costs (Rp)"), max_value=limits.MAX_RUPIAH
    )
    operating_costs = forms.IntegerField(
        label=_("The pesantren's operating needs this month (Rp)"), max_value=limits.MAX_RUPIAH
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in FIGURE_FIELDS:
            self.fields[name].widget.attrs.update({"inputmode": "numeric", "min": "0"})

    def figures(self) -> dict:
        return {name: self.cleaned_data[name] for name in FIGURE_FIELDS}


class ReportForm(FiguresForm):
    month = MonthField(label=_("Month"))
    business_unit = forms.ModelChoiceField(
        label=_("Business unit"),
        queryset=BusinessUnit.objects.none(),
        required=False,
        empty_label=_("The whole pesantren"),
    )
    field_order = ["month", "business_unit", *FIGURE_FIELDS]

    def __init__(self, *args, pesantren: Pesantren, month=None, mart_revenue: int = 0, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["business_unit"].queryset = BusinessUnit.objects.filter(pesantren=pesantren, is_active=True)
        self.fields["month"].initial = month or default_report_month()
        # The store's OPOP Mart sales are part of the month's omzet: start from them, the admin adds the rest.
        if mart_revenue:
            self.fields["omzet"].initial = mart_revenue


def default_report_month():
    """Figures are usually reported once a month is over: propose the previous month."""
    return (timezone.localdate().replace(day=1) - timedelta(days=1)).replace(day=1)


class ReportCorrectForm(FiguresForm):
    reason = forms.CharField(
        label=_("Reason for the correction"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    @classmethod
    def for_report(cls, report: MonthlyReport, data=None):
        return cls(data, initial={name: getattr(report, name) for name in FIGURE_FIELDS})
