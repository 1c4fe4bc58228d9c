"""Programme activities: OPOP Akademi, Santri OPOP Camp, Training Centre, Bakti SMK, Expo, rakor."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from opop.models import KabupatenKota, TimeStampedModel
from pesantren.models import BusinessUnit, Partner, Pesantren
from santri.models.registry import Santri


class Event(TimeStampedModel):
    """A training or event of the programme, with a quota and an optional invitation list."""

    class Kind(models.TextChoices):
        AKADEMI = "akademi", _("OPOP Akademi")
        CAMP = "camp", _("Santri OPOP Camp")
        TRAINING_CENTRE = "training_centre", _("OPOP Training Centre")
        BAKTI_SMK = "bakti_smk", _("Bakti SMK OPOP")
        EXPO = "expo", _("OPOP Expo")
        RAKOR = "rakor", _("Coordination meeting (rakor)")

    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    starts_on = models.DateField(_("starts"))
    ends_on = models.DateField(_("ends"))
    place = models.CharField(_("place"), max_length=200)
    kabupaten_kota = models.ForeignKey(
        KabupatenKota, verbose_name=_("regency/city"), on_delete=models.PROTECT, related_name="+"
    )
    organiser = models.CharField(_("organiser"), max_length=200, default="Diskop UKM Jatim")
    partner = models.ForeignKey(
        Partner, verbose_name=_("partner"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    quota = models.PositiveIntegerField(_("quota"))
    completes_track = models.BooleanField(
        _("completes the entrepreneurship track"),
        default=False,
        help_text=_("Santri who attend count as having completed the entrepreneurship track."),
    )
    invited_pesantren = models.ManyToManyField(
        Pesantren, verbose_name=_("invited pesantren"), blank=True, related_name="invited_events"
    )
    invited_santri = models.ManyToManyField(
        Santri, verbose_name=_("invited santri"), blank=True, related_name="invited_events"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["-starts_on", "title"]
        verbose_name = _("event")
        verbose_name_plural = _("events")
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=F("starts_on")), name="event_ends_after_start"),
        ]

    def __str__(self):
        return self.title


class Registration(models.Model):
    """A santri registered for an event; attendance marked by staff gives a certificate."""

    event = models.ForeignKey(Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="registrations")
    santri = models.ForeignKey(Santri, verbose_name=_("santri"), on_delete=models.CASCADE, related_name="registrations")
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("registered by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    registered_at = models.DateTimeField(_("registered"), auto_now_add=True)
    attended = models.BooleanField(_("attended"), default=False)
    attendance_marked_at = models.DateTimeField(_("attendance marked"), null=True, blank=True)
    certificate_number = models.CharField(
        _("certificate number"),
        max_length=24,
        unique=True,
        null=True,
        blank=True,
        editable=False,
        help_text=_("Given when attendance is first recorded, e.g. SK-2026-3517-0042-K; kept if it is undone."),
    )

    class Meta:
        ordering = ["registered_at", "id"]
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        constraints = [
            models.UniqueConstraint(fields=["event", "santri"], name="registration_once_per_santri"),
        ]

    def __str__(self):
        return f"{self.santri} @ {self.event}"


class WaitingListEntry(models.Model):
    """A santri waiting for a place at a full event; the first in line moves up when a place frees."""

    event = models.ForeignKey(Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="waiting_list")
    santri = models.ForeignKey(Santri, verbose_name=_("santri"), on_delete=models.CASCADE, related_name="waiting_for")
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("added by"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    joined_at = models.DateTimeField(_("joined"), auto_now_add=True)

    class Meta:
        ordering = ["joined_at", "id"]
        verbose_name = _("waiting-list entry")
        verbose_name_plural = _("waiting list")
        constraints = [
            models.UniqueConstraint(fields=["event", "santri"], name="waiting_list_once_per_santri"),
        ]

    def __str__(self):
        return f"{self.santri} (waiting) {self.event}"


class ExpoBooth(models.Model):
    """A booth at an OPOP Expo, one per exhibiting pesantren, grouped in zones by product category."""

    event = models.ForeignKey(Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="booths")
    pesantren = models.ForeignKey(Pesantren, verbose_name=_("pesantren"), on_delete=models.CASCADE, related_name="+")
    category = models.CharField(_("product category"), max_length=12, choices=BusinessUnit.Sector.choices)
    zone = models.CharField(_("zone"), max_length=2)
    number = models.PositiveSmallIntegerField(_("number"))
    assigned_at = models.DateTimeField(_("assigned"), auto_now=True)

    class Meta:
        ordering = ["zone", "number"]
        verbose_name = _("expo booth")
        verbose_name_plural = _("expo booths")
        constraints = [
            models.UniqueConstraint(fields=["event", "pesantren"], name="expo_booth_once_per_pesantren"),
            models.UniqueConstraint(fields=["event", "zone", "number"], name="expo_booth_unique_code"),
        ]

    def __str__(self):
        return self.code

    @property
    def code(self) -> str:
        return f"{self.zone}-{self.number:02d}"
