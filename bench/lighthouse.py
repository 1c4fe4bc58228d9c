"""Lighthouse over the portal's main pages (mobile), and Chrome's installability verdict on the store (issue 24).

    .venv/bin/python -m bench.lighthouse [--lighthouse /work/tools/lh/node_modules/.bin/lighthouse] \
        [--workdir /tmp/opop-lh] [--port 8311] [--pages mart,product,...] [--runs 1] [--note "…"]

Lighthouse is an npm package, not one of the project's requirements: install it anywhere
(`mkdir -p ~/lh && cd ~/lh && npm install lighthouse`) and name its binary with `--lighthouse` (or put
`lighthouse` on PATH). Chromium is Debian's /usr/bin/chromium (`--chrome`).

The portal runs as in production (`bench/settings.py`: DEBUG off, whitenoise's compressed manifest storage,
the production middleware and gunicorn.conf.py) against a SQLite file in `--workdir`, migrated and seeded with
`seed_demo` on the first run and reused afterwards (seeding takes minutes); the uploads (the demo's product
photos) are served by Django there (BENCH_SERVE_MEDIA), as object storage serves them in production.
Signed-in pages get a session written straight to the session table and sent as a Cookie header
(`--extra-headers`); the shopper's cart holds two products.

Lighthouse 12 has no PWA category any more, so installability is asked of Chrome itself: the store home is
opened in Playwright's Chromium, the service worker is waited for, and the DevTools protocol's
`Page.getInstallabilityErrors` must return no error; the manifest's fields Chrome needs are checked as well.

Results go to bench/results/lighthouse.json and lighthouse.md (`--output`): the four category scores per page
and, per page, the audits that did not pass. Scores are never asserted in tests: performance on a shared
machine is noisy (use `--runs 3` for the median).
"""

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from bench.web import Prepared, cookie, fetch, free_port, make_sessions, stop_server, wait_ready

ROOT = Path(__file__).resolve().parent.parent
RESULTS = Path(__file__).resolve().parent / "results"
CHROMIUM = "/usr/bin/chromium"
CHROME_FLAGS = "--headless=new --no-sandbox --disable-gpu --disable-background-networking --disable-component-update"
CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]
LOGINS = {"shopper": "pembeli@opop.test", "seller": "admin.pesantren@opop.test", "staff": "staf.diskop@opop.test"}

# name: (label, who is signed in)
PAGES = {
    "portal_home": ("Portal home /", None),
    "mart": ("Store home /mart/", None),
    "product": ("Product page", None),
    "search": ("Search", None),
    "category": ("Category page", None),
    "store": ("Store page", None),
    "login": ("Login", None),
    "cart": ("Cart (shopper, 2 items)", "shopper"),
    "seller": ("Seller centre (demo seller)", "seller"),
    "staff_dashboard": ("Programme dashboard /laporan/ (staff)", "staff"),
}


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--lighthouse", default=shutil.which("lighthouse") or "/work/tools/lh/node_modules/.bin/lighthouse"
    )
    parser.add_argument("--chrome", default=os.environ.get("CHROME_PATH", CHROMIUM))
    parser.add_argument("--workdir", default=str(Path(tempfile.gettempdir()) / "opop-lighthouse"))
    parser.add_argument("--port", type=int, default=None, help="gunicorn port (default: a free one in 8190-8199)")
    parser.add_argument("--pages", default="", help="comma-separated subset of: " + ", ".join(PAGES))
    parser.add_argument("--runs", type=int, default=1, help="Lighthouse runs per page; the median is reported")
    parser.add_argument("--output", default=str(RESULTS), help="directory for lighthouse.json and lighthouse.md")
    parser.add_argument("--no-write", action="store_true", help="print the results only")
    parser.add_argument("--note", default="", help="free text stored with the run (e.g. before/after a fix)")
    return parser.parse_args(argv)


