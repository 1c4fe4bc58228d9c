"""Logins and /healthz while the Redis that holds the cache, the sessions' cache and the broker is frozen
(SIGSTOP: connections are accepted, nothing ever answers), measured on a real gunicorn node with the
production middleware, allauth's rate limits and a real broker URL. The bound is relative to the same node
with Redis answering, so the machine's speed (a busy CI core, PBKDF2's cost) cancels out: frozen, a login or a
health check may cost at most two socket timeouts more at p95 (the breaker's one trip per window); without the
breaker every cache read of every request would wait its timeout."""

import os
import re
import signal
import subprocess
import time
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar

import pytest
from django.db import connection

from opop.tests.cluster import BIN, ROOT, free_port, wait_for_http
from opop.tests.factories import UserFactory
from opop.tests.outage import private_redis

pytestmark = [
    pytest.mark.multinode,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="the web node shares the test database: PostgreSQL only"
    ),
    pytest.mark.django_db(transaction=True),
]

PASSWORD = "sandi-rahasia-123"
LOGINS, HEALTH_CHECKS = 20, 20
REDIS_TIMEOUT = 0.5  # the node's REDIS_SOCKET_TIMEOUT (the base settings' default)


@pytest.fixture
def node(tmp_path):
    db = connection.settings_dict
    database_url = f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    with private_redis(tmp_path) as (server, url, _client):
        port = free_port()
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "opop.settings.dev",
            "DEBUG": "false",
            "DATABASE_URL": database_url,
            "REDIS_URL": url.rsplit("/", 1)[0] + "/1",
            "CELERY_BROKER_URL": url,
            "ALLOWED_HOSTS": "127.0.0.1",
            "ACCOUNT_EMAIL_VERIFICATION": "optional",
        }
        log = (tmp_path / "web.log").open("wb")
        args = [str(BIN / "gunicorn"), "-c", "gunicorn.conf.py", "--bind", f"127.0.0.1:{port}"]
        args += ["--workers", "1", "--threads", "4", "opop.wsgi"]
        web = subprocess.Popen(args, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        try:
            wait_for_http(f"http://127.0.0.1:{port}/healthz")
            yield f"http://127.0.0.1:{port}", server, tmp_path / "web.log"
        finally:
            web.send_signal(signal.SIGTERM)
            try:
                web.wait(20)
            except subprocess.TimeoutExpired:
                web.kill()


def _login(base: str, email: str) -> tuple[float, str]:
    """A whole login as a person does it: the form page, then the POST. Returns (seconds, final URL)."""
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))
    started = time.monotonic()
    with opener.open(f"{base}/akun/login/", timeout=30) as response:
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', response.read().decode()).group(1)
    body = urllib.parse.urlencode({"login": email, "password": PASSWORD, "csrfmiddlewaretoken": token}).encode()
    request = urllib.request.Request(f"{base}/akun/login/", data=body, headers={"Referer": f"{base}/akun/login/"})  # noqa: S310
    with opener.open(request, timeout=30) as response:
        final = response.geturl()
    return time.monotonic() - started, final


def _health(base: str) -> tuple[float, int, dict]:
    import json
    import urllib.error

    started = time.monotonic()
    try:
        with urllib.request.urlopen(f"{base}/healthz", timeout=30) as response:  # noqa: S310 - loopback
            status, body = response.status, response.read()
    except urllib.error.HTTPError as exc:
        status, body = exc.code, exc.read()
    return time.monotonic() - started, status, json.loads(body)


def _p95(timings: list[float]) -> float:
    ordered = sorted(timings)
    return ordered[max(0, round(0.95 * len(ordered)) - 1)]


def test_logins_and_healthz_stay_fast_while_redis_is_frozen(node, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
    base, server, log = node
    user = UserFactory(email="beku@opop.test")
    user.set_password(PASSWORD)
    user.save()
    healthy_logins, healthy_checks = [], []
    for _ in range(LOGINS):
        seconds, final = _login(base, user.email)
        assert "/akun/login/" not in final, log.read_text()[-3000:]
        healthy_logins.append(seconds)
    for _ in range(HEALTH_CHECKS):
        seconds, status, _report = _health(base)
        assert status == 200, _report
        healthy_checks.append(seconds)
    server.send_signal(signal.SIGSTOP)
    try:
        logins = []
        for _ in range(LOGINS):
            seconds, final = _login(base, user.email)
            assert "/akun/login/" not in final, log.read_text()[-3000:]  # logged in: sessions live in PostgreSQL
            logins.append(seconds)
        checks = []
        for _ in range(HEALTH_CHECKS):
            seconds, status, report = _health(base)
            assert status == 200 and report["status"] == "degraded", report
            assert {"cache", "broker"} <= set(report["failing"]), report
            checks.append(seconds)
    finally:
        server.send_signal(signal.SIGCONT)
    print(
        f"login p95 {_p95(healthy_logins):.3f} s healthy, {_p95(logins):.3f} s frozen; "
        f"/healthz p95 {_p95(healthy_checks):.3f} s healthy, {_p95(checks):.3f} s frozen"
    )
    allowance = 2 * REDIS_TIMEOUT
    assert _p95(logins) < _p95(healthy_logins) + allowance, (sorted(healthy_logins), sorted(logins))
    assert _p95(checks) < _p95(healthy_checks) + allowance, (sorted(healthy_checks), sorted(checks))
