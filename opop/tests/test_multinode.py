"""Several web nodes and workers over shared PostgreSQL, Redis and object storage (CI's second pass)."""

import http.cookiejar
import os
import re
import time
import urllib.parse
import urllib.request

import pytest
from django.db import connection

from opop.models import WorkerHeartbeat
from opop.tests.cluster import Cluster
from opop.tests.factories import MembershipFactory, UserFactory

MULTINODE = bool(os.environ.get("CELERY_BROKER_URL") and os.environ.get("REDIS_URL")) and os.environ.get(
    "DATABASE_URL", ""
).startswith("postgres")

pytestmark = [
    pytest.mark.multinode,
    pytest.mark.skipif(not MULTINODE, reason="needs PostgreSQL, Redis and a broker: runs in CI's second pass"),
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture(scope="module")
def cluster(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        database = connection.settings_dict
    database_url = "postgres://{}@{}:{}/{}".format(
        database["USER"], database["HOST"] or "127.0.0.1", database["PORT"] or 5432, database["NAME"]
    )
    running = Cluster(
        database_url=database_url,
        broker_url=os.environ["CELERY_BROKER_URL"],
        cache_url=os.environ["REDIS_URL"],
    )
    try:
        yield running.start()
    finally:
        running.stop()


class Browser:
    """A tiny cookie-keeping HTTP client that can talk to any node."""

    def __init__(self):
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def get(self, url: str) -> tuple[int, str, str]:
        with self.opener.open(url, timeout=20) as response:
            return response.status, response.geturl(), response.read().decode()

    def post_form(self, url: str, data: dict, *, form_page: str | None = None) -> tuple[int, str, str]:
        """POST `data` to `url` with the CSRF token of the form on `form_page` (default: `url` itself)."""
        _status, _url, page = self.get(form_page or url)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        body = urllib.parse.urlencode({**data, "csrfmiddlewaretoken": token}).encode()
        request = urllib.request.Request(url, data=body, headers={"Referer": url})  # noqa: S310 - loopback
        with self.opener.open(request, timeout=20) as response:
            return response.status, response.geturl(), response.read().decode()


def test_a_session_started_on_one_node_continues_on_the_other(cluster, settings):
    # The nodes run production hashers; the test settings' fast MD5 hasher would not be accepted there.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
    MembershipFactory(
        user__email="admin.cluster@opop.test", organisation__name="PP Cluster", organisation__slug="pp-cluster"
    )
    node1, node2 = cluster.nodes
    browser = Browser()
    browser.post_form(f"{node1}/akun/login/", {"login": "admin.cluster@opop.test", "password": "sandi-rahasia-123"})
    status, final_url, page = browser.get(f"{node2}/organisasi/")
    assert status == 200 and "/akun/login/" not in final_url, cluster.log("web2")
    assert "PP Cluster" in page


def test_beat_schedules_and_a_worker_runs_the_heartbeat(cluster):
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not WorkerHeartbeat.objects.exists():
        time.sleep(0.5)
    assert WorkerHeartbeat.objects.exists(), cluster.log("beat") + cluster.log("worker1")


def test_a_cart_started_on_one_node_continues_on_the_other_after_login(cluster, settings):
    from marketplace.tests.factories import ProductFactory

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
    product = ProductFactory(name="Kopi Robusta Bululawang", stock=12)
    UserFactory(email="pembeli.cluster@opop.test")
    node1, node2 = cluster.nodes
    browser = Browser()
    product_url = f"{node1}/mart/produk/{product.slug}/"
    browser.post_form(f"{node1}/mart/keranjang/tambah/{product.slug}/", {"quantity": "2"}, form_page=product_url)
    browser.post_form(f"{node2}/akun/login/", {"login": "pembeli.cluster@opop.test", "password": "sandi-rahasia-123"})
    _status, _url, cart = browser.get(f"{node2}/mart/keranjang/")
    assert "Kopi Robusta Bululawang" in cart, cluster.log("web2")


def test_two_workers_roll_up_every_dirty_key_exactly_once(cluster):
    from datetime import date

    from opop.celery import app
    from opop.models import DirtyFigureKey
    from reports.models import RollupRun

    months = [date(year, month, 1) for year in range(2021, 2026) for month in range(1, 13)]
    DirtyFigureKey.objects.bulk_create(
        [DirtyFigureKey(month=month, kabupaten_kota_id=kode) for month in months for kode in ("35.17", "35.78")]
    )
    for _ in range(8):  # more jobs than needed, racing on two workers: SKIP LOCKED shares the keys out
        app.send_task("reports.rollup_incremental", kwargs={"limit": 5}, queue=cluster.queue)
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline and DirtyFigureKey.objects.exists():
        time.sleep(0.5)
    assert not DirtyFigureKey.objects.exists(), cluster.log("worker1") + cluster.log("worker2")
    time.sleep(2)  # let the last jobs find nothing and finish
    done = sum(RollupRun.objects.filter(kind=RollupRun.Kind.INCREMENTAL).values_list("keys", flat=True))
    assert done == len(months) * 2
