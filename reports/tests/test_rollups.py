"""Rollup correctness against hand-computed figures; incremental == full; idempotency; dirty keys."""

import logging
from datetime import date, datetime, timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from marketplace.models import Order
from opop.figures import figures_mark_dirty
from opop.models import DirtyFigureKey
from pesantren.models import MonthlyReport, Pesantren
from pesantren.services import reports as report_services
from reports.models import FIGURE_FIELDS, FigureRollup, PesantrenMonthRollup
from reports.services import rollup_check, rollup_differences, rollup_drain, rollup_full, rollup_incremental
from reports.tests.factories import (
    WIB,
    BusinessUnitFactory,
    ProductFactory,
    paid_order,
    pesantren_in,
    store_of,
    verified_report,
)

JAN = date(2024, 1, 1)
FEB = date(2024, 2, 1)
FIGS = {"omzet": 100_000_000, "aset": 1_000_000_000, "workers_total": 10, "jobs_created": 2}


@pytest.fixture
def facts(db):
    """Three pesantren in two regions; the expected figures are worked out by hand in the tests."""
    darul = pesantren_in("35.17", 2021, "PP Darul Ulum", joined=datetime(2021, 3, 5, 9, tzinfo=WIB))
    bahrul = pesantren_in("35.17", 2022, "PP Bahrul Ulum", joined=datetime(2022, 4, 1, 9, tzinfo=WIB))
    sidogiri = pesantren_in("35.14", 2021, "PP Sidogiri", joined=datetime(2021, 3, 20, 9, tzinfo=WIB))
    verified_report(darul, JAN, **FIGS, operating_contribution=30_000_000, operating_costs=100_000_000)
    # Submitted, not yet verified: does not count.
    verified_report(darul, FEB, **FIGS, operating_contribution=1, operating_costs=2).__class__.objects.filter(
        pesantren=darul, month=FEB
    ).update(status=MonthlyReport.Status.SUBMITTED)
    verified_report(
        bahrul,
        JAN,
        omzet=50_000_000,
        aset=500_000_000,
        workers_total=5,
        jobs_created=1,
        operating_contribution=10_000_000,
        operating_costs=40_000_000,
    )
    # Bahrul also reports one unit; the whole-pesantren report already covers it.
    verified_report(
        bahrul,
        JAN,
        business_unit=BusinessUnitFactory(pesantren=bahrul),
        omzet=999,
        aset=999,
        workers_total=9,
        jobs_created=0,
        operating_contribution=0,
        operating_costs=0,
    )
    # Sidogiri reports only per unit: the units add up.
    for omzet in (20_000_000, 30_000_000):
        verified_report(
            sidogiri,
            JAN,
            business_unit=BusinessUnitFactory(pesantren=sidogiri),
            omzet=omzet,
            aset=100,
            workers_total=3,
            jobs_created=1,
            operating_contribution=0,
            operating_costs=0,
        )
    store = store_of(darul)
    paid_order(store, subtotal=150_000, paid_at=datetime(2024, 1, 31, 23, 30, tzinfo=WIB))  # still January in WIB
    paid_order(store, subtotal=50_000, paid_at=datetime(2024, 1, 10, 8, tzinfo=WIB), status=Order.Status.PAID)
    paid_order(store, subtotal=70_000, paid_at=datetime(2024, 1, 12, 8, tzinfo=WIB), status=Order.Status.REFUNDED)
    product = ProductFactory(store=store, is_flagship=True)
    type(product).objects.filter(pk=product.pk).update(created_at=datetime(2024, 1, 15, 8, tzinfo=WIB))
    ProductFactory(store=store, is_flagship=False)
    return {"darul": darul, "bahrul": bahrul, "sidogiri": sidogiri, "store": store}


def _row(month, kode, cohort, pillar="pesantrenpreneur"):
    return FigureRollup.objects.get(month=month, kabupaten_kota_id=kode, pillar=pillar, cohort=cohort)


def _snapshot():
    return sorted(
        FigureRollup.objects.values_list("month", "kabupaten_kota_id", "pillar", "cohort", *FIGURE_FIELDS)
    ), sorted(PesantrenMonthRollup.objects.values_list("month", "pesantren_id", "omzet", "aset", "reports"))


