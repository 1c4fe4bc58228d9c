"""Business-idea competitions: the rubric, proposals (draft → submitted), teams, judging, results, certificates.

Who edits a proposal: the pesantren's admins (on the team's behalf) and the santri on its team who have their own
account. Drafts are saved at any time before the deadline; submitting checks the proposal is complete and locks
it. After the deadline nothing is saved or submitted.

Ranking: each criterion's score is the mean of the judges' scores (0-100); a proposal's total is the sum of
criterion means weighted by the criterion weight (weights add up to 100), so it is again 0-100. Ties are broken,
in order, by (1) the higher mean on the heaviest criterion, then the next heaviest, and so on (the rubric's order
among equal weights); (2) the earlier submission; (3) the lower id. Proposals without any score are not ranked.
The same order ranks each kabupaten/kota's proposals (results per kabupaten/kota) and all of them
(province-wide). The winners are the top `winners_count` of each kabupaten/kota, as the judging practice of the
programme ranks per region.

Publishing (`competition_publish`) freezes the totals and ranks, issues the certificates, and promotes each
winning team: its santri become santripreneurs, the team gets a santri business and an OPOP Training Centre
incubation (santri.services.incubation). Publishing again changes nothing and repairs nothing missing twice.
"""

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from opop import uploads
from opop.limits import MAX_RUPIAH
from opop.models import Organisation, User
from opop.permissions import access_for
from opop.services import DomainError, audit_record
from pesantren.models import Pesantren
from pesantren.services import is_pesantren_admin, is_programme_staff
from santri.certificate_numbers import (  # noqa: F401 - certificate_check_character, _is_valid re-exported
    COMPETITION_SERIES,
    certificate_check_character,
    certificate_number_is_valid,
)
from santri.models import (
    BudgetItem,
    Competition,
    CompetitionCertificate,
    Criterion,
    Judge,
    Proposal,
    Santri,
    Score,
    TeamInvitation,
)
from santri.models.competitions import BUDGET_MAX_QUANTITY, BUDGET_MAX_ROWS, CANVAS_BLOCKS, SCORE_MAX
from santri.services.accounts import santri_needs_guardian
from santri.services.certificates import certificate_numbers_take

MAX_TEAM = 5
PITCH_DECK_MAX_BYTES = 5 * 1024 * 1024
EDITABLE_FIELDS = ("team_name", "title", "category", "text", "funding_asked", *CANVAS_BLOCKS)


def santri_public_name(name: str) -> str:
    """A santri as public pages name them, like `User.public_name`: `Siti Rahmawati` → `Siti R.`."""
    words = (name or "").split()
    if len(words) < 2:
        return words[0] if words else ""
    return f"{words[0]} {words[-1][0].upper()}."


def acting_santri(user: User) -> Santri | None:
    """The santri record behind a santri's own account, if the user is one (and active)."""
    if not getattr(user, "is_authenticated", False):
        return None
    return (
        Santri.objects.select_related("pesantren", "pesantren__kabupaten_kota")
        .filter(user=user, status=Santri.Status.ACTIVE)
        .first()
    )


def proposal_may_edit(*, user: User, proposal: Proposal) -> bool:
    """The pesantren's admins, or a santri of the team (accepted) with their own account."""
    if is_pesantren_admin(user=user, pesantren=proposal.pesantren):
        return True
    santri = acting_santri(user)
    return santri is not None and proposal.members.filter(pk=santri.pk).exists()


def _require_open(proposal: Proposal) -> Competition:
    competition = Competition.objects.select_for_update().get(pk=proposal.competition_id)
    if competition.status != Competition.Status.OPEN or timezone.now() > competition.deadline:
        deadline = timezone.localtime(competition.deadline).strftime("%d/%m/%Y %H:%M")
        raise DomainError(
            _("Submissions closed on %(deadline)s WIB; late proposals cannot be accepted.") % {"deadline": deadline}
        )
    return competition


