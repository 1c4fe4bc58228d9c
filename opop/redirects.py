"""Redirects to a `next` URL the request carries: only to a path on this site, else to the default."""

from django.http import HttpResponseRedirect
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme


def redirect_next(request, next_url: str | None, default: str, *args):
    """Go to `next_url` if it is a path on this site, else to `default` (a URL name, with `args`).

    Without the check a form's `next` is an open redirect (`https://evil.example`) and a value that is
    neither a URL nor a URL name (`' OR '1'='1`) made `redirect()` raise NoReverseMatch: a 500.
    """
    if (
        next_url
        and next_url.startswith("/")
        and url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}, require_https=False)
    ):
        return HttpResponseRedirect(next_url)
    return redirect(default, *args)
