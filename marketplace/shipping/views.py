"""The courier's tracking webhook (signed; the sandbox courier posts to it, a real aggregator would too)."""

from django.http import HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from marketplace.shipping.sandbox import SIGNATURE_HEADER
from marketplace.shipping.services import InvalidSignature, courier_webhook_handle
from opop.services import DomainError


@csrf_exempt
@require_POST
def courier_webhook(request):
    try:
        outcome = courier_webhook_handle(body=request.body, signature=request.headers.get(SIGNATURE_HEADER, ""))
    except InvalidSignature:
        return JsonResponse(
            {"error": "invalid_signature", "detail": "The signature does not match the body."}, status=403
        )
    except DomainError as exc:
        return JsonResponse({"error": "rejected", "detail": str(exc)}, status=400)
    return HttpResponse(outcome)