def _require_draft(user: User, proposal: Proposal) -> Proposal:
    if not proposal_may_edit(user=user, proposal=proposal):
        raise PermissionDenied
    _require_open(proposal)
    locked = Proposal.objects.select_for_update().get(pk=proposal.pk)
    if not locked.is_draft:
        raise DomainError(_("This proposal was submitted; it can no longer change."))
    return locked


@transaction.atomic
def competition_create(*, user: User, criteria: list[tuple[str, int]], judges=(), **fields) -> Competition:
    """Open a competition with a rubric whose weights add up to 100."""
    if not is_programme_staff(user=user):
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
    if not is_programme_staff(user=user):
        raise PermissionDenied
    row, _created = Judge.objects.get_or_create(competition=competition, user=judge)
    return row


def _check_pitch_deck(upload) -> None:
    """A pitch deck is a real PDF of at most 5 MB (opop.uploads)."""
    if not (upload.name or "").lower().endswith(".pdf"):
        raise ValidationError({"attachment": [_("The pitch deck must be a PDF file.")]})
    try:
        uploads.pdf_check(upload, max_bytes=PITCH_DECK_MAX_BYTES)
    except ValidationError as exc:
        raise ValidationError({"attachment": exc.messages}) from None


# --- proposals: start, save the draft, submit ---------------------------------------------------------------


@transaction.atomic
def proposal_start(
    *, user: User, competition: Competition, team_name: str, title: str, pesantren: Pesantren | None = None
) -> Proposal:
    """Start a draft. A pesantren admin starts one for `pesantren`; a santri with an account starts one for
    their own pesantren and is its first team member."""
    santri = None
    if pesantren is None or not is_pesantren_admin(user=user, pesantren=pesantren):
        santri = acting_santri(user)
        if santri is None or (pesantren is not None and pesantren.pk != santri.pesantren_id):
            raise PermissionDenied
        pesantren = santri.pesantren
    proposal = Proposal(competition=competition, pesantren=pesantren, created_by=user, team_name=team_name.strip())
    proposal.title = title.strip()
    _require_open(proposal)
    proposal.full_clean(exclude=["competition", "pesantren", "created_by", "submitted_by"], validate_constraints=False)
    if Proposal.objects.filter(competition=competition, pesantren=pesantren, team_name=proposal.team_name).exists():
        raise ValidationError({"team_name": [_("This pesantren already has a team with that name.")]})
    proposal.save()
    if santri is not None:
        TeamInvitation.objects.create(
            proposal=proposal,
            santri=santri,
            status=TeamInvitation.Status.ACCEPTED,
            invited_by=user,
            answered_by=user,
            answered_at=timezone.now(),
        )
        proposal.members.add(santri)
    audit_record(actor=user, action="santri.proposal_started", organisation=pesantren.organisation, target=proposal)
    return proposal


def budget_rows_clean(rows: list[dict]) -> list[dict]:
    """Check budget lines: a described item, quantity 1-100,000, unit price from Rp1, at most 30 lines.

    Each row is {"description", "quantity", "unit_price"}; raises ValidationError({"budget": [...]})."""
    if len(rows) > BUDGET_MAX_ROWS:
        raise ValidationError({"budget": [_("A budget has at most %(max)s lines.") % {"max": BUDGET_MAX_ROWS}]})
    cleaned = []
    for n, row in enumerate(rows, start=1):
        description = (row.get("description") or "").strip()
        try:
            quantity, unit_price = int(row.get("quantity")), int(row.get("unit_price"))
        except (TypeError, ValueError):
            raise ValidationError(
                {"budget": [_("Line %(n)s: give the quantity and the unit price as whole numbers.") % {"n": n}]}
            ) from None
        if not description or len(description) > 120:
            raise ValidationError({"budget": [_("Line %(n)s: describe the item in 1 to 120 characters.") % {"n": n}]})
        if not 1 <= quantity <= BUDGET_MAX_QUANTITY:
            raise ValidationError(
                {
                    "budget": [
                        _("Line %(n)s: the quantity runs from 1 to %(max)s.") % {"n": n, "max": BUDGET_MAX_QUANTITY}
                    ]
                }
            )
        if not 1 <= unit_price <= MAX_RUPIAH:
            raise ValidationError({"budget": [_("Line %(n)s: the unit price must be at least Rp1.") % {"n": n}]})
        if quantity * unit_price > MAX_RUPIAH:
            raise ValidationError({"budget": [_("Line %(n)s: the total is too large.") % {"n": n}]})
        cleaned.append({"description": description, "quantity": quantity, "unit_price": unit_price})
    return cleaned


