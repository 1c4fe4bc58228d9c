"""The data subject's rights (UU 27/2022 on personal data protection): a copy of one's own data, and
erasure on request.

The kernel knows the account, its memberships and its deletion requests. Every app that keeps personal data
about an account names a provider in `settings.PRIVACY_PROVIDERS`: an object with `name`, `export(user) ->
dict` and `erase(user) -> dict` (counts of what it erased), optionally `person_changed(user)` (the name
changed: drop cached pages that show it). The kernel imports them by that setting, so it
never names an app.
"""

import logging
from functools import cache

from allauth.account.models import EmailAddress
from django.conf import settings
from django.db import transaction
from django.db.models import Case, QuerySet, Value, When
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from opop.models import DeletionRequest, Membership, User
from opop.permissions import is_province_staff
from opop.services import DomainError, audit_record, export_record

logger = logging.getLogger(__name__)


@cache
def providers() -> tuple:
    return tuple(import_string(path) for path in settings.PRIVACY_PROVIDERS)


def can_process_deletions(*, user) -> bool:
    """Province-wide programme staff (and superusers) process deletion requests: a region-scoped staff
    member sees only their kabupaten/kota, and a shopper belongs to none."""
    return is_province_staff(user=user)


def _iso(value) -> str | None:
    return value.isoformat() if value else None


def user_data(*, user: User) -> dict:
    """Everything the portal keeps about `user` as plain JSON-ready data (a read; see user_data_export)."""
    memberships = Membership.objects.filter(user=user).select_related("organisation", "region").order_by("pk")
    data = {
        "generated_at": timezone.now().isoformat(),
        "profile": {
            "email": user.email,
            "display_name": user.full_name,
            "phone": user.phone,
            "date_joined": _iso(user.date_joined),
            "last_login": _iso(user.last_login),
        },
        "memberships": [
            {
                "organisation": m.organisation.name,
                "kind": m.organisation.kind,
                "role": m.role,
                "region": m.region.label if m.region else None,
                "since": _iso(m.created_at),
            }
            for m in memberships
        ],
        "deletion_requests": [
            {"status": r.status, "requested_at": _iso(r.created_at), "due_at": _iso(r.due_at)}
            for r in user.deletion_requests.order_by("pk")
        ],
    }
    for provider in providers():
        data.update(provider.export(user))
    return data


def user_data_export(*, user: User, file_format: str = "json") -> dict:
    """The person's own data for download; the download is an audit event (`personal_data.exported`)."""
    data = user_data(user=user)
    rows = sum(len(value) for value in data.values() if isinstance(value, list)) + 1
    export_record(actor=user, dataset="personal_data", rows=rows, file_format=file_format)
    return data


@transaction.atomic
def user_profile_update(*, user: User, full_name: str, phone: str) -> User:
    """Change the display name and phone (already cleaned by opop.forms). Pages that show the name and are
    cached (OPOP Mart's product pages with reviews) are told through the providers' `person_changed`."""
    user.full_name = full_name
    user.phone = phone
    user.save(update_fields=["full_name", "phone"])
    _person_changed(user)
    return user


def _person_changed(user: User) -> None:
    for provider in providers():
        hook = getattr(provider, "person_changed", None)
        if hook is not None:
            hook(user)


@transaction.atomic
def deletion_request_create(*, user: User, reason: str = "") -> DeletionRequest:
    """Ask for the account to be deleted. One waiting request per person; the deadline comes from
    `PRIVACY_DELETION_DEADLINE_DAYS`."""
    if user.erased_at is not None:
        raise DomainError(_("This account is already erased."))
    if DeletionRequest.objects.filter(user=user, status=DeletionRequest.Status.PENDING).exists():
        raise DomainError(_("You already asked for your account to be deleted; Diskop UKM is processing it."))
    request = DeletionRequest(user=user, reason=reason.strip())
    request.full_clean()
    request.save()
    audit_record(actor=user, action="personal_data.deletion_requested", target=request, data={"user": user.pk})
    return request


@transaction.atomic
def deletion_request_withdraw(*, user: User, request: DeletionRequest) -> DeletionRequest:
    """The person changed their mind before staff processed the request."""
    request = DeletionRequest.objects.select_for_update().get(pk=request.pk)
    if request.user_id != user.pk or request.status != DeletionRequest.Status.PENDING:
        raise DomainError(_("This request can no longer be withdrawn."))
    request.status = DeletionRequest.Status.WITHDRAWN
    request.processed_at = timezone.now()
    request.save(update_fields=["status", "processed_at", "updated_at"])
    audit_record(actor=user, action="personal_data.deletion_withdrawn", target=request)
    return request


