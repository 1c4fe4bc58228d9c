"""A pesantren admin opens an OPOP Mart store for a santri business: the business gets its own organisation,
supervised by the pesantren, with the admin as owner; then the store-opening form."""

import pytest
from django.db import connection  # noqa: F401 (read by the skipif condition)
from django.urls import reverse

from opop.models import AuditEvent, Membership, Organisation
from opop.organisations import organisation_standing
from santri.models import SantriBusiness
from santri.services import santri_business_organisation_open
from santri.tests.factories import SantriFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def business(pes_a):
    santri = SantriFactory(pesantren=pes_a)
    business = SantriBusiness.objects.create(
        pesantren=pes_a, name="Kopi Santri Peterongan", sector="kuliner", started_on="2024-01-01"
    )
    business.members.set([santri])
    return business


def test_the_button_gives_the_business_its_organisation_and_opens_the_form(client, business, admin_a, pes_a):
    client.force_login(admin_a)
    page = client.get(reverse("santri:business_list", args=[pes_a.pk]))
    assert reverse("santri:business_store_open", args=[business.pk]) in page.content.decode()
    response = client.post(reverse("santri:business_store_open", args=[business.pk]))
    business.refresh_from_db()
    organisation = business.organisation
    assert response.status_code == 302
    assert response["Location"] == reverse("marketplace:seller_open", args=[organisation.slug])
    assert organisation.kind == Organisation.Kind.SANTRI_BUSINESS and organisation.parent == pes_a.organisation
    assert organisation.kabupaten_kota_id == pes_a.kabupaten_kota_id and organisation.name == business.name
    assert Membership.objects.get(organisation=organisation).user == admin_a
    assert organisation_standing(organisation).verified
    assert client.get(response["Location"]).status_code == 200
    assert AuditEvent.objects.filter(action="santri.business_organisation_opened").count() == 1


def test_opening_twice_keeps_one_organisation(business, admin_a):
    first = santri_business_organisation_open(user=admin_a, business=business)
    second = santri_business_organisation_open(user=admin_a, business=business)
    assert first == second
    assert Organisation.objects.filter(kind=Organisation.Kind.SANTRI_BUSINESS).count() == 1


def test_only_the_pesantren_admin_opens_it(client, business, admin_b, province_staff):
    client.force_login(admin_b)
    assert client.post(reverse("santri:business_store_open", args=[business.pk])).status_code == 404
    client.force_login(province_staff)
    assert client.post(reverse("santri:business_store_open", args=[business.pk])).status_code == 403
    business.refresh_from_db()
    assert business.organisation is None


@pytest.mark.postgres
@pytest.mark.skipif("connection.vendor != 'postgresql'", reason="concurrent requests need PostgreSQL's row locks")
def test_two_clicks_at_once_make_one_organisation(transactional_db, admin_a):
    from importlib import import_module

    from django.apps import apps

    from opop.tests.concurrency import run_together
    from pesantren.tests.factories import PesantrenFactory

    import_module("opop.migrations.0002_kabupaten_kota_data").load(apps, None)
    pes = PesantrenFactory(organisation=admin_a.memberships.get().organisation, nspp="510035170009")
    santri = SantriFactory(pesantren=pes)
    business = SantriBusiness.objects.create(
        pesantren=pes, name="Kopi Santri", sector="kuliner", started_on="2024-01-01"
    )
    business.members.set([santri])
    results = run_together(4, lambda i: santri_business_organisation_open(user=admin_a, business=business).pk)
    assert not [r for r in results if isinstance(r, Exception)], results
    assert len(set(results)) == 1
    assert Organisation.objects.filter(kind=Organisation.Kind.SANTRI_BUSINESS).count() == 1
