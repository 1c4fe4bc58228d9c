"""Public catalogue pages: home, search, category, product, store."""

from django.http import Http404
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.text import Truncator

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
        "home",
        (),
        lambda: render_to_string("marketplace/fragments/home_sections.html", selectors.home_sections()),
        fresh_for=fragments.LIST_FRESH_SECONDS,  # shelves of every store: renewed on age, not on each store's edit
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
        {
            "filter": product_filter,
            "page_obj": page,
            "querystring": _querystring_without_page(request),
            "query": request.GET,  # the filter panel opens on the visitor's own filters, not the page's category
        },
    )


def search(request, category: Category | None = None):
    parts = (category.slug if category is not None else None, sorted(request.GET.lists()))
    catalogue = fragments.cached(
        "catalogue",
        parts,
        lambda: _catalogue(request, category),
        deps=[("category", category.pk)] if category is not None else [],
        fresh_for=fragments.LIST_FRESH_SECONDS,
    )
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


# The product page's pieces that are the same for every visitor: the head's sharing tags, the title block (photos,
# name, store), what follows the offer (description, reviews, related products).
PRODUCT_PARTS = ("head", "top", "more")


def _product_page(slug: str) -> dict | None:
    """The product and the parts of its page that are the same for every visitor; None for no such product."""
    try:
        product, related = selectors.product_detail(slug=slug)
    except Product.DoesNotExist:
        return None
    context = {"product": product, "store": product.store, "related": related}
    parts = {part: render_to_string(f"marketplace/fragments/product_{part}.html", context) for part in PRODUCT_PARTS}
    photo = next(iter(product.photos.all()), None)
    parts["description"] = escape(Truncator(product.description).chars(155))  # the page's meta description
    parts["og_image"] = escape(photo.large.url) if photo else ""  # the path; the page puts its host in front
    del product.latest_reviews  # rendered in the parts; the cached product keeps no reviewer (user) rows
    return {"product": product, "parts": parts}


def product_detail(request, slug):
    ids = selectors.product_ids_by_slug(slug)
    if ids is None:
        raise Http404
    product_id, store_id, category_id, ancestors = ids
    rendered_now = []
    page = fragments.cached(
        "product",
        (slug, PRODUCT_PARTS),  # a page kept with other parts (an older release's) is not this one
        lambda: rendered_now.append(True) or _product_page(slug) or {},
        deps=fragments.product_deps(
            product_id=product_id, store_id=store_id, category_id=category_id, ancestors=ancestors
        ),
        fresh_for=fragments.PRODUCT_FRESH_SECONDS,  # the related products' cards under the page
    )
    if not page:
        raise Http404
    product = page["product"]
    if not rendered_now:  # stock, sold count, rating: never from the cache on this page
        try:
            selectors.product_live(product)
        except Product.DoesNotExist:
            raise Http404 from None
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


def _store_shelf(request, store) -> str:
    page = _paginated(request, selectors.store_products(store))
    return render_to_string(
        "marketplace/fragments/store_shelf.html",
        {"page_obj": page, "querystring": _querystring_without_page(request)},
    )


def store_detail(request, slug):
    try:
        store = selectors.store_public(slug=slug)
    except Exception:
        raise Http404 from None
    shelf = fragments.cached(
        "store",
        (store.pk, sorted(request.GET.lists())),
        lambda: _store_shelf(request, store),
        deps=[("store", store.pk)],
        fresh_for=fragments.LIST_FRESH_SECONDS,
    )
    return render(
        request,
        "marketplace/store_detail.html",
        {
            "store": store,
            "shelf": mark_safe(shelf),  # noqa: S308 - our HTML
            "canonical_url": request.build_absolute_uri(store.get_absolute_url()),
        },
    )
