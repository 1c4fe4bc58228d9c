"""Catalogue reads for the public store: visible products with everything a card needs, in fixed queries."""

from django.db.models import Prefetch, QuerySet

from marketplace.models import Category, Product, ProductPhoto, Review, Store


def product_cards() -> QuerySet:
    """Visible products with store, region, category and photos loaded (two queries for any number)."""
    return (
        Product.objects.visible()
        .select_related("store__organisation__kabupaten_kota", "category")
        .prefetch_related(Prefetch("photos", queryset=ProductPhoto.objects.order_by("position", "id")))
    )


def home_sections(*, size: int = 8) -> dict:
    cards = product_cards()
    return {
        "flagship": list(cards.filter(is_flagship=True).order_by("-sold_count", "-id")[:size]),
        "newest": list(cards.order_by("-created_at", "-id")[:size]),
        "best_selling": list(cards.filter(sold_count__gt=0).order_by("-sold_count", "-id")[:size]),
        "categories": list(Category.objects.filter(parent__isnull=True)),
    }


def category_with_descendants(category: Category) -> list[int]:
    ids, frontier = [category.pk], [category.pk]
    while frontier:
        frontier = list(Category.objects.filter(parent_id__in=frontier).values_list("pk", flat=True))
        ids += frontier
    return ids


def product_detail(*, slug: str) -> Product:
    return (
        product_cards()
        .prefetch_related(
            "variants", "wholesale_tiers", Prefetch("reviews", queryset=Review.objects.select_related("buyer"))
        )
        .get(slug=slug)
    )


def related_products(product: Product, *, size: int = 4) -> list[Product]:
    return list(
        product_cards().filter(category=product.category).exclude(pk=product.pk).order_by("-sold_count", "-id")[:size]
    )


def store_public(*, slug: str) -> Store:
    return Store.objects.select_related("organisation__kabupaten_kota").get(slug=slug, is_active=True)