@transaction.atomic
def proposal_draft_save(
    *, user: User, proposal: Proposal, budget: list[dict] | None = None, attachment=None, **fields
) -> Proposal:
    """Save the draft: canvas, category, summary, funding asked, budget lines (replaced), pitch deck (optional).

    Needs an editor (see `proposal_may_edit`), a draft and an open competition. The funding asked may not exceed
    the budget total. Raises PermissionDenied, DomainError, or ValidationError per field."""
    locked = _require_draft(user, proposal)
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise DomainError(_("This field cannot be changed here."))
    for name, value in fields.items():
        setattr(locked, name, value.strip() if isinstance(value, str) else value)
    rows = budget_rows_clean(budget) if budget is not None else None
    total = sum(r["quantity"] * r["unit_price"] for r in rows) if rows is not None else locked.budget_total
    if locked.funding_asked is None or locked.funding_asked < 0:
        raise ValidationError({"funding_asked": [_("The funding asked cannot be negative.")]})
    if locked.funding_asked > total:
        raise ValidationError({"funding_asked": [_("The funding asked cannot be more than the budget total.")]})
    changed = [*fields, "updated_at"]
    if attachment is not None:
        _check_pitch_deck(attachment)
        locked.attachment = attachment
        changed.append("attachment")
    locked.full_clean(
        exclude=["competition", "pesantren", "attachment", "created_by", "submitted_by"], validate_constraints=False
    )
    if (
        Proposal.objects.filter(competition_id=locked.competition_id, pesantren_id=locked.pesantren_id)
        .filter(team_name=locked.team_name)
        .exclude(pk=locked.pk)
        .exists()
    ):
        raise ValidationError({"team_name": [_("This pesantren already has a team with that name.")]})
    locked.save(update_fields=changed)
    if rows is not None:
        locked.budget_items.all().delete()
        BudgetItem.objects.bulk_create([BudgetItem(proposal=locked, position=i, **r) for i, r in enumerate(rows)])
    return locked


def proposal_missing(proposal: Proposal) -> list[str]:
    """What a proposal still lacks before it can be submitted, as sentences for the team."""
    missing = []
    if not proposal.category:
        missing.append(_("Choose the business category."))
    if not proposal.text.strip():
        missing.append(_("Write the summary of the idea."))
    empty = [str(label) for label, text in proposal.canvas() if not text.strip()]
    if empty:
        missing.append(_("Fill every block of the canvas: %(blocks)s.") % {"blocks": ", ".join(empty)})
    items = list(proposal.budget_items.all())
    if not items:
        missing.append(_("Add at least one budget line."))
    if proposal.funding_asked < 1:
        missing.append(_("Say how much funding the team asks for."))
    elif proposal.funding_asked > sum(i.total for i in items):
        missing.append(_("The funding asked cannot be more than the budget total."))
    members = list(proposal.members.all())
    if not 1 <= len(members) <= MAX_TEAM:
        missing.append(_("A team has 1 to 5 santri."))
    if any(m.status != Santri.Status.ACTIVE or m.pesantren_id != proposal.pesantren_id for m in members):
        missing.append(_("Only active santri of this pesantren can be in a team."))
    return missing


