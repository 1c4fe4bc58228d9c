"""Demo step for shipping (issue #20): the demo stores' couriers and rules, an office address of the demo shopper
in Jombang (so instant delivery from Darul Ulum shows), one order ready to ship with its resi and one on its way
with tracking events. Uses the services only; each part runs once."""

from marketplace.cart.services import cart_set
from marketplace.checkout.services import order_place
from marketplace.models import Address, Order, Product, Shipment, Store
from marketplace.orders import services as orders
from marketplace.payments.services import seller_confirm_payment
from marketplace.shipping import services as shipping
from marketplace.shipping.rates import COURIER_SERVICES
from marketplace.shipping.sandbox import sandbox_advance
from opop.models import KabupatenKota, Membership, User

# store → (services offered, rules)
STORE_SHIPPING = {
    "Koppontren Darul Ulum": (
        [*COURIER_SERVICES, "store_courier"],
        [{"kind": "free", "zone": "same_city", "min_subtotal": 100000, "price": 0, "service": ""}],
    ),
    "Kopontren Sidogiri Mart": (
        ["jne_reg", "jnt_ez", "sicepat_reg", "instant", "store_courier"],
        [{"kind": "flat", "zone": "jatim_near", "min_subtotal": 150000, "price": 10000, "service": ""}],
    ),
}  # fmt: skip
# (product, service, how far its parcel gets): booked only, or two tracking steps on its way.
SHIPMENTS = [("Beras Organik Darul Ulum 5 kg", "jne_reg", 0), ("Kurma Sidogiri Premium 1 kg", "sicepat_reg", 2)]


def _seller(store: Store) -> User:
    return Membership.objects.filter(organisation=store.organisation, role="owner").first().user


def _office(shopper: User) -> None:
    if shopper.addresses.filter(label="Kantor").exists():
        return
    address = Address(
        user=shopper, label="Kantor", recipient_name=shopper.get_full_name() or "Pembeli OPOP",
        phone=shopper.phone or "+6281234500001", kabupaten_kota=KabupatenKota.objects.get(kode="35.17"),
        kecamatan="Peterongan", desa="Peterongan", street="Jl. Raya Peterongan No. 8", postal_code="61481",
    )  # fmt: skip
    address.full_clean()
    address.save()


def seed(users: dict[str, User]) -> None:
    for name, (services, rules) in STORE_SHIPPING.items():
        store = Store.objects.filter(name=name).first()
        if store is not None and (store.courier_services, store.shipping_rules) != (services, rules):
            store.courier_services, store.shipping_rules = services, rules
            store.save(update_fields=["courier_services", "shipping_rules", "updated_at"])
    shopper = users["shopper"]
    _office(shopper)
    address = shopper.addresses.filter(label="Rumah").first() or shopper.addresses.first()
    if address is None or Shipment.objects.filter(order__buyer=shopper).exists():
        return
    for name, service, steps in SHIPMENTS:
        product = Product.objects.filter(name=name).first()
        if product is None:
            continue
        variant = product.variants.filter(stock__gte=1).first()
        cart_set(user=shopper, session={}, product=product, variant=variant, quantity=1)
        (order,) = order_place(
            buyer=shopper,
            session={},
            address=address,
            choices={product.store_id: ("shipping", "bank_transfer", service)},
        )
        seller = _seller(order.store)
        seller_confirm_payment(order=order, actor=seller)
        orders.order_start_processing(order=order, actor=seller)
        shipment = shipping.shipment_book(order=order, actor=seller)
        for _step in range(steps):
            sandbox_advance(shipment=shipment)
        assert Order.objects.get(pk=order.pk).status in (Order.Status.READY_TO_SHIP, Order.Status.SHIPPED)
