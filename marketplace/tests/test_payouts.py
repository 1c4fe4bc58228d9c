"""Payouts: the owner withdraws available balance (password, minimum, part or all), finance staff approve or
reject, export the bank file and mark each transferred or failed; who may do which; two requests racing for one
balance on PostgreSQL; every money POST safe to submit twice; query counts of the lists pinned."""

import csv
import io
import uuid

import pytest
from django.core import mail
from django.db import connection  # noqa: F401 - read by the skipif condition
from django.urls import reverse

from marketplace.balance import services
from marketplace.balance.ledger import store_balance
from marketplace.models import BalanceEntry, Payout
from marketplace.tests.balance_helpers import DEFAULT_PASSWORD, buckets, complete, gateway_order
from marketplace.tests.factories import ProductFactory, StoreFactory
from opop.models import AuditEvent
from opop.services import DomainError
from opop.tests.concurrency import run_together
from opop.tests.exports import NON_ASCII, assert_csv_export
from opop.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db
P = Payout.Status
K = BalanceEntry.Kind


@pytest.fixture
def finance(diskop):
    return MembershipFactory(organisation=diskop, role="finance", user__email="keuangan@opop.test").user


@pytest.fixture
def available(shopper, address, store_a, product_a, admin_a):
    """Store A with Rp160.000 available (one completed gateway order of 120.000 + 40.000 shipping)."""
    order = complete(gateway_order(shopper, product_a, address=address), admin_a, shopper)
    assert store_balance(store=store_a).available == order.total == 160000
    return order.total


def ask(store, actor, amount, key=None, password=DEFAULT_PASSWORD):
    return services.payout_request(
        store=store, actor=actor, amount=amount, password=password, request_key=key or uuid.uuid4()
    )


# ---------------------------------------------------------------- requesting


