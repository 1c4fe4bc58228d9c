"""Seller-centre writes: products, photos, variants, wholesale tiers, store settings, transfer proofs."""

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from marketplace.catalogue import curation
from marketplace.catalogue.fragments import catalogue_changed
from marketplace.catalogue.services import _unique_slug
from marketplace.images import render, validate_image_upload
from marketplace.models import (
    Order,
    OrderEvent,
    OrderItem,
    Payment,
    Product,
    ProductPhoto,
    ProductVariant,
    ShippingRate,
    Store,
    WholesaleTier,
)
from opop.mail import send_mail_on_commit
from opop.models import User
from opop.services import DomainError, audit_record

PRODUCT_FIELDS = (
    "name",
    "category",
    "description",
    "price",
    "weight_grams",
    "min_order",
    "low_stock_threshold",
    "nib",
    "pirt",
    "bpom_md",
    "is_active",
)
# Not Product fields: the halal number the seller types is a claim for staff to verify (halal/claims.py); the
# product's own `halal_certificate_number` is written only by the halal sync.
HALAL_CLAIM_FIELDS = ("halal_certificate_number", "halal_evidence")


@transaction.atomic
def product_update(*, product: Product, actor: User, **fields) -> Product:
    """Change a product's description fields. Stock is never set here: it moves through the stock ledger.

    Curation decides what changes now and what waits for review (catalogue/curation.py `listing_update`);
    the returned product holds what shoppers see, its pending review (if any) as `pending_review`."""
    for name in fields:
        if name not in PRODUCT_FIELDS:
            raise DomainError(_("This field cannot be changed here."))
    pending = curation.listing_update(product=product, actor=actor, **fields)
    product.refresh_from_db()
    product.pending_review = pending
    return product


@transaction.atomic
def product_publish(*, product: Product, actor: User, publish: bool) -> Product:
    Product.objects.filter(pk=product.pk).update(is_active=publish)
    catalogue_changed()  # on or off sale: every list at once (rare, unlike sales)
    product.is_active = publish
    return product


@transaction.atomic
def product_duplicate(*, product: Product, actor: User) -> Product:
    """A copy to edit into a similar product: same details, variants (no stock), tiers and photos; unpublished."""
    copy = Product.objects.get(pk=product.pk)
    copy.pk = None
    copy.name = _("%(name)s (copy)") % {"name": product.name}
    copy.slug = _unique_slug(Product, copy.name)
    copy.stock = 0
    copy.sold_count = 0
    copy.rating_average = 0
    copy.rating_count = 0
    copy.is_active = False
    copy.is_flagship = False
    copy.listing_status = curation.new_listing_status(category=copy.category)  # a new listing: reviewed afresh
    copy.listing_reason, copy.listing_reviewed_by, copy.listing_reviewed_at = "", None, None
    copy.save()
    curation.listing_review_open(product=copy, actor=actor)
    ProductVariant.objects.bulk_create(
        ProductVariant(product=copy, name=v.name, price=v.price, stock=0, position=v.position)
        for v in product.variants.all()
    )
    WholesaleTier.objects.bulk_create(
        WholesaleTier(product=copy, min_quantity=t.min_quantity, unit_price=t.unit_price)
        for t in product.wholesale_tiers.all()
    )
    for photo in product.photos.all():
        new = ProductPhoto(product=copy, alt_text=photo.alt_text, position=photo.position)
        for field in ("large", "medium", "small"):
            source = getattr(photo, field)
            with source.open("rb") as handle:
                getattr(new, field).save(source.name.rsplit("/", 1)[-1], ContentFile(handle.read()), save=False)
        new.width, new.height = photo.width, photo.height
        new.save()
    return copy


@transaction.atomic
def photo_move(*, photo: ProductPhoto, step: int) -> None:
    """Move a photo one place earlier (-1) or later (+1); the first photo is the cover."""
    photos = list(ProductPhoto.objects.select_for_update().filter(product_id=photo.product_id))
    index = next(i for i, p in enumerate(photos) if p.pk == photo.pk)
    target = index + step
    if 0 <= target < len(photos):
        photos[index], photos[target] = photos[target], photos[index]
    for position, item in enumerate(photos):
        if item.position != position:
            ProductPhoto.objects.filter(pk=item.pk).update(position=position)
    catalogue_changed(products=[photo.product_id])  # the first photo is the cover of the product's card


@transaction.atomic
def photo_delete(*, photo: ProductPhoto) -> None:
    files = [getattr(photo, field) for field in ("large", "medium", "small")]
    product_id = photo.product_id
    photo.delete()
    for position, pk in enumerate(ProductPhoto.objects.filter(product_id=product_id).values_list("pk", flat=True)):
        ProductPhoto.objects.filter(pk=pk).update(position=position)
    catalogue_changed(products=[product_id])
    transaction.on_commit(lambda: [f.delete(save=False) for f in files if f])


@transaction.atomic
def variant_update(*, variant: ProductVariant, name: str, price: int) -> ProductVariant:
    variant.name, variant.price = name, price
    variant.full_clean()
    variant.save(update_fields=["name", "price"])
    return variant


