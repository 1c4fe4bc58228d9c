"""Santri accounts: invitations by e-mail or printed code, accepting them, revoking; the age rule
(guardian confirmation under 17) and the audit of what an admin does on a santri's behalf."""

import hashlib
import secrets
from datetime import date, timedelta

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from opop.mail import send_mail_on_commit
from opop.models import User
from opop.services import DomainError, audit_record
from pesantren.services import is_pesantren_admin
from santri.models import GuardianConsent, Santri, SantriInvitation

EMAIL_INVITATION_DAYS = 7
CODE_INVITATION_DAYS = 14
GUARDIAN_AGE = 17
# Slip codes: 8 characters without the ones people misread (0/O, 1/I/L), written XXXX-XXXX.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 8
# Code-only santri sign in with their Kartu Santri number; the account needs an e-mail-shaped unique
# login, so it gets one in the reserved .invalid domain that no mail is ever sent to.
CODE_LOGIN_DOMAIN = "santri.opop.invalid"


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def normalise_code(text: str) -> str:
    """What a santri types: lower case, spaces or a dash are forgiven."""
    return "".join(ch for ch in (text or "").upper() if ch.isalnum())


def code_display(code: str) -> str:
    return f"{code[:4]}-{code[4:]}"


def santri_age(santri: Santri, *, today: date | None = None) -> int | None:
    if santri.birth_date is None:
        return None
    today = today or timezone.localdate()
    born = santri.birth_date
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


def santri_needs_guardian(santri: Santri, *, today: date | None = None) -> bool:
    """True when anything public of this santri needs the guardian's confirmation: under 17 on `today`
    (17 from the birthday itself), or the birth date is unknown."""
    age = santri_age(santri, today=today)
    return age is None or age < GUARDIAN_AGE


def _require_santri_admin(user: User, santri: Santri) -> None:
    if not is_pesantren_admin(user=user, pesantren=santri.pesantren):
        raise PermissionDenied


def _open_invitation(santri: Santri):
    return SantriInvitation.objects.filter(santri=santri, accepted_at=None, revoked_at=None).first()


def _revoke_open(santri: Santri) -> None:
    SantriInvitation.objects.filter(santri=santri, accepted_at=None, revoked_at=None).update(revoked_at=timezone.now())


@transaction.atomic
def santri_invite(*, user: User, santri: Santri, method: str, email: str = "", base_url: str = "") -> tuple:
    """The pesantren admin invites an active santri without an account. Any open invitation is revoked
    (this is also the reissue). By e-mail a link is sent to `email`; by code the plain code is returned
    once, for the printed slip. Returns (invitation, secret)."""
    _require_santri_admin(user, santri)
    santri = Santri.objects.select_for_update().select_related("pesantren").get(pk=santri.pk)
    if santri.user_id is not None:
        raise DomainError(_("%(name)s already has an account.") % {"name": santri.name})
    if santri.status != Santri.Status.ACTIVE:
        raise DomainError(_("Only active santri can be invited."))
    if method not in SantriInvitation.Method.values:
        raise DomainError(_("Choose e-mail or a printed code."))
    email = (email or "").strip().lower()
    if method == SantriInvitation.Method.EMAIL:
        if not email:
            raise ValidationError({"email": _("Enter the santri's e-mail address.")})
        existing = User.objects.filter(email__iexact=email).first()
        if existing is not None and hasattr(existing, "santri_profile"):
            raise ValidationError({"email": _("This e-mail address already belongs to another santri's account.")})
        secret = secrets.token_urlsafe(32)
        days = EMAIL_INVITATION_DAYS
    else:
        email = ""
        secret = "".join(secrets.choice(CODE_ALPHABET) for _i in range(CODE_LENGTH))
        days = CODE_INVITATION_DAYS
    _revoke_open(santri)
    invitation = SantriInvitation.objects.create(
        santri=santri,
        method=method,
        email=email,
        secret_hash=_hash(secret),
        expires_at=timezone.now() + timedelta(days=days),
        created_by=user,
    )
    audit_record(
        actor=user,
        action="santri.account_invited",
        organisation=santri.pesantren.organisation,
        target=santri,
        data={"method": method, "on_behalf_of": santri.pk},
    )
    if method == SantriInvitation.Method.EMAIL:
        link = f"{base_url}{reverse('santri:invitation_accept', args=[secret])}"
        send_mail_on_commit(
            subject=_("[OPOP Jatim] Your santri account at %(pesantren)s") % {"pesantren": santri.pesantren.name},
            body=_(
                "Assalamu'alaikum %(name)s,\n\n%(pesantren)s invites you to your own santri account on the OPOP "
                "Jatim portal: your Kartu Santri, activities and certificates.\n\nSet your password here "
                "(valid for %(days)s days, once):\n%(link)s\n"
            )
            % {"name": santri.name, "pesantren": santri.pesantren.name, "days": days, "link": link},
            recipients=[email],
        )
    return invitation, secret


