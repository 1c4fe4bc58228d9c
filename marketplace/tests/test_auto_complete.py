"""Orders nobody confirms complete by themselves (48 h after delivery, 7 days after shipping); a complaint opened
before that stops the clock; the seller refunds or rejects it, and a rejection restarts the clock."""

from datetime import timedelta
from importlib import import_module

import pytest
from django.apps import apps
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from marketplace.models import Order, OrderEvent
from marketplace.orders import services, states
from marketplace.payments.services import seller_confirm_payment
from marketplace.tasks import auto_complete_orders
from marketplace.tests.factories import AddressFactory, ProductFactory
from marketplace.tests.helpers import place
from opop.models import AuditEvent, Membership
from opop.services import DomainError
from opop.tests.concurrency import run_together
from opop.tests.factories import MembershipFactory, UserFactory

S = Order.Status


def walk(order, status, *, seller):
    """Drive `order` along the seller's path up to `status` (paid, processing, shipped or delivered)."""
    steps = [
        (S.PAID, lambda: seller_confirm_payment(order=order, actor=seller)),
        (S.PROCESSING, lambda: services.order_start_processing(order=order, actor=seller)),
        (S.SHIPPED, lambda: services.order_ship(order=order, actor=seller, courier="JNE", tracking_number="JT1")),
        (S.DELIVERED, lambda: services.order_mark_delivered(order=order, actor=seller)),
    ]
    for to, step in steps:
        step()
        if to == status:
            break
    order.refresh_from_db()
    return order


def clock_back(order, **ago):
    """Pretend the order entered its current status `ago` (timedelta kwargs) before now."""
    field = states.AUTO_COMPLETE_CLOCKS[order.status]
    Order.objects.filter(pk=order.pk).update(**{field: timezone.now() - timedelta(**ago)})
    order.refresh_from_db()
    return order


@pytest.fixture
def new_order(shopper, address, product_a):
    product_a.__class__.objects.filter(pk=product_a.pk).update(stock=1000)

    def make(status=S.AWAITING_PAYMENT, *, seller):
        (order,) = place(shopper, [(product_a, 1)], address=address)
        return walk(order, status, seller=seller) if status != S.AWAITING_PAYMENT else order

    return make


# ---------------------------------------------------------------- who may make which move


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("start", "to", "party", "ok"),
    [
        (S.SHIPPED, S.COMPLETED, states.SYSTEM, True),
        (S.DELIVERED, S.COMPLETED, states.SYSTEM, True),
        (S.SHIPPED, S.COMPLETED, states.BUYER, True),
        (S.DELIVERED, S.COMPLETED, states.BUYER, True),
        (S.SHIPPED, S.COMPLETED, states.SELLER, False),
        (S.DELIVERED, S.COMPLETED, states.SELLER, False),
        (S.PAID, S.COMPLETED, states.SYSTEM, False),
        (S.PROCESSING, S.COMPLETED, states.SYSTEM, False),
        (S.DELIVERED, S.REFUND_REQUESTED, states.BUYER, True),
        (S.SHIPPED, S.REFUND_REQUESTED, states.BUYER, True),
        (S.DELIVERED, S.REFUND_REQUESTED, states.SELLER, False),
        (S.DELIVERED, S.REFUND_REQUESTED, states.SYSTEM, False),
    ],
)
def test_who_may_complete_and_complain(new_order, admin_a, start, to, party, ok):
    order = new_order(start, seller=admin_a)
    if ok:
        services.order_transition(order=order, to_status=to, party=party, actor=None)
        assert Order.objects.get(pk=order.pk).status == to
    else:
        with pytest.raises(DomainError, match="cannot become"):
            services.order_transition(order=order, to_status=to, party=party, actor=None)
        assert Order.objects.get(pk=order.pk).status == start


