from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from opop.services import DomainError
from opop.tests.factories import MembershipFactory, UserFactory
from opop.uploads import sample_pdf
from santri import services
from santri.models import Competition, Proposal, Score
from santri.tests.factories import SantriFactory

pytestmark = pytest.mark.django_db

RUBRIC = [("Inovasi", 40), ("Kelayakan usaha", 35), ("Dampak sosial", 25)]


def _pdf(name="proposal.pdf"):
    return SimpleUploadedFile(name, sample_pdf("proposal"), content_type="application/pdf")


@pytest.fixture
def competition(province_staff):
    return services.competition_create(
        user=province_staff,
        criteria=RUBRIC,
        title="Lomba Ide Bisnis Santri 2026",
        deadline=timezone.now() + timedelta(days=7),
        winners_count=2,
    )


def _submit(admin, competition, pesantren, team, n=2):
    return services.proposal_submit(
        user=admin,
        competition=competition,
        pesantren=pesantren,
        members=SantriFactory.create_batch(n, pesantren=pesantren),
        attachment=_pdf(),
        team_name=team,
        title=f"Ide {team}",
        text="Keripik tempe untuk oleh-oleh.",
    )


def _close(competition):
    Competition.objects.filter(pk=competition.pk).update(deadline=timezone.now() - timedelta(minutes=1))
    competition.refresh_from_db()


def _score(judge, proposal, values):
    criteria = list(proposal.competition.criteria.all())
    services.score_record(
        judge=judge, proposal=proposal, scores={c.pk: v for c, v in zip(criteria, values, strict=True)}
    )


def test_rubric_weights_must_add_up_to_100(province_staff):
    with pytest.raises(ValidationError, match="add up to 90"):
        services.competition_create(
            user=province_staff, criteria=[("A", 50), ("B", 40)], title="X", deadline=timezone.now() + timedelta(days=1)
        )


def test_only_staff_open_competitions(admin_a):
    with pytest.raises(PermissionDenied):
        services.competition_create(user=admin_a, criteria=RUBRIC, title="X", deadline=timezone.now())


def test_late_submission_is_refused_with_a_clear_message(competition, pes_a, admin_a):
    _close(competition)
    with pytest.raises(DomainError, match="late proposals cannot be accepted"):
        _submit(admin_a, competition, pes_a, "Tim Telat")
    assert not Proposal.objects.exists()


def test_team_has_1_to_5_santri_of_one_pesantren(competition, pes_a, pes_b, admin_a):
    with pytest.raises(ValidationError):
        _submit(admin_a, competition, pes_a, "Tim Besar", n=6)
    with pytest.raises(ValidationError, match="santri of this pesantren"):
        services.proposal_submit(
            user=admin_a,
            competition=competition,
            pesantren=pes_a,
            members=[SantriFactory(pesantren=pes_b)],
            attachment=_pdf(),
            team_name="Tim Campur",
            title="X",
            text="Y",
        )
    with pytest.raises(ValidationError):
        services.proposal_submit(
            user=admin_a,
            competition=competition,
            pesantren=pes_a,
            members=[],
            attachment=_pdf(),
            team_name="Tim Kosong",
            title="X",
            text="Y",
        )


def test_attachment_must_be_a_real_pdf_docx_or_pptx(competition, pes_a, admin_a):
    fake = SimpleUploadedFile("proposal.pdf", b"MZ\x90 not a pdf", content_type="application/pdf")
    with pytest.raises(ValidationError, match="not a real PDF"):
        services.proposal_submit(
            user=admin_a,
            competition=competition,
            pesantren=pes_a,
            members=SantriFactory.create_batch(1, pesantren=pes_a),
            attachment=fake,
            team_name="Tim",
            title="X",
            text="Y",
        )
    exe = SimpleUploadedFile("proposal.exe", b"MZ", content_type="application/octet-stream")
    with pytest.raises(ValidationError, match="PDF, DOCX or PPTX"):
        services.proposal_submit(
            user=admin_a,
            competition=competition,
            pesantren=pes_a,
            members=SantriFactory.create_batch(1, pesantren=pes_a),
            attachment=exe,
            team_name="Tim",
            title="X",
            text="Y",
        )


def test_a_judge_cannot_score_their_own_pesantrens_team(competition, pes_a, admin_a, pesantren_a):
    judge = MembershipFactory(organisation=pesantren_a, role="staff").user
    services.judge_add(user=competition.created_by, competition=competition, judge=judge)
    proposal = _submit(admin_a, competition, pes_a, "Tim A")
    with pytest.raises(DomainError, match="own pesantren"):
        _score(judge, proposal, [80, 80, 80])
    assert not Score.objects.exists()


def test_only_judges_score_and_every_criterion_is_needed(competition, pes_a, admin_a):
    proposal = _submit(admin_a, competition, pes_a, "Tim A")
    outsider = UserFactory()
    with pytest.raises(PermissionDenied):
        _score(outsider, proposal, [80, 80, 80])
    judge = UserFactory()
    services.judge_add(user=competition.created_by, competition=competition, judge=judge)
    criteria = list(competition.criteria.all())
    with pytest.raises(ValidationError, match="every criterion"):
        services.score_record(judge=judge, proposal=proposal, scores={criteria[0].pk: 80})
    with pytest.raises(ValidationError, match="0 to 100"):
        _score(judge, proposal, [101, 80, 80])


