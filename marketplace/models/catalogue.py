"""Catalogue tables: category tree, stores with their shipping rates, products, variants and photos."""

from functools import lru_cache

import pgtrigger
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.translation import gettext_lazy as _

from opop.models import KabupatenKota, Organisation, TimeStampedModel, by_whom

_SLUG = "slug-placeholder-0"


@lru_cache(maxsize=64)
def _slug_pattern(name: str, prefix: str, urlconf, root_urlconf: str) -> str:
    return reverse(name, kwargs={"slug": _SLUG})


# Product search at province scale (issue #10): on PostgreSQL each product keeps its full-text document (name A,
# category and store B, description C) in marketplace_product.search_document, a tsvector column with a GIN index
# (migration 0007) that is no model field: marketplace.catalogue.search reads it with RawSQL. These triggers keep
# it current; SQLite has neither the column nor the triggers, and search keeps its icontains path there.
_DOCUMENT = (
    "setweight(to_tsvector('simple', coalesce(unaccent({name}), '')), 'A')"
    " || setweight(to_tsvector('simple', coalesce(unaccent({category}), '')), 'B')"
    " || setweight(to_tsvector('simple', coalesce(unaccent({store}), '')), 'B')"
    " || setweight(to_tsvector('simple', coalesce(unaccent({description}), '')), 'C')"
)
PRODUCT_SEARCH_DOCUMENT = pgtrigger.Trigger(
    name="search_document",
    when=pgtrigger.Before,
    operation=pgtrigger.Insert | pgtrigger.UpdateOf("name", "description", "category_id", "store_id"),
    func="NEW.search_document := {document}; RETURN NEW;".format(
        document=_DOCUMENT.format(
            name="NEW.name",
            category="(SELECT name FROM marketplace_category WHERE id = NEW.category_id)",
            store="(SELECT name FROM marketplace_store WHERE id = NEW.store_id)",
            description="NEW.description",
        )
    ),
)


def _rewrite_documents_on_rename(foreign_key: str) -> pgtrigger.Trigger:
    """A renamed category or store rewrites the documents of its products (setting name = name fires theirs)."""
    return pgtrigger.Trigger(
        name="search_document",
        when=pgtrigger.After,
        operation=pgtrigger.UpdateOf("name"),
        condition=pgtrigger.AnyChange("name"),
        func=f"UPDATE marketplace_product SET name = name WHERE {foreign_key} = NEW.id; RETURN NULL;",  # noqa: S608
    )


def slug_url(name: str, slug: str) -> str:
    """reverse(name, kwargs={"slug": slug}) without resolving the pattern again for every card of a list: the URL
    is built once per pattern (and script prefix, URLconf) and the slug put in (a slug needs no quoting)."""
    return _slug_pattern(name, get_script_prefix(), get_urlconf(), settings.ROOT_URLCONF).replace(_SLUG, slug)


class Pillar(models.TextChoices):
    PESANTRENPRENEUR = "pesantrenpreneur", _("Pesantrenpreneur")
    SANTRIPRENEUR = "santripreneur", _("Santripreneur")
    SOSIOPRENEUR = "sosiopreneur", _("Sosiopreneur")


# A store's pillar is never stored: it follows from who owns the store.
PILLAR_BY_KIND = {
    Organisation.Kind.PESANTREN: Pillar.PESANTRENPRENEUR,
    Organisation.Kind.SANTRI_BUSINESS: Pillar.SANTRIPRENEUR,
    Organisation.Kind.ALUMNI_BUSINESS: Pillar.SOSIOPRENEUR,
}
KIND_BY_PILLAR = {pillar: kind for kind, pillar in PILLAR_BY_KIND.items()}


