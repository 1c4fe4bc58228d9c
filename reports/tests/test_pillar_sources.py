"""Santripreneur and sosiopreneur figures: hand-computed counts and omzet, incremental equal to full."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from alumni.models import AlumniBusiness, AlumniReport, Alumnus
from alumni.services import business_create
from opop.models import DirtyFigureKey, KabupatenKota
from opop.tests.factories import UserFactory
from reports.models import FigureRollup
from reports.services import rollup_full, rollup_incremental
from reports.tests.factories import pesantren_in
from santri.tests.factories import SantriFactory

pytestmark = pytest.mark.django_db
WIB = ZoneInfo("Asia/Jakarta")


def row(month, kode, pillar, cohort):
    return FigureRollup.objects.get(month=month, kabupaten_kota_id=kode, pillar=pillar, cohort=cohort)


@pytest.fixture
def pillar_facts():
    darul = pesantren_in("35.17", 2021, "PP Darul Ulum", joined=datetime(2021, 3, 5, 9, tzinfo=WIB))
    SantriFactory(pesantren=darul, santripreneur_since=date(2024, 2, 3))
    SantriFactory(pesantren=darul, santripreneur_since=date(2024, 2, 27))
    SantriFactory(pesantren=darul, santripreneur_since=date(2024, 3, 1))
    SantriFactory(pesantren=darul)  # not a santripreneur
    founder = UserFactory(email="alumni.rollup@opop.test")
    Alumnus.objects.create(user=founder, pesantren=darul, graduation_year=2015, status=Alumnus.Status.VERIFIED)
    business = business_create(
        user=founder,
        name="Konveksi Alumni Surabaya",
        sector="fashion",
        kabupaten_kota=KabupatenKota.objects.get(kode="35.78"),
        workers=4,
    )
    AlumniBusiness.objects.filter(pk=business.pk).update(created_at=datetime(2024, 2, 10, 9, tzinfo=WIB))
    for month, omzet, status in [
        (date(2024, 2, 1), 12_000_000, AlumniReport.Status.VERIFIED),
        (date(2024, 3, 1), 15_000_000, AlumniReport.Status.VERIFIED),
        (date(2024, 4, 1), 99_000_000, AlumniReport.Status.SUBMITTED),  # not verified: does not count
    ]:
        AlumniReport.objects.create(business=business, month=month, omzet=omzet, workers=4, status=status)
    return {"darul": darul, "business": business}


def test_santripreneurs_count_in_the_month_they_started_by_cohort(pillar_facts):
    rollup_full()
    assert row(date(2024, 2, 1), "35.17", "santripreneur", 2021).participants == 2
    assert row(date(2024, 3, 1), "35.17", "santripreneur", 2021).participants == 1


def test_alumni_businesses_and_their_verified_omzet_are_sosiopreneur_figures(pillar_facts):
    rollup_full()
    february = row(date(2024, 2, 1), "35.78", "sosiopreneur", None)
    assert (february.participants, february.omzet) == (1, 12_000_000)
    assert row(date(2024, 3, 1), "35.78", "sosiopreneur", None).omzet == 15_000_000
    assert not FigureRollup.objects.filter(month=date(2024, 4, 1), pillar="sosiopreneur").exists()


def test_registering_an_alumni_business_marks_its_month_and_the_incremental_job_agrees_with_full(pillar_facts):
    assert DirtyFigureKey.objects.filter(kabupaten_kota_id="35.78", month=timezone.localdate().replace(day=1)).exists()
    rollup_full()
    full = sorted(FigureRollup.objects.values_list("month", "kabupaten_kota_id", "pillar", "cohort", "participants"))
    DirtyFigureKey.objects.bulk_create(
        [DirtyFigureKey(month=date(2024, 2, 1), kabupaten_kota_id=k) for k in ("35.17", "35.78")]
    )
    FigureRollup.objects.filter(pillar__in=["santripreneur", "sosiopreneur"], month=date(2024, 2, 1)).delete()
    rollup_incremental()
    again = sorted(FigureRollup.objects.values_list("month", "kabupaten_kota_id", "pillar", "cohort", "participants"))
    assert again == full


def test_halal_certificates_count_in_their_issue_month_until_withdrawn(pesantren_a, admin_a, jombang_staff):
    from marketplace.halal import services as halal
    from marketplace.halal.models import CaseStatus
    from marketplace.halal.tests.factories import CaseFactory
    from marketplace.tests.factories import ProductFactory, StoreFactory

    product = ProductFactory(store=StoreFactory(organisation=pesantren_a))
    case = CaseFactory(organisation=pesantren_a, products=[product], status=CaseStatus.FATWA)
    halal.case_transition(
        actor=jombang_staff,
        case=case,
        action="issue",
        certificate={"number": "ID35170000777770922", "issued_on": date(2026, 11, 2)},
    )
    rollup_full()
    assert row(date(2026, 11, 1), "35.17", "pesantrenpreneur", None).halal_certificates == 1
    halal.case_transition(actor=admin_a, case=case, action="reopen", note="Ganti pemasok tepung")
    assert DirtyFigureKey.objects.filter(month=date(2026, 11, 1), kabupaten_kota_id="35.17").exists()
    rollup_incremental()
    assert not FigureRollup.objects.filter(halal_certificates__gt=0).exists()


def test_bilateral_trade_is_what_was_bought_on_behalf_of_a_pesantren_counted_apart_within_mart_sales():
    from marketplace.models import Order
    from reports.tests.factories import paid_order, store_of

    darul = pesantren_in("35.17", 2021, "PP Darul Ulum", joined=datetime(2021, 3, 5, 9, tzinfo=WIB))
    buyer = pesantren_in("35.28", 2022, "PP Garam Madura", joined=datetime(2022, 3, 5, 9, tzinfo=WIB))
    store = store_of(darul)
    paid_order(store, subtotal=60_000, paid_at=datetime(2024, 1, 10, 9, tzinfo=WIB))
    trade = paid_order(store, subtotal=40_000, paid_at=datetime(2024, 1, 11, 9, tzinfo=WIB))
    Order.objects.filter(pk=trade.pk).update(buyer_organisation=buyer.organisation)
    rollup_full()
    january = row(date(2024, 1, 1), "35.17", "pesantrenpreneur", 2021)
    assert (january.mart_orders, january.mart_sales, january.mart_p2p_sales) == (2, 100_000, 40_000)