def test_full_rollup_matches_hand_computed_figures(facts):
    rollup_full()
    darul = _row(JAN, "35.17", 2021)
    assert (darul.omzet, darul.aset, darul.workers, darul.jobs_created) == (100_000_000, 1_000_000_000, 10, 2)
    assert (darul.contribution, darul.operating_costs) == (30_000_000, 100_000_000)
    assert (darul.contribution_pct_bp_sum, darul.contribution_reports, darul.reports) == (3000, 1, 1)
    # 150,000 completed + 50,000 paid; the refunded order does not count.
    assert (darul.mart_orders, darul.mart_sales, darul.mart_p2p_sales) == (2, 200_000, 0)
    assert darul.flagship_products == 1
    bahrul = _row(JAN, "35.17", 2022)
    assert (bahrul.omzet, bahrul.workers, bahrul.contribution_pct_bp_sum, bahrul.reports) == (50_000_000, 5, 2500, 1)
    sidogiri = _row(JAN, "35.14", 2021)
    assert (sidogiri.omzet, sidogiri.workers, sidogiri.jobs_created, sidogiri.reports) == (50_000_000, 6, 2, 2)
    assert not FigureRollup.objects.filter(month=FEB).exists()
    # Joins per cohort in the month of verification.
    assert _row(date(2021, 3, 1), "35.17", 2021).pesantren_verified_net == 1
    assert _row(date(2021, 3, 1), "35.14", 2021).pesantren_verified_net == 1
    assert _row(date(2022, 4, 1), "35.17", 2022).pesantren_verified_net == 1
    per_pesantren = PesantrenMonthRollup.objects.get(month=JAN, pesantren=facts["sidogiri"])
    assert (per_pesantren.omzet, per_pesantren.reports) == (50_000_000, 2)


def test_deactivation_counts_minus_one_in_its_month(facts):
    from pesantren.models import StatusChange

    change = StatusChange.objects.create(
        pesantren=facts["bahrul"], from_status=Pesantren.Status.VERIFIED, to_status=Pesantren.Status.INACTIVE
    )
    StatusChange.objects.filter(pk=change.pk).update(created_at=datetime(2024, 2, 3, tzinfo=WIB))
    rollup_full()
    assert _row(FEB, "35.17", 2022).pesantren_verified_net == -1


def test_santri_business_sales_roll_up_under_their_pillar_without_cohort(facts):
    from marketplace.tests.factories import StoreFactory, santri_org

    store = StoreFactory(organisation=santri_org(kabupaten_kota_id="35.17"))
    paid_order(store, subtotal=40_000, paid_at=datetime(2024, 1, 5, 9, tzinfo=WIB))
    rollup_full()
    row = _row(JAN, "35.17", None, pillar="santripreneur")
    assert (row.mart_orders, row.mart_sales, row.omzet) == (1, 40_000, 0)


def test_incremental_after_marking_equals_full(facts):
    for month, kode in [
        (JAN, "35.17"),
        (JAN, "35.14"),
        (date(2021, 3, 1), "35.17"),
        (date(2021, 3, 1), "35.14"),
        (date(2022, 4, 1), "35.17"),
    ]:
        figures_mark_dirty(when=month, kabupaten_kota_id=kode)
    rollup_drain()
    incremental = _snapshot()
    rollup_full()
    assert _snapshot() == incremental
    assert rollup_differences() == []


def test_running_twice_changes_nothing(facts):
    rollup_full()
    first = _snapshot()
    rollup_full()
    assert _snapshot() == first
    figures_mark_dirty(when=JAN, kabupaten_kota_id="35.17")
    rollup_drain()
    assert _snapshot() == first
    assert rollup_drain() == 0
    assert _snapshot() == first


