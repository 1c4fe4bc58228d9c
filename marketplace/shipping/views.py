"""The courier's tracking webhook (signed; the sandbox courier posts to it, a real aggregator would too)."""

from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from marketplace.shipping.sandbox import SIGNATURE_HEADER
from marketplace.shipping.services import courier_webhook_handle
from opop.webhooks import webhook_answer


@csrf_exempt
@require_POST
def courier_webhook(request):
    return webhook_answer(request, header=SIGNATURE_HEADER, handle=courier_webhook_handle)