@transaction.atomic
def variant_delete(*, variant: ProductVariant) -> None:
    """Only an empty variant goes: its stock would otherwise vanish from the ledger."""
    if ProductVariant.objects.filter(pk=variant.pk).values_list("stock", flat=True).first():
        raise DomainError(_("Bring the variant's stock to 0 (a correction) before deleting it."))
    open_orders = OrderItem.objects.filter(variant=variant).exclude(
        order__status__in=(Order.Status.COMPLETED, Order.Status.CANCELLED, Order.Status.REFUNDED)
    )
    if open_orders.exists():
        # A cancellation would have to put the units back on this variant's shelf.
        raise DomainError(_("This variant is in orders still open; delete it once they are finished."))
    variant.delete()


@transaction.atomic
def wholesale_tier_set(*, product: Product, min_quantity: int, unit_price: int) -> WholesaleTier:
    if min_quantity < 2:
        raise DomainError(_("A wholesale price starts at 2 pieces or more."))
    if unit_price >= product.price:
        raise DomainError(_("A wholesale price must be lower than the normal price."))
    tier, _created = WholesaleTier.objects.update_or_create(
        product=product, min_quantity=min_quantity, defaults={"unit_price": unit_price}
    )
    return tier


STORE_FIELDS = (
    "name",
    "description",
    "allows_pickup",
    "opening_hours",
    "default_shipping_rate",
    "order_expiry_hours",
    "is_on_holiday",
    "holiday_message",
)
BANK_FIELDS = ("bank_name", "bank_account_number", "bank_account_name")


@transaction.atomic
def store_update(*, store: Store, actor: User, logo=None, **fields) -> Store:
    changed = [*fields, "updated_at"]
    for name, value in fields.items():
        if name not in STORE_FIELDS:
            raise DomainError(_("This field cannot be changed here."))
        setattr(store, name, value)
    if store.is_on_holiday and not store.holiday_message:
        store.holiday_message = _("The store is on holiday; orders open again soon.")
        changed.append("holiday_message")
    if logo is not None:
        store.logo = render(validate_image_upload(logo, min_side=64), 160, f"{store.slug}-logo")
        changed.append("logo")
    store.full_clean()
    store.save(update_fields=changed)
    return store


@transaction.atomic
def store_bank_update(*, store: Store, actor: User, bank_name: str, bank_account_number: str, bank_account_name: str):
    """Change where buyers transfer to. Owners only (the view checks); audited, as a money matter."""
    before = {name: getattr(store, name) for name in BANK_FIELDS}
    if not bank_account_number.isdigit():
        raise DomainError(_("An account number has digits only."))
    store.bank_name, store.bank_account_number, store.bank_account_name = (
        bank_name,
        bank_account_number,
        bank_account_name,
    )
    store.full_clean()
    store.save(update_fields=[*BANK_FIELDS, "updated_at"])
    audit_record(
        actor=actor,
        action="marketplace.bank_account_changed",
        organisation=store.organisation,
        target=store,
        data={"before": before, "after": {name: getattr(store, name) for name in BANK_FIELDS}},
    )
    return store


@transaction.atomic
def store_origin_update(*, store: Store, actor: User, **fields) -> Store:
    """Change where the store ships from (regency/city, kecamatan, desa, postal code, pin, pickup street), as the
    address widget cleaned it. Owners only (the view checks); audited. Quotes read the new origin at once."""
    from marketplace.seller.opening import ORIGIN_FIELDS

    names = [name[:-3] if name.endswith("_id") else name for name in fields]
    if set(names) - set(ORIGIN_FIELDS):
        raise DomainError(_("This field cannot be changed here."))
    before = {name: str(getattr(store, name + "_id" if name == "origin" else name) or "") for name in ORIGIN_FIELDS}
    for name, value in fields.items():
        setattr(store, name, value.strip() if isinstance(value, str) else value)
    if not (store.pickup_address or "").strip():
        raise DomainError(_("Give the pickup address: the street and building a courier comes to."))
    store.full_clean()
    store.save(update_fields=[*ORIGIN_FIELDS, "updated_at"])
    after = {name: str(getattr(store, name + "_id" if name == "origin" else name) or "") for name in ORIGIN_FIELDS}
    audit_record(
        actor=actor,
        action="marketplace.store_origin_changed",
        organisation=store.organisation,
        target=store,
        data={"before": before, "after": after},
    )
    return store


@transaction.atomic
def shipping_rate_delete(*, store: Store, rate_id: int) -> None:
    ShippingRate.objects.filter(store=store, pk=rate_id).delete()


@transaction.atomic
def transfer_proof_reject(*, order: Order, actor: User, reason: str) -> Payment:
    """The transfer is not in the account: send the proof back with the reason; the buyer may upload again."""
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Tell the buyer why the proof is rejected."))
    locked = Order.objects.select_for_update().get(pk=order.pk)
    payment = locked.payments.filter(status=Payment.Status.PROOF_UPLOADED).first()
    if locked.status != Order.Status.AWAITING_PAYMENT or payment is None:
        raise DomainError(_("There is no transfer proof waiting for you."))
    payment.status = Payment.Status.PENDING
    payment.save(update_fields=["status", "updated_at"])
    OrderEvent.objects.create(
        order=locked,
        actor=actor,
        from_status=locked.status,
        to_status=locked.status,
        note=f"{gettext_noop('Transfer proof rejected')}: {reason}"[:300],
    )
    send_mail_on_commit(
        subject=_("Order %(number)s: transfer proof rejected") % {"number": locked.number},
        body=_(
            "The seller could not find your transfer for order %(number)s.\nReason: %(reason)s\n"
            "Please check the transfer and upload the proof again before the payment time runs out."
        )
        % {"number": locked.number, "reason": reason},
        recipients=[locked.buyer.email],
    )
    return payment