@transaction.atomic
def proposal_submit(*, user: User, proposal: Proposal) -> Proposal:
    """Submit a complete draft before the deadline; it is locked from then on.

    A santri under 17 (or of unknown age) cannot submit themselves: the pesantren admin confirms for them.
    Invitations still unanswered are withdrawn. Raises DomainError with what is missing."""
    locked = _require_draft(user, proposal)
    if not is_pesantren_admin(user=user, pesantren=locked.pesantren):
        santri = acting_santri(user)
        if santri is not None and santri_needs_guardian(santri):
            raise DomainError(
                _("Santri under 17 need their pesantren admin to confirm: ask your admin to submit the proposal.")
            )
    missing = proposal_missing(locked)
    if missing:
        raise DomainError(" ".join(missing))
    locked.invitations.filter(status=TeamInvitation.Status.PENDING).update(
        status=TeamInvitation.Status.WITHDRAWN, answered_at=timezone.now()
    )
    locked.status = Proposal.Status.SUBMITTED
    locked.submitted_at = timezone.now()
    locked.submitted_by = user
    locked.save(update_fields=["status", "submitted_at", "submitted_by", "updated_at"])
    audit_record(
        actor=user,
        action="santri.proposal_submitted",
        organisation=locked.pesantren.organisation,
        target=locked,
        data={"on_behalf": is_pesantren_admin(user=user, pesantren=locked.pesantren)},
    )
    return locked


# --- the team: invitations ------------------------------------------------------------------------------------


@transaction.atomic
def team_invite(*, user: User, proposal: Proposal, santri: Santri) -> TeamInvitation:
    """Ask a santri of the same pesantren to join the team.

    A santri with an account answers it themselves. A santri without one is added at once when the pesantren
    admin invites them (the admin acts on their behalf, recorded as `answered_by`). A team has at most 5 santri,
    counting the invitations still waiting."""
    locked = _require_draft(user, proposal)
    if santri.pesantren_id != locked.pesantren_id:
        raise ValidationError({"members": [_("Every team member must be a santri of this pesantren.")]})
    if santri.status != Santri.Status.ACTIVE:
        raise ValidationError({"members": [_("Only active santri can be in a team.")]})
    invitation = TeamInvitation.objects.filter(proposal=locked, santri=santri).first()
    if invitation is not None and invitation.status in (TeamInvitation.Status.PENDING, TeamInvitation.Status.ACCEPTED):
        return invitation
    taken = locked.invitations.filter(
        status__in=[TeamInvitation.Status.PENDING, TeamInvitation.Status.ACCEPTED]
    ).count()
    if taken >= MAX_TEAM:
        raise ValidationError({"members": [_("A team has 1 to 5 santri.")]})
    creating = invitation is None
    invitation = invitation or TeamInvitation(proposal=locked, santri=santri)
    invitation.invited_by = user
    invitation.status = TeamInvitation.Status.PENDING
    invitation.answered_by, invitation.answered_at = None, None
    if santri.user_id is None and is_pesantren_admin(user=user, pesantren=locked.pesantren):
        invitation.status = TeamInvitation.Status.ACCEPTED
        invitation.answered_by, invitation.answered_at = user, timezone.now()
    invitation.save(update_fields=None if creating else ["invited_by", "status", "answered_by", "answered_at"])
    if invitation.status == TeamInvitation.Status.ACCEPTED:
        locked.members.add(santri)
    audit_record(
        actor=user,
        action="santri.team_invited",
        organisation=locked.pesantren.organisation,
        target=locked,
        data={"santri": santri.pk, "status": invitation.status},
    )
    return invitation


