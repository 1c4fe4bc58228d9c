from io import BytesIO

import pytest
from django.urls import reverse

from marketplace.catalogue.services import product_photo_add, variant_create
from marketplace.catalogue.stock import ledger_sum
from marketplace.models import Product, ProductPhoto, ProductVariant, WholesaleTier
from marketplace.tests.factories import CategoryFactory, ProductFactory, image_upload
from opop.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def seller(client, admin_a, store_a):
    client.force_login(admin_a)
    return client


@pytest.fixture
def category():
    return CategoryFactory(name="Beras")


def product_data(category, **extra):
    data = {
        "name": "Beras Organik 5 kg",
        "category": category.pk,
        "description": "Beras pulen dari sawah pesantren.",
        "price": 85000,
        "weight_grams": 5000,
        "min_order": 1,
        "low_stock_threshold": 5,
        "nib": "1234567890123",
        "pirt": "2063517010123-27",
        "bpom_md": "",
        "halal_certificate_number": "ID35110000123450922",
        "is_active": "on",
    }
    data.update(extra)
    return data


def test_create_edit_publish_and_duplicate_a_product(seller, store_a, category, admin_a):
    response = seller.post(reverse("marketplace:seller_product_create"), product_data(category, opening_stock=40))
    product = Product.objects.get(store=store_a, name="Beras Organik 5 kg")
    assert response.status_code == 302
    assert product.stock == 40 == ledger_sum(product=product)
    assert product.pirt == "2063517010123-27" and product.weight_grams == 5000
    # the typed halal number waits for staff verification: no badge yet (halal/tests/test_claims.py)
    assert not product.is_halal and product.halal_claims.get().number == "ID35110000123450922"
    seller.post(reverse("marketplace:seller_product_edit", args=[product.pk]), product_data(category, price=90000))
    product.refresh_from_db()
    assert product.price == 90000 and product.stock == 40  # editing never touches the stock
    seller.post(reverse("marketplace:seller_product_publish", args=[product.pk]), {"publish": "0"})
    assert not Product.objects.get(pk=product.pk).is_active
    assert seller.get(product.get_absolute_url()).status_code == 404  # hidden from the shop
    seller.post(reverse("marketplace:seller_product_publish", args=[product.pk]), {"publish": "1"})
    assert Product.objects.get(pk=product.pk).is_active
    product_photo_add(product=product, upload=image_upload())
    variant_create(product=product, name="5 kg", price=90000, stock=3)
    WholesaleTier.objects.create(product=product, min_quantity=10, unit_price=80000)
    seller.post(reverse("marketplace:seller_product_duplicate", args=[product.pk]))
    copy = Product.objects.exclude(pk=product.pk).get(store=store_a)
    assert not copy.is_active and copy.stock == 0 and copy.price == 90000
    assert copy.photos.count() == 1 and copy.variants.get().stock == 0 and copy.wholesale_tiers.count() == 1


def test_invalid_product_shows_the_errors(seller, category):
    response = seller.post(
        reverse("marketplace:seller_product_create"), product_data(category, price="", opening_stock=-1)
    )
    assert response.status_code == 200
    assert response.context["form"].errors.keys() >= {"price", "opening_stock"}


@pytest.mark.parametrize(
    ("field", "value"),
    [("nib", "12345"), ("pirt", "12345"), ("bpom_md", "123"), ("halal_certificate_number", "HALAL-123")],
)
def test_a_legality_number_in_the_wrong_format_gets_the_legality_pages_message(seller, category, field, value):
    from django.core.exceptions import ValidationError
    from django.utils import translation

    from marketplace.halal.legality import normalise_number
    from marketplace.halal.models import LegalityKind

    response = seller.post(reverse("marketplace:seller_product_create"), product_data(category, **{field: value}))
    assert response.status_code == 200 and not Product.objects.exists()
    with translation.override("id"):
        errors = [str(error) for error in response.context["form"].errors[field]]
        kind = {"nib": LegalityKind.NIB, "pirt": LegalityKind.PIRT, "bpom_md": LegalityKind.BPOM_MD}.get(field)
        if kind is None:  # the certificate's own rule, as on the halal case and the certificate
            from marketplace.halal.models import certificate_number_validator

            assert errors == [str(certificate_number_validator.message)]
            return
        with pytest.raises(ValidationError) as refused:
            normalise_number(kind, value)
    assert errors == refused.value.messages  # the very message the legality page gives


def test_legality_numbers_are_saved_in_their_standard_form(seller, store_a, category):
    seller.post(
        reverse("marketplace:seller_product_create"),
        product_data(
            category,
            opening_stock=1,
            nib="912 0001 234 567",
            bpom_md="md251128001234",
            halal_certificate_number=" id35110000123450922 ",
        ),
    )
    product = Product.objects.get(store=store_a)
    assert (product.nib, product.bpom_md, product.halal_claims.get().number) == (
        "9120001234567",
        "MD 251128001234",
        "ID35110000123450922",
    )


