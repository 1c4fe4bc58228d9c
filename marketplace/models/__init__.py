"""OPOP Mart tables: the catalogue (stores, products, photos) and the shopper side (cart, orders, payments, reviews)."""

from marketplace.models.balance import BalanceEntry, Payout, ReconciliationFinding, ReconciliationRun
from marketplace.models.catalogue import (
    PILLAR_BY_KIND,
    Category,
    ListingStatus,
    Pillar,
    Product,
    ProductPhoto,
    ProductVariant,
    ShippingRate,
    Store,
)
from marketplace.models.curation import CurationRule, ProductRevision, RevisionPhoto
from marketplace.models.opening import StoreApplication
from marketplace.models.orders import (
    Address,
    CartItem,
    CheckoutPayment,
    Order,
    OrderEvent,
    OrderItem,
    Payment,
    Review,
    StoreOrderCount,
)
from marketplace.models.sandbox import SandboxCollection
from marketplace.models.seller import StockMovement, StoreInvitation, WholesaleTier
from marketplace.models.shipping import Shipment, ShipmentEvent, ShipmentStatus

__all__ = [
    "PILLAR_BY_KIND",
    "Address",
    "BalanceEntry",
    "CartItem",
    "Category",
    "CheckoutPayment",
    "CurationRule",
    "ListingStatus",
    "Order",
    "OrderEvent",
    "OrderItem",
    "Payment",
    "Payout",
    "Pillar",
    "Product",
    "ProductPhoto",
    "ProductRevision",
    "ProductVariant",
    "ReconciliationFinding",
    "ReconciliationRun",
    "Review",
    "RevisionPhoto",
    "SandboxCollection",
    "Shipment",
    "ShipmentEvent",
    "ShipmentStatus",
    "ShippingRate",
    "StockMovement",
    "Store",
    "StoreApplication",
    "StoreInvitation",
    "StoreOrderCount",
    "WholesaleTier",
]
