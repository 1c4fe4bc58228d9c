"""Activity certificates: a short SK- number with a Luhn mod 36 check character, a public check, a QR."""

import importlib
import re
from datetime import timedelta

import pytest
from django.apps import apps as django_apps
from django.urls import reverse
from django.utils import timezone

from santri import services
from santri.certificate_numbers import certificate_check_character, certificate_number_is_valid
from santri.models import Registration
from santri.tests.factories import SantriFactory

pytestmark = pytest.mark.django_db
NUMBER = re.compile(r"^SK-\d{4}-\d{4}-\d{4}-[0-9A-Z]$")


def _event(user, **overrides):
    today = timezone.localdate()
    fields = {
        "kind": "akademi",
        "title": "OPOP Akademi Pemasaran Digital",
        "starts_on": today,
        "ends_on": today + timedelta(days=1),
        "place": "Aula Diskop, Surabaya",
        "kabupaten_kota_id": "35.17",
        "quota": 10,
        **overrides,
    }
    return services.event_create(user=user, **fields)


@pytest.fixture
def attended(pes_a, admin_a, province_staff):
    event = _event(province_staff)
    siti = SantriFactory(pesantren=pes_a, name="Siti Rahmawati")
    other = SantriFactory(pesantren=pes_a)
    regs = [services.registration_create(user=admin_a, event=event, santri=s) for s in (siti, other)]
    for registration in regs:
        services.attendance_mark(user=province_staff, registration=registration, attended=True)
    return event, regs


def test_attendance_gives_a_short_number_counted_per_year_and_region(attended, pes_a):
    event, regs = attended
    prefix = f"SK-{event.starts_on.year}-{pes_a.kabupaten_kota_id.replace('.', '')}-"
    numbers = [Registration.objects.get(pk=r.pk).certificate_number for r in regs]
    assert [n[: len(prefix)] for n in numbers] == [prefix, prefix]
    assert [n[13:17] for n in numbers] == ["0001", "0002"]
    for number in numbers:
        assert NUMBER.match(number) and certificate_number_is_valid(number)
        assert number[-1] == certificate_check_character(number[:-2].replace("-", ""))


def test_the_number_is_kept_when_attendance_is_undone_and_redone(attended, province_staff):
    _, regs = attended
    number = Registration.objects.get(pk=regs[0].pk).certificate_number
    services.attendance_mark(user=province_staff, registration=regs[0], attended=False)
    services.attendance_mark(user=province_staff, registration=regs[0], attended=True)
    assert Registration.objects.get(pk=regs[0].pk).certificate_number == number
    assert Registration.objects.filter(certificate_number__isnull=False).count() == 2


def test_an_absent_santri_gets_no_number(pes_a, admin_a, province_staff):
    registration = services.registration_create(
        user=admin_a, event=_event(province_staff), santri=SantriFactory(pesantren=pes_a)
    )
    services.attendance_mark(user=province_staff, registration=registration, attended=False)
    assert Registration.objects.get(pk=registration.pk).certificate_number is None


def test_the_public_check_shows_the_short_name_activity_date_and_pesantren(client, attended, pes_a):
    event, regs = attended
    registration = Registration.objects.get(pk=regs[0].pk)
    response = client.get(reverse("santri:certificate_check", args=[registration.certificate_number]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Siti R." in html and "Siti Rahmawati" not in html
    assert event.title in html and pes_a.name in html and registration.certificate_number in html
    assert registration.santri.nik not in html
    lookup = client.get(reverse("santri:certificate_lookup"), {"nomor": registration.certificate_number.lower()})
    assert lookup.status_code == 200 and "Siti R." in lookup.content.decode()


def test_unknown_mistyped_or_undone_numbers_are_404(client, attended, province_staff):
    _, regs = attended
    number = Registration.objects.get(pk=regs[0].pk).certificate_number
    wrong = number[:-1] + ("0" if number[-1] != "0" else "1")
    body = number[:13] + "0999"
    unknown = f"{body}-{certificate_check_character(body.replace('-', ''))}"
    for bad in (wrong, unknown, "SK-2026-3517-0001", "a9f1c2e4-0000-4000-8000-000000000000"):
        assert client.get(reverse("santri:certificate_check", args=[bad])).status_code == 404, bad
    services.attendance_mark(user=province_staff, registration=regs[0], attended=False)
    assert client.get(reverse("santri:certificate_check", args=[number])).status_code == 404


def test_the_printable_certificate_carries_the_number_and_a_qr_to_the_check(client, attended, admin_a, admin_b):
    _, regs = attended
    registration = Registration.objects.get(pk=regs[0].pk)
    client.force_login(admin_a)
    response = client.get(reverse("santri:certificate", args=[registration.pk]))
    html = response.content.decode()
    check = reverse("santri:certificate_check", args=[registration.certificate_number])
    assert response.status_code == 200 and registration.certificate_number in html and check in html
    assert "<svg" in html
    client.force_login(admin_b)
    assert client.get(reverse("santri:certificate", args=[registration.pk])).status_code == 404


def test_the_old_certificate_token_is_gone_from_registrations():
    from django.core.exceptions import FieldDoesNotExist

    with pytest.raises(FieldDoesNotExist):
        Registration._meta.get_field("certificate_token")
    assert "certificate_token" not in {f.name for f in Registration._meta.get_fields()}


def test_the_data_migration_numbers_attended_registrations_without_one(attended, pes_a, admin_a, province_staff):
    event, regs = attended
    late = services.registration_create(user=admin_a, event=event, santri=SantriFactory(pesantren=pes_a))
    Registration.objects.filter(pk=late.pk).update(attended=True, attendance_marked_at=timezone.now())
    Registration.objects.filter(pk=regs[1].pk).update(certificate_number=None)
    migration = importlib.import_module("santri.migrations.0006_activity_certificates")
    migration.number_attended_registrations(django_apps, None)
    migration.number_attended_registrations(django_apps, None)  # idempotent
    numbers = dict(Registration.objects.values_list("pk", "certificate_number"))
    assert numbers[regs[0].pk].endswith(numbers[regs[0].pk][-1]) and numbers[regs[0].pk][13:17] == "0001"
    assert sorted(numbers[pk][13:17] for pk in (regs[1].pk, late.pk)) == ["0002", "0003"]
    assert all(certificate_number_is_valid(n) for n in numbers.values())