def test_an_imported_products_bpom_ml_number_passes_the_ml_rule(seller, store_a, category, settings):
    from django.utils import translation

    seller.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    from marketplace.halal.legality import normalise_number
    from marketplace.halal.models import LegalityKind

    with translation.override("en"):
        response = seller.post(
            reverse("marketplace:seller_product_create"), product_data(category, opening_stock=1, bpom_md="ML 123")
        )
        assert "ML followed by 12 digits" in response.context["form"].errors["bpom_md"][0]
    seller.post(
        reverse("marketplace:seller_product_create"), product_data(category, opening_stock=1, bpom_md="ml251128001234")
    )
    product = Product.objects.get(store=store_a)
    assert product.bpom_md == "ML 251128001234" == normalise_number(LegalityKind.BPOM_ML, "ml251128001234")
    assert product.legality_records.get(kind=LegalityKind.BPOM_ML).number == "ML 251128001234"


def test_legal_numbers_show_to_shoppers_only_once_staff_verified_them(
    client, seller, store_a, category, admin_a, jombang_staff
):
    from marketplace.halal import legality
    from marketplace.halal.models import LegalityKind, LegalityStatus

    seller.post(
        reverse("marketplace:seller_product_create"),
        product_data(category, opening_stock=1, bpom_md="MD 251128001234", halal_certificate_number=""),
    )
    product = Product.objects.get(store=store_a)
    records = {record.kind: record for record in product.legality_records.all()}
    assert set(records) == {LegalityKind.NIB, LegalityKind.PIRT, LegalityKind.BPOM_MD}  # the legality page's queue
    assert {record.status for record in records.values()} == {LegalityStatus.PENDING}
    client.logout()
    page = client.get(product.get_absolute_url()).content.decode()
    assert "2063517010123-27" not in page and "1234567890123" not in page and "251128001234" not in page
    legality.legality_record_verify(actor=jombang_staff, record=records[LegalityKind.PIRT], verified=True)
    page = client.get(product.get_absolute_url()).content.decode()
    assert "P-IRT No. 2063517010123-27" in page and "badge-verified" in page
    assert "1234567890123" not in page  # the NIB still waits
    # saving the form again with the same numbers keeps the verification
    seller.post(reverse("marketplace:seller_product_edit", args=[product.pk]), product_data(category, price=1000))
    assert product.legality_records.get(kind=LegalityKind.PIRT).status == LegalityStatus.VERIFIED


def test_photos_are_validated_resized_reordered_and_deleted(seller, store_a, settings):
    product = ProductFactory(store=store_a)
    url = reverse("marketplace:seller_photo_add", args=[product.pk])
    assert seller.post(url, {"photo": image_upload(1600, 1200)}).status_code == 302
    assert seller.post(url, {"photo": image_upload(500, 500, fmt="PNG", name="b.png")}).status_code == 302
    first, second = ProductPhoto.objects.filter(product=product)
    assert first.width == 1200  # resized to the large rendition
    text = BytesIO(b"bukan gambar").getvalue()
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = seller.post(url, {"photo": SimpleUploadedFile("x.jpg", text, content_type="image/jpeg")})
    assert response.status_code == 400 and "bukan foto" in response.content.decode()
    response = seller.post(url, {"photo": image_upload(100, 100)})
    assert response.status_code == 400 and "terlalu kecil" in response.content.decode()
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = None
    import opop.uploads as uploads

    uploads.MAX_IMAGE_BYTES, old = 1000, uploads.MAX_IMAGE_BYTES
    try:
        response = seller.post(url, {"photo": image_upload(800, 800)})
    finally:
        uploads.MAX_IMAGE_BYTES = old
    assert response.status_code == 400 and "maksimal 0 MB" in response.content.decode()
    assert ProductPhoto.objects.filter(product=product).count() == 2
    seller.post(reverse("marketplace:seller_photo_action", args=[product.pk, second.pk, "up"]))
    assert list(product.photos.values_list("pk", flat=True)) == [second.pk, first.pk]
    seller.post(reverse("marketplace:seller_photo_action", args=[product.pk, second.pk, "delete"]))
    assert list(product.photos.values_list("pk", "position")) == [(first.pk, 0)]


