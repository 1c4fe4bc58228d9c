"""Public catalogue pages: home, search, category, product, store."""

from django.http import Http404
from django.shortcuts import render

from marketplace.cart.forms import AddToCartForm
from marketplace.catalogue import selectors
from marketplace.catalogue.filters import ProductFilter
from marketplace.catalogue.pagination import keyset_ordering, keyset_page, page_without_count
from marketplace.models import Category, Product

PAGE_SIZE = 24


def _paginated(request, queryset):
    """Keyset pages where the order allows it (see pagination), else numbered pages; never a COUNT(*)."""
    ordering = keyset_ordering(queryset)
    if ordering is not None:
        return keyset_page(queryset, ordering, request.GET.get("after"), per_page=PAGE_SIZE)
    return page_without_count(queryset, request.GET.get("page"), per_page=PAGE_SIZE)


def _querystring_without_page(request) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    params.pop("after", None)
    return params.urlencode()


def home(request):
    return render(request, "marketplace/home.html", selectors.home_sections())


def search(request, category: Category | None = None):
    data = request.GET.copy()
    if category is not None:
        data.setdefault("category", category.slug)
    product_filter = ProductFilter(data, queryset=selectors.product_cards())
    page = _paginated(request, product_filter.qs)
    return render(
        request,
        "marketplace/product_list.html",
        {
            "filter": product_filter,
            "page_obj": page,
            "category": category,
            "query": data.get("q", ""),
            "querystring": _querystring_without_page(request),
        },
    )


def category_detail(request, slug):
    category = selectors.category_by_slug(slug)
    if category is None:
        raise Http404
    return search(request, category=category)


def product_detail(request, slug):
    try:
        product, related = selectors.product_detail(slug=slug)
    except Product.DoesNotExist:
        raise Http404 from None
    return render(
        request,
        "marketplace/product_detail.html",
        {
            "product": product,
            "store": product.store,
            "related": related,
            "cart_form": AddToCartForm(product=product),
            "canonical_url": request.build_absolute_uri(product.get_absolute_url()),
        },
    )


def store_detail(request, slug):
    try:
        store = selectors.store_public(slug=slug)
    except Exception:
        raise Http404 from None
    products = selectors.store_products(store)
    return render(
        request,
        "marketplace/store_detail.html",
        {
            "store": store,
            "page_obj": _paginated(request, products),
            "querystring": _querystring_without_page(request),
            "canonical_url": request.build_absolute_uri(store.get_absolute_url()),
        },
    )
