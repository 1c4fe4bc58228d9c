"""Rate limits on the public check pages (Kartu OPOP, Kartu Santri, Samsat receipt, halal certificate) and the
santri API, with the limiter the sign-in already uses (allauth's: counted in the shared cache, per client IP
behind ALLAUTH_TRUSTED_PROXY_COUNT proxies, kept per process while Redis is down — opop/cache.py).

A public check page answers anyone, so without a limit it is an oracle for guessing card tokens, receipt codes
and certificate numbers in bulk. The limits are far above what a person scanning QR codes needs.
"""

from functools import wraps

from allauth.core.internal import ratelimit as allauth_ratelimit
from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.utils.translation import gettext as _

DEFAULT_RATE_LIMITS = {
    "public_check": "60/m/ip",  # a QR code scanned, a number typed: one a second, sustained, is a script
    "santri_api": "120/m/ip",  # a pesantren's system sends batches of up to 500 santri each
}
RETRY_AFTER_SECONDS = 60


def _rates() -> dict[str, str]:
    return {**DEFAULT_RATE_LIMITS, **getattr(settings, "OPOP_RATE_LIMITS", {})}


def rate_limited(action: str, *, json: bool = False):
    """Answer 429 (Retry-After) once the client has used up `action`'s rate; GET requests count too."""

    def decorate(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            allowed = allauth_ratelimit.consume(request, app="opop", action=action, config=_rates(), limit_get=True)
            if allowed:
                return view(request, *args, **kwargs)
            message = _("Too many requests. Wait a minute and try again.")
            response = (
                JsonResponse({"error": message}, status=429)
                if json
                else HttpResponse(message, status=429, content_type="text/plain; charset=utf-8")
            )
            response["Retry-After"] = str(RETRY_AFTER_SECONDS)
            return response

        return wrapped

    return decorate