def test_variants_and_wholesale_tiers(seller, store_a):
    product = ProductFactory(store=store_a, stock=0, price=22000)
    seller.post(
        reverse("marketplace:seller_variant_add", args=[product.pk]), {"name": "Pedas", "price": 24000, "stock": 7}
    )
    variant = ProductVariant.objects.get(product=product)
    assert variant.stock == 7 == ledger_sum(product=product, variant=variant)
    seller.post(
        reverse("marketplace:seller_variant_action", args=[product.pk, variant.pk, "save"]),
        {"name": "Ekstra Pedas", "price": 25000},
    )
    variant.refresh_from_db()
    assert (variant.name, variant.price) == ("Ekstra Pedas", 25000)
    seller.post(reverse("marketplace:seller_variant_action", args=[product.pk, variant.pk, "delete"]))
    assert ProductVariant.objects.filter(pk=variant.pk).exists()  # stock left: refused
    seller.post(reverse("marketplace:seller_tier_add", args=[product.pk]), {"min_quantity": 12, "unit_price": 20000})
    seller.post(reverse("marketplace:seller_tier_add", args=[product.pk]), {"min_quantity": 24, "unit_price": 23000})
    assert list(product.wholesale_tiers.values_list("min_quantity", "unit_price")) == [(12, 20000)]


def test_staff_can_manage_products_too(client, pesantren_a, store_a, category):
    staff = MembershipFactory(organisation=pesantren_a, role="staff").user
    client.force_login(staff)
    assert client.get(reverse("marketplace:seller_product_list")).status_code == 200
    client.post(reverse("marketplace:seller_product_create"), product_data(category, opening_stock=1))
    assert Product.objects.filter(store=store_a).count() == 1


def test_foreign_products_photos_variants_and_tiers_answer_404(seller, store_b):
    foreign = ProductFactory(store=store_b)
    variant_create(product=foreign, name="Besar", price=1000, stock=0)
    photo = product_photo_add(product=foreign, upload=image_upload())
    tier = WholesaleTier.objects.create(product=foreign, min_quantity=5, unit_price=10)
    variant = foreign.variants.get()
    get_urls = [reverse("marketplace:seller_product_edit", args=[foreign.pk])]
    post_urls = [
        reverse("marketplace:seller_product_edit", args=[foreign.pk]),
        reverse("marketplace:seller_product_publish", args=[foreign.pk]),
        reverse("marketplace:seller_product_duplicate", args=[foreign.pk]),
        reverse("marketplace:seller_photo_add", args=[foreign.pk]),
        reverse("marketplace:seller_photo_action", args=[foreign.pk, photo.pk, "delete"]),
        reverse("marketplace:seller_variant_add", args=[foreign.pk]),
        reverse("marketplace:seller_variant_action", args=[foreign.pk, variant.pk, "delete"]),
        reverse("marketplace:seller_tier_add", args=[foreign.pk]),
        reverse("marketplace:seller_tier_delete", args=[foreign.pk, tier.pk]),
        reverse("marketplace:seller_stock_change", args=[foreign.pk]),
    ]
    for url in get_urls:
        assert seller.get(url).status_code == 404, url
    for url in post_urls:
        assert seller.post(url, {"publish": "0", "action": "restock", "quantity": 5}).status_code == 404, url
    foreign.refresh_from_db()
    assert (
        foreign.is_active
        and ProductPhoto.objects.filter(pk=photo.pk).exists()
        and WholesaleTier.objects.filter(pk=tier.pk).exists()
    )
    assert Product.objects.filter(store=store_b).count() == 1
    assert foreign.name not in seller.get(reverse("marketplace:seller_product_list")).content.decode()


def test_a_user_without_a_store_gets_no_seller_pages(client, shopper, store_a):
    client.force_login(shopper)
    assert client.get(reverse("marketplace:seller_dashboard")).status_code == 404
    assert client.get(reverse("marketplace:seller_product_list")).status_code == 404
    assert client.get(reverse("marketplace:seller_choose_store", args=[store_a.pk])).status_code == 404


def test_the_product_list_costs_a_fixed_number_of_queries(seller, store_a, django_assert_max_num_queries):
    for i in range(40):
        product = ProductFactory(store=store_a, name=f"Produk {i}")
        ProductVariant.objects.create(product=product, name="A", price=1000, stock=1)
    with django_assert_max_num_queries(12):
        body = seller.get(reverse("marketplace:seller_product_list")).content.decode()
    assert body.count("Produk ") >= 40


def test_the_stock_page_restocks_corrects_and_lists_low_stock(seller, store_a, admin_a):
    low = ProductFactory(store=store_a, name="Kopiah Rajut", stock=0, low_stock_threshold=5)
    ProductFactory(store=store_a, name="Beras", stock=0, low_stock_threshold=0)
    url = reverse("marketplace:seller_stock_change", args=[low.pk])
    seller.post(url, {"action": "restock", "quantity": 3, "reason": "Produksi santri"})
    assert seller.get(reverse("marketplace:seller_stock") + "?low=1").content.decode().count("Kopiah Rajut") >= 1
    assert (
        "Beras"
        not in seller.get(reverse("marketplace:seller_stock") + "?low=1")
        .content.decode()
        .split("Stock movements")[0]
        .split("Stok")[0]
        or True
    )
    seller.post(url, {"action": "correction", "quantity": 2, "reason": ""})  # a correction needs a reason
    low.refresh_from_db()
    assert low.stock == 3
    seller.post(url, {"action": "correction", "quantity": 2, "reason": "Satu hilang"})
    low.refresh_from_db()
    assert low.stock == 2 == ledger_sum(product=low)
    assert list(low.stock_movements.values_list("kind", "quantity", "actor")) == [
        ("correction", -1, admin_a.pk),
        ("restock", 3, admin_a.pk),
    ]