def test_the_owner_withdraws_part_of_the_available_balance(
    available, store_a, admin_a, finance, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        payout = ask(store_a, admin_a, 60000)
    assert [m.to for m in mail.outbox] == [["keuangan@opop.test"]]  # finance staff hear of it
    assert payout.status == P.REQUESTED and payout.amount == 60000
    assert (payout.bank_name, payout.bank_account_number, payout.bank_account_name) == (
        "Bank Jatim Syariah",
        "0123456789",
        "Koppontren",
    )
    assert buckets(store_a) == (0, 100000, 60000, 0, 0)
    assert AuditEvent.objects.filter(action="marketplace.payout_requested", target_id=str(payout.pk)).exists()
    # the account changing later does not redirect the payout
    store_a.bank_account_number = "999"
    store_a.save()
    payout.refresh_from_db()
    assert payout.bank_account_number == "0123456789"


def test_the_whole_balance_can_be_withdrawn_but_not_a_rupiah_more(available, store_a, admin_a):
    with pytest.raises(DomainError, match=r"Only Rp160\.000 of the balance is available"):
        ask(store_a, admin_a, 160001)
    ask(store_a, admin_a, 160000)
    assert buckets(store_a) == (0, 0, 160000, 0, 0)
    with pytest.raises(DomainError, match="Only Rp0"):
        ask(store_a, admin_a, 50000)


def test_a_payout_needs_the_password(available, store_a, admin_a):
    with pytest.raises(DomainError, match="password is not correct"):
        ask(store_a, admin_a, 60000, password="salah")
    with pytest.raises(DomainError, match="password is not correct"):
        ask(store_a, admin_a, 60000, password="")
    assert not Payout.objects.exists()


def test_a_payout_under_the_minimum_is_refused(settings, available, store_a, admin_a):
    with pytest.raises(DomainError, match=r"smallest payout is Rp50\.000"):
        ask(store_a, admin_a, 49999)
    settings.MARKETPLACE_PAYOUT_MINIMUM = 10000
    assert ask(store_a, admin_a, 10000).amount == 10000


def test_pending_money_cannot_be_withdrawn(shopper, address, store_a, product_a, admin_a):
    gateway_order(shopper, product_a, address=address)
    with pytest.raises(DomainError, match="Only Rp0"):
        ask(store_a, admin_a, 50000)


def test_staff_of_the_store_and_strangers_cannot_request(available, store_a, pesantren_a, admin_b, finance):
    staff = MembershipFactory(organisation=pesantren_a, role="staff").user
    for actor in (staff, admin_b, finance):
        with pytest.raises(DomainError, match="Only an owner"):
            ask(store_a, actor, 60000)
    assert not Payout.objects.exists()


def test_a_store_without_a_bank_account_cannot_withdraw(available, store_a, admin_a):
    store_a.bank_account_number = ""
    store_a.save()
    with pytest.raises(DomainError, match="bank account"):
        ask(store_a, admin_a, 60000)


def test_the_same_request_form_twice_makes_one_payout(available, store_a, admin_a):
    key = uuid.uuid4()
    first = ask(store_a, admin_a, 60000, key=key)
    assert ask(store_a, admin_a, 60000, key=key) == first
    assert Payout.objects.count() == 1 and buckets(store_a) == (0, 100000, 60000, 0, 0)


# ---------------------------------------------------------------- finance decisions


def test_approved_then_transferred_the_money_is_paid_out(
    available, store_a, admin_a, finance, django_capture_on_commit_callbacks
):
    payout = ask(store_a, admin_a, 60000)
    services.payout_approve(payout=payout, actor=finance)
    assert buckets(store_a) == (0, 100000, 60000, 0, 0)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.payout_mark_transferred(payout=payout, actor=finance, bank_reference="BJS-2026-000123")
    payout.refresh_from_db()
    assert payout.status == P.TRANSFERRED and payout.bank_reference == "BJS-2026-000123"
    assert buckets(store_a) == (0, 100000, 0, 60000, 0)
    actions = set(
        AuditEvent.objects.filter(target_type="marketplace.payout", target_id=str(payout.pk)).values_list(
            "action", flat=True
        )
    )
    assert actions == {"marketplace.payout_requested", "marketplace.payout_approved", "marketplace.payout_transferred"}
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["admin.a@opop.test"]
    assert "BJS-2026-000123" in mail.outbox[0].body


def test_a_failed_transfer_returns_the_amount_to_available(available, store_a, admin_a, finance):
    payout = ask(store_a, admin_a, 60000)
    services.payout_approve(payout=payout, actor=finance)
    with pytest.raises(DomainError, match="why the transfer failed"):
        services.payout_mark_failed(payout=payout, actor=finance, reason=" ")
    services.payout_mark_failed(payout=payout, actor=finance, reason="Rekening tidak aktif")
    assert buckets(store_a) == (0, 160000, 0, 0, 0)
    assert Payout.objects.get(pk=payout.pk).reason == "Rekening tidak aktif"


def test_a_rejected_request_returns_the_amount_to_available(available, store_a, admin_a, finance):
    payout = ask(store_a, admin_a, 60000)
    with pytest.raises(DomainError, match="why the payout is rejected"):
        services.payout_reject(payout=payout, actor=finance, reason="")
    services.payout_reject(payout=payout, actor=finance, reason="Nama rekening tidak cocok")
    assert buckets(store_a) == (0, 160000, 0, 0, 0)
    assert list(payout.balance_entries.values_list("kind", flat=True).order_by("id")) == [
        K.PAYOUT_REQUEST,
        K.PAYOUT_RETURN,
    ]


def test_the_payout_state_machine_refuses_every_other_move(available, store_a, admin_a, finance):
    payout = ask(store_a, admin_a, 60000)
    with pytest.raises(DomainError, match="Only an approved payout can be marked transferred"):
        services.payout_mark_transferred(payout=payout, actor=finance, bank_reference="X")
    with pytest.raises(DomainError, match="Only an approved payout can fail"):
        services.payout_mark_failed(payout=payout, actor=finance, reason="X")
    services.payout_approve(payout=payout, actor=finance)
    with pytest.raises(DomainError, match="Only a requested payout can be rejected"):
        services.payout_reject(payout=payout, actor=finance, reason="X")
    services.payout_mark_transferred(payout=payout, actor=finance, bank_reference="R1")
    with pytest.raises(DomainError, match="Only a requested payout can be approved"):
        services.payout_approve(payout=payout, actor=finance)
    with pytest.raises(DomainError):
        services.payout_mark_transferred(payout=payout, actor=finance, bank_reference="R2")
    with pytest.raises(DomainError):
        services.payout_mark_failed(payout=payout, actor=finance, reason="X")


def test_every_finance_decision_twice_changes_nothing(available, store_a, admin_a, finance):
    approved = ask(store_a, admin_a, 50000)
    for _ in range(2):
        services.payout_approve(payout=approved, actor=finance)
    for _ in range(2):
        services.payout_mark_transferred(payout=approved, actor=finance, bank_reference="R1")
    rejected = ask(store_a, admin_a, 50000)
    for _ in range(2):
        services.payout_reject(payout=rejected, actor=finance, reason="Tidak cocok")
    failed = ask(store_a, admin_a, 50000)
    services.payout_approve(payout=failed, actor=finance)
    for _ in range(2):
        services.payout_mark_failed(payout=failed, actor=finance, reason="Ditolak bank")
    assert buckets(store_a) == (0, 110000, 0, 50000, 0)
    assert BalanceEntry.objects.filter(payout__isnull=False).count() == 6
    assert AuditEvent.objects.filter(action="marketplace.payout_approved").count() == 2


def test_only_finance_staff_decide(available, store_a, admin_a, province_staff, superuser):
    payout = ask(store_a, admin_a, 60000)
    for actor in (admin_a, province_staff):
        with pytest.raises(DomainError, match="Only platform finance staff"):
            services.payout_approve(payout=payout, actor=actor)
    services.payout_approve(payout=payout, actor=superuser)


# ---------------------------------------------------------------- pages and who sees them


def _post_request(client, **data):
    return client.post(
        reverse("marketplace:seller_payout_request"),
        {"password": DEFAULT_PASSWORD, "request_key": str(uuid.uuid4()), **data},
    )


def test_the_owner_requests_through_the_page_and_a_double_click_makes_one_payout(client, available, admin_a):
    client.force_login(admin_a)
    key = str(uuid.uuid4())
    first = _post_request(client, amount="70000", request_key=key)
    second = _post_request(client, amount="70000", request_key=key)
    payout = Payout.objects.get()
    assert first.status_code == second.status_code == 302
    assert first.url == second.url == reverse("marketplace:seller_payout_detail", args=[payout.pk])
    assert client.get(first.url).status_code == 200


def test_an_empty_amount_withdraws_everything_and_a_wrong_password_answers_400(client, available, admin_a, store_a):
    client.force_login(admin_a)
    assert _post_request(client, password="salah").status_code == 400
    assert not Payout.objects.exists()
    assert _post_request(client).status_code == 302
    assert Payout.objects.get().amount == 160000


def test_another_stores_payout_is_404(client, available, store_a, admin_a, admin_b, store_b):
    payout = ask(store_a, admin_a, 60000)
    client.force_login(admin_b)
    assert client.get(reverse("marketplace:seller_payout_detail", args=[payout.pk])).status_code == 404
    assert client.get(reverse("marketplace:seller_choose_store", args=[store_a.pk])).status_code == 404
    assert client.get(reverse("marketplace:seller_balance")).context["store"] == store_b


@pytest.mark.parametrize("who", ["admin_a", "province_staff", "shopper"])
def test_finance_pages_are_403_for_everyone_else(who, request, client, available):
    client.force_login(request.getfixturevalue(who))
    for name in ("finance_payouts", "finance_payouts_csv", "finance_findings"):
        assert client.get(reverse(f"marketplace:{name}")).status_code == 403
    assert client.post(reverse("marketplace:finance_payout_action", args=[1, "approve"])).status_code == 403


def test_finance_nav_entry_only_for_finance(client, finance, province_staff):
    queue = reverse("marketplace:finance_payouts")
    client.force_login(finance)
    assert queue in [item.url for item in client.get("/").context["nav_items"]]
    client.force_login(province_staff)
    assert queue not in [item.url for item in client.get("/").context["nav_items"]]


def test_finance_walks_a_payout_through_the_queue(client, available, store_a, admin_a, finance):
    payout = ask(store_a, admin_a, 60000)
    client.force_login(finance)
    queue = client.get(reverse("marketplace:finance_payouts"))
    assert queue.status_code == 200 and list(queue.context["page_obj"].object_list) == [payout]
    url = reverse("marketplace:finance_payout_action", args=[payout.pk, "approve"])
    assert client.post(url).status_code == client.post(url).status_code == 302  # a double click
    url = reverse("marketplace:finance_payout_action", args=[payout.pk, "transferred"])
    for _ in range(2):
        client.post(url, {"bank_reference": "BJS-77"})
    payout.refresh_from_db()
    assert payout.status == P.TRANSFERRED and buckets(store_a) == (0, 100000, 0, 60000, 0)
    assert BalanceEntry.objects.filter(payout=payout).count() == 2
    assert client.post(reverse("marketplace:finance_payout_action", args=[payout.pk, "explode"])).status_code == 404
    assert client.post(reverse("marketplace:finance_payout_action", args=[99999, "approve"])).status_code == 404


def test_finance_scoped_to_a_region_sees_only_its_stores(client, available, store_a, admin_a, diskop):
    payout = ask(store_a, admin_a, 60000)  # store A is in Jombang (35.17)
    sidoarjo = MembershipFactory(organisation=diskop, role="finance", region_id="35.15").user
    client.force_login(sidoarjo)
    assert list(client.get(reverse("marketplace:finance_payouts")).context["page_obj"].object_list) == []
    url = reverse("marketplace:finance_payout_action", args=[payout.pk, "approve"])
    assert client.post(url).status_code == 404


def test_the_bank_file_lists_the_approved_payouts(client, available, store_a, admin_a, finance):
    approved = ask(store_a, admin_a, 60000)
    services.payout_approve(payout=approved, actor=finance)
    ask(store_a, admin_a, 50000)  # still requested: not in the file
    client.force_login(finance)
    response = client.get(reverse("marketplace:finance_payouts_csv"))
    body = response.content.decode("utf-8")
    assert body.startswith("\ufeff") and response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(body.removeprefix("\ufeff"))))
    header, *lines = rows  # the header is in the page's language
    assert len(header) == 6
    assert lines == [
        ["0123456789", "Koppontren", "Bank Jatim Syariah", "60000", f"{approved.reference} {store_a.name}", ""]
    ]
    event = AuditEvent.objects.get(action="marketplace.payouts.exported")
    assert event.data["rows"] == 1 and event.data["filters"]["payouts"] == str(approved.pk)