def test_verifying_a_report_marks_its_key_and_the_job_consumes_it(facts, province_staff):
    rollup_full()
    report = MonthlyReport.objects.get(pesantren=facts["darul"], month=FEB)
    report_services.report_review(user=province_staff, report=report, verify=True)
    assert set(DirtyFigureKey.objects.values_list("month", "kabupaten_kota_id")) == {(FEB, "35.17")}
    result = rollup_incremental()
    assert result.keys == 1
    assert not DirtyFigureKey.objects.exists()
    assert _row(FEB, "35.17", 2021).omzet == 100_000_000
    # Only the dirty key was touched: January is as it was.
    assert _row(JAN, "35.17", 2021).omzet == 100_000_000


def test_correcting_a_verified_report_takes_it_out_until_verified_again(facts, province_staff):
    rollup_full()
    report = MonthlyReport.objects.get(pesantren=facts["bahrul"], business_unit=None, month=JAN)
    admin = facts["bahrul"].organisation
    from opop.tests.factories import MembershipFactory

    owner = MembershipFactory(organisation=admin, role="owner").user
    report_services.report_correct(
        user=owner,
        report=report,
        reason="Salah ketik",
        omzet=60_000_000,
        aset=500_000_000,
        workers_total=5,
        jobs_created=1,
        operating_contribution=10_000_000,
        operating_costs=40_000_000,
    )
    rollup_drain()
    # Now only the unit report counts for Bahrul in January.
    assert _row(JAN, "35.17", 2022).omzet == 999
    report_services.report_review(user=province_staff, report=report, verify=True)
    rollup_drain()
    assert _row(JAN, "35.17", 2022).omzet == 60_000_000


def test_a_key_marked_again_during_the_run_survives(facts, monkeypatch):
    figures_mark_dirty(when=JAN, kabupaten_kota_id="35.17")
    figures_mark_dirty(when=JAN, kabupaten_kota_id="35.14")
    from reports import services

    real_compute = services.compute

    def compute_while_someone_writes(keys):
        # Another write marks Jombang again while the job is computing.
        DirtyFigureKey.objects.filter(kabupaten_kota_id="35.17").update(marked_at=timezone.now() + timedelta(seconds=1))
        return real_compute(keys)

    monkeypatch.setattr(services, "compute", compute_while_someone_writes)
    rollup_incremental()
    assert list(DirtyFigureKey.objects.values_list("month", "kabupaten_kota_id")) == [(JAN, "35.17")]


def test_full_rebuild_removes_rows_of_facts_that_are_gone(facts):
    rollup_full()
    MonthlyReport.objects.filter(pesantren=facts["sidogiri"]).delete()
    figures_mark_dirty(when=JAN, kabupaten_kota_id="35.14")
    rollup_drain()
    assert not FigureRollup.objects.filter(month=JAN, kabupaten_kota_id="35.14").exists()
    assert not PesantrenMonthRollup.objects.filter(pesantren=facts["sidogiri"]).exists()


def test_nightly_check_logs_and_repairs_a_difference(facts, caplog):
    rollup_full()
    FigureRollup.objects.filter(month=JAN, kabupaten_kota_id="35.17", cohort=2021).update(omzet=1)
    with caplog.at_level(logging.WARNING, logger="reports.services"):
        assert rollup_check() == 1
    record = next(r for r in caplog.records if r.getMessage() == "reports.rollup.mismatch")
    assert record.kabupaten_kota == "35.17" and record.month == "2024-01-01" and record.table == "figures"
    assert record.full["omzet"] == 100_000_000 and record.incremental["omzet"] == 1
    assert _row(JAN, "35.17", 2021).omzet == 100_000_000
    assert rollup_check() == 0


def test_nightly_check_also_compares_the_per_pesantren_rows(facts):
    rollup_full()
    PesantrenMonthRollup.objects.filter(pesantren=facts["sidogiri"]).delete()
    assert rollup_check() == 1
    assert PesantrenMonthRollup.objects.filter(pesantren=facts["sidogiri"]).exists()


def test_nightly_check_leaves_keys_still_waiting_for_the_incremental_job_alone(facts):
    rollup_full()
    FigureRollup.objects.filter(month=JAN, kabupaten_kota_id="35.17", cohort=2021).update(omzet=1)
    figures_mark_dirty(when=JAN, kabupaten_kota_id="35.17")
    assert rollup_differences() == []


