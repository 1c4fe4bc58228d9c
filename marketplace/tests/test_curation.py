"""Listing curation: the policy, what waits for review, what shoppers see meanwhile, and who decides."""

from datetime import date, timedelta

import pytest
from django.core import mail
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from marketplace.cart.services import cart_set
from marketplace.catalogue import curation
from marketplace.catalogue.services import product_create, product_photo_add
from marketplace.models import CurationRule, ListingStatus, Product, ProductPhoto, ProductRevision, RevisionPhoto
from marketplace.seller.services import product_update
from marketplace.tests.factories import CategoryFactory, ProductFactory, StoreFactory, image_upload, santri_org
from opop.models import AuditEvent, Membership
from opop.services import DomainError
from opop.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def food():
    """The seeded policy names the category by slug (migration 0012); the category comes later, as in the demo."""
    return CategoryFactory(name="Makanan & Minuman", slug="makanan-minuman")


@pytest.fixture
def kopi(food):
    return CategoryFactory(name="Kopi", slug="kopi", parent=food)


@pytest.fixture
def crafts():
    return CategoryFactory(name="Kerajinan", slug="kerajinan")


def _create(store, category, name="Kopi Robusta Santri", actor=None, **fields):
    return product_create(store=store, category=category, name=name, price=25000, stock=10, actor=actor, **fields)


def _pending(product) -> ProductRevision:
    return ProductRevision.objects.get(product=product, status=ProductRevision.Status.PENDING)


@pytest.fixture
def listed(store_a, kopi, admin_a, province_staff):
    """An approved product in a curated category, with one photo."""
    product = _create(store_a, kopi, actor=admin_a, pirt="2063517010123-27")
    product_photo_add(product=product, upload=image_upload())
    curation.listing_approve(revision=_pending(product), actor=province_staff)
    product.refresh_from_db()
    return product


def form_data(product, **overrides):
    data = {
        "name": product.name,
        "category": product.category_id,
        "description": product.description,
        "price": product.price,
        "weight_grams": product.weight_grams,
        "min_order": product.min_order,
        "low_stock_threshold": product.low_stock_threshold,
        "nib": product.nib,
        "pirt": product.pirt,
        "bpom_md": product.bpom_md,
        "halal_certificate_number": product.halal_certificate_number,
        "is_active": "on",
    }
    data.update(overrides)
    return data


# --- policy ----------------------------------------------------------------------------------------


def test_the_seeded_policy_curates_food_herbal_and_cosmetics_and_subcategories_inherit(food, kopi, crafts):
    herbal = CategoryFactory(name="Herbal & Kesehatan", slug="herbal-kesehatan")
    cosmetics = CategoryFactory(name="Kosmetik", slug="kosmetik")
    assert CurationRule.objects.filter(effective_from__lt=timezone.localdate()).count() == 3
    for category in (food, kopi, herbal, cosmetics):
        assert curation.requires_curation(category=category), category
    assert not curation.requires_curation(category=crafts)


def test_a_rule_holds_between_its_dates_and_the_latest_start_wins(kopi, crafts, food):
    today = timezone.localdate()
    CurationRule.objects.create(
        category_slug="kerajinan", effective_from=today + timedelta(days=10), requires_curation=True
    )
    assert not curation.requires_curation(category=crafts)
    assert curation.requires_curation(category=crafts, on=today + timedelta(days=10))
    # Food stops being curated after a date; a subcategory's own rule beats its parent's.
    CurationRule.objects.create(
        category_slug="makanan-minuman", effective_from=today - timedelta(days=5), effective_until=today
    )
    assert curation.requires_curation(category=kopi, on=today)
    CurationRule.objects.filter(category_slug="makanan-minuman", effective_until=today).update(requires_curation=False)
    assert not curation.requires_curation(category=kopi, on=today)
    assert curation.requires_curation(category=kopi, on=today + timedelta(days=1))  # back to the 2026 rule
    assert curation.requires_curation(category=kopi, on=date(2026, 1, 1))
    assert not curation.requires_curation(category=kopi, on=date(2025, 12, 31))  # before any rule
    CurationRule.objects.create(category_slug="kopi", effective_from=date(2026, 6, 1), requires_curation=False)
    assert not curation.requires_curation(category=kopi, on=date(2026, 7, 1))
    assert curation.requires_curation(category=food, on=date(2026, 7, 1))


