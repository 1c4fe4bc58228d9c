import pytest
from django.urls import NoReverseMatch, reverse

from opop.web import fixed_url, url_for_each


@pytest.mark.parametrize(
    ("viewname", "values"),
    [
        ("opop:deletion_process", [1, 42, 4071998253, 9876543210]),
        ("opop:organisation_detail", ["pp-darul-ulum", "OPM-261204-3A4E1F139D", "4071998253"]),
    ],
)
def test_url_for_each_makes_the_urls_reverse_makes(viewname, values):
    url = url_for_each(viewname)
    assert [url(value) for value in values] == [reverse(viewname, args=[value]) for value in values]


def test_url_for_each_refuses_a_url_without_one_argument():
    with pytest.raises(NoReverseMatch):
        url_for_each("opop:profile")


def test_fixed_url_is_the_reversed_url_and_none_where_there_is_none():
    assert fixed_url("opop:profile") == reverse("opop:profile")
    assert fixed_url("opop:no_such_page") is None
