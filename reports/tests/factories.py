"""Facts for rollup tests: verified pesantren with reports, status changes, mart orders."""

import uuid
from datetime import datetime
from zoneinfo import ZoneInfo

from marketplace.models import Order
from marketplace.tests.factories import ProductFactory, StoreFactory
from opop.tests.factories import OrganisationFactory, UserFactory
from pesantren.models import Pesantren, StatusChange
from pesantren.tests.factories import BusinessUnitFactory, MonthlyReportFactory, PesantrenFactory

WIB = ZoneInfo("Asia/Jakarta")

__all__ = ["WIB", "BusinessUnitFactory", "MonthlyReportFactory", "ProductFactory"]


def pesantren_in(kode: str, cohort: int, name: str, *, joined: datetime | None = None) -> Pesantren:
    """A verified pesantren in `kode`, with the status change that made it verified at `joined`."""
    organisation = OrganisationFactory(name=name, kabupaten_kota_id=kode)
    pesantren = PesantrenFactory(organisation=organisation, name=name, cohort=cohort)
    change = StatusChange.objects.create(
        pesantren=pesantren, from_status=Pesantren.Status.SUBMITTED, to_status=Pesantren.Status.VERIFIED
    )
    StatusChange.objects.filter(pk=change.pk).update(created_at=joined or datetime(cohort, 3, 1, 10, tzinfo=WIB))
    return pesantren


def verified_report(pesantren: Pesantren, month, **figures):
    return MonthlyReportFactory(pesantren=pesantren, month=month, status="verified", **figures)


def paid_order(store, *, subtotal: int, paid_at: datetime, status: str = Order.Status.COMPLETED) -> Order:
    return Order.objects.create(
        number=f"OPOP-{uuid.uuid4().hex[:10]}",
        checkout_group=uuid.uuid4(),
        buyer=UserFactory(),
        store=store,
        status=status,
        payment_method=Order.PaymentMethod.BANK_TRANSFER,
        delivery=Order.Delivery.PICKUP,
        subtotal=subtotal,
        shipping_cost=0,
        total=subtotal,
        paid_at=paid_at,
    )


def store_of(pesantren: Pesantren):
    return StoreFactory(organisation=pesantren.organisation)
