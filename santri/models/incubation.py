"""OPOP Training Centre incubation: a winning team's business, its staff mentor, milestones and monthly notes."""

from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from opop.models import TimeStampedModel
from santri.models.competitions import Proposal
from santri.models.registry import SantriBusiness


class Incubation(TimeStampedModel):
    """Made when a proposal wins (santri.services.competition_publish); one per winning proposal."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("In incubation")
        GRADUATED = "graduated", _("Graduated")

    proposal = models.OneToOneField(
        Proposal, verbose_name=_("winning proposal"), on_delete=models.CASCADE, related_name="incubation"
    )
    business = models.ForeignKey(
        SantriBusiness, verbose_name=_("santri business"), on_delete=models.PROTECT, related_name="incubations"
    )
    mentor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("mentor"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="mentored_incubations",
    )
    started_on = models.DateField(_("started"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE)

    class Meta:
        ordering = ["-started_on", "-id"]
        verbose_name = _("incubation")
        verbose_name_plural = _("incubations")

    def __str__(self):
        return str(self.business)


class Milestone(models.Model):
    incubation = models.ForeignKey(
        Incubation, verbose_name=_("incubation"), on_delete=models.CASCADE, related_name="milestones"
    )
    title = models.CharField(_("milestone"), max_length=160)
    due_on = models.DateField(_("due"))
    done_on = models.DateField(_("done"), null=True, blank=True)

    class Meta:
        ordering = ["due_on", "id"]
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")

    def __str__(self):
        return self.title


class ProgressNote(models.Model):
    """One note a month: what happened, sales, problems. Written by the team, their admin or the mentor."""

    incubation = models.ForeignKey(
        Incubation, verbose_name=_("incubation"), on_delete=models.CASCADE, related_name="notes"
    )
    month = models.DateField(_("month"), help_text=_("The first day of the month the note is about."))
    text = models.TextField(_("progress"), validators=[MaxLengthValidator(3000)])
    monthly_omzet = models.PositiveBigIntegerField(_("turnover this month (Rp)"), default=0)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("written by"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["-month"]
        verbose_name = _("progress note")
        verbose_name_plural = _("progress notes")
        constraints = [models.UniqueConstraint(fields=["incubation", "month"], name="progress_note_once_a_month")]

    def __str__(self):
        return f"{self.incubation} · {self.month:%m/%Y}"
