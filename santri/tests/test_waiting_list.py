"""Full events, the waiting list that moves up on a cancellation, editing events, OPOP Expo booths."""

from datetime import date, timedelta

import pytest
from django.core import mail
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from opop.services import DomainError
from santri import services
from santri.models import ExpoBooth, Registration, WaitingListEntry
from santri.tests.factories import SantriFactory
from santri.tests.test_activities import _event

pytestmark = pytest.mark.django_db
PASSWORD = "kopi-santri-2026!"


@pytest.fixture(autouse=True)
def _english_pages(client):
    """Pages are Indonesian-first; these tests read them in English (the msgids)."""
    client.cookies["django_language"] = "en"


def _linked(admin, santri):
    _inv, code = services.santri_invite(user=admin, santri=santri, method="code")
    user = services.invitation_accept(secret=code, method="code", password=PASSWORD)
    santri.refresh_from_db()
    return user


def test_a_full_event_shows_full_and_the_waiting_list_button_instead_of_the_form(
    client, pes_a, admin_a, province_staff
):
    event = _event(province_staff, quota=1)
    first, second = SantriFactory.create_batch(2, pesantren=pes_a)
    client.force_login(admin_a)
    html = client.get(reverse("santri:event_detail", args=[event.pk])).content.decode()
    assert "Register a santri" in html and "Join the waiting list" not in html
    services.registration_create(user=admin_a, event=event, santri=first)
    response = client.get(reverse("santri:event_detail", args=[event.pk]))
    html = response.content.decode()
    assert response.context["full"] and "Full" in html
    assert "Register a santri" not in html and "Join the waiting list" in html
    # Posting the form of a full event puts the santri on the waiting list, never a 500 or a registration.
    client.post(reverse("santri:event_detail", args=[event.pk]), {"santri": second.pk})
    assert WaitingListEntry.objects.filter(event=event, santri=second).exists()
    assert Registration.objects.filter(event=event).count() == 1
    own = SantriFactory(pesantren=pes_a)
    client.force_login(_linked(admin_a, own))
    html = client.get(reverse("santri:event_detail", args=[event.pk])).content.decode()
    assert "Register me" not in html and "Join the waiting list" in html


def test_the_waiting_list_moves_up_in_order_on_cancel_and_tells_the_promoted(
    pes_a, admin_a, province_staff, django_capture_on_commit_callbacks
):
    event = _event(province_staff, quota=1)
    holder, w1, w2 = SantriFactory.create_batch(3, pesantren=pes_a)
    services.registration_create(user=admin_a, event=event, santri=holder)
    with pytest.raises(DomainError, match="full"):
        services.registration_create(user=admin_a, event=event, santri=w1)
    e1 = services.waiting_list_join(user=admin_a, event=event, santri=w1)
    user2 = _linked(admin_a, w2)
    e2 = services.waiting_list_join(user=user2, event=event, santri=w2)
    assert (services.waiting_position(e1), services.waiting_position(e2)) == (1, 2)
    with pytest.raises(DomainError, match="already on the waiting list"):
        services.waiting_list_join(user=admin_a, event=event, santri=w1)
    with django_capture_on_commit_callbacks(execute=True):
        promoted = services.registration_cancel(user=admin_a, registration=holder.registrations.get())
    assert [r.santri for r in promoted] == [w1]
    assert set(Registration.objects.filter(event=event).values_list("santri", flat=True)) == {w1.pk}
    assert list(WaitingListEntry.objects.filter(event=event).values_list("santri", flat=True)) == [w2.pk]
    assert services.waiting_position(WaitingListEntry.objects.get(santri=w2)) == 1
    assert admin_a.email in mail.outbox[-1].to and "moved up" in mail.outbox[-1].body
    # The santri who cancels themselves frees the place for the next one.
    with django_capture_on_commit_callbacks(execute=True):
        services.registration_cancel(user=admin_a, registration=w1.registrations.get())
    assert Registration.objects.get(event=event).santri == w2
    assert not WaitingListEntry.objects.filter(event=event).exists()


def test_an_event_with_places_refuses_the_waiting_list(pes_a, admin_a, province_staff):
    event = _event(province_staff, quota=3)
    with pytest.raises(DomainError, match="still places"):
        services.waiting_list_join(user=admin_a, event=event, santri=SantriFactory(pesantren=pes_a))


# --- editing events ----------------------------------------------------------------------------------


def test_staff_edit_an_event_with_validation_and_a_raised_quota_moves_the_list_up(
    client, pes_a, admin_a, province_staff
):
    event = _event(province_staff, quota=2)
    a, b, c = SantriFactory.create_batch(3, pesantren=pes_a)
    services.registration_create(user=admin_a, event=event, santri=a)
    services.registration_create(user=admin_a, event=event, santri=b)
    services.waiting_list_join(user=admin_a, event=event, santri=c)
    client.force_login(province_staff)
    url = reverse("santri:event_edit", args=[event.pk])
    form = client.get(url).context["form"]
    data = {k: v for k, v in form.initial.items() if v is not None and k != "invited_pesantren"}
    data.update(quota=1, title="Camp baru")
    response = client.post(url, data)
    assert response.status_code == 200 and "quota cannot be lower" in response.content.decode()
    data.update(ends_on=(event.starts_on - timedelta(days=1)).isoformat(), quota=2)
    assert client.post(url, data).status_code == 200
    data.update(ends_on=event.ends_on.isoformat(), quota=3)
    assert client.post(url, data).status_code == 302
    event.refresh_from_db()
    assert (event.title, event.quota) == ("Camp baru", 3)
    assert Registration.objects.filter(event=event, santri=c).exists()


