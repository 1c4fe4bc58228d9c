import gzip
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from marketplace.models import Order, Product, ProductPhoto, Review, Store
from opop.models import AuditEvent, Membership, User

pytestmark = pytest.mark.django_db


def counts():
    models = (Product, ProductPhoto, Store, Order, Review, AuditEvent, Membership, User)
    return {model.__name__: model.objects.count() for model in models}


@pytest.fixture
def demo(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert mail.outbox == []  # the seed's history mails nobody
    return User.objects.get(email="pembeli@opop.test")


def test_the_demo_has_every_pillar_every_order_state_and_is_idempotent(demo):
    first = counts()
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert counts() == first
    assert first["Product"] >= 36 and first["ProductPhoto"] == first["Product"]
    assert {store.pillar for store in Store.objects.select_related("organisation")} == {
        "pesantrenpreneur",
        "santripreneur",
        "sosiopreneur",
    }
    assert set(Order.objects.values_list("status", flat=True)) == set(Order.Status.values)
    assert Product.objects.filter(stock=0).exists() and Product.objects.exclude(halal_certificate_number="").exists()
    assert Store.objects.values("organisation__kabupaten_kota").distinct().count() >= 4


def test_every_mart_page_renders_for_the_demo_shopper_and_seller(client, demo):
    product = Product.objects.filter(variants__isnull=False).first()
    pages = [
        reverse("marketplace:home"),
        reverse("marketplace:search") + "?q=kopi&halal=on&sort=price",
        reverse("marketplace:category", args=["makanan-minuman"]),
        product.get_absolute_url(),
        product.store.get_absolute_url(),
        reverse("marketplace:sitemap"),
        reverse("marketplace:cart"),
    ]
    for url in pages:
        assert client.get(url).status_code == 200, url
    client.force_login(demo)
    client.post(
        reverse("marketplace:cart_add", args=[product.slug]), {"variant": product.variants.first().pk, "quantity": 1}
    )
    pages += [reverse("marketplace:checkout"), reverse("marketplace:order_list"), reverse("marketplace:address_list")]
    pages += [
        reverse("marketplace:order_detail", args=[number]) for number in Order.objects.values_list("number", flat=True)
    ]
    for url in pages:
        assert client.get(url).status_code == 200, url
    client.force_login(User.objects.get(email="admin.pesantren@opop.test"))
    seller_orders = Order.objects.filter(store__organisation__memberships__user__email="admin.pesantren@opop.test")
    for number in seller_orders.values_list("number", flat=True):
        assert client.get(reverse("marketplace:seller_order_detail", args=[number])).status_code == 200


def test_home_page_first_load_stays_under_150_kb(client, demo):
    response = client.get(reverse("marketplace:home"))
    html = response.content
    total = len(gzip.compress(html))
    for href in re.findall(rb'href="(/static/[^"]+\.(?:css|svg))"', html):
        path = finders.find(href.decode().removeprefix(settings.STATIC_URL))
        total += len(gzip.compress(Path(path).read_bytes()))
    # Every thumbnail counts, even the lazy ones below the fold.
    for src in set(re.findall(rb'<img src="(/media/[^"]+)"', html)):
        total += (Path(settings.MEDIA_ROOT) / src.decode().removeprefix(settings.MEDIA_URL)).stat().st_size
    assert total < 150 * 1024, total