def test_province_staff_edit_the_policy_region_staff_and_sellers_may_not(
    client, province_staff, jombang_staff, admin_a, crafts
):
    url = reverse("marketplace:curation_rules")
    client.force_login(province_staff)
    assert client.get(url).status_code == 200
    response = client.post(
        url, {"category_slug": "kerajinan", "requires_curation": "on", "effective_from": "2026-12-01", "note": "x"}
    )
    assert response.status_code == 302
    rule = CurationRule.objects.get(category_slug="kerajinan")
    assert curation.requires_curation(category=crafts)
    assert AuditEvent.objects.filter(action="marketplace.curation_rule.saved", target_id=str(rule.pk)).exists()
    edit = reverse("marketplace:curation_rule_edit", args=[rule.pk])
    assert client.get(edit).status_code == 200
    client.post(edit, {"category_slug": "kerajinan", "effective_from": "2026-12-01"})
    rule.refresh_from_db()
    assert rule.requires_curation is False
    for user in (jombang_staff, admin_a):
        client.force_login(user)
        assert client.get(url).status_code == 403
        assert client.post(edit, {"category_slug": "kerajinan", "effective_from": "2026-12-01"}).status_code == 403
    with pytest.raises(DomainError):
        curation.curation_rule_save(
            actor=jombang_staff, category_slug="kerajinan", requires_curation=True, effective_from=date(2026, 1, 1)
        )


# --- new products ----------------------------------------------------------------------------------


def test_a_new_product_in_a_curated_category_waits_and_elsewhere_is_public_at_once(store_a, kopi, crafts, admin_a):
    waiting = _create(store_a, kopi, actor=admin_a)
    assert waiting.listing_status == ListingStatus.PENDING
    assert _pending(waiting).kind == ProductRevision.Kind.NEW and _pending(waiting).submitted_by == admin_a
    public = _create(store_a, crafts, name="Tas Anyaman", actor=admin_a)
    assert public.listing_status == ListingStatus.APPROVED and not public.revisions.exists()
    assert set(Product.objects.visible()) == {public}


def test_a_product_made_in_the_seller_centre_goes_through_curation(client, store_a, kopi, admin_a):
    client.force_login(admin_a)
    data = form_data(ProductFactory.build(category=kopi), opening_stock=5, name="Kopi Bubuk Santri")
    response = client.post(reverse("marketplace:seller_product_create"), data)
    assert response.status_code == 302
    product = Product.objects.get(name="Kopi Bubuk Santri")
    assert product.listing_status == ListingStatus.PENDING and product.stock == 5
    page = client.get(reverse("marketplace:seller_product_edit", args=[product.pk]))
    assert page.status_code == 200 and b'id="review"' in page.content


def test_a_duplicate_of_an_approved_curated_product_is_reviewed_afresh(client, listed, admin_a):
    client.force_login(admin_a)
    client.post(reverse("marketplace:seller_product_duplicate", args=[listed.pk]))
    copy = Product.objects.exclude(pk=listed.pk).get()
    assert copy.listing_status == ListingStatus.PENDING and _pending(copy).kind == ProductRevision.Kind.NEW


