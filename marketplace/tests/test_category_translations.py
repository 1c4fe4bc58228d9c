"""Category names per language (issue 24): stored in Indonesian (name) and English (name_en), shown in the
active language on the shelves, the filter, the breadcrumb and the seller's form; the empty choice is
translated on every form."""

import pytest
from django import forms
from django.urls import reverse
from django.utils import translation

from marketplace.catalogue.filters import category_choices
from marketplace.catalogue.services import category_create
from marketplace.models import Category

pytestmark = pytest.mark.django_db


@pytest.fixture
def coffee():
    food = category_create(name="Makanan & Minuman", name_en="Food & Drink")
    return category_create(name="Kopi", name_en="Coffee", parent=food)


def test_the_name_follows_the_active_language(coffee):
    with translation.override("en"):
        assert coffee.label == "Coffee" and str(coffee) == "Coffee"
    with translation.override("id"):
        assert coffee.label == "Kopi" and str(coffee) == "Kopi"
    untranslated = category_create(name="Jasa")
    with translation.override("en"):
        assert untranslated.label == "Jasa"  # no English name yet: the Indonesian one, never blank


def test_the_filter_and_the_shelf_speak_english(client, coffee, settings):
    with translation.override("en"):
        assert ("kopi", "— Coffee") in category_choices() and ("makanan-minuman", "Food & Drink") in category_choices()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get(reverse("marketplace:category", args=[coffee.slug])).content.decode()
    assert "<h1>Coffee</h1>" in html and "Food &amp; Drink" in html
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "id"
    html = client.get(reverse("marketplace:category", args=[coffee.slug])).content.decode()
    assert "<h1>Kopi</h1>" in html


def test_a_model_choice_of_categories_lists_english_names(coffee):
    class ProductForm(forms.Form):
        category = forms.ModelChoiceField(queryset=Category.objects.order_by("name"))

    with translation.override("en"):
        html = str(ProductForm()["category"])
    assert ">Coffee</option>" in html and ">Kopi<" not in html
    assert '<option value="" selected>— Choose —</option>' in html  # translated, not Django's dashes
    assert "---------" not in html


def test_the_demo_categories_have_english_names():
    from marketplace.demo import CATEGORIES, CATEGORY_NAMES_EN

    names = [name for parent, children in CATEGORIES for name in (parent, *children)]
    assert all(CATEGORY_NAMES_EN.get(name) for name in names), [n for n in names if n not in CATEGORY_NAMES_EN]


def test_the_seller_form_names_parent_and_category_in_the_active_language(coffee):
    from marketplace.seller.forms import ProductForm

    with translation.override("en"):
        html = str(ProductForm()["category"])
    assert ">Food &amp; Drink &gt; Coffee</option>" in html and "Kopi" not in html
    with translation.override("id"):
        assert ">Makanan &amp; Minuman &gt; Kopi</option>" in str(ProductForm()["category"])


@pytest.mark.parametrize(
    "template",
    [
        "b2b/offer_list.html",
        "b2b/rfq_detail.html",
        "b2b/supplier_detail.html",
        "b2b/supplier_directory.html",
        "halal/product_queue.html",
        "marketplace/staff/curation_queue.html",
        "marketplace/staff/curation_rules.html",
    ],
)
def test_staff_and_trade_screens_show_the_category_in_the_active_language(template):
    """The B2B, halal and curation screens read the category's label (English where it has one), not its name."""
    from django.template.loader import get_template

    source = get_template(template).template.source
    assert "category.label" in source and "category.name" not in source
