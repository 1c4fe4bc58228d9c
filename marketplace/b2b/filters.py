"""Search and filters of the supplier directory; everything in the query string, so a result can be shared."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from marketplace.b2b.models import SupplyOffer
from marketplace.catalogue.filters import category_choices
from marketplace.catalogue.selectors import category_by_slug, category_with_descendants, region_choices


class SupplyOfferFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="filter_search")
    # Choices from the cache: the form costs no query to validate or render.
    category = django_filters.ChoiceFilter(
        label=_("Category"), choices=category_choices, method="filter_category", empty_label=_("All categories")
    )
    region = django_filters.ChoiceFilter(
        label=_("Delivers to"),
        choices=region_choices,
        field_name="delivery_areas__kode",
        empty_label=_("All of East Java"),
    )

    class Meta:
        model = SupplyOffer
        fields = ["q", "category", "region"]

    def filter_search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(product_name__icontains=value) | Q(organisation__name__icontains=value))

    def filter_category(self, queryset, name, value):
        category = category_by_slug(value) if value else None
        return queryset.filter(category_id__in=category_with_descendants(category)) if category else queryset
