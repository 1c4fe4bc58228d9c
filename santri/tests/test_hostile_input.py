"""Hostile input at every santri form and POST endpoint (the form endpoints are attacked by
tests/test_hostile_endpoints.py in the shared demo world); the JSON API is attacked here."""

import pytest
from django.urls import reverse
from hypothesis import strategies as st

from opop.tests.hostile import Endpoint, Upload, assert_rejects_cleanly, json_bodies, models_of

WATCH = ("santri", "opop")

SANTRI = {
    "nis": "2026999",
    "name": "Ahmad Fauzan",
    "nik": "3517010101010009",
    "gender": "L",
    "birth_date": "2008-05-01",
    "entry_year": "2024",
    "status": "active",
}

ENDPOINTS = [
    Endpoint("santri:create", "seller_a_owner", valid=SANTRI),
    Endpoint("santri:edit", "seller_a_owner"),
    Endpoint("santri:delete", "seller_a_owner", page="santri:detail", fields=("confirm",)),
    # A reveal answers 200 with the page (and an audit event): that is its success.
    Endpoint("santri:reveal", "seller_a_owner", page="santri:detail", ok_on_200=True),
    Endpoint("santri:track_complete", "seller_a_owner", page="santri:detail", fields=("track", "note")),
    Endpoint(
        "santri:import",
        "seller_a_owner",
        valid={"file": Upload("santri.csv", b"nis,nama,jenis_kelamin,tahun_masuk\n2026902,Siti,P,2026\n", "text/csv")},
        uploads=("file",),
    ),
    Endpoint("santri:import_confirm", "seller_a_owner", page="santri:import_preview", fields=("action",)),
    # A new token is shown once, on the page itself: its 200 is the success.
    Endpoint("santri:api_tokens", "seller_a_owner", valid={"name": "SIAKAD pondok"}, ok_on_200=True),
    Endpoint("santri:api_token_revoke", "seller_a_owner", page="santri:api_tokens", fields=("x",)),
    Endpoint(
        "santri:business_create",
        "seller_a_owner",
        valid=lambda world: {
            "name": "Sablon Santri",
            "sector": "fashion",
            "started_on": "2024-01-01",
            "monthly_omzet": "500000",
            "members": [str(world.objects["santri"].pk)],
        },
    ),
    Endpoint("santri:business_edit", "seller_a_owner"),
    Endpoint(
        "santri:event_create",
        "staff_province",
        valid={
            "title": "Pelatihan Barista",
            "place": "Jombang",
            "kind": "training_centre",
            "starts_on": "2099-01-10",
            "ends_on": "2099-01-12",
            "kabupaten_kota": "35.17",
            "quota": "30",
        },
    ),
    Endpoint("santri:event_detail", "seller_a_owner", fields=("santri",)),
    Endpoint("santri:attendance", "staff_province", page="santri:event_detail", fields=("attended",)),
    Endpoint("santri:registration_cancel", "seller_a_owner", page="santri:event_detail", fields=("x",)),
    Endpoint(
        "santri:competition_create",
        "staff_province",
        valid={"title": "Lomba Ide Bisnis", "deadline": "2099-01-01T10:00", "winners_count": "3"},
        fields=("judges",),
    ),
    Endpoint("santri:competition_publish", "staff_province", page="santri:competition_detail", fields=("x",)),
    Endpoint(
        "santri:proposal_submit",
        "seller_a_owner",
        valid={"team_name": "Tim Kopi Baru", "title": "Kopi santri"},
    ),
    Endpoint("santri:proposal_score", "staff_region", fields=("criterion_1", "criterion_2", "criterion_3")),
    Endpoint("santri:business_store_open", "seller_a_owner", page="santri:business_list", fields=("x",)),
]


def _demo_santri(world):
    from opop.models import User

    return User.objects.get(email="santri@opop.test")


def _own_waiting_entry_url(name):
    def url(world):
        from santri.models import WaitingListEntry

        entry = WaitingListEntry.objects.filter(santri__user__email="santri@opop.test").first()
        return reverse(name, args=[entry.pk])

    return url


def _full_event_url(world):
    from santri.models import Event

    return reverse("santri:me_register", args=[Event.objects.get(title="Kelas Foto Produk untuk Santri").pk])