def setup_django(workdir: Path) -> None:
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "bench.settings",
            "DATABASE_URL": f"sqlite:///{workdir / 'db.sqlite3'}",
            "MEDIA_ROOT": str(workdir / "media"),
            "BENCH_STATIC_ROOT": str(workdir / "static"),
            "BENCH_SERVE_MEDIA": "1",
        }
    )
    for name in ("REDIS_URL", "CELERY_BROKER_URL", "AWS_STORAGE_BUCKET_NAME"):
        os.environ.pop(name, None)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def prepare_database(workdir: Path) -> None:
    from django.core.management import call_command

    seeded = workdir / "seeded"
    call_command("migrate", interactive=False, verbosity=0)
    if not seeded.exists():
        print("seeding the demo (a few minutes; kept in --workdir for the next run) …", flush=True)
        call_command("seed_demo", verbosity=0)
        seeded.touch()
    call_command("collectstatic", interactive=False, verbosity=0)


def build_pages(selected: list[str], prepared: Prepared) -> dict[str, tuple[str, str]]:
    """name -> (path, Cookie header) for the selected pages, picked from the seeded database."""
    from django.db.models import Count
    from django.urls import reverse

    from bench.web import common_word, eligible_products
    from marketplace.cart.services import cart_set
    from marketplace.models import Category, Product, Store
    from marketplace.seller.access import SESSION_KEY as STORE_KEY
    from opop.models import Membership, User

    users = {role: User.objects.get(email=email) for role, email in LOGINS.items()}
    product = Product.objects.visible().order_by("-sold_count", "pk").first()
    category = Category.objects.annotate(n=Count("products")).filter(parent__isnull=True).order_by("-n", "pk").first()
    store = Store.objects.filter(is_active=True).annotate(n=Count("products")).order_by("-n", "pk").first()
    paths = {
        "portal_home": "/",
        "mart": reverse("marketplace:home"),
        "product": reverse("marketplace:product", args=[product.slug]),
        "search": reverse("marketplace:search") + f"?q={common_word()}",
        "category": reverse("marketplace:category", args=[category.slug]),
        "store": reverse("marketplace:store", args=[store.slug]),
        "login": reverse("account_login"),
        "cart": reverse("marketplace:cart"),
        "seller": reverse("marketplace:seller_dashboard"),
        "staff_dashboard": reverse("reports:dashboard"),
    }
    cookies = {}
    for role in {PAGES[name][1] for name in selected} - {None}:
        extra = {}
        if role == "seller":
            membership = Membership.objects.filter(user=users[role], organisation__store__isnull=False).first()
            extra = {STORE_KEY: membership.organisation.store.pk}
        if role == "shopper":
            for item in eligible_products().filter(stock__gt=0).order_by("pk")[:2]:
                cart_set(user=users[role], session={}, product=item, variant=None, quantity=1)
        [key] = make_sessions([users[role]], prepared, extra=extra)
        cookies[role] = cookie(key)
    return {name: (paths[name], cookies.get(PAGES[name][1], "")) for name in selected}


def start_server(port: int, log_path: Path) -> subprocess.Popen:
    env = dict(os.environ, GUNICORN_BIND=f"127.0.0.1:{port}", WEB_CONCURRENCY="2", GUNICORN_MAX_REQUESTS="0")
    gunicorn = Path(sys.executable).with_name("gunicorn")
    command = [str(gunicorn), "-c", str(ROOT / "gunicorn.conf.py"), "opop.wsgi:application"]
    log = open(log_path, "ab")  # noqa: SIM115  (closed with the process)
    return subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)


def run_lighthouse(args, url: str, cookie_header: str, report: Path) -> dict:
    command = [
        args.lighthouse,
        url,
        "--quiet",
        "--output=json",
        f"--output-path={report}",
        f"--only-categories={','.join(CATEGORIES)}",
        "--form-factor=mobile",
        f"--chrome-flags={CHROME_FLAGS}",
    ]
    if cookie_header:
        command.append("--extra-headers=" + json.dumps({"Cookie": cookie_header}))
    done = subprocess.run(command, env=dict(os.environ, CHROME_PATH=args.chrome), capture_output=True, text=True)
    if done.returncode != 0 or not report.exists():
        raise SystemExit(f"lighthouse failed on {url}:\n{done.stderr[-3000:]}")
    return json.loads(report.read_text())


