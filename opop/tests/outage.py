"""Broken Redis for the outage tests: a closed port, a socket that accepts and never answers, and switches that
point the cache or the Celery broker at them."""

import os
import socket
import threading
from contextlib import contextmanager
from unittest import mock

from django.test import override_settings

from opop import cache as fault_tolerant_cache
from opop import outbox


def closed_port_url(db: int = 0) -> str:
    """A redis:// URL on a local port nobody listens on: connections are refused at once."""
    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()
    return f"redis://127.0.0.1:{port}/{db}"


class SilentServer:
    """Accepts TCP connections and never sends a byte (a hung Redis, a black-holing firewall)."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(64)
        self.accepted: list[socket.socket] = []
        self._stopping = False
        self._thread = threading.Thread(target=self._serve, daemon=True)

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.sock.getsockname()[1]}/0"

    def _serve(self):
        while not self._stopping:
            try:
                conn, _addr = self.sock.accept()
            except OSError:
                return
            self.accepted.append(conn)  # held open, never read from or written to

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stopping = True
        self.sock.close()
        for conn in self.accepted:
            conn.close()


@contextmanager
def broken_redis(kind: str):
    """Yield a redis:// URL that is `refused` (closed port) or `silent` (accepts, never answers)."""
    if kind == "refused":
        yield closed_port_url()
    else:
        with SilentServer() as server:
            yield server.url


@contextmanager
def cache_at(url: str, **options):
    """Point the default cache (and so the cached_db sessions) at `url` through the production backend."""
    caches = {
        "default": {
            "BACKEND": "opop.cache.FaultTolerantRedisCache",
            "LOCATION": url,
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5, "retry": None, **options},
        }
    }
    fault_tolerant_cache._down_until.clear()
    try:
        with override_settings(CACHES=caches):
            yield
    finally:
        fault_tolerant_cache._down_until.clear()


@contextmanager
def broker_at(url: str):
    """Turn eager mode off and point the Celery app (and the Django settings /healthz reads) at `url`."""
    from opop.celery import app

    saved = app.conf.task_always_eager, app.conf.broker_url
    app.conf.task_always_eager = False
    app.conf.broker_url = url
    outbox.reset_breaker()
    try:
        # Celery reads CELERY_BROKER_URL from the environment before its configuration (CI sets it).
        environ = mock.patch.dict(os.environ, {"CELERY_BROKER_URL": url})
        with environ, override_settings(CELERY_TASK_ALWAYS_EAGER=False, CELERY_BROKER_URL=url):
            yield app
    finally:
        app.conf.task_always_eager, app.conf.broker_url = saved
        outbox.reset_breaker()


@contextmanager
def private_redis(directory):
    """A private redis-server a test may freeze (SIGSTOP: the kernel still accepts connections, nothing answers)
    and kill: yields (process, "redis://127.0.0.1:<port>/0", client). Skips the test without redis-server."""
    import shutil
    import signal
    import subprocess
    import time

    import pytest
    import redis

    binary = shutil.which("redis-server")
    if not binary:
        pytest.skip("needs redis-server installed (CI starts one)")
    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()
    args = [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
    args += ["--dir", str(directory)]
    server = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    client = redis.Redis(host="127.0.0.1", port=port, socket_timeout=5)
    for _ in range(100):
        try:
            client.ping()
            break
        except redis.ConnectionError:
            time.sleep(0.05)
    try:
        yield server, f"redis://127.0.0.1:{port}/0", client
    finally:
        server.send_signal(signal.SIGCONT)
        server.kill()
        server.wait(10)
