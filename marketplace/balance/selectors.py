"""Reads of the balance pages: a store's statement with its running balance, its payouts, the finance queue and
the reconciliation's findings. Each costs a fixed number of queries whatever the number of rows."""

from django.core.paginator import Page, Paginator
from django.db.models import Count, F, QuerySet, Sum

from marketplace.models import BalanceEntry, Payout, ReconciliationFinding, ReconciliationRun, Store
from opop.permissions import access_for, is_programme_finance

STATEMENT_PAGE = 30
PAYOUT_PAGE = 30
HELD = F("pending") + F("available") + F("in_payout")


def statement(store: Store) -> QuerySet:
    """The store's movements, newest first, with the order or payout each belongs to."""
    return (
        BalanceEntry.objects.filter(store=store)
        .select_related("order", "payout")
        .order_by("-id")
        .only(
            "id",
            "kind",
            "pending",
            "available",
            "in_payout",
            "paid_out",
            "refunded",
            "note",
            "created_at",
            "store_id",
            "order__number",
            "payout__id",
        )
    )


def with_running_balance(store: Store, rows: list[BalanceEntry]) -> list[BalanceEntry]:
    """Set `balance` on each row (newest first): what the platform held for the store after that movement.
    One query, for everything older than the oldest row shown."""
    if not rows:
        return rows
    oldest = min(row.pk for row in rows)
    running = BalanceEntry.objects.filter(store=store, pk__lt=oldest).aggregate(held=Sum(HELD))["held"] or 0
    for row in sorted(rows, key=lambda r: r.pk):
        running += row.held
        row.balance = running
    return rows


def statement_page(store: Store, number) -> Page:
    page = Paginator(statement(store), STATEMENT_PAGE).get_page(number)
    page.object_list = with_running_balance(store, list(page.object_list))
    return page


def statement_rows(store: Store) -> list[BalanceEntry]:
    """The whole statement for the CSV, newest first, running balance set."""
    return with_running_balance(store, list(statement(store)))


def store_payouts(store: Store) -> QuerySet:
    return Payout.objects.filter(store=store).select_related("requested_by").order_by("-created_at", "-id")


def store_payout_or_none(store: Store, pk) -> Payout | None:
    return store_payouts(store).filter(pk=pk).first()


def finance_payouts(user) -> QuerySet:
    """The payouts finance staff decide on; staff scoped to a kabupaten/kota see that region's stores only."""
    if not is_programme_finance(user=user):
        return Payout.objects.none()
    payouts = Payout.objects.select_related("store__organisation__kabupaten_kota", "requested_by")
    access = access_for(user)
    if not access.superuser and access.region is not None:
        payouts = payouts.filter(store__organisation__kabupaten_kota_id=access.region)
    return payouts.order_by("created_at", "id")


def finance_counts(payouts: QuerySet) -> dict[str, int]:
    return dict(payouts.order_by().values_list("status").annotate(n=Count("id")))


def reconciliation_runs() -> QuerySet:
    return ReconciliationRun.objects.order_by("-day")


def findings_of(run: ReconciliationRun, user) -> QuerySet:
    findings = ReconciliationFinding.objects.filter(run=run).select_related("store", "order", "payout")
    access = access_for(user)
    if not access.superuser and access.region is not None:
        findings = findings.filter(store__organisation__kabupaten_kota_id=access.region)
    return findings.order_by("store__name", "id")