def summarise(lhr: dict) -> dict:
    """Scores (0-100) per category and the audits of weight > 0 that did not pass (score < 0.9)."""
    scores = {name: round(lhr["categories"][name]["score"] * 100) for name in CATEGORIES}
    failing = {}
    for name in CATEGORIES:
        for ref in lhr["categories"][name]["auditRefs"]:
            audit = lhr["audits"][ref["id"]]
            if ref["weight"] > 0 and audit["score"] is not None and audit["score"] < 0.9:
                failing[ref["id"]] = {
                    "title": audit["title"],
                    "score": audit["score"],
                    "shown": audit.get("displayValue", ""),
                }
    metrics = {
        key: lhr["audits"][key].get("displayValue", "")
        for key in (
            "first-contentful-paint",
            "largest-contentful-paint",
            "total-blocking-time",
            "cumulative-layout-shift",
        )
    }
    weight = lhr["audits"]["total-byte-weight"]["numericValue"]
    return {"scores": scores, "failing": failing, "metrics": metrics, "bytes": round(weight)}


# The worker's script URL once it is active, or "" if it never gets there (a failing /sw.js).
WORKER_JS = """async () => {
  const ready = navigator.serviceWorker.ready.then((registration) => registration.active.scriptURL);
  return Promise.race([ready, new Promise((resolve) => setTimeout(() => resolve(""), 15000))]);
}"""


def installability(args, base: str) -> dict:
    """Chrome's own verdict (Page.getInstallabilityErrors) on the store home, and the manifest's fields."""
    from playwright.sync_api import sync_playwright

    extra = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"]
    with sync_playwright() as playwright:
        # A persistent profile: Chrome never offers to install from an incognito (throw-away) context.
        profile = tempfile.mkdtemp(prefix="opop-lh-profile-")
        browser = playwright.chromium.launch_persistent_context(profile, executable_path=args.chrome, args=extra)
        page = browser.new_page()
        page.goto(base + "/mart/")
        worker = page.evaluate(WORKER_JS)
        page.reload()  # the worker controls the page from the second load on
        controlled = page.evaluate("() => !!navigator.serviceWorker.controller")
        cdp = page.context.new_cdp_session(page)
        errors = cdp.send("Page.getInstallabilityErrors")["installabilityErrors"]
        app_manifest = cdp.send("Page.getAppManifest")
        browser.close()
        shutil.rmtree(profile, ignore_errors=True)
    manifest = json.loads(app_manifest.get("data") or "{}")
    icons = manifest.get("icons", [])
    checks = {
        "name": bool(manifest.get("name")),
        "short_name": bool(manifest.get("short_name")),
        "start_url": manifest.get("start_url") == "/mart/",
        "display standalone": manifest.get("display") == "standalone",
        "theme_color": bool(manifest.get("theme_color")),
        "icon 192": any("192x192" in icon.get("sizes", "") for icon in icons),
        "icon 512": any("512x512" in icon.get("sizes", "") for icon in icons),
        "maskable icon": any("maskable" in icon.get("purpose", "") for icon in icons),
        "service worker controls start_url": controlled and worker.endswith("/sw.js"),
    }
    return {
        "errors": [error["errorId"] for error in errors],
        "manifest_errors": [error["message"] for error in app_manifest.get("errors", [])],
        "checks": checks,
        "installable": not errors and all(checks.values()),
    }


def git_commit() -> str:
    done = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True)
    dirty = subprocess.run(
        ["git", "status", "--porcelain", "--untracked-files=no"], cwd=ROOT, capture_output=True, text=True
    )
    return done.stdout.strip() + ("+changes" if dirty.stdout.strip() else "")


def machine() -> str:
    chromium = subprocess.run([CHROMIUM, "--version"], capture_output=True, text=True).stdout.strip()
    return f"{platform.node()}, {os.cpu_count()} cores, {platform.platform()}, {chromium}"


