"""Checkout and the buyer's orders. Every order is fetched through buyer=request.user, so a foreign number is 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from marketplace.checkout import services as checkout_services
from marketplace.checkout.planning import checkout_plan, gateway_total
from marketplace.models import Address, Order, OrderItem
from marketplace.orders import selectors, services, states
from marketplace.orders.forms import AddressForm, CheckoutForm, ComplaintForm, ProofForm, ReviewForm
from marketplace.orders.reviews import review_create
from marketplace.payments import provider_for
from marketplace.payments.bank_transfer import transfer_proof_upload
from marketplace.payments.services import checkout_payment_cancel
from opop.redirects import redirect_next
from opop.services import DomainError


def _first_error(error: ValidationError) -> str:
    return " ".join(error.messages)


@login_required
def address_create(request):
    form = AddressForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        address = form.save(commit=False)
        address.user = request.user
        if not request.user.addresses.exists():
            address.is_default = True
        address.save()
        messages.success(request, _("Address saved."))
        return redirect_next(request, request.GET.get("next"), "marketplace:checkout")
    return render(request, "marketplace/address_form.html", {"form": form})


@login_required
def address_update(request, pk):
    address = get_object_or_404(Address.objects.filter(user=request.user), pk=pk)
    form = AddressForm(request.POST or None, instance=address)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Address saved."))
        return redirect_next(request, request.GET.get("next"), "marketplace:address_list")
    return render(request, "marketplace/address_form.html", {"form": form, "address": address})


def _placed(request, orders):
    if any(order.payment_method == Order.PaymentMethod.GATEWAY for order in orders):
        message = _("Thank you! %(n)d order(s) placed; one payment by virtual account / QRIS pays them below.")
    else:
        message = _("Thank you! %(n)d order(s) placed; pay each one below.")
    messages.success(request, message % {"n": len(orders)})
    return redirect("marketplace:order_list")


@login_required
def checkout(request):
    placing = request.method == "POST" and "place" in request.POST
    if placing:
        # The same form submitted again (double click, retry after a timeout) answers as the first time did.
        placed = checkout_services.orders_placed_with_key(buyer=request.user, key=request.POST.get("checkout_key", ""))
        if placed:
            return _placed(request, placed)
    start = checkout_services.checkout_start(buyer=request.user, session=request.session)
    if not start.cart:
        messages.info(request, _("Your cart is empty."))
        return redirect("marketplace:cart")
    if not start.addresses:
        messages.info(request, _("Add the address to ship to first."))
        return redirect("marketplace:address_create")
    data = request.POST if request.method == "POST" else (request.GET if "address" in request.GET else None)
    form = CheckoutForm(
        data,
        stores=start.stores,
        addresses=start.addresses,
        organisations=start.organisations,
        initial={"address": start.addresses[0].pk},
    )
    address, choices, method, plans = start.addresses[0], {}, Order.PaymentMethod.BANK_TRANSFER, None
    if form.is_bound and form.is_valid():
        address, choices, method = form.cleaned_data["address"], form.choices(), form.cleaned_data["payment"]
    try:
        if placing and form.is_valid() and form.shown_total() is not None:
            # Without the page's script the buyer has not seen the totals of what they just chose: the submit
            # recomputes and shows them first (the script keeps shown_total current, so one press places).
            plans = checkout_plan(cart=start.cart, address=address, choices=choices, payment_method=method)
            if sum(plan.total for plan in plans) != form.shown_total():
                messages.info(request, _("The totals changed with your choices; check them and place the order."))
                placing = False
        if placing and form.is_valid():
            orders = checkout_services.order_place(
                buyer=request.user,
                session=request.session,
                address=address,
                choices=choices,
                payment_method=method,
                on_behalf_of=form.cleaned_data.get("on_behalf_of"),
                idempotency_key=form.cleaned_data.get("checkout_key"),
                cart=start.cart,
            )
            return _placed(request, orders)
        plans = checkout_plan(cart=start.cart, address=address, choices=choices, payment_method=method)
    except DomainError as exc:  # e.g. a store went on holiday while its product sat in the cart
        messages.error(request, str(exc))
        if not form.is_bound:
            return redirect("marketplace:cart")
    return render(
        request,
        "marketplace/checkout.html",
        {
            "form": form,
            "rows": [(group, plan, *form.store_fields(group.store)) for group, plan in _rows(start.cart, plans)],
            "grand_total": sum(plan.total for plan in plans or []),
            "gateway_total": gateway_total(plans or []),
            "store_count": len(start.cart),
            "gateway_hours": int(checkout_services.gateway_payment_window().total_seconds() // 3600),
        },
    )


def _rows(cart, plans):
    """Each store of the cart with its plan (None when the plan was refused, so the form can be corrected)."""
    by_store = {plan.store.pk: plan for plan in plans or []}
    return [(group, by_store.get(group.store.pk)) for group in cart]


@login_required
def order_list(request):
    orders = selectors.buyer_orders(request.user)
    status = request.GET.get("status", "")
    if status in Order.Status.values:
        orders = orders.filter(status=status)
    page = Paginator(orders.prefetch_related("items", selectors.gateway_payments()), 20).get_page(
        request.GET.get("page")
    )
    for order in page.object_list:
        order.pay_url = _pay_url(order)
    return render(
        request,
        "marketplace/order_list.html",
        {"page_obj": page, "status": status, "statuses": Order.Status.choices},
    )


def _buyer_order(request, number) -> Order:
    return get_object_or_404(selectors.with_details(selectors.buyer_orders(request.user)), number=number)


def _pay_url(order: Order) -> str:
    """The one payment page of the order's gateway checkout while it waits for payment, else ""."""
    if order.status != Order.Status.AWAITING_PAYMENT:
        return ""
    for payment in order.payments.all():
        if payment.checkout_payment_id:
            return provider_for(order.payment_method).payment_url(payment.checkout_payment)
    return ""


