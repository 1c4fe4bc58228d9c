"""Signed webhooks from the outside systems we cannot reach (payment gateway, courier): one HMAC rule and one
answer shape. Each provider keeps its own secret setting and header; what a callback does is its service's."""

import hashlib
import hmac
from collections.abc import Callable

from django.conf import settings
from django.http import HttpResponse, JsonResponse

from opop.services import DomainError


class InvalidSignature(DomainError):
    """The body does not carry the provider's signature: nothing of it is read."""


def webhook_secret(setting: str) -> bytes:
    return getattr(settings, setting, settings.SECRET_KEY).encode()


def webhook_sign(*, secret: bytes, body: bytes) -> str:
    return hmac.new(secret, body, hashlib.sha256).hexdigest()


def webhook_verify(*, secret: bytes, body: bytes, signature: str) -> None:
    """Raise InvalidSignature unless `signature` is the HMAC-SHA256 of `body` (compared in constant time)."""
    if not signature or not hmac.compare_digest(webhook_sign(secret=secret, body=body), signature):
        raise InvalidSignature("Invalid signature.")


def webhook_answer(request, *, header: str, handle: Callable[..., str]) -> HttpResponse:
    """Run `handle(body=…, signature=…)` for a provider's POST: 403 for a bad signature, 400 for a callback we
    cannot apply, else 200 with what happened ("paid", "duplicate"…)."""
    try:
        outcome = handle(body=request.body, signature=request.headers.get(header, ""))
    except InvalidSignature:
        return JsonResponse(
            {"error": "invalid_signature", "detail": "The signature does not match the body."}, status=403
        )
    except DomainError as exc:
        return JsonResponse({"error": "rejected", "detail": str(exc)}, status=400)
    return HttpResponse(outcome)
