"""The case form and the legality form offer a big store's products by search (at most 50 listed), yet accept
any of the business's own products and refuse a foreign one with a message."""

import pytest
from django.urls import reverse

from marketplace.halal.forms import SHOWN_PRODUCTS
from marketplace.halal.models import HalalCase, LegalityRecord
from marketplace.halal.tests.factories import CaseFactory
from marketplace.tests.factories import ProductFactory

pytestmark = pytest.mark.django_db

CREATE = reverse("halal:case_create")
LEGALITY = reverse("halal:legality_list")


@pytest.fixture
def big_store(product_a, food):
    return [ProductFactory(store=product_a.store, category=food, name=f"Produk {n:03d}") for n in range(70)]


def offered(response, field):
    return {choice.data["label"] for choice in response.context["form"][field] if choice.data["value"]}


def case_data(pesantren_a, products):
    return {
        "organisation": pesantren_a.pk,
        "scheme": "self_declare",
        "products": [product.pk for product in products],
        "annual_turnover": 150_000_000,
        "production_sites": 1,
        "sells_goods": "on",
    }


def test_the_case_form_lists_fifty_products_and_finds_the_others_by_search(
    client, admin_a, big_store, django_assert_max_num_queries
):
    client.force_login(admin_a)
    with django_assert_max_num_queries(14):
        response = client.get(CREATE)
    assert len(offered(response, "products")) == SHOWN_PRODUCTS
    assert response.context["form"]["products"].field.more
    assert offered(client.get(CREATE, {"q": "produk 069"}), "products") == {"Produk 069"}


def test_a_product_not_listed_is_still_accepted_and_a_foreign_one_refused(
    client, admin_a, pesantren_a, big_store, product_b
):
    client.force_login(admin_a)
    last = big_store[-1]  # beyond the first 50: not listed without a search
    response = client.post(CREATE, case_data(pesantren_a, [last]))
    case = HalalCase.objects.get()
    assert response.status_code == 302 and list(case.products.all()) == [last]

    refused = client.post(CREATE, case_data(pesantren_a, [product_b]))
    assert refused.status_code == 200 and HalalCase.objects.count() == 1
    (error,) = refused.context["form"].errors.as_data()["products"]
    assert error.code == "invalid_choice" and str(product_b.pk) in " ".join(error.messages)


def test_searching_inside_the_case_form_keeps_what_was_typed_and_ticked_and_saves_nothing(
    client, admin_a, pesantren_a, big_store
):
    client.force_login(admin_a)
    ticked = big_store[0]  # among the first fifty, not among the search's results
    data = {**case_data(pesantren_a, [ticked]), "annual_turnover": 123_456_789, "q": "produk 069", "search": "1"}
    response = client.post(CREATE, data)
    assert response.status_code == 200 and not HalalCase.objects.exists()
    form = response.context["form"]
    assert not form.is_bound and not form.errors  # shown again, not judged
    assert offered(response, "products") == {"Produk 069", ticked.name}
    assert [choice.data["label"] for choice in form["products"] if choice.data["selected"]] == [ticked.name]
    assert form["annual_turnover"].value() == "123456789" and form["scheme"].value() == "self_declare"
    assert 'name="q" value="produk 069"' in response.content.decode()
    # then Save, with a product the search found: both are kept
    found = next(product for product in big_store if product.name == "Produk 069")
    saved = client.post(CREATE, {**case_data(pesantren_a, [ticked, found]), "q": "produk 069"})
    assert saved.status_code == 302 and set(HalalCase.objects.get().products.all()) == {ticked, found}


def test_searching_while_editing_a_case_keeps_the_unsaved_ticks(client, admin_a, pesantren_a, big_store):
    case = CaseFactory(organisation=pesantren_a, products=[big_store[-1]], created_by=admin_a)
    client.force_login(admin_a)
    data = {**case_data(pesantren_a, [big_store[1]]), "q": "produk 069", "search": "1"}
    data.pop("organisation")
    form = client.post(reverse("halal:case_edit", args=[case.pk]), data).context["form"]
    assert [choice.data["label"] for choice in form["products"] if choice.data["selected"]] == [big_store[1].name]
    assert list(case.products.all()) == [big_store[-1]]  # nothing saved


def test_editing_a_case_keeps_its_products_ticked_though_not_among_the_first_fifty(
    client, admin_a, pesantren_a, big_store
):
    case = CaseFactory(organisation=pesantren_a, products=[big_store[-1]], created_by=admin_a)
    client.force_login(admin_a)
    form = client.get(reverse("halal:case_edit", args=[case.pk])).context["form"]
    ticked = [choice.data["label"] for choice in form["products"] if choice.data["selected"]]
    assert ticked == [big_store[-1].name]


def test_the_legality_form_offers_fifty_accepts_any_own_and_refuses_a_foreign_product(
    client, admin_a, big_store, product_b, django_assert_max_num_queries
):
    client.force_login(admin_a)
    with django_assert_max_num_queries(14):
        response = client.get(LEGALITY)
    assert len(offered(response, "product")) == SHOWN_PRODUCTS
    assert offered(client.get(LEGALITY, {"q": "produk 069"}), "product") == {"Produk 069"}

    submit = reverse("halal:legality_submit")
    client.post(submit, {"product": big_store[-1].pk, "kind": "nib", "number": "9120001234561"})
    assert LegalityRecord.objects.filter(product=big_store[-1]).exists()
    response = client.post(
        reverse("halal:legality_submit"), {"product": product_b.pk, "kind": "nib", "number": "9120001234567"}
    )
    assert not LegalityRecord.objects.filter(product=product_b).exists()
    (error,) = response.context["form"].errors.as_data()["product"]
    assert error.code == "invalid_choice"  # shown on the form again, with the number typed
    assert response.context["form"]["number"].value() == "9120001234567"


def test_searching_inside_the_legality_form_keeps_the_kind_and_number_typed(client, admin_a, big_store):
    client.force_login(admin_a)
    data = {"product": big_store[0].pk, "kind": "pirt", "number": "2063517010123-29", "q": "produk 069", "search": "1"}
    response = client.post(reverse("halal:legality_submit"), data)
    assert response.status_code == 200 and not LegalityRecord.objects.exists()
    form = response.context["form"]
    assert not form.is_bound and form["kind"].value() == "pirt" and form["number"].value() == "2063517010123-29"
    assert offered(response, "product") == {"Produk 069", big_store[0].name}
    assert str(form["product"].value()) == str(big_store[0].pk)