@pytest.mark.django_db
@pytest.mark.parametrize("before", [S.PAID, S.PROCESSING, S.SHIPPED, S.DELIVERED])
def test_a_complaint_goes_back_only_to_where_it_came_from_and_only_by_the_seller(new_order, shopper, admin_a, before):
    order = new_order(before, seller=admin_a)
    services.order_request_refund(order=order, buyer=shopper, reason="Barang kurang satu")
    for party in (states.BUYER, states.SYSTEM):
        with pytest.raises(DomainError, match="cannot become"):
            services.order_transition(order=order, to_status=before, party=party, actor=None)
    for other in states.COMPLAINT_RETURNS - {before}:
        with pytest.raises(DomainError, match="cannot become"):
            services.order_transition(order=order, to_status=other, party=states.SELLER, actor=admin_a)
    assert Order.objects.get(pk=order.pk).status == S.REFUND_REQUESTED
    # The seller's own buttons offer "money returned" only: the way back goes through the rejection.
    assert states.next_moves(S.REFUND_REQUESTED, states.SELLER) == [S.REFUNDED]
    services.order_complaint_reject(order=order, actor=admin_a, reason="Sudah kami cek, lengkap")
    assert Order.objects.get(pk=order.pk).status == before


@pytest.mark.django_db
def test_shipping_and_delivery_stamp_the_clocks(new_order, admin_a, shopper, address, product_a, store_a):
    order = new_order(S.SHIPPED, seller=admin_a)
    assert order.shipped_at and order.delivered_at is None
    assert states.auto_complete_at(order) == order.shipped_at + timedelta(days=7)
    services.order_mark_delivered(order=order, actor=admin_a)
    order.refresh_from_db()
    assert order.delivered_at >= order.shipped_at
    assert states.auto_complete_at(order) == order.delivered_at + timedelta(hours=48)
    (pickup,) = place(shopper, [(product_a, 1)], address=address, choices={store_a.pk: ("pickup", "cash_on_pickup")})
    walk(pickup, S.PROCESSING, seller=admin_a)
    services.order_mark_delivered(order=pickup, actor=admin_a)
    pickup.refresh_from_db()
    assert pickup.shipped_at is None and pickup.delivered_at is not None
    for status in (S.PAID, S.PROCESSING, S.COMPLETED, S.REFUND_REQUESTED):
        assert states.auto_complete_at(Order(status=status, shipped_at=timezone.now())) is None


@pytest.mark.django_db
def test_the_delays_are_settings(new_order, admin_a, settings):
    settings.MARKETPLACE_AUTOCOMPLETE_DELIVERED_HOURS = 24
    settings.MARKETPLACE_AUTOCOMPLETE_SHIPPED_DAYS = 3
    delivered = new_order(S.DELIVERED, seller=admin_a)
    assert states.auto_complete_at(delivered) == delivered.delivered_at + timedelta(hours=24)
    clock_back(delivered, hours=25)
    shipped = clock_back(new_order(S.SHIPPED, seller=admin_a), days=4)
    assert services.orders_auto_complete() == 2
    assert set(Order.objects.filter(pk__in=[delivered.pk, shipped.pk]).values_list("status", flat=True)) == {
        S.COMPLETED
    }


# ---------------------------------------------------------------- the job


@pytest.mark.django_db
def test_the_job_completes_exactly_the_due_orders_and_a_second_run_changes_nothing(
    new_order, shopper, admin_a, django_capture_on_commit_callbacks
):
    delivered_47h = clock_back(new_order(S.DELIVERED, seller=admin_a), hours=47)
    delivered_49h = clock_back(new_order(S.DELIVERED, seller=admin_a), hours=49)
    shipped_6d = clock_back(new_order(S.SHIPPED, seller=admin_a), days=6)
    shipped_8d = clock_back(new_order(S.SHIPPED, seller=admin_a), days=8)
    complained = clock_back(new_order(S.DELIVERED, seller=admin_a), days=5)
    services.order_request_refund(order=complained, buyer=shopper, reason="Rusak")
    untouched = [new_order(S.PAID, seller=admin_a), new_order(S.PROCESSING, seller=admin_a), new_order(seller=admin_a)]
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert auto_complete_orders.delay().get() == 2
    due = [delivered_49h, shipped_8d]
    assert set(Order.objects.filter(status=S.COMPLETED).values_list("pk", flat=True)) == {o.pk for o in due}
    for order in due:
        event = OrderEvent.objects.get(order=order, to_status=S.COMPLETED)
        assert event.actor is None and "automatically" in event.note
        assert Order.objects.get(pk=order.pk).completed_at is not None
    assert len(mail.outbox) == 4  # buyer and seller, for each completed order
    assert "completed" in mail.outbox[0].subject.lower() or "selesai" in mail.outbox[0].subject.lower()
    states_before = dict(Order.objects.values_list("pk", "status"))
    assert services.orders_auto_complete() == 0  # run twice: same result
    assert dict(Order.objects.values_list("pk", "status")) == states_before
    assert OrderEvent.objects.filter(to_status=S.COMPLETED).count() == 2
    assert Order.objects.get(pk=delivered_47h.pk).status == S.DELIVERED
    assert Order.objects.get(pk=shipped_6d.pk).status == S.SHIPPED
    assert Order.objects.get(pk=complained.pk).status == S.REFUND_REQUESTED
    assert [Order.objects.get(pk=o.pk).status for o in untouched] == [S.PAID, S.PROCESSING, S.AWAITING_PAYMENT]
    # The 47-hour order becomes due two hours later.
    assert services.orders_auto_complete(now=timezone.now() + timedelta(hours=2)) == 1
    assert Order.objects.get(pk=delivered_47h.pk).status == S.COMPLETED


