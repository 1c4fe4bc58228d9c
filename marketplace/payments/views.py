"""The sandbox gateway's payment page and our webhook endpoint."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from marketplace.models import Payment
from marketplace.payments.sandbox import (
    SIGNATURE_HEADER,
    InvalidSignature,
    SandboxGateway,
    gateway_webhook_handle,
    sandbox_callback_body,
    sign,
)
from opop.services import DomainError


def _buyer_payment(request, transaction_id) -> Payment:
    return get_object_or_404(
        Payment.objects.select_related("order__store"),
        provider=SandboxGateway.code,
        provider_transaction_id=transaction_id,
        order__buyer=request.user,
    )


@login_required
def sandbox_page(request, transaction_id):
    """Stands in for the gateway's hosted page: shows the virtual account and a QRIS code to pay."""
    payment = _buyer_payment(request, transaction_id)
    return render(request, "marketplace/sandbox_pay.html", {"payment": payment, "order": payment.order})


@login_required
@require_POST
def sandbox_pay(request, transaction_id):
    """The sandbox 'receives the money' and calls our webhook with a signed body, as a real gateway would."""
    payment = _buyer_payment(request, transaction_id)
    body = sandbox_callback_body(payment=payment)
    try:
        gateway_webhook_handle(body=body, signature=sign(body))
        messages.success(request, _("Payment received. Thank you!"))
    except DomainError as exc:
        messages.error(request, str(exc))
    return redirect("marketplace:order_detail", number=payment.order.number)


@csrf_exempt
@require_POST
def gateway_webhook(request):
    try:
        outcome = gateway_webhook_handle(body=request.body, signature=request.headers.get(SIGNATURE_HEADER, ""))
    except InvalidSignature:
        return JsonResponse(
            {"error": "invalid_signature", "detail": "The signature does not match the body."}, status=403
        )
    except DomainError as exc:
        return JsonResponse({"error": "rejected", "detail": str(exc)}, status=400)
    return HttpResponse(outcome)