class Category(models.Model):
    """A node of the category tree (e.g. Makanan & Minuman > Kopi)."""

    name = models.CharField(_("name"), max_length=100)
    # The name is Indonesian (the default language); each other language has its own column, empty = as name.
    name_en = models.CharField(_("name in English"), max_length=100, blank=True)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    parent = models.ForeignKey(
        "self", verbose_name=_("parent"), on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        triggers = [_rewrite_documents_on_rename("category_id")]

    def __str__(self):
        return self.label

    def get_absolute_url(self):
        return slug_url("marketplace:category", self.slug)

    @property
    def label(self) -> str:
        """The name in the active language (shelves, filters, breadcrumbs, the seller's form)."""
        from django.utils.translation import get_language

        if (get_language() or "id")[:2] == "en" and self.name_en:
            return self.name_en
        return self.name


def default_courier_services() -> list[str]:
    from marketplace.shipping.rates import DEFAULT_STORE_SERVICES

    return list(DEFAULT_STORE_SERVICES)


class Store(TimeStampedModel):
    """A shop (toko) of one organisation: a pesantren's koppontren, a santri or an alumni business."""

    organisation = models.OneToOneField(
        Organisation, verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="store"
    )
    name = models.CharField(_("name"), max_length=150)
    slug = models.SlugField(_("slug"), max_length=170, unique=True)
    description = models.TextField(_("description"), blank=True)
    logo = models.ImageField(_("logo"), upload_to="marketplace/stores/", blank=True)
    is_active = models.BooleanField(_("open"), default=True)
    allows_pickup = models.BooleanField(_("pickup at the pesantren"), default=True)
    pickup_address = models.CharField(_("pickup address"), max_length=250, blank=True)
    # Where the store ships from, chosen when it opens; empty for stores opened before, which ship from their
    # organisation's regency/city (see `kabupaten_kota`).
    origin = models.ForeignKey(
        KabupatenKota,
        verbose_name=_("ships from"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # Where a courier picks up: the kecamatan and desa of the pickup address (Kemendagri codes), its postal code
    # and map pin. A courier quotes from `origin_kecamatan_code`, else from the regency/city's code.
    origin_kecamatan = models.CharField(_("pickup district (kecamatan)"), max_length=80, blank=True)
    origin_kecamatan_code = models.CharField(_("pickup district code"), max_length=8, blank=True)
    origin_desa = models.CharField(_("pickup village (desa/kelurahan)"), max_length=80, blank=True)
    origin_desa_code = models.CharField(_("pickup village code"), max_length=13, blank=True)
    origin_postal_code = models.CharField(_("pickup postal code"), max_length=5, blank=True)
    origin_latitude = models.DecimalField(_("pickup latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    origin_longitude = models.DecimalField(_("pickup longitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    default_shipping_rate = models.PositiveIntegerField(
        _("default shipping rate"),
        default=50000,
        help_text=_("Used for destinations without their own rate, including outside East Java."),
    )
    bank_name = models.CharField(_("bank"), max_length=60, blank=True)
    bank_account_number = models.CharField(_("account number"), max_length=30, blank=True)
    bank_account_name = models.CharField(_("account holder"), max_length=100, blank=True)
    rating_average = models.DecimalField(_("rating"), max_digits=3, decimal_places=2, default=0)
    rating_count = models.PositiveIntegerField(_("number of ratings"), default=0)
    opening_hours = models.CharField(
        _("opening hours"), max_length=200, blank=True, help_text=_("For example: Sat-Thu 08.00-16.00, Friday closed.")
    )
    order_expiry_hours = models.PositiveSmallIntegerField(
        _("hours to pay"), default=24, help_text=_("Unpaid orders are cancelled after this many hours.")
    )
    is_on_holiday = models.BooleanField(
        _("holiday mode"), default=False, help_text=_("Products stay visible but cannot be bought.")
    )
    holiday_message = models.CharField(_("holiday message"), max_length=250, blank=True)
    # Shipping (issue #20): the service codes the store offers (marketplace.shipping.rates; "store_courier" is its
    # own delivery at its shipping rates), and its free-shipping / flat-rate rules, each a small dict read by
    # marketplace.shipping.quotes ({"kind": "free"|"flat", "zone": …, "min_subtotal": …, "price": …}). Kept on the
    # store so a checkout quotes every store without another query.
    courier_services = models.JSONField(_("courier services"), default=default_courier_services, blank=True)
    shipping_rules = models.JSONField(_("shipping rules"), default=list, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("store")
        verbose_name_plural = _("stores")
        triggers = [_rewrite_documents_on_rename("store_id")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return slug_url("marketplace:store", self.slug)

    @property
    def pillar(self) -> str:
        return PILLAR_BY_KIND.get(self.organisation.kind, "")

    def get_pillar_display(self) -> str:
        return Pillar(self.pillar).label if self.pillar else ""

    @property
    def kabupaten_kota(self) -> KabupatenKota | None:
        """The store's origin when it chose one, otherwise its organisation's regency/city."""
        return self.origin if self.origin_id else self.organisation.kabupaten_kota


class ShippingRate(models.Model):
    """What a store charges to ship one order to one kabupaten/kota."""

    store = models.ForeignKey(Store, verbose_name=_("store"), on_delete=models.CASCADE, related_name="shipping_rates")
    kabupaten_kota = models.ForeignKey(
        KabupatenKota, verbose_name=_("regency/city"), on_delete=models.PROTECT, related_name="+"
    )
    price = models.PositiveIntegerField(_("price"))

    class Meta:
        verbose_name = _("shipping rate")
        verbose_name_plural = _("shipping rates")
        constraints = [models.UniqueConstraint(fields=["store", "kabupaten_kota"], name="shippingrate_one_per_region")]

    def __str__(self):
        return f"{self.store} → {self.kabupaten_kota}"


class ListingStatus(models.TextChoices):
    """Whether a product may be shown to shoppers (marketplace/catalogue/curation.py decides)."""

    PENDING = "pending", _("Awaiting review")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class ProductQuerySet(models.QuerySet):
    def visible(self):
        """What shoppers may see and buy: on sale, approved by curation, of an open store and active organisation."""
        return self.filter(
            is_active=True,
            listing_status=ListingStatus.APPROVED,
            store__is_active=True,
            store__organisation__is_active=True,
        )


class Product(TimeStampedModel):
    store = models.ForeignKey(Store, verbose_name=_("store"), on_delete=models.PROTECT, related_name="products")
    category = models.ForeignKey(
        Category, verbose_name=_("category"), on_delete=models.PROTECT, related_name="products"
    )
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=220, unique=True)
    description = models.TextField(_("description"), blank=True)
    price = models.PositiveBigIntegerField(_("price (Rp)"))
    stock = models.IntegerField(_("stock"), default=0)
    weight_grams = models.PositiveIntegerField(_("weight (grams)"), default=250)
    min_order = models.PositiveSmallIntegerField(_("minimum order"), default=1)
    nib = models.CharField(_("NIB (business number)"), max_length=20, blank=True)
    pirt = models.CharField(_("P-IRT number"), max_length=30, blank=True)
    bpom_md = models.CharField(_("BPOM MD number"), max_length=30, blank=True)
    # The number of the product's valid halal certificate, or empty: denormalised and written only by
    # marketplace.halal.services.product_halal_sync, so the card chip, the halal filter, the product page and
    # its structured data read one value. A number a seller types is a claim (halal.HalalClaim) until verified.
    halal_certificate_number = models.CharField(
        _("halal certificate number"), max_length=40, blank=True, editable=False
    )
    is_flagship = models.BooleanField(_("OPOP flagship product"), default=False)
    is_active = models.BooleanField(_("on sale"), default=True)
    sold_count = models.PositiveIntegerField(_("sold"), default=0)
    low_stock_threshold = models.PositiveIntegerField(
        _("low-stock alert at"), default=5, help_text=_("The product appears on the restock list at this stock.")
    )
    rating_average = models.DecimalField(_("rating"), max_digits=3, decimal_places=2, default=0)
    rating_count = models.PositiveIntegerField(_("number of ratings"), default=0)
    # Curation (marketplace/catalogue/curation.py). Approved is the default so that rows written outside the
    # seller's path (fixtures, the benchmark generator, products from before curation) stay public; every
    # seller create or edit goes through the curation service, which sets it.
    listing_status = models.CharField(
        _("listing review"), max_length=10, choices=ListingStatus.choices, default=ListingStatus.APPROVED
    )
    listing_reason = models.TextField(_("reason for the review decision"), blank=True)
    listing_reviewed_by = by_whom(_("reviewed by"))
    listing_reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)

    objects = ProductQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("product")
        verbose_name_plural = _("products")
        constraints = [
            models.CheckConstraint(condition=Q(stock__gte=0), name="product_stock_not_negative"),
            models.CheckConstraint(condition=Q(min_order__gte=1), name="product_min_order_positive"),
        ]
        indexes = [
            models.Index(fields=["is_active", "-created_at"]),
            models.Index(fields=["-sold_count"]),
            # A category's listing, newest first, read in index order down to a deep page.
            models.Index(
                fields=["category", "-created_at", "-id"], condition=Q(is_active=True), name="product_category_newest"
            ),
            # Best-selling first with the id as tie-break, as the store home, related products and the
            # best-selling sort order them: read in index order even when most products sold nothing yet.
            models.Index(
                fields=["-sold_count", "-id"],
                condition=Q(is_active=True, is_flagship=True),
                name="product_flagship_best",
            ),
            models.Index(fields=["-sold_count", "-id"], condition=Q(is_active=True), name="product_best_selling"),
            models.Index(
                fields=["category", "-sold_count", "-id"], condition=Q(is_active=True), name="product_category_best"
            ),
            # The catalogue's halal filter, newest first (a plain WHERE on the synced number).
            models.Index(
                fields=["-created_at", "-id"],
                condition=Q(is_active=True) & ~Q(halal_certificate_number=""),
                name="product_halal_newest",
            ),
        ]
        triggers = [PRODUCT_SEARCH_DOCUMENT]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return slug_url("marketplace:product", self.slug)

    @property
    def is_listed(self) -> bool:
        """Approved by curation (whether or not the seller has it on sale right now)."""
        return self.listing_status == ListingStatus.APPROVED

    @property
    def is_halal(self) -> bool:
        """A valid certificate stands behind the product (see `halal_certificate_number`)."""
        return bool(self.halal_certificate_number)

    @property
    def in_stock(self) -> bool:
        return self.stock > 0

    @property
    def is_low_on_stock(self) -> bool:
        return self.stock <= self.low_stock_threshold


class ProductVariant(models.Model):
    """A size or flavour of a product, with its own price and stock."""

    product = models.ForeignKey(Product, verbose_name=_("product"), on_delete=models.CASCADE, related_name="variants")
    name = models.CharField(_("name"), max_length=100)
    price = models.PositiveBigIntegerField(_("price (Rp)"))
    stock = models.IntegerField(_("stock"), default=0)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("variant")
        verbose_name_plural = _("variants")
        constraints = [
            models.CheckConstraint(condition=Q(stock__gte=0), name="variant_stock_not_negative"),
            models.UniqueConstraint(fields=["product", "name"], name="variant_unique_name"),
        ]

    def __str__(self):
        return f"{self.product} - {self.name}"


class ProductPhoto(models.Model):
    """Resized renditions of an uploaded photo. The upload itself is never stored, so never served raw."""

    product = models.ForeignKey(Product, verbose_name=_("product"), on_delete=models.CASCADE, related_name="photos")
    large = models.ImageField(
        _("large"), upload_to="marketplace/products/l/", width_field="width", height_field="height"
    )
    medium = models.ImageField(_("medium"), upload_to="marketplace/products/m/")
    small = models.ImageField(_("small"), upload_to="marketplace/products/s/")
    width = models.PositiveIntegerField(default=0, editable=False)
    height = models.PositiveIntegerField(default=0, editable=False)
    alt_text = models.CharField(_("description of the photo"), max_length=200, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("product photo")
        verbose_name_plural = _("product photos")

    def __str__(self):
        return self.alt_text or f"{self.product} #{self.position}"