ENDPOINTS += [
    Endpoint("santri:invite", "seller_a_owner", valid={"method": "code"}, ok_on_200=True, fields=("email",)),
    Endpoint("santri:invitation_revoke", "seller_a_owner", page="santri:detail", fields=("x",)),
    Endpoint("santri:account_unlink", "seller_a_owner", page="santri:detail", fields=("x",)),
    Endpoint(
        "santri:guardian_consent_decide",
        "seller_a_owner",
        page="santri:guardian_consents",
        valid={"approve": "1"},
        fields=("approve", "note"),
    ),
    Endpoint("santri:invitation_accept", "anonymous", fields=("password1", "password2")),
    Endpoint("santri:code_redeem", "anonymous", valid={"code": "ABCD2345", "password1": "x", "password2": "x"}),
    Endpoint("santri:login", "anonymous", valid={"card_number": "3517000000000", "password": "x"}),
    Endpoint(
        "santri:me_register",
        "anonymous",
        as_user=_demo_santri,
        url=_full_event_url,
        page="santri:me",
        fields=("waiting",),
    ),
    Endpoint("santri:me_cancel", "anonymous", as_user=_demo_santri, page="santri:me", fields=("x",)),
    Endpoint(
        "santri:me_leave_waiting",
        "anonymous",
        as_user=_demo_santri,
        url=_own_waiting_entry_url("santri:me_leave_waiting"),
        page="santri:me",
        fields=("x",),
    ),
    Endpoint(
        "santri:me_consent_request",
        "anonymous",
        as_user=_demo_santri,
        page="santri:me",
        valid={"purpose": "public_profile"},
        fields=("purpose", "business"),
    ),
    Endpoint("santri:waiting_leave", "seller_a_owner", page="santri:event_detail", fields=("x",)),
    Endpoint("santri:event_edit", "staff_province", fields=("quota", "starts_on", "ends_on")),
    Endpoint("santri:event_booths", "staff_province", fields=("x",)),
    # Business ideas and incubation (#21)
    Endpoint("santri:proposal_edit", "seller_a_owner", fields=("title", "funding_asked", "value_proposition")),
    Endpoint(
        "santri:proposal_start_own",
        "anonymous",
        as_user=_demo_santri,
        page="santri:competition_detail",
        valid={"team_name": "Tim Uji", "title": "Ide Uji"},
        fields=("team_name", "title"),
    ),
    Endpoint("santri:team_invite", "seller_a_owner", page="santri:proposal_edit", fields=("santri",)),
    Endpoint("santri:team_remove", "seller_a_owner", page="santri:proposal_edit", fields=("x",)),
    Endpoint("santri:team_answer", "seller_a_owner", page="santri:proposal_edit", fields=("accept",)),
    Endpoint("santri:incubation_mentor", "staff_province", page="santri:incubation_detail", fields=("email",)),
    Endpoint(
        "santri:milestone_add",
        "staff_province",
        page="santri:incubation_detail",
        valid={"title": "Uji", "due_on": "2027-01-31"},
        fields=("title", "due_on"),
    ),
    Endpoint("santri:milestone_mark", "staff_province", page="santri:incubation_detail", fields=("done",)),
    Endpoint(
        "santri:progress_note",
        "staff_province",
        page="santri:incubation_detail",
        valid={"month": "2026-11", "text": "Uji", "monthly_omzet": "0"},
        fields=("month", "text", "monthly_omzet"),
    ),
    Endpoint("santri:incubation_store_open", "seller_a_owner", page="santri:incubation_detail", fields=("x",)),
]

# JSON endpoints, attacked by the test below with bodies instead of forms.
JSON_ENDPOINTS = ["santri:api_upsert"]


@pytest.mark.django_db
def test_the_santri_api_answers_400_json_to_any_malformed_body(client):
    from opop.tests.factories import MembershipFactory, OrganisationFactory
    from pesantren.tests.factories import PesantrenFactory
    from santri.services.registry import api_token_create

    organisation = OrganisationFactory()
    admin = MembershipFactory(organisation=organisation, role="owner").user
    pesantren = PesantrenFactory(organisation=organisation)
    _token, secret = api_token_create(user=admin, pesantren=pesantren, name="SIAKAD")
    santri_rows = st.lists(
        st.fixed_dictionaries(
            {},
            optional={
                key: st.one_of(st.none(), st.integers(-(10**20), 10**20), st.text(max_size=40), st.just("\x00"))
                for key in ("nis", "name", "nik", "gender", "birth_date", "entry_year", "status", "skills")
            },
        ),
        max_size=3,
    ).map(lambda rows: __import__("json").dumps({"santri": rows}).encode())
    assert_rejects_cleanly(
        client,
        reverse("santri:api_upsert"),
        st.one_of(json_bodies(), santri_rows),
        models_of("santri"),
        content_type="application/json",
        headers={"Authorization": f"Bearer {secret}"},
        label="santri:api_upsert",
        rejects_on_200=False,
        expect_json=True,
    )


def test_a_row_with_a_nul_character_is_refused_before_the_database():
    from santri.validation import validate_row

    row = {"nis": "1", "name": "Ahmad\x00", "gender": "L", "entry_year": "2024"}
    clean, errors = validate_row(row)
    assert clean is None and any("NUL" in str(e) for e in errors)
