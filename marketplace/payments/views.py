"""The gateway's payment page (the sandbox's stand-in for a hosted page) and our webhook endpoint."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from marketplace.models import CheckoutPayment, Order
from marketplace.payments.sandbox import (
    SIGNATURE_HEADER,
    SandboxGateway,
    gateway_webhook_handle,
    sandbox_receive,
)
from opop.services import DomainError
from opop.webhooks import webhook_answer


def _buyer_payment(request, transaction_id) -> CheckoutPayment:
    """The buyer's own checkout payment; another buyer's transaction id answers 404."""
    return get_object_or_404(
        CheckoutPayment, provider=SandboxGateway.code, provider_transaction_id=transaction_id, buyer=request.user
    )


@login_required
def sandbox_page(request, transaction_id):
    """The one payment of a checkout: VA number, amount, deadline, and the orders it pays. Stands in for the
    gateway's hosted page; the sandbox adds a button that simulates the buyer's bank paying the VA."""
    payment = _buyer_payment(request, transaction_id)
    orders = Order.objects.filter(payments__checkout_payment=payment).select_related("store").order_by("id")
    return render(request, "marketplace/sandbox_pay.html", {"payment": payment, "orders": orders})


@login_required
@require_POST
def sandbox_pay(request, transaction_id):
    """The sandbox 'receives the money' — books it on its own side first — and calls our webhook with a signed
    body, as a real gateway would. Posted twice, it collects once and the webhook pays once."""
    payment = _buyer_payment(request, transaction_id)
    try:
        outcome = sandbox_receive(checkout_payment=payment)
        if outcome == "paid":
            messages.success(request, _("Payment received. Thank you!"))
        else:
            messages.error(request, _("The payment came after the orders were cancelled; it will be refunded."))
    except DomainError as exc:
        messages.error(request, str(exc))
    return redirect("marketplace:sandbox_page", transaction_id=payment.provider_transaction_id)


@csrf_exempt
@require_POST
def gateway_webhook(request):
    return webhook_answer(request, header=SIGNATURE_HEADER, handle=gateway_webhook_handle)
