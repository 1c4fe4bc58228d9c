import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from opop.models import KabupatenKota
from pesantren.models import Pesantren


class PesantrenFilter(django_filters.FilterSet):
    """The santripreneur home's list of pesantren (`selectors.pesantren_list`): a name or NSPP, a regency/city."""

    q = django_filters.CharFilter(label=_("Name or NSPP"), method="filter_q")
    kabupaten_kota = django_filters.ModelChoiceFilter(
        label=_("Regency/city"), queryset=KabupatenKota.objects.all(), empty_label=_("All")
    )

    class Meta:
        model = Pesantren
        fields = ["q", "kabupaten_kota"]

    def filter_q(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(Q(name__icontains=value) | Q(nspp__startswith=value)) if value else queryset
