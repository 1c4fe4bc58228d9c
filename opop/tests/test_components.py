"""The shared template pieces (templates/components/, templates/layouts/form_page.html) render what their opening
comments promise."""

from types import SimpleNamespace

import pytest
from django import forms
from django.contrib.auth.models import AnonymousUser
from django.core.paginator import Paginator
from django.template import Context, Template
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.utils import translation


def pagination(page_obj, querystring=None) -> str:
    context = {"page_obj": page_obj, "querystring": querystring}
    with translation.override("en"):
        return Template('{% include "components/pagination.html" %}').render(Context(context))


def test_pagination_links_keep_the_filters_and_say_which_page():
    page = Paginator(range(50), 10).get_page(2)
    html = pagination(page, "q=kopi&status=active")
    assert 'href="?q=kopi&amp;status=active&amp;page=1" rel="prev">Previous</a>' in html
    assert 'href="?q=kopi&amp;status=active&amp;page=3" rel="next">Next</a>' in html
    assert "Page 2 of 5" in html


def test_pagination_without_a_querystring_links_the_page_alone():
    html = pagination(Paginator(range(50), 10).get_page(1))
    assert 'href="?page=2" rel="next"' in html
    assert "Previous" not in html
    assert "Page 1 of 5" in html


def test_pagination_of_a_page_without_a_count_shows_no_total():
    # the catalogue's PageWithoutCount: no paginator, so no "of N"
    page = SimpleNamespace(number=3, has_other_pages=True, has_previous=True, has_next=True)
    page.previous_page_number, page.next_page_number = 2, 4
    html = pagination(page, "q=kopi")
    assert "Page 3<" in html and " of " not in html
    assert 'href="?q=kopi&amp;page=4"' in html


def test_pagination_on_a_page_keeps_the_requests_query_string_but_the_page():
    """Every list including the component keeps its filters on page 2, whatever it passes (or not)."""
    from django.template import RequestContext

    request = RequestFactory().get("/riwayat/", {"day": "2026-11-24", "plate": "S 1234 AB", "page": "2"})
    page = Paginator(range(50), 10).get_page(2)
    for template in (
        '{% include "components/pagination.html" with page_obj=page %}',
        '{% include "components/pagination.html" with page_obj=page only %}',
    ):
        with translation.override("en"):
            html = Template(template).render(RequestContext(request, {"page": page}))
        assert 'href="?day=2026-11-24&amp;plate=S+1234+AB&amp;page=3" rel="next"' in html
        assert 'href="?day=2026-11-24&amp;plate=S+1234+AB&amp;page=1" rel="prev"' in html


def test_a_single_page_needs_no_pagination():
    assert pagination(Paginator(range(5), 10).get_page(1)).strip() == ""


def badge(**context) -> str:
    return Template('{% include "components/status_badge.html" %}').render(Context(context)).strip()


def test_status_badge_colours_by_the_state_key():
    assert badge(status="returned", label="Dikembalikan") == '<span class="badge badge-returned">Dikembalikan</span>'


def test_status_badge_takes_the_apps_colour_prefix_and_an_extra_class():
    assert badge(status="issued", label="Terbit", prefix="halal-") == '<span class="badge halal-issued">Terbit</span>'
    assert (
        badge(status="confirmed", label="Lunas", prefix="samsat-state-", **{"class": "samsat-state"})
        == '<span class="badge samsat-state samsat-state-confirmed">Lunas</span>'
    )


def test_status_badge_escapes_its_label():
    assert "&lt;b&gt;" in badge(status="x", label="<b>")


class NameForm(forms.Form):
    name = forms.CharField(label="Name")
    token = forms.CharField(widget=forms.HiddenInput, required=False)


@pytest.mark.django_db
def test_form_page_renders_the_form_its_button_and_cancel(tmp_path, settings):
    (tmp_path / "page.html").write_text(
        '{% extends "layouts/form_page.html" %}'
        "{% block head %}<!-- app head -->{% endblock %}"
        "{% block page_title %}A title{% endblock %}"
        "{% block intro %}<p>An intro</p>{% endblock %}"
        "{% block submit_label %}Send it{% endblock %}"
    )
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}]
    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    with translation.override("en"):
        html = render_to_string("page.html", {"form": NameForm(), "cancel_url": "/back/"}, request=request)
        plain = render_to_string("layouts/form_page.html", {"form": NameForm()}, request=request)
    assert "<!-- app head -->" in html and "<h1>A title</h1>" in html and "<p>An intro</p>" in html
    assert 'name="name"' in html and 'type="hidden" name="token"' in html
    assert '<button class="button" type="submit">Send it</button>' in html
    assert '<a class="button secondary" href="/back/">Cancel</a>' in html
    assert '<button class="button" type="submit">Save</button>' in plain and "Cancel" not in plain
