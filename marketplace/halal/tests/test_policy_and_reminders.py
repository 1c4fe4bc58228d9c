from datetime import date

import pytest
from django.core import mail
from django.utils import translation

from marketplace.halal import services
from marketplace.halal.models import Reminder, SelfDeclarePolicy
from marketplace.halal.policy import policy_in_force, self_declare_reasons
from marketplace.halal.reminders import reminders_send
from marketplace.halal.tasks import send_reminders
from marketplace.halal.tests.factories import CaseFactory, CertificateFactory
from marketplace.tests.factories import CategoryFactory, ProductFactory


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


# --- self-declare policy data ----------------------------------------------------------------------


def test_the_data_migration_loads_the_policy_in_force_since_2021(db):
    policy = policy_in_force(on=date(2026, 11, 24))
    assert policy.effective_from == date(2021, 2, 2) and policy.max_annual_turnover == 500_000_000
    assert policy_in_force(on=date(2021, 2, 1)) is None


def test_the_policy_in_force_is_the_latest_effective_on_or_before_the_day(db):
    SelfDeclarePolicy.objects.create(effective_from=date(2027, 1, 1), max_annual_turnover=2_000_000_000)
    assert policy_in_force(on=date(2026, 12, 31)).max_annual_turnover == 500_000_000
    assert policy_in_force(on=date(2027, 1, 1)).max_annual_turnover == 2_000_000_000
    assert policy_in_force(on=date(2030, 6, 1)).max_annual_turnover == 2_000_000_000


def test_a_turnover_within_a_new_limit_becomes_eligible_on_its_effective_date(pesantren_a):
    SelfDeclarePolicy.objects.create(effective_from=date(2027, 1, 1), max_annual_turnover=2_000_000_000)
    case = CaseFactory(organisation=pesantren_a, annual_turnover=1_000_000_000)
    assert "above the self-declare limit" in self_declare_reasons(case=case, on=date(2026, 12, 31))[0]
    assert self_declare_reasons(case=case, on=date(2027, 1, 1)) == []


def test_eligibility_gives_every_reason(pesantren_a):
    case = CaseFactory(
        organisation=pesantren_a,
        annual_turnover=600_000_000,
        production_sites=2,
        sells_goods=False,
        uses_risky_materials=True,
    )
    reasons = self_declare_reasons(case=case, on=date(2026, 11, 24))
    assert len(reasons) == 4
    assert "Rp600.000.000" in reasons[0] and "Rp500.000.000" in reasons[0]
    assert "production site" in reasons[1] and "not services" in reasons[2] and "reguler" in reasons[3]
    case.annual_turnover, case.production_sites, case.sells_goods, case.uses_risky_materials = (
        500_000_000,
        1,
        True,
        False,
    )
    assert self_declare_reasons(case=case, on=date(2026, 11, 24)) == []


def test_without_a_policy_in_force_nobody_is_eligible(pesantren_a):
    assert self_declare_reasons(case=CaseFactory(organisation=pesantren_a), on=date(2020, 1, 1)) == [
        "No self-declare policy is in force on this date."
    ]


# --- reminders ------------------------------------------------------------------------------------


def test_expiry_reminders_go_once_at_90_and_once_at_30_days(pesantren_a, admin_a, django_capture_on_commit_callbacks):
    cert = CertificateFactory(organisation=pesantren_a, expires_on=date(2027, 2, 1))
    with django_capture_on_commit_callbacks(execute=True):
        assert reminders_send(today=date(2026, 10, 1))["expiry"] == 0  # 123 days left
        assert reminders_send(today=date(2026, 11, 5))["expiry"] == 1  # 88 days
        assert reminders_send(today=date(2026, 11, 6))["expiry"] == 0
        assert reminders_send(today=date(2027, 1, 2))["expiry"] == 1  # 30 days
        assert reminders_send(today=date(2027, 1, 3))["expiry"] == 0
    assert [m.to for m in mail.outbox] == [[admin_a.email], [admin_a.email]]
    assert "88 days" in mail.outbox[0].subject and "30 days" in mail.outbox[1].subject
    assert set(Reminder.objects.filter(certificate=cert).values_list("kind", flat=True)) == {"expiry_90", "expiry_30"}


def test_a_late_first_run_sends_only_the_30_day_reminder(pesantren_a, admin_a, django_capture_on_commit_callbacks):
    CertificateFactory(organisation=pesantren_a, expires_on=date(2026, 12, 10))
    with django_capture_on_commit_callbacks(execute=True):
        reminders_send(today=date(2026, 11, 24))
        reminders_send(today=date(2026, 11, 25))
    assert len(mail.outbox) == 1


def test_no_reminder_for_a_certificate_without_expiry_or_revoked(
    pesantren_a, admin_a, django_capture_on_commit_callbacks
):
    CertificateFactory(organisation=pesantren_a)
    CertificateFactory(organisation=pesantren_a, expires_on=date(2026, 12, 1), revoked=True)
    with django_capture_on_commit_callbacks(execute=True):
        assert reminders_send(today=date(2026, 11, 24))["expiry"] == 0
    assert not mail.outbox


def test_obligation_reminder_lists_uncertified_food_products_once(
    pesantren_a, admin_a, product_a, food, django_capture_on_commit_callbacks
):
    certified = ProductFactory(store=product_a.store, category=food, name="Sambal Bawang")
    CertificateFactory(organisation=pesantren_a, products=[certified])
    ProductFactory(store=product_a.store, category=CategoryFactory(slug="kerajinan"), name="Tikar Pandan")
    with django_capture_on_commit_callbacks(execute=True):
        assert send_reminders.delay().get()["obligation"] == 1
        assert send_reminders.delay().get()["obligation"] == 0
    assert len(mail.outbox) == 1
    body = mail.outbox[0].body
    assert "Keripik Tempe" in body and "Sambal Bawang" not in body and "Tikar Pandan" not in body
    # a new uncertified product later gets its own reminder
    ProductFactory(store=product_a.store, category=food, name="Kerupuk Samiler")
    with django_capture_on_commit_callbacks(execute=True):
        assert reminders_send()["obligation"] == 1
    assert "Kerupuk Samiler" in mail.outbox[1].body and "Keripik Tempe" not in mail.outbox[1].body


def test_revoking_a_certificate_hides_the_halal_number(pesantren_a, admin_a, product_a):
    cert = services.certificate_record(
        actor=admin_a,
        number="ID35170000111110922",
        organisation=pesantren_a,
        products=[product_a],
        issued_on=date(2026, 1, 5),
    )
    product_a.refresh_from_db()
    assert product_a.halal_certificate_number == cert.number
    services.certificate_revoke(actor=admin_a, certificate=cert, reason="Komposisi berubah: ganti pemasok minyak")
    product_a.refresh_from_db()
    assert product_a.halal_certificate_number == "" and not product_a.is_halal


def test_the_periodic_run_takes_the_badge_off_when_the_certificate_expires(pesantren_a, admin_a, product_a):
    services.certificate_record(
        actor=admin_a,
        number="ID35170000222220922",
        organisation=pesantren_a,
        products=[product_a],
        issued_on=date(2022, 1, 5),
        expires_on=date(2026, 12, 31),
    )
    assert reminders_send(today=date(2026, 12, 31))["badges_cleared"] == 0
    product_a.refresh_from_db()
    assert product_a.is_halal
    assert reminders_send(today=date(2027, 1, 1))["badges_cleared"] == 1
    product_a.refresh_from_db()
    assert not product_a.is_halal
    assert reminders_send(today=date(2027, 1, 2))["badges_cleared"] == 0
