"""The JSON API a pesantren's academic information system calls. See README, "Santri API"."""

import json

from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from opop.ratelimit import rate_limited
from santri import services

MAX_BODY_BYTES = 2 * 1024 * 1024


@csrf_exempt
@require_POST
@rate_limited("santri_api", json=True)
def upsert(request):
    token = services.api_token_authenticate(header=request.headers.get("Authorization", ""))
    if token is None:
        response = JsonResponse({"error": "invalid_token", "detail": "Send Authorization: Bearer <token>."}, status=401)
        response["WWW-Authenticate"] = 'Bearer realm="santri"'
        return response
    if len(request.body) > MAX_BODY_BYTES:
        return JsonResponse({"error": "too_large", "detail": "The body may be at most 2 MB."}, status=413)
    try:
        payload = json.loads(request.body)
    except (ValueError, UnicodeDecodeError):
        return JsonResponse({"error": "invalid_json", "detail": "The body is not valid JSON."}, status=400)
    rows = payload.get("santri") if isinstance(payload, dict) else None
    try:
        result = services.santri_api_upsert(token=token, rows=rows)
    except ValidationError as exc:
        return JsonResponse({"error": "invalid_batch", "detail": " ".join(exc.messages)}, status=400)
    return JsonResponse(result, status=200)