def test_only_the_staff_who_manage_an_event_edit_it(client, pes_a, admin_a, jombang_staff, province_staff):
    surabaya = _event(province_staff, kabupaten_kota_id="35.78")
    jombang = _event(jombang_staff, kabupaten_kota_id="35.17")
    client.force_login(jombang_staff)
    assert client.get(reverse("santri:event_edit", args=[surabaya.pk])).status_code == 404
    assert client.get(reverse("santri:event_edit", args=[jombang.pk])).status_code == 200
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.event_update(user=jombang_staff, event=jombang, kabupaten_kota_id="35.78")
    client.force_login(admin_a)
    assert client.get(reverse("santri:event_edit", args=[jombang.pk])).status_code == 403


# --- OPOP Expo booths -------------------------------------------------------------------------------


def test_expo_booths_are_zoned_by_product_category_and_the_floor_list_prints(
    client, pes_a, pes_b, admin_a, admin_b, province_staff
):
    from pesantren.tests.factories import PesantrenFactory
    from santri.models import SantriBusiness

    expo = _event(province_staff, kind="expo", quota=20, kabupaten_kota_id="35.78")
    from opop.tests.factories import MembershipFactory

    pes_c = PesantrenFactory(name="PP Al Amin", nspp="510035170003")
    admin_c = MembershipFactory(organisation=pes_c.organisation, role="owner").user
    sectors = {pes_a: "fashion", pes_b: "food", pes_c: "food"}
    for pes, sector in sectors.items():
        santri = SantriFactory(pesantren=pes)
        business = SantriBusiness.objects.create(
            pesantren=pes, name=f"Usaha {pes.pk}", sector=sector, started_on=date(2025, 1, 1)
        )
        business.members.add(santri)
        admin = {pes_a: admin_a, pes_b: admin_b, pes_c: admin_c}[pes]
        services.registration_create(user=admin, event=expo, santri=santri)
    booths = services.expo_booths_assign(user=province_staff, event=expo)
    codes = {b.pesantren.name: (b.code, b.category) for b in booths}
    # Food comes before fashion in the catalogue's order: zone A food (by name), zone B fashion.
    assert codes == {
        "PP Al Amin": ("A-01", "food"),
        "PP Sidogiri": ("A-02", "food"),
        "PP Darul Ulum": ("B-01", "fashion"),
    }
    services.expo_booths_assign(user=province_staff, event=expo)  # again: re-planned, not duplicated
    assert ExpoBooth.objects.filter(event=expo).count() == 3
    client.force_login(province_staff)
    response = client.get(reverse("santri:event_booths", args=[expo.pk]), {"print": "1"})
    html = response.content.decode()
    assert response.status_code == 200 and "santri_print" in html and html.index("A-01") < html.index("B-01")
    client.force_login(admin_a)
    assert client.get(reverse("santri:event_booths", args=[expo.pk])).status_code == 403
    camp = _event(province_staff)
    with pytest.raises(DomainError):
        services.expo_booths_assign(user=province_staff, event=camp)


# --- concurrency (PostgreSQL) -------------------------------------------------------------------------


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row-level races need PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_two_cancellations_at_once_promote_each_waiting_santri_once(pesantren_a, province_staff):
    import threading

    from django.db import close_old_connections

    from opop.tests.factories import MembershipFactory
    from pesantren.tests.factories import PesantrenFactory

    admin = MembershipFactory(organisation=pesantren_a, role="owner").user
    pes = PesantrenFactory(organisation=pesantren_a)
    event = _event(province_staff, quota=2, starts_on=date.today(), ends_on=date.today())
    holders = SantriFactory.create_batch(2, pesantren=pes)
    waiting = SantriFactory.create_batch(3, pesantren=pes)
    registrations = [services.registration_create(user=admin, event=event, santri=s) for s in holders]
    for s in waiting:
        services.waiting_list_join(user=admin, event=event, santri=s)
    barrier = threading.Barrier(2)
    errors = []

    def cancel(i):
        try:
            barrier.wait()
            services.registration_cancel(user=admin, registration=registrations[i])
        except Exception as exc:
            errors.append(exc)
        finally:
            close_old_connections()

    threads = [threading.Thread(target=cancel, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert set(Registration.objects.filter(event=event).values_list("santri", flat=True)) == {
        waiting[0].pk,
        waiting[1].pk,
    }
    assert list(WaitingListEntry.objects.filter(event=event).values_list("santri", flat=True)) == [waiting[2].pk]


# --- query counts --------------------------------------------------------------------------------------


def test_santri_home_and_activity_list_cost_the_same_queries_for_one_row_and_fifty(
    client, pes_a, admin_a, province_staff
):
    from opop.tests.budgets import assert_budgets, measure

    santri = SantriFactory(pesantren=pes_a)
    user = _linked(admin_a, santri)
    today = timezone.localdate()

    def rows(count, start=0):
        for n in range(start, start + count):
            event = _event(
                province_staff, title=f"Camp {n}", quota=1, starts_on=today, ends_on=today + timedelta(days=1)
            )
            if n % 2:
                services.registration_create(user=admin_a, event=event, santri=santri)
            else:
                services.registration_create(user=admin_a, event=event, santri=SantriFactory(pesantren=pes_a))
                services.waiting_list_join(user=admin_a, event=event, santri=santri)

    pages = {"santri home": (reverse("santri:me"), None), "activities": (reverse("santri:event_list"), None)}
    rows(2)
    client.force_login(user)
    small = measure(client, pages)
    rows(48, start=2)
    assert_budgets(small, measure(client, pages), {"santri home": 20, "activities": 15})
