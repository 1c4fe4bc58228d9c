"""The dashboards' filter form: period, kabupaten/kota, cohort and pillar, all in the URL (GET)."""

from datetime import date

from django import forms
from django.utils.translation import gettext_lazy as _

from reports.models import Pillar
from reports.selectors import Filters


class DashboardFilterForm(forms.Form):
    year = forms.TypedChoiceField(label=_("Year"), required=False, coerce=int, empty_value=None)
    kabupaten_kota = forms.ChoiceField(label=_("Regency/city"), required=False)
    cohort = forms.TypedChoiceField(label=_("Cohort (angkatan)"), required=False, coerce=int, empty_value=None)
    pillar = forms.ChoiceField(label=_("Pillar"), required=False, choices=[("", _("All pillars")), *Pillar.choices])

    def __init__(self, *args, regions, today: date, with_region: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        years = [(year, str(year)) for year in range(today.year, 2018, -1)]
        self.fields["year"].choices = [("", _("All years")), *years]
        self.fields["cohort"].choices = [("", _("All cohorts")), *years]
        if with_region:
            self.fields["kabupaten_kota"].choices = [("", _("All regencies/cities"))] + [
                (region.kode, region.label) for region in regions
            ]
        else:
            del self.fields["kabupaten_kota"]

    def filters(self) -> Filters:
        """The valid filters; an invalid value is ignored rather than failing the page."""
        if not self.is_valid():
            data = {key: value for key, value in self.cleaned_data.items() if key not in self.errors}
        else:
            data = self.cleaned_data
        return Filters(
            year=data.get("year"),
            kabupaten_kota=data.get("kabupaten_kota") or None,
            cohort=data.get("cohort"),
            pillar=data.get("pillar") or None,
        )