@transaction.atomic
def santri_invitation_revoke(*, user: User, santri: Santri) -> int:
    _require_santri_admin(user, santri)
    count = SantriInvitation.objects.filter(santri=santri, accepted_at=None, revoked_at=None).update(
        revoked_at=timezone.now()
    )
    if count:
        audit_record(
            actor=user,
            action="santri.account_invitation_revoked",
            organisation=santri.pesantren.organisation,
            target=santri,
            data={"on_behalf_of": santri.pk},
        )
    return count


def invitation_find(*, secret: str, method: str) -> SantriInvitation:
    """The open, unexpired invitation behind a link token or a typed code, or a DomainError that says
    only that it is not valid (an expired, used and wrong code look alike to the person typing)."""
    if method == SantriInvitation.Method.CODE:
        secret = normalise_code(secret)
    invitation = (
        SantriInvitation.objects.select_related("santri", "santri__pesantren", "santri__pesantren__kabupaten_kota")
        .filter(secret_hash=_hash(secret or ""), method=method, accepted_at=None, revoked_at=None)
        .first()
    )
    if invitation is None or invitation.expires_at <= timezone.now():
        raise DomainError(_("This invitation is not valid: it is wrong, expired or already used. Ask your pesantren."))
    return invitation


@transaction.atomic
def invitation_accept(*, secret: str, method: str, password: str, user: User | None = None) -> User:
    """Make (or link) the santri's account and consume the invitation, once.

    E-mail: the account is the invited address (verified by the click); if an account with that address
    exists, its owner must be signed in (`user`) to link it. Code: a new account that signs in with the
    Kartu Santri number. Raises DomainError or ValidationError (the password)."""
    found = invitation_find(secret=secret, method=method)
    invitation = SantriInvitation.objects.select_for_update().get(pk=found.pk)
    if invitation.accepted_at or invitation.revoked_at:
        raise DomainError(_("This invitation is not valid: it is wrong, expired or already used. Ask your pesantren."))
    santri = Santri.objects.select_for_update().select_related("pesantren").get(pk=invitation.santri_id)
    if santri.user_id is not None:
        raise DomainError(_("%(name)s already has an account.") % {"name": santri.name})
    from allauth.account.models import EmailAddress

    if method == SantriInvitation.Method.EMAIL:
        account = User.objects.filter(email__iexact=invitation.email).first()
        if account is not None:
            if user is None or user.pk != account.pk:
                raise DomainError(
                    _("An account with this e-mail address exists: sign in with it first, then open the link again.")
                )
        else:
            account = User(email=invitation.email, full_name=santri.name)
            validate_password(password, account)
            account.set_password(password)
            account.save()
        EmailAddress.objects.update_or_create(
            user=account, email=invitation.email, defaults={"verified": True, "primary": True}
        )
    else:
        account = User(email=f"{santri.card_number or santri.pk}@{CODE_LOGIN_DOMAIN}", full_name=santri.name)
        validate_password(password, account)
        account.set_password(password)
        try:
            with transaction.atomic():
                account.save()
        except IntegrityError:
            raise DomainError(_("%(name)s already has an account.") % {"name": santri.name}) from None
    santri.user = account
    santri.save(update_fields=["user", "updated_at"])
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["accepted_at", "updated_at"])
    audit_record(
        actor=account,
        action="santri.account_linked",
        organisation=santri.pesantren.organisation,
        target=santri,
        data={"method": method},
    )
    return account