def test_a_pending_product_is_nowhere_public(client, store_a, kopi, admin_a, shopper, settings):
    settings.CATALOGUE_FRAGMENT_CACHE = True
    product = _create(store_a, kopi, name="Kopi Luwak Santri", actor=admin_a)
    for url in (
        reverse("marketplace:home"),
        reverse("marketplace:search") + "?q=luwak",
        reverse("marketplace:search"),
        reverse("marketplace:category", args=["makanan-minuman"]),
        reverse("marketplace:category", args=["kopi"]),
        store_a.get_absolute_url(),
        reverse("marketplace:sitemap_section", args=["products"]),
    ):
        response = client.get(url)
        assert response.status_code == 200 and product.slug.encode() not in response.content, url
    assert client.get(product.get_absolute_url()).status_code == 404
    client.force_login(shopper)
    assert client.post(reverse("marketplace:cart_add", args=[product.slug]), {"quantity": 1}).status_code == 404
    with pytest.raises(DomainError):
        cart_set(user=shopper, session={}, product=product, variant=None, quantity=1)
    # A product that was in a cart before it went back to review (here: forced) drops out of cart and checkout.
    Product.objects.filter(pk=product.pk).update(listing_status=ListingStatus.APPROVED)
    product.refresh_from_db()
    cart_set(user=shopper, session={}, product=product, variant=None, quantity=1)
    Product.objects.filter(pk=product.pk).update(listing_status=ListingStatus.REJECTED)
    assert client.get(reverse("marketplace:cart")).context["groups"] == []


def test_approval_makes_it_public_even_on_cached_pages(
    client, store_a, kopi, admin_a, province_staff, settings, django_capture_on_commit_callbacks
):
    settings.CATALOGUE_FRAGMENT_CACHE = True
    cache.clear()
    product = _create(store_a, kopi, name="Kopi Luwak Santri", actor=admin_a)
    urls = [reverse("marketplace:search") + "?q=luwak", reverse("marketplace:category", args=["kopi"])]
    for url in urls:
        assert product.slug.encode() not in client.get(url).content
    assert client.get(product.get_absolute_url()).status_code == 404
    with django_capture_on_commit_callbacks(execute=True):  # the generation is bumped after the commit
        curation.listing_approve(revision=_pending(product), actor=province_staff)
    for url in urls:
        assert product.slug.encode() in client.get(url).content, url
    assert client.get(product.get_absolute_url()).status_code == 200


# --- edits after approval --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "change",
    [{"name": "Kopi Robusta Premium"}, {"description": "Kini dengan gula aren."}, {"pirt": "2063517010999-30"}],
)
def test_an_edit_shoppers_rely_on_waits_while_the_approved_version_stays_public(client, listed, admin_a, change):
    client.force_login(admin_a)
    response = client.post(
        reverse("marketplace:seller_product_edit", args=[listed.pk]), form_data(listed, price=30000, **change)
    )
    assert response.status_code == 302
    fresh = Product.objects.get(pk=listed.pk)
    field, value = next(iter(change.items()))
    assert getattr(fresh, field) == getattr(listed, field)  # shoppers still see the approved value
    assert fresh.price == 30000  # the price is live at once
    assert fresh.listing_status == ListingStatus.APPROVED
    assert _pending(fresh).changes == {field: value} and _pending(fresh).kind == ProductRevision.Kind.EDIT
    public = client.get(listed.get_absolute_url())
    assert public.status_code == 200 and public.context["product"].name == listed.name
    # The seller sees what waits, and the form shows the proposed value.
    page = client.get(reverse("marketplace:seller_product_edit", args=[listed.pk]))
    assert page.context["review"].status == "pending" and page.context["review_changes"][0]["field"] == field
    assert page.context["form"][field].value() == value
    listing = client.get(reverse("marketplace:seller_product_list"))
    assert listing.context["page_obj"].object_list[0].reviews_shown[0].status == "pending"


