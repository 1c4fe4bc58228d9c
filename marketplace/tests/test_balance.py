"""The store balance ledger: every movement an order causes, its sums exact (with and without a platform fee),
bank transfer and cash never in the balance, append-only on the model and in PostgreSQL, the Saldo page and
its CSV, and the daily reconciliation finding an injected difference and nothing on clean data."""

import csv
import io

import pytest
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.urls import reverse

from marketplace.balance import reconciliation
from marketplace.balance.ledger import balance_on_transition, platform_fee, store_balance
from marketplace.balance.services import payout_request
from marketplace.models import BalanceEntry, Order, ReconciliationFinding, ReconciliationRun
from marketplace.orders import services as orders
from marketplace.payments.services import seller_confirm_payment
from marketplace.tests.balance_helpers import DEFAULT_PASSWORD, buckets, complete, gateway_order, gateway_pay
from marketplace.tests.factories import ProductFactory
from marketplace.tests.helpers import place
from opop.ledger import LedgerIsAppendOnly
from opop.models import AuditEvent
from opop.tests.exports import assert_csv_export
from opop.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db
K = BalanceEntry.Kind
S = Order.Status
on_postgres = pytest.mark.skipif(
    "connection.vendor != 'postgresql'", reason="the append-only trigger is PostgreSQL's; SQLite has the model guard"
)


def kinds(order):
    return list(BalanceEntry.objects.filter(order=order).order_by("id").values_list("kind", flat=True))


# ---------------------------------------------------------------- movements


def test_a_gateway_paid_order_credits_pending_and_moves_to_available_when_it_completes(
    shopper, address, store_a, product_a, admin_a
):
    order = gateway_order(shopper, product_a, address=address, quantity=2)
    assert order.total == 240000 + order.shipping_cost
    assert buckets(store_a) == (order.total, 0, 0, 0, 0)
    assert kinds(order) == [K.SALE]  # no fee line at 0 %
    complete(order, admin_a, shopper)
    assert buckets(store_a) == (0, order.total, 0, 0, 0)
    assert kinds(order) == [K.SALE, K.RELEASE]
    release = BalanceEntry.objects.get(order=order, kind=K.RELEASE)
    assert (release.pending, release.available, release.held, release.moved) == (
        -order.total,
        order.total,
        0,
        order.total,
    )


def test_nothing_moves_before_payment_and_an_unpaid_cancellation_moves_nothing(shopper, address, store_a, product_a):
    order = gateway_order(shopper, product_a, address=address, paid=False)
    assert kinds(order) == []
    orders.order_cancel_by_buyer(order=order, buyer=shopper)
    assert kinds(order) == [] and buckets(store_a) == (0, 0, 0, 0, 0)


@pytest.mark.parametrize("method", ["bank_transfer", "cash_on_pickup"])
def test_orders_paid_by_transfer_or_cash_never_enter_the_balance(method, shopper, address, store_a, product_a, admin_a):
    delivery = "pickup" if method == "cash_on_pickup" else "shipping"
    (order,) = place(shopper, [(product_a, 1)], address=address, choices={store_a.pk: (delivery, method)})
    seller_confirm_payment(order=order, actor=admin_a)
    orders.order_start_processing(order=order, actor=admin_a)
    if delivery == "shipping":
        orders.order_ship(order=order, actor=admin_a, courier="JNE", tracking_number="X1")
    orders.order_mark_delivered(order=order, actor=admin_a)
    orders.order_confirm_receipt(order=order, buyer=shopper)
    assert not BalanceEntry.objects.exists()
    assert store_balance(store=store_a).credited == 0


def test_a_refund_debits_pending_into_refunded(shopper, address, store_a, product_a, admin_a):
    order = gateway_order(shopper, product_a, address=address)
    orders.order_request_refund(order=order, buyer=shopper, reason="Rusak")
    assert buckets(store_a) == (order.total, 0, 0, 0, 0)  # a complaint holds the money in pending
    orders.order_refund(order=order, actor=admin_a)
    assert buckets(store_a) == (0, 0, 0, 0, order.total)
    assert kinds(order) == [K.SALE, K.REFUND]


@pytest.mark.parametrize("step", ["paid", "processing"])
def test_a_paid_order_cancelled_by_the_seller_is_debited(step, shopper, address, store_a, product_a, admin_a):
    order = gateway_order(shopper, product_a, address=address)
    if step == "processing":
        orders.order_start_processing(order=order, actor=admin_a)
    orders.order_cancel_by_seller(order=order, actor=admin_a, reason="Stok rusak")
    assert buckets(store_a) == (0, 0, 0, 0, order.total)


