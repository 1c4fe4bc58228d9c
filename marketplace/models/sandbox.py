"""The sandbox gateway's own books. A real gateway keeps its record of the money it collected on its side and
sends us a settlement file the next morning; the sandbox keeps that record here, apart from our Payment rows,
so that the daily reconciliation compares two independent sources, as it would with a real gateway."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class SandboxCollection(models.Model):
    """Money the sandbox gateway received for one transaction (written before it calls our webhook)."""

    provider_transaction_id = models.CharField(_("provider transaction id"), max_length=80, unique=True)
    virtual_account = models.CharField(_("virtual account"), max_length=30)
    amount = models.PositiveBigIntegerField(_("amount"))
    collected_at = models.DateTimeField(_("collected"), default=timezone.now, db_index=True)

    class Meta:
        ordering = ["collected_at", "id"]
        verbose_name = _("sandbox collection")
        verbose_name_plural = _("sandbox collections")

    def __str__(self):
        return f"{self.provider_transaction_id} {self.amount}"
