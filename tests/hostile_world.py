"""The hostile-input sweep in the portal's demo world: log in as an endpoint's role and attack it
(`attack`), the world built once per module (`world_fixture`), and every POST URL of the portal that must be
attacked (`post_url_names`). The strategies and the assertion are the kernel's (opop/tests/hostile.py)."""

import inspect

from django.db import transaction
from django.test import Client

from opop.tests.hostile import Endpoint, assert_rejects_cleanly, field_sweep, models_of, mutated, scraped_form


def attack(world, endpoint: Endpoint, *, default_watch: tuple[str, ...]) -> None:
    """Log in as the endpoint's role and throw hostile variants of its valid submission at it."""
    from tests.permission_matrix import url_for

    client = Client()
    user = endpoint.as_user(world) if endpoint.as_user else world.users[endpoint.role]
    if user is not None:
        client.force_login(user)
    if endpoint.prepare:
        endpoint.prepare(client, world)
    url = endpoint.url(world) if endpoint.url else url_for(endpoint.name, world)
    page = url_for(endpoint.page, world) if endpoint.page else url
    base = scraped_form(client, page, url) if endpoint.method == "post" else {}
    base.update(endpoint.valid(world) if callable(endpoint.valid) else endpoint.valid)
    assert_rejects_cleanly(
        client,
        url,
        mutated(base, fields=endpoint.fields, uploads=endpoint.uploads),
        models_of(*(endpoint.watch or default_watch)),
        label=endpoint.name,
        method=endpoint.method,
        rejects_on_200=not endpoint.ok_on_200,
        sweep=field_sweep(base, endpoint.fields) if endpoint.method == "post" else (),
    )


def world_fixture():
    """A module-scoped `world` fixture: the permission matrix's demo world, rolled back after the module."""
    import pytest

    @pytest.fixture(scope="module")
    def world(django_db_setup, django_db_blocker):
        from tests.permission_world import build_world

        with django_db_blocker.unblock(), transaction.atomic():
            yield build_world()
            transaction.set_rollback(True)

    return world


def post_url_names() -> list[str]:
    """Every named URL whose view reads a POST body: what the per-app hostile tests must cover."""
    from tests.permission_world import url_names

    resolver_names = set(url_names())
    found = []
    for name in resolver_names:
        if name.startswith("admin:"):
            continue
        match = _callback(name)
        if match is None:
            continue
        view = match
        while True:
            inner = getattr(view, "__wrapped__", None) or _closure_view(view)
            if inner is None:
                break
            view = inner
        target = getattr(match, "view_class", None) or view
        try:
            source = inspect.getsource(target)
            module = inspect.getsource(inspect.getmodule(target))
        except (OSError, TypeError):
            continue
        start = module.find(f"def {target.__name__}(")
        decorators = module[max(0, start - 200) : start]
        if any(s in source for s in ("request.POST", "request.FILES", "request.body", "def post(")) or (
            "require_POST" in decorators
        ):
            found.append(name)
    return sorted(found)


def _closure_view(view):
    """The view a hand-written decorator (one without functools.wraps) closes over."""
    for cell in getattr(view, "__closure__", None) or ():
        inner = cell.cell_contents
        if inspect.isfunction(inner) and inner is not view and ".views" in inner.__module__:
            return inner
    return None


def _callback(name: str):
    from django.urls import URLPattern, URLResolver, get_resolver

    def walk(patterns, namespace):
        for entry in patterns:
            if isinstance(entry, URLResolver):
                inner = f"{namespace}:{entry.namespace}" if namespace and entry.namespace else entry.namespace
                yield from walk(entry.url_patterns, inner or namespace)
            elif isinstance(entry, URLPattern) and entry.name:
                yield (f"{namespace}:{entry.name}" if namespace else entry.name), entry.callback

    for pattern_name, callback in walk(get_resolver().url_patterns, ""):
        if pattern_name == name:
            return callback
    return None