def test_price_stock_and_weight_edits_never_go_to_review(listed, admin_a):
    from marketplace.catalogue.stock import stock_restock

    product_update(product=listed, actor=admin_a, price=99000, weight_grams=400, min_order=2, is_active=True)
    stock_restock(product=listed, quantity=5, actor=admin_a, reason="restock")
    listed.refresh_from_db()
    assert (listed.price, listed.weight_grams, listed.stock) == (99000, 400, 15)
    assert not ProductRevision.objects.filter(product=listed, status="pending").exists()


def test_a_new_photo_is_held_until_the_changes_are_approved(client, listed, admin_a, province_staff):
    client.force_login(admin_a)
    client.post(reverse("marketplace:seller_photo_add", args=[listed.pk]), {"photo": image_upload()})
    assert listed.photos.count() == 1 and RevisionPhoto.objects.filter(revision__product=listed).count() == 1
    assert len(client.get(listed.get_absolute_url()).context["product"].photos.all()) == 1
    curation.listing_approve(revision=_pending(listed), actor=province_staff)
    assert listed.photos.count() == 2
    assert (
        ProductPhoto.objects.filter(product=listed)
        .order_by("position")
        .last()
        .large.name.startswith("marketplace/products/review/")
    )


def test_the_seller_takes_back_a_held_photo_and_the_empty_review_is_withdrawn(client, listed, admin_a, admin_b):
    photo = curation.listing_photo_add(product=listed, upload=image_upload(), actor=admin_a)
    url = reverse("marketplace:seller_held_photo_delete", args=[listed.pk, photo.pk])
    client.force_login(admin_b)  # another store's seller: not theirs
    assert client.post(url).status_code == 404
    client.force_login(admin_a)
    assert client.post(url).status_code == 302
    assert not RevisionPhoto.objects.exists()
    assert ProductRevision.objects.filter(product=listed, status="withdrawn").exists()


def test_editing_the_value_back_withdraws_the_review(listed, admin_a):
    product_update(product=listed, actor=admin_a, name="Nama Baru")
    assert _pending(listed).changes == {"name": "Nama Baru"}
    product_update(product=listed, actor=admin_a, price=26000)  # another edit keeps what waits
    assert _pending(listed).changes == {"name": "Nama Baru"}
    product_update(product=listed, actor=admin_a, name=listed.name)
    assert not ProductRevision.objects.filter(product=listed, status="pending").exists()


def test_moving_into_a_curated_category_is_reviewed(store_a, crafts, kopi, admin_a):
    product = _create(store_a, crafts, name="Gelas Bambu", actor=admin_a)
    product_update(product=product, actor=admin_a, category=kopi)
    product.refresh_from_db()
    assert product.category == crafts and _pending(product).changes == {"category": kopi.pk}


def test_approving_applies_the_changes_and_rejecting_keeps_the_approved_version(
    client, listed, admin_a, province_staff, django_capture_on_commit_callbacks
):
    product_update(product=listed, actor=admin_a, name="Kopi Robusta Premium", description="Baru")
    with django_capture_on_commit_callbacks(execute=True):
        curation.listing_approve(revision=_pending(listed), actor=province_staff)
    listed.refresh_from_db()
    assert (listed.name, listed.description) == ("Kopi Robusta Premium", "Baru")
    revision = listed.revisions.filter(status="approved", kind="edit").get()
    assert revision.previous["name"] == "Kopi Robusta Santri"
    assert mail.outbox[-1].to == [admin_a.email] and "Kopi Robusta Premium" in mail.outbox[-1].subject

    product_update(product=listed, actor=admin_a, name="Kopi Terenak Sedunia")
    with django_capture_on_commit_callbacks(execute=True):
        curation.listing_reject(revision=_pending(listed), actor=province_staff, reason="Klaim berlebihan.")
    listed.refresh_from_db()
    assert listed.name == "Kopi Robusta Premium" and listed.listing_status == ListingStatus.APPROVED
    assert "Klaim berlebihan." in mail.outbox[-1].body
    client.force_login(admin_a)
    page = client.get(reverse("marketplace:seller_product_edit", args=[listed.pk]))
    assert page.context["review"].status == "rejected" and "Klaim berlebihan." in page.content.decode()
    assert "Klaim berlebihan." in client.get(reverse("marketplace:seller_product_list")).content.decode()
    assert client.get(listed.get_absolute_url()).context["product"].name == "Kopi Robusta Premium"