@login_required
def order_detail(request, number):
    order = _buyer_order(request, number)
    payment = order.payments.all()[0] if order.payments.all() else None
    return render(
        request,
        "marketplace/order_detail.html",
        {
            "order": order,
            "payment": payment,
            "checkout_payment": payment.checkout_payment if payment else None,
            "pay_url": _pay_url(order),
            "instructions": provider_for(order.payment_method).instructions_template,
            "proof_form": ProofForm(),
            "complaint_form": ComplaintForm(),
            "review_form": ReviewForm(),
            "auto_complete_at": states.auto_complete_at(order),
            "complaint": selectors.latest_complaint(order) if order.status == Order.Status.REFUND_REQUESTED else None,
            "can_cancel": order.status == Order.Status.AWAITING_PAYMENT,
            "can_confirm": order.status in (Order.Status.SHIPPED, Order.Status.DELIVERED),
            "can_refund": order.status
            in (
                Order.Status.PAID,
                Order.Status.PROCESSING,
                Order.Status.READY_TO_SHIP,
                Order.Status.SHIPPED,
                Order.Status.DELIVERED,
            ),
            "can_review": order.status == Order.Status.COMPLETED,
        },
    )


@login_required
@require_POST
def order_action(request, number, action):
    order = _buyer_order(request, number)
    try:
        if action == "cancel":
            payment = order.payments.all()[0] if order.payments.all() else None
            if payment is not None and payment.checkout_payment_id:
                # One VA pays the whole checkout: its orders are cancelled together.
                checkout_payment_cancel(checkout_payment=payment.checkout_payment, buyer=request.user)
                messages.success(request, _("Every order of this checkout was cancelled."))
            else:
                services.order_cancel_by_buyer(order=order, buyer=request.user)
                messages.success(request, _("Order cancelled."))
        elif action == "confirm":
            services.order_confirm_receipt(order=order, buyer=request.user)
            messages.success(request, _("Thank you! The order is completed; you can review the products now."))
        elif action == "refund":
            form = ComplaintForm(request.POST)
            services.order_request_refund(
                order=order, buyer=request.user, reason=form.data.get("reason", "") if form.is_valid() else ""
            )
            messages.success(request, _("Complaint sent. The order does not complete until the seller answers it."))
        elif action == "proof":
            form = ProofForm(request.POST, request.FILES)
            if not form.is_valid():
                raise DomainError(" ".join(e for errors in form.errors.values() for e in errors))
            transfer_proof_upload(order=order, buyer=request.user, upload=form.cleaned_data["proof"])
            messages.success(request, _("Proof uploaded. The seller will confirm the transfer."))
        else:
            raise DomainError(_("Unknown action."))
    except DomainError as exc:
        messages.error(request, str(exc))
    except ValidationError as exc:
        messages.error(request, _first_error(exc))
    return redirect("marketplace:order_detail", number=order.number)


@login_required
@require_POST
def review_add(request, number, item_id):
    order = _buyer_order(request, number)
    item = get_object_or_404(OrderItem, pk=item_id, order=order)
    form = ReviewForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Give 1 to 5 stars."))
        return redirect("marketplace:order_detail", number=number)
    try:
        review_create(
            buyer=request.user,
            order_item=item,
            rating=form.cleaned_data["rating"],
            text=form.cleaned_data["text"],
            photo=form.cleaned_data.get("photo"),
        )
        messages.success(request, _("Thank you for your review."))
    except DomainError as exc:
        messages.error(request, str(exc))
    except ValidationError as exc:
        messages.error(request, _first_error(exc))
    return redirect("marketplace:order_detail", number=number)


@login_required
def address_list(request):
    return render(
        request,
        "marketplace/address_list.html",
        {"addresses": Address.objects.filter(user=request.user).select_related("kabupaten_kota")},
    )
