"""Lazy-load detection for the test suite, built on Django 6.1's fetch modes.

Every queryset made under test gets the `GUARDED` fetch mode (and hands it on to the related
objects it loads). Outside a page render it behaves like the default `FETCH_ONE`; while a
template is being rendered for a request it behaves like `FETCH_RAISE`, so a template that walks a
relation the selector did not `select_related`/`prefetch_related` (or a field it deferred with
`only()`) fails the test with `FieldFetchBlocked` instead of costing a query per row.

Why only during page rendering and not everywhere: with `FETCH_RAISE` on every queryset,
services and factories fail on single, deliberate reads (`order.store.organisation` inside a
write), which are not N+1 problems; about a third of the view tests broke that way and none of
those failures was a loop. Rendering is where rows are looped over, so that is where the guard
bites. Loops in Python view code are covered by the 1-row-vs-50-rows query budget tests.

A blocked fetch inside `{% if %}` is swallowed by the template engine (it turns any exception in a
comparison into False), so every blocked fetch is also recorded and the autouse fixture in the
root conftest fails the test afterwards.
"""

import contextvars
from contextlib import contextmanager

import django.db.models.query as query_module
from django.db.models.fetch_modes import FETCH_ONE, FETCH_RAISE, FetchMode
from django.template.backends import django as django_backend

_rendering_page = contextvars.ContextVar("opop_rendering_page", default=False)
blocked: list[str] = []


class RaiseWhileRenderingPages(FetchMode):
    __slots__ = ()

    def fetch(self, fetcher, instance):
        if not _rendering_page.get():
            return FETCH_ONE.fetch(fetcher, instance)
        blocked.append(f"{instance.__class__.__qualname__}.{fetcher.field.name}")
        return FETCH_RAISE.fetch(fetcher, instance)

    def __reduce__(self):
        return "GUARDED"


GUARDED = RaiseWhileRenderingPages()

_original_render = django_backend.Template.render


def _is_page(request) -> bool:
    if request is None:  # e-mails and other off-request renders
        return False
    match = getattr(request, "resolver_match", None)
    if match is not None and match.namespace == "admin":
        # The admin's lists are guarded (their __str__ chains are real N+1s); its one-object forms
        # show every foreign key of a read-only row by design, one query each.
        return match.url_name is not None and match.url_name.endswith("_changelist")
    return True


def _guarded_render(self, context=None, request=None):
    if not _is_page(request):
        return _original_render(self, context, request)
    token = _rendering_page.set(True)
    try:
        return _original_render(self, context, request)
    finally:
        _rendering_page.reset(token)


@contextmanager
def guard_lazy_loads():
    """Install the guard for one test; yield the list of fetches it blocked."""
    previous_mode, previous_render = query_module.DEFAULT_FETCH_MODE, django_backend.Template.render
    query_module.DEFAULT_FETCH_MODE = GUARDED
    django_backend.Template.render = _guarded_render
    blocked.clear()
    try:
        yield blocked
    finally:
        query_module.DEFAULT_FETCH_MODE = previous_mode
        django_backend.Template.render = previous_render
