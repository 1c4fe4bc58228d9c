from django import forms
from django.utils.translation import gettext_lazy as _

from opop import limits
from opop.models import KabupatenKota
from pesantren.samsat.models import Outlet
from pesantren.samsat.plates import PlateError, plate_normalise


class InquiryForm(forms.Form):
    plate = forms.CharField(
        label=_("Number plate"),
        max_length=16,
        widget=forms.TextInput(attrs={"placeholder": "AG 1234 XY", "autocapitalize": "characters", "autofocus": True}),
    )

    def clean_plate(self):
        try:
            return plate_normalise(self.cleaned_data["plate"])
        except PlateError as error:
            raise forms.ValidationError(str(error)) from None


class PayForm(forms.Form):
    idempotency_key = forms.UUIDField(widget=forms.HiddenInput)
    nik = forms.RegexField(
        label=_("Owner's NIK"),
        regex=r"^\d{16}$",
        required=False,
        error_messages={"invalid": _("A NIK has 16 digits.")},
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    chassis_last5 = forms.RegexField(
        label=_("or the last 5 characters of the chassis number"),
        regex=r"^[A-Za-z0-9]{5}$",
        required=False,
        error_messages={"invalid": _("Enter exactly 5 letters or digits.")},
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )

    def clean(self):
        data = super().clean()
        if not data.get("nik") and not data.get("chassis_last5") and not self.errors:
            raise forms.ValidationError(_("Enter the owner's NIK, or the last 5 characters of the chassis number."))
        return data


class ReversalForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=300, min_length=5)


class DayCloseForm(forms.Form):
    counted_cash = forms.IntegerField(
        label=_("Cash counted in the drawer (Rp)"), min_value=0, max_value=limits.MAX_RUPIAH
    )


class OutletForm(forms.ModelForm):
    class Meta:
        model = Outlet
        fields = [
            "organisation",
            "name",
            "address",
            "opening_hours",
            "latitude",
            "longitude",
            "takes_samsat_payments",
            "is_laku_pandai_agent",
            "is_active",
        ]

    def __init__(self, *args, organisations=None, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            del self.fields["organisation"]
        else:
            self.fields["organisation"].queryset = organisations
            del self.fields["is_active"]


class OutletFilterForm(forms.Form):
    kabupaten_kota = forms.ModelChoiceField(
        label=_("Regency/city"), queryset=KabupatenKota.objects.all(), required=False, empty_label=_("All of East Java")
    )


class StaffOutletFilterForm(forms.Form):
    """The staff outlet list: one month's figures (the current month in WIB by default), a region, a search."""

    month = forms.DateField(
        label=_("Month"),
        required=False,
        input_formats=["%Y-%m"],
        widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"),
        error_messages={"invalid": _("Give the month as YYYY-MM, for example 2026-11.")},
    )
    kabupaten_kota = forms.ModelChoiceField(
        label=_("Regency/city"), queryset=KabupatenKota.objects.all(), required=False, empty_label=_("All of East Java")
    )
    q = forms.CharField(label=_("Code, outlet or pesantren"), required=False, max_length=100)

    def clean_month(self):
        month = self.cleaned_data["month"]
        return month.replace(day=1) if month else None


class HistoryFilterForm(forms.Form):
    day = forms.DateField(label=_("Business day"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    plate = forms.CharField(label=_("Plate"), required=False, max_length=16)
