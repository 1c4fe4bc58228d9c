"""The cart: in the session for anonymous visitors, in CartItem rows for shoppers; merged on login."""

from dataclasses import dataclass, field
from itertools import groupby

from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext as _

from marketplace.models import CartItem, Product, ProductVariant, Store
from opop.services import DomainError

SESSION_KEY = "mart_cart"
COUNT_SESSION_KEY = "mart_cart_count"  # a signed-in shopper's line count, for the header (_count_remember)


def line_key(product_id: int, variant_id: int | None) -> str:
    return f"{product_id}:{variant_id or 0}"


def quantity_check(*, product: Product, variant: ProductVariant | None, quantity: int) -> None:
    """Raise DomainError if `quantity` of this product cannot be ordered now."""
    if not product.is_active or not product.is_listed or not product.store.is_active:
        raise DomainError(_("%(name)s is no longer on sale.") % {"name": product.name})
    if product.store.is_on_holiday:
        raise DomainError(
            _("%(store)s is on holiday and takes no orders now. %(message)s")
            % {"store": product.store, "message": product.store.holiday_message}
        )
    if variant is None and product.variants.exists():
        raise DomainError(_("Choose a variant of %(name)s.") % {"name": product.name})
    if variant is not None and variant.product_id != product.pk:
        raise DomainError(_("Choose a variant of %(name)s.") % {"name": product.name})
    stock = variant.stock if variant is not None else product.stock
    label = f"{product.name} ({variant.name})" if variant is not None else product.name
    if stock <= 0:
        raise DomainError(_("%(name)s is out of stock.") % {"name": label})
    if quantity < product.min_order:
        raise DomainError(_("The minimum order for %(name)s is %(min)d.") % {"name": label, "min": product.min_order})
    if quantity > stock:
        raise DomainError(
            _("Only %(stock)d of %(name)s left; you asked for %(qty)d.")
            % {"stock": stock, "name": label, "qty": quantity}
        )


def _session_cart(session) -> dict[str, int]:
    return dict(session.get(SESSION_KEY, {}))


def _current_quantity(*, user, session, product, variant) -> int:
    if user is not None and user.is_authenticated:
        item = CartItem.objects.filter(user=user, product=product, variant=variant).first()
        return item.quantity if item else 0
    return _session_cart(session).get(line_key(product.pk, variant.pk if variant else None), 0)


@transaction.atomic
def cart_set(*, user, session, product: Product, variant: ProductVariant | None, quantity: int) -> None:
    """Set the quantity of one line (0 removes it). Raises DomainError when stock or minimum order forbid it."""
    if quantity > 0:
        quantity_check(product=product, variant=variant, quantity=quantity)
    if user is not None and user.is_authenticated:
        if quantity <= 0:
            CartItem.objects.filter(user=user, product=product, variant=variant).delete()
        else:
            CartItem.objects.update_or_create(
                user=user, product=product, variant=variant, defaults={"quantity": quantity}
            )
        _count_remember(user=user, session=session)
        return
    cart = _session_cart(session)
    key = line_key(product.pk, variant.pk if variant else None)
    if quantity <= 0:
        cart.pop(key, None)
    else:
        cart[key] = quantity
    session[SESSION_KEY] = cart


def cart_add(*, user, session, product: Product, variant: ProductVariant | None, quantity: int) -> int:
    """Add `quantity` to the line; returns the new quantity."""
    current = _current_quantity(user=user, session=session, product=product, variant=variant)
    new = current + quantity
    if current == 0:
        new = max(new, product.min_order)
    cart_set(user=user, session=session, product=product, variant=variant, quantity=new)
    return new


@transaction.atomic
def cart_merge(*, user, session) -> list[str]:
    """Move the session cart into `user`'s cart, adding quantities; lines that no longer fit the stock are
    capped. Returns the problems found, for a message. Clears the session cart."""
    problems = []
    lines = _session_cart(session)
    if not lines:
        _count_remember(user=user, session=session)
        return problems
    products = Product.objects.select_related("store").in_bulk([int(key.split(":")[0]) for key in lines])
    variants = ProductVariant.objects.in_bulk([int(key.split(":")[1]) for key in lines if not key.endswith(":0")])
    for key, quantity in lines.items():
        product_id, variant_id = (int(part) for part in key.split(":"))
        product, variant = products.get(product_id), variants.get(variant_id)
        if product is None or (variant_id and variant is None):
            continue
        existing = _current_quantity(user=user, session=None, product=product, variant=variant)
        wanted = existing + quantity
        stock = variant.stock if variant else product.stock
        try:
            cart_set(user=user, session=None, product=product, variant=variant, quantity=min(wanted, stock))
        except DomainError as error:
            problems.append(str(error))
            continue
        if wanted > stock:
            problems.append(
                _("Only %(stock)d of %(name)s left; your cart now holds that many.")
                % {"stock": stock, "name": product.name}
            )
    session.pop(SESSION_KEY, None)
    _count_remember(user=user, session=session)
    return problems


def cart_clear(*, user, session) -> None:
    if user is not None and user.is_authenticated:
        CartItem.objects.filter(user=user).delete()
        _count_remember(user=user, session=session)
    else:
        session.pop(SESSION_KEY, None)


