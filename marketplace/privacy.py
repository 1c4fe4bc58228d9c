"""OPOP Mart's part of the data subject's rights (opop.privacy): what it exports and erases for one account.

Named in `settings.PRIVACY_PROVIDERS`; the kernel calls `PROVIDER.export(user)` and `PROVIDER.erase(user)`.
"""

from marketplace.catalogue.fragments import catalogue_changed
from marketplace.models import Address, CartItem, Order, Review, StoreInvitation


def _iso(value):
    return value.isoformat() if value else None


class MarketplacePersonalData:
    name = "marketplace"

    def export(self, user) -> dict:
        addresses = Address.objects.filter(user=user).select_related("kabupaten_kota").order_by("pk")
        orders = (
            Order.objects.filter(buyer=user)
            .select_related("store")
            .prefetch_related("items")
            .order_by("created_at", "pk")
        )
        reviews = Review.objects.filter(buyer=user).select_related("product").order_by("created_at", "pk")
        return {
            "addresses": [
                {
                    "label": a.label,
                    "recipient_name": a.recipient_name,
                    "phone": a.phone,
                    "street": a.street,
                    "desa": a.desa,
                    "kecamatan": a.kecamatan,
                    "kabupaten_kota": a.kabupaten_kota.label if a.kabupaten_kota_id else a.other_city,
                    "province": a.provinsi,
                    "postal_code": a.postal_code,
                    "main": a.is_default,
                }
                for a in addresses
            ],
            "orders": [
                {
                    "number": o.number,
                    "store": o.store.name,
                    "status": o.status,
                    "placed_at": _iso(o.created_at),
                    "paid_at": _iso(o.paid_at),
                    "completed_at": _iso(o.completed_at),
                    "payment_method": o.payment_method,
                    "delivery": o.delivery,
                    "recipient_name": o.recipient_name,
                    "recipient_phone": o.recipient_phone,
                    "shipping_address": o.shipping_address,
                    "subtotal": o.subtotal,
                    "shipping_cost": o.shipping_cost,
                    "total": o.total,
                    "lines": [
                        {
                            "product": item.product_name,
                            "variant": item.variant_name,
                            "unit_price": item.unit_price,
                            "quantity": item.quantity,
                            "line_total": item.line_total,
                        }
                        for item in o.items.all()
                    ],
                }
                for o in orders
            ],
            "reviews": [
                {
                    "product": r.product.name,
                    "stars": r.rating,
                    "text": r.text,
                    "has_photo": bool(r.photo),
                    "written_at": _iso(r.created_at),
                }
                for r in reviews
            ],
        }

    def person_changed(self, user) -> None:
        """Product pages are cached with their reviews' names (catalogue/fragments.py)."""
        reviewed = list(Review.objects.filter(buyer=user).values_list("product_id", flat=True).distinct())
        if reviewed:
            catalogue_changed(products=reviewed)

    def erase(self, user) -> dict:
        """Addresses and the cart go; review photos are deleted (a face or a house can be in them), the
        review text and stars stay under "Deleted user"; invitations sent to the address are rewritten.
        Orders stay as they are (bookkeeping retention, see opop.privacy.user_erase)."""
        counts = {}
        counts["addresses"], _rows = Address.objects.filter(user=user).delete()
        counts["cart_items"], _rows = CartItem.objects.filter(user=user).delete()
        photos = 0
        for review in Review.objects.filter(buyer=user).exclude(photo=""):
            review.photo.delete(save=False)
            review.photo = ""
            review.save(update_fields=["photo"])
            photos += 1
        counts["review_photos"] = photos
        counts["invitations"] = StoreInvitation.objects.filter(email__iexact=user.email).update(
            email=f"deleted-{user.pk}@invalid"
        )
        return counts


PROVIDER = MarketplacePersonalData()
