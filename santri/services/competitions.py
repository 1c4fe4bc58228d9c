"""Business-idea competitions.

Ranking: each criterion's score is the mean of the judges' scores (0-100); a proposal's total is
the sum of criterion means weighted by the criterion weight (weights add up to 100), so it is
again 0-100. Ties are broken, in order, by (1) the higher mean on the heaviest criterion, then the
next heaviest, and so on (the rubric's order among equal weights); (2) the earlier submission;
(3) the lower id. Proposals without any score rank last.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from opop import uploads
from opop.models import Organisation, User
from opop.permissions import access_for
from opop.services import DomainError, audit_record
from pesantren.models import Pesantren
from pesantren.services import is_pesantren_admin, is_programme_staff
from santri.models import Competition, Criterion, Judge, Proposal, Score
from santri.models.competitions import SCORE_MAX

MAX_TEAM = 5
ATTACHMENT_TYPES = {".pdf": b"%PDF", ".docx": b"PK", ".pptx": b"PK"}
ATTACHMENT_MAX_BYTES = 5 * 1024 * 1024


@transaction.atomic
def competition_create(*, user: User, criteria: list[tuple[str, int]], judges=(), **fields) -> Competition:
    """Open a competition with a rubric whose weights add up to 100."""
    if not is_programme_staff(user):
        raise PermissionDenied
    criteria = [(name.strip(), int(weight)) for name, weight in criteria if name and name.strip()]
    if not criteria:
        raise ValidationError({"criteria": [_("Give the rubric at least one criterion.")]})
    if any(weight <= 0 for _name, weight in criteria):
        raise ValidationError({"criteria": [_("Every criterion needs a weight above 0.")]})
    total = sum(weight for _name, weight in criteria)
    if total != 100:
        raise ValidationError(
            {"criteria": [_("The weights add up to %(total)s; they must add up to 100.") % {"total": total}]}
        )
    competition = Competition(created_by=user, **fields)
    competition.full_clean()
    competition.save()
    Criterion.objects.bulk_create(
        [
            Criterion(competition=competition, name=name, weight=weight, position=i)
            for i, (name, weight) in enumerate(criteria)
        ]
    )
    for judge in judges:
        judge_add(user=user, competition=competition, judge=judge)
    audit_record(actor=user, action="santri.competition_opened", target=competition)
    return competition


@transaction.atomic
def judge_add(*, user: User, competition: Competition, judge: User) -> Judge:
    if not is_programme_staff(user):
        raise PermissionDenied
    row, _created = Judge.objects.get_or_create(competition=competition, user=judge)
    return row


def _check_attachment(attachment) -> None:
    name = (attachment.name or "").lower()
    suffix = next((s for s in ATTACHMENT_TYPES if name.endswith(s)), None)
    if suffix is None:
        raise ValidationError({"attachment": [_("Attach a PDF, DOCX or PPTX file.")]})
    if attachment.size > ATTACHMENT_MAX_BYTES:
        raise ValidationError({"attachment": [_("The attachment may be at most 5 MB.")]})
    head = attachment.read(4)
    attachment.seek(0)
    if not head.startswith(ATTACHMENT_TYPES[suffix]):
        raise ValidationError(
            {"attachment": [_("The attachment is not a real %(kind)s file.") % {"kind": suffix[1:].upper()}]}
        )
    # Past the first bytes: a PDF must parse, a DOCX/PPTX must be an Office package (opop.uploads).
    try:
        if suffix == ".pdf":
            uploads.pdf_check(attachment, max_bytes=ATTACHMENT_MAX_BYTES)
        else:
            uploads.office_check(attachment, suffix[1:], max_bytes=ATTACHMENT_MAX_BYTES)
    except ValidationError:
        raise ValidationError(
            {"attachment": [_("The attachment is not a real %(kind)s file.") % {"kind": suffix[1:].upper()}]}
        ) from None


@transaction.atomic
def proposal_submit(
    *, user: User, competition: Competition, pesantren: Pesantren, members, attachment, **fields
) -> Proposal:
    """A pesantren admin submits a team's idea before the deadline. 1-5 active santri of that pesantren."""
    if not is_pesantren_admin(user, pesantren):
        raise PermissionDenied
    competition = Competition.objects.select_for_update().get(pk=competition.pk)
    if competition.status != Competition.Status.OPEN or timezone.now() > competition.deadline:
        deadline = timezone.localtime(competition.deadline).strftime("%d/%m/%Y %H:%M")
        raise DomainError(
            _("Submissions closed on %(deadline)s WIB; late proposals cannot be accepted.") % {"deadline": deadline}
        )
    members = list(members)
    if not 1 <= len(members) <= MAX_TEAM:
        raise ValidationError({"members": [_("A team has 1 to 5 santri.")]})
    if any(m.pesantren_id != pesantren.pk for m in members):
        raise ValidationError({"members": [_("Every team member must be a santri of this pesantren.")]})
    if any(m.status != m.Status.ACTIVE for m in members):
        raise ValidationError({"members": [_("Only active santri can be in a team.")]})
    _check_attachment(attachment)
    proposal = Proposal(
        competition=competition, pesantren=pesantren, submitted_by=user, attachment=attachment, **fields
    )
    proposal.full_clean(exclude=["attachment"], validate_constraints=False)
    if Proposal.objects.filter(competition=competition, pesantren=pesantren, team_name=proposal.team_name).exists():
        raise ValidationError({"team_name": [_("This pesantren already has a team with that name.")]})
    proposal.save()
    proposal.members.set(members)
    audit_record(actor=user, action="santri.proposal_submitted", organisation=pesantren.organisation, target=proposal)
    return proposal


