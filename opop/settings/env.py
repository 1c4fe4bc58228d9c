"""One place that reads the environment. Every setting that can change per machine goes through here."""

import os

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str | None = None, *, required: bool = False) -> str | None:
    value = os.environ.get(name)
    if value is None or value == "":
        if required:
            raise ImproperlyConfigured(f"Set the environment variable {name}.")
        return default
    return value


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    lowered = value.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false, yes/no, on/off), not {value!r}.")


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}.") from None


def env_percent(name: str, default: str) -> str:
    """A percentage from 0 to 100 with a decimal point (`2.5`), kept as text for Decimal arithmetic."""
    from decimal import Decimal, InvalidOperation

    value = (os.environ.get(name) or "").strip() or default
    try:
        percent = Decimal(value)
    except InvalidOperation:
        raise ImproperlyConfigured(f"{name} must be a percentage such as 2.5, not {value!r}.") from None
    if not percent.is_finite() or not 0 <= percent <= 100:
        raise ImproperlyConfigured(f"{name} must be between 0 and 100, not {value!r}.")
    return value


def env_list(name: str, default: list[str] | None = None) -> list[str]:
    value = os.environ.get(name)
    if value is None:
        return list(default or [])
    return [item.strip() for item in value.split(",") if item.strip()]


def mailers_from_env(default_backend: str) -> dict:
    """MAILERS for Django 6.1: EMAIL_BACKEND picks the backend; SMTP reads EMAIL_HOST and friends."""
    backend = env_str("EMAIL_BACKEND", default_backend)
    options = {}
    if backend.endswith("smtp.EmailBackend"):
        options = {
            "host": env_str("EMAIL_HOST", "localhost"),
            "port": env_int("EMAIL_PORT", 587),
            "username": env_str("EMAIL_HOST_USER", ""),
            "password": env_str("EMAIL_HOST_PASSWORD", ""),
            "use_tls": env_bool("EMAIL_USE_TLS", True),
            "timeout": 20,
        }
    return {"default": {"BACKEND": backend, "OPTIONS": options}}


def media_origins(storage: dict) -> list[str]:
    """The origins uploaded media is served from, for the CSP's img-src: none when media is on this site."""
    from urllib.parse import urlsplit

    options = storage.get("OPTIONS") or {}
    if not options.get("bucket_name"):
        return []
    if options.get("custom_domain"):
        return [f"https://{options['custom_domain']}"]
    if options.get("endpoint_url"):
        # Path-style (endpoint/bucket/key) or virtual-hosted (bucket.endpoint/key) URLs, whichever boto3 signs.
        parts = urlsplit(options["endpoint_url"])
        return [f"{parts.scheme}://{parts.netloc}", f"{parts.scheme}://{options['bucket_name']}.{parts.netloc}"]
    region = options.get("region_name") or "us-east-1"
    return [f"https://{options['bucket_name']}.s3.{region}.amazonaws.com", f"https://s3.{region}.amazonaws.com"]
