import pytest
from django.core.management import call_command
from django.urls import reverse

from alumni.models import AlumniBusiness, AlumniReport, AlumniReportRevision, Alumnus, Collaboration
from opop.models import AuditEvent, User
from santri.models import (
    BudgetItem,
    Competition,
    CompetitionCertificate,
    Event,
    Incubation,
    ProgressNote,
    Proposal,
    Registration,
    Santri,
    SantriBusiness,
    Score,
)

pytestmark = pytest.mark.django_db


def _counts():
    models = (Santri, SantriBusiness, Event, Registration, Competition, Proposal, Score, Alumnus, AlumniBusiness)
    models += (BudgetItem, CompetitionCertificate, Incubation, ProgressNote)
    return [m.objects.count() for m in models] + [
        AlumniReport.objects.count(),
        AlumniReportRevision.objects.count(),
        Collaboration.objects.count(),
        AuditEvent.objects.count(),
    ]


def test_demo_is_idempotent_and_every_role_can_click_through(client):
    call_command("seed_demo", stdout=None)
    first = _counts()
    assert Santri.objects.values("pesantren").distinct().count() >= 3
    assert Santri.objects.exclude(santripreneur_since=None).exists()
    assert Registration.objects.filter(attended=True).exists()
    assert Competition.objects.filter(status="published").exists() and Score.objects.exists()
    assert Collaboration.objects.filter(status="active").exists()
    assert AlumniBusiness.objects.filter(alumnus__user__email="alumni@opop.test").exists()
    assert Proposal.objects.filter(status="draft").exists() and BudgetItem.objects.exists()
    assert Proposal.objects.filter(competition__status="published", is_winner=True).exists()
    assert Incubation.objects.filter(mentor__isnull=False).exists() and ProgressNote.objects.exists()
    assert CompetitionCertificate.objects.filter(kind="winner").exists()
    call_command("seed_demo", stdout=None)
    assert _counts() == first
    incubation = Incubation.objects.filter(mentor__isnull=False).first()
    certificate = CompetitionCertificate.objects.first()

    santri = Santri.objects.filter(pesantren__name="Pondok Pesantren Darul Ulum").first()
    business = AlumniBusiness.objects.first()
    published = Competition.objects.get(status="published")
    event = Event.objects.filter(registrations__attended=True).first()
    registration = event.registrations.filter(
        attended=True, santri__pesantren__name="Pondok Pesantren Darul Ulum"
    ).first()
    pages = {
        "admin.pesantren@opop.test": [
            reverse("santri:home"),
            reverse("santri:list", args=[santri.pesantren_id]),
            reverse("santri:detail", args=[santri.pk]),
            reverse("santri:card", args=[santri.pk]),
            reverse("santri:business_list", args=[santri.pesantren_id]),
            reverse("santri:api_tokens", args=[santri.pesantren_id]),
            reverse("santri:event_list"),
            reverse("santri:event_detail", args=[event.pk]),
            reverse("santri:competition_detail", args=[published.pk]),
            reverse("santri:competition_results", args=[published.pk]),
            reverse("alumni:home"),
            reverse("alumni:business_detail", args=[business.pk]),
        ],
        "staf.diskop@opop.test": [
            reverse("santri:incubation_list"),
            reverse("santri:incubation_detail", args=[incubation.pk]),
            reverse("santri:home"),
            reverse("santri:event_list"),
            reverse("santri:event_create"),
            reverse("santri:competition_list"),
            reverse("santri:competition_detail", args=[published.pk]),
            reverse("alumni:home"),
        ],
        "staf.jombang@opop.test": [
            reverse("santri:home"),
            reverse("santri:list", args=[santri.pesantren_id]),
            reverse("alumni:home"),
            reverse("alumni:business_detail", args=[business.pk]),
        ],
        "alumni@opop.test": [reverse("alumni:home"), reverse("alumni:business_detail", args=[business.pk])],
    }
    if registration is not None:
        pages["admin.pesantren@opop.test"].append(reverse("santri:certificate", args=[registration.pk]))
    for email, urls in pages.items():
        client.force_login(User.objects.get(email=email))
        for url in urls:
            assert client.get(url).status_code == 200, (email, url)
    client.logout()
    assert client.get(reverse("santri:card_verify", args=[santri.card_token])).status_code == 200
    assert client.get(reverse("santri:competition_list")).status_code == 200
    assert client.get(reverse("santri:certificate_check", args=[certificate.number])).status_code == 200
    assert client.get(reverse("santri:competition_results", args=[published.pk])).status_code == 200