def markdown(result: dict) -> str:
    lines = [
        "# Lighthouse, mobile (bench/lighthouse.py)",
        "",
        f"Run {result['date']} at commit {result['commit']}, Lighthouse {result['lighthouse']} "
        f"(simulated slow 4G, 4x CPU slowdown, Moto G Power viewport), median of {result['runs']} run(s).",
        f"Machine: {result['machine']} (shared; performance scores move by several points between runs).",
        "Server: `bench/settings.py` (production settings, DEBUG off, whitenoise manifest storage) under gunicorn, "
        "demo data (`seed_demo`) on SQLite.",
    ]
    if result["note"]:
        lines.append(f"Note: {result['note']}")
    lines += [
        "",
        "| Page | Path | Perf. | A11y | Best pr. | SEO | LCP | TBT | CLS | Bytes |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for page in result["pages"].values():
        scores, metrics = page["scores"], page["metrics"]
        lines.append(
            f"| {page['label']} | `{page['path']}` | {scores['performance']} | {scores['accessibility']} | "
            f"{scores['best-practices']} | {scores['seo']} | {metrics['largest-contentful-paint']} | "
            f"{metrics['total-blocking-time']} | {metrics['cumulative-layout-shift']} | {page['bytes'] // 1024} KB |"
        )
    lines += ["", "## Audits that did not pass (weight > 0, score < 0.9)", ""]
    for page in result["pages"].values():
        failing = "; ".join(
            f"{audit['title']}" + (f" ({audit['shown']})" if audit["shown"] else "")
            for audit in page["failing"].values()
        )
        lines.append(f"- {page['label']}: {failing or 'none'}")
    install = result.get("installability")
    if install:
        verdict = "installable" if install["installable"] else "NOT installable"
        lines += [
            "",
            "## Installability (Chrome's `Page.getInstallabilityErrors` on /mart/)",
            "",
            f"- Verdict: **{verdict}**; errors: {', '.join(install['errors']) or 'none'}; "
            f"manifest errors: {', '.join(install['manifest_errors']) or 'none'}.",
            "- " + ", ".join(f"{check} {'✓' if ok else '✗'}" for check, ok in install["checks"].items()) + ".",
        ]
    return "\n".join(lines) + "\n"


def run(args) -> dict:
    selected = [name.strip() for name in args.pages.split(",") if name.strip()] or list(PAGES)
    unknown = set(selected) - set(PAGES)
    if unknown:
        raise SystemExit(f"Unknown pages: {', '.join(sorted(unknown))}; choose from {', '.join(PAGES)}.")
    if not Path(args.lighthouse).exists() and not shutil.which(args.lighthouse):
        raise SystemExit(f"No Lighthouse at {args.lighthouse}: npm install lighthouse, then pass --lighthouse.")
    workdir = Path(args.workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    setup_django(workdir)
    prepare_database(workdir)
    prepared = Prepared()
    pages = build_pages(selected, prepared)
    port = free_port(args.port)
    base = f"http://127.0.0.1:{port}"
    log_path = workdir / "gunicorn.log"
    version = subprocess.run([args.lighthouse, "--version"], capture_output=True, text=True).stdout.strip()
    result = {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "commit": git_commit(),
        "machine": machine(),
        "lighthouse": version,
        "runs": args.runs,
        "note": args.note,
        "pages": {},
    }
    process = start_server(port, log_path)
    try:
        wait_ready(base, process, log_path)
        for name, (path, cookie_header) in pages.items():
            fetch(base, ("GET", path, cookie_header, "", ""))  # warm the server's caches
            runs = [
                summarise(run_lighthouse(args, base + path, cookie_header, workdir / f"{name}-{index}.json"))
                for index in range(args.runs)
            ]
            median = sorted(runs, key=lambda one: one["scores"]["performance"])[len(runs) // 2]
            median["scores"]["performance"] = round(statistics.median(one["scores"]["performance"] for one in runs))
            result["pages"][name] = {
                "label": PAGES[name][0],
                "path": path.split("?")[0] + ("?q=…" if "?" in path else ""),
                **median,
            }
            print(f"{name:16} {median['scores']}", flush=True)
        result["installability"] = installability(args, base)
        print(f"installability {result['installability']}", flush=True)
    finally:
        stop_server(process)
        from django.contrib.sessions.models import Session

        Session.objects.filter(session_key__in=prepared.session_keys).delete()
    return result


def main(argv=None) -> None:
    args = parse_args(argv)
    result = run(args)
    text = markdown(result)
    print(text)
    if not args.no_write:
        output = Path(args.output)
        output.mkdir(parents=True, exist_ok=True)
        (output / "lighthouse.json").write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
        (output / "lighthouse.md").write_text(text)


if __name__ == "__main__":
    main()
