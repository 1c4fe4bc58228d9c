"""OPOP Training Centre incubation of winning teams, and the way from a winner to a supervised santri store.

Who takes part in an incubation (`incubation_role`): programme staff of the pesantren's region (they assign the
mentor), the staff mentor, the pesantren's admins, and the team's santri who have their own account.
"""

from datetime import date, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from opop.models import Organisation, User
from opop.services import DomainError, audit_record
from pesantren.services import is_pesantren_admin, is_programme_staff, is_programme_staff_for
from santri.models import Incubation, Milestone, ProgressNote, Proposal, SantriBusiness
from santri.services.accounts import santri_needs_guardian
from santri.services.competitions import acting_santri
from santri.services.registry import (
    business_organisation_open_as_owner,
    santri_business_organisation_open,
    santripreneur_mark,
)

# The Training Centre's first steps for every winning team, in days after the results.
DEFAULT_MILESTONES = (
    (gettext_noop("Business registration (NIB) through OSS"), 30),
    (gettext_noop("First product ready to sell, with its price"), 45),
    (gettext_noop("OPOP Mart store opened under the pesantren"), 60),
    (gettext_noop("First month's sales reported"), 90),
)


def _business_for(proposal: Proposal, when: date) -> SantriBusiness:
    """The team's santri business: the one linked to the proposal, else a new one named after the team."""
    if proposal.business_id:
        return proposal.business
    name = proposal.team_name
    if SantriBusiness.objects.filter(pesantren_id=proposal.pesantren_id, name=name).exists():
        name = f"{proposal.team_name} ({timezone.localtime(proposal.competition.deadline).year})"[:200]
    business, _created = SantriBusiness.objects.get_or_create(
        pesantren_id=proposal.pesantren_id,
        name=name,
        defaults={"sector": proposal.category or "other", "started_on": when},
    )
    business.members.add(*proposal.members.all())
    Proposal.objects.filter(pk=proposal.pk).update(business=business)
    proposal.business = business
    return business


def winner_promote(*, proposal: Proposal, when: date) -> Incubation:
    """A winning team: its santri become santripreneurs from `when` (the dashboards count them), it gets its
    santri business and an incubation with the default milestones. Idempotent; call inside the publishing
    transaction (santri.services.competition_publish)."""
    members = list(proposal.members.all())
    santripreneur_mark(santri_ids=[m.pk for m in members], when=when, pesantren=proposal.pesantren)
    business = _business_for(proposal, when)
    incubation, created = Incubation.objects.get_or_create(
        proposal=proposal, defaults={"business": business, "started_on": when}
    )
    if created:
        Milestone.objects.bulk_create(
            [
                Milestone(incubation=incubation, title=_(title), due_on=when + timedelta(days=days))
                for title, days in DEFAULT_MILESTONES
            ]
        )
        audit_record(
            actor=None,
            action="santri.incubation_started",
            organisation=proposal.pesantren.organisation,
            target=incubation,
        )
    return incubation


def incubation_role(user: User, incubation: Incubation) -> str | None:
    """ "staff", "mentor", "admin", "santri" or None (sees nothing)."""
    pesantren = incubation.proposal.pesantren
    if incubation.mentor_id is not None and incubation.mentor_id == getattr(user, "pk", None):
        return "mentor"
    if is_programme_staff(user=user) and is_programme_staff_for(user=user, pesantren=pesantren):
        return "staff"
    if is_pesantren_admin(user=user, pesantren=pesantren):
        return "admin"
    santri = acting_santri(user)
    if santri is not None and incubation.proposal.members.filter(pk=santri.pk).exists():
        return "santri"
    return None


def _require_role(user: User, incubation: Incubation, roles: tuple[str, ...]) -> str:
    role = incubation_role(user, incubation)
    if role not in roles:
        raise PermissionDenied
    return role


@transaction.atomic
def incubation_mentor_assign(*, user: User, incubation: Incubation, mentor: User) -> Incubation:
    """Programme staff of the region assign a staff mentor of the Training Centre (programme staff)."""
    _require_role(user, incubation, ("staff",))
    if not is_programme_staff(user=mentor):
        raise ValidationError({"mentor": [_("The mentor must be a Diskop UKM staff member.")]})
    incubation.mentor = mentor
    incubation.save(update_fields=["mentor", "updated_at"])
    audit_record(actor=user, action="santri.incubation_mentor_assigned", target=incubation, data={"mentor": mentor.pk})
    return incubation


@transaction.atomic
def milestone_add(*, user: User, incubation: Incubation, title: str, due_on: date) -> Milestone:
    """The mentor or the region's staff add a milestone with its due date."""
    _require_role(user, incubation, ("staff", "mentor"))
    milestone = Milestone(incubation=incubation, title=(title or "").strip(), due_on=due_on)
    milestone.full_clean()
    milestone.save()
    return milestone


@transaction.atomic
def milestone_mark(*, user: User, milestone: Milestone, done: bool) -> Milestone:
    """Anyone taking part marks a milestone done (today) or not done."""
    _require_role(user, milestone.incubation, ("staff", "mentor", "admin", "santri"))
    milestone.done_on = timezone.localdate() if done else None
    milestone.save(update_fields=["done_on"])
    return milestone


@transaction.atomic
def progress_note_save(
    *, user: User, incubation: Incubation, month: date, text: str, monthly_omzet: int = 0
) -> ProgressNote:
    """The month's progress note (one a month; writing it again replaces it). Not for a month still to come."""
    _require_role(user, incubation, ("mentor", "admin", "santri"))
    month = month.replace(day=1)
    if month > timezone.localdate().replace(day=1):
        raise ValidationError({"month": [_("A progress note is about a month that has begun.")]})
    if month < incubation.started_on.replace(day=1):
        raise ValidationError({"month": [_("The incubation had not started in that month.")]})
    note = ProgressNote.objects.filter(incubation=incubation, month=month).first()
    creating = note is None
    if creating:
        note = ProgressNote(incubation=incubation, month=month)
    note.text, note.monthly_omzet, note.author = (text or "").strip(), monthly_omzet, user
    note.full_clean()
    note.save(update_fields=None if creating else ["text", "monthly_omzet", "author", "updated_at"])
    return note


@transaction.atomic
def incubation_store_open(*, user: User, incubation: Incubation) -> Organisation:
    """Give the winning team's santri business its OPOP Mart organisation, supervised by the pesantren.

    The pesantren admin opens it (santri.services.santri_business_organisation_open, the admin its owner). A team
    santri of 17 or older with their own account opens it themselves and owns it; a younger one asks the admin
    (guardian's confirmation). Either way the pesantren's admins decide the store application and each listing
    (marketplace.seller.opening, marketplace.catalogue.curation). Idempotent."""
    role = _require_role(user, incubation, ("admin", "santri"))
    business = incubation.business
    if role == "admin":
        return santri_business_organisation_open(user=user, business=business)
    santri = acting_santri(user)
    if santri_needs_guardian(santri):
        raise DomainError(_("Santri under 17 need their pesantren admin to open the store for the team."))
    return business_organisation_open_as_owner(user=user, business=business)
