"""B2B procurement tables: supply offers, requests for quotation, quotations, purchase orders, delivery lots,
invoices, ratings and one event trail.

Quantities are whole units (500 kg, 20 karung); prices whole rupiah per unit, so every line total is exact.
Every row belongs to an organisation on one side (buyer or supplier); selectors scope by that.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from opop.ledger import AppendOnly, AppendOnlyModel
from opop.models import KabupatenKota, Organisation, TimeStampedModel, by_whom

SUPPLIER_KINDS = (
    Organisation.Kind.PESANTREN,
    Organisation.Kind.SANTRI_BUSINESS,
    Organisation.Kind.ALUMNI_BUSINESS,
)
# A koppontren buys as its pesantren's organisation; Diskop UKM buys for the programme.
BUYER_KINDS = (Organisation.Kind.PESANTREN, Organisation.Kind.DISKOP)

nib_validator = RegexValidator(r"^\d{13}$", _("An NIB has exactly 13 digits, e.g. 9120001234567."))


class Unit(models.TextChoices):
    KG = "kg", _("kg")
    TON = "ton", _("ton")
    LITER = "liter", _("liter")
    PCS = "pcs", _("pcs")
    KARUNG = "karung", _("sack (karung)")
    DUS = "dus", _("box (dus)")
    PACK = "pack", _("pack")
    LUSIN = "lusin", _("dozen")


class PaymentTerms(models.TextChoices):
    COD = "cod", _("Cash on delivery")
    TRANSFER = "transfer", _("Transfer within N days")


class SupplierProfile(TimeStampedModel):
    """What a supplier says about itself in the directory; its NIB as declared (verified ones come from the
    halal app's legality records)."""

    organisation = models.OneToOneField(
        Organisation, verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="b2b_profile"
    )
    about = models.TextField(_("about the supplier"), blank=True)
    nib = models.CharField(_("NIB"), max_length=13, blank=True, validators=[nib_validator])
    contact_phone = models.CharField(_("contact phone"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("supplier profile")
        verbose_name_plural = _("supplier profiles")

    def __str__(self):
        return str(self.organisation_id)


class SupplyOffer(TimeStampedModel):
    """One thing a supplier can deliver in bulk, at an indicative price, to the regions it lists."""

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("supplier"), on_delete=models.CASCADE, related_name="supply_offers"
    )
    category = models.ForeignKey(
        "marketplace.Category", verbose_name=_("category"), on_delete=models.PROTECT, related_name="supply_offers"
    )
    product_name = models.CharField(_("product"), max_length=150)
    unit = models.CharField(_("unit"), max_length=10, choices=Unit.choices)
    min_quantity = models.PositiveIntegerField(_("minimum quantity"), default=1, validators=[MinValueValidator(1)])
    price_per_unit = models.PositiveBigIntegerField(_("indicative price per unit (Rp)"))
    capacity_per_month = models.PositiveIntegerField(_("capacity per month"), validators=[MinValueValidator(1)])
    delivery_areas = models.ManyToManyField(KabupatenKota, verbose_name=_("delivers to"), related_name="supply_offers")
    description = models.TextField(_("description"), blank=True)
    is_active = models.BooleanField(_("listed"), default=True)

    class Meta:
        ordering = ["product_name", "id"]
        verbose_name = _("supply offer")
        verbose_name_plural = _("supply offers")
        indexes = [models.Index(fields=["category", "is_active"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(capacity_per_month__gte=F("min_quantity")), name="b2b_offer_capacity_covers_minimum"
            )
        ]

    def __str__(self):
        return self.product_name


class RFQ(TimeStampedModel):
    """A request for quotation: what a buying organisation needs, where, when, on which terms, until when."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        AWARDED = "awarded", _("Awarded")
        CANCELLED = "cancelled", _("Cancelled")

    class Audience(models.TextChoices):
        OPEN = "open", _("All matching suppliers")
        INVITED = "invited", _("Chosen suppliers only")

    number = models.CharField(_("number"), max_length=30, unique=True)
    buyer = models.ForeignKey(Organisation, verbose_name=_("buyer"), on_delete=models.PROTECT, related_name="b2b_rfqs")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("posted by"), on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("title"), max_length=150)
    delivery_region = models.ForeignKey(
        KabupatenKota, verbose_name=_("deliver to (regency/city)"), on_delete=models.PROTECT, related_name="+"
    )
    delivery_address = models.CharField(_("delivery address"), max_length=250)
    # The delivery address's kecamatan and desa (Kemendagri codes) and postal code.
    delivery_kecamatan = models.CharField(_("delivery district (kecamatan)"), max_length=80, blank=True)
    delivery_kecamatan_code = models.CharField(_("delivery district code"), max_length=8, blank=True)
    delivery_desa = models.CharField(_("delivery village (desa/kelurahan)"), max_length=80, blank=True)
    delivery_desa_code = models.CharField(_("delivery village code"), max_length=13, blank=True)
    delivery_postal_code = models.CharField(_("delivery postal code"), max_length=5, blank=True)
    delivery_date = models.DateField(_("needed by"))
    payment_terms = models.CharField(_("payment terms"), max_length=10, choices=PaymentTerms.choices)
    payment_days = models.PositiveSmallIntegerField(
        _("days to pay"), default=0, validators=[MaxValueValidator(180)], help_text=_("For transfer terms.")
    )
    closes_at = models.DateTimeField(_("quotations close"))
    audience = models.CharField(_("open to"), max_length=10, choices=Audience.choices, default=Audience.OPEN)
    note = models.TextField(_("note for suppliers"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("request for quotation")
        verbose_name_plural = _("requests for quotation")
        indexes = [models.Index(fields=["status", "closes_at"])]

    def __str__(self):
        return self.number

    def get_absolute_url(self):
        return reverse("b2b:rfq_detail", kwargs={"pk": self.pk})

    @property
    def is_closed(self) -> bool:
        """Past its closing time: no more quotations, and the buyer may open them."""
        return timezone.now() >= self.closes_at

    @property
    def accepts_quotes(self) -> bool:
        return self.status == self.Status.OPEN and not self.is_closed

    def terms_label(self) -> str:
        if self.payment_terms == PaymentTerms.TRANSFER:
            return _("Transfer within %(days)d days") % {"days": self.payment_days}
        return str(PaymentTerms(self.payment_terms).label)


class RFQItem(models.Model):
    rfq = models.ForeignKey(RFQ, verbose_name=_("request"), on_delete=models.CASCADE, related_name="items")
    name = models.CharField(_("item"), max_length=150)
    category = models.ForeignKey(
        "marketplace.Category", verbose_name=_("category"), on_delete=models.PROTECT, related_name="+"
    )
    quantity = models.PositiveIntegerField(_("quantity"), validators=[MinValueValidator(1)])
    unit = models.CharField(_("unit"), max_length=10, choices=Unit.choices)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("requested item")
        verbose_name_plural = _("requested items")
        constraints = [models.CheckConstraint(condition=Q(quantity__gte=1), name="b2b_rfq_item_quantity_positive")]

    def __str__(self):
        return f"{self.name} {self.quantity} {self.unit}"


class RFQInvitation(models.Model):
    """A supplier told about an RFQ: chosen by the buyer, or matched (category and region) when it was posted."""

    rfq = models.ForeignKey(RFQ, verbose_name=_("request"), on_delete=models.CASCADE, related_name="invitations")
    supplier = models.ForeignKey(
        Organisation, verbose_name=_("supplier"), on_delete=models.CASCADE, related_name="b2b_invitations"
    )
    chosen = models.BooleanField(_("chosen by the buyer"), default=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        constraints = [models.UniqueConstraint(fields=["rfq", "supplier"], name="b2b_invitation_once")]

    def __str__(self):
        return f"{self.rfq_id}/{self.supplier_id}"


class Quotation(TimeStampedModel):
    """A supplier's answer to an RFQ: one per supplier, revised in place until closing (`revision` counts)."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        AWARDED = "awarded", _("Awarded")
        PARTLY_AWARDED = "partly_awarded", _("Partly awarded")
        NOT_AWARDED = "not_awarded", _("Not awarded")

    rfq = models.ForeignKey(RFQ, verbose_name=_("request"), on_delete=models.PROTECT, related_name="quotations")
    supplier = models.ForeignKey(
        Organisation, verbose_name=_("supplier"), on_delete=models.PROTECT, related_name="b2b_quotations"
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("submitted by"), on_delete=models.PROTECT, related_name="+"
    )
    delivery_date = models.DateField(_("can deliver by"))
    valid_until = models.DateField(_("valid until"))
    payment_terms = models.CharField(_("payment terms"), max_length=10, choices=PaymentTerms.choices)
    payment_days = models.PositiveSmallIntegerField(_("days to pay"), default=0, validators=[MaxValueValidator(180)])
    note = models.TextField(_("note"), blank=True)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.SUBMITTED)
    revision = models.PositiveSmallIntegerField(_("revision"), default=1)
    revised_at = models.DateTimeField(_("last revised"), null=True, blank=True)
    total = models.PositiveBigIntegerField(_("total (Rp)"), default=0)

    class Meta:
        ordering = ["total", "id"]
        verbose_name = _("quotation")
        verbose_name_plural = _("quotations")
        constraints = [models.UniqueConstraint(fields=["rfq", "supplier"], name="b2b_quotation_one_per_supplier")]

    def __str__(self):
        return f"{self.rfq_id}/{self.supplier_id}"

    def terms_label(self) -> str:
        if self.payment_terms == PaymentTerms.TRANSFER:
            return _("Transfer within %(days)d days") % {"days": self.payment_days}
        return str(PaymentTerms(self.payment_terms).label)


class QuotationLine(models.Model):
    quotation = models.ForeignKey(
        Quotation, verbose_name=_("quotation"), on_delete=models.CASCADE, related_name="lines"
    )
    item = models.ForeignKey(RFQItem, verbose_name=_("item"), on_delete=models.PROTECT, related_name="quote_lines")
    unit_price = models.PositiveBigIntegerField(_("price per unit (Rp)"))
    quantity = models.PositiveIntegerField(_("quantity it can deliver"))

    class Meta:
        ordering = ["item__position", "item_id"]
        constraints = [models.UniqueConstraint(fields=["quotation", "item"], name="b2b_quote_line_once")]

    def __str__(self):
        return f"{self.quotation_id}/{self.item_id}"

    @property
    def amount(self) -> int:
        return self.unit_price * self.quantity


class PurchaseOrder(TimeStampedModel):
    """What the buyer ordered from one supplier after awarding; confirmed by the supplier, then delivered and
    invoiced. A change after confirmation is a `PORevision` both sides accept."""

    class Status(models.TextChoices):
        ISSUED = "issued", _("Waiting for the supplier")
        CONFIRMED = "confirmed", _("Confirmed")
        DELIVERED = "delivered", _("Fully received")
        CANCELLED = "cancelled", _("Cancelled")

    number = models.CharField(_("number"), max_length=30, unique=True)
    rfq = models.ForeignKey(RFQ, verbose_name=_("request"), on_delete=models.PROTECT, related_name="purchase_orders")
    quotation = models.ForeignKey(
        Quotation, verbose_name=_("quotation"), on_delete=models.PROTECT, related_name="purchase_orders"
    )
    buyer = models.ForeignKey(Organisation, verbose_name=_("buyer"), on_delete=models.PROTECT, related_name="+")
    supplier = models.ForeignKey(Organisation, verbose_name=_("supplier"), on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.ISSUED)
    revision = models.PositiveSmallIntegerField(_("revision"), default=0)
    delivery_region = models.ForeignKey(
        KabupatenKota, verbose_name=_("deliver to"), on_delete=models.PROTECT, related_name="+"
    )
    delivery_address = models.CharField(_("delivery address"), max_length=250)
    # The delivery address's kecamatan and desa (Kemendagri codes) and postal code.
    delivery_kecamatan = models.CharField(_("delivery district (kecamatan)"), max_length=80, blank=True)
    delivery_kecamatan_code = models.CharField(_("delivery district code"), max_length=8, blank=True)
    delivery_desa = models.CharField(_("delivery village (desa/kelurahan)"), max_length=80, blank=True)
    delivery_desa_code = models.CharField(_("delivery village code"), max_length=13, blank=True)
    delivery_postal_code = models.CharField(_("delivery postal code"), max_length=5, blank=True)
    delivery_date = models.DateField(_("deliver by"))
    payment_terms = models.CharField(_("payment terms"), max_length=10, choices=PaymentTerms.choices)
    payment_days = models.PositiveSmallIntegerField(_("days to pay"), default=0)
    total = models.PositiveBigIntegerField(_("total (Rp)"), default=0)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("issued by"), on_delete=models.PROTECT, related_name="+"
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("confirmed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("purchase order")
        verbose_name_plural = _("purchase orders")

    def __str__(self):
        return self.number

    def get_absolute_url(self):
        return reverse("b2b:po_detail", kwargs={"pk": self.pk})

    def terms_label(self) -> str:
        if self.payment_terms == PaymentTerms.TRANSFER:
            return _("Transfer within %(days)d days") % {"days": self.payment_days}
        return str(PaymentTerms(self.payment_terms).label)


class POLine(models.Model):
    purchase_order = models.ForeignKey(
        PurchaseOrder, verbose_name=_("purchase order"), on_delete=models.CASCADE, related_name="lines"
    )
    item = models.ForeignKey(RFQItem, verbose_name=_("item"), on_delete=models.PROTECT, related_name="po_lines")
    name = models.CharField(_("item"), max_length=150)
    unit = models.CharField(_("unit"), max_length=10, choices=Unit.choices)
    quantity = models.PositiveIntegerField(_("quantity"))
    unit_price = models.PositiveBigIntegerField(_("price per unit (Rp)"))

    class Meta:
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["purchase_order", "item"], name="b2b_po_line_once")]

    def __str__(self):
        return self.name

    @property
    def amount(self) -> int:
        return self.unit_price * self.quantity


class PORevision(TimeStampedModel):
    """A change to a confirmed PO (quantities, prices, delivery date) proposed by one side; applied only when
    the other side accepts. `changes` maps PO line ids (as strings) to {"quantity", "unit_price"}."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        ACCEPTED = "accepted", _("Accepted")
        REJECTED = "rejected", _("Rejected")

    purchase_order = models.ForeignKey(
        PurchaseOrder, verbose_name=_("purchase order"), on_delete=models.CASCADE, related_name="revisions"
    )
    number = models.PositiveSmallIntegerField(_("revision"))
    proposed_by_org = models.ForeignKey(
        Organisation, verbose_name=_("proposed by"), on_delete=models.PROTECT, related_name="+"
    )
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    changes = models.JSONField(_("changes"), default=dict)
    delivery_date = models.DateField(_("deliver by"))
    reason = models.TextField(_("reason"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PROPOSED)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-number"]
        verbose_name = _("PO revision")
        verbose_name_plural = _("PO revisions")
        constraints = [
            models.UniqueConstraint(fields=["purchase_order", "number"], name="b2b_po_revision_number"),
            models.UniqueConstraint(
                fields=["purchase_order"], condition=Q(status="proposed"), name="b2b_one_open_po_revision"
            ),
        ]


class Delivery(TimeStampedModel):
    """One lot sent by the supplier with its delivery note; the buyer then records what it accepted."""

    class Status(models.TextChoices):
        SENT = "sent", _("On its way")
        RECEIVED = "received", _("Received")

    purchase_order = models.ForeignKey(
        PurchaseOrder, verbose_name=_("purchase order"), on_delete=models.PROTECT, related_name="deliveries"
    )
    number = models.PositiveSmallIntegerField(_("lot"))
    delivery_note = models.CharField(_("delivery note (surat jalan)"), max_length=100)
    shipped_on = models.DateField(_("sent on"))
    note = models.TextField(_("note"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.SENT)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    received_at = models.DateTimeField(_("received"), null=True, blank=True)

    class Meta:
        ordering = ["number"]
        verbose_name = _("delivery lot")
        verbose_name_plural = _("delivery lots")
        constraints = [models.UniqueConstraint(fields=["purchase_order", "number"], name="b2b_delivery_number")]


class DeliveryLine(models.Model):
    delivery = models.ForeignKey(Delivery, verbose_name=_("lot"), on_delete=models.CASCADE, related_name="lines")
    po_line = models.ForeignKey(POLine, verbose_name=_("item"), on_delete=models.PROTECT, related_name="delivery_lines")
    quantity = models.PositiveIntegerField(_("quantity sent"))
    accepted = models.PositiveIntegerField(_("accepted"), null=True, blank=True)
    rejected = models.PositiveIntegerField(_("rejected"), default=0)
    reject_reason = models.CharField(_("reason for rejection"), max_length=250, blank=True)

    class Meta:
        ordering = ["po_line_id"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gte=1), name="b2b_delivery_line_positive"),
            models.CheckConstraint(
                condition=Q(accepted__isnull=True) | Q(quantity=F("accepted") + F("rejected")),
                name="b2b_delivery_line_accounted",
            ),
        ]

    def __str__(self):
        return f"{self.po_line_id} x {self.quantity}"


class Invoice(TimeStampedModel):
    """The supplier's bill for accepted goods not billed before. Money moves outside the portal; the buyer
    records the payment with its proof."""

    class Status(models.TextChoices):
        ISSUED = "issued", _("Awaiting payment")
        PAID = "paid", _("Paid")

    number = models.CharField(_("number"), max_length=30, unique=True)
    purchase_order = models.ForeignKey(
        PurchaseOrder, verbose_name=_("purchase order"), on_delete=models.PROTECT, related_name="invoices"
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.ISSUED)
    issued_on = models.DateField(_("issued on"))
    due_on = models.DateField(_("due on"))
    total = models.PositiveBigIntegerField(_("total (Rp)"))
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    paid_at = models.DateTimeField(_("paid"), null=True, blank=True)
    paid_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    payment_reference = models.CharField(_("transfer reference"), max_length=100, blank=True)
    proof = models.ImageField(_("proof of payment"), upload_to="b2b/proofs/%Y/%m/", blank=True)

    class Meta:
        ordering = ["-issued_on", "-id"]
        verbose_name = _("invoice")
        verbose_name_plural = _("invoices")
        indexes = [models.Index(fields=["status", "due_on"]), models.Index(fields=["status", "paid_at"])]

    def __str__(self):
        return self.number

    def get_absolute_url(self):
        return reverse("b2b:invoice_detail", kwargs={"pk": self.pk})

    @property
    def is_overdue(self) -> bool:
        """Flagged on read: unpaid past its due date (WIB). No job needed; lists and pages show it."""
        return self.status == self.Status.ISSUED and timezone.localdate() > self.due_on


class InvoiceLine(models.Model):
    invoice = models.ForeignKey(Invoice, verbose_name=_("invoice"), on_delete=models.CASCADE, related_name="lines")
    po_line = models.ForeignKey(POLine, verbose_name=_("item"), on_delete=models.PROTECT, related_name="invoice_lines")
    quantity = models.PositiveIntegerField(_("quantity"))
    unit_price = models.PositiveBigIntegerField(_("price per unit (Rp)"))
    amount = models.PositiveBigIntegerField(_("amount (Rp)"))

    class Meta:
        ordering = ["po_line_id"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gte=1), name="b2b_invoice_line_positive"),
            models.CheckConstraint(condition=Q(amount=F("quantity") * F("unit_price")), name="b2b_invoice_line_sum"),
        ]

    def __str__(self):
        return f"{self.po_line_id} x {self.quantity}"


class Rating(TimeStampedModel):
    """After payment, each side of a PO rates the other once (1 to 5)."""

    purchase_order = models.ForeignKey(
        PurchaseOrder, verbose_name=_("purchase order"), on_delete=models.PROTECT, related_name="ratings"
    )
    rater = models.ForeignKey(Organisation, verbose_name=_("rated by"), on_delete=models.PROTECT, related_name="+")
    rated = models.ForeignKey(
        Organisation, verbose_name=_("rated"), on_delete=models.PROTECT, related_name="b2b_ratings"
    )
    stars = models.PositiveSmallIntegerField(_("stars"), validators=[MinValueValidator(1), MaxValueValidator(5)])
    comment = models.CharField(_("comment"), max_length=500, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("trade rating")
        verbose_name_plural = _("trade ratings")
        constraints = [
            models.UniqueConstraint(fields=["purchase_order", "rater"], name="b2b_rating_once_per_side"),
            models.CheckConstraint(condition=Q(stars__gte=1, stars__lte=5), name="b2b_rating_stars_range"),
        ]


class Event(AppendOnlyModel):
    """One state change anywhere in a trade: who (and for which organisation), when, from, to, note.
    Every aggregate hangs off its RFQ, so one trail per trade; `subject` says which part changed."""

    class Subject(models.TextChoices):
        RFQ = "rfq", _("Request")
        QUOTATION = "quotation", _("Quotation")
        PO = "po", _("Purchase order")
        DELIVERY = "delivery", _("Delivery")
        INVOICE = "invoice", _("Invoice")
        RATING = "rating", _("Rating")

    rfq = models.ForeignKey(RFQ, verbose_name=_("request"), on_delete=models.PROTECT, related_name="events")
    subject = models.CharField(_("part"), max_length=10, choices=Subject.choices)
    subject_id = models.PositiveBigIntegerField(_("part id"))
    created_at = models.DateTimeField(_("when"), default=timezone.now)
    actor = by_whom(_("by"))
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("for"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    from_status = models.CharField(_("from"), max_length=20, blank=True)
    to_status = models.CharField(_("to"), max_length=20)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("trade event")
        verbose_name_plural = _("trade events")
        triggers = [AppendOnly(clearable=("actor", "organisation"))]
        indexes = [models.Index(fields=["subject", "subject_id"])]

    def __str__(self):
        return f"{self.subject} {self.subject_id}: {self.from_status} -> {self.to_status}"