def test_each_movement_happens_once_whatever_is_retried(shopper, address, store_a, product_a, admin_a):
    order = gateway_order(shopper, product_a, address=address)
    gateway_pay(order)  # the webhook delivered again
    for _ in range(2):
        balance_on_transition(order=order, from_status=S.AWAITING_PAYMENT, to_status=S.PAID)
    complete(order, admin_a, shopper)
    balance_on_transition(order=order, from_status=S.DELIVERED, to_status=S.COMPLETED)
    assert kinds(order) == [K.SALE, K.RELEASE]
    assert buckets(store_a) == (0, order.total, 0, 0, 0)
    with pytest.raises(IntegrityError), transaction.atomic():  # and the database says so too
        BalanceEntry.objects.create(store=store_a, order=order, kind=K.SALE, pending=1)


@pytest.mark.parametrize(
    ("percent", "total", "fee"),
    [("0", 123457, 0), ("2.5", 100000, 2500), ("2.5", 123457, 3086), ("2.5", 39, 0), ("1", 99, 0), ("10", 15999, 1599)],
)
def test_the_platform_fee_rounds_down_to_whole_rupiah(settings, percent, total, fee):
    settings.MARKETPLACE_PLATFORM_FEE_PERCENT = percent
    assert platform_fee(total) == fee


def test_with_a_fee_the_store_is_credited_the_total_less_the_fee_on_its_own_line(
    settings, shopper, address, store_a, product_a, admin_a
):
    settings.MARKETPLACE_PLATFORM_FEE_PERCENT = "2.5"
    order = gateway_order(shopper, product_a, address=address)  # 120.000 + shipping 40.000
    assert order.total == 160000
    fee = BalanceEntry.objects.get(order=order, kind=K.PLATFORM_FEE)
    assert fee.pending == -4000 and fee.note == "2.5%"
    assert buckets(store_a) == (156000, 0, 0, 0, 0)
    complete(order, admin_a, shopper)
    assert buckets(store_a) == (0, 156000, 0, 0, 0)
    # A second order, 3 x 120.000 + 40.000 = 400.000 less a 10.000 fee, refunded.
    other = gateway_order(shopper, product_a, address=address, quantity=3)
    orders.order_request_refund(order=other, buyer=shopper, reason="Salah kirim")
    orders.order_refund(order=other, actor=admin_a)
    assert buckets(store_a) == (0, 156000, 0, 0, 390000)
    # the fee setting changing later does not change what was credited
    settings.MARKETPLACE_PLATFORM_FEE_PERCENT = "5"
    assert store_balance(store=store_a).credited == 546000


def test_the_sums_are_exact_across_many_orders_and_a_payout(settings, shopper, address, store_a, product_a, admin_a):
    settings.MARKETPLACE_PLATFORM_FEE_PERCENT = "2.5"
    done = [complete(gateway_order(shopper, product_a, address=address, quantity=q), admin_a, shopper) for q in (1, 2)]
    running = gateway_order(shopper, product_a, address=address)
    refunded = gateway_order(shopper, product_a, address=address)
    orders.order_cancel_by_seller(order=refunded, actor=admin_a, reason="Habis")
    net = [o.total - platform_fee(o.total) for o in (*done, running, refunded)]
    payout_request(store=store_a, actor=admin_a, amount=100000, password=DEFAULT_PASSWORD, request_key=_key())
    assert buckets(store_a) == (net[2], net[0] + net[1] - 100000, 100000, 0, net[3])
    assert store_balance(store=store_a).credited == sum(net)


def _key():
    import uuid

    return uuid.uuid4()


# ---------------------------------------------------------------- append-only


@pytest.fixture
def entry(shopper, address, product_a):
    return BalanceEntry.objects.get(order=gateway_order(shopper, product_a, address=address))


def test_balance_rows_are_never_updated_or_deleted_through_the_model(entry):
    entry.pending = 1
    with pytest.raises(LedgerIsAppendOnly):
        entry.save()
    with pytest.raises(LedgerIsAppendOnly):
        entry.delete()
    with pytest.raises(LedgerIsAppendOnly):
        BalanceEntry.objects.filter(pk=entry.pk).update(pending=1)
    with pytest.raises(LedgerIsAppendOnly):
        BalanceEntry.objects.filter(pk=entry.pk).delete()
    assert BalanceEntry.objects.get(pk=entry.pk).pending != 1


