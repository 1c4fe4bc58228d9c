"""The minimal seller side the shopper journey needs: the store's orders and their next moves.
Scoped through opop.permissions to the owners and staff of the store's organisation (foreign order → 404)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from marketplace.models import Order
from marketplace.orders import selectors, services, states
from marketplace.orders.forms import ReasonForm, ShipForm
from marketplace.payments.base import seller_confirm_payment
from opop.permissions import get_for_user_or_404
from opop.services import DomainError


def _seller_order(request, number) -> Order:
    return get_for_user_or_404(
        selectors.with_details(Order.objects.all()),
        request.user,
        scope={"organisation_field": "store__organisation", "roles": selectors.SELLER_ROLES},
        number=number,
    )


@login_required
def seller_order_list(request):
    orders = selectors.seller_orders(request.user)
    status = request.GET.get("status", "")
    if status in Order.Status.values:
        orders = orders.filter(status=status)
    page = Paginator(orders.prefetch_related("items"), 30).get_page(request.GET.get("page"))
    return render(
        request,
        "marketplace/seller_order_list.html",
        {"page_obj": page, "status": status, "statuses": Order.Status.choices, "querystring": f"status={status}"},
    )


@login_required
def seller_order_detail(request, number):
    order = _seller_order(request, number)
    return render(
        request,
        "marketplace/seller_order_detail.html",
        {
            "order": order,
            "payment": order.payments.all()[0] if order.payments.all() else None,
            "moves": states.next_moves(order.status, states.SELLER),
            "ship_form": ShipForm(),
            "reason_form": ReasonForm(),
        },
    )


@login_required
@require_POST
def seller_order_action(request, number, action):
    order = _seller_order(request, number)
    try:
        if action == "confirm_payment":
            seller_confirm_payment(order=order, actor=request.user)
        elif action == "process":
            services.order_start_processing(order=order, actor=request.user)
        elif action == "ship":
            services.order_ship(
                order=order,
                actor=request.user,
                courier=request.POST.get("courier", ""),
                tracking_number=request.POST.get("tracking_number", ""),
            )
        elif action == "deliver":
            services.order_mark_delivered(order=order, actor=request.user)
        elif action == "cancel":
            form = ReasonForm(request.POST)
            services.order_cancel_by_seller(
                order=order, actor=request.user, reason=form.cleaned_data["reason"] if form.is_valid() else ""
            )
        elif action == "refund":
            services.order_refund(order=order, actor=request.user)
        else:
            raise DomainError(_("Unknown action."))
        messages.success(request, _("Order updated."))
    except DomainError as exc:
        messages.error(request, str(exc))
    return redirect("marketplace:seller_order_detail", number=order.number)