def judge_conflict(judge: User, proposal: Proposal) -> bool:
    """A judge who acts for the team's pesantren may not score it."""
    return proposal.pesantren.organisation_id in access_for(judge).organisation_ids(kinds=[Organisation.Kind.PESANTREN])


@transaction.atomic
def score_record(*, judge: User, proposal: Proposal, scores: dict[int, int]) -> list[Score]:
    """A judge scores every criterion (criterion id → 0-100). Re-scoring replaces their scores."""
    competition = proposal.competition
    if not Judge.objects.filter(competition=competition, user=judge).exists():
        raise PermissionDenied
    if judge_conflict(judge, proposal):
        raise DomainError(_("You cannot score a team of your own pesantren."))
    if competition.status == Competition.Status.PUBLISHED:
        raise DomainError(_("The winners are published; scores can no longer change."))
    criteria = {c.pk: c for c in competition.criteria.all()}
    if set(scores) != set(criteria):
        raise ValidationError(_("Score every criterion of the rubric."))
    saved = []
    for criterion_id, value in scores.items():
        value = int(value)
        if not 0 <= value <= SCORE_MAX:
            raise ValidationError(_("Scores run from 0 to %(max)s.") % {"max": SCORE_MAX})
        row, _created = Score.objects.update_or_create(
            proposal=proposal, criterion=criteria[criterion_id], judge=judge, defaults={"value": value}
        )
        saved.append(row)
    audit_record(
        actor=judge, action="santri.proposal_scored", target=proposal, data={str(k): v for k, v in scores.items()}
    )
    return saved


@dataclass
class Ranked:
    proposal: Proposal
    total: Decimal
    by_criterion: list[Decimal]
    judges: int
    rank: int = 0


def competition_ranking(*, competition: Competition) -> list[Ranked]:
    """Proposals ranked by weighted score, with the tie-break in the module docstring."""
    criteria = list(competition.criteria.all())
    proposals = list(
        competition.proposals.select_related("pesantren", "pesantren__kabupaten_kota").prefetch_related("members")
    )
    sums: dict[tuple[int, int], list[int]] = {}
    judges: dict[int, set[int]] = {}
    for proposal_id, criterion_id, judge_id, value in Score.objects.filter(
        proposal__competition=competition
    ).values_list("proposal_id", "criterion_id", "judge_id", "value"):
        sums.setdefault((proposal_id, criterion_id), []).append(value)
        judges.setdefault(proposal_id, set()).add(judge_id)
    heaviest_first = sorted(
        range(len(criteria)), key=lambda i: (-criteria[i].weight, criteria[i].position, criteria[i].pk)
    )
    rows = []
    for proposal in proposals:
        means = []
        for criterion in criteria:
            values = sums.get((proposal.pk, criterion.pk), [])
            means.append(Decimal(sum(values)) / len(values) if values else Decimal(0))
        total = sum((mean * c.weight for mean, c in zip(means, criteria, strict=True)), Decimal(0)) / 100
        rows.append(
            Ranked(
                proposal=proposal,
                total=total.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP),
                by_criterion=means,
                judges=len(judges.get(proposal.pk, ())),
            )
        )
    rows.sort(
        key=lambda r: (
            r.judges == 0,
            -r.total,
            *[-r.by_criterion[i] for i in heaviest_first],
            r.proposal.created_at,
            r.proposal.pk,
        )
    )
    for position, row in enumerate(rows, start=1):
        row.rank = position
    return rows


@transaction.atomic
def competition_publish(*, user: User, competition: Competition) -> list[Proposal]:
    """Staff publish the winners: the top `winners_count` of the ranking after the deadline."""
    if not is_programme_staff(user):
        raise PermissionDenied
    competition = Competition.objects.select_for_update().get(pk=competition.pk)
    if competition.status == Competition.Status.PUBLISHED:
        raise DomainError(_("The winners are already published."))
    if timezone.now() <= competition.deadline:
        raise DomainError(_("Winners can be published after the submission deadline."))
    ranking = [row for row in competition_ranking(competition=competition) if row.judges]
    if not ranking:
        raise DomainError(_("No proposal has been scored yet."))
    winners = []
    for row in ranking[: competition.winners_count]:
        row.proposal.rank = row.rank
        row.proposal.save(update_fields=["rank", "updated_at"])
        winners.append(row.proposal)
    competition.status = Competition.Status.PUBLISHED
    competition.published_at = timezone.now()
    competition.save(update_fields=["status", "published_at", "updated_at"])
    audit_record(
        actor=user, action="santri.competition_published", target=competition, data={"winners": [p.pk for p in winners]}
    )
    return winners
