"""Reviews: one per product line of a completed order, by its buyer."""

from django.db import transaction
from django.utils.translation import gettext as _

from marketplace.catalogue.services import ratings_refresh
from marketplace.images import render, validate_image_upload
from marketplace.models import Order, OrderItem, Review
from opop.models import User
from opop.services import DomainError


@transaction.atomic
def review_create(*, buyer: User, order_item: OrderItem, rating: int, text: str = "", photo=None) -> Review:
    """Rate a product bought in a completed order; the product's and the store's ratings follow."""
    order = order_item.order
    if order.buyer_id != buyer.pk:
        raise DomainError(_("This is not your order."))
    if order.status != Order.Status.COMPLETED:
        raise DomainError(_("You can review a product once the order is completed."))
    if Review.objects.filter(order_item=order_item).exists():
        raise DomainError(_("You have already reviewed this product for this order."))
    if not 1 <= int(rating) <= 5:
        raise DomainError(_("Give 1 to 5 stars."))
    review = Review(order_item=order_item, product_id=order_item.product_id, buyer=buyer, rating=rating, text=text)
    if photo is not None:
        review.photo.save(
            f"review-{order_item.pk}.webp",
            render(validate_image_upload(photo, min_side=100), 800, "review"),
            save=False,
        )
    review.save()
    ratings_refresh(product=order_item.product)
    return review
