"""Demo step of the order lifecycle: a complaint the seller rejected, so the demo shopper and the seller see the
order back in "delivered" with its auto-complete date restarted. Uses the services only; runs once."""

from marketplace.cart.services import cart_set
from marketplace.checkout.services import order_place
from marketplace.models import Order, OrderEvent, Product
from marketplace.orders import services
from marketplace.payments.services import seller_confirm_payment
from opop.models import Membership, User

S = Order.Status
PRODUCT = "Tas Anyaman Pandan Sumenep"  # a craft: no curation queue in the way


def seed_complaint_rejected(users: dict[str, User]) -> None:
    shopper = users["shopper"]
    rejected = OrderEvent.objects.filter(order__buyer=shopper, from_status=S.REFUND_REQUESTED, to_status=S.DELIVERED)
    product = Product.objects.filter(name=PRODUCT).first()
    address = shopper.addresses.first()
    if rejected.exists() or product is None or address is None:
        return
    variant = product.variants.filter(stock__gte=1).first()
    cart_set(user=shopper, session={}, product=product, variant=variant, quantity=1)
    (order,) = order_place(
        buyer=shopper, session={}, address=address, choices={product.store_id: ("shipping", "bank_transfer")}
    )
    seller = Membership.objects.filter(organisation=order.store.organisation).first().user
    seller_confirm_payment(order=order, actor=seller)
    services.order_start_processing(order=order, actor=seller)
    services.order_ship(order=order, actor=seller, courier="SiCepat", tracking_number=f"SCP{order.pk:010d}")
    services.order_mark_delivered(order=order, actor=seller)
    services.order_request_refund(order=order, buyer=shopper, reason="Warnanya lebih gelap dari foto.")
    services.order_complaint_reject(
        order=order,
        actor=seller,
        reason="Warna anyaman alami berbeda tiap helai pandan; sudah kami jelaskan di deskripsi produk.",
    )
