"""Reads of Samsat OPOP, scoped to the acting user, with a fixed number of queries per page."""

from datetime import date

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery, Sum

from opop.figures import next_month
from opop.models import Membership, Organisation
from opop.permissions import access_for, scope_queryset
from pesantren.samsat.models import DayClose, Outlet, Payment, PaymentOutcome, PaymentState, Reversal

Role = Membership.Role
COUNTER_ROLES = (Role.CASHIER, Role.SUPERVISOR, Role.OWNER)
SUPERVISOR_ROLES = (Role.SUPERVISOR, Role.OWNER)
# Who may read an outlet's history and daily reports: its own people, and Diskop staff by region.
REPORT_ROLES = (Role.CASHIER, Role.SUPERVISOR, Role.OWNER, Role.STAFF)
OUTLET_REGION = "organisation__kabupaten_kota"


def counter_outlets(*, user) -> QuerySet[Outlet]:
    """Outlets where `user` works the counter (cashier, supervisor or owner of the koppontren)."""
    qs = Outlet.objects.filter(is_active=True, takes_samsat_payments=True).select_related(
        "organisation__kabupaten_kota"
    )
    return scope_queryset(qs, user, organisation_field="organisation", region_field=None, roles=COUNTER_ROLES)


def staff_outlets(*, user) -> QuerySet[Outlet]:
    """Outlets Diskop staff manage (register, edit, flag): all, or their region's."""
    qs = Outlet.objects.select_related("organisation__kabupaten_kota")
    return scope_queryset(qs, user, organisation_field=None, region_field=OUTLET_REGION)


def staff_outlet_search(qs: QuerySet[Outlet], *, kabupaten_kota=None, query: str = "") -> QuerySet[Outlet]:
    """The staff list's filters: a regency/city, and words in the code, the outlet's or the pesantren's name."""
    if kabupaten_kota:
        qs = qs.filter(organisation__kabupaten_kota=kabupaten_kota)
    if query:
        qs = qs.filter(Q(code__icontains=query) | Q(name__icontains=query) | Q(organisation__name__icontains=query))
    return qs.order_by("organisation__kabupaten_kota_id", "name", "id")


def registrable_organisations(*, user) -> QuerySet[Organisation]:
    qs = Organisation.objects.filter(kind=Organisation.Kind.PESANTREN, is_active=True).select_related("kabupaten_kota")
    return scope_queryset(qs, user, organisation_field=None, region_field="kabupaten_kota")


def payments_with_state(qs: QuerySet[Payment]) -> QuerySet[Payment]:
    """Annotate the derived state (latest outcome, reversal) and the biller's reference."""
    outcomes = PaymentOutcome.objects.filter(payment=OuterRef("pk")).order_by("-created_at", "-id")
    return qs.annotate(
        latest_status=Subquery(outcomes.values("status")[:1]),
        biller_ref=Subquery(outcomes.filter(status=PaymentOutcome.Status.CONFIRMED).values("biller_ref")[:1]),
        is_reversed=Exists(Reversal.objects.filter(payment=OuterRef("pk"))),
    )


def payment_list(*, outlet: Outlet, day: date | None = None) -> QuerySet[Payment]:
    qs = Payment.objects.filter(outlet=outlet).select_related("outlet", "cashier", "bill")
    if day is not None:
        qs = qs.filter(business_day=day)
    return payments_with_state(qs)


def counter_payments(*, user) -> QuerySet[Payment]:
    """Payments at outlets where `user` works the counter; a foreign id is not among them."""
    qs = Payment.objects.select_related("outlet__organisation__kabupaten_kota", "bill", "cashier")
    return payments_with_state(
        scope_queryset(qs, user, organisation_field="outlet__organisation", region_field=None, roles=COUNTER_ROLES)
    )


def report_payments(*, user) -> QuerySet[Payment]:
    qs = Payment.objects.select_related("outlet__organisation__kabupaten_kota", "bill", "cashier")
    return payments_with_state(
        scope_queryset(
            qs,
            user,
            organisation_field="outlet__organisation",
            region_field="outlet__organisation__kabupaten_kota",
            roles=REPORT_ROLES,
        )
    )


def day_close_list(*, outlet: Outlet) -> QuerySet[DayClose]:
    return DayClose.objects.filter(outlet=outlet).select_related("closed_by")


def day_summaries(*, outlet: Outlet, limit: int = 31) -> list[dict]:
    """Per business day: payments, confirmed total, and the close if any. Two queries."""
    rows = list(
        payments_with_state(Payment.objects.filter(outlet=outlet))
        .values("business_day")
        .annotate(
            count=Count("id"),
            confirmed=Count("id", filter=Q(latest_status=PaymentState.CONFIRMED, is_reversed=False)),
            amount=Sum("total", filter=Q(latest_status=PaymentState.CONFIRMED, is_reversed=False)),
        )
        .order_by("-business_day")[:limit]
    )
    closes = {
        c.business_day: c
        for c in day_close_list(outlet=outlet).filter(business_day__in=[r["business_day"] for r in rows])
    }
    for row in rows:
        row["close"] = closes.get(row["business_day"])
        row["amount"] = row["amount"] or 0
    return rows


def month_bounds(month: date) -> tuple[date, date]:
    """The first day of `month` and of the month after it: a business-day range the (outlet, day) index serves."""
    start = month.replace(day=1)
    return start, next_month(start)


def confirmed_in_month(*, outlets: QuerySet[Outlet] | list[int], month: date) -> QuerySet[Payment]:
    """Confirmed, not reversed payments of `outlets` (already scoped) with a business day in `month`."""
    start, end = month_bounds(month)
    qs = Payment.objects.filter(outlet__in=outlets, business_day__gte=start, business_day__lt=end)
    return payments_with_state(qs).filter(latest_status=PaymentState.CONFIRMED, is_reversed=False)


def outlet_month_figures(*, outlet_ids: list[int], month: date) -> dict[int, dict]:
    """Per outlet of a page: its confirmed payments and their amount in `month`. One grouped query."""
    rows = (
        confirmed_in_month(outlets=outlet_ids, month=month)
        .values("outlet_id")
        .annotate(count=Count("id"), amount=Sum("total"))
        .order_by()
    )
    return {row["outlet_id"]: {"count": row["count"], "amount": row["amount"] or 0} for row in rows}


def month_totals(*, outlets: QuerySet[Outlet], month: date) -> dict:
    """Confirmed payments and their amount in `month` over every outlet of the (filtered) list. One query."""
    totals = confirmed_in_month(outlets=outlets.order_by().values("pk"), month=month).aggregate(
        count=Count("id"), amount=Sum("total")
    )
    return {"count": totals["count"], "amount": totals["amount"] or 0}


def public_outlets(*, kabupaten_kota: str | None = None) -> QuerySet[Outlet]:
    qs = Outlet.objects.filter(is_active=True, organisation__is_active=True).select_related(
        "organisation__kabupaten_kota"
    )
    if kabupaten_kota:
        qs = qs.filter(organisation__kabupaten_kota_id=kabupaten_kota)
    return qs.order_by("organisation__kabupaten_kota_id", "name")


def payment_by_verification(*, code: str) -> Payment | None:
    return (
        payments_with_state(Payment.objects.select_related("outlet__organisation__kabupaten_kota", "bill"))
        .filter(verification_code=code)
        .first()
    )


def is_supervisor(*, user, outlet: Outlet) -> bool:
    return outlet.organisation_id in access_for(user).organisation_ids(roles=SUPERVISOR_ROLES)