def test_a_rejected_new_product_shows_the_reason_and_goes_back_to_review_when_saved(
    client, store_a, kopi, admin_a, province_staff
):
    product = _create(store_a, kopi, actor=admin_a)
    with pytest.raises(DomainError):
        curation.listing_reject(revision=_pending(product), actor=province_staff, reason="  ")
    curation.listing_reject(revision=_pending(product), actor=province_staff, reason="Nomor P-IRT belum ada.")
    product.refresh_from_db()
    assert product.listing_status == ListingStatus.REJECTED and product.listing_reason == "Nomor P-IRT belum ada."
    client.force_login(admin_a)
    assert "Nomor P-IRT belum ada." in client.get(reverse("marketplace:seller_product_list")).content.decode()
    client.post(
        reverse("marketplace:seller_product_edit", args=[product.pk]), form_data(product, pirt="2063517010123-27")
    )
    product.refresh_from_db()
    assert product.listing_status == ListingStatus.PENDING and product.pirt == "2063517010123-27"
    assert _pending(product).kind == ProductRevision.Kind.NEW


# --- who decides -----------------------------------------------------------------------------------


@pytest.fixture
def santri_store(pesantren_b):
    """A santri business supervised by PP Sidogiri (pesantren_b, whose admin is admin_b)."""
    business = santri_org(name="Kopi Santri Bululawang", kabupaten_kota_id="35.07", parent=pesantren_b)
    MembershipFactory(organisation=business, role="owner", user__email="santri@opop.test")
    return StoreFactory(organisation=business, name="Kopi Santri")


def _approve_post(client, revision):
    return client.post(reverse("marketplace:curation_approve", args=[revision.pk]))


def test_diskop_staff_decide_within_their_region(client, store_a, store_b, kopi, jombang_staff, province_staff):
    jombang = _pending(_create(store_a, kopi, name="Kopi Jombang"))  # store_a is in Jombang (35.17)
    pasuruan = _pending(_create(store_b, kopi, name="Kopi Pasuruan"))  # store_b is in Pasuruan (35.14)
    client.force_login(jombang_staff)
    queue = client.get(reverse("marketplace:curation_queue"))
    assert [r.pk for r in queue.context["page_obj"].object_list] == [jombang.pk]
    assert _approve_post(client, pasuruan).status_code == 404
    assert _approve_post(client, jombang).status_code == 302
    client.force_login(province_staff)
    assert [r.pk for r in client.get(reverse("marketplace:curation_queue")).context["page_obj"].object_list] == [
        pasuruan.pk
    ]
    client.post(reverse("marketplace:curation_reject", args=[pasuruan.pk]), {"reason": ""})
    assert ProductRevision.objects.get(pk=pasuruan.pk).status == "pending"  # a reason is required
    client.post(reverse("marketplace:curation_reject", args=[pasuruan.pk]), {"reason": "Foto buram."})
    assert Product.objects.get(name="Kopi Pasuruan").listing_reason == "Foto buram."


def test_a_santri_store_is_decided_by_its_supervising_pesantren_not_by_diskop(
    client, santri_store, kopi, admin_b, admin_a, province_staff
):
    revision = _pending(_create(santri_store, kopi))
    client.force_login(province_staff)
    assert client.get(reverse("marketplace:curation_queue")).context["page_obj"].object_list == []
    assert _approve_post(client, revision).status_code == 404
    client.force_login(admin_a)  # another pesantren's admin
    assert client.get(reverse("marketplace:curation_queue")).context["page_obj"].object_list == []
    assert _approve_post(client, revision).status_code == 404
    client.force_login(admin_b)
    assert [r.pk for r in client.get(reverse("marketplace:curation_queue")).context["page_obj"].object_list] == [
        revision.pk
    ]
    assert _approve_post(client, revision).status_code == 302
    assert Product.objects.get(pk=revision.product_id).listing_status == ListingStatus.APPROVED
    assert Product.objects.get(pk=revision.product_id).listing_reviewed_by == admin_b


