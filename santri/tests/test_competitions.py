"""Business-idea competitions: drafts with a canvas and a budget, the team by search and invitation, the submit
lock and the deadline, judging with the conflict rule, results per kabupaten/kota and province-wide."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from opop.services import DomainError
from opop.tests.factories import MembershipFactory, UserFactory
from opop.uploads import sample_pdf
from santri import selectors, services
from santri.models import BudgetItem, Competition, Proposal, Score, TeamInvitation
from santri.tests.competition_helpers import BUDGET, CANVAS, close, competition_open, proposal_complete, score
from santri.tests.factories import SantriFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def competition(province_staff):
    return competition_open(province_staff, winners_count=1)


@pytest.fixture
def draft(competition, pes_a, admin_a):
    return proposal_complete(admin_a, competition, pes_a, "Tim Kopi", submit=False)


def _adult(pesantren, **kw):
    return SantriFactory(pesantren=pesantren, birth_date=date(2000, 1, 1), user=UserFactory(), **kw)


def _minor(pesantren, **kw):
    today = timezone.localdate()
    return SantriFactory(pesantren=pesantren, birth_date=today.replace(year=today.year - 15), user=UserFactory(), **kw)


def _shows(html: str, number: str) -> bool:
    """A score as the page prints it, in Indonesian (79,00) or English (79.00)."""
    return number in html or number.replace(".", ",") in html


def _save(user, proposal, **changes):
    return services.proposal_draft_save(user=user, proposal=proposal, **changes)


# --- rubric --------------------------------------------------------------------------------------------------


def test_rubric_weights_must_add_up_to_100(province_staff):
    with pytest.raises(ValidationError, match="add up to 90"):
        services.competition_create(
            user=province_staff, criteria=[("A", 50), ("B", 40)], title="X", deadline=timezone.now() + timedelta(days=1)
        )


def test_only_staff_open_competitions(admin_a):
    with pytest.raises(PermissionDenied):
        competition_open(admin_a)


# --- canvas and budget ----------------------------------------------------------------------------------------


def test_a_complete_draft_keeps_canvas_budget_and_computed_total(draft):
    assert draft.status == Proposal.Status.DRAFT
    assert [(i.description, i.quantity, i.unit_price, i.total) for i in draft.budget_items.all()] == [
        ("Mesin sangrai mini", 1, 3_500_000, 3_500_000),
        ("Kemasan sachet", 1000, 500, 500_000),
    ]
    assert draft.budget_total == 4_000_000
    assert [text for _label, text in draft.canvas()] == list(CANVAS.values())


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ({"description": "Gula", "quantity": -1, "unit_price": 1000}, "quantity runs from 1"),
        ({"description": "Gula", "quantity": 0, "unit_price": 1000}, "quantity runs from 1"),
        ({"description": "Gula", "quantity": 2, "unit_price": 0}, "at least Rp1"),
        ({"description": "Gula", "quantity": 2, "unit_price": -500}, "at least Rp1"),
        ({"description": "", "quantity": 2, "unit_price": 500}, "1 to 120 characters"),
        ({"description": "x" * 121, "quantity": 2, "unit_price": 500}, "1 to 120 characters"),
        ({"description": "Gula", "quantity": "dua", "unit_price": 500}, "whole numbers"),
        ({"description": "Gula", "quantity": 100_001, "unit_price": 500}, "quantity runs from 1"),
    ],
)
def test_bad_budget_lines_are_refused_and_keep_the_saved_budget(draft, admin_a, row, message):
    with pytest.raises(ValidationError, match=message):
        _save(admin_a, draft, budget=[*BUDGET, row])
    assert BudgetItem.objects.filter(proposal=draft).count() == 2


def test_at_most_30_budget_lines(draft, admin_a):
    rows = [{"description": f"Barang {n}", "quantity": 1, "unit_price": 1000} for n in range(30)]
    _save(admin_a, draft, budget=rows, funding_asked=30_000)
    assert draft.budget_items.count() == 30
    with pytest.raises(ValidationError, match="at most 30 lines"):
        _save(admin_a, draft, budget=[*rows, rows[0]])


def test_funding_asked_may_not_exceed_the_budget_total(draft, admin_a):
    _save(admin_a, draft, funding_asked=4_000_000)  # exactly the total: fine
    with pytest.raises(ValidationError, match="more than the budget total"):
        _save(admin_a, draft, funding_asked=4_000_001)
    with pytest.raises(ValidationError, match="more than the budget total"):
        _save(admin_a, draft, budget=[{"description": "Kemasan", "quantity": 1, "unit_price": 100}])
    draft.refresh_from_db()
    assert draft.funding_asked == 4_000_000 and draft.budget_total == 4_000_000


def test_canvas_blocks_have_a_maximum_length(draft, admin_a):
    with pytest.raises(ValidationError) as caught:
        _save(admin_a, draft, value_proposition="x" * 1001)
    assert "value_proposition" in caught.value.message_dict


def test_an_incomplete_draft_cannot_be_submitted_and_says_what_is_missing(competition, pes_a, admin_a):
    proposal = services.proposal_start(
        user=admin_a, competition=competition, pesantren=pes_a, team_name="Tim Kosong", title="Ide"
    )
    with pytest.raises(DomainError) as caught:
        services.proposal_submit(user=admin_a, proposal=proposal)
    text = str(caught.value)
    for expected in ("business category", "summary", "every block of the canvas", "budget line", "1 to 5 santri"):
        assert expected in text
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.DRAFT


def test_the_pitch_deck_is_optional_but_must_be_a_real_pdf(draft, admin_a):
    fake = SimpleUploadedFile("deck.pdf", b"%PDF-1.4 not really", content_type="application/pdf")
    with pytest.raises(ValidationError):
        _save(admin_a, draft, attachment=fake)
    word = SimpleUploadedFile("deck.docx", b"PK\x03\x04", content_type="application/zip")
    with pytest.raises(ValidationError, match="must be a PDF"):
        _save(admin_a, draft, attachment=word)
    _save(admin_a, draft, attachment=SimpleUploadedFile("deck.pdf", sample_pdf("Pitch"), "application/pdf"))
    draft.refresh_from_db()
    assert draft.attachment.name.endswith(".pdf")


# --- submit lock and deadline -----------------------------------------------------------------------------------


def test_submitting_locks_the_proposal(draft, admin_a):
    services.proposal_submit(user=admin_a, proposal=draft)
    draft.refresh_from_db()
    assert draft.status == Proposal.Status.SUBMITTED and draft.submitted_at and draft.submitted_by == admin_a
    with pytest.raises(DomainError, match="can no longer change"):
        _save(admin_a, draft, title="Ide baru")
    with pytest.raises(DomainError, match="can no longer change"):
        services.proposal_submit(user=admin_a, proposal=draft)
    with pytest.raises(DomainError, match="can no longer change"):
        services.team_invite(user=admin_a, proposal=draft, santri=SantriFactory(pesantren=draft.pesantren))
    draft.refresh_from_db()
    assert draft.title == "Ide Tim Kopi"


def test_after_the_deadline_nothing_is_saved_or_submitted(draft, competition, pes_a, admin_a):
    close(competition)
    with pytest.raises(DomainError, match="late proposals cannot be accepted"):
        _save(admin_a, draft, title="Telat")
    with pytest.raises(DomainError, match="late proposals cannot be accepted"):
        services.proposal_submit(user=admin_a, proposal=draft)
    with pytest.raises(DomainError, match="late proposals cannot be accepted"):
        services.proposal_start(user=admin_a, competition=competition, pesantren=pes_a, team_name="B", title="B")
    draft.refresh_from_db()
    assert draft.status == Proposal.Status.DRAFT and draft.title == "Ide Tim Kopi"


def test_the_draft_page_saves_then_submits_and_then_shows_it_read_only(client, draft, admin_a):
    client.force_login(admin_a)
    url = reverse("santri:proposal_edit", args=[draft.pk])
    page = client.get(url)
    assert page.status_code == 200 and 'name="budget-0-unit_price"' in page.content.decode()
    data = {
        "team_name": "Tim Kopi",
        "title": "Kopi sachet",
        "category": "food",
        "text": "Ringkasan",
        "funding_asked": "3500000",
        **CANVAS,
        "budget-TOTAL_FORMS": "3",
        "budget-INITIAL_FORMS": "2",
        "budget-MIN_NUM_FORMS": "0",
        "budget-MAX_NUM_FORMS": "30",
        "budget-0-description": "Mesin sangrai mini",
        "budget-0-quantity": "1",
        "budget-0-unit_price": "3500000",
        "budget-1-description": "Kemasan",
        "budget-1-quantity": "2",
        "budget-1-unit_price": "-5",
        "budget-2-description": "",
        "budget-2-quantity": "",
        "budget-2-unit_price": "",
    }
    response = client.post(url, {**data, "action": "save"})
    assert response.status_code == 200  # the negative price is shown on the form
    assert BudgetItem.objects.filter(proposal=draft).count() == 2
    data["budget-1-unit_price"] = "500"
    data["budget-1-DELETE"] = ""
    response = client.post(url, {**data, "action": "submit"})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == Proposal.Status.SUBMITTED and draft.budget_total == 3_501_000
    html = client.get(url).content.decode()
    assert "Rp3.501.000" in html and 'name="budget-0-unit_price"' not in html
    assert client.post(url, {**data, "title": "Lain", "action": "save"}).status_code == 302
    draft.refresh_from_db()
    assert draft.title == "Kopi sachet"


# --- the team: search and invitations ----------------------------------------------------------------------------


def test_team_search_finds_only_the_proposals_own_pesantren(client, draft, pes_a, pes_b, admin_a):
    mine = SantriFactory(pesantren=pes_a, name="Ahmad Fauzi")
    theirs = SantriFactory(pesantren=pes_b, name="Ahmad Fikri")
    SantriFactory(pesantren=pes_a, name="Ahmad Lulus", status="graduated")
    assert selectors.team_search(proposal=draft, query="Ahmad") == [mine]
    client.force_login(admin_a)
    data = client.get(reverse("santri:team_search_json", args=[draft.pk]), {"q": "ahmad"}).json()
    assert [r["id"] for r in data["results"]] == [mine.pk]
    page = client.get(reverse("santri:proposal_edit", args=[draft.pk]), {"q": "Ahmad"}).content.decode()
    assert "Ahmad Fauzi" in page and "Ahmad Fikri" not in page
    # A foreign santri's id posted by hand is not found.
    response = client.post(reverse("santri:team_invite", args=[draft.pk]), {"santri": theirs.pk})
    assert response.status_code == 404
    with pytest.raises(ValidationError, match="santri of this pesantren"):
        services.team_invite(user=admin_a, proposal=draft, santri=theirs)


def test_team_search_endpoint_is_for_the_proposals_editors_only(client, draft, admin_b, province_staff):
    url = reverse("santri:team_search_json", args=[draft.pk])
    client.force_login(admin_b)
    assert client.get(url, {"q": "ah"}).status_code == 404
    client.force_login(province_staff)
    assert client.get(url, {"q": "ah"}).status_code == 404  # staff read submitted proposals, never edit drafts


def test_a_santri_with_an_account_answers_the_invitation(client, draft, pes_a, admin_a):
    friend = _adult(pes_a)
    invitation = services.team_invite(user=admin_a, proposal=draft, santri=friend)
    assert invitation.status == TeamInvitation.Status.PENDING
    assert not draft.members.filter(pk=friend.pk).exists()
    assert list(selectors.santri_team_invitations(friend)) == [invitation]
    client.force_login(friend.user)
    detail = client.get(reverse("santri:competition_detail", args=[draft.competition_id])).content.decode()
    assert reverse("santri:team_answer", args=[invitation.pk]) in detail  # shown where the santri looks
    assert client.post(reverse("santri:team_answer", args=[invitation.pk]), {"answer": "accept"}).status_code == 302
    invitation.refresh_from_db()
    assert invitation.status == TeamInvitation.Status.ACCEPTED and invitation.answered_by == friend.user
    assert draft.members.filter(pk=friend.pk).exists()
    assert list(selectors.santri_team_invitations(friend)) == []
    # Now on the team, the santri edits the draft themselves.
    assert client.get(reverse("santri:proposal_edit", args=[draft.pk])).status_code == 200
    _save(friend.user, draft, title="Kopi sachet")


def test_an_invitation_is_answered_by_the_invited_santri_or_their_admin_only(client, draft, pes_a, admin_a, admin_b):
    friend, other = _adult(pes_a), _adult(pes_a)
    invitation = services.team_invite(user=admin_a, proposal=draft, santri=friend)
    with pytest.raises(PermissionDenied):
        services.team_invitation_answer(user=other.user, invitation=invitation, accept=True)
    client.force_login(admin_b)
    assert client.post(reverse("santri:team_answer", args=[invitation.pk]), {"answer": "accept"}).status_code == 404
    services.team_invitation_answer(user=friend.user, invitation=invitation, accept=False)
    invitation.refresh_from_db()
    assert invitation.status == TeamInvitation.Status.DECLINED
    assert not draft.members.filter(pk=friend.pk).exists()
    with pytest.raises(DomainError, match="answered already"):
        services.team_invitation_answer(user=friend.user, invitation=invitation, accept=True)


def test_a_team_has_at_most_five_counting_waiting_invitations(draft, pes_a, admin_a):
    for _n in range(3):  # two members already
        services.team_invite(user=admin_a, proposal=draft, santri=SantriFactory(pesantren=pes_a))
    with pytest.raises(ValidationError, match="1 to 5 santri"):
        services.team_invite(user=admin_a, proposal=draft, santri=_adult(pes_a))
    assert draft.members.count() == 5


def test_a_santri_starts_a_proposal_and_is_its_first_member(client, competition, pes_a, pes_b):
    santri = _adult(pes_a)
    client.force_login(santri.user)
    response = client.post(
        reverse("santri:proposal_start_own", args=[competition.pk]), {"team_name": "Tim Santri", "title": "Ide"}
    )
    proposal = Proposal.objects.get(team_name="Tim Santri")
    assert response["Location"] == reverse("santri:proposal_edit", args=[proposal.pk])
    assert proposal.pesantren == pes_a and list(proposal.members.all()) == [santri]
    # Not for another pesantren, not for someone without a santri account.
    assert client.get(reverse("santri:proposal_submit", args=[competition.pk, pes_b.pk])).status_code == 404
    client.force_login(UserFactory())
    assert client.get(reverse("santri:proposal_start_own", args=[competition.pk])).status_code == 404


def test_a_santri_under_17_needs_the_admin_to_submit(draft, pes_a, admin_a):
    young, grown = _minor(pes_a), _adult(pes_a)
    for santri in (young, grown):
        invitation = services.team_invite(user=admin_a, proposal=draft, santri=santri)
        services.team_invitation_answer(user=santri.user, invitation=invitation, accept=True)
    _save(young.user, draft, title="Disimpan santri muda")  # drafting is not public
    with pytest.raises(DomainError, match="under 17"):
        services.proposal_submit(user=young.user, proposal=draft)
    services.proposal_submit(user=grown.user, proposal=draft)
    draft.refresh_from_db()
    assert draft.status == Proposal.Status.SUBMITTED and draft.submitted_by == grown.user


def test_drafts_are_seen_by_their_pesantren_not_by_others(client, draft, admin_b, province_staff, competition):
    client.force_login(admin_b)
    assert client.get(reverse("santri:proposal_edit", args=[draft.pk])).status_code == 404
    client.force_login(province_staff)
    assert client.get(reverse("santri:proposal_edit", args=[draft.pk])).status_code == 404  # a draft is the team's
    client.force_login(UserFactory())
    assert client.get(reverse("santri:proposal_edit", args=[draft.pk])).status_code == 404


# --- judging ------------------------------------------------------------------------------------------------------


def test_a_judge_of_the_teams_pesantren_may_not_score_and_sees_no_score_form(
    client, competition, pes_a, admin_a, pesantren_a
):
    judge = MembershipFactory(organisation=pesantren_a, role="staff").user
    services.judge_add(user=competition.created_by, competition=competition, judge=judge)
    proposal = proposal_complete(admin_a, competition, pes_a, "Tim A")
    with pytest.raises(DomainError, match="own pesantren"):
        score(judge, proposal, [80, 80, 80])
    client.force_login(judge)
    url = reverse("santri:proposal_score", args=[proposal.pk])
    html = client.get(url).content.decode()
    assert 'role="alert"' in html and 'name="criterion_' not in html
    criteria = list(competition.criteria.all())
    client.post(url, {f"criterion_{c.pk}": 90 for c in criteria})
    assert not Score.objects.exists()
    detail = client.get(reverse("santri:competition_detail", args=[competition.pk])).content.decode()
    assert url not in detail


def test_only_judges_score_submitted_proposals_and_every_criterion_is_needed(competition, pes_a, admin_a, draft):
    proposal = proposal_complete(admin_a, competition, pes_a, "Tim A")
    with pytest.raises(PermissionDenied):
        score(UserFactory(), proposal, [80, 80, 80])
    judge = UserFactory()
    services.judge_add(user=competition.created_by, competition=competition, judge=judge)
    criteria = list(competition.criteria.all())
    with pytest.raises(ValidationError, match="every criterion"):
        services.score_record(judge=judge, proposal=proposal, scores={criteria[0].pk: 80})
    with pytest.raises(ValidationError, match="0 to 100"):
        score(judge, proposal, [101, 80, 80])
    with pytest.raises(DomainError, match="Only submitted"):
        score(judge, draft, [80, 80, 80])


# --- results ------------------------------------------------------------------------------------------------------


@pytest.fixture
def judged(competition, pes_a, pes_b, admin_a, admin_b, province_staff):
    """Five teams in two regions, scored by two judges; weights 40/35/25."""
    from pesantren.tests.factories import PesantrenFactory

    pes_a2 = PesantrenFactory(organisation=MembershipFactory(organisation__kabupaten_kota_id="35.17").organisation)
    judges = [UserFactory(), UserFactory()]
    for judge in judges:
        services.judge_add(user=province_staff, competition=competition, judge=judge)
    teams = {
        "Alpha": proposal_complete(admin_a, competition, pes_a, "Alpha"),
        "Beta": proposal_complete(admin_b, competition, pes_b, "Beta"),
        "Gamma": proposal_complete(admin_a, competition, pes_a, "Gamma"),
        "Delta": proposal_complete(admin_b, competition, pes_b, "Delta"),
        "Eps": proposal_complete(pes_a2.organisation.memberships.get().user, competition, pes_a2, "Eps"),
    }
    score(judges[0], teams["Alpha"], [60, 80, 90])  # Alpha: means 70/80/90 → 28 + 28 + 22.5 = 78.50
    score(judges[1], teams["Alpha"], [80, 80, 90])
    score(judges[0], teams["Beta"], [90, 70, 70])  # Beta: 36 + 24.5 + 17.5 = 78.00
    score(judges[0], teams["Gamma"], [80, 70, 90])  # Gamma: 32 + 24.5 + 22.5 = 79.00
    score(judges[0], teams["Delta"], [70, 80, 90])  # Delta ties Alpha's 78.50 but with less inovasi (70 = 70)...
    score(judges[1], teams["Delta"], [70, 80, 90])  # ...same means everywhere: the earlier submission (Alpha) wins
    score(judges[0], teams["Eps"], [78, 80, 79])  # Eps: 31.2 + 28 + 19.75 = 78.95
    return teams


def test_results_rank_per_kabupaten_kota_and_province_wide_with_the_tie_break(judged, competition, province_staff):
    ranking = services.competition_ranking(competition=competition)
    # An independent expected table: (team, total, province rank, region rank).
    expected = [
        ("Gamma", "79.00", 1, 1),  # Jombang
        ("Eps", "78.95", 2, 2),  # Jombang
        ("Alpha", "78.50", 3, 3),  # Jombang; ties Delta everywhere, submitted earlier
        ("Delta", "78.50", 4, 1),  # Pasuruan
        ("Beta", "78.00", 5, 2),  # Pasuruan
    ]
    assert [(r.proposal.team_name, str(r.total), r.rank, r.region_rank) for r in ranking] == expected
    close(competition)
    winners = services.competition_publish(user=province_staff, competition=competition)
    assert [p.team_name for p in winners] == ["Gamma", "Delta"]  # the best of each kabupaten/kota
    stored = Proposal.objects.order_by("rank").values_list(
        "team_name", "total_score", "rank", "region_rank", "is_winner"
    )
    assert list(stored) == [
        (team, Decimal(total), rank, region_rank, team in ("Gamma", "Delta"))
        for team, total, rank, region_rank in expected
    ]


def test_equal_scores_go_to_the_heaviest_criterion_first(competition, pes_a, admin_a):
    judge = UserFactory()
    services.judge_add(user=competition.created_by, competition=competition, judge=judge)
    first, second, third = (proposal_complete(admin_a, competition, pes_a, name) for name in ("Satu", "Dua", "Tiga"))
    score(judge, first, [50, 50, 50])  # 50.00
    score(judge, second, [50, 50, 50])  # 50.00, same everywhere: the earlier submission wins
    score(judge, third, [75, 25, 45])  # 30 + 8.75 + 11.25 = 50.00, but more inovasi
    assert [r.proposal for r in services.competition_ranking(competition=competition)] == [third, first, second]


def test_scores_are_hidden_until_published_then_shown_per_region(client, judged, competition, admin_a, province_staff):
    results_url = reverse("santri:competition_results", args=[competition.pk])
    detail_url = reverse("santri:competition_detail", args=[competition.pk])
    for user in (None, admin_a):
        if user:
            client.force_login(user)
        assert not _shows(client.get(results_url).content.decode(), "79.00")
        assert not _shows(client.get(detail_url).content.decode(), "79.00")
    client.force_login(province_staff)
    assert _shows(client.get(detail_url).content.decode(), "79.00")  # staff follow the judging
    close(competition)
    with pytest.raises(PermissionDenied):
        services.competition_publish(user=admin_a, competition=competition)
    services.competition_publish(user=province_staff, competition=competition)
    client.logout()
    html = client.get(results_url).content.decode()
    assert _shows(html, "79.00") and _shows(html, "78.95") and "Kab. Jombang" in html and "Kab. Pasuruan" in html
    with pytest.raises(DomainError, match="published"):
        score(competition.judges.first().user, judged["Beta"], [1, 1, 1])


def test_publishing_needs_the_deadline_passed_and_a_score(competition, province_staff, pes_a, admin_a):
    proposal_complete(admin_a, competition, pes_a, "Tim A")
    with pytest.raises(DomainError, match="after the submission deadline"):
        services.competition_publish(user=province_staff, competition=competition)
    close(competition)
    with pytest.raises(DomainError, match="No proposal has been scored"):
        services.competition_publish(user=province_staff, competition=competition)
    assert Competition.objects.get().status == Competition.Status.OPEN


def test_the_proposal_list_and_results_pages_cost_the_same_queries_for_few_and_many(
    client, competition, pes_a, admin_a, province_staff, django_assert_max_num_queries
):
    judge = UserFactory()
    services.judge_add(user=province_staff, competition=competition, judge=judge)
    for n in range(2):
        score(judge, proposal_complete(admin_a, competition, pes_a, f"Tim {n}"), [60 + n, 60, 60])
    detail = reverse("santri:competition_detail", args=[competition.pk])
    results = reverse("santri:competition_results", args=[competition.pk])

    def counts():
        client.force_login(province_staff)
        with django_assert_max_num_queries(40) as few:
            client.get(detail)
        return len(few.captured_queries)

    small = counts()
    for n in range(2, 12):
        score(judge, proposal_complete(admin_a, competition, pes_a, f"Tim {n}"), [60 + n, 60, 60])
    assert counts() <= small
    close(competition)
    services.competition_publish(user=province_staff, competition=competition)
    client.logout()
    with django_assert_max_num_queries(12):
        assert client.get(results).status_code == 200
