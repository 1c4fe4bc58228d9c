"""Small pieces every app's views share: the permission guard, a posted form saved by its service (or the service's
error put on the form), a QR code, URLs reversed once (menu entries, the rows' links of a list)."""

from collections.abc import Callable
from functools import lru_cache
from urllib.parse import quote

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse
from django.utils.http import RFC3986_SUBDELIMS
from django.utils.safestring import SafeString, mark_safe

from opop.services import DomainError


def require(allowed: bool) -> None:
    """Refuse (403) unless `allowed`: for a check the scoped selector has not already made (a 404)."""
    if not allowed:
        raise PermissionDenied


def form_error(form, exc: Exception) -> None:
    """Put a service's error on the form: per field when it names fields the form has (a model's address field is
    mapped to the address widget's field, opop.addresses)."""
    if isinstance(exc, ValidationError) and hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            if hasattr(form, "address_error_field"):
                field = form.address_error_field(field)
            form.add_error(field if field in form.fields else None, errors)
    elif isinstance(exc, ValidationError):
        form.add_error(None, exc.messages)
    else:
        form.add_error(None, str(exc))


def form_saved[T](request, form, save: Callable[[dict], T], *, success: str) -> T | None:
    """The one way a view saves a posted form. On a POST whose `form` is valid, `save(form.cleaned_data)` calls the
    service: when it goes through, `success` becomes a message and the service's result (the saved object) is
    returned, for the view to redirect. On a GET, an invalid form or a service's refusal (DomainError or
    ValidationError, put on the form by `form_error`), None: the view renders the form again."""
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        saved = save(form.cleaned_data)
    except (DomainError, ValidationError) as exc:
        form_error(form, exc)
        return None
    messages.success(request, success)
    return saved


def qr_svg(url: str, *, box_size: int = 10, border: int = 2) -> SafeString:
    """`url` as an inline SVG QR code (paths, no raster), for a card or a receipt; safe to put in a template."""
    image = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, box_size=box_size, border=border)
    return mark_safe(image.to_string(encoding="unicode"))  # noqa: S308 - SVG that qrcode generated


# Fits both an <int:…> and a <str:…> converter, and no fixed part of the portal's URLs.
_URL_MARKER = "4071998253"


@lru_cache(maxsize=1024)
def _reversed(viewname: str, args: tuple, current_app, prefix: str, urlconf, root_urlconf: str) -> str | None:
    try:
        return reverse(viewname, args=args, current_app=current_app)
    except NoReverseMatch:
        return None


def kept_reverse(viewname: str, args: tuple = (), current_app: str | None = None) -> str | None:
    """reverse(), kept per process for this script prefix and URLconf (the portal's URLs do not change while it
    runs, nor by language); None where there is no such URL. For names and arguments fixed in the code or a
    template, not for values that vary by row (url_for_each)."""
    return _reversed(viewname, args, current_app, get_script_prefix(), get_urlconf(), settings.ROOT_URLCONF)


def fixed_url(viewname: str) -> str | None:
    """The URL of a view that takes no argument (a menu entry), reversed once; None where there is none."""
    return kept_reverse(viewname)


def url_for_each(viewname: str) -> Callable[[object], str]:
    """`reverse(viewname, args=[value])` for every row of a list without a reverse per row: the URL is reversed
    once around a marker and each row's value put in the marker's place, quoted as reverse quotes it. For a URL
    whose one argument is an id or an order number, which pass its converter as they are."""
    url = kept_reverse(viewname, (_URL_MARKER,))
    if url is None:
        raise NoReverseMatch(f"{viewname} takes no single argument")
    head, _marker, tail = url.partition(_URL_MARKER)
    safe = RFC3986_SUBDELIMS + "/~:@"
    return lambda value: f"{head}{quote(str(value), safe=safe)}{tail}"


@lru_cache(maxsize=8192)
def _row_html(template_name: str, language: str | None, timezone_name: str, row) -> SafeString:
    from django.template.loader import get_template

    return mark_safe(get_template(template_name).render({"row": row}))  # noqa: S308 - the template escaped it


def rendered_rows(template_name: str, rows) -> SafeString:
    """The HTML of a list's rows, each `template_name` rendered with `row` (and nothing else: no request, user or
    CSRF token), joined. A row's HTML is kept per process under the row's own values (a frozen, hashable
    dataclass that holds everything its template shows, links included), the language and the time zone: what a
    row shows is a function of its key, so a kept row is never stale and nothing has to invalidate it; a row whose
    values changed is a new key, rendered once. A busy list (a seller's queue, the staff's pesantren list) renders
    only the rows that changed since it was last read in that process."""
    from django.utils import timezone, translation

    language, zone = translation.get_language(), timezone.get_current_timezone_name()
    render = _row_html.__wrapped__ if settings.DEBUG else _row_html  # runserver reloads templates, not this memo
    return mark_safe("".join(render(template_name, language, zone, row) for row in rows))  # noqa: S308 - escaped
