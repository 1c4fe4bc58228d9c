"""The stock ledger. Every change of a product's or variant's stock is a StockMovement, written together with
a conditional UPDATE of the stock column (the CHECK stock >= 0 backs it up), so the stock is always the sum of
its movements and two buyers never take the last unit twice. Nothing else writes the stock columns."""

from django.db import transaction
from django.db.models import F, QuerySet, Sum
from django.utils.translation import gettext as _

from marketplace.models import Order, Product, ProductVariant, StockMovement
from opop.models import User
from opop.services import DomainError

Kind = StockMovement.Kind


class NotEnoughStock(DomainError):
    def __init__(self, message: str, *, left: int):
        super().__init__(message)
        self.left = left


def _label(product: Product, variant: ProductVariant | None) -> str:
    return f"{product.name} ({variant.name})" if variant is not None else product.name


@transaction.atomic
def stock_move(
    *,
    product: Product,
    variant: ProductVariant | None = None,
    quantity: int,
    kind: str,
    actor: User | None = None,
    reason: str = "",
    order: Order | None = None,
) -> StockMovement:
    """Add (`quantity` > 0) or take (`quantity` < 0) stock and record why. Raises NotEnoughStock when taking
    more than is on the shelf, DomainError for a movement that makes no sense."""
    movement = stock_change(
        product=product, variant=variant, quantity=quantity, kind=kind, actor=actor, reason=reason, order=order
    )
    movement.save()
    return movement


def stock_change(
    *,
    product: Product,
    variant: ProductVariant | None = None,
    quantity: int,
    kind: str,
    actor: User | None = None,
    reason: str = "",
    order: Order | None = None,
    count_sold: bool = False,
    variants_checked: bool = False,
) -> StockMovement:
    """stock_move's conditional UPDATE, returning its movement *unsaved*: for order placement, which takes
    several lines in one transaction and writes their movements with one INSERT. The caller must be inside a
    transaction and save the movement in it (the stock is the sum of its movements).

    `count_sold`: a sale also adds to the product's sold count, in the same UPDATE. `variants_checked`: the
    caller has already made sure a line without a variant is of a product without variants."""
    if kind not in Kind.values:
        raise DomainError(_("Unknown kind of stock movement."))
    if not quantity:
        raise DomainError(_("A stock movement needs a quantity other than zero."))
    if variant is not None and variant.product_id != product.pk:
        raise DomainError(_("This variant belongs to another product."))
    if variant is None and not variants_checked and product.variants.exists():
        raise DomainError(_("Choose the variant whose stock changes."))
    if kind == Kind.CORRECTION and not (reason or "").strip():
        raise DomainError(_("Say why the stock is corrected."))
    model, pk = (ProductVariant, variant.pk) if variant is not None else (Product, product.pk)
    rows = model.objects.filter(pk=pk)
    if quantity < 0:
        rows = rows.filter(stock__gte=-quantity)
    sold = {"sold_count": F("sold_count") - quantity} if count_sold and kind == Kind.SALE else {}
    if not rows.update(stock=F("stock") + quantity, **({} if variant is not None else sold)):
        left = model.objects.filter(pk=pk).values_list("stock", flat=True).first() or 0
        raise NotEnoughStock(
            _("Only %(left)d of %(name)s in stock; cannot take %(qty)d.")
            % {"left": left, "name": _label(product, variant), "qty": -quantity},
            left=left,
        )
    # No cache version moves: the product page reads the stock live, lists may show it LIST_FRESH_SECONDS old.
    if variant is not None:
        # The product's stock is the sum of its variants'; keep it in step so listings need no extra query.
        Product.objects.filter(pk=product.pk).update(stock=F("stock") + quantity, **sold)
    return StockMovement(
        product=product,
        variant=variant,
        kind=kind,
        quantity=quantity,
        reason=(reason or "").strip()[:250],
        actor=actor if actor is not None and actor.is_authenticated else None,
        order=order,
    )


def stock_restock(
    *, product: Product, variant: ProductVariant | None = None, quantity: int, actor, reason=""
) -> StockMovement:
    if quantity <= 0:
        raise DomainError(_("Restock a positive quantity."))
    return stock_move(
        product=product, variant=variant, quantity=quantity, kind=Kind.RESTOCK, actor=actor, reason=reason
    )


def stock_set(*, product: Product, variant: ProductVariant | None = None, stock: int, actor, reason: str):
    """Correct the stock to a counted figure, as one correction movement (none when it already matches)."""
    if stock < 0:
        raise DomainError(_("Stock cannot be negative."))
    current = (variant or product).__class__.objects.values_list("stock", flat=True).get(pk=(variant or product).pk)
    if stock == current:
        return None
    return stock_move(
        product=product, variant=variant, quantity=stock - current, kind=Kind.CORRECTION, actor=actor, reason=reason
    )


def ledger_sum(*, product: Product, variant: ProductVariant | None = None) -> int:
    movements = StockMovement.objects.filter(product=product)
    if variant is not None:
        movements = movements.filter(variant=variant)
    return movements.aggregate(total=Sum("quantity"))["total"] or 0


def low_stock(products: QuerySet) -> QuerySet:
    """Products at or below their low-stock threshold, emptiest first: the restock list."""
    return products.filter(stock__lte=F("low_stock_threshold")).order_by("stock", "name")