@transaction.atomic
def santri_account_unlink(*, user: User, santri: Santri) -> None:
    """The admin takes the santri's sign-in away (a lost phone, a santri who left): the account stops
    signing in and is no longer linked; a new invitation can follow."""
    _require_santri_admin(user, santri)
    santri = Santri.objects.select_for_update(of=("self",)).select_related("user", "pesantren").get(pk=santri.pk)
    if santri.user is None:
        return
    account = santri.user
    if account.email.endswith("@" + CODE_LOGIN_DOMAIN):
        account.is_active = False
        account.save(update_fields=["is_active"])
    santri.user = None
    santri.save(update_fields=["user", "updated_at"])
    audit_record(
        actor=user,
        action="santri.account_unlinked",
        organisation=santri.pesantren.organisation,
        target=santri,
        data={"on_behalf_of": santri.pk},
    )


def login_email_for_card(card_number: str) -> str:
    digits = "".join(ch for ch in card_number or "" if ch.isdigit())
    return f"{digits}@{CODE_LOGIN_DOMAIN}"


# --- the age rule -----------------------------------------------------------------------------------


def guardian_consent_granted(*, santri: Santri, purpose: str, target=None) -> bool:
    """May this santri's thing go public? Yes at 17 and over; under 17 only with an approved request."""
    if not santri_needs_guardian(santri):
        return True
    return GuardianConsent.objects.filter(
        santri=santri, purpose=purpose, status=GuardianConsent.Status.APPROVED, **_target(target)
    ).exists()


def _target(target) -> dict:
    if target is None:
        return {"target_type": "", "target_id": ""}
    return {"target_type": target._meta.label_lower, "target_id": str(target.pk)}


@transaction.atomic
def guardian_consent_request(
    *, user: User, santri: Santri, purpose: str, target=None, label: str = ""
) -> GuardianConsent | None:
    """Ask the guardian (the pesantren admin) to confirm something public. The santri themselves or the
    admin asks; returns None when no confirmation is needed (17 or over). A second ask while one waits
    returns the waiting one."""
    if user.pk != santri.user_id and not is_pesantren_admin(user=user, pesantren=santri.pesantren):
        raise PermissionDenied
    if purpose not in GuardianConsent.Purpose.values:
        raise DomainError(_("Unknown kind of confirmation."))
    if not santri_needs_guardian(santri):
        return None
    where = {"santri": santri, "purpose": purpose, **_target(target)}
    pending = GuardianConsent.objects.filter(status=GuardianConsent.Status.PENDING, **where).first()
    if pending is not None:
        return pending
    consent = GuardianConsent.objects.create(
        requested_by=user, label=(label or str(target or GuardianConsent.Purpose(purpose).label))[:200], **where
    )
    audit_record(
        actor=user,
        action="santri.guardian_consent_requested",
        organisation=santri.pesantren.organisation,
        target=consent,
        data={"purpose": purpose, "on_behalf_of": santri.pk} if user.pk != santri.user_id else {"purpose": purpose},
    )
    return consent


@transaction.atomic
def guardian_consent_decide(*, user: User, consent: GuardianConsent, approve: bool, note: str = "") -> GuardianConsent:
    """The pesantren admin confirms or refuses; a decided request stays decided."""
    consent = GuardianConsent.objects.select_for_update().select_related("santri__pesantren").get(pk=consent.pk)
    if not is_pesantren_admin(user=user, pesantren=consent.santri.pesantren):
        raise PermissionDenied
    if consent.status != GuardianConsent.Status.PENDING:
        raise DomainError(_("This request is already decided."))
    consent.status = GuardianConsent.Status.APPROVED if approve else GuardianConsent.Status.REJECTED
    consent.decided_by = user
    consent.decided_at = timezone.now()
    consent.note = note[:300]
    consent.save(update_fields=["status", "decided_by", "decided_at", "note", "updated_at"])
    audit_record(
        actor=user,
        action="santri.guardian_consent_decided",
        organisation=consent.santri.pesantren.organisation,
        target=consent,
        data={"approved": approve, "on_behalf_of": consent.santri_id},
    )
    return consent


def acting_for(*, user: User, santri: Santri) -> dict:
    """Audit data for a write on a santri's thing: empty when the santri acts, `on_behalf_of` otherwise."""
    return {} if user.pk is not None and user.pk == santri.user_id else {"on_behalf_of": santri.pk}
