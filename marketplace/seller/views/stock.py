"""The dashboard and the stock page: restock, correct, the restock list and the movement history."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Sum, prefetch_related_objects
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from marketplace.catalogue.stock import low_stock, stock_restock, stock_set
from marketplace.halal.claims import seller_halal_attention
from marketplace.models import Order, Payment, StockMovement
from marketplace.orders import omzet
from marketplace.orders.counters import store_order_counts
from marketplace.seller import access
from marketplace.seller.access import seller_view
from marketplace.seller.forms import StockForm
from opop.redirects import redirect_next
from opop.services import DomainError

S = Order.Status
TO_DO = (S.PAID, S.PROCESSING, S.READY_TO_SHIP, S.REFUND_REQUESTED)


@seller_view
def dashboard(request, store):
    if store is None:
        return render(request, "marketplace/seller/no_store.html", status=404)
    orders = access.store_orders(store)
    # This month's sales by the one definition (marketplace.orders.omzet): goods value, shipping apart. Read
    # through the month's own rows (index order_store_paid_at), not every order the store ever had.
    month = omzet.sold_in_month(orders, timezone.localdate())
    figures = month.aggregate(
        month_orders=Count("id"), month_omzet=Sum(omzet.OMZET), month_shipping=Sum(omzet.SHIPPING)
    )
    # The orders waiting on the seller, from the store's per-status counters (kept with every order change).
    counts = store_order_counts(store)
    figures["to_do"] = sum(max(0, counts.get(status, 0)) for status in TO_DO)
    figures["proofs"] = (
        orders.filter(status=S.AWAITING_PAYMENT, payments__status=Payment.Status.PROOF_UPLOADED).distinct().count()
    )
    return render(
        request,
        "marketplace/seller/dashboard.html",
        {
            "store": store,
            "figures": figures,
            "low": low_stock(access.store_products(store))[:8],
            "halal": seller_halal_attention(access.store_products(store)),
            "stores": access.seller_stores(request.user),
        },
    )


STOCK_PAGE_SIZE = 50


@seller_view
def stock_overview(request, store):
    """The store's products 50 a page (each row its own restock/correct form), and the last 50 movements."""
    products = access.store_products(store).order_by("name", "id")
    only_low = request.GET.get("low") == "1"
    if only_low:
        products = low_stock(products).order_by("stock", "name", "id")
    page = Paginator(products, STOCK_PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = list(page.object_list)
    prefetch_related_objects(page.object_list, "variants")
    movements = (
        StockMovement.objects.filter(product__store=store)
        .select_related("product", "variant", "actor", "order")
        .order_by("-created_at", "-id")[:50]
    )
    return render(
        request,
        "marketplace/seller/stock.html",
        {
            "store": store,
            "page": page,
            "products": page.object_list,
            "movements": movements,
            "form": StockForm(),
            "only_low": only_low,
        },
    )


@seller_view
@require_POST
def stock_change(request, store, pk):
    product = access.product_or_404(store, pk)
    variant_id = request.POST.get("variant")
    variant = access.variant_or_404(store, product, variant_id) if variant_id else None
    form = StockForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give a quantity of 0 or more."))
        return redirect_next(request, request.POST.get("next"), "marketplace:seller_stock")
    data = form.cleaned_data
    try:
        if data["action"] == "restock":
            stock_restock(
                product=product, variant=variant, quantity=data["quantity"], actor=request.user, reason=data["reason"]
            )
        else:
            stock_set(
                product=product, variant=variant, stock=data["quantity"], actor=request.user, reason=data["reason"]
            )
    except DomainError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Stock of %(name)s updated.") % {"name": variant or product})
    return redirect_next(request, request.POST.get("next"), "marketplace:seller_stock")
