from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from opop.services import DomainError
from santri import services
from santri.models import Registration
from santri.tests.factories import SantriFactory

pytestmark = pytest.mark.django_db


def _event(user, **overrides):
    today = timezone.localdate()
    fields = {
        "kind": "camp",
        "title": "Santri OPOP Camp 2026",
        "starts_on": today,
        "ends_on": today + timedelta(days=2),
        "place": "Wisma Diklat, Batu",
        "kabupaten_kota_id": "35.17",
        "organiser": "Diskop UKM Jatim",
        "quota": 2,
        **overrides,
    }
    invited = fields.pop("invited_pesantren", ())
    return services.event_create(user=user, invited_pesantren=invited, **fields)


def test_quota_is_enforced(pes_a, admin_a, province_staff):
    event = _event(province_staff, quota=2)
    s1, s2, s3 = SantriFactory.create_batch(3, pesantren=pes_a)
    services.registration_create(user=admin_a, event=event, santri=s1)
    services.registration_create(user=admin_a, event=event, santri=s2)
    with pytest.raises(DomainError, match="full"):
        services.registration_create(user=admin_a, event=event, santri=s3)
    with pytest.raises(DomainError, match="already registered"):
        services.registration_create(user=admin_a, event=event, santri=s1)


def test_invitation_only_events_refuse_other_pesantren(pes_a, pes_b, admin_b, province_staff):
    event = _event(province_staff, invited_pesantren=[pes_a])
    with pytest.raises(DomainError, match="invitation"):
        services.registration_create(user=admin_b, event=event, santri=SantriFactory(pesantren=pes_b))


def test_an_admin_registers_only_their_own_santri(pes_a, pes_b, admin_b, province_staff):
    event = _event(province_staff)
    with pytest.raises(PermissionDenied):
        services.registration_create(user=admin_b, event=event, santri=SantriFactory(pesantren=pes_a))


def test_regional_staff_create_events_only_in_their_region(jombang_staff):
    _event(jombang_staff, kabupaten_kota_id="35.17")
    with pytest.raises(PermissionDenied):
        _event(jombang_staff, kabupaten_kota_id="35.78")


def test_attendance_gives_a_certificate_and_a_track_event_makes_santripreneurs(client, pes_a, admin_a, province_staff):
    event = _event(province_staff, kind="training_centre", completes_track=True, quota=5)
    santri = SantriFactory(pesantren=pes_a)
    registration = services.registration_create(user=admin_a, event=event, santri=santri)
    client.force_login(admin_a)
    assert client.get(reverse("santri:certificate", args=[registration.pk])).status_code == 302
    with pytest.raises(PermissionDenied):
        services.attendance_mark(user=admin_a, registration=registration, attended=True)
    services.attendance_mark(user=province_staff, registration=registration, attended=True)
    santri.refresh_from_db()
    assert santri.track_completed_on == event.ends_on and santri.santripreneur_since == event.ends_on
    response = client.get(reverse("santri:certificate", args=[registration.pk]))
    assert response.status_code == 200 and santri.name in response.content.decode()


def test_event_pages_render_and_foreign_registrations_answer_404(
    client, pes_a, pes_b, admin_a, admin_b, province_staff
):
    event = _event(province_staff, invited_pesantren=[pes_a])
    registration = services.registration_create(user=admin_a, event=event, santri=SantriFactory(pesantren=pes_a))
    client.force_login(admin_b)
    assert client.get(reverse("santri:event_detail", args=[event.pk])).status_code == 404
    assert client.get(reverse("santri:certificate", args=[registration.pk])).status_code == 404
    assert client.post(reverse("santri:registration_cancel", args=[registration.pk])).status_code == 404
    for user in (admin_a, province_staff):
        client.force_login(user)
        assert client.get(reverse("santri:event_list")).status_code == 200
        assert client.get(reverse("santri:event_detail", args=[event.pk])).status_code == 200
    assert client.get(reverse("santri:event_create")).status_code == 200


def test_admin_registers_through_the_page(client, pes_a, admin_a, province_staff):
    event = _event(province_staff)
    santri = SantriFactory(pesantren=pes_a)
    client.force_login(admin_a)
    response = client.post(reverse("santri:event_detail", args=[event.pk]), {"santri": santri.pk})
    assert response.status_code == 302
    assert Registration.objects.filter(event=event, santri=santri).exists()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row-level races need PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_two_admins_cannot_both_take_the_last_place(pesantren_a, pesantren_b, province_staff):
    import threading

    from django.db import close_old_connections

    from opop.tests.factories import MembershipFactory
    from pesantren.tests.factories import PesantrenFactory

    admins, santri = [], []
    for org in (pesantren_a, pesantren_b):
        admins.append(MembershipFactory(organisation=org, role="owner").user)
        santri.append(SantriFactory(pesantren=PesantrenFactory(organisation=org)))
    event = _event(province_staff, quota=1, starts_on=date.today(), ends_on=date.today())
    barrier = threading.Barrier(2)
    outcomes = []

    def register(i):
        try:
            barrier.wait()
            services.registration_create(user=admins[i], event=event, santri=santri[i])
            outcomes.append("ok")
        except DomainError:
            outcomes.append("full")
        finally:
            close_old_connections()

    threads = [threading.Thread(target=register, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["full", "ok"]
    assert Registration.objects.filter(event=event).count() == 1
