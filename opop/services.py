"""Writes of the shared kernel: audit events, organisations and memberships."""

import logging

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from opop.models import AuditEvent, KabupatenKota, Membership, Organisation, User, WorkerHeartbeat

logger = logging.getLogger(__name__)


class DomainError(Exception):
    """A rule of the programme was broken; the message is for the person who tried."""


def audit_record(
    *, actor: User | None, action: str, organisation: Organisation | None = None, target=None, data: dict | None = None
) -> AuditEvent:
    """Append one audit event. `action` is a dotted name such as `pesantren.verified`."""
    event = AuditEvent(
        actor=actor if actor is not None and actor.is_authenticated else None,
        action=action,
        organisation=organisation,
        target_type=target._meta.label_lower if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        data=data or {},
    )
    event.save()
    logger.info("audit.recorded", extra={"action": action, "target_id": event.target_id})
    return event


def export_record(
    *,
    actor: User | None,
    dataset: str,
    rows: int,
    file_format: str = "csv",
    organisation: Organisation | None = None,
    region: str | None = None,
    filters: dict | None = None,
) -> AuditEvent:
    """Every download of a data set (CSV/XLSX) leaves one audit event: who exported what, how many rows, in
    which scope. `dataset` is a dotted name (`samsat.day`, `reports.dashboard.regions`); the action is
    `<dataset>.exported`. `region` is the kabupaten/kota code a scoped staff member was limited to, if any."""
    data: dict = {"rows": rows, "format": file_format}
    if region:
        data["region"] = region
    if filters:
        data["filters"] = {key: str(value) for key, value in filters.items()}
    return audit_record(actor=actor, action=f"{dataset}.exported", organisation=organisation, data=data)


def _unique_slug(name: str) -> str:
    base = slugify(name)[:200] or "org"
    slug, n = base, 2
    while Organisation.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


@transaction.atomic
def organisation_create(
    *,
    name: str,
    kind: str,
    kabupaten_kota: KabupatenKota | None = None,
    owner: User | None = None,
    actor: User | None = None,
    parent: Organisation | None = None,
) -> Organisation:
    """Create an organisation, with `owner` as its first member when given and `parent` supervising it."""
    if kind not in Organisation.Kind.values:
        raise DomainError(f"Unknown organisation kind {kind!r}.")
    organisation = Organisation(
        name=name, kind=kind, kabupaten_kota=kabupaten_kota, parent=parent, slug=_unique_slug(name)
    )
    organisation.full_clean()
    organisation.save()
    if owner is not None:
        membership_add(organisation=organisation, user=owner, role=Membership.Role.OWNER, actor=actor)
    audit_record(actor=actor, action="organisation.created", organisation=organisation, target=organisation)
    return organisation


@transaction.atomic
def membership_add(
    *, organisation: Organisation, user: User, role: str, region: KabupatenKota | None = None, actor: User | None = None
) -> Membership:
    """Let `user` act for `organisation` in `role`; updates the role if they already do."""
    membership = Membership.objects.filter(organisation=organisation, user=user).first()
    creating = membership is None
    if creating:
        membership = Membership(organisation=organisation, user=user)
    membership.role = role
    membership.region = region
    membership.full_clean(validate_unique=False)
    membership.save(update_fields=None if creating else ["role", "region", "updated_at"])
    audit_record(
        actor=actor,
        action="membership.set",
        organisation=organisation,
        target=membership,
        # The user by id, not e-mail: audit events are append-only and outlive an erased account (opop.privacy).
        data={"user": user.pk, "role": role, "region": region.kode if region else None},
    )
    return membership


def worker_heartbeat_record(*, worker: str) -> WorkerHeartbeat:
    """Note that `worker` is alive now. Idempotent: one row per worker, moved forward."""
    heartbeat, _ = WorkerHeartbeat.objects.update_or_create(worker=worker, defaults={"seen_at": timezone.now()})
    return heartbeat
