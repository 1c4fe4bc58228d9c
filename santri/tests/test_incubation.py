"""From winner to santripreneur: publishing promotes the winning team (santripreneurs counted on the dashboards,
a santri business, an incubation), certificates with short numbers and a public check, incubation pages by role,
and the supervised store: the pesantren admin approves the store and each listing."""

import re
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from marketplace.catalogue.services import product_create
from marketplace.models import ListingStatus, Product, ProductRevision, Store, StoreApplication
from marketplace.seller import opening
from marketplace.tests.factories import CategoryFactory
from opop.models import KabupatenKota, Membership, Organisation
from opop.tests.factories import MembershipFactory, UserFactory
from reports.selectors import Filters, Scope, pillar_totals_and_flagship_by_year, rollups
from reports.services import rollup_drain
from santri import selectors, services
from santri.models import CompetitionCertificate, Incubation, Milestone, ProgressNote, Santri, SantriBusiness
from santri.services.competitions import certificate_check_character, santri_public_name
from santri.tests.competition_helpers import close, competition_open, proposal_complete, score
from santri.tests.factories import SantriFactory

pytestmark = pytest.mark.django_db

NUMBER = re.compile(r"^SP-\d{4}-\d{4}-\d{4}-[0-9A-Z]$")


@pytest.fixture
def team(pes_a):
    grown = SantriFactory(
        pesantren=pes_a, name="Siti Rahmawati", birth_date=date(2000, 1, 1), user=UserFactory(), nik="3517000011112222"
    )
    return [grown, SantriFactory(pesantren=pes_a, name="Ahmad Fauzi")]


@pytest.fixture
def published(province_staff, pes_a, pes_b, admin_a, admin_b, team):
    """Jombang: the winner (team) and a participant; Pasuruan: a winner. Published."""
    competition = competition_open(province_staff, winners_count=1)
    judge = UserFactory()
    services.judge_add(user=province_staff, competition=competition, judge=judge)
    winner = proposal_complete(admin_a, competition, pes_a, "Tim Kopi", members=team)
    runner_up = proposal_complete(admin_a, competition, pes_a, "Tim Sabun")
    other = proposal_complete(admin_b, competition, pes_b, "Tim Lele")
    score(judge, winner, [90, 90, 90])
    score(judge, runner_up, [60, 60, 60])
    score(judge, other, [70, 70, 70])
    close(competition)
    services.competition_publish(user=province_staff, competition=competition)
    for p in (winner, runner_up, other):
        p.refresh_from_db()
    return {"competition": competition, "winner": winner, "runner_up": runner_up, "other": other}


def _santripreneurs_on_the_dashboard() -> int:
    rollup_drain()
    totals, _flagship = pillar_totals_and_flagship_by_year(rollups(Scope(region=None), Filters()))
    return totals["santripreneur"]["participants_total"]


# --- the promotion ----------------------------------------------------------------------------------------------


def test_publishing_makes_the_winners_santripreneurs_and_the_dashboard_count_rises(
    province_staff, pes_a, pes_b, admin_a, admin_b, team
):
    competition = competition_open(province_staff, winners_count=1)
    judge = UserFactory()
    services.judge_add(user=province_staff, competition=competition, judge=judge)
    winner = proposal_complete(admin_a, competition, pes_a, "Tim Kopi", members=team)
    loser = proposal_complete(admin_a, competition, pes_a, "Tim Sabun")
    score(judge, winner, [90, 90, 90])
    score(judge, loser, [60, 60, 60])
    close(competition)
    before = _santripreneurs_on_the_dashboard()
    services.competition_publish(user=province_staff, competition=competition)
    today = timezone.localdate()
    assert set(Santri.objects.filter(santripreneur_since=today)) == set(team)
    assert not Santri.objects.filter(proposals=loser, santripreneur_since__isnull=False).exists()
    assert _santripreneurs_on_the_dashboard() == before + 2
    assert sum(r["total"] for r in selectors.santripreneur_counts(user=province_staff, by="pesantren")) == 2
    winner.refresh_from_db()
    business = winner.business
    assert business.pesantren == pes_a and business.sector == "food" and set(business.members.all()) == set(team)
    incubation = Incubation.objects.get()
    assert incubation.proposal == winner and incubation.business == business
    assert incubation.milestones.count() == 4 and incubation.milestones.first().due_on == today + timedelta(days=30)