@transaction.atomic
def team_invitation_answer(*, user: User, invitation: TeamInvitation, accept: bool) -> TeamInvitation:
    """The invited santri (or their pesantren admin, on their behalf) accepts or declines, while it is a draft."""
    invitation = TeamInvitation.objects.select_related("santri", "proposal__pesantren").get(pk=invitation.pk)
    proposal = invitation.proposal
    on_behalf = is_pesantren_admin(user=user, pesantren=proposal.pesantren)
    if not (on_behalf or (invitation.santri.user_id is not None and invitation.santri.user_id == user.pk)):
        raise PermissionDenied
    _require_open(proposal)
    if not Proposal.objects.select_for_update().get(pk=proposal.pk).is_draft:
        raise DomainError(_("This proposal was submitted; it can no longer change."))
    invitation = TeamInvitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.status != TeamInvitation.Status.PENDING:
        raise DomainError(_("This invitation was answered already."))
    invitation.status = TeamInvitation.Status.ACCEPTED if accept else TeamInvitation.Status.DECLINED
    invitation.answered_by, invitation.answered_at = user, timezone.now()
    invitation.save(update_fields=["status", "answered_by", "answered_at"])
    if accept:
        proposal.members.add(invitation.santri_id)
    audit_record(
        actor=user,
        action="santri.team_invitation_answered",
        organisation=proposal.pesantren.organisation,
        target=proposal,
        data={"santri": invitation.santri_id, "status": invitation.status, "on_behalf": on_behalf},
    )
    return invitation


@transaction.atomic
def team_member_remove(*, user: User, proposal: Proposal, santri: Santri) -> None:
    """Take a santri off the draft's team, or take back their invitation."""
    locked = _require_draft(user, proposal)
    locked.members.remove(santri)
    TeamInvitation.objects.filter(proposal=locked, santri=santri).update(
        status=TeamInvitation.Status.WITHDRAWN, answered_at=timezone.now()
    )


# --- judging ----------------------------------------------------------------------------------------------------


def judge_conflict(judge: User, proposal: Proposal) -> bool:
    """A judge who acts for the team's pesantren may not score it."""
    return proposal.pesantren.organisation_id in access_for(judge).organisation_ids(kinds=[Organisation.Kind.PESANTREN])


def judge_may_score(judge: User, proposal: Proposal) -> bool:
    """A judge of the competition, without a conflict, on a submitted proposal, before the results."""
    return (
        proposal.status == Proposal.Status.SUBMITTED
        and proposal.competition.status == Competition.Status.OPEN
        and Judge.objects.filter(competition_id=proposal.competition_id, user=judge).exists()
        and not judge_conflict(judge, proposal)
    )


@transaction.atomic
def score_record(*, judge: User, proposal: Proposal, scores: dict[int, int]) -> list[Score]:
    """A judge scores every criterion (criterion id → 0-100). Re-scoring replaces their scores."""
    competition = Competition.objects.select_for_update().get(pk=proposal.competition_id)  # fresh: published?
    if not Judge.objects.filter(competition=competition, user=judge).exists():
        raise PermissionDenied
    if judge_conflict(judge, proposal):
        raise DomainError(_("You cannot score a team of your own pesantren."))
    if competition.status == Competition.Status.PUBLISHED:
        raise DomainError(_("The winners are published; scores can no longer change."))
    if not Proposal.objects.filter(pk=proposal.pk, status=Proposal.Status.SUBMITTED).exists():
        raise DomainError(_("Only submitted proposals are scored."))
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
    region_rank: int = 0


def competition_ranking(*, competition: Competition) -> list[Ranked]:
    """Submitted proposals ranked by weighted score (the tie-break in the module docstring), each with its
    province-wide `rank` and its `region_rank` in its kabupaten/kota. Unscored proposals come last, unranked."""
    criteria = list(competition.criteria.all())
    proposals = list(
        competition.proposals.filter(status=Proposal.Status.SUBMITTED)
        .select_related("pesantren", "pesantren__kabupaten_kota")
        .prefetch_related("members")
    )
    sums: dict[tuple[int, int], list[int]] = {}
    judges: dict[int, set[int]] = {}
    for proposal_id, criterion_id, judge_id, value in Score.objects.filter(
        proposal__competition=competition, proposal__status=Proposal.Status.SUBMITTED
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
            r.proposal.submitted_at or r.proposal.created_at,
            r.proposal.pk,
        )
    )
    per_region: dict[str, int] = {}
    for position, row in enumerate(rows, start=1):
        if not row.judges:
            continue
        row.rank = position
        region = row.proposal.pesantren.kabupaten_kota_id
        per_region[region] = per_region.get(region, 0) + 1
        row.region_rank = per_region[region]
    return rows


