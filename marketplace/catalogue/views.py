"""Public catalogue pages: home, search, category, product, store."""

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, render

from marketplace.cart.forms import AddToCartForm
from marketplace.catalogue import selectors
from marketplace.catalogue.filters import ProductFilter
from marketplace.models import Category, Product

PAGE_SIZE = 24


def _paginated(request, queryset):
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


def _querystring_without_page(request) -> str:
    params = request.GET.copy()
    params.pop("page", None)
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
    category = get_object_or_404(Category.objects.select_related("parent"), slug=slug)
    return search(request, category=category)


def product_detail(request, slug):
    try:
        product = selectors.product_detail(slug=slug)
    except Product.DoesNotExist:
        raise Http404 from None
    return render(
        request,
        "marketplace/product_detail.html",
        {
            "product": product,
            "store": product.store,
            "related": selectors.related_products(product),
            "cart_form": AddToCartForm(product=product),
            "canonical_url": request.build_absolute_uri(product.get_absolute_url()),
        },
    )


def store_detail(request, slug):
    try:
        store = selectors.store_public(slug=slug)
    except Exception:
        raise Http404 from None
    products = selectors.product_cards().filter(store=store).order_by("-is_flagship", "-sold_count", "-id")
    return render(
        request,
        "marketplace/store_detail.html",
        {
            "store": store,
            "page_obj": _paginated(request, products),
            "querystring": "",
            "canonical_url": request.build_absolute_uri(store.get_absolute_url()),
        },
    )
