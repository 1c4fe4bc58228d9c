"""Search and filters for the product list. Everything lives in the query string, so a result page can be shared."""

import django_filters
from django import forms
from django.db.models import F
from django.utils.translation import gettext_lazy as _

from marketplace.catalogue.search import search_products
from marketplace.catalogue.selectors import category_by_slug, category_tree, category_with_descendants, region_choices
from marketplace.models import Pillar, Product
from marketplace.models.catalogue import KIND_BY_PILLAR

SORTS = [
    ("relevance", _("Most relevant")),
    ("newest", _("Newest")),
    ("price", _("Lowest price")),
    ("-price", _("Highest price")),
    ("best_selling", _("Best-selling")),
    ("rating", _("Best rated")),
]
ORDERINGS = {
    "relevance": ["-relevance", "-sold_count", "-id"],
    "newest": ["-created_at", "-id"],
    "price": ["price", "id"],
    "-price": ["-price", "-id"],
    "best_selling": ["-sold_count", "-id"],
    "rating": [F("rating_average").desc(), "-rating_count", "-id"],
}


def category_choices() -> list[tuple[str, str]]:
    """Top-level categories, each followed by its children (indented); from the cached tree."""
    return [(node.slug, f"— {node.label}" if node.parent_id else node.label) for node in category_tree()]


class ProductFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="filter_search")
    # Choices come from the cache, not a queryset: the form costs no query to validate or render.
    category = django_filters.ChoiceFilter(
        label=_("Category"), choices=category_choices, method="filter_category", empty_label=_("All categories")
    )
    region = django_filters.ChoiceFilter(
        label=_("Seller's regency/city"),
        choices=region_choices,
        field_name="store__organisation__kabupaten_kota_id",
        empty_label=_("All of East Java"),
    )
    pillar = django_filters.ChoiceFilter(
        label=_("Pillar"), choices=Pillar.choices, method="filter_pillar", empty_label=_("All pillars")
    )
    halal = django_filters.BooleanFilter(
        label=_("Halal-certified only"), method="filter_halal", widget=forms.CheckboxInput
    )
    in_stock = django_filters.BooleanFilter(
        label=_("In stock only"), method="filter_in_stock", widget=forms.CheckboxInput
    )
    price_min = django_filters.NumberFilter(label=_("Lowest price"), field_name="price", lookup_expr="gte", min_value=0)
    price_max = django_filters.NumberFilter(
        label=_("Highest price"), field_name="price", lookup_expr="lte", min_value=0
    )
    sort = django_filters.ChoiceFilter(label=_("Sort by"), choices=SORTS, method="filter_sort", empty_label=None)

    class Meta:
        model = Product
        fields: list[str] = []

    def filter_search(self, queryset, name, value):
        return search_products(queryset, value)

    def filter_category(self, queryset, name, value):
        category = category_by_slug(value) if value else None
        return queryset.filter(category_id__in=category_with_descendants(category)) if category else queryset

    def filter_pillar(self, queryset, name, value):
        return queryset.filter(store__organisation__kind=KIND_BY_PILLAR[value]) if value else queryset

    def filter_halal(self, queryset, name, value):
        return queryset.exclude(halal_certificate_number="") if value else queryset

    def filter_in_stock(self, queryset, name, value):
        return queryset.filter(stock__gt=0) if value else queryset

    def filter_sort(self, queryset, name, value):
        return queryset  # applied last in `qs`, after the search annotated relevance

    @property
    def qs(self):
        queryset = super().qs
        data = self.form.cleaned_data if self.form.is_bound and self.form.is_valid() else {}
        sort = data.get("sort") or ("relevance" if data.get("q") else "newest")
        if sort == "relevance" and not data.get("q"):
            sort = "newest"
        return queryset.order_by(*ORDERINGS[sort])
