"""Several web nodes and workers over shared PostgreSQL, Redis and object storage (CI's second pass)."""

import html
import http.cookiejar
import os
import re
import time
import urllib.parse
import urllib.request
import uuid

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

    def post_multipart(self, url: str, data: dict, files: dict, *, form_page: str) -> tuple[int, str, str]:
        """POST a multipart form (fields and `name: (filename, bytes, content type)` files) with the page's CSRF."""
        _status, _url, page = self.get(form_page)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        boundary = f"opop{uuid.uuid4().hex}"
        parts = []
        for name, value in {**data, "csrfmiddlewaretoken": token}.items():
            parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
        for name, (filename, content, content_type) in files.items():
            head = (
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
                f"Content-Type: {content_type}\r\n\r\n"
            )
            parts.append(head.encode() + content + b"\r\n")
        body = b"".join(parts) + f"--{boundary}--\r\n".encode()
        headers = {"Referer": form_page, "Content-Type": f"multipart/form-data; boundary={boundary}"}
        request = urllib.request.Request(url, data=body, headers=headers)  # noqa: S310 - loopback
        with self.opener.open(request, timeout=30) as response:
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


def test_a_photo_uploaded_through_one_node_is_served_to_the_other_from_object_storage(cluster, settings):
    from io import BytesIO

    from PIL import Image

    from marketplace.tests.factories import ProductFactory, StoreFactory

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
    owner = MembershipFactory(
        user__email="penjual.cluster@opop.test", organisation__name="PP Foto", organisation__slug="pp-foto"
    )
    product = ProductFactory(store=StoreFactory(organisation=owner.organisation), name="Madu Klanceng Cluster")
    photo = BytesIO()
    Image.new("RGB", (640, 480), (200, 120, 40)).save(photo, format="JPEG")
    node1, node2 = cluster.nodes
    seller = Browser()
    seller.post_form(f"{node1}/akun/login/", {"login": "penjual.cluster@opop.test", "password": "sandi-rahasia-123"})
    edit_page = f"{node1}/mart/penjual/produk/{product.pk}/"
    seller.post_multipart(
        f"{node1}/mart/penjual/produk/{product.pk}/foto/",
        {},
        {"photo": ("madu.jpg", photo.getvalue(), "image/jpeg")},
        form_page=edit_page,
    )
    _status, _url, page = Browser().get(f"{node2}/mart/produk/{product.slug}/")
    sources = [html.unescape(s) for s in re.findall(r'src="([^"]+\.webp[^"]*)"', page)]
    assert sources, cluster.log("web1") + cluster.log("web2")
    assert all(source.startswith(cluster.s3_url) for source in sources), sources
    with urllib.request.urlopen(sources[0], timeout=10) as response:  # noqa: S310 - the local object store
        assert response.status == 200
        assert Image.open(BytesIO(response.read())).format == "WEBP"


def test_a_job_whose_worker_is_killed_mid_run_is_run_again_within_the_visibility_timeout(cluster):
    """SIGKILL the whole worker (its main process and its pool process: a lost node, an OOM kill) halfway through
    a full rollup, start a new worker as a supervisor would: the job sits unacknowledged in Redis until the
    visibility timeout, then another worker runs it and the figures are exact, within the documented bound."""
    import signal
    import subprocess

    from bench.rollup import generate
    from opop.celery import app
    from reports.models import FigureRollup, RollupRun
    from reports.services import rollup_differences

    generate(300, 60)  # 18,000 monthly reports: a full rollup takes long enough to be killed mid-run
    logs = {name: len(cluster.log(name)) for name in ("worker1", "worker2")}
    app.send_task("reports.rollup_full", queue=cluster.queue)
    victim = None
    deadline = time.monotonic() + 30
    while victim is None and time.monotonic() < deadline:
        for name in ("worker1", "worker2"):
            if "reports.rollup_full" in cluster.log(name)[logs[name] :]:
                victim = name
                break
        time.sleep(0.05)
    assert victim, "no worker received the job"
    main = cluster.processes[victim]
    children = subprocess.run(["pgrep", "-P", str(main.pid)], capture_output=True, text=True, check=False)
    assert children.stdout.split(), "the worker has no pool process"
    for pid in [main.pid, *map(int, children.stdout.split())]:
        os.kill(pid, signal.SIGKILL)
    killed_at = time.monotonic()
    main.wait(10)
    assert not RollupRun.objects.filter(kind=RollupRun.Kind.FULL).exists()  # it died before finishing
    cluster.spawn_worker(f"{victim}-restarted")
    # The bound operations.md gives: the visibility timeout, one sweep interval, and the rollup's own run time.
    bound = cluster.visibility_timeout + 2 + 60
    while time.monotonic() - killed_at < bound and not RollupRun.objects.filter(kind=RollupRun.Kind.FULL).exists():
        time.sleep(0.5)
    took = time.monotonic() - killed_at
    assert RollupRun.objects.filter(kind=RollupRun.Kind.FULL).exists(), (
        f"not run again within {bound} s: " + cluster.log("worker1")[-1500:] + cluster.log("worker2")[-1500:]
    )
    assert took >= cluster.visibility_timeout - 1  # handed back by the visibility timeout, not by luck
    assert FigureRollup.objects.exists()
    assert rollup_differences() == []  # exact: the re-run's figures equal a fresh full computation
