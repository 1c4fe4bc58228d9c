"""Rate limits of the santri's own sign-in pages, counted by allauth's limiter (the cache, the same
client-IP rule behind proxies as the login page). Only failures are counted."""

from allauth.core.internal import ratelimit

RATES = {
    # A slip code is 8 characters of 31 (8.5 x 10^11): 5 wrong tries per 15 minutes per address.
    "santri_code_failed": "5/15m/ip",
    # Kartu Santri number + password: as the e-mail login's login_failed.
    "santri_login_failed": "10/m/ip,5/5m/key",
}


def allowed(request, action: str, key: str | None = None) -> bool:
    usage = ratelimit.consume(request, app="santri", action=action, config=RATES, key=key, dry_run=True, limit_get=True)
    return usage is not None


def spend(request, action: str, key: str | None = None) -> None:
    ratelimit.consume(request, app="santri", action=action, config=RATES, key=key, limit_get=True)