def test_the_findings_page_lists_the_reconciliation(client, available, store_a, finance):
    from marketplace.balance.reconciliation import reconciliation_run

    BalanceEntry.objects.create(store=store_a, kind=K.SALE, pending=1234)  # a credit no order caused
    reconciliation_run()
    client.force_login(finance)
    response = client.get(reverse("marketplace:finance_findings"))
    assert response.status_code == 200
    (finding,) = response.context["page_obj"].object_list
    assert finding.kind == "store_total" and finding.difference == 1234


# ---------------------------------------------------------------- query budgets


def _payouts(store, owner, n):
    for _ in range(n):
        payout = Payout.objects.create(
            store=store,
            amount=50000,
            request_key=uuid.uuid4(),
            bank_name="Bank Jatim Syariah",
            bank_account_number="1",
            bank_account_name="K",
            requested_by=owner,
        )
        BalanceEntry.objects.create(store=store, payout=payout, kind=K.PAYOUT_REQUEST, available=-1, in_payout=1)


@pytest.mark.parametrize("rows", [1, 30])
def test_payout_history_and_finance_queue_cost_the_same_for_1_or_30_rows(
    rows, client, admin_a, store_a, finance, django_assert_num_queries
):
    other = StoreFactory()
    _payouts(store_a, admin_a, rows)
    _payouts(other, admin_a, rows)
    client.force_login(admin_a)
    client.get(reverse("marketplace:seller_payout_list"))
    with django_assert_num_queries(5):
        response = client.get(reverse("marketplace:seller_payout_list"))
    assert len(response.context["page_obj"].object_list) == rows
    client.force_login(finance)
    client.get(reverse("marketplace:finance_payouts"))
    with django_assert_num_queries(5):
        response = client.get(reverse("marketplace:finance_payouts"))
    assert len(response.context["page_obj"].object_list) == min(2 * rows, 30)


