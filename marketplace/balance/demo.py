"""Demo store balances: gateway-paid orders at Darul Ulum's and Sidogiri's stores moved to completed with the
order services, a payout in each state (requested, approved, transferred, failed), the platform's finance
officer, and today's reconciliation. Idempotent: every payout form has a fixed id, so a second run finds them."""

import uuid

from marketplace.balance import services
from marketplace.balance.reconciliation import reconciliation_run
from marketplace.cart.services import cart_set
from marketplace.checkout.services import order_place
from marketplace.models import Order, Payout, Product, Store
from marketplace.orders import services as orders
from marketplace.payments.sandbox import sandbox_receive
from marketplace.payments.services import checkout_payment_of
from opop.demo import DEMO_PASSWORD, demo_user
from opop.models import Membership, Organisation, User
from opop.services import membership_add

FINANCE = ("keuangan@opop.test", "Rina Puspitasari", "+6281234500006")

# store → (gateway orders to complete: (product, quantity)), payouts: (amount, final state, bank reference/reason)
BALANCES = {
    "Koppontren Darul Ulum": (
        [("Beras Organik Darul Ulum 5 kg", 2), ("Beras Organik Darul Ulum 5 kg", 3)],
        [
            (150000, Payout.Status.TRANSFERRED, "BJS-20261201-004417"),
            (100000, Payout.Status.REQUESTED, ""),
        ],
    ),
    "Kopontren Sidogiri Mart": (
        [("Kurma Sidogiri Premium 1 kg", 2), ("Madu Hutan Sidogiri 500 g", 1)],
        [
            (100000, Payout.Status.APPROVED, ""),
            (60000, Payout.Status.FAILED, "Nama pemilik rekening tidak sesuai dengan data bank."),
        ],
    ),
}


def _finance_officer() -> User:
    officer = demo_user(*FINANCE)
    diskop = Organisation.objects.get(kind=Organisation.Kind.DISKOP)
    if not Membership.objects.filter(user=officer, organisation=diskop, role=Membership.Role.FINANCE).exists():
        membership_add(organisation=diskop, user=officer, role=Membership.Role.FINANCE)
    return officer


def _gateway_paid(buyer: User, store: Store, name: str, quantity: int) -> Order:
    product = Product.objects.get(store=store, name=name)
    cart_set(user=buyer, session={}, product=product, variant=None, quantity=quantity)
    (order,) = order_place(
        buyer=buyer,
        session={},
        address=buyer.addresses.first(),
        choices={store.pk: ("shipping", "gateway")},
        payment_method="gateway",
    )
    sandbox_receive(checkout_payment=checkout_payment_of(order))
    order.refresh_from_db()
    return order


def _completed(order: Order, seller: User, buyer: User) -> None:
    orders.order_start_processing(order=order, actor=seller)
    orders.order_ship(order=order, actor=seller, courier="JNE", tracking_number=f"JNE{order.pk:010d}")
    orders.order_mark_delivered(order=order, actor=seller)
    orders.order_confirm_receipt(order=order, buyer=buyer)


def _payout(store: Store, owner: User, officer: User, n: int, amount: int, state: str, text: str) -> None:
    key = uuid.uuid5(uuid.NAMESPACE_URL, f"opop-demo-payout/{store.slug}/{n}")
    payout = services.payout_request(store=store, actor=owner, amount=amount, password=DEMO_PASSWORD, request_key=key)
    if payout.status != Payout.Status.REQUESTED or state == Payout.Status.REQUESTED:
        return
    services.payout_approve(payout=payout, actor=officer)
    if state == Payout.Status.TRANSFERRED:
        services.payout_mark_transferred(payout=payout, actor=officer, bank_reference=text)
    elif state == Payout.Status.FAILED:
        services.payout_mark_failed(payout=payout, actor=officer, reason=text)


def seed(users: dict[str, User]) -> None:
    officer = _finance_officer()
    users["Diskop finance"] = officer
    buyer = users["shopper"]
    for store_name, (sales, payouts) in BALANCES.items():
        store = Store.objects.get(name=store_name)
        owner = (
            Membership.objects.filter(organisation=store.organisation, role=Membership.Role.OWNER)
            .order_by("pk")
            .first()
            .user
        )
        if not Payout.objects.filter(store=store).exists():
            for name, quantity in sales:
                _completed(_gateway_paid(buyer, store, name, quantity), owner, buyer)
        for n, (amount, state, text) in enumerate(payouts):
            _payout(store, owner, officer, n, amount, state, text)
    reconciliation_run()