def test_a_move_that_does_not_add_up_is_refused_by_the_database(store_a):
    with pytest.raises(IntegrityError), transaction.atomic():
        BalanceEntry.objects.create(store=store_a, kind=K.RELEASE, pending=-100, available=90)
    with pytest.raises(IntegrityError), transaction.atomic():
        BalanceEntry.objects.create(store=store_a, kind=K.RELEASE)


@pytest.mark.postgres
@on_postgres
@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE marketplace_balanceentry SET pending = 1 WHERE id = %s",
        "UPDATE marketplace_balanceentry SET actor_id = NULL, pending = 1 WHERE id = %s",
        "UPDATE marketplace_balanceentry SET created_at = now() - interval '1 day' WHERE id = %s",
        "DELETE FROM marketplace_balanceentry WHERE id = %s",
    ],
)
def test_on_postgresql_the_database_refuses_balance_changes(entry, statement):
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(statement, [entry.pk])
    assert BalanceEntry.objects.get(pk=entry.pk).pending == entry.pending


# ---------------------------------------------------------------- the Saldo page


@pytest.fixture
def history(settings, shopper, address, store_a, product_a, admin_a):
    settings.MARKETPLACE_PLATFORM_FEE_PERCENT = "2.5"
    order = complete(gateway_order(shopper, product_a, address=address), admin_a, shopper)
    payout_request(store=store_a, actor=admin_a, amount=50000, password=DEFAULT_PASSWORD, request_key=_key())
    return order


def test_the_saldo_page_shows_the_buckets_and_the_statement_with_a_running_balance(client, admin_a, history):
    client.force_login(admin_a)
    response = client.get(reverse("marketplace:seller_balance"))
    assert response.status_code == 200
    balance = response.context["balance"]
    assert (balance.pending, balance.available, balance.in_payout) == (0, 156000 - 50000, 50000)
    rows = response.context["page_obj"].object_list
    assert [r.kind for r in rows] == [K.PAYOUT_REQUEST, K.RELEASE, K.PLATFORM_FEE, K.SALE]
    assert [r.balance for r in rows] == [156000, 156000, 156000, 160000]
    assert history.number in response.content.decode()
    assert response.context["form"] is not None  # the owner may withdraw


def test_store_staff_see_the_balance_read_only(client, pesantren_a, history):
    staff = MembershipFactory(organisation=pesantren_a, role="staff").user
    client.force_login(staff)
    response = client.get(reverse("marketplace:seller_balance"))
    assert response.status_code == 200 and response.context["form"] is None
    assert client.post(reverse("marketplace:seller_payout_request"), {"password": "x"}).status_code == 403


def test_the_statement_csv_has_every_movement_a_bom_and_an_audit_event(client, admin_a, history, store_a):
    client.force_login(admin_a)
    response = client.get(reverse("marketplace:seller_balance"), {"format": "csv"})
    body = response.content.decode("utf-8")
    assert body.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(body.removeprefix("\ufeff"))))
    assert len(rows) == 5
    header, *lines = rows
    assert len(header) == 11  # in the page's language
    sale = lines[-1]
    assert sale[2] == history.number and sale[4] == "160000" and sale[9] == "160000"
    assert lines[0][3].startswith("OPOP-PO-") and lines[0][5:7] == ["-50000", "50000"]
    event = AuditEvent.objects.get(action="marketplace.balance_statement.exported")
    assert event.data["rows"] == 4 and event.organisation_id == store_a.organisation_id


def test_a_seller_without_a_store_gets_404(client, shopper):
    client.force_login(shopper)
    assert client.get(reverse("marketplace:seller_balance")).status_code == 404


def _gateway_orders(store, shopper, address, product, n):
    from marketplace.models import BalanceEntry as Entry

    for _ in range(n):
        order = gateway_order(shopper, product, address=address, paid=False)
        Entry.objects.create(store=store, order=order, kind=K.SALE, pending=order.total)


