"""Santri accounts: the pesantren admin's invitation (e-mail link or printed one-time code) and the
guardian's confirmation a santri under 17 needs before anything of theirs becomes public."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from opop.models import TimeStampedModel
from santri.models.registry import Santri


class SantriInvitation(TimeStampedModel):
    """One invitation to make a santri's own sign-in. The secret (link token or slip code) is stored
    only as its SHA-256 hash; it is used once, expires, and a reissue revokes the one before."""

    class Method(models.TextChoices):
        EMAIL = "email", _("E-mail")
        CODE = "code", _("Printed code")

    santri = models.ForeignKey(Santri, verbose_name=_("santri"), on_delete=models.CASCADE, related_name="invitations")
    method = models.CharField(_("method"), max_length=8, choices=Method.choices)
    email = models.EmailField(_("e-mail address"), blank=True)
    secret_hash = models.CharField(_("hash"), max_length=64, unique=True)
    expires_at = models.DateTimeField(_("expires"))
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("invited by"), on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("santri invitation")
        verbose_name_plural = _("santri invitations")
        constraints = [
            models.UniqueConstraint(
                fields=["santri"],
                condition=Q(accepted_at=None, revoked_at=None),
                name="santri_invitation_one_open",
            ),
            models.CheckConstraint(
                condition=Q(method="code") | ~Q(email=""), name="santri_invitation_email_has_address"
            ),
        ]

    def __str__(self):
        return f"{self.santri} · {self.get_method_display()}"


class GuardianConsent(TimeStampedModel):
    """A santri under 17 asks the pesantren admin (the guardian) to confirm something public."""

    class Purpose(models.TextChoices):
        BUSINESS_PUBLISH = "business_publish", _("Publish a business")
        STORE_PUBLISH = "store_publish", _("Open a public store")
        PUBLIC_PROFILE = "public_profile", _("Public profile")
        PUBLIC_LISTING = "public_listing", _("Public listing")

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for the guardian")
        APPROVED = "approved", _("Confirmed")
        REJECTED = "rejected", _("Refused")

    santri = models.ForeignKey(
        Santri, verbose_name=_("santri"), on_delete=models.CASCADE, related_name="guardian_consents"
    )
    purpose = models.CharField(_("what"), max_length=20, choices=Purpose.choices)
    # What is to be published, named loosely so any app can ask (`app_label.model`, pk, a label to show).
    target_type = models.CharField(_("target type"), max_length=80, blank=True)
    target_id = models.CharField(_("target id"), max_length=64, blank=True)
    label = models.CharField(_("description"), max_length=200)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("asked by"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("decided by"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("guardian confirmation")
        verbose_name_plural = _("guardian confirmations")
        constraints = [
            models.UniqueConstraint(
                fields=["santri", "purpose", "target_type", "target_id"],
                condition=Q(status="pending"),
                name="guardian_consent_one_pending",
            ),
        ]

    def __str__(self):
        return f"{self.santri} · {self.get_purpose_display()}"
