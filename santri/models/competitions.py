"""Business-idea competitions: a rubric, teams' proposals (canvas, budget, team), judges' scores, published
results per kabupaten/kota and province-wide, and the certificates they give."""

from django.conf import settings
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from opop.limits import MAX_RUPIAH
from opop.models import KabupatenKota, TimeStampedModel
from pesantren.models import BusinessUnit, Pesantren
from santri.models.registry import Santri, SantriBusiness

SCORE_MAX = 100
CANVAS_MAX_CHARS = 1000
BUDGET_MAX_ROWS = 30
BUDGET_MAX_QUANTITY = 100_000
# The nine blocks of the business-model canvas, in the order judges read them.
CANVAS_BLOCKS = (
    "customer_segments",
    "value_proposition",
    "channels",
    "customer_relationships",
    "revenue_streams",
    "key_resources",
    "key_activities",
    "key_partners",
    "cost_structure",
)


def _canvas_field(label, help_text):
    return models.TextField(label, blank=True, help_text=help_text, validators=[MaxLengthValidator(CANVAS_MAX_CHARS)])


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
    """A team's business idea: 1-5 santri of one pesantren. A draft until submitted; submitted is locked."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")

    competition = models.ForeignKey(
        Competition, verbose_name=_("competition"), on_delete=models.CASCADE, related_name="proposals"
    )
    pesantren = models.ForeignKey(
        Pesantren, verbose_name=_("pesantren"), on_delete=models.PROTECT, related_name="proposals"
    )
    team_name = models.CharField(_("team name"), max_length=120)
    title = models.CharField(_("idea"), max_length=200)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    category = models.CharField(_("business category"), max_length=12, choices=BusinessUnit.Sector.choices, blank=True)
    text = models.TextField(_("summary"), blank=True, validators=[MaxLengthValidator(3000)])
    customer_segments = _canvas_field(_("customer segments"), _("Who buys: which people or businesses."))
    value_proposition = _canvas_field(_("value proposition"), _("Why they buy from you and not from others."))
    channels = _canvas_field(_("channels"), _("How customers hear of you, buy and receive the product."))
    customer_relationships = _canvas_field(_("customer relationships"), _("How you keep customers coming back."))
    revenue_streams = _canvas_field(_("revenue streams"), _("What customers pay for, and how much."))
    key_resources = _canvas_field(_("key resources"), _("What you need: tools, place, people, permits."))
    key_activities = _canvas_field(_("key activities"), _("What the team does every week."))
    key_partners = _canvas_field(_("key partners"), _("Suppliers and partners you rely on."))
    cost_structure = _canvas_field(_("cost structure"), _("The main costs: materials, packaging, transport."))
    funding_asked = models.PositiveBigIntegerField(
        _("funding asked (Rp)"), default=0, validators=[MaxValueValidator(MAX_RUPIAH)]
    )
    attachment = models.FileField(_("pitch deck"), upload_to=proposal_upload_to, blank=True)
    members = models.ManyToManyField(Santri, verbose_name=_("team members"), related_name="proposals")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("submitted by"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    # Frozen when the results are published: the ranking then is the ranking for good.
    total_score = models.DecimalField(_("total score"), max_digits=5, decimal_places=2, null=True, blank=True)
    rank = models.PositiveSmallIntegerField(_("rank in the province"), null=True, blank=True)
    region_rank = models.PositiveSmallIntegerField(_("rank in the kabupaten/kota"), null=True, blank=True)
    is_winner = models.BooleanField(_("winner"), default=False)
    business = models.ForeignKey(
        SantriBusiness,
        verbose_name=_("santri business"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="proposals",
    )

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")
        constraints = [
            models.UniqueConstraint(fields=["competition", "pesantren", "team_name"], name="proposal_team_unique"),
        ]

    def __str__(self):
        return f"{self.team_name}: {self.title}"

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT

    @property
    def budget_total(self) -> int:
        """Sum of the budget lines; uses prefetched `budget_items` when present."""
        return sum(item.total for item in self.budget_items.all())

    def canvas(self) -> list[tuple[str, str]]:
        """The nine blocks as (label, text), in canvas order."""
        return [(self._meta.get_field(name).verbose_name, getattr(self, name)) for name in CANVAS_BLOCKS]


class BudgetItem(models.Model):
    """One line of a proposal's budget: quantity x unit price, in whole rupiah."""

    proposal = models.ForeignKey(
        Proposal, verbose_name=_("proposal"), on_delete=models.CASCADE, related_name="budget_items"
    )
    description = models.CharField(_("item"), max_length=120)
    quantity = models.PositiveIntegerField(
        _("quantity"), validators=[MinValueValidator(1), MaxValueValidator(BUDGET_MAX_QUANTITY)]
    )
    unit_price = models.PositiveBigIntegerField(
        _("unit price (Rp)"), validators=[MinValueValidator(1), MaxValueValidator(MAX_RUPIAH)]
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["proposal", "position", "id"]
        verbose_name = _("budget item")
        verbose_name_plural = _("budget items")
        constraints = [
            models.CheckConstraint(condition=models.Q(quantity__gte=1), name="budget_quantity_positive"),
            models.CheckConstraint(condition=models.Q(unit_price__gte=1), name="budget_unit_price_positive"),
        ]

    def __str__(self):
        return f"{self.description}: {self.quantity} x {self.unit_price}"

    @property
    def total(self) -> int:
        return self.quantity * self.unit_price


class TeamInvitation(models.Model):
    """A santri asked to join a proposal's team; they (or their pesantren admin for them) answer it."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for an answer")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    proposal = models.ForeignKey(
        Proposal, verbose_name=_("proposal"), on_delete=models.CASCADE, related_name="invitations"
    )
    santri = models.ForeignKey(
        Santri, verbose_name=_("santri"), on_delete=models.CASCADE, related_name="team_invitations"
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("invited by"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("answered by"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("invited"), auto_now_add=True)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("team invitation")
        verbose_name_plural = _("team invitations")
        constraints = [models.UniqueConstraint(fields=["proposal", "santri"], name="team_invitation_once")]

    def __str__(self):
        return f"{self.santri} → {self.proposal}"


class CompetitionCertificate(models.Model):
    """A winner's or participant's certificate, checked publicly by its short number."""

    class Kind(models.TextChoices):
        WINNER = "winner", _("Winner")
        PARTICIPANT = "participant", _("Participant")

    proposal = models.ForeignKey(
        Proposal, verbose_name=_("proposal"), on_delete=models.CASCADE, related_name="certificates"
    )
    santri = models.ForeignKey(
        Santri, verbose_name=_("santri"), on_delete=models.CASCADE, related_name="competition_certificates"
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    number = models.CharField(_("certificate number"), max_length=24, unique=True)
    issued_on = models.DateField(_("issued"))

    class Meta:
        ordering = ["number"]
        verbose_name = _("competition certificate")
        verbose_name_plural = _("competition certificates")
        constraints = [models.UniqueConstraint(fields=["proposal", "santri"], name="certificate_once_per_santri")]

    def __str__(self):
        return self.number


class CertificateSequence(models.Model):
    """The last sequence number issued per series (SP, SK), year and kabupaten/kota: the row a certificate number
    is taken under (santri.services.certificates), locked, so two publishes at once never take the same one."""

    series = models.CharField(_("series"), max_length=2)
    year = models.PositiveSmallIntegerField(_("year"))
    kabupaten_kota = models.ForeignKey(
        KabupatenKota, verbose_name=_("regency/city"), on_delete=models.PROTECT, related_name="+"
    )
    last = models.PositiveIntegerField(_("last number issued"), default=0)

    class Meta:
        verbose_name = _("certificate sequence")
        verbose_name_plural = _("certificate sequences")
        constraints = [
            models.UniqueConstraint(
                fields=["series", "year", "kabupaten_kota"], name="certificate_sequence_once_per_series_year_region"
            )
        ]

    def __str__(self):
        return f"{self.series}-{self.year}-{self.kabupaten_kota_id}: {self.last}"


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
