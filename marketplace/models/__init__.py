"""OPOP Mart tables: the catalogue (stores, products, photos) and the shopper side (cart, orders, payments, reviews)."""

from marketplace.models.balance import BalanceEntry, Payout, ReconciliationFinding, ReconciliationRun
from marketplace.models.catalogue import (
    PILLAR_BY_KIND,
    Category,
    Pillar,
    Product,
    ProductPhoto,
    ProductVariant,
    ShippingRate,
    Store,
)
from marketplace.models.orders import (
    Address,
    CartItem,
    Order,
    OrderEvent,
    OrderItem,
    Payment,
    Review,
)
from marketplace.models.seller import StockMovement, StoreInvitation, WholesaleTier

__all__ = [
    "PILLAR_BY_KIND",
    "Address",
    "BalanceEntry",
    "CartItem",
    "Category",
    "Order",
    "OrderEvent",
    "OrderItem",
    "Payment",
    "Payout",
    "Pillar",
    "Product",
    "ProductPhoto",
    "ProductVariant",
    "ReconciliationFinding",
    "ReconciliationRun",
    "Review",
    "ShippingRate",
    "StockMovement",
    "Store",
    "StoreInvitation",
    "WholesaleTier",
]