def test_publishing_again_changes_nothing(published, province_staff):
    counts = [m.objects.count() for m in (Incubation, Milestone, SantriBusiness, CompetitionCertificate)]
    since = list(Santri.objects.order_by("pk").values_list("santripreneur_since", flat=True))
    before = _santripreneurs_on_the_dashboard()
    winners = services.competition_publish(user=province_staff, competition=published["competition"])
    assert [p.team_name for p in winners] == ["Tim Kopi", "Tim Lele"]
    assert [m.objects.count() for m in (Incubation, Milestone, SantriBusiness, CompetitionCertificate)] == counts
    assert list(Santri.objects.order_by("pk").values_list("santripreneur_since", flat=True)) == since
    assert _santripreneurs_on_the_dashboard() == before
    assert counts[0] == 2  # a winner per kabupaten/kota


def test_an_earlier_santripreneur_keeps_their_date(province_staff, pes_a, admin_a, team):
    Santri.objects.filter(pk=team[1].pk).update(santripreneur_since=date(2024, 3, 1))
    competition = competition_open(province_staff)
    judge = UserFactory()
    services.judge_add(user=province_staff, competition=competition, judge=judge)
    score(judge, proposal_complete(admin_a, competition, pes_a, "Tim Kopi", members=team), [80, 80, 80])
    close(competition)
    services.competition_publish(user=province_staff, competition=competition)
    team[1].refresh_from_db()
    assert team[1].santripreneur_since == date(2024, 3, 1)


# --- certificates -----------------------------------------------------------------------------------------------


def test_every_team_member_gets_a_certificate_with_a_short_checked_number(published, pes_a, team):
    certificates = list(CompetitionCertificate.objects.select_related("proposal"))
    assert len(certificates) == 6  # three teams of two
    year = timezone.localtime(published["competition"].deadline).year
    for certificate in certificates:
        assert NUMBER.match(certificate.number), certificate.number
        body = certificate.number[:-2]
        assert certificate.number[-1] == certificate_check_character(body.replace("-", ""))
        assert services.certificate_number_is_valid(certificate.number)
        assert certificate.number.startswith(
            f"SP-{year}-{certificate.proposal.pesantren.kabupaten_kota_id.replace('.', '')}-"
        )
        assert certificate.kind == ("winner" if certificate.proposal.is_winner else "participant")
    jombang = sorted(c.number for c in certificates if c.number.startswith(f"SP-{year}-3517-"))
    assert [n[13:17] for n in jombang] == ["0001", "0002", "0003", "0004"]


def test_a_mistyped_certificate_number_is_caught_by_the_check_character(published):
    number = CompetitionCertificate.objects.first().number
    wrong_digit = number[:9] + ("1" if number[9] != "1" else "2") + number[10:]
    swapped = number[:13] + number[14] + number[13] + number[15:]
    assert not services.certificate_number_is_valid(wrong_digit)
    assert swapped == number or not services.certificate_number_is_valid(swapped)
    assert not services.certificate_number_is_valid("SP-2026-3517-0001")
    assert not services.certificate_number_is_valid("a9f1c2e4-0000-4000-8000-000000000000")