# --- results, certificates ---------------------------------------------------------------------------------------


def _certificates_issue(*, competition: Competition, issued_on: date) -> int:
    """One certificate per santri of each submitted proposal: winner or participant. Numbers count on per year
    and kabupaten/kota: `SP-2026-3517-0042-K` (K the check character), taken from the locked counter of each
    (certificate_numbers_take), regions in sorted order. Keeps numbers already issued."""
    proposals = (
        competition.proposals.filter(status=Proposal.Status.SUBMITTED)
        .select_related("pesantren")
        .prefetch_related("members")
        .order_by("region_rank", "submitted_at", "pk")
    )
    have = set(
        CompetitionCertificate.objects.filter(proposal__competition=competition).values_list("proposal_id", "santri_id")
    )
    wanted: dict[str, list[tuple[Proposal, Santri]]] = {}  # kabupaten/kota → who still needs a certificate, in order
    for proposal in proposals:
        for santri in proposal.members.all():
            if (proposal.pk, santri.pk) not in have:
                wanted.setdefault(proposal.pesantren.kabupaten_kota_id, []).append((proposal, santri))
    year = timezone.localtime(competition.deadline).year
    kinds = CompetitionCertificate.Kind
    made = []
    for region in sorted(wanted):
        rows = wanted[region]
        numbers = certificate_numbers_take(
            series=COMPETITION_SERIES, year=year, kabupaten_kota_id=region, count=len(rows)
        )
        made += [
            CompetitionCertificate(
                proposal=proposal,
                santri=santri,
                kind=kinds.WINNER if proposal.is_winner else kinds.PARTICIPANT,
                number=number,
                issued_on=issued_on,
            )
            for (proposal, santri), number in zip(rows, numbers, strict=True)
        ]
    CompetitionCertificate.objects.bulk_create(made)
    return len(made)


@transaction.atomic
def competition_publish(*, user: User, competition: Competition) -> list[Proposal]:
    """Staff publish the results after the deadline: totals and ranks (province-wide and per kabupaten/kota)
    are frozen, the top `winners_count` of each kabupaten/kota win, certificates are issued and every winning
    team is promoted (santripreneurs, santri business, incubation).

    Idempotent: publishing a published competition keeps its results and only makes what is missing (a
    certificate, an incubation); it returns the winners either way."""
    from santri.services.incubation import winner_promote

    if not is_programme_staff(user=user):
        raise PermissionDenied
    competition = Competition.objects.select_for_update().get(pk=competition.pk)
    first_time = competition.status != Competition.Status.PUBLISHED
    if first_time:
        if timezone.now() <= competition.deadline:
            raise DomainError(_("Winners can be published after the submission deadline."))
        ranking = [row for row in competition_ranking(competition=competition) if row.judges]
        if not ranking:
            raise DomainError(_("No proposal has been scored yet."))
        for row in ranking:
            row.proposal.total_score = row.total
            row.proposal.rank = row.rank
            row.proposal.region_rank = row.region_rank
            row.proposal.is_winner = row.region_rank <= competition.winners_count
        Proposal.objects.bulk_update(
            [row.proposal for row in ranking], ["total_score", "rank", "region_rank", "is_winner"]
        )
        competition.status = Competition.Status.PUBLISHED
        competition.published_at = timezone.now()
        competition.save(update_fields=["status", "published_at", "updated_at"])
    published_on = timezone.localtime(competition.published_at).date()
    _certificates_issue(competition=competition, issued_on=published_on)
    winners = list(
        competition.proposals.filter(is_winner=True)
        .select_related("pesantren", "pesantren__kabupaten_kota", "business")
        .order_by("rank")
    )
    for proposal in winners:
        winner_promote(proposal=proposal, when=published_on)
    if first_time:
        audit_record(
            actor=user,
            action="santri.competition_published",
            target=competition,
            data={"winners": [p.pk for p in winners]},
        )
    return winners
