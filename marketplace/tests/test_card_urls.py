"""Cards build their links from a pattern resolved once (models/catalogue.slug_url): the same URL as reverse(),
under any script prefix."""

from django.urls import reverse, set_script_prefix

from marketplace.models import Category, Product, Store


def test_card_links_are_what_reverse_gives_under_any_script_prefix():
    try:
        for prefix in ("/", "/portal/"):
            set_script_prefix(prefix)
            for model, name in ((Product, "product"), (Store, "store"), (Category, "category")):
                obj = model(slug="kopi-robusta-2")
                assert obj.get_absolute_url() == reverse(f"marketplace:{name}", kwargs={"slug": "kopi-robusta-2"})
            assert Product(slug="teh").get_absolute_url().startswith(prefix)
    finally:
        set_script_prefix("/")
