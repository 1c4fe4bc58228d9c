"""Catalogue writes: stores, categories, products, variants, photos, ratings."""

from django.db import transaction
from django.db.models import Avg, Count
from django.utils.text import slugify
from django.utils.translation import gettext
from django.utils.translation import gettext as _

from marketplace.catalogue.fragments import catalogue_changed
from marketplace.images import photo_renditions, render, validate_image_upload
from marketplace.models import (
    PILLAR_BY_KIND,
    Category,
    Product,
    ProductPhoto,
    ProductVariant,
    Review,
    ShippingRate,
    Store,
)
from opop.models import KabupatenKota, Organisation
from opop.services import DomainError


def _unique_slug(model, text: str, max_length: int = 200) -> str:
    base = slugify(text)[:max_length] or "item"
    slug, n = base, 2
    while model.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


@transaction.atomic
def category_create(*, name: str, name_en: str = "", parent: Category | None = None, position: int = 0) -> Category:
    category = Category(name=name, name_en=name_en, parent=parent, position=position, slug=_unique_slug(Category, name))
    category.full_clean()
    category.save()
    return category


@transaction.atomic
def store_create(
    *,
    organisation: Organisation,
    name: str,
    description: str = "",
    default_shipping_rate: int = 50000,
    pickup_address: str = "",
    bank_name: str = "",
    bank_account_number: str = "",
    bank_account_name: str = "",
    logo=None,
    **origin,
) -> Store:
    """Open the store of `organisation`. Only pesantren, santri and alumni businesses sell on OPOP Mart.
    `origin`: the ship-from fields of Store (`origin`, `origin_kecamatan_code`, …; see ORIGIN_FIELDS)."""
    from marketplace.seller.opening import ORIGIN_FIELDS

    if set(origin) - set(ORIGIN_FIELDS):
        raise DomainError("Unknown ship-from field.")
    if organisation.kind not in PILLAR_BY_KIND:
        raise DomainError("Only a pesantren, a santri business or an alumni business can open a store.")
    if Store.objects.filter(organisation=organisation).exists():
        raise DomainError("This organisation already has a store.")
    store = Store(
        organisation=organisation,
        name=name,
        slug=_unique_slug(Store, name),
        description=description,
        default_shipping_rate=default_shipping_rate,
        pickup_address=pickup_address,
        bank_name=bank_name,
        bank_account_number=bank_account_number,
        bank_account_name=bank_account_name,
        **origin,
    )
    if logo is not None:
        store.logo = render(validate_image_upload(logo, min_side=64), 160, f"{store.slug}-logo")
    store.full_clean()
    store.save()
    return store


@transaction.atomic
def shipping_rate_set(*, store: Store, kabupaten_kota: KabupatenKota, price: int) -> ShippingRate:
    rate, _ = ShippingRate.objects.update_or_create(
        store=store, kabupaten_kota=kabupaten_kota, defaults={"price": price}
    )
    return rate


@transaction.atomic
def product_create(*, store: Store, category: Category, name: str, price: int, stock: int = 0, **fields) -> Product:
    """Put a product on sale. `fields` are further Product fields (weight_grams, halal_certificate_number…).

    In a curated category the product waits for review (not public until approved; curation.py decides)."""
    from marketplace.catalogue import curation
    from marketplace.catalogue.stock import stock_restock

    actor = fields.pop("actor", None)
    if stock < 0:
        raise DomainError(_("Stock cannot be negative."))
    product = Product(
        store=store,
        category=category,
        name=name,
        price=price,
        stock=0,
        slug=_unique_slug(Product, name),
        listing_status=curation.new_listing_status(category=category),
        **fields,
    )
    product.full_clean()
    product.save()
    curation.listing_review_open(product=product, actor=actor)
    if stock:
        stock_restock(product=product, quantity=stock, actor=actor, reason=gettext("Opening stock"))
        product.refresh_from_db(fields=["stock"])
    return product


@transaction.atomic
def variant_create(
    *, product: Product, name: str, price: int, stock: int = 0, position: int = 0, actor=None
) -> ProductVariant:
    """Add a variant with its opening stock. The product's stock is the total of its variants'; stock the
    product held before its first variant leaves the shelf as a correction (it now belongs to a variant)."""
    from marketplace.catalogue.stock import Kind, stock_move

    if stock < 0:
        raise DomainError(_("Stock cannot be negative."))
    product = Product.objects.select_for_update().get(pk=product.pk)
    if not product.variants.exists() and product.stock > 0:
        stock_move(
            product=product,
            quantity=-product.stock,
            kind=Kind.CORRECTION,
            actor=actor,
            reason=gettext("Stock moved to the variants."),
        )
    variant = ProductVariant(product=product, name=name, price=price, stock=0, position=position)
    variant.full_clean()
    variant.save()
    if stock:
        stock_move(
            product=product,
            variant=variant,
            quantity=stock,
            kind=Kind.RESTOCK,
            actor=actor,
            reason=gettext("Opening stock"),
        )
        variant.refresh_from_db(fields=["stock"])
    return variant


@transaction.atomic
def product_photo_add(*, product: Product, upload, alt_text: str = "") -> ProductPhoto:
    """Validate `upload` (raises ValidationError with a readable message) and store its resized renditions."""
    renditions = photo_renditions(upload, name=product.slug)
    position = product.photos.count()
    photo = ProductPhoto(product=product, alt_text=alt_text or product.name, position=position)
    for field, content in renditions.items():
        getattr(photo, field).save(content.name, content, save=False)
    photo.save()
    return photo


def ratings_refresh(*, product: Product) -> None:
    """Recompute the product's and its store's rating from their reviews."""
    for model, obj, lookup in ((Product, product, "product"), (Store, product.store, "product__store")):
        figures = Review.objects.filter(**{lookup: obj}).aggregate(avg=Avg("rating"), n=Count("id"))
        model.objects.filter(pk=obj.pk).update(rating_average=round(figures["avg"] or 0, 2), rating_count=figures["n"])
    catalogue_changed(products=[product])