def test_an_unsupervised_santri_store_is_decided_by_diskop(kopi, province_staff):
    store = StoreFactory(organisation=santri_org(name="Anyaman Santri"))
    revision = _pending(_create(store, kopi))
    assert curation.may_decide(user=province_staff, product=revision.product)


def test_nobody_decides_a_listing_of_their_own_organisation(client, store_a, kopi, province_staff, diskop):
    Membership.objects.create(user=province_staff, organisation=store_a.organisation, role="staff")
    revision = _pending(_create(store_a, kopi))
    client.force_login(province_staff)
    assert client.get(reverse("marketplace:curation_queue")).context["page_obj"].object_list == []
    assert _approve_post(client, revision).status_code == 404
    with pytest.raises(DomainError):
        curation.listing_approve(revision=revision, actor=province_staff)
    supervised = santri_org(parent=store_a.organisation)
    MembershipFactory(organisation=supervised, user=province_staff, role="owner")  # admin of both
    del province_staff._opop_access  # what a user may act for is read once per request
    assert not curation.may_decide(user=province_staff, product=_create(StoreFactory(organisation=supervised), kopi))


def test_shoppers_and_sellers_see_no_queue(client, shopper, store_a, kopi):
    revision = _pending(_create(store_a, kopi))
    client.force_login(shopper)
    assert client.get(reverse("marketplace:curation_queue")).status_code == 403
    assert _approve_post(client, revision).status_code == 404
    santri_owner = MembershipFactory(organisation=santri_org()).user
    client.force_login(santri_owner)
    assert client.get(reverse("marketplace:curation_queue")).status_code == 403


def test_each_decision_is_audited_once_and_a_second_click_changes_nothing(
    client, store_a, kopi, province_staff, django_capture_on_commit_callbacks
):
    revision = _pending(_create(store_a, kopi))
    client.force_login(province_staff)
    with django_capture_on_commit_callbacks(execute=True):
        assert _approve_post(client, revision).status_code == 302
        assert _approve_post(client, revision).status_code == 302  # the double click
        client.post(reverse("marketplace:curation_reject", args=[revision.pk]), {"reason": "Terlambat."})
    events = AuditEvent.objects.filter(action__startswith="marketplace.listing.")
    assert list(events.values_list("action", "actor", "target_id")) == [
        ("marketplace.listing.approved", province_staff.pk, str(revision.product_id))
    ]
    assert events.get().data["revision"] == revision.pk
    assert Product.objects.get(pk=revision.product_id).listing_status == ListingStatus.APPROVED
    assert len(mail.outbox) == 1
    with pytest.raises(DomainError, match="already been decided"):
        curation.listing_reject(revision=revision, actor=province_staff, reason="x")