@pytest.mark.parametrize("rows", [1, 30])
def test_the_saldo_page_costs_the_same_queries_for_1_or_30_rows(
    rows, client, admin_a, store_a, shopper, address, django_assert_num_queries
):
    _gateway_orders(store_a, shopper, address, ProductFactory(store=store_a, price=10000, stock=100), rows)
    client.force_login(admin_a)
    client.get(reverse("marketplace:seller_balance"))  # warm the session and the caches
    with django_assert_num_queries(8):
        response = client.get(reverse("marketplace:seller_balance"))
    assert len(response.context["page_obj"].object_list) == rows


# ---------------------------------------------------------------- reconciliation


@pytest.fixture
def clean_books(settings, shopper, address, store_a, store_b, product_a, product_b, admin_a, admin_b):
    settings.MARKETPLACE_PLATFORM_FEE_PERCENT = "2.5"
    complete(gateway_order(shopper, product_a, address=address), admin_a, shopper)
    gateway_order(shopper, product_b, address=address, quantity=2)
    refunded = gateway_order(shopper, product_a, address=address)
    orders.order_request_refund(order=refunded, buyer=shopper, reason="Rusak")
    orders.order_refund(order=refunded, actor=admin_a)
    (transfer,) = place(shopper, [(product_a, 1)], address=address)
    seller_confirm_payment(order=transfer, actor=admin_a)
    payout_request(store=store_a, actor=admin_a, amount=60000, password=DEFAULT_PASSWORD, request_key=_key())


def test_the_reconciliation_finds_nothing_on_clean_books_and_is_idempotent(clean_books):
    run = reconciliation.reconciliation_run()
    assert run.finding_count == 0 and list(run.checks) == [
        "check_store_totals",
        "check_orders",
        "check_payouts",
        "check_gateway_settlement",
    ]
    again = reconciliation.reconciliation_run()
    assert again.pk == run.pk and ReconciliationRun.objects.count() == 1 and not ReconciliationFinding.objects.exists()


def test_the_reconciliation_finds_a_row_written_past_the_services(clean_books, store_a):
    # a credit nobody's order caused, written straight into the table
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO marketplace_balanceentry (store_id, kind, pending, available, in_payout, paid_out, refunded,"
            " note, created_at) VALUES (%s, 'sale', 0, 25000, 0, 0, 0, '', CURRENT_TIMESTAMP)",
            [store_a.pk],
        )
    run = reconciliation.reconciliation_run()
    (finding,) = run.findings.all()
    assert (finding.kind, finding.store_id, finding.difference) == (reconciliation.STORE_TOTAL, store_a.pk, 25000)
    assert finding.check_name == "store_totals"
    # nothing was corrected: the row is still there, and the next run finds it again
    assert BalanceEntry.objects.filter(available=25000, order=None).exists()
    assert reconciliation.reconciliation_run().finding_count == 1


def test_the_reconciliation_finds_an_order_whose_total_changed(clean_books, store_b):
    order = Order.objects.get(store=store_b)
    Order.objects.filter(pk=order.pk).update(subtotal=order.subtotal + 1000, total=order.total + 1000)
    run = reconciliation.reconciliation_run()
    found = {(f.check_name, f.kind) for f in run.findings.all()}
    assert found == {("store_totals", "store_total"), ("orders", "wrong_credit")}
    wrong = run.findings.get(kind="wrong_credit")
    assert (wrong.order_id, wrong.expected - wrong.actual) == (order.pk, 1000)


def test_the_reconciliation_finds_an_order_whose_money_is_in_the_wrong_bucket(clean_books, store_b):
    order = Order.objects.get(store=store_b)
    Order.objects.filter(pk=order.pk).update(status=S.COMPLETED)  # completed without the release movement
    run = reconciliation.reconciliation_run()
    assert sorted(run.findings.values_list("kind", "detail")) == [
        ("order_state", f"{order.number} completed: available"),
        ("order_state", f"{order.number} completed: pending"),
    ]


