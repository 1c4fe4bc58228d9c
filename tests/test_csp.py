"""The Content Security Policy is enforced on every page, and no page needs anything it forbids.

Every GET URL of the permission matrix is rendered for every role (plus the admin as the superuser); each HTML
page must carry the enforced policy, and its markup must hold no script the policy would block: every <script>
is loaded from our own origin or carries this response's nonce, and no element has an inline event handler
(onclick=…) or a style attribute, and there is no <style> block without the nonce.
"""

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils.csp import CSP

from tests.permission_expectations import MATRIX
from tests.permission_matrix import url_for
from tests.permission_world import ROLES, build_world, url_names

DATA_BLOCK_TYPES = {"application/json", "application/ld+json", "text/template"}


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        yield build_world()
        transaction.set_rollback(True)


class InlineCodeFinder(HTMLParser):
    """Collects what a strict CSP would block: inline scripts/styles without the nonce, handlers, style attributes."""

    def __init__(self, nonce: str | None):
        super().__init__(convert_charrefs=True)
        self.nonce = nonce
        self.problems: list[str] = []
        self.scripts = 0

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        for name, _value in attrs:
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}=…> inline event handler")
            if name == "style":
                self.problems.append(f"<{tag} style=…> inline style attribute")
        if tag == "script":
            self.scripts += 1
            if (attributes.get("type") or "").lower() in DATA_BLOCK_TYPES:
                return  # a data block is never executed, so the policy does not apply to it
            src = attributes.get("src")
            if src is not None:
                if not src.startswith("/") or src.startswith("//"):
                    self.problems.append(f"<script src={src!r}> not from our origin")
            elif self.nonce is None or attributes.get("nonce") != self.nonce:
                self.problems.append("inline <script> without the response's nonce")
        if tag == "style" and (self.nonce is None or attributes.get("nonce") != self.nonce):
            self.problems.append("<style> block without the response's nonce")
        if tag == "a" and (attributes.get("href") or "").strip().lower().startswith("javascript:"):
            self.problems.append("javascript: link")


def header_nonce(policy: str) -> str | None:
    match = re.search(r"script-src [^;]*'nonce-([^']+)'", policy)
    return match.group(1) if match else None


def problems_on(response) -> list[str]:
    policy = response.get(CSP.HEADER_ENFORCE)
    if policy is None:
        return ["no Content-Security-Policy header"]
    if not response.get("Content-Type", "").startswith("text/html"):
        return []
    finder = InlineCodeFinder(header_nonce(policy))
    finder.feed(response.content.decode())
    return finder.problems


def get_as(world, role: str, url: str):
    client = Client()
    if world.users[role] is not None:
        client.force_login(world.users[role])
    with transaction.atomic():
        response = client.get(url)
        transaction.set_rollback(True)
    return response


def test_the_policy_is_strict_and_enforced(client, db):
    response = client.get(reverse("home"))
    assert CSP.HEADER_REPORT_ONLY not in response
    policy = dict(part.strip().split(" ", 1) for part in response[CSP.HEADER_ENFORCE].split(";"))
    assert policy["default-src"] == "'self'"
    assert policy["script-src"].split()[0] == "'self'"
    assert "'unsafe-inline'" not in policy["script-src"] and "'unsafe-eval'" not in policy["script-src"]
    assert policy["style-src"] == "'self'"
    assert policy["img-src"] == "'self' data:"
    assert policy["object-src"] == "'none'"
    assert policy["frame-ancestors"] == "'none'"
    assert policy["form-action"] == "'self'"
    assert policy["base-uri"] == "'self'"


def test_a_template_that_asks_for_the_nonce_gets_the_one_in_the_header(rf):
    from django.middleware.csp import ContentSecurityPolicyMiddleware
    from django.template import engines
    from django.template.response import TemplateResponse

    template = engines["django"].from_string('<script nonce="{{ csp_nonce }}">window.ok = 1;</script>')

    def view(request):
        return TemplateResponse(request, template, {}).render()

    response = ContentSecurityPolicyMiddleware(view)(rf.get("/"))
    nonce = header_nonce(response[CSP.HEADER_ENFORCE])
    assert nonce and f'nonce="{nonce}"' in response.content.decode()
    assert problems_on(response) == []


def test_the_checker_catches_what_the_policy_would_block():
    checker = InlineCodeFinder("abc")
    checker.feed(
        '<script>alert(1)</script><script nonce="abc">ok()</script><script src="/static/x.js"></script>'
        '<script src="https://cdn.example/x.js"></script><button onclick="x()">b</button><p style="color:red">'
        '<a href="javascript:x()">l</a><script type="application/json">{}</script>'
    )
    assert len(checker.problems) == 5, checker.problems


@pytest.mark.django_db
def test_every_page_for_every_role_carries_the_policy_and_needs_no_inline_code(world):
    problems, html_pages = [], 0
    for name, (method, expected_row) in sorted(MATRIX.items()):
        if method != "GET":
            continue
        url = url_for(name, world)
        for role, expected in zip(ROLES, expected_row.split(), strict=True):
            if expected not in {"200", "403", "404"}:
                continue
            response = get_as(world, role, url)
            html_pages += response.get("Content-Type", "").startswith("text/html")
            problems += [f"{name} as {role}: {problem}" for problem in problems_on(response)]
    assert problems == [], "\n".join(problems)
    assert html_pages > 300


@pytest.mark.django_db
def test_the_admin_pages_carry_the_policy_and_need_no_inline_code(world):
    names = [n for n in url_names() if n.startswith("admin:") and n.endswith(("_changelist", "_add"))]
    problems = []
    for name in ["admin:index", *names]:
        response = get_as(world, "superuser", reverse(name))
        assert response.status_code in {200, 403}, name
        problems += [f"{name}: {problem}" for problem in problems_on(response)]
    assert problems == [], "\n".join(problems)


@pytest.mark.django_db
def test_print_buttons_are_wired_by_the_static_script(world):
    o = world.objects
    pages = [
        ("seller_a_owner", reverse("santri:card", kwargs={"pk": o["santri"].pk})),
        ("seller_a_owner", reverse("pesantren:card", kwargs={"pk": o["pesantren"].pk})),
        ("seller_a_owner", reverse("santri:certificate", kwargs={"pk": o["registration"].pk})),
        ("cashier", reverse("samsat:receipt", kwargs={"code": o["outlet"].code, "pk": o["payment"].pk})),
        (
            "seller_a_owner",
            reverse("marketplace:seller_order_print", kwargs={"number": o["order"].number, "document": "invoice"}),
        ),
    ]
    for role, url in pages:
        response = get_as(world, role, url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert "data-print" in html and "/static/js/opop.js" in html, url
    script = Path(finders.find("js/opop.js")).read_text()
    assert 'closest("[data-print]")' in script and "window.print()" in script