def test_the_queue_costs_the_same_queries_for_one_item_and_for_thirty(
    client, store_a, kopi, admin_a, province_staff, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queue_queries():
        client.get(reverse("marketplace:curation_queue"))
        with CaptureQueriesContext(connection) as context:
            response = client.get(reverse("marketplace:curation_queue"))
        assert response.status_code == 200
        return len(context), response

    def add(n):
        product = _create(store_a, kopi, name=f"Kopi {n}", actor=admin_a)
        product_photo_add(product=product, upload=image_upload())
        if n % 2:  # every other one an approved product with changes and a held photo
            curation.listing_approve(revision=_pending(product), actor=province_staff)
            product_update(product=product, actor=admin_a, name=f"Kopi {n} baru", category=kopi)
            curation.listing_photo_add(product=product, upload=image_upload(), actor=admin_a)

    client.force_login(province_staff)
    add(1)
    small, _response = queue_queries()
    for n in range(2, 31):
        add(n)
    large, response = queue_queries()
    assert len(response.context["page_obj"].object_list) == 20  # a page of the 30
    assert small == large, (small, large)
    with django_assert_max_num_queries(12):
        client.get(reverse("marketplace:curation_queue"))


def test_the_queue_page_shows_the_changes_old_and_new(client, listed, admin_a, province_staff):
    product_update(product=listed, actor=admin_a, name="Kopi Robusta Premium")
    curation.listing_photo_add(product=listed, upload=image_upload(), actor=admin_a)
    client.force_login(province_staff)
    html = client.get(reverse("marketplace:curation_queue")).content.decode()
    assert "<del>Kopi Robusta Santri</del>" in html and "<ins>Kopi Robusta Premium</ins>" in html
    assert "marketplace/products/review/s/" in html


def test_search_finds_the_approved_name_only(
    client, listed, admin_a, province_staff, django_capture_on_commit_callbacks
):
    """On PostgreSQL the stored search document follows the product row, which holds the approved values."""
    search = reverse("marketplace:search")
    product_update(product=listed, actor=admin_a, name="Kopi Gayo Spesial")
    assert listed.slug.encode() not in client.get(search, {"q": "gayo"}).content
    assert listed.slug.encode() in client.get(search, {"q": "robusta"}).content
    with django_capture_on_commit_callbacks(execute=True):  # cached result pages (shared cache) are dropped
        curation.listing_approve(revision=_pending(listed), actor=province_staff)
    assert listed.slug.encode() in client.get(search, {"q": "gayo"}).content
    assert listed.slug.encode() not in client.get(search, {"q": "robusta"}).content


def test_the_menu_shows_listing_curation_to_curators_only(client, province_staff, admin_a, shopper):
    url = reverse("marketplace:curation_queue")
    for user, shown in ((province_staff, True), (admin_a, True), (shopper, False)):
        client.force_login(user)
        items = client.get(reverse("marketplace:home")).context["nav_items"]
        assert any(item.url == url for item in items) is shown, user


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_curators_deciding_at_once_make_one_decision(store_a, kopi, province_staff, jombang_staff):
    import threading

    from django.db import connection, connections
    from django.utils import translation

    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL's concurrent writers")
    revision = _pending(_create(store_a, kopi))
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def decide(actor, approve):
        try:
            connection.ensure_connection()
            barrier.wait(timeout=60)
            with translation.override("en"):
                if approve:
                    curation.listing_approve(revision=revision, actor=actor)
                else:
                    curation.listing_reject(revision=revision, actor=actor, reason="Foto buram.")
            outcomes.append("ok")
        except DomainError as error:
            outcomes.append(str(error))
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=decide, args=(province_staff, True)),
        threading.Thread(target=decide, args=(jombang_staff, False)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["This listing has already been decided.", "ok"]
    assert AuditEvent.objects.filter(action__startswith="marketplace.listing.").count() == 1
    product = Product.objects.get(pk=revision.product_id)
    decided = ProductRevision.objects.get(pk=revision.pk)
    assert product.listing_status == {"approved": "approved", "rejected": "rejected"}[decided.status]


def test_the_seller_filters_the_products_under_review(client, listed, store_a, kopi, crafts, admin_a):
    waiting = _create(store_a, kopi, name="Kopi Baru", actor=admin_a)
    _create(store_a, crafts, name="Tas Anyaman", actor=admin_a)
    product_update(product=listed, actor=admin_a, name="Kopi Robusta Premium")
    client.force_login(admin_a)
    page = client.get(reverse("marketplace:seller_product_list"), {"show": "review"}).context["page_obj"]
    assert {product.pk for product in page.object_list} == {listed.pk, waiting.pk}