def _gateway_checkout_yesterday(shopper, address, product_a, product_b, *, webhook=True):
    """A two-store checkout paid by one VA, its collection and payment moved to yesterday (WIB)."""
    from datetime import timedelta

    from django.utils import timezone

    from marketplace.models import CheckoutPayment, SandboxCollection
    from marketplace.payments.sandbox import sandbox_collect, sandbox_receive
    from marketplace.payments.services import checkout_payment_of

    stores = {product_a.store_id: ("shipping", "gateway"), product_b.store_id: ("shipping", "gateway")}
    first, _second = place(
        shopper, [(product_a, 1), (product_b, 2)], address=address, choices=stores, payment_method="gateway"
    )
    payment = checkout_payment_of(first)
    if webhook:
        assert sandbox_receive(checkout_payment=payment) == "paid"
    else:
        sandbox_collect(checkout_payment=payment)  # the gateway took the money; its callback never reached us
    yesterday = timezone.now() - timedelta(days=1)
    SandboxCollection.objects.filter(provider_transaction_id=payment.provider_transaction_id).update(
        collected_at=yesterday
    )
    CheckoutPayment.objects.filter(pk=payment.pk).filter(paid_at__isnull=False).update(paid_at=yesterday)
    payment.refresh_from_db()
    return payment


def test_the_gateway_settlement_of_the_day_before_matches_what_its_payments_credited(
    shopper, address, product_a, product_b
):
    payment = _gateway_checkout_yesterday(shopper, address, product_a, product_b)
    assert payment.amount == sum(BalanceEntry.objects.filter(kind=K.SALE).values_list("pending", flat=True))
    run = reconciliation.reconciliation_run()
    assert run.finding_count == 0


def test_the_reconciliation_finds_money_the_gateway_collected_but_nobody_credited(
    shopper, address, product_a, product_b
):
    payment = _gateway_checkout_yesterday(shopper, address, product_a, product_b, webhook=False)
    run = reconciliation.reconciliation_run()
    (finding,) = run.findings.filter(check_name="gateway_settlement")
    assert (finding.kind, finding.expected, finding.actual) == (reconciliation.GATEWAY_CREDIT, payment.amount, 0)
    assert finding.detail.startswith(payment.provider_transaction_id)


def test_the_reconciliation_finds_a_paid_checkout_missing_from_the_settlement_file(
    shopper, address, product_a, product_b
):
    from marketplace.models import SandboxCollection

    payment = _gateway_checkout_yesterday(shopper, address, product_a, product_b)
    SandboxCollection.objects.filter(provider_transaction_id=payment.provider_transaction_id).delete()
    run = reconciliation.reconciliation_run()
    (finding,) = run.findings.filter(check_name="gateway_settlement")
    assert (finding.kind, finding.expected, finding.actual) == (reconciliation.GATEWAY_UNSETTLED, 0, payment.amount)


def test_the_reconciliation_is_a_list_of_checks_another_can_join(clean_books, store_a):
    def check_settlement(run):
        return [ReconciliationFinding(kind="settlement", store=store_a, expected=1, actual=2, detail="file")]

    run = reconciliation.reconciliation_run(checks=[*reconciliation.CHECKS, check_settlement])
    assert list(run.findings.values_list("check_name", "kind")) == [("settlement", "settlement")]


def test_the_daily_task_is_scheduled_and_runs_the_reconciliation(settings, clean_books):
    from marketplace.balance.tasks import balance_reconcile

    assert settings.CELERY_BEAT_SCHEDULE["marketplace-balance-reconcile"]["task"] == "marketplace.balance_reconcile"
    assert balance_reconcile.delay().get() == 0
    assert ReconciliationRun.objects.count() == 1


@pytest.mark.parametrize(
    ("raw", "ok"),
    [
        ("", True),
        ("2.5", True),
        ("0", True),
        ("100", True),
        ("abc", False),
        ("-1", False),
        ("101", False),
        ("NaN", False),
    ],
)
def test_the_fee_setting_is_checked_when_the_settings_load(monkeypatch, raw, ok):
    from django.core.exceptions import ImproperlyConfigured

    from opop.settings.env import env_percent

    monkeypatch.setenv("MARKETPLACE_PLATFORM_FEE_PERCENT", raw)
    if ok:
        assert env_percent("MARKETPLACE_PLATFORM_FEE_PERCENT", "0") == (raw or "0")
    else:
        with pytest.raises(ImproperlyConfigured):
            env_percent("MARKETPLACE_PLATFORM_FEE_PERCENT", "0")


def test_the_statement_csv_has_the_bom_and_one_audit_event(client, admin_a, history, store_a):
    client.force_login(admin_a)
    # The ledger is append-only and holds no names: the order number stands in for the round trip.
    rows = assert_csv_export(
        client.get(reverse("marketplace:seller_balance"), {"format": "csv"}),
        action="marketplace.balance_statement.exported",
        actor=admin_a,
        contains=history.number,
    )
    assert rows[-1][2] == history.number
