"""Hostile input at every halal, legality and flagship form (attacked by tests/test_hostile_endpoints.py)."""

import pytest
from django.urls import reverse

from opop.tests.hostile import Endpoint, Upload
from opop.uploads import sample_pdf

WATCH = ("halal", "marketplace", "opop")


def case_in(world, status: str):
    """A case of side A in `status`, made once per world from a fresh draft."""
    from marketplace.halal import services
    from marketplace.halal.models import HalalCase

    key = f"hostile_case_{status}"
    if key not in world.objects:
        store = world.objects["store"]
        case = services.case_create(
            actor=world.users["seller_a_owner"],
            organisation=store.organisation,
            products=[world.objects["product"]],
            scheme="self_declare",
            annual_turnover=100_000_000,
        )
        HalalCase.objects.filter(pk=case.pk).update(status=status)
        world.objects[key] = case
    return world.objects[key]


def step(action: str, status: str):
    return lambda world: reverse("halal:case_step", kwargs={"pk": case_in(world, status).pk, "action": action})


ENDPOINTS = [
    Endpoint(
        "halal:case_create",
        "seller_a_owner",
        valid=lambda world: {
            "scheme": "self_declare",
            "annual_turnover": "150000000",
            "production_sites": "1",
            "products": [str(world.objects["product"].pk)],
        },
    ),
    Endpoint(
        "halal:case_edit",
        "seller_a_owner",
        url=lambda world: reverse("halal:case_edit", args=[case_in(world, "draft").pk]),
    ),
    Endpoint(
        "halal:case_attach",
        "seller_a_owner",
        url=lambda world: reverse("halal:case_attach", args=[case_in(world, "draft").pk]),
        fields=("kind",),
        valid={"kind": "other", "file": Upload("nib.pdf", sample_pdf("NIB"), "application/pdf")},
        uploads=("file",),
    ),
    Endpoint(
        "halal:case_step",
        "seller_a_owner",
        url=step("submit", "draft"),
        fields=("submit-occurred_on", "submit-note", "submit-attachment_kind"),
        uploads=("submit-attachment",),
    ),
    Endpoint(
        "halal:case_step[assign]",
        "staff_region",
        url=step("assign", "submitted"),
        fields=("assign-occurred_on", "assign-note", "assign-assignee", "assign-inspection_body"),
        valid={"assign-assignee": "staf.jombang@opop.test"},
        uploads=("assign-attachment",),
    ),
    Endpoint(
        "halal:case_step[issue]",
        "staff_region",
        url=step("issue", "verification"),
        fields=("issue-number", "issue-issued_on", "issue-expires_on", "issue-note"),
        valid={"issue-number": "ID35110000123450125", "issue-issued_on": "2026-01-05"},
        uploads=("issue-pdf",),
    ),
    Endpoint("halal:flagship_propose", "seller_a_owner", page="halal:flagship_list", fields=("product", "motivation")),
    Endpoint("halal:flagship_decide", "staff_province", valid={"decision": "approve"}),
    Endpoint(
        "halal:legality_submit",
        "seller_a_owner",
        page="halal:legality_list",
        fields=("product", "kind", "number"),
        valid=lambda world: {"product": str(world.objects["product"].pk), "kind": "pirt", "number": "2063517010123-29"},
    ),
    Endpoint(
        "halal:legality_verify",
        "staff_region",
        page="halal:legality_list",
        fields=("decision", "note"),
        valid={"decision": "verify"},
    ),
    Endpoint(
        "halal:claim_decide",
        "staff_province",
        page="halal:claim_detail",
        fields=("issued_on", "valid_while_unchanged", "expires_on"),
        valid={"issued_on": "2026-01-05", "valid_while_unchanged": "on"},
    ),
]


@pytest.mark.django_db
def test_proposing_a_product_id_that_is_not_a_number_is_a_404_not_a_500(client, admin_a):
    client.force_login(admin_a)
    for value in ["abc", "' OR '1'='1", "99999999999999999999999", ""]:
        assert client.post(reverse("halal:flagship_propose"), {"product": value}).status_code == 404
