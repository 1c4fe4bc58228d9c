"""Shopper tables: cart lines, address book, orders (one per store), their events, payments and reviews."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from marketplace.models.catalogue import Product, ProductVariant, Store
from opop.formatting import normalise_phone
from opop.ledger import AppendOnly, AppendOnlyModel
from opop.models import KabupatenKota, TimeStampedModel, by_whom, latitude_field, longitude_field

EAST_JAVA = "Jawa Timur"


class CartItem(TimeStampedModel):
    """A line in a logged-in shopper's cart. Anonymous carts live in the session."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="cart_items"
    )
    product = models.ForeignKey(Product, verbose_name=_("product"), on_delete=models.CASCADE, related_name="+")
    variant = models.ForeignKey(
        ProductVariant, verbose_name=_("variant"), on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    quantity = models.PositiveIntegerField(_("quantity"), default=1)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("cart line")
        verbose_name_plural = _("cart lines")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "product"], condition=Q(variant__isnull=True), name="cartitem_one_per_product"
            ),
            models.UniqueConstraint(
                fields=["user", "product", "variant"],
                condition=Q(variant__isnull=False),
                name="cartitem_one_per_variant",
            ),
        ]

    def __str__(self):
        return f"{self.user} · {self.product} x {self.quantity}"


class Address(TimeStampedModel):
    """An entry in a shopper's address book: provinsi > kabupaten/kota > kecamatan > desa, kode pos."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="addresses"
    )
    label = models.CharField(_("label"), max_length=40, default="Rumah", help_text=_("For example Home or Office."))
    recipient_name = models.CharField(_("recipient"), max_length=120)
    phone = models.CharField(_("phone number"), max_length=16)
    provinsi = models.CharField(_("province"), max_length=60, default=EAST_JAVA)
    kabupaten_kota = models.ForeignKey(
        KabupatenKota,
        verbose_name=_("regency/city"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Required in East Java."),
    )
    other_city = models.CharField(
        _("regency/city outside East Java"), max_length=80, blank=True, help_text=_("Only outside East Java.")
    )
    # Kemendagri codes: the kabupaten/kota anywhere in Indonesia (35.17, 31.71); kecamatan and desa in East Java
    # only (35.17.10, 35.17.10.2001), empty outside. A courier quotes from them (opop.wilayah).
    kabupaten_code = models.CharField(_("regency/city code"), max_length=5, blank=True)
    kecamatan = models.CharField(_("district (kecamatan)"), max_length=80)
    kecamatan_code = models.CharField(_("district code"), max_length=8, blank=True)
    desa = models.CharField(_("village (desa/kelurahan)"), max_length=80)
    desa_code = models.CharField(_("village code"), max_length=13, blank=True)
    street = models.CharField(_("street and house number"), max_length=200)
    rt_rw = models.CharField(_("RT/RW"), max_length=15, blank=True)
    latitude = latitude_field()
    longitude = longitude_field()
    postal_code = models.CharField(
        _("postal code"), max_length=5, validators=[RegexValidator(r"^\d{5}$", _("A postal code has 5 digits."))]
    )
    is_default = models.BooleanField(_("main address"), default=False)

    class Meta:
        ordering = ["-is_default", "-created_at"]
        verbose_name = _("address")
        verbose_name_plural = _("addresses")

    def __str__(self):
        return f"{self.label}: {self.one_line}"

    @property
    def city_label(self) -> str:
        return self.kabupaten_kota.label if self.kabupaten_kota_id else self.other_city

    @property
    def one_line(self) -> str:
        return ", ".join(
            part
            for part in (
                self.street,
                f"RT/RW {self.rt_rw}" if self.rt_rw else "",
                self.desa,
                self.kecamatan,
                self.city_label,
                self.provinsi,
                self.postal_code,
            )
            if part
        )

    def clean(self):
        super().clean()
        errors = {}
        if self.phone:
            try:
                self.phone = normalise_phone(self.phone)
            except ValueError as exc:
                errors["phone"] = str(exc)
        if self.provinsi.strip().lower() == EAST_JAVA.lower():
            self.provinsi = EAST_JAVA
            if not self.kabupaten_kota_id:
                errors["kabupaten_kota"] = _("Choose the regency or city in East Java.")
            self.other_city = ""
        else:
            self.kabupaten_kota = None
            if not self.other_city:
                errors["other_city"] = _("Write the regency or city outside East Java.")
        if errors:
            raise ValidationError(errors)


class Order(TimeStampedModel):
    """What one shopper bought from one store in one checkout. Status moves only through orders.services."""

    class Status(models.TextChoices):
        AWAITING_PAYMENT = "awaiting_payment", _("Awaiting payment")
        PAID = "paid", _("Paid")
        PROCESSING = "processing", _("Processing")
        READY_TO_SHIP = "ready_to_ship", _("Ready to ship")
        SHIPPED = "shipped", _("Shipped")
        DELIVERED = "delivered", _("Delivered")
        COMPLETED = "completed", _("Completed")
        CANCELLED = "cancelled", _("Cancelled")
        REFUND_REQUESTED = "refund_requested", _("Complaint open")
        REFUNDED = "refunded", _("Refunded")

    class PaymentMethod(models.TextChoices):
        BANK_TRANSFER = "bank_transfer", _("Bank transfer")
        GATEWAY = "gateway", _("Virtual account / QRIS")
        CASH_ON_PICKUP = "cash_on_pickup", _("Cash on pickup")

    class Delivery(models.TextChoices):
        SHIPPING = "shipping", _("Shipping")
        PICKUP = "pickup", _("Pickup at the pesantren")

    number = models.CharField(_("order number"), max_length=30, unique=True)
    # The checkout's id, made when the checkout form is rendered: it doubles as the idempotency key, so a second
    # submission of one form finds the orders the first one placed (one per store, per buyer).
    checkout_group = models.UUIDField(_("checkout"), db_index=True)
    buyer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("buyer"), on_delete=models.PROTECT, related_name="mart_orders"
    )
    store = models.ForeignKey(Store, verbose_name=_("store"), on_delete=models.PROTECT, related_name="orders")
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.AWAITING_PAYMENT, db_index=True
    )
    payment_method = models.CharField(_("payment method"), max_length=20, choices=PaymentMethod.choices)
    delivery = models.CharField(_("delivery"), max_length=10, choices=Delivery.choices)
    destination = models.ForeignKey(
        KabupatenKota, verbose_name=_("destination"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recipient_name = models.CharField(_("recipient"), max_length=120, blank=True)
    recipient_phone = models.CharField(_("phone number"), max_length=16, blank=True)
    shipping_address = models.TextField(_("shipping address"), blank=True)
    subtotal = models.PositiveBigIntegerField(_("subtotal"))
    shipping_cost = models.PositiveBigIntegerField(_("shipping"))
    total = models.PositiveBigIntegerField(_("total"))
    # The shipping service the shopper chose and what the quote said, fixed at checkout (marketplace.shipping).
    shipping_service = models.CharField(_("shipping service"), max_length=30, blank=True)
    shipping_service_name = models.CharField(_("shipping service"), max_length=60, blank=True)
    shipping_days_min = models.PositiveSmallIntegerField(_("delivery days (fewest)"), null=True, blank=True)
    shipping_days_max = models.PositiveSmallIntegerField(_("delivery days (most)"), null=True, blank=True)
    shipping_weight_grams = models.PositiveIntegerField(_("weight (grams)"), default=0)
    # What the courier charges for it at checkout: more than shipping_cost when a store rule made shipping free.
    shipping_courier_price = models.PositiveBigIntegerField(_("courier price"), default=0)
    shipping_postal_code = models.CharField(_("postal code"), max_length=5, blank=True)
    courier = models.CharField(_("courier"), max_length=40, blank=True)
    tracking_number = models.CharField(_("tracking number"), max_length=60, blank=True)
    cancel_reason = models.CharField(_("reason"), max_length=250, blank=True)
    expires_at = models.DateTimeField(_("pay before"), null=True, blank=True, db_index=True)
    paid_at = models.DateTimeField(_("paid"), null=True, blank=True)
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)
    # When the order last entered "shipped" / "delivered": the auto-complete clock runs from here. A rejected
    # complaint returns the order to that status and so restarts the clock (orders.services.orders_auto_complete).
    shipped_at = models.DateTimeField(_("shipped"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("delivered"), null=True, blank=True)
    stock_released = models.BooleanField(default=False, editable=False)
    buyer_organisation = models.ForeignKey(
        "opop.Organisation",
        verbose_name=_("bought for"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="mart_purchases",
        help_text=_("The pesantren the buyer bought on behalf of."),
    )
    is_pesantren_trade = models.BooleanField(
        _("pesantren-to-pesantren trade"), default=False, db_index=True, editable=False
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("order")
        verbose_name_plural = _("orders")
        constraints = [
            models.CheckConstraint(
                condition=Q(total=models.F("subtotal") + models.F("shipping_cost")), name="order_total_adds_up"
            ),
            models.UniqueConstraint(
                fields=["buyer", "checkout_group", "store"], name="order_one_per_store_per_checkout"
            ),
        ]
        indexes = [
            # The incremental rollup reads the orders paid in its dirty months; without this it scans every order.
            models.Index(fields=["paid_at"], condition=Q(paid_at__isnull=False), name="order_paid_at_idx"),
            # The seller's order queue: newest first for one store, all tabs or one status, without sorting
            # every order of a big store; the tab counts (COUNT(id) by status) read the second index only.
            models.Index(fields=["store", "-created_at", "-id"], name="order_store_newest"),
            models.Index(fields=["store", "status", "-created_at", "-id"], name="order_store_status"),
            # The seller dashboard's month of sales: one store's orders paid in a month, not all it ever had.
            models.Index(fields=["store", "paid_at"], condition=Q(paid_at__isnull=False), name="order_store_paid_at"),
            # The auto-complete job reads only the orders now shipped or delivered, oldest clock first: two small
            # partial indexes instead of a scan of every order ever placed.
            models.Index(fields=["shipped_at"], condition=Q(status="shipped"), name="order_autocomplete_shipped"),
            models.Index(fields=["delivered_at"], condition=Q(status="delivered"), name="order_autocomplete_delivered"),
        ]

    def __str__(self):
        return self.number

    @property
    def is_expired(self) -> bool:
        return self.expires_at is not None and self.expires_at <= timezone.now()


class StoreOrderCount(models.Model):
    """How many of a store's orders are in one status: the seller queue's tab counts and page count, without
    counting a big store's orders on every visit. Written only by marketplace.orders.counters, in the transaction
    that creates an order or changes its status; `manage.py order_counts_check` compares them with COUNT(*)."""

    store = models.ForeignKey(Store, verbose_name=_("store"), on_delete=models.CASCADE, related_name="order_counts")
    status = models.CharField(_("status"), max_length=20, choices=Order.Status.choices)
    count = models.BigIntegerField(_("orders"), default=0)

    class Meta:
        verbose_name = _("store order count")
        verbose_name_plural = _("store order counts")
        constraints = [
            models.UniqueConstraint(fields=["store", "status"], name="store_order_count_one_per_status"),
        ]

    def __str__(self):
        return f"{self.store_id} {self.status}: {self.count}"


class OrderItem(models.Model):
    order = models.ForeignKey(Order, verbose_name=_("order"), on_delete=models.CASCADE, related_name="items")
    product = models.ForeignKey(
        Product, verbose_name=_("product"), on_delete=models.PROTECT, related_name="order_items"
    )
    variant = models.ForeignKey(
        ProductVariant, verbose_name=_("variant"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    product_name = models.CharField(_("product"), max_length=200)
    variant_name = models.CharField(_("variant"), max_length=100, blank=True)
    unit_price = models.PositiveBigIntegerField(_("unit price"))
    quantity = models.PositiveIntegerField(_("quantity"))
    line_total = models.PositiveBigIntegerField(_("line total"))

    class Meta:
        ordering = ["id"]
        verbose_name = _("order line")
        verbose_name_plural = _("order lines")

    def __str__(self):
        return f"{self.product_name} x {self.quantity}"


class OrderEvent(AppendOnlyModel):
    """One transition of an order: who moved it from which status to which, when, and why. Append-only."""

    order = models.ForeignKey(Order, verbose_name=_("order"), on_delete=models.PROTECT, related_name="events")
    created_at = models.DateTimeField(_("when"), default=timezone.now)
    actor = by_whom(_("by"))
    from_status = models.CharField(_("from"), max_length=20, choices=Order.Status.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=20, choices=Order.Status.choices)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("order event")
        verbose_name_plural = _("order events")
        triggers = [AppendOnly(clearable=("actor",))]

    def __str__(self):
        return f"{self.order} {self.from_status} → {self.to_status}"


class CheckoutPayment(TimeStampedModel):
    """The one gateway payment (virtual account / QRIS) of a checkout: one transaction, one VA number and one
    amount, the total of every order of that checkout paid by the gateway. Each of those orders has its own
    Payment row pointing here; the gateway's webhook pays them all at once. Bank transfer and cash stay per
    order (the buyer pays each store's own account), so they never have one."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for payment")
        PAID = "paid", _("Paid")
        EXPIRED = "expired", _("Expired")
        CANCELLED = "cancelled", _("Cancelled")

    buyer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("buyer"), on_delete=models.PROTECT, related_name="+"
    )
    checkout_group = models.UUIDField(_("checkout"))
    provider = models.CharField(_("provider"), max_length=30)
    amount = models.PositiveBigIntegerField(_("amount"))
    provider_transaction_id = models.CharField(_("provider transaction id"), max_length=80, unique=True)
    virtual_account = models.CharField(_("virtual account"), max_length=30)
    expires_at = models.DateTimeField(_("pay before"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PENDING)
    paid_at = models.DateTimeField(_("paid"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("checkout payment")
        verbose_name_plural = _("checkout payments")
        constraints = [
            # At most one gateway payment per checkout.
            models.UniqueConstraint(fields=["buyer", "checkout_group"], name="checkoutpayment_one_per_checkout"),
            models.CheckConstraint(
                condition=Q(status="paid", paid_at__isnull=False) | ~Q(status="paid"),
                name="checkoutpayment_paid_has_time",
            ),
        ]

    def __str__(self):
        return f"{self.provider_transaction_id} {self.amount}"

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()


class Payment(TimeStampedModel):
    """One attempt to pay one order through one provider. Paid by the gateway, the order's share of the
    checkout's one payment (`checkout_payment`); the transaction id and VA number are on that one."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        PROOF_UPLOADED = "proof_uploaded", _("Proof uploaded")
        CONFIRMED = "confirmed", _("Confirmed")
        VOID = "void", _("Void")

    order = models.ForeignKey(Order, verbose_name=_("order"), on_delete=models.CASCADE, related_name="payments")
    provider = models.CharField(_("provider"), max_length=30)
    amount = models.PositiveBigIntegerField(_("amount"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PENDING)
    provider_transaction_id = models.CharField(
        _("provider transaction id"), max_length=80, null=True, blank=True, unique=True
    )
    virtual_account = models.CharField(_("virtual account"), max_length=30, blank=True)
    checkout_payment = models.ForeignKey(
        CheckoutPayment,
        verbose_name=_("checkout payment"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="payments",
    )
    proof = models.ImageField(_("transfer proof"), upload_to="marketplace/proofs/", blank=True)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    confirmed_by = by_whom(_("confirmed by"))

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("payment")
        verbose_name_plural = _("payments")

    def __str__(self):
        return f"{self.order} {self.provider} {self.amount}"


class Review(TimeStampedModel):
    """One shopper's rating of one product bought in one completed order."""

    order_item = models.OneToOneField(
        OrderItem, verbose_name=_("order line"), on_delete=models.CASCADE, related_name="review"
    )
    product = models.ForeignKey(Product, verbose_name=_("product"), on_delete=models.CASCADE, related_name="reviews")
    buyer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("buyer"), on_delete=models.CASCADE, related_name="mart_reviews"
    )
    rating = models.PositiveSmallIntegerField(_("stars"), validators=[MinValueValidator(1), MaxValueValidator(5)])
    text = models.TextField(_("review"), blank=True)
    photo = models.ImageField(_("photo"), upload_to="marketplace/reviews/", blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        constraints = [
            models.CheckConstraint(condition=Q(rating__gte=1, rating__lte=5), name="review_rating_1_to_5"),
        ]

    def __str__(self):
        return f"{self.product} ★{self.rating}"