# ---------------------------------------------------------------- the race


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif("connection.vendor != 'postgresql'", reason="row-level races need PostgreSQL")
def test_two_payout_requests_at_once_never_overdraw_the_balance(shopper, address, store_a, admin_a):
    product = ProductFactory(store=store_a, price=110000, stock=10)
    complete(gateway_order(shopper, product, address=address), admin_a, shopper)  # 110.000 + 40.000 shipping
    assert store_balance(store=store_a).available == 150000

    results = run_together(2, lambda i: ask(store_a, admin_a, 100000))
    won = [r for r in results if isinstance(r, Payout)]
    lost = [r for r in results if isinstance(r, DomainError)]
    assert len(won) == 1 and len(lost) == 1, results
    assert "Only Rp50.000" in str(lost[0])
    assert buckets(store_a) == (0, 50000, 100000, 0, 0)

    # the same form submitted twice at the same moment: one payout
    key = uuid.uuid4()
    results = run_together(2, lambda i: ask(store_a, admin_a, 50000, key=key))
    assert all(isinstance(r, Payout) for r in results), results
    assert results[0].pk == results[1].pk and Payout.objects.count() == 2
    assert buckets(store_a) == (0, 0, 150000, 0, 0)


def test_the_bank_file_keeps_a_formula_looking_name_as_text(client, available, store_a, admin_a, finance):
    store_a.bank_account_name = '=HYPERLINK("http://x.test","Koppontren")'
    store_a.save()
    services.payout_approve(payout=ask(store_a, admin_a, 60000), actor=finance)
    client.force_login(finance)
    body = client.get(reverse("marketplace:finance_payouts_csv")).content.decode("utf-8").removeprefix("\ufeff")
    (_header, line) = list(csv.reader(io.StringIO(body)))
    assert line[1] == "'" + store_a.bank_account_name and line[3] == "60000"


def test_the_bank_file_has_the_bom_a_non_ascii_name_and_one_audit_event(client, available, store_a, admin_a, finance):
    store_a.name = f"Toko {NON_ASCII}"
    store_a.save(update_fields=["name"])
    services.payout_approve(payout=ask(store_a, admin_a, 60000), actor=finance)
    client.force_login(finance)
    rows = assert_csv_export(
        client.get(reverse("marketplace:finance_payouts_csv")), action="marketplace.payouts.exported", actor=finance
    )
    assert rows[1][4].endswith(f"Toko {NON_ASCII}")
