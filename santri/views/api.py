"""The JSON API a pesantren's academic information system calls. See README, "Santri API".

Only here do messages follow `Accept-Language` (Indonesian when the header asks for nothing we
have): a machine client says which language its users read, while pages stay Indonesian-first.
"""

import json

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from opop.ratelimit import rate_limited
from santri import services

MAX_BODY_BYTES = 2 * 1024 * 1024


def api_language(header: str) -> str:
    """The first language in `Accept-Language` (by q) that the portal has; else the default (id)."""
    from django.utils.translation.trans_real import parse_accept_lang_header

    supported = {code for code, _name in settings.LANGUAGES}
    for lang, _q in parse_accept_lang_header(header or ""):
        base = lang.split("-")[0].lower()
        if base in supported:
            return base
    return settings.LANGUAGE_CODE


@csrf_exempt
@require_POST
@rate_limited("santri_api", json=True)
def upsert(request):
    language = api_language(request.headers.get("Accept-Language", ""))
    with translation.override(language):
        response = _upsert(request)
    response["Content-Language"] = language
    response["Vary"] = "Accept-Language"
    return response


def _upsert(request):
    token = services.api_token_authenticate(header=request.headers.get("Authorization", ""))
    if token is None:
        response = JsonResponse(
            {"error": "invalid_token", "detail": _("Send Authorization: Bearer <token>.")}, status=401
        )
        response["WWW-Authenticate"] = 'Bearer realm="santri"'
        return response
    if len(request.body) > MAX_BODY_BYTES:
        return JsonResponse({"error": "too_large", "detail": _("The body may be at most 2 MB.")}, status=413)
    try:
        payload = json.loads(request.body)
    except (ValueError, UnicodeDecodeError):
        return JsonResponse({"error": "invalid_json", "detail": _("The body is not valid JSON.")}, status=400)
    rows = payload.get("santri") if isinstance(payload, dict) else None
    try:
        result = services.santri_api_upsert(token=token, rows=rows)
    except ValidationError as exc:
        return JsonResponse({"error": "invalid_batch", "detail": " ".join(exc.messages)}, status=400)
    return JsonResponse(result, status=200)
