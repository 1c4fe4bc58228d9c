"""The order queue (tabs by state with counts, filters), order detail with its actions, packing slip, invoice."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count
from django.shortcuts import redirect, render
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from marketplace.models import Order
from marketplace.orders import selectors, services, states
from marketplace.orders.counters import store_order_counts
from marketplace.orders.forms import ReasonForm, ShipForm
from marketplace.payments.services import seller_confirm_payment
from marketplace.seller import access
from marketplace.seller.access import seller_view
from marketplace.seller.forms import OrderFilter
from marketplace.seller.services import transfer_proof_reject
from marketplace.shipping import courier
from marketplace.shipping.label import LABEL_SIZES, code128_data_uri
from marketplace.shipping.rates import SERVICES
from marketplace.shipping.sandbox import SandboxCourier, sandbox_advance
from marketplace.shipping.services import shipment_book
from opop.services import DomainError
from opop.web import rendered_rows

S = Order.Status
# A label shows the resi, so it prints once the shipment is booked (or the seller typed a resi).
LABELLED = (S.READY_TO_SHIP, S.SHIPPED, S.DELIVERED)
# The queue's tabs: (key, label, statuses).
TABS = [
    ("new", gettext_lazy("To pay"), (S.AWAITING_PAYMENT,)),
    ("paid", gettext_lazy("To process"), (S.PAID,)),
    ("processing", gettext_lazy("Processing"), (S.PROCESSING,)),
    ("ready", gettext_lazy("Ready to ship"), (S.READY_TO_SHIP,)),
    ("shipped", gettext_lazy("Shipped"), (S.SHIPPED, S.DELIVERED)),
    ("completed", gettext_lazy("Completed"), (S.COMPLETED,)),
    ("refund", gettext_lazy("Complaints"), (S.REFUND_REQUESTED, S.REFUNDED)),
    ("cancelled", gettext_lazy("Cancelled"), (S.CANCELLED,)),
]


@seller_view
def order_queue(request, store):
    params = request.GET.copy()
    tab = params.pop("tab", ["all"])[-1]
    status = params.pop("status", [""])[-1]
    params.pop("page", None)
    order_filter = OrderFilter(params, queryset=access.store_orders(store))
    orders = order_filter.qs
    # Unfiltered (the queue as a seller opens it), the counts come from the store's counters, so the queue costs
    # the same for 65,000 orders as for 65; a date, payment or number filter counts its (narrower) result.
    filtering = any(value for name, value in params.items() if name in order_filter.filters)
    if filtering:
        counts = dict(orders.order_by().values_list("status").annotate(n=Count("id")))
    else:
        counts = {status: max(0, n) for status, n in store_order_counts(store).items()}
    tabs = [
        {"key": key, "label": label, "count": sum(counts.get(s, 0) for s in statuses), "statuses": statuses}
        for key, label, statuses in TABS
    ]
    current = next((t for t in tabs if t["key"] == tab), None)
    shown = sum(counts.values())
    if current is not None:
        orders = orders.filter(status__in=current["statuses"])
        shown = current["count"]
    elif status in S.values:
        orders = orders.filter(status=status)
        shown = counts.get(status, 0)
    paginator = Paginator(orders, 30)
    paginator.count = shown  # known from the counts above: no second COUNT(*) of the same orders
    page = paginator.get_page(request.GET.get("page"))
    page.object_list = selectors.seller_queue_rows(page.object_list)
    return render(
        request,
        "marketplace/seller/order_queue.html",
        {
            "store": store,
            "page_obj": page,
            "rows": rendered_rows("marketplace/seller/_queue_row.html", page.object_list),
            "tabs": tabs,
            "tab": tab,
            "total": sum(counts.values()),
            "filter": order_filter,
            "filters": urlencode({k: v for k, v in params.items() if v}),
        },
    )


def _order(store, number):
    return access.order_or_404(store, number, selectors.with_details(Order.objects.all()))


@seller_view
def order_detail(request, store, number):
    order = _order(store, number)
    payments = list(order.payments.all())
    return render(
        request,
        "marketplace/seller/order_detail.html",
        {
            "store": store,
            "order": order,
            "payment": payments[0] if payments else None,
            "moves": states.next_moves(order.status, states.SELLER),
            "auto_complete_at": states.auto_complete_at(order),
            "complaint": selectors.latest_complaint(order) if order.status == S.REFUND_REQUESTED else None,
            "ship_form": ShipForm(initial={"courier": order.courier, "tracking_number": order.tracking_number}),
            "reason_form": ReasonForm(),
            "shipment": getattr(order, "shipment", None),
            "can_book": order.status == S.PROCESSING and order.shipping_service in SERVICES,
            "sandbox_courier": isinstance(courier(), SandboxCourier),
        },
    )


@seller_view
def order_print(request, store, number, document):
    order = _order(store, number)
    # Where the store ships from, read here: the seller pages read their store alone (current_store).
    region = access.store_region(store)
    region = region.label if region else ""
    if document in LABEL_SIZES:
        if order.delivery != Order.Delivery.SHIPPING or order.status not in LABELLED:
            messages.error(request, _("A label is printed once the shipment is booked or the resi is known."))
            return redirect("marketplace:seller_order_detail", number=order.number)
        return render(
            request,
            "marketplace/seller/print_label.html",
            {
                "store": store,
                "region": region,
                "order": order,
                "size": LABEL_SIZES[document],
                "shipment": getattr(order, "shipment", None),
                "barcode": code128_data_uri(order.tracking_number) if order.tracking_number else "",
                "sender_phone": request.user.phone,  # who prints the label answers the courier's call
            },
        )
    if document not in ("packing-slip", "invoice"):
        return redirect("marketplace:seller_order_detail", number=order.number)
    return render(
        request,
        f"marketplace/seller/print_{document.replace('-', '_')}.html",
        {"store": store, "order": order, "region": region},
    )


@seller_view
@require_POST
def order_action(request, store, number, action):
    order = _order(store, number)
    reason = ReasonForm(request.POST)
    reason_text = reason.cleaned_data["reason"] if reason.is_valid() else ""
    try:
        if action == "confirm_payment":
            seller_confirm_payment(order=order, actor=request.user)
        elif action == "reject_proof":
            transfer_proof_reject(order=order, actor=request.user, reason=reason_text)
        elif action == "process":
            services.order_start_processing(order=order, actor=request.user)
        elif action == "ship":
            services.order_ship(
                order=order,
                actor=request.user,
                courier=request.POST.get("courier", ""),
                tracking_number=request.POST.get("tracking_number", ""),
            )
        elif action == "book":
            shipment_book(order=order, actor=request.user)
        elif action == "advance" and isinstance(courier(), SandboxCourier) and hasattr(order, "shipment"):
            sandbox_advance(shipment=order.shipment)  # the sandbox control: the parcel's next step, by webhook
        elif action == "deliver":
            services.order_mark_delivered(order=order, actor=request.user)
        elif action == "cancel":
            services.order_cancel_by_seller(order=order, actor=request.user, reason=reason_text)
        elif action == "refund":
            services.order_refund(order=order, actor=request.user)
        elif action == "reject_complaint":
            services.order_complaint_reject(order=order, actor=request.user, reason=reason_text)
        else:
            raise DomainError(_("Unknown action."))
        messages.success(request, _("Order updated."))
    except DomainError as exc:
        messages.error(request, str(exc))
    return redirect("marketplace:seller_order_detail", number=order.number)
