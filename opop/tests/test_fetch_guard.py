"""The test-suite guard against lazy loads while a page renders (opop/tests/fetch_guard.py)."""

import pytest
from django.core.exceptions import FieldFetchBlocked
from django.template import engines
from django.template.loader import render_to_string
from django.test import RequestFactory

from opop.models import Membership
from opop.tests import fetch_guard
from opop.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db

PAGE = "{% for m in memberships %}{{ m.organisation.name }};{% endfor %}"


def _render(memberships, *, request):
    return engines["django"].from_string(PAGE).render({"memberships": memberships}, request=request)


def test_a_page_template_reading_an_unloaded_relation_fails():
    MembershipFactory(organisation__name="PP Lirboyo")
    memberships = list(Membership.objects.all())
    with pytest.raises(FieldFetchBlocked, match=r"Membership\.organisation"):
        _render(memberships, request=RequestFactory().get("/"))
    assert fetch_guard.blocked == ["Membership.organisation"]
    fetch_guard.blocked.clear()  # this test wanted the failure; let the autouse check pass


def test_the_same_template_passes_once_the_selector_loads_the_relation(django_assert_num_queries):
    MembershipFactory(organisation__name="PP Lirboyo")
    memberships = list(Membership.objects.select_related("organisation"))
    with django_assert_num_queries(0):
        assert _render(memberships, request=RequestFactory().get("/")) == "PP Lirboyo;"


def test_code_outside_a_page_render_still_loads_lazily():
    """Services, e-mails and tests read single relations on purpose; only page rendering is guarded."""
    MembershipFactory(organisation__name="PP Lirboyo")
    membership = Membership.objects.get()
    assert membership.organisation.name == "PP Lirboyo"
    assert render_to_string("components/empty_state.html", {"message": "x"})  # no request: not a page


def test_a_blocked_fetch_hidden_by_an_if_tag_is_still_recorded():
    MembershipFactory(organisation__name="PP Lirboyo")
    membership = Membership.objects.get()
    template = engines["django"].from_string("{% if m.organisation.name == 'PP Lirboyo' %}yes{% endif %}")
    assert template.render({"m": membership}, request=RequestFactory().get("/")) == ""  # swallowed by {% if %}
    assert fetch_guard.blocked == ["Membership.organisation"]
    fetch_guard.blocked.clear()


def test_admin_change_lists_are_guarded_and_one_object_forms_are_not():
    from opop.tests.fetch_guard import _is_page

    request = RequestFactory().get("/admin/")
    for url_name, guarded in [("opop_membership_changelist", True), ("opop_membership_change", False)]:
        request.resolver_match = type("Match", (), {"namespace": "admin", "url_name": url_name})()
        assert _is_page(request) is guarded
    assert _is_page(None) is False
