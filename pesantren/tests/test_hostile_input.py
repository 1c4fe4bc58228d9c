"""Hostile input at every pesantren form and POST endpoint: never a 500, never a partial write.

The endpoints are attacked by tests/test_hostile_endpoints.py, which builds the demo world once for all
apps; this module says what to attack, as whom, from which valid submission.
"""

from opop.tests.hostile import Endpoint

WATCH = ("pesantren", "opop")

FIGURES = {
    "omzet": "12500000",
    "aset": "90000000",
    "workers_total": "6",
    "jobs_created": "1",
    "operating_contribution": "1500000",
    "operating_costs": "30000000",
}

REGISTER = {
    "name": "Pondok Pesantren Al-Hikmah",
    "nspp": "510035239999",
    "pengasuh": "KH. Abdul Hamid",
    "santri_count": "640",
    "alamat_provinsi": "35",
    "alamat_kabupaten": "35.23",
    "alamat_kecamatan": "35.23.12",
    "alamat_desa": "35.23.12.2002",
    "alamat_jalan": "Jl. Pantura 5",
    "alamat_kodepos": "62352",
    "phone": "081234567890",
    "email": "info@alhikmah.sch.id",
    "flagship_product": "Batik gedog",
    "alamat_lat": "-6.8",
    "alamat_lng": "111.9",
}

ENDPOINTS = [
    Endpoint("pesantren:register", "shopper", valid=REGISTER, uploads=("logo",), watch=WATCH),
    Endpoint("pesantren:edit", "seller_a_owner", uploads=("logo",)),
    Endpoint(
        "pesantren:transition",
        "staff_region",
        page="pesantren:detail",
        fields=("to_status", "reason", "cohort"),
        valid={"to_status": "verified", "cohort": "2026"},
    ),
    Endpoint(
        "pesantren:unit_create",
        "seller_a_owner",
        valid={"name": "Koperasi Baru", "kind": "koppontren", "sector": "food", "products": "Keripik"},
    ),
    Endpoint("pesantren:unit_edit", "seller_a_owner"),
    Endpoint("pesantren:collaborators", "seller_a_owner", page="pesantren:detail", fields=("partners",)),
    Endpoint("pesantren:mapping_create", "staff_region"),
    Endpoint("pesantren:mentoring_create", "staff_region", valid={"activity": "Pendampingan"}),
    Endpoint("pesantren:partners", "staff_region", valid={"name": "Bank Jatim", "kind": "business"}),
    Endpoint("pesantren:report_create", "seller_a_owner", valid=FIGURES),
    Endpoint("pesantren:report_correct", "seller_a_owner", valid={"reason": "Salah ketik"}),
    Endpoint(
        "pesantren:report_review",
        "staff_region",
        page="pesantren:report_detail",
        fields=("decision", "note"),
        valid={"decision": "verify"},
    ),
]


def test_figures_past_a_sane_maximum_are_refused_by_the_form_not_by_postgresql():
    """99999999999999999999 used to reach the bigint column and fail there (a 500 on PostgreSQL)."""
    from django.utils import translation

    from pesantren.forms import FiguresForm, TransitionForm

    with translation.override("en"):
        form = FiguresForm({**FIGURES, "omzet": "99999999999999999999", "workers_total": "10000000000"})
        assert not form.is_valid()
        assert "less than or equal to" in form.errors["omzet"][0] and "workers_total" in form.errors
        assert not TransitionForm({"to_status": "verified", "cohort": "99999"}).is_valid()
