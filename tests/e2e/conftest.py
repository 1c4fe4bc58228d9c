"""The live portal and the browser for the journeys.

The portal runs as a real server in a subprocess (gunicorn, one worker with threads), against
its own SQLite file seeded by `manage.py seed_demo`, with tasks run eagerly in the server. The
test process never touches that database, so Playwright's event loop and Django's async-unsafe
guard never meet. Chromium is Debian's (/usr/bin/chromium); without it the journeys are skipped.
"""

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from opop.tests.cluster import free_port, wait_for_http
from tests.e2e.browser import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, ROOT

BIN = Path(sys.executable).parent
SKIP_REASON = f"the browser journeys need Debian's Chromium at {CHROMIUM} (apt-get install chromium)"


def _server_environ(workdir: Path) -> dict[str, str]:
    environ = {
        key: value
        for key, value in os.environ.items()
        # The portal's own SQLite file, process-memory cache and eager tasks: nothing shared with other tests.
        if key not in {"DATABASE_URL", "CELERY_BROKER_URL", "REDIS_URL", "AWS_STORAGE_BUCKET_NAME"}
    }
    environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "opop.settings.e2e",
            "DEBUG": "true",  # uploads are served by Django itself (opop/urls.py), as in `make run`
            "DATABASE_URL": f"sqlite:///{workdir / 'db.sqlite3'}",
            "MEDIA_ROOT": str(workdir / "media"),
            "LOG_LEVEL": "WARNING",
            # A delivered order nobody confirms completes at the next run of the job, not two days later.
            "MARKETPLACE_AUTOCOMPLETE_DELIVERED_HOURS": "0",
            "PYTHONUNBUFFERED": "1",
        }
    )
    return environ


class LivePortal(str):
    """The portal's base URL (a str, for Playwright), and `manage()` to run a management command against it."""

    environ: dict[str, str]

    def manage(self, *args: str) -> str:
        done = subprocess.run(
            [sys.executable, "manage.py", *args], cwd=ROOT, env=self.environ, capture_output=True, text=True
        )
        assert done.returncode == 0, f"manage.py {' '.join(args)} failed:\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}"
        return done.stdout


@pytest.fixture(scope="module")
def live_portal(tmp_path_factory):
    """Base URL of a seeded portal served by gunicorn; its log ends up in .ci/artifacts/e2e/server.log."""
    if not CHROMIUM.exists():
        pytest.skip(SKIP_REASON)
    workdir = tmp_path_factory.mktemp("e2e-portal")
    environ = _server_environ(workdir)
    started = time.monotonic()
    # One process for both commands: Django starts once.
    prepare = "import django; django.setup(); from django.core.management import call_command as c; "
    prepare += "c('migrate', interactive=False, verbosity=0); c('seed_demo', verbosity=0)"
    done = subprocess.run([sys.executable, "-c", prepare], cwd=ROOT, env=environ, capture_output=True, text=True)
    assert done.returncode == 0, f"migrate + seed_demo failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    port = free_port()
    log = (workdir / "server.log").open("wb")
    server = subprocess.Popen(
        [
            *(str(BIN / "gunicorn"), "-c", "gunicorn.conf.py", "--bind", f"127.0.0.1:{port}"),
            *("--workers", "1", "--threads", "4", "--timeout", "120", "--no-control-socket", "opop.wsgi"),
        ],
        cwd=ROOT,
        env=environ,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base_url = LivePortal(f"http://127.0.0.1:{port}")
    base_url.environ = environ
    try:
        wait_for_http(base_url + "/healthz")
        print(f"\ne2e portal seeded and serving in {time.monotonic() - started:.1f} s at {base_url}")
        yield base_url
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(workdir / "server.log", ARTIFACTS / "server.log")


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        pytest.skip(SKIP_REASON)
    sync_playwright = pytest.importorskip("playwright.sync_api", reason="playwright is not installed").sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()
