"""The shared kernel: users, regions, organisations and who acts for them, audit events."""

import hashlib
import uuid
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from opop.formatting import normalise_phone
from opop.ledger import AppendOnlyModel


def by_whom(verbose_name) -> models.ForeignKey:
    """The person who did something to a row (confirmed, processed, decided, reviewed): the row keeps its
    history when that account is gone (SET NULL), and the user gets no reverse accessor for it."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=verbose_name,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )


def latitude_field() -> models.DecimalField:
    """The optional map pin's latitude of an address (typed or picked; no map tiles are fetched)."""
    return models.DecimalField(
        _("latitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )


def longitude_field() -> models.DecimalField:
    return models.DecimalField(
        _("longitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        abstract = True


def name_suffix(pk: int) -> str:
    digest = hashlib.blake2s(f"opop-user-{pk}".encode(), digest_size=4).hexdigest()
    return digest[:4].upper()


def person_name(*, pk: int, full_name: str, erased_at) -> str:
    """User.person_name from the three columns it reads, for a list that reads its rows as values."""
    if erased_at is not None:
        return str(_("Deleted user"))
    name = " ".join(full_name.split())
    if name:
        return name
    fallback = _("OPOP shopper")
    return f"{fallback} {name_suffix(pk)}"


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields["is_staff"] = True
        extra_fields["is_superuser"] = True
        return self._create_user(email, password, **extra_fields)


class User(AbstractBaseUser, PermissionsMixin):
    """A person. Logs in with an e-mail address; acts for organisations through memberships."""

    email = models.EmailField(_("e-mail address"), unique=True)
    full_name = models.CharField(_("full name"), max_length=150, blank=True)
    phone = models.CharField(
        _("phone number"), max_length=16, blank=True, help_text=_("Written as +62…; 08… is accepted.")
    )
    is_staff = models.BooleanField(_("admin site access"), default=False)
    is_active = models.BooleanField(_("active"), default=True)
    date_joined = models.DateTimeField(_("joined"), default=timezone.now)
    # Set by `opop.privacy.user_erase`: the person asked to be forgotten; the row stays so that orders,
    # ledgers and audit events keep pointing somewhere, but it holds nothing that names them.
    erased_at = models.DateTimeField(_("erased"), null=True, blank=True, editable=False)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self):
        # Never the e-mail address: str(user) ends up in form choices, admin lists and messages.
        return self.person_name

    # --- how a person is named (never by their e-mail address) -----------------------------------------
    # `full_name` is the display name: asked at sign-up, editable in the profile. Accounts without one
    # (made before sign-up asked, or by an import) get "OPOP shopper" and a short suffix that is stable
    # for the account and derived from its id, never from the e-mail.

    @property
    def name_suffix(self) -> str:
        return name_suffix(self.pk)

    @property
    def person_name(self) -> str:
        """The full display name, for seller and staff pages: `Siti Rahmawati`."""
        return person_name(pk=self.pk, full_name=self.full_name, erased_at=self.erased_at)

    @property
    def public_name(self) -> str:
        """The shortened name for public pages (reviews, store pages): `Siti R.`."""
        if self.erased_at is not None:
            return str(_("Deleted user"))
        words = self.full_name.split()
        if not words:
            return self.person_name
        if len(words) == 1:
            return words[0]
        return f"{words[0]} {words[-1][0].upper()}."

    def clean(self):
        super().clean()
        self.email = self.__class__.objects.normalize_email(self.email).lower()
        if self.phone:
            try:
                self.phone = normalise_phone(self.phone)
            except ValueError as exc:
                raise ValidationError({"phone": str(exc)}) from None

    def get_full_name(self):
        return self.person_name

    def get_short_name(self):
        return self.public_name


class KabupatenKota(models.Model):
    """One of East Java's 38 regencies and cities, keyed on its Kemendagri code (35.xx)."""

    class Jenis(models.TextChoices):
        KABUPATEN = "kabupaten", _("Regency")
        KOTA = "kota", _("City")

    kode = models.CharField(_("code"), max_length=5, primary_key=True)
    nama = models.CharField(_("name"), max_length=60)
    jenis = models.CharField(_("kind"), max_length=10, choices=Jenis.choices)
    nama_singkat = models.CharField(_("short name"), max_length=40)
    jumlah_kecamatan = models.PositiveSmallIntegerField(_("districts"))
    jumlah_desa = models.PositiveSmallIntegerField(_("villages (desa)"))
    jumlah_kelurahan = models.PositiveSmallIntegerField(_("urban villages (kelurahan)"))
    kodepos_min = models.CharField(_("lowest postal code"), max_length=5)
    kodepos_max = models.CharField(_("highest postal code"), max_length=5)

    class Meta:
        ordering = ["kode"]
        verbose_name = _("regency/city")
        verbose_name_plural = _("regencies/cities")

    def __str__(self):
        return self.label

    @property
    def label(self) -> str:
        """`Kab. Malang` or `Kota Malang`: seven names are both, so the kind is always shown."""
        return self.label_of(jenis=self.jenis, nama_singkat=self.nama_singkat)

    @classmethod
    def label_of(cls, *, jenis: str, nama_singkat: str) -> str:
        """`label` from the two columns it reads, for a list that reads its rows as values."""
        prefix = "Kab." if jenis == cls.Jenis.KABUPATEN else "Kota"
        return f"{prefix} {nama_singkat}"


class Organisation(TimeStampedModel):
    """Who owns rows: a pesantren, a santri business, an alumni business, or Diskop UKM itself."""

    class Kind(models.TextChoices):
        PESANTREN = "pesantren", _("Pesantren")
        SANTRI_BUSINESS = "santri_business", _("Santri business")
        ALUMNI_BUSINESS = "alumni_business", _("Alumni business")
        DISKOP = "diskop", _("Diskop UKM Jatim")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=220, unique=True)
    kabupaten_kota = models.ForeignKey(
        KabupatenKota,
        verbose_name=_("regency/city"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="organisations",
    )
    is_active = models.BooleanField(_("active"), default=True)
    # Who supervises this organisation in the programme: a santri business's pesantren. Its admins approve
    # what the supervised organisation shows the public (its store and its listings).
    parent = models.ForeignKey(
        "self",
        verbose_name=_("supervised by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="supervised",
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="Membership", related_name="organisations", verbose_name=_("members")
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        indexes = [models.Index(fields=["kind", "kabupaten_kota"])]

    def __str__(self):
        return self.name


class Membership(TimeStampedModel):
    """A user acting for an organisation in one role. Diskop staff may be scoped to one region."""

    class Role(models.TextChoices):
        OWNER = "owner", _("Owner")
        STAFF = "staff", _("Staff")
        CASHIER = "cashier", _("Cashier")
        SUPERVISOR = "supervisor", _("Supervisor")
        # Diskop UKM's platform finance staff: approve and pay out OPOP Mart store balances.
        FINANCE = "finance", _("Finance")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="memberships"
    )
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.STAFF)
    region = models.ForeignKey(
        KabupatenKota,
        verbose_name=_("region scope"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Diskop UKM staff only: limit what this person sees to one regency/city."),
    )

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation"], name="membership_one_per_user_org"),
        ]

    def __str__(self):
        return f"{self.user} · {self.organisation} ({self.get_role_display()})"

    def clean(self):
        super().clean()
        if self.region_id and self.organisation_id and self.organisation.kind != Organisation.Kind.DISKOP:
            raise ValidationError({"region": _("Only Diskop UKM staff can be scoped to a regency/city.")})


class AuditEvent(AppendOnlyModel):
    """Append-only record of a staff action or a money movement: who, what, on what, when."""

    created_at = models.DateTimeField(_("when"), default=timezone.now, editable=False, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="audit_events",
    )
    action = models.CharField(_("action"), max_length=80, db_index=True)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="audit_events",
    )
    target_type = models.CharField(_("target type"), max_length=80, blank=True)
    target_id = models.CharField(_("target id"), max_length=64, blank=True)
    data = models.JSONField(_("details"), default=dict, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        indexes = [models.Index(fields=["target_type", "target_id"])]

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action}"


class WorkerHeartbeat(models.Model):
    """The last time each Celery worker ran the heartbeat task; /healthz reads it."""

    worker = models.CharField(max_length=200, primary_key=True)
    seen_at = models.DateTimeField()

    class Meta:
        verbose_name = _("worker heartbeat")
        verbose_name_plural = _("worker heartbeats")

    def __str__(self):
        return f"{self.worker} @ {self.seen_at:%Y-%m-%d %H:%M:%S}"


class DirtyFigureKey(models.Model):
    """A (month, kabupaten/kota) whose programme figures changed and must be rolled up again.

    Writes in the pillar apps mark their key here, in the same transaction as the fact; the
    reports app's rollup job recomputes only these keys and removes them.
    """

    month = models.DateField(_("month"), help_text=_("The first day of the month."))
    kabupaten_kota = models.ForeignKey(KabupatenKota, verbose_name=_("regency/city"), on_delete=models.CASCADE)
    marked_at = models.DateTimeField(_("marked"), default=timezone.now)

    class Meta:
        verbose_name = _("changed figure key")
        verbose_name_plural = _("changed figure keys")
        constraints = [
            models.UniqueConstraint(fields=["month", "kabupaten_kota"], name="dirty_figure_key_unique"),
        ]

    def __str__(self):
        return f"{self.month:%Y-%m} {self.kabupaten_kota_id}"


class OutboxMessage(models.Model):
    """A Celery task waiting to be handed to the broker: the transactional outbox (opop/outbox.py).

    Written inside the transaction that causes the task, deleted by the fast path right after the commit once
    the broker took it, or later by `outbox_flush` when the broker was down or silent (`attempts` > 0) or the
    process died before publishing. The table is nearly empty whenever the broker is healthy. Tasks are
    idempotent, so a message sent twice (a process died between the send and the delete) does no harm.
    """

    task_name = models.CharField(max_length=200)
    kwargs = models.JSONField(default=dict)
    # The Celery task id, kept across re-sends: a worker (or a person reading logs) sees one id per job.
    task_id = models.UUIDField(default=uuid.uuid4, editable=False)
    attempts = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("outbox message")
        verbose_name_plural = _("outbox messages")

    def __str__(self):
        return f"{self.task_name} #{self.pk} ({self.attempts} attempts)"


def deletion_deadline():
    return timezone.now() + timedelta(days=settings.PRIVACY_DELETION_DEADLINE_DAYS)


class DeletionRequest(TimeStampedModel):
    """A person asked for their account to be deleted (UU 27/2022, art. 43). Programme staff process it
    before `due_at` with `opop.privacy.user_erase`."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        COMPLETED = "completed", _("Erased")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.PROTECT, related_name="deletion_requests"
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    reason = models.TextField(_("reason"), blank=True)
    due_at = models.DateTimeField(_("deadline"), default=deletion_deadline)
    processed_at = models.DateTimeField(_("processed"), null=True, blank=True)
    processed_by = by_whom(_("processed by"))

    class Meta:
        ordering = ["due_at", "pk"]
        verbose_name = _("deletion request")
        verbose_name_plural = _("deletion requests")
        constraints = [
            models.UniqueConstraint(
                fields=["user"], condition=models.Q(status="pending"), name="deletion_request_one_pending_per_user"
            ),
        ]

    def __str__(self):
        return f"#{self.pk} {self.get_status_display()}"

    @property
    def overdue(self) -> bool:
        return self.status == self.Status.PENDING and self.due_at < timezone.now()


class Wilayah(models.Model):
    """A region of Indonesia by its Kemendagri code: the 38 provinces and their kabupaten/kota, and in East Java
    also every kecamatan and desa/kelurahan (with its postal code). Loaded from opop/data by a migration
    (`opop.wilayah`); the address widget and address validation read it."""

    class Tingkat(models.TextChoices):
        PROVINSI = "provinsi", _("Province")
        KABUPATEN_KOTA = "kabupaten_kota", _("Regency/city")
        KECAMATAN = "kecamatan", _("District (kecamatan)")
        DESA = "desa", _("Village (desa)")
        KELURAHAN = "kelurahan", _("Urban village (kelurahan)")

    kode = models.CharField(_("code"), max_length=13, primary_key=True)
    nama = models.CharField(_("name"), max_length=100)
    tingkat = models.CharField(_("level"), max_length=16, choices=Tingkat.choices)
    induk = models.ForeignKey(
        "self", verbose_name=_("part of"), on_delete=models.PROTECT, null=True, blank=True, related_name="anak"
    )
    kodepos = models.CharField(_("postal code"), max_length=5, blank=True)

    class Meta:
        ordering = ["kode"]
        verbose_name = _("region (wilayah)")
        verbose_name_plural = _("regions (wilayah)")
        indexes = [models.Index(fields=["induk", "nama"], name="wilayah_induk_nama")]

    def __str__(self):
        return self.nama


class StoredImport(TimeStampedModel):
    """An uploaded file, read and checked, kept on the server until it is confirmed or discarded (the one stored
    preview of every import: opop.imports). Confirming applies these rows, never data sent back by the browser.

    `rows` holds what the import will apply, `errors` one `{"line": …, "reasons": [...]}` per rejected row."""

    class Status(models.TextChoices):
        PREVIEW = "preview", _("Preview")
        IMPORTED = "imported", _("Imported")
        DISCARDED = "discarded", _("Discarded")

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    filename = models.CharField(_("file"), max_length=255)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PREVIEW)
    rows = models.JSONField(_("valid rows"), default=list)
    errors = models.JSONField(_("rejected rows"), default=list)
    total_rows = models.PositiveIntegerField(_("rows read"), default=0)
    imported_at = models.DateTimeField(_("imported"), null=True, blank=True)

    class Meta:
        abstract = True


class ImportPreview(StoredImport):
    """The stored preview of an import with no table of its own (the seller's bulk price/stock update), one per
    upload, for an organisation; `kind` names the import (e.g. "marketplace.bulk")."""

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="import_previews"
    )
    kind = models.CharField(_("kind"), max_length=40)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("import preview")
        verbose_name_plural = _("import previews")

    def __str__(self):
        return f"{self.kind} · {self.filename}"
