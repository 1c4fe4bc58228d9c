import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from marketplace.halal import legality
from marketplace.halal.flagship import flagship_decide
from marketplace.halal.models import FlagshipProposal, FlagshipTarget, LegalityRecord
from marketplace.halal.selectors import flagship_progress
from opop.services import DomainError


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.mark.parametrize(
    ("kind", "raw", "expected"),
    [
        ("nib", "9120001234567", "9120001234567"),
        ("nib", " 9120 0012 34567 ", "9120001234567"),
        ("pirt", "2063517020456-26", "2063517020456-26"),
        ("pirt", "P-IRT No. 206351702045626", "206351702045626"),
        ("bpom_md", "md251128001234", "MD 251128001234"),
        ("bpom_md", "MD 251128001234", "MD 251128001234"),
        ("bpom_ml", "ML 112233445566", "ML 112233445566"),
        ("trademark", "idm000123456", "IDM000123456"),
    ],
)
def test_good_numbers_are_accepted_in_their_standard_form(kind, raw, expected):
    assert legality.normalise_number(kind, raw) == expected


@pytest.mark.parametrize(
    ("kind", "raw", "message"),
    [
        ("nib", "912000123456", "13 digits"),
        ("nib", "91200012345678", "13 digits"),
        ("nib", "91200O1234567", "13 digits"),
        ("pirt", "20635170204-26", "15 digits"),
        ("pirt", "PIRT-ABC", "15 digits"),
        ("bpom_md", "MD 25112800123", "12 digits"),
        ("bpom_md", "ML 251128001234", "MD followed by 12 digits"),
        ("bpom_md", "TR 213300551", "12 digits"),
        ("bpom_ml", "MD 251128001234", "ML followed"),
        ("sni", "   ", "Enter the number"),
    ],
)
def test_bad_numbers_are_refused_with_a_clear_message(kind, raw, message):
    with pytest.raises(ValidationError, match=message):
        legality.normalise_number(kind, raw)


def test_the_seller_records_and_regional_staff_verify(product_a, admin_a, admin_b, jombang_staff, pesantren_b):
    with pytest.raises(DomainError):
        legality.legality_record_submit(actor=admin_b, product=product_a, kind="nib", number="9120001234567")
    record = legality.legality_record_submit(actor=admin_a, product=product_a, kind="pirt", number="2063517020456-26")
    assert record.display_number == "P-IRT No. 2063517020456-26" and record.status == "pending"
    with pytest.raises(DomainError, match="reason"):
        legality.legality_record_verify(actor=jombang_staff, record=record, verified=False)
    with pytest.raises(DomainError):
        legality.legality_record_verify(actor=admin_a, record=record, verified=True)
    legality.legality_record_verify(actor=jombang_staff, record=record, verified=True)
    record.refresh_from_db()
    assert record.status == "verified" and record.verified_by == jombang_staff
    # a correction goes back to verification
    legality.legality_record_submit(actor=admin_a, product=product_a, kind="pirt", number="2063517020456-27")
    record.refresh_from_db()
    assert record.status == "pending" and record.verified_by is None
    assert LegalityRecord.objects.count() == 1


def test_legality_pages_are_scoped(client, product_a, product_b, admin_a, admin_b, jombang_staff):
    record_b = legality.legality_record_submit(actor=admin_b, product=product_b, kind="nib", number="9120001234567")
    client.force_login(admin_a)
    assert list(client.get(reverse("halal:legality_list")).context["page"].object_list) == []
    response = client.post(
        reverse("halal:legality_submit"), {"product": product_b.pk, "kind": "nib", "number": "9120001234567"}
    )
    # a foreign product is refused on the form, shown again with what was typed
    assert response.status_code == 200 and "product" in response.context["form"].errors
    assert response.context["form"]["number"].value() == "9120001234567"
    assert not LegalityRecord.objects.filter(product=product_a).exists()
    refused = client.post(reverse("halal:legality_submit"), {"product": product_a.pk, "kind": "nib", "number": "123"})
    assert "number" in refused.context["form"].errors and refused.context["form"]["number"].value() == "123"
    assert not LegalityRecord.objects.filter(product=product_a).exists()
    client.post(reverse("halal:legality_submit"), {"product": product_a.pk, "kind": "nib", "number": "9120001234561"})
    record_a = LegalityRecord.objects.get(product=product_a)
    assert client.post(reverse("halal:legality_verify", args=[record_a.pk]), {"decision": "verify"}).status_code == 403
    client.force_login(jombang_staff)
    assert client.post(reverse("halal:legality_verify", args=[record_b.pk]), {"decision": "verify"}).status_code == 404
    client.post(reverse("halal:legality_verify", args=[record_a.pk]), {"decision": "verify"})
    record_a.refresh_from_db()
    assert record_a.status == "verified"
    response = client.get(reverse("halal:legality_list"), {"status": "pending"})
    assert list(response.context["page"].object_list) == []


def test_flagship_targets_are_data_and_progress_counts_approvals_per_year(product_a, admin_a, province_staff):
    assert dict(FlagshipTarget.objects.values_list("year", "target")) == {
        2019: 150, 2020: 200, 2021: 200, 2022: 200, 2023: 250,
    }  # fmt: skip
    FlagshipTarget.objects.create(year=2026, target=300)
    proposal = FlagshipProposal.objects.create(product=product_a, proposed_by=admin_a)
    flagship_decide(
        actor=province_staff,
        proposal=proposal,
        approve=True,
        scores={f"score_{c}": 4 for c in ("legality", "halal", "packaging", "quality", "capacity", "price")},
    )
    rows = {row["year"]: row for row in flagship_progress(user=province_staff)}
    assert rows[2026] == {"year": 2026, "target": 300, "approved": 1}
    assert rows[2023]["approved"] == 0
