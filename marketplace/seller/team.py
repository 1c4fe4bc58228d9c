"""A store's team: the owner invites people by e-mail with a signed, expiring link, sets roles, removes them."""

from datetime import timedelta

from django.core import signing
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from marketplace.models import Store, StoreInvitation
from opop.mail import send_mail_on_commit
from opop.models import Membership, User
from opop.services import DomainError, audit_record, membership_add

SALT = "marketplace.store-invitation"
VALID_FOR = timedelta(days=7)


def invitation_token(invitation: StoreInvitation) -> str:
    return signing.dumps({"id": invitation.pk, "email": invitation.email}, salt=SALT)


@transaction.atomic
def invitation_send(*, store: Store, email: str, role: str, actor: User, base_url: str = "") -> StoreInvitation:
    email = email.strip().lower()
    if role not in StoreInvitation.Role.values:
        raise DomainError(_("Choose owner or staff."))
    if Membership.objects.filter(organisation=store.organisation, user__email__iexact=email).exists():
        raise DomainError(_("%(email)s is already in the team.") % {"email": email})
    StoreInvitation.objects.filter(store=store, email=email, accepted_at__isnull=True).update(revoked=True)
    invitation = StoreInvitation.objects.create(store=store, email=email, role=role, invited_by=actor)
    link = base_url + reverse("marketplace:seller_invitation_accept", kwargs={"token": invitation_token(invitation)})
    send_mail_on_commit(
        subject=_("Invitation to help run %(store)s on OPOP Mart") % {"store": store.name},
        body=_(
            "%(name)s invites you to help run %(store)s on OPOP Mart as %(role)s.\n\n"
            "Open this link within 7 days, logged in with this e-mail address (or sign up with it first):\n%(link)s"
        )
        % {"name": actor.get_full_name(), "store": store.name, "role": invitation.get_role_display(), "link": link},
        recipients=[email],
    )
    audit_record(actor=actor, action="marketplace.team_invited", organisation=store.organisation, target=invitation)
    return invitation


def invitation_from_token(token: str) -> StoreInvitation:
    try:
        data = signing.loads(token, salt=SALT, max_age=VALID_FOR)
    except signing.SignatureExpired:
        raise DomainError(_("This invitation has expired; ask the store owner for a new one.")) from None
    except signing.BadSignature:
        raise DomainError(_("This invitation link is not valid.")) from None
    invitation = StoreInvitation.objects.select_related("store__organisation").filter(pk=data.get("id")).first()
    if invitation is None or invitation.revoked or invitation.email != data.get("email"):
        raise DomainError(_("This invitation was withdrawn."))
    return invitation


@transaction.atomic
def invitation_accept(*, token: str, user: User) -> StoreInvitation:
    invitation = invitation_from_token(token)
    invitation = StoreInvitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.accepted_at is not None:
        if invitation.accepted_by_id == user.pk:
            return invitation
        raise DomainError(_("This invitation has already been used."))
    if user.email.lower() != invitation.email:
        raise DomainError(
            _("This invitation is for %(email)s; log in with that address.") % {"email": invitation.email}
        )
    membership_add(organisation=invitation.store.organisation, user=user, role=invitation.role, actor=user)
    invitation.accepted_at, invitation.accepted_by = timezone.now(), user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    return invitation


def _owners(store: Store):
    return Membership.objects.filter(organisation=store.organisation, role=Membership.Role.OWNER)


@transaction.atomic
def member_set_role(*, store: Store, membership: Membership, role: str, actor: User) -> Membership:
    if role not in StoreInvitation.Role.values:
        raise DomainError(_("Choose owner or staff."))
    if role != Membership.Role.OWNER and membership.role == Membership.Role.OWNER and _owners(store).count() == 1:
        raise DomainError(_("A store keeps at least one owner."))
    return membership_add(organisation=store.organisation, user=membership.user, role=role, actor=actor)


@transaction.atomic
def member_remove(*, store: Store, membership: Membership, actor: User) -> None:
    if membership.role == Membership.Role.OWNER and _owners(store).count() == 1:
        raise DomainError(_("A store keeps at least one owner."))
    audit_record(
        actor=actor,
        action="marketplace.team_removed",
        organisation=store.organisation,
        target=membership,
        data={"user": membership.user.email, "role": membership.role},
    )
    membership.delete()
