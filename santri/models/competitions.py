"""Business-idea competitions: a rubric, teams' proposals, judges' scores, published winners."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from opop.models import TimeStampedModel
from pesantren.models import Pesantren
from santri.models.registry import Santri

SCORE_MAX = 100


class Competition(TimeStampedModel):
    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        PUBLISHED = "published", _("Winners published")

    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    deadline = models.DateTimeField(_("submission deadline"))
    winners_count = models.PositiveSmallIntegerField(_("number of winners"), default=3)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["-deadline"]
        verbose_name = _("competition")
        verbose_name_plural = _("competitions")

    def __str__(self):
        return self.title


class Criterion(models.Model):
    """One line of the rubric; the weights of a competition's criteria add up to 100."""

    competition = models.ForeignKey(
        Competition, verbose_name=_("competition"), on_delete=models.CASCADE, related_name="criteria"
    )
    name = models.CharField(_("criterion"), max_length=120)
    weight = models.PositiveSmallIntegerField(
        _("weight (%)"), validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["competition", "position", "id"]
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")

    def __str__(self):
        return f"{self.name} ({self.weight}%)"


class Judge(models.Model):
    competition = models.ForeignKey(
        Competition, verbose_name=_("competition"), on_delete=models.CASCADE, related_name="judges"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("judge"), on_delete=models.CASCADE, related_name="judging"
    )

    class Meta:
        verbose_name = _("judge")
        verbose_name_plural = _("judges")
        constraints = [models.UniqueConstraint(fields=["competition", "user"], name="judge_once_per_competition")]

    def __str__(self):
        return f"{self.user} · {self.competition}"


def proposal_upload_to(instance, filename):
    return f"santri/proposal/{instance.competition_id}/{filename}"


class Proposal(TimeStampedModel):
    """A team's business idea: 1-5 santri of one pesantren."""

    competition = models.ForeignKey(
        Competition, verbose_name=_("competition"), on_delete=models.CASCADE, related_name="proposals"
    )
    pesantren = models.ForeignKey(
        Pesantren, verbose_name=_("pesantren"), on_delete=models.PROTECT, related_name="proposals"
    )
    team_name = models.CharField(_("team name"), max_length=120)
    title = models.CharField(_("idea"), max_length=200)
    text = models.TextField(_("proposal"))
    attachment = models.FileField(_("attachment"), upload_to=proposal_upload_to)
    members = models.ManyToManyField(Santri, verbose_name=_("team members"), related_name="proposals")
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("submitted by"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    rank = models.PositiveSmallIntegerField(_("rank"), null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")
        constraints = [
            models.UniqueConstraint(fields=["competition", "pesantren", "team_name"], name="proposal_team_unique"),
        ]

    def __str__(self):
        return f"{self.team_name}: {self.title}"


class Score(models.Model):
    proposal = models.ForeignKey(Proposal, verbose_name=_("proposal"), on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, verbose_name=_("criterion"), on_delete=models.CASCADE, related_name="+")
    judge = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("judge"), on_delete=models.CASCADE, related_name="+"
    )
    value = models.PositiveSmallIntegerField(
        _("score"), validators=[MinValueValidator(0), MaxValueValidator(SCORE_MAX)]
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        constraints = [
            models.UniqueConstraint(fields=["proposal", "criterion", "judge"], name="score_once_per_judge"),
            models.CheckConstraint(condition=models.Q(value__lte=SCORE_MAX), name="score_at_most_max"),
        ]

    def __str__(self):
        return f"{self.proposal} · {self.criterion}: {self.value}"