def test_rollup_command_runs_incremental_and_full(facts):
    figures_mark_dirty(when=JAN, kabupaten_kota_id="35.17")
    call_command("rollup")
    assert not DirtyFigureKey.objects.exists()
    assert FigureRollup.objects.filter(kabupaten_kota_id="35.17").exists()
    call_command("rollup", "--full")
    assert FigureRollup.objects.filter(kabupaten_kota_id="35.14").exists()


def test_tasks_have_stable_names_and_beat_runs_them():
    from django.conf import settings

    from reports import tasks

    assert tasks.rollup_incremental_task.name == "reports.rollup_incremental"
    assert tasks.rollup_check_task.name == "reports.rollup_check"
    schedule = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert {"reports.rollup_incremental", "reports.rollup_check"} <= schedule


def test_a_verified_report_reaches_the_rollup_once_the_transaction_commits(
    facts, province_staff, django_capture_on_commit_callbacks
):
    from django.db import connection

    rollup_full()
    # The fixture's writes already queued one rollup in the test's never-committed transaction.
    connection.run_on_commit.clear()
    report = MonthlyReport.objects.get(pesantren=facts["darul"], month=FEB)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        report_services.report_review(user=province_staff, report=report, verify=True)
    assert len(callbacks) >= 1
    assert _row(FEB, "35.17", 2021).omzet == 100_000_000
    assert not DirtyFigureKey.objects.exists()


def test_a_rolled_back_write_queues_nothing_and_marks_nothing(facts, province_staff):
    from django.db import transaction

    report = MonthlyReport.objects.get(pesantren=facts["darul"], month=FEB)
    with pytest.raises(RuntimeError), transaction.atomic():
        report_services.report_review(user=province_staff, report=report, verify=True)
        raise RuntimeError
    assert not DirtyFigureKey.objects.exists()


def test_pesantren_verification_marks_its_month(db, province_staff):
    from pesantren.services import registry

    pesantren = pesantren_in("35.17", 2024, "PP Baru")
    Pesantren.objects.filter(pk=pesantren.pk).update(status=Pesantren.Status.SUBMITTED)
    pesantren.refresh_from_db()
    registry.pesantren_transition(user=province_staff, pesantren=pesantren, to_status="verified", cohort=2024)
    assert DirtyFigureKey.objects.filter(kabupaten_kota_id="35.17", month=timezone.localdate().replace(day=1)).exists()
    rollup_drain()
    assert _row(timezone.localdate().replace(day=1), "35.17", 2024).pesantren_verified_net == 1


def test_demo_seed_rolls_everything_up_and_is_idempotent(facts):
    from reports import demo

    demo.seed({})
    first = _snapshot()
    demo.seed({})
    assert _snapshot() == first
    assert FigureRollup.objects.exists()


def test_a_new_source_is_one_small_class_in_the_registry(facts, monkeypatch):
    from django.db.models import Count, F

    from reports import sources
    from reports.models import Pillar

    class PretendSantripreneurSource(sources.Source):
        """Counts each verified pesantren as one santripreneur (the real SantripreneurSource counts businesses)."""

        name = "pretend_santripreneur"

        def figure_rows(self, keys):
            qs = self.restrict(
                Pesantren.objects.all(), keys, month="created_at", region="kabupaten_kota_id", moment=True
            )
            rows = qs.values(m=self.month_of("created_at"), k=F("kabupaten_kota_id")).annotate(n=Count("id"))
            for row in rows:
                if self.wanted(keys, row["m"], row["k"]):
                    key = (sources.as_month(row["m"]), row["k"], Pillar.SANTRIPRENEUR.value, None)
                    yield key, {"participants": row["n"]}

    monkeypatch.setattr(sources, "SOURCES", [*sources.SOURCES, PretendSantripreneurSource()])
    rollup_full()
    this_month = timezone.localdate().replace(day=1)
    assert _row(this_month, "35.17", None, pillar="santripreneur").participants == 2
    assert _row(this_month, "35.14", None, pillar="santripreneur").participants == 1
    figures_mark_dirty(when=this_month, kabupaten_kota_id="35.17")
    rollup_drain()
    assert _row(this_month, "35.17", None, pillar="santripreneur").participants == 2
