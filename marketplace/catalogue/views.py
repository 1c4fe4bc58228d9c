"""Public catalogue pages: home, search, category, product, store."""

from django.http import Http404
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from marketplace.cart.forms import AddToCartForm
from marketplace.catalogue import fragments, selectors
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
    sections = fragments.cached(
        "home", (), lambda: render_to_string("marketplace/fragments/home_sections.html", selectors.home_sections())
    )
    return render(request, "marketplace/home.html", {"sections": mark_safe(sections)})  # noqa: S308 - our HTML


def _catalogue(request, category: Category | None) -> str:
    """Filters and one page of results: rendered from the database, the same for everyone with these filters."""
    data = request.GET.copy()
    if category is not None:
        data.setdefault("category", category.slug)
    product_filter = ProductFilter(data, queryset=selectors.product_cards())
    page = _paginated(request, product_filter.qs)
    return render_to_string(
        "marketplace/fragments/catalogue.html",
        {"filter": product_filter, "page_obj": page, "querystring": _querystring_without_page(request)},
    )


def search(request, category: Category | None = None):
    parts = (category.slug if category is not None else None, sorted(request.GET.lists()))
    catalogue = fragments.cached("catalogue", parts, lambda: _catalogue(request, category))
    query = request.GET.get("q", "")
    return render(
        request,
        "marketplace/product_list.html",
        {"catalogue": mark_safe(catalogue), "category": category, "query": query},  # noqa: S308 - our HTML
    )


def category_detail(request, slug):
    category = selectors.category_by_slug(slug)
    if category is None:
        raise Http404
    return search(request, category=category)


def _product_page(slug: str) -> dict | None:
    """The product and the parts of its page that are the same for every visitor; None for no such product."""
    try:
        product, related = selectors.product_detail(slug=slug)
    except Product.DoesNotExist:
        return None
    context = {"product": product, "store": product.store, "related": related}
    parts = {
        part: render_to_string(f"marketplace/fragments/product_{part}.html", context)
        for part in ("top", "offer", "more")
    }
    del product.latest_reviews  # rendered in the parts; the cached product keeps no reviewer (user) rows
    return {"product": product, "parts": parts}


def product_detail(request, slug):
    page = fragments.cached("product", (slug,), lambda: _product_page(slug) or {})
    if not page:
        raise Http404
    product = page["product"]
    return render(
        request,
        "marketplace/product_detail.html",
        {
            "product": product,
            "store": product.store,
            "parts": {name: mark_safe(html) for name, html in page["parts"].items()},  # noqa: S308 - our HTML
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