def test_the_public_check_shows_the_short_name_and_the_result_never_the_email_or_nik(client, published, team):
    certificate = CompetitionCertificate.objects.get(santri=team[0])
    response = client.get(reverse("santri:certificate_check", args=[certificate.number]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Siti R." in html and "Siti Rahmawati" not in html and santri_public_name("Siti Rahmawati") == "Siti R."
    assert published["competition"].title in html and certificate.number in html and "Tim Kopi" in html
    assert team[0].user.email not in html and team[0].nik not in html and team[0].nis not in html
    # Typed in lower case through the search box, it finds the same certificate.
    lookup = client.get(reverse("santri:certificate_lookup"), {"nomor": certificate.number.lower()})
    assert lookup.status_code == 200 and "Siti R." in lookup.content.decode()


def test_an_unknown_or_invalid_certificate_number_is_404(client, published):
    number = CompetitionCertificate.objects.order_by("-number").first().number
    seq = int(number[13:17]) + 1
    body = f"{number[:13]}{seq:04d}"
    unknown = f"{body}-{certificate_check_character(body.replace('-', ''))}"
    assert client.get(reverse("santri:certificate_check", args=[unknown])).status_code == 404
    assert client.get(reverse("santri:certificate_check", args=["SP-2026-3517-0001-Z"])).status_code == 404
    assert client.get(reverse("santri:certificate_lookup"), {"nomor": "x" * 500}).status_code == 404


def test_certificate_checks_are_rate_limited(client, published):
    number = CompetitionCertificate.objects.first().number
    url = reverse("santri:certificate_check", args=[number])
    statuses = [client.get(url).status_code for _n in range(31)]
    assert statuses[:30] == [200] * 30 and statuses[30] == 429


def test_the_printable_certificate_has_a_qr_to_the_check_page_for_the_team_only(client, published, team, admin_b):
    certificate = CompetitionCertificate.objects.get(santri=team[0])
    url = reverse("santri:competition_certificate", args=[certificate.pk])
    client.force_login(team[0].user)
    html = client.get(url).content.decode()
    assert "<svg" in html and reverse("santri:certificate_check", args=[certificate.number]) in html
    assert "Siti Rahmawati" in html
    other = CompetitionCertificate.objects.get(santri=team[1])
    assert client.get(reverse("santri:competition_certificate", args=[other.pk])).status_code == 404
    client.force_login(admin_b)
    assert client.get(url).status_code == 404


# --- incubation pages -------------------------------------------------------------------------------------------


def test_incubation_pages_by_role_and_foreign_ids_404(
    client, published, team, admin_a, admin_b, jombang_staff, province_staff
):
    incubation = Incubation.objects.get(proposal=published["winner"])
    foreign = Incubation.objects.get(proposal=published["other"])  # Pasuruan
    url = reverse("santri:incubation_detail", args=[incubation.pk])
    for user in (team[0].user, admin_a, jombang_staff, province_staff):
        client.force_login(user)
        assert client.get(url).status_code == 200, user
        assert client.get(reverse("santri:incubation_list")).status_code == 200
    client.force_login(jombang_staff)
    assert client.get(reverse("santri:incubation_detail", args=[foreign.pk])).status_code == 404
    for user in (admin_b, UserFactory(), SantriFactory(pesantren=team[0].pesantren, user=UserFactory()).user):
        client.force_login(user)
        assert client.get(url).status_code == 404
        assert client.post(reverse("santri:progress_note", args=[incubation.pk]), {}).status_code == 404
        assert client.post(reverse("santri:incubation_store_open", args=[incubation.pk])).status_code == 404
        milestone = incubation.milestones.first()
        assert client.post(reverse("santri:milestone_mark", args=[milestone.pk]), {"done": "1"}).status_code == 404
    client.force_login(admin_a)
    assert list(selectors.incubations_for(user=admin_a)) == [incubation]


def test_staff_assign_a_mentor_who_adds_milestones_and_everyone_writes_monthly_notes(
    client, published, team, admin_a, jombang_staff, diskop
):
    incubation = Incubation.objects.get(proposal=published["winner"])
    mentor = MembershipFactory(organisation=diskop, role="staff", user__email="mentor@opop.test").user
    client.force_login(admin_a)
    client.post(reverse("santri:incubation_mentor", args=[incubation.pk]), {"email": mentor.email})
    incubation.refresh_from_db()
    assert incubation.mentor is None  # only staff assign
    client.force_login(jombang_staff)
    response = client.post(reverse("santri:incubation_mentor", args=[incubation.pk]), {"email": admin_a.email})
    assert response.status_code == 200  # a pesantren admin is no Training Centre mentor
    client.post(reverse("santri:incubation_mentor", args=[incubation.pk]), {"email": mentor.email})
    incubation.refresh_from_db()
    assert incubation.mentor == mentor
    client.force_login(mentor)
    due = (timezone.localdate() + timedelta(days=20)).isoformat()
    client.post(reverse("santri:milestone_add", args=[incubation.pk]), {"title": "Uji rasa", "due_on": due})
    assert incubation.milestones.filter(title="Uji rasa").exists()
    client.force_login(team[0].user)
    month = timezone.localdate().strftime("%Y-%m")
    response = client.post(
        reverse("santri:progress_note", args=[incubation.pk]),
        {"month": month, "text": "Terjual 200 sachet", "monthly_omzet": "400000"},
    )
    assert response.status_code == 302
    client.post(reverse("santri:milestone_mark", args=[incubation.milestones.first().pk]), {"done": "1"})
    assert incubation.milestones.first().done_on == timezone.localdate()
    client.force_login(admin_a)  # the same month again replaces the note
    client.post(
        reverse("santri:progress_note", args=[incubation.pk]),
        {"month": month, "text": "Terjual 250 sachet", "monthly_omzet": "500000"},
    )
    note = ProgressNote.objects.get()
    assert note.text == "Terjual 250 sachet" and note.monthly_omzet == 500_000 and note.author == admin_a
    future = (timezone.localdate().replace(day=1) + timedelta(days=40)).strftime("%Y-%m")
    response = client.post(
        reverse("santri:progress_note", args=[incubation.pk]), {"month": future, "text": "x", "monthly_omzet": "0"}
    )
    assert response.status_code == 200 and ProgressNote.objects.count() == 1


# --- the supervised store ---------------------------------------------------------------------------------------


def test_the_winning_santri_opens_the_store_and_the_pesantren_admin_approves_store_and_listing(
    client, published, team, admin_a
):
    incubation = Incubation.objects.get(proposal=published["winner"])
    santri_user = team[0].user
    client.force_login(santri_user)
    page = client.get(reverse("santri:incubation_detail", args=[incubation.pk])).content.decode()
    assert reverse("santri:incubation_store_open", args=[incubation.pk]) in page
    response = client.post(reverse("santri:incubation_store_open", args=[incubation.pk]))
    business = SantriBusiness.objects.get(pk=incubation.business_id)
    organisation = business.organisation
    assert response["Location"] == reverse("marketplace:seller_open", args=[organisation.slug])
    assert (
        organisation.kind == Organisation.Kind.SANTRI_BUSINESS and organisation.parent == team[0].pesantren.organisation
    )
    assert Membership.objects.get(organisation=organisation).user == santri_user
    # Opening twice keeps one organisation.
    client.post(reverse("santri:incubation_store_open", args=[incubation.pk]))
    assert Organisation.objects.filter(kind=Organisation.Kind.SANTRI_BUSINESS).count() == 1
    santri_user.__dict__.pop("_opop_access", None)
    application = opening.store_application_save(
        actor=santri_user,
        organisation=organisation,
        submit=True,
        name="Kopi Santri Tim Kopi",
        slug="kopi-santri-tim-kopi",
        description="Kopi robusta santri.",
        origin=KabupatenKota.objects.get(kode="35.17"),
        pickup_address="Jl. Pesantren 1, Peterongan, Jombang",
        bank_name="Bank Jatim Syariah",
        bank_account_number="0123456789",
        bank_account_name="Siti Rahmawati",
    )
    assert application.status == StoreApplication.Status.SUBMITTED
    assert opening.may_decide(user=admin_a, application=application)  # the supervising pesantren's admin, not a member
    store = opening.store_application_approve(actor=admin_a, application=application)
    assert store.organisation == organisation and store.pillar == "santripreneur"
    food = CategoryFactory(name="Makanan & Minuman", slug="makanan-minuman")
    kopi = CategoryFactory(name="Kopi", slug="kopi", parent=food)
    product = product_create(
        store=store, category=kopi, name="Kopi Sachet Santri", price=2000, stock=100, actor=santri_user
    )
    assert product.listing_status == ListingStatus.PENDING
    revision = ProductRevision.objects.get(product=product, status=ProductRevision.Status.PENDING)
    client.force_login(admin_a)
    assert client.post(reverse("marketplace:curation_approve", args=[revision.pk])).status_code == 302
    product = Product.objects.get(pk=product.pk)
    assert product.listing_status == ListingStatus.APPROVED and product.listing_reviewed_by == admin_a
    assert Store.objects.filter(organisation__santri_business=business).exists()


def test_a_santri_under_17_asks_the_admin_to_open_the_store(client, published, team, admin_a):
    incubation = Incubation.objects.get(proposal=published["winner"])
    today = timezone.localdate()
    Santri.objects.filter(pk=team[0].pk).update(birth_date=today.replace(year=today.year - 15))
    client.force_login(team[0].user)
    response = client.post(reverse("santri:incubation_store_open", args=[incubation.pk]))
    assert response["Location"] == reverse("santri:incubation_detail", args=[incubation.pk])
    assert SantriBusiness.objects.get(pk=incubation.business_id).organisation is None
    client.force_login(admin_a)
    response = client.post(reverse("santri:incubation_store_open", args=[incubation.pk]))
    organisation = SantriBusiness.objects.get(pk=incubation.business_id).organisation
    assert response["Location"] == reverse("marketplace:seller_open", args=[organisation.slug])
    assert Membership.objects.get(organisation=organisation).user == admin_a
