"""Filters of the kernel's lists; everything in the query string, so a filtered list can be shared."""

import django_filters
from django.utils.translation import gettext_lazy as _

from opop.models import KabupatenKota, Organisation


class OrganisationFilter(django_filters.FilterSet):
    """The organisation list. Works on `selectors.organisation_list_for_user`, already scoped to the user: a
    filter only narrows what they may see."""

    q = django_filters.CharFilter(label=_("Name"), method="filter_q")
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=Organisation.Kind.choices, empty_label=_("All"))
    kabupaten_kota = django_filters.ModelChoiceFilter(
        label=_("Regency/city"), queryset=KabupatenKota.objects.all(), empty_label=_("All")
    )

    class Meta:
        model = Organisation
        fields = ["q", "kind", "kabupaten_kota"]

    def filter_q(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(name__icontains=value) if value else queryset