def deletion_queue(*, user) -> QuerySet[DeletionRequest]:
    """Waiting requests first, the oldest deadline on top; then the ones already handled."""
    if not can_process_deletions(user=user):
        return DeletionRequest.objects.none()
    waiting_first = Case(When(status=DeletionRequest.Status.PENDING, then=Value(0)), default=Value(1))
    return (
        DeletionRequest.objects.select_related("user", "processed_by")
        .annotate(waiting_first=waiting_first)
        .order_by("waiting_first", "due_at", "pk")
    )


@transaction.atomic
def user_erase(*, actor: User, request: DeletionRequest) -> User:
    """Process a deletion request: erase or anonymise the person, keep what the law requires to be kept.

    Erased:
    - the display name and phone number (emptied); the e-mail address becomes `deleted-<id>@invalid`
      (unique, undeliverable); allauth's e-mail addresses are deleted;
    - the password (unusable) and the account (inactive): login is no longer possible, and every open
      session ends with its next request (Django checks the password hash each request);
    - memberships (the person no longer acts for any organisation);
    - through the providers (marketplace): saved addresses, the cart, review photos, store invitations
      sent to the address.

    Kept, pointing to the anonymised account (shown everywhere as "Deleted user"):
    - orders with their lines, payments and timelines, and the recipient name, phone and address written
      on each order: tax and bookkeeping law (UU KUP art. 28) keeps transaction records for 10 years.
      Masking those after the retention period is not built (out of scope);
    - review ratings and texts (the name shows as "Deleted user"), stock and balance ledgers, audit events
      (append-only; details written before erasure are not rewritten).

    Raises DomainError when the actor may not process requests, the request is not waiting, or the person
    is the only owner of an organisation (ownership must be handed over first).
    """
    if not can_process_deletions(user=actor):
        raise DomainError(_("Only province-wide Diskop UKM staff process deletion requests."))
    request = DeletionRequest.objects.select_for_update().select_related("user").get(pk=request.pk)
    if request.status != DeletionRequest.Status.PENDING:
        raise DomainError(_("This request is already processed."))
    user = User.objects.select_for_update().get(pk=request.user_id)
    if user.pk == actor.pk:
        raise DomainError(_("Another staff member must process your own deletion request."))
    for membership in Membership.objects.filter(user=user, role=Membership.Role.OWNER).select_related("organisation"):
        other_owners = Membership.objects.filter(
            organisation_id=membership.organisation_id, role=Membership.Role.OWNER
        ).exclude(user=user)
        if not other_owners.exists():
            raise DomainError(
                _("%(name)s is the only owner of %(organisation)s: ownership must be handed over first.")
                % {"name": user.person_name, "organisation": membership.organisation.name}
            )

    erased: dict[str, int] = {}
    for provider in providers():
        erased.update({f"{provider.name}.{key}": count for key, count in provider.erase(user).items()})
    erased["memberships"], _rows = Membership.objects.filter(user=user).delete()
    erased["email_addresses"], _rows = EmailAddress.objects.filter(user=user).delete()

    user.full_name = ""
    user.phone = ""
    user.email = f"deleted-{user.pk}@invalid"
    user.set_unusable_password()
    user.is_active = False
    user.is_staff = False
    user.is_superuser = False
    user.erased_at = timezone.now()
    user.save(
        update_fields=["full_name", "phone", "email", "password", "is_active", "is_staff", "is_superuser", "erased_at"]
    )
    user.groups.clear()
    user.user_permissions.clear()
    _person_changed(user)

    request.status = DeletionRequest.Status.COMPLETED
    request.processed_at = timezone.now()
    request.processed_by = actor
    request.save(update_fields=["status", "processed_at", "processed_by", "updated_at"])
    audit_record(
        actor=actor,
        action="personal_data.erased",
        target=user,
        data={"request": request.pk, "erased": {key: value for key, value in erased.items() if value}},
    )
    logger.info("privacy.user_erased", extra={"user_id": user.pk, "request_id": request.pk})
    return user
