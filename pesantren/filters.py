import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from opop.models import KabupatenKota
from pesantren.models import Aspect, Pesantren


def cohort_choices():
    return [(year, str(year)) for year in range(2019, timezone.localdate().year + 1)]


class PesantrenFilter(django_filters.FilterSet):
    """The staff workspace list. Works on `selectors.pesantren_list`, which annotates the latest
    mapping score per aspect (`latest_<aspect>`) and `reported_this_month`."""

    q = django_filters.CharFilter(label=_("Name or NSPP"), method="filter_q")
    kabupaten_kota = django_filters.ModelChoiceFilter(
        label=_("Regency/city"), queryset=KabupatenKota.objects.all(), empty_label=_("All")
    )
    cohort = django_filters.ChoiceFilter(label=_("Cohort"), choices=[], empty_label=_("All"))
    status = django_filters.ChoiceFilter(label=_("Status"), choices=Pesantren.Status.choices, empty_label=_("All"))
    aspect = django_filters.ChoiceFilter(
        label=_("Aspect"), choices=Aspect.choices, method="filter_noop", empty_label=_("Any")
    )
    score_max = django_filters.ChoiceFilter(
        label=_("Latest score at most"),
        choices=[(str(n), str(n)) for n in range(1, 6)],
        method="filter_noop",
        empty_label=_("Any"),
    )
    reported_this_month = django_filters.BooleanFilter(
        label=_("Has a report this month"),
        widget=forms.Select(choices=[("", _("Any")), ("true", _("Yes")), ("false", _("No"))]),
    )

    class Meta:
        model = Pesantren
        fields = ["q", "kabupaten_kota", "cohort", "status", "aspect", "score_max", "reported_this_month"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Cohorts run up to this year, so the choices are built per request.
        self.filters["cohort"].extra["choices"] = cohort_choices()

    def filter_q(self, queryset, name, value):
        return queryset.filter(Q(name__icontains=value) | Q(nspp__startswith=value))

    def filter_noop(self, queryset, name, value):
        return queryset  # applied together in filter_queryset

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        aspect = self.form.cleaned_data.get("aspect")
        score_max = self.form.cleaned_data.get("score_max")
        if aspect and score_max:
            queryset = queryset.filter(**{f"latest_{aspect}__lte": int(score_max)})
        elif aspect:
            queryset = queryset.filter(**{f"latest_{aspect}__isnull": False})
        return queryset

    def applied(self) -> dict:
        """The filters in use, for the export's audit event."""
        return {key: str(value) for key, value in self.form.cleaned_data.items() if value not in (None, "")}
