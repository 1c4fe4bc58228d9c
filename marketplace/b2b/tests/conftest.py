"""Fixtures of the B2B tests: a salt-producing pesantren buying rice from an alumni business and a pesantren."""

from datetime import timedelta

import pytest
from django.utils import timezone

from marketplace.b2b import services
from marketplace.tests.factories import CategoryFactory, image_upload
from opop import organisations
from opop.models import KabupatenKota, Organisation
from opop.tests.factories import MembershipFactory, OrganisationFactory


@pytest.fixture(autouse=True)
def _everyone_verified(monkeypatch):
    """The pillar apps decide standing; here every organisation is verified unless a test says otherwise."""
    for kind in (Organisation.Kind.PESANTREN, Organisation.Kind.SANTRI_BUSINESS, Organisation.Kind.ALUMNI_BUSINESS):
        monkeypatch.setitem(organisations._checks, kind, lambda org: organisations.VERIFIED)


@pytest.fixture(autouse=True)
def _english_and_media(settings, tmp_path):
    from django.utils import translation

    settings.MEDIA_ROOT = tmp_path / "media"
    with translation.override("en"):
        yield


@pytest.fixture
def rice(db):
    parent = CategoryFactory(name="Pertanian & Agribisnis", slug="pertanian")
    return CategoryFactory(name="Beras", slug="beras", parent=parent)


@pytest.fixture
def salt(db):
    return CategoryFactory(name="Garam", slug="garam")


@pytest.fixture
def buyer(db):
    return OrganisationFactory(name="PP Garam Madura", slug="pp-garam-madura", kabupaten_kota_id="35.28")


@pytest.fixture
def buyer_user(buyer):
    return MembershipFactory(organisation=buyer, role="owner", user__email="bendahara@garam.test").user


@pytest.fixture
def alumni_supplier(db):
    return OrganisationFactory(
        kind=Organisation.Kind.ALUMNI_BUSINESS,
        name="Beras Alumni Jombang",
        slug="beras-alumni",
        kabupaten_kota_id="35.17",
    )


@pytest.fixture
def alumni_user(alumni_supplier):
    return MembershipFactory(organisation=alumni_supplier, role="owner", user__email="alumni@beras.test").user


@pytest.fixture
def pesantren_supplier(db):
    return OrganisationFactory(name="PP Lumbung Padi", slug="pp-lumbung-padi", kabupaten_kota_id="35.24")


@pytest.fixture
def pesantren_supplier_user(pesantren_supplier):
    return MembershipFactory(organisation=pesantren_supplier, role="staff", user__email="staf@lumbung.test").user


@pytest.fixture
def stranger(db):
    org = OrganisationFactory(name="PP Lain", slug="pp-lain", kabupaten_kota_id="35.07")
    return MembershipFactory(organisation=org, role="owner", user__email="lain@pp.test").user


def offer(org, user, category, regions=("35.28",), **overrides):
    values = {
        "actor": user,
        "organisation": org,
        "category": category,
        "product_name": "Beras Medium",
        "unit": "kg",
        "min_quantity": 100,
        "price_per_unit": 12000,
        "capacity_per_month": 10000,
        "delivery_areas": list(KabupatenKota.objects.filter(kode__in=regions)),
    }
    values.update(overrides)
    return services.supply_offer_save(**values)


@pytest.fixture
def offers(alumni_supplier, alumni_user, pesantren_supplier, pesantren_supplier_user, rice):
    return [
        offer(alumni_supplier, alumni_user, rice),
        offer(pesantren_supplier, pesantren_supplier_user, rice, regions=("35.28", "35.24"), price_per_unit=11500),
    ]


def post_rfq(buyer, user, category, *, quantity=500, closes_in=timedelta(days=3), **overrides):
    values = {
        "actor": user,
        "buyer": buyer,
        "title": "Beras untuk dapur santri",
        "items": [{"name": "Beras medium", "category": category, "quantity": quantity, "unit": "kg"}],
        "delivery_region": KabupatenKota.objects.get(kode="35.28"),
        "delivery_address": "Dapur PP Garam Madura",
        "delivery_date": timezone.localdate() + timedelta(days=14),
        "payment_terms": "transfer",
        "payment_days": 14,
        "closes_at": timezone.now() + closes_in,
    }
    values.update(overrides)
    return services.rfq_post(**values)


@pytest.fixture
def rfq(buyer, buyer_user, rice, offers):
    return post_rfq(buyer, buyer_user, rice)


def quote(rfq, org, user, price, quantity=None, **overrides):
    item = rfq.items.get()
    values = {
        "actor": user,
        "rfq": rfq,
        "supplier": org,
        "lines": {item.pk: (price, quantity or item.quantity)},
        "delivery_date": timezone.localdate() + timedelta(days=10),
        "valid_until": timezone.localdate() + timedelta(days=30),
        "payment_terms": "transfer",
        "payment_days": 14,
    }
    values.update(overrides)
    return services.quotation_submit(**values)


def close(rfq):
    """Move the closing time into the past (a quotation posted before stays)."""
    type(rfq).objects.filter(pk=rfq.pk).update(closes_at=timezone.now() - timedelta(minutes=1))
    rfq.refresh_from_db()


@pytest.fixture
def quotes(rfq, alumni_supplier, alumni_user, pesantren_supplier, pesantren_supplier_user):
    return [
        quote(rfq, alumni_supplier, alumni_user, 12000),
        quote(rfq, pesantren_supplier, pesantren_supplier_user, 11800),
    ]


@pytest.fixture
def po(rfq, quotes, buyer_user, alumni_user):
    close(rfq)
    item = rfq.items.get()
    (order,) = services.rfq_award(actor=buyer_user, rfq=rfq, allocation={item.pk: quotes[0].pk})
    services.po_confirm(actor=alumni_user, po=order)
    order.refresh_from_db()
    return order


def proof():
    return image_upload(width=400, height=300)
