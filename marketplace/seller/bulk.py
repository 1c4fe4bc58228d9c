"""Bulk price and stock update from a CSV or XLSX file: parse and check every row first (a preview with per-row
errors, stored on the server by opop.imports), then apply all rows in one transaction, or none. Stock changes are
correction movements."""

import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from marketplace.catalogue.fragments import catalogue_changed
from marketplace.catalogue.stock import stock_set
from marketplace.models import Product, ProductVariant, Store
from opop.imports import UploadedTable, preview_confirm, preview_store, row_error, upload_read
from opop.models import ImportPreview, User
from opop.services import DomainError

COLUMNS = ["product_id", "variant", "name", "price", "stock"]
MAX_ROWS = 2000
THOUSANDS = re.compile(r"^\d{1,3}([.,]\d{3})+$")


@dataclass
class BulkRow:
    line: int
    product_id: int | None = None
    variant_id: int | None = None
    label: str = ""
    price: int | None = None
    stock: int | None = None
    old_price: int | None = None
    old_stock: int | None = None
    errors: list[str] = field(default_factory=list)

    @property
    def changes(self) -> bool:
        return (self.price is not None and self.price != self.old_price) or (
            self.stock is not None and self.stock != self.old_stock
        )


def export_rows(store: Store) -> list[list]:
    rows = [COLUMNS]
    for product in Product.objects.filter(store=store).prefetch_related("variants").order_by("name", "id"):
        variants = list(product.variants.all())
        if not variants:
            rows.append([product.pk, "", product.name, product.price, product.stock])
        for variant in variants:
            rows.append([product.pk, variant.name, product.name, variant.price, variant.stock])
    return rows


def _read(upload) -> UploadedTable:
    """The header and rows of the file, by the rules of opop.imports."""
    try:
        return upload_read(filename=upload.name, content=upload.read(), max_rows=MAX_ROWS)
    except ValidationError as exc:
        raise DomainError(" ".join(exc.messages)) from None


def _number(value: str, what: str, errors: list[str]) -> int | None:
    value = (value or "").strip().removesuffix(".0")
    if value == "":
        return None
    if THOUSANDS.match(value):
        value = value.replace(".", "").replace(",", "")  # 85.000 or 85,000
    if not value.lstrip("-").isdigit():
        errors.append(_("%(what)s “%(value)s” is not a whole number.") % {"what": what, "value": value})
        return None
    number = int(value)
    if number < 0:
        errors.append(_("%(what)s cannot be negative.") % {"what": what})
        return None
    return number


def bulk_parse(*, store: Store, upload) -> list[BulkRow]:
    table = _read(upload)
    header = [cell.lower() for cell in table.header]
    missing = [c for c in ("product_id", "price", "stock") if c not in header]
    if missing:
        raise DomainError(_("The first row needs the columns %(cols)s.") % {"cols": ", ".join(COLUMNS)})
    index = {name: header.index(name) for name in COLUMNS if name in header}
    products = Product.objects.filter(store=store).in_bulk()
    variants = {(v.product_id, v.name.strip().lower()): v for v in ProductVariant.objects.filter(product__store=store)}
    with_variants = {product_id for product_id, _name in variants}
    rows, seen = [], set()
    for line, cells in table.rows:
        cells = ["" if cell is None else cell for cell in cells] + [""] * len(header)

        def get(name, cells=cells):
            return str(cells[index[name]]).strip() if name in index else ""

        row = BulkRow(line=line)
        product_id = _number(get("product_id"), "product_id", row.errors)
        product = products.get(product_id) if product_id is not None else None
        if product is None:
            if not row.errors:
                row.errors.append(_("No product %(id)s in this store.") % {"id": get("product_id") or "—"})
            rows.append(row)
            continue
        row.product_id, row.label = product.pk, product.name
        variant_name = get("variant")
        target = product
        if variant_name:
            variant = variants.get((product.pk, variant_name.lower()))
            if variant is None:
                row.errors.append(
                    _("%(name)s has no variant “%(variant)s”.") % {"name": product.name, "variant": variant_name}
                )
            else:
                row.variant_id, row.label, target = variant.pk, f"{product.name} ({variant.name})", variant
        elif product.pk in with_variants:
            row.errors.append(_("%(name)s has variants: give the variant's name.") % {"name": product.name})
        key = (row.product_id, row.variant_id)
        if key in seen:
            row.errors.append(_("This product appears twice in the file."))
        seen.add(key)
        row.old_price, row.old_stock = target.price, target.stock
        row.price = _number(get("price"), _("Price"), row.errors)
        row.stock = _number(get("stock"), _("Stock"), row.errors)
        if row.price == 0:
            row.errors.append(_("A price of 0 is not allowed."))
        rows.append(row)
    return rows


KIND = "marketplace.bulk"


def bulk_preview(*, store: Store, upload, actor: User) -> tuple[ImportPreview, list[BulkRow]]:
    """Read and check the file and keep the checked rows on the server; returns the stored preview and the rows."""
    rows = bulk_parse(store=store, upload=upload)
    preview = preview_store(
        model=ImportPreview,
        user=actor,
        filename=upload.name,
        # every row: the page shows them all, and applying refuses while any has an error
        rows=[row.__dict__ for row in rows],
        errors=[row_error(line=row.line, reasons=row.errors) for row in rows if row.errors],
        total_rows=len(rows),
        organisation=store.organisation,
        kind=KIND,
    )
    return preview, rows


def bulk_confirm(*, store: Store, pk: int, actor: User) -> int:
    """Apply a stored preview of this store's organisation that `actor` uploaded, once."""
    return preview_confirm(
        queryset=ImportPreview.objects.filter(organisation=store.organisation, kind=KIND, created_by=actor),
        pk=pk,
        apply=lambda preview: bulk_apply(store=store, rows=[BulkRow(**row) for row in preview.rows], actor=actor),
    )


@transaction.atomic
def bulk_apply(*, store: Store, rows: list[BulkRow], actor: User) -> int:
    """Apply every row or none. Raises DomainError if any row has an error."""
    if any(row.errors for row in rows):
        raise DomainError(_("Fix the rows with errors first; nothing was changed."))
    changed = 0
    reason = _("Bulk update from file")
    for row in rows:
        if not row.changes:
            continue
        product = Product.objects.get(store=store, pk=row.product_id)
        variant = ProductVariant.objects.get(product=product, pk=row.variant_id) if row.variant_id else None
        target = variant or product
        if row.price is not None and row.price != target.price:
            type(target).objects.filter(pk=target.pk).update(price=row.price)
            catalogue_changed(products=[product])
        if row.stock is not None:
            stock_set(product=product, variant=variant, stock=row.stock, actor=actor, reason=reason)
        changed += 1
    return changed