def cart_remove(*, user, session, lines: list["CartLine"]) -> None:
    """Take these lines out of the cart (what a checkout just ordered); lines added meanwhile stay."""
    if not lines:
        return
    if user is not None and user.is_authenticated:
        placed = Q()
        for line in lines:
            placed |= Q(product_id=line.product.pk, variant_id=line.variant.pk if line.variant else None)
        _total, by_model = CartItem.objects.filter(user=user).filter(placed).delete()
        if session is not None and COUNT_SESSION_KEY in session:  # the header's count follows without a COUNT
            removed = by_model.get(CartItem._meta.label, 0)
            session[COUNT_SESSION_KEY] = max(session[COUNT_SESSION_KEY] - removed, 0)
        else:
            _count_remember(user=user, session=session)
        return
    cart = _session_cart(session)
    for line in lines:
        cart.pop(line.key, None)
    session[SESSION_KEY] = cart


def cart_unchanged(*, user, lines: list["CartLine"]) -> bool:
    """Whether `user`'s cart still holds these lines in these quantities (one small query): a checkout that
    read the cart before taking the buyer's lock checks it again after."""
    held = {
        (product_id, variant_id): quantity
        for product_id, variant_id, quantity in CartItem.objects.filter(user=user).values_list(
            "product_id", "variant_id", "quantity"
        )
    }
    return all(
        held.get((line.product.pk, line.variant.pk if line.variant else None)) == line.quantity for line in lines
    )


@dataclass
class CartLine:
    key: str
    product: Product
    variant: ProductVariant | None
    quantity: int

    @property
    def unit_price(self) -> int:
        """The variant's or product's price, or the wholesale price for this quantity when lower."""
        price = self.variant.price if self.variant else self.product.price
        for tier in self.product.wholesale_tiers.all():
            if self.quantity >= tier.min_quantity:
                price = min(price, tier.unit_price)
        return price

    @property
    def line_total(self) -> int:
        return self.unit_price * self.quantity

    @property
    def weight_grams(self) -> int:
        return self.product.weight_grams * self.quantity

    @property
    def stock(self) -> int:
        return self.variant.stock if self.variant else self.product.stock


@dataclass
class StoreCart:
    store: Store
    lines: list[CartLine] = field(default_factory=list)

    @property
    def subtotal(self) -> int:
        return sum(line.line_total for line in self.lines)


def cart_lines(*, user, session, photos: bool = True) -> list[CartLine]:
    """The cart's lines with product, store, variant and photos loaded, in a fixed number of queries; with
    `photos` false, the checkout's lines: product, store, organisation and variant only (checkout_rows). Each
    product carries `has_variants`."""
    from marketplace.catalogue.selectors import checkout_rows, product_cards

    if user is not None and user.is_authenticated:
        raw = list(CartItem.objects.filter(user=user).values_list("product_id", "variant_id", "quantity"))
    else:
        raw = [(*map(int, key.split(":")), qty) for key, qty in _session_cart(session).items()]
    products = (
        (product_cards() if photos else checkout_rows())
        .annotate(has_variants=Exists(ProductVariant.objects.filter(product=OuterRef("pk"))))
        .prefetch_related("wholesale_tiers")
        .in_bulk([product_id for product_id, _v, _q in raw])
    )
    variants = ProductVariant.objects.in_bulk([variant_id for _p, variant_id, _q in raw if variant_id])
    lines = []
    for product_id, variant_id, quantity in raw:
        product = products.get(product_id)
        if product is None:
            continue
        lines.append(
            CartLine(
                line_key(product_id, variant_id), product, variants.get(variant_id) if variant_id else None, quantity
            )
        )
    return lines


def _count_remember(*, user, session) -> None:
    """Keep the signed-in shopper's line count in their session, written by every change to their cart (and at
    login), so that the header's badge costs no query on any page. Another device's change shows once this
    device changes its cart or signs in again; the cart page itself always reads the database."""
    if session is not None:
        session[COUNT_SESSION_KEY] = CartItem.objects.filter(user=user).count()


def cart_count(*, user, session) -> int:
    """Lines in the cart, for the header: none for a visitor (whose cart is the session), and for a signed-in
    shopper the count their login and their cart's changes left in the session (one COUNT, without writing the
    session, for a session from before that)."""
    if user is not None and user.is_authenticated:
        if session is None or COUNT_SESSION_KEY not in session:
            return CartItem.objects.filter(user=user).count()
        return session[COUNT_SESSION_KEY]
    return len(_session_cart(session))


def cart_count_on_login(*, user, session) -> None:
    """At every sign-in (Django's, which allauth's login goes through): the header's count starts right."""
    _count_remember(user=user, session=session)


def cart_by_store(lines: list[CartLine]) -> list[StoreCart]:
    ordered = sorted(lines, key=lambda line: (line.product.store.name, line.product.store_id))
    return [
        StoreCart(store=group[0].product.store, lines=group)
        for group in (list(g) for _k, g in groupby(ordered, key=lambda line: line.product.store_id))
    ]