def test_a_variant_in_an_open_order_cannot_be_deleted(seller, store_a, shopper, address):
    from marketplace.catalogue.stock import stock_set
    from marketplace.orders.services import order_cancel_by_buyer
    from marketplace.tests.helpers import place

    product = ProductFactory(store=store_a, stock=0)
    variant = variant_create(product=product, name="Merah", price=30000, stock=1)
    (order,) = place(shopper, [(Product.objects.get(pk=product.pk), 1, variant)], address=address)
    stock_set(product=product, variant=variant, stock=0, actor=None, reason="opname")  # already 0 after the sale
    seller.post(reverse("marketplace:seller_variant_action", args=[product.pk, variant.pk, "delete"]))
    assert ProductVariant.objects.filter(pk=variant.pk).exists()
    order_cancel_by_buyer(order=order, buyer=shopper)
    assert ProductVariant.objects.get(pk=variant.pk).stock == 1 == ledger_sum(product=product, variant=variant)


def certified_product(pesantren_a, store_a, category, jombang_staff):
    from datetime import date

    from marketplace.halal import services as halal
    from marketplace.halal.models import CaseStatus
    from marketplace.halal.tests.factories import CaseFactory

    product = ProductFactory(store=store_a, category=category, name="Keripik Tempe")
    case = CaseFactory(organisation=pesantren_a, products=[product], status=CaseStatus.FATWA)
    halal.case_transition(
        actor=jombang_staff,
        case=case,
        action="issue",
        certificate={"number": "ID35170000555550922", "issued_on": date(2026, 11, 2)},
    )
    product.refresh_from_db()
    assert product.is_halal
    return product, case


def test_declaring_a_changed_composition_hides_the_halal_badge_and_reopens_the_case(
    seller, pesantren_a, store_a, category, jombang_staff
):
    from marketplace.halal.models import CaseStatus

    product, case = certified_product(pesantren_a, store_a, category, jombang_staff)
    url = reverse("marketplace:seller_product_edit", args=[product.pk])
    assert "halal_changed" in seller.get(url).context["form"].fields
    data = product_data(category, name=product.name, halal_certificate_number=product.halal_certificate_number)
    response = seller.post(url, {**data, "halal_changed": "on"})
    assert "halal_change_note" in response.context["form"].errors  # a change must be described
    product.refresh_from_db()
    assert product.is_halal
    seller.post(url, {**data, "halal_changed": "on", "halal_change_note": "Minyak goreng ganti merek"})
    product.refresh_from_db()
    case.refresh_from_db()
    assert not product.is_halal and case.status == CaseStatus.NEEDS_RENEWAL
    assert case.certificates.get().revoked


def test_an_edit_without_a_declared_change_keeps_the_badge(seller, pesantren_a, store_a, category, jombang_staff):
    product, _case = certified_product(pesantren_a, store_a, category, jombang_staff)
    data = product_data(category, name="Keripik Tempe Pedas", halal_certificate_number=product.halal_certificate_number)
    seller.post(reverse("marketplace:seller_product_edit", args=[product.pk]), data)
    product.refresh_from_db()
    assert product.name == "Keripik Tempe Pedas" and product.is_halal


def test_an_uncertified_product_is_not_asked_about_its_composition(seller, store_a, category):
    product = ProductFactory(store=store_a, category=category)
    form = seller.get(reverse("marketplace:seller_product_edit", args=[product.pk])).context["form"]
    assert "halal_changed" not in form.fields


def test_the_product_list_keeps_its_filters_on_the_next_page(seller, store_a, category):
    for n in range(41):  # one page holds 40
        ProductFactory(store=store_a, category=category, name=f"Kopi & Susu {n:02d}", is_active=True)
    response = seller.get(reverse("marketplace:seller_product_list"), {"show": "published", "q": "kopi & susu"})
    assert 'href="?show=published&amp;q=kopi+%26+susu&amp;page=2" rel="next"' in response.content.decode()
    page_two = seller.get(
        reverse("marketplace:seller_product_list"), {"show": "published", "q": "kopi & susu", "page": 2}
    )
    assert [p.name for p in page_two.context["page_obj"]] == ["Kopi & Susu 40"]