@pytest.mark.django_db
def test_an_order_the_buyer_confirmed_before_the_job_locked_it_is_left_alone(new_order, shopper, admin_a):
    order = clock_back(new_order(S.DELIVERED, seller=admin_a), hours=50)
    stale = Order.objects.get(pk=order.pk)
    services.order_confirm_receipt(order=order, buyer=shopper)
    assert services.order_auto_complete(order=stale) is False
    assert OrderEvent.objects.filter(order=order, to_status=S.COMPLETED).get().actor == shopper


@pytest.mark.django_db
def test_the_job_is_on_the_beat_schedule(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["marketplace-auto-complete-orders"]
    assert entry["task"] == "marketplace.auto_complete_orders" == auto_complete_orders.name


@pytest.mark.django_db
def test_finding_due_orders_costs_one_query_and_each_order_a_fixed_few(new_order, admin_a):
    def job_queries() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as queries:
            done = services.orders_auto_complete()
        return done, len(queries)

    assert job_queries() == (0, 1)
    for _ in range(2):
        clock_back(new_order(S.DELIVERED, seller=admin_a), hours=49)
    two, two_queries = job_queries()
    for _ in range(5):
        clock_back(new_order(S.SHIPPED, seller=admin_a), days=8)
    five, five_queries = job_queries()
    per_order = (two_queries - 1) / 2
    assert (two, five) == (2, 5)
    assert per_order <= 15 and five_queries == 1 + 5 * per_order


# ---------------------------------------------------------------- complaints


@pytest.mark.django_db
def test_a_rejected_complaint_returns_to_delivered_and_restarts_the_clock(
    new_order, shopper, admin_a, django_capture_on_commit_callbacks
):
    order = clock_back(new_order(S.DELIVERED, seller=admin_a), days=3)
    services.order_request_refund(order=order, buyer=shopper, reason="Warnanya beda")
    assert services.orders_auto_complete() == 0
    with pytest.raises(DomainError, match="why"):
        services.order_complaint_reject(order=order, actor=admin_a, reason="  ")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.order_complaint_reject(order=order, actor=admin_a, reason="Sesuai foto di etalase")
    order.refresh_from_db()
    assert order.status == S.DELIVERED
    assert timezone.now() - order.delivered_at < timedelta(minutes=1)  # the clock restarted at the rejection
    assert services.orders_auto_complete() == 0
    assert services.orders_auto_complete(now=timezone.now() + timedelta(hours=47)) == 0
    assert services.orders_auto_complete(now=timezone.now() + timedelta(hours=49)) == 1
    audit = AuditEvent.objects.get(action="marketplace.complaint_rejected")
    assert audit.data["back_to"] == S.DELIVERED and audit.target_id == str(order.pk)
    buyer_mail = next(m for m in mail.outbox if m.to == [shopper.email])
    assert "rejected the complaint: Sesuai foto di etalase" in buyer_mail.body
    assert "completes automatically on" in buyer_mail.body
    with pytest.raises(DomainError, match="no open complaint"):
        services.order_complaint_reject(order=order, actor=admin_a, reason="lagi")


@pytest.mark.django_db
def test_a_rejected_complaint_on_a_paid_order_keeps_its_payment_date(new_order, shopper, admin_a):
    order = new_order(S.PAID, seller=admin_a)
    paid_at = order.paid_at
    services.order_request_refund(order=order, buyer=shopper, reason="Belum dikirim juga")
    with pytest.raises(DomainError, match="cannot become"):
        services.order_start_processing(order=order, actor=admin_a)  # only back to "paid"
    services.order_complaint_reject(order=order, actor=admin_a, reason="Dikirim besok pagi")
    order.refresh_from_db()
    assert order.status == S.PAID and order.paid_at == paid_at


@pytest.mark.django_db
def test_a_complaint_needs_a_reason_and_a_refunded_complaint_never_completes(new_order, shopper, admin_a):
    order = clock_back(new_order(S.SHIPPED, seller=admin_a), days=10)
    with pytest.raises(DomainError, match="why"):
        services.order_request_refund(order=order, buyer=shopper, reason="")
    services.order_request_refund(order=order, buyer=shopper, reason="Paket tidak sampai")
    services.order_refund(order=order, actor=admin_a)
    assert services.orders_auto_complete(now=timezone.now() + timedelta(days=30)) == 0
    assert Order.objects.get(pk=order.pk).status == S.REFUNDED
    with pytest.raises(DomainError, match="cannot become"):
        services.order_request_refund(order=order, buyer=shopper, reason="lagi")


# ---------------------------------------------------------------- pages


@pytest.mark.django_db
def test_the_buyer_page_shows_the_date_and_both_buttons_and_opens_a_complaint(client, new_order, shopper, admin_a):
    order = new_order(S.DELIVERED, seller=admin_a)
    client.force_login(shopper)
    page = client.get(reverse("marketplace:order_detail", args=[order.number]), HTTP_ACCEPT_LANGUAGE="en")
    due = timezone.localtime(states.auto_complete_at(order))
    assert page.context["auto_complete_at"] == states.auto_complete_at(order)
    body = page.content.decode()
    assert f"{due:%H.%M} WIB" in body
    assert reverse("marketplace:order_action", args=[order.number, "confirm"]) in body
    assert reverse("marketplace:order_action", args=[order.number, "refund"]) in body
    client.post(reverse("marketplace:order_action", args=[order.number, "refund"]), {"reason": "Segelnya rusak"})
    assert Order.objects.get(pk=order.pk).status == S.REFUND_REQUESTED
    page = client.get(reverse("marketplace:order_detail", args=[order.number]))
    assert page.context["auto_complete_at"] is None and page.context["complaint"].note == "Segelnya rusak"
    assert "Segelnya rusak" in page.content.decode()


@pytest.mark.django_db
def test_the_seller_page_shows_the_date_and_rejects_a_complaint(client, new_order, shopper, admin_a):
    order = new_order(S.SHIPPED, seller=admin_a)
    client.force_login(admin_a)
    page = client.get(reverse("marketplace:seller_order_detail", args=[order.number]))
    assert page.context["auto_complete_at"] == order.shipped_at + timedelta(days=7)
    assert f"{timezone.localtime(page.context['auto_complete_at']):%H.%M} WIB" in page.content.decode()
    services.order_request_refund(order=order, buyer=shopper, reason="Salah ukuran")
    page = client.get(reverse("marketplace:seller_order_detail", args=[order.number])).content.decode()
    reject = reverse("marketplace:seller_order_action", args=[order.number, "reject_complaint"])
    assert "Salah ukuran" in page and reject in page
    assert reverse("marketplace:seller_order_action", args=[order.number, "process"]) not in page
    client.post(reject, {"reason": ""})
    assert Order.objects.get(pk=order.pk).status == S.REFUND_REQUESTED  # no reason, no rejection
    client.post(reject, {"reason": "Ukuran sesuai pesanan"})
    assert Order.objects.get(pk=order.pk).status == S.SHIPPED


@pytest.mark.django_db
def test_only_the_store_may_reject_a_complaint(client, new_order, shopper, admin_a, admin_b, store_b):
    order = new_order(S.DELIVERED, seller=admin_a)
    services.order_request_refund(order=order, buyer=shopper, reason="Rusak")
    url = reverse("marketplace:seller_order_action", args=[order.number, "reject_complaint"])
    for user in (admin_b, shopper):
        client.force_login(user)
        assert client.post(url, {"reason": "bukan urusan saya"}).status_code in (403, 404)
    client.force_login(admin_b)
    assert client.get(reverse("marketplace:order_detail", args=[order.number])).status_code == 404
    assert Order.objects.get(pk=order.pk).status == S.REFUND_REQUESTED


# ---------------------------------------------------------------- PostgreSQL races


def _is_postgres() -> bool:
    return connection.vendor == "postgresql"


@pytest.fixture
def regions(transactional_db):
    # An earlier transactional test may have flushed the regions that a data migration loaded.
    import_module("opop.migrations.0002_kabupaten_kota_data").load(apps, None)


def _delivered_long_ago():
    product = ProductFactory(stock=10)
    seller = MembershipFactory(organisation=product.store.organisation, role=Membership.Role.OWNER).user
    buyer = UserFactory()
    (order,) = place(buyer, [(product, 1)], address=AddressFactory(user=buyer))
    order = clock_back(walk(order, S.DELIVERED, seller=seller), hours=60)
    return order, buyer


@pytest.mark.postgres
@pytest.mark.skipif("not _is_postgres()", reason="row-level races need PostgreSQL's concurrent writers")
def test_a_buyer_confirming_while_the_job_runs_completes_the_order_once(regions):
    order, buyer = _delivered_long_ago()

    def act(i):
        if i == 0:
            return services.order_confirm_receipt(order=Order.objects.get(pk=order.pk), buyer=buyer).status
        return services.orders_auto_complete()

    for attempt in range(3):  # whoever wins, the order completes once
        results = run_together(2, act)
        confirmed, auto = results
        assert not isinstance(auto, Exception), auto
        assert confirmed == S.COMPLETED or isinstance(confirmed, DomainError)
        assert (confirmed == S.COMPLETED) + auto == 1
        assert OrderEvent.objects.filter(order=order, to_status=S.COMPLETED).count() == 1
        assert Order.objects.get(pk=order.pk).status == S.COMPLETED
        if attempt < 2:
            order, buyer = _delivered_long_ago()


@pytest.mark.postgres
@pytest.mark.skipif("not _is_postgres()", reason="row-level races need PostgreSQL's concurrent writers")
def test_three_overlapping_job_runs_complete_each_order_once(regions):
    orders = [_delivered_long_ago()[0] for _ in range(4)]
    results = run_together(3, lambda i: services.orders_auto_complete())
    assert all(not isinstance(r, Exception) for r in results), results
    assert sum(results) == 4
    assert OrderEvent.objects.filter(order__in=orders, to_status=S.COMPLETED).count() == 4


@pytest.mark.django_db
def test_the_migration_fills_the_clocks_of_existing_orders_from_their_events(new_order, shopper, admin_a):
    shipped = new_order(S.SHIPPED, seller=admin_a)
    delivered = new_order(S.DELIVERED, seller=admin_a)
    paid = new_order(S.PAID, seller=admin_a)
    when = {o.pk: (o.shipped_at, o.delivered_at) for o in (shipped, delivered, paid)}
    Order.objects.update(shipped_at=None, delivered_at=None)  # as before the migration
    import_module("marketplace.migrations.0015_order_shipped_delivered_at").fill_from_events(apps, None)
    assert {o.pk: (o.shipped_at, o.delivered_at) for o in Order.objects.all()} == when
    assert when[paid.pk] == (None, None) and None not in when[delivered.pk]


@pytest.mark.django_db
def test_an_order_that_fails_to_complete_does_not_hold_up_the_others(new_order, admin_a, monkeypatch):
    broken = clock_back(new_order(S.DELIVERED, seller=admin_a), hours=60)
    fine = clock_back(new_order(S.DELIVERED, seller=admin_a), hours=60)
    real = services.order_transition

    def transition(*, order, **kwargs):
        if order.pk == broken.pk:
            raise RuntimeError("ledger unavailable")
        return real(order=order, **kwargs)

    monkeypatch.setattr(services, "order_transition", transition)
    assert services.orders_auto_complete() == 1
    assert Order.objects.get(pk=fine.pk).status == S.COMPLETED
    assert Order.objects.get(pk=broken.pk).status == S.DELIVERED  # tried again on the next run