def test_ranking_by_weighted_mean_with_the_documented_tie_break(competition, pes_a, pes_b, admin_a, admin_b):
    judges = [UserFactory(), UserFactory()]
    for judge in judges:
        services.judge_add(user=competition.created_by, competition=competition, judge=judge)
    alpha = _submit(admin_a, competition, pes_a, "Alpha")
    beta = _submit(admin_b, competition, pes_b, "Beta")
    gamma = _submit(admin_a, competition, pes_a, "Gamma")
    delta = _submit(admin_b, competition, pes_b, "Delta")  # never scored
    # Alpha: inovasi 70, kelayakan 80, dampak 90 → 28 + 28 + 22.5 = 78.5
    _score(judges[0], alpha, [60, 80, 90])
    _score(judges[1], alpha, [80, 80, 90])
    # Beta: 90, 70, 70 → 36 + 24.5 + 17.5 = 78.0
    _score(judges[0], beta, [90, 70, 70])
    # Gamma ties Alpha at 78.5 with a higher inovasi (the heaviest criterion): 80, 70, 90 → 32 + 24.5 + 22.5
    _score(judges[0], gamma, [80, 70, 90])
    ranking = services.competition_ranking(competition=competition)
    assert [(r.proposal.team_name, str(r.total)) for r in ranking] == [
        ("Gamma", "79.00"),
        ("Alpha", "78.50"),
        ("Beta", "78.00"),
        ("Delta", "0.00"),
    ]
    _score(judges[1], gamma, [80, 60, 90])  # gamma now 32 + 22.75 + 22.5 = 77.25
    ranking = services.competition_ranking(competition=competition)
    assert [r.proposal for r in ranking] == [alpha, beta, gamma, delta]


def test_exact_tie_goes_to_the_heaviest_criterion_then_the_earlier_submission(competition, pes_a, admin_a):
    judge = UserFactory()
    services.judge_add(user=competition.created_by, competition=competition, judge=judge)
    first, second, third = (_submit(admin_a, competition, pes_a, name) for name in ("Satu", "Dua", "Tiga"))
    _score(judge, first, [50, 50, 50])  # 50.00
    _score(judge, second, [50, 50, 50])  # 50.00, same everywhere: the earlier submission wins
    _score(judge, third, [75, 25, 45])  # 30 + 8.75 + 11.25 = 50.00, but more inovasi
    assert [r.proposal for r in services.competition_ranking(competition=competition)] == [third, first, second]


def test_staff_publish_winners_after_the_deadline(client, competition, pes_a, pes_b, admin_a, admin_b, province_staff):
    judge = UserFactory()
    services.judge_add(user=province_staff, competition=competition, judge=judge)
    a = _submit(admin_a, competition, pes_a, "A")
    b = _submit(admin_b, competition, pes_b, "B")
    c = _submit(admin_b, competition, pes_b, "C")
    _score(judge, a, [60, 60, 60])
    _score(judge, b, [90, 90, 90])
    _score(judge, c, [70, 70, 70])
    with pytest.raises(DomainError, match="after the submission deadline"):
        services.competition_publish(user=province_staff, competition=competition)
    _close(competition)
    with pytest.raises(PermissionDenied):
        services.competition_publish(user=admin_a, competition=competition)
    winners = services.competition_publish(user=province_staff, competition=competition)
    assert winners == [b, c]
    a.refresh_from_db()
    assert a.rank is None
    with pytest.raises(DomainError, match="published"):
        _score(judge, a, [100, 100, 100])
    html = client.get(reverse("santri:competition_detail", args=[competition.pk])).content.decode()
    assert "B — Ide B" in html and "A — Ide A" not in html


def test_competition_pages_for_each_role(client, competition, pes_a, pes_b, admin_a, admin_b, province_staff):
    judge = UserFactory()
    services.judge_add(user=province_staff, competition=competition, judge=judge)
    proposal_b = _submit(admin_b, competition, pes_b, "Tim B")
    client.force_login(admin_a)
    assert client.get(reverse("santri:competition_list")).status_code == 200
    assert client.get(reverse("santri:competition_detail", args=[competition.pk])).status_code == 200
    assert client.get(reverse("santri:proposal_submit", args=[competition.pk, pes_b.pk])).status_code == 404
    assert client.get(reverse("santri:proposal_score", args=[proposal_b.pk])).status_code == 404
    santri = SantriFactory(pesantren=pes_a)
    response = client.post(
        reverse("santri:proposal_submit", args=[competition.pk, pes_a.pk]),
        {
            "team_name": "Tim A",
            "title": "Sabun herbal",
            "text": "Rencana",
            "members": [santri.pk],
            "attachment": _pdf(),
        },
    )
    assert response.status_code == 302
    client.force_login(judge)
    proposal = Proposal.objects.get(team_name="Tim A")
    url = reverse("santri:proposal_score", args=[proposal.pk])
    assert client.get(url).status_code == 200
    criteria = list(competition.criteria.all())
    response = client.post(url, {f"criterion_{c.pk}": 70 for c in criteria})
    assert response.status_code == 302 and Score.objects.filter(proposal=proposal).count() == 3
    client.force_login(province_staff)
    assert client.get(reverse("santri:competition_create")).status_code == 200
    response = client.post(
        reverse("santri:competition_create"),
        {
            "title": "Lomba 2027",
            "deadline": (timezone.localtime() + timedelta(days=3)).strftime("%Y-%m-%dT%H:%M"),
            "winners_count": 3,
            "criteria": "Inovasi: 60\nDampak: 30",
            "judges": judge.email,
        },
    )
    assert "they must add up to 100" in response.content.decode() or "harus berjumlah 100" in response.content.decode()
