from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from alumni.models import AlumniBusiness, Collaboration
from opop import limits
from opop.forms import EMPTY_CHOICE_LABEL
from opop.models import KabupatenKota
from pesantren.models import BusinessUnit, Pesantren

REGISTRABLE_STATUSES = ("verified", "active")


def registrable_pesantren():
    return Pesantren.objects.filter(status__in=REGISTRABLE_STATUSES)


class AlumnusRegionForm(forms.Form):
    """The first step of registering as an alumnus: the pesantren's regency/city (38 choices), so the pesantren
    select lists that region's pesantren, never the province's 5,000."""

    kabupaten_kota = forms.ModelChoiceField(
        label=_("Regency/city of your pesantren"), queryset=KabupatenKota.objects.all()
    )


class PesantrenChoiceField(forms.TypedChoiceField):
    """A pesantren by id, its choices read as values when the select is drawn. The submitted id is looked up once
    by the form (`clean_pesantren`), not by reading the choices again to validate it."""

    def valid_value(self, value) -> bool:
        return True


class AlumnusForm(forms.Form):
    pesantren = PesantrenChoiceField(label=_("Pesantren you graduated from"), choices=(), coerce=int)
    graduation_year = forms.IntegerField(label=_("Graduation year"), min_value=1950, max_value=limits.MAX_YEAR)

    def __init__(self, *args, region: KabupatenKota | None = None, **kwargs):
        """`region`: the regency/city whose pesantren the select lists (AlumnusRegionForm); without one the
        select lists none, and a submitted id is looked up among all the registrable pesantren."""
        super().__init__(*args, **kwargs)
        self.region = region
        if region is not None:
            rows = self._pesantren().order_by("name", "pk").values_list("pk", "name")
            self.fields["pesantren"].choices = [("", EMPTY_CHOICE_LABEL), *rows]

    def _pesantren(self):
        pesantren = registrable_pesantren()
        return pesantren.filter(kabupaten_kota=self.region) if self.region is not None else pesantren

    def clean_pesantren(self):
        found = self._pesantren().select_related("organisation").filter(pk=self.cleaned_data["pesantren"]).first()
        if found is None:
            raise forms.ValidationError(_("Choose the pesantren from the list."))
        return found

    def clean_graduation_year(self):
        year = self.cleaned_data["graduation_year"]
        if year > timezone.localdate().year:
            raise forms.ValidationError(_("Give the year you graduated."))
        return year


class GraduateForm(forms.Form):
    email = forms.EmailField(label=_("The graduate's e-mail address"))
    graduation_year = forms.IntegerField(label=_("Graduation year"), min_value=1950, max_value=limits.MAX_YEAR)


class BusinessForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    sector = forms.ChoiceField(label=_("Sector"), choices=BusinessUnit.Sector.choices)
    nib = forms.CharField(
        label=_("NIB"), max_length=13, required=False, help_text=_("13 digits, if the business has one.")
    )
    kabupaten_kota = forms.ModelChoiceField(label=_("Regency/city"), queryset=KabupatenKota.objects.all())
    workers = forms.IntegerField(label=_("Workers"), min_value=0, max_value=limits.MAX_PEOPLE)
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class ReportForm(forms.Form):
    month = forms.DateField(
        label=_("Month"), widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"), input_formats=["%Y-%m"]
    )
    omzet = forms.IntegerField(label=_("Turnover (omzet, Rp)"), min_value=0, max_value=limits.MAX_RUPIAH)
    workers = forms.IntegerField(label=_("Workers"), min_value=0, max_value=limits.MAX_PEOPLE)


class ReportCorrectForm(forms.Form):
    omzet = forms.IntegerField(label=_("Turnover (omzet, Rp)"), min_value=0, max_value=limits.MAX_RUPIAH)
    workers = forms.IntegerField(label=_("Workers"), min_value=0, max_value=limits.MAX_PEOPLE)
    reason = forms.CharField(
        label=_("Reason for the correction"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class CollaborationForm(forms.Form):
    business = forms.ModelChoiceField(label=_("Alumni business"), queryset=AlumniBusiness.objects.none())
    pesantren = forms.ModelChoiceField(label=_("Pesantren"), queryset=Pesantren.objects.none())
    kind = forms.ChoiceField(label=_("Role of the business"), choices=Collaboration.Kind.choices)
    description = forms.CharField(
        label=_("What you do together"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, businesses, pesantren, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["business"].queryset = businesses
        self.fields["pesantren"].queryset = pesantren
