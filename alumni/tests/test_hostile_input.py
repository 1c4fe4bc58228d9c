"""Hostile input at every alumni form and POST endpoint (attacked by tests/test_hostile_endpoints.py)."""

from opop.tests.hostile import Endpoint

WATCH = ("alumni", "opop")


def business_owner(world):
    from opop.models import User

    business = world.objects["alumni_business"]
    return User.objects.filter(memberships__organisation=business.organisation_id).order_by("pk").first()


ENDPOINTS = [
    Endpoint(
        "alumni:home",
        "shopper",
        fields=("pesantren", "graduation_year"),
        valid=lambda world: {"graduation_year": "2015", "pesantren": str(world.objects["pesantren"].pk)},
    ),
    Endpoint("alumni:alumnus_review", "seller_a_owner", page="alumni:home", fields=("decision", "note")),
    Endpoint("alumni:graduate", "seller_a_owner", valid={"email": "lulusan@opop.test", "graduation_year": "2020"}),
    Endpoint(
        "alumni:business_create",
        "shopper",
        valid={"name": "Konveksi Alumni", "sector": "fashion", "kabupaten_kota": "35.17", "workers": "3"},
    ),
    Endpoint("alumni:collaboration_propose", "seller_a_owner"),
    Endpoint("alumni:collaboration_respond", "seller_a_owner", page="alumni:home", fields=("accept",)),
    Endpoint("alumni:report_create", "superuser", as_user=business_owner, valid={"omzet": "2500000", "workers": "3"}),
    Endpoint("alumni:report_correct", "superuser", as_user=business_owner, valid={"reason": "Salah ketik"}),
    Endpoint("alumni:report_review", "staff_region", page="alumni:business_detail", fields=("decision", "note")),
]
