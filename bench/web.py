"""Web load benchmark: the portal under gunicorn on loopback, driven by wrk, compared with Django's own floor.

    .venv/bin/python -m bench.web --database postgres://postgres@127.0.0.1:5432/opop_scale \
        [--redis redis://127.0.0.1:6379/8] [--broker redis://127.0.0.1:6379/9] [--duration 10] [--connections 8] \
        [--pages a,b,...]

It collects the static files into a temporary directory, starts gunicorn (the production gunicorn.conf.py)
with `bench.settings` on 127.0.0.1, signs in the given users by creating their sessions directly, picks
product, category and store slugs from the database, and measures every page with wrk (bench/wrk/page.lua):
throughput and p50/p95/p99 latency. Each page's throughput is reported as a ratio to the minimal Django page
(`bench/fortunes/`, one query and one small template) measured in the same run, before and after the pages;
a static file served by whitenoise is the second reference. Results go to bench/results/web.json and
web.md (`--output`). Numbers are never asserted in tests: the machine is shared and noisy.

Side effects on the database (use a benchmark database): the checkout pass places real orders, from
generated buyers `bench.buyer.N@opop.test` with carts of 3 products from 2 stores (stock of those products
is topped up when short); sessions, carts and CSRF tokens made for the run are removed at the end. With
`--broker` the server enqueues its Celery tasks (the order e-mails) as production does, and nothing consumes
them: give it a Redis db of its own, which is flushed at the end. Without it tasks run inside the request.
"""

import argparse
import json
import math
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = Path(__file__).resolve().parent / "results"
LUA = Path(__file__).resolve().parent / "wrk" / "page.lua"
FIXES = RESULTS / "web_fixes.json"

DEMO_LOGINS = {
    "shopper": "pembeli@opop.test",
    "seller": "admin.pesantren@opop.test",
    "staff": "staf.diskop@opop.test",
    "region_staff": "staf.jombang@opop.test",
}
SCALE_LOGINS = {
    "shopper": "bench.pembeli@opop.test",
    "seller": "bench.penjual@opop.test",
    "staff": "bench.staf@opop.test",
    "region_staff": "bench.jombang@opop.test",
}

# name: (label, target group). Groups: store pages, dashboards, checkout, other.
PAGES = {
    "store_home": ("Store home /mart/", "store"),
    "search": ("Search, a word and filters", "store"),
    "category_deep": ("Category list, deep page", "store"),
    "product_detail": ("Product detail", "store"),
    "cart_add": ("Add to cart (POST)", "other"),
    "checkout": ("Checkout: place 3 items from 2 stores (POST)", "checkout"),
    "seller_orders": ("Seller order queue", "other"),
    "staff_pesantren": ("Staff pesantren list", "other"),
    "programme_dashboard": ("Programme dashboard", "dashboard"),
    "region_dashboard": ("Kabupaten/kota dashboard", "dashboard"),
}
TARGETS = {
    "store": {"min_ratio": 0.5, "max_p95_ms": 40},
    "dashboard": {"max_p95_ms": 80},
    "checkout": {"max_p95_ms": 100},
}


@dataclass
class Page:
    name: str
    label: str
    group: str
    lines: list  # (method, path, cookie, csrf, body)
    expect_status: int = 200
    expect_location: str = ""
    once: bool = False
    notes: dict = field(default_factory=dict)
    checked: int = 0  # the status of the single request sent before the pass


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", default=os.environ.get("DATABASE_URL"), help="database URL (PostgreSQL)")
    parser.add_argument("--redis", default=None, help="Redis URL for the cache and cached sessions")
    parser.add_argument(
        "--broker",
        default=None,
        help="Celery broker URL for the server (tasks are enqueued as in production and left there; "
        "without it they run eagerly inside the request). Use a Redis db of its own: it is flushed at the end",
    )
    parser.add_argument("--duration", type=float, default=10, help="seconds per page")
    parser.add_argument("--warmup", type=float, default=None, help="seconds of warm-up per page (default duration/5)")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--threads", type=int, default=None, help="wrk threads (default min(2, connections))")
    parser.add_argument("--workers", type=int, default=None, help="gunicorn workers (default: gunicorn.conf.py)")
    parser.add_argument("--gunicorn-threads", type=int, default=None, help="threads per worker (default: conf)")
    parser.add_argument("--conn-max-age", type=int, default=60, help="DATABASE_CONN_MAX_AGE for the server")
    parser.add_argument("--pages", default="", help="comma-separated subset of: " + ", ".join(PAGES))
    parser.add_argument("--logins", choices=["auto", "scale", "demo"], default="auto")
    for role in DEMO_LOGINS:
        parser.add_argument(f"--{role.replace('_', '-')}", default=None, help=f"e-mail of the {role} login")
    parser.add_argument("--search-word", default=None, help="word to search (default: a common product word)")
    parser.add_argument("--output", default=str(RESULTS), help="directory for web.json and web.md")
    parser.add_argument("--no-write", action="store_true", help="print the results only")
    parser.add_argument("--note", default="", help="free text stored with the run")
    parser.add_argument("--migrate", action="store_true", help="apply unapplied migrations first")
    parser.add_argument("--port", type=int, default=None, help="gunicorn port (default: a free one in 8190-8199)")
    parser.add_argument(
        "--mixed",
        action="store_true",
        help="mixed workload (bench/mixed.py): the read pages while checkouts run at each of --rates per second",
    )
    parser.add_argument("--rates", default="0,1,5,20", help="checkouts per second for --mixed")
    parser.add_argument(
        "--slices",
        type=int,
        default=5,
        help="--mixed: each page is measured in this many slices, each between two slices of the minimal page, and "
        "its ratio is the median of the slices' ratios (a stall of the machine spoils one slice, not the page)",
    )
    args = parser.parse_args(argv)
    if not args.database:
        parser.error("--database (or DATABASE_URL) is required")
    if args.threads is None:
        args.threads = max(1, min(2, args.connections))
    if args.warmup is None:
        args.warmup = max(0.5, args.duration / 5)
    return args


def setup_django(args, static_root: Path):
    os.environ["DATABASE_URL"] = args.database
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    os.environ["BENCH_STATIC_ROOT"] = str(static_root)
    os.environ["DATABASE_CONN_MAX_AGE"] = str(args.conn_max_age)
    if args.redis:
        os.environ["REDIS_URL"] = args.redis
    else:
        os.environ.pop("REDIS_URL", None)
    if args.broker:
        os.environ["CELERY_BROKER_URL"] = args.broker
    else:
        os.environ.pop("CELERY_BROKER_URL", None)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def redact(url: str) -> str:
    return re.sub(r"//([^:@/]+):[^@/]+@", r"//\1:***@", url)


# ----------------------------------------------------------------------------------------------------------
# Preparation in the harness process (Django set up with bench.settings against the same database)


class Prepared:
    def __init__(self):
        self.session_keys: list[str] = []
        self.cart_user_ids: list[int] = []
        self.topped_up: dict[int, int] = {}


def _csrf() -> str:
    from django.utils.crypto import get_random_string

    return get_random_string(32)


def make_sessions(users, prepared: Prepared, extra=None) -> list[str]:
    """Signed-in sessions for `users`, written straight to the session table (cached_db reads it on a miss)."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.models import Session
    from django.utils import timezone
    from django.utils.crypto import get_random_string

    from bench.settings import SESSION_ENGINE  # noqa: F401  (the engine the server uses)

    store_class = __import__(settings.SESSION_ENGINE, fromlist=["SessionStore"]).SessionStore
    encoder = store_class()
    rows, keys = [], []
    for user in users:
        data = {
            SESSION_KEY: str(user.pk),
            BACKEND_SESSION_KEY: settings.AUTHENTICATION_BACKENDS[0],
            HASH_SESSION_KEY: user.get_session_auth_hash(),
            **(extra or {}),
        }
        key = get_random_string(32, "abcdefghijklmnopqrstuvwxyz0123456789")
        rows.append(
            Session(session_key=key, session_data=encoder.encode(data), expire_date=timezone.now() + timedelta(days=1))
        )
        keys.append(key)
    Session.objects.bulk_create(rows, batch_size=1000)
    prepared.session_keys += keys
    return keys


def cookie(session_key: str, csrf: str = "") -> str:
    from django.conf import settings

    parts = [f"{settings.SESSION_COOKIE_NAME}={session_key}"]
    if csrf:
        parts.append(f"{settings.CSRF_COOKIE_NAME}={csrf}")
    return "; ".join(parts)


def resolve_logins(args) -> dict:
    from opop.models import User

    chosen = {}
    for role in DEMO_LOGINS:
        explicit = getattr(args, role)
        if explicit:
            candidates = [explicit]
        elif args.logins == "scale":
            candidates = [SCALE_LOGINS[role]]
        elif args.logins == "demo":
            candidates = [DEMO_LOGINS[role]]
        else:
            candidates = [SCALE_LOGINS[role], DEMO_LOGINS[role]]
        user = None
        for email in candidates:
            user = User.objects.filter(email__iexact=email, is_active=True).first()
            if user is not None:
                break
        if user is None:
            raise SystemExit(f"No active user for the {role} login (tried {', '.join(candidates)}).")
        chosen[role] = user
    return chosen


def eligible_products():
    """Visible products a generated buyer can put in a cart: no variants, minimum order 1, store open."""
    from django.db.models import Exists, OuterRef

    from marketplace.models import Product, ProductVariant

    return (
        Product.objects.visible()
        .filter(store__is_on_holiday=False, min_order=1, price__gt=0)
        .exclude(Exists(ProductVariant.objects.filter(product=OuterRef("pk"))))
    )


def common_word(default="kopi") -> str:
    from marketplace.catalogue.search import normalise_words
    from marketplace.models import Product

    names = Product.objects.visible().order_by("-sold_count", "-id").values_list("name", flat=True)[:500]
    counts = Counter(word for name in names for word in set(normalise_words(name)) if len(word) >= 4)
    return counts.most_common(1)[0][0] if counts else default


def build_pages(args, logins, prepared: Prepared, selected: list[str]) -> tuple[list[Page], dict]:
    from django.db.models import Count
    from django.urls import reverse

    from marketplace.catalogue.views import PAGE_SIZE
    from marketplace.models import Category, Product
    from opop.models import Membership

    info = {}
    pages = []
    visible = Product.objects.visible()

    def get(name, path, session_key=""):
        pages.append(
            Page(name, *PAGES[name], lines=[("GET", path, cookie(session_key) if session_key else "", "", "")])
        )

    if "store_home" in selected:
        get("store_home", reverse("marketplace:home"))
    if "search" in selected:
        word = args.search_word or common_word()
        region = (
            visible.values("store__organisation__kabupaten_kota")
            .annotate(n=Count("id"))
            .order_by("-n")
            .values_list("store__organisation__kabupaten_kota", flat=True)
            .first()
        )
        query = f"q={word}&in_stock=on&sort=relevance" + (f"&region={region}" if region else "")
        get("search", f"{reverse('marketplace:search')}?{query}")
        info["search"] = {"word": word, "region": region}
    if "category_deep" in selected:
        top = visible.values("category").annotate(n=Count("id")).order_by("-n").first()
        category = Category.objects.get(pk=top["category"])
        # the page halfway through the category's leaf listing (its sub-categories would only add products),
        # reached as a user reaches it: by following the signed "next" cursor of keyset pagination
        count = visible.filter(category=category).count()
        last_page = max(1, math.ceil(count / PAGE_SIZE))
        page_number = max(1, (last_page + 1) // 2)
        get("category_deep", deep_category_path(category, page_number))
        info["category_deep"] = {"category": category.slug, "products": count, "page": page_number, "pages": last_page}
    if "product_detail" in selected:
        slugs = list(visible.order_by("-sold_count", "-id").values_list("slug", flat=True)[:50])
        slugs += list(visible.order_by("?").values_list("slug", flat=True)[:50])
        page = Page(
            "product_detail",
            *PAGES["product_detail"],
            lines=[("GET", reverse("marketplace:product", kwargs={"slug": slug}), "", "", "") for slug in slugs],
        )
        pages.append(page)
        info["product_detail"] = {"products": len(slugs)}
    if "cart_add" in selected:
        buyers = bench_buyers(args.connections * 4, prefix="bench.cart")
        prepared.cart_user_ids += [user.pk for user in buyers]
        from marketplace.models import CartItem

        CartItem.objects.filter(user__in=buyers).delete()
        products = list(
            eligible_products().filter(stock__gte=50).order_by("-stock", "id").values_list("slug", flat=True)[:40]
        )
        if not products:
            raise SystemExit("No product with stock >= 50 for the add-to-cart pass.")
        keys = make_sessions(buyers, prepared)
        lines = []
        for n in range(len(keys) * len(products)):
            key, slug = keys[n % len(keys)], products[(n // len(keys)) % len(products)]
            csrf = _csrf()
            lines.append(
                (
                    "POST",
                    reverse("marketplace:cart_add", kwargs={"slug": slug}),
                    cookie(key, csrf),
                    csrf,
                    f"quantity=1&csrfmiddlewaretoken={csrf}",
                )
            )
        pages.append(
            Page(
                "cart_add",
                *PAGES["cart_add"],
                lines=lines,
                expect_status=302,
                expect_location=reverse("marketplace:cart"),
            )
        )
        info["cart_add"] = {"buyers": len(keys), "products": len(products)}
    if "checkout" in selected:
        # lines are filled in just before the pass, sized from the measured reference throughput
        pages.append(
            Page(
                "checkout",
                *PAGES["checkout"],
                lines=[],
                expect_status=302,
                expect_location=reverse("marketplace:order_list"),
                once=True,
            )
        )
    if "seller_orders" in selected:
        seller = logins["seller"]
        membership = (
            Membership.objects.filter(user=seller, organisation__store__isnull=False)
            .select_related("organisation__store")
            .first()
        )
        if membership is None:
            raise SystemExit(f"{seller.email} is not a member of any store.")
        store = membership.organisation.store
        from marketplace.seller.access import SESSION_KEY as STORE_KEY

        [key] = make_sessions([seller], prepared, extra={STORE_KEY: store.pk})
        get("seller_orders", reverse("marketplace:seller_order_list"), key)
        info["seller_orders"] = {"store": store.slug, "orders": store.orders.count()}
    if "staff_pesantren" in selected:
        [key] = make_sessions([logins["staff"]], prepared)
        get("staff_pesantren", reverse("pesantren:staff_list"), key)
    if "programme_dashboard" in selected:
        [key] = make_sessions([logins["staff"]], prepared)
        get("programme_dashboard", reverse("reports:dashboard"), key)
    if "region_dashboard" in selected:
        user = logins["region_staff"]
        scoped = Membership.objects.filter(user=user, region__isnull=False).values_list("region", flat=True).first()
        kode = scoped or "35.17"
        [key] = make_sessions([user], prepared)
        get("region_dashboard", reverse("reports:region", kwargs={"kode": kode}), key)
        info["region_dashboard"] = {"kode": kode}
    return pages, info


def deep_category_path(category, page_number: int) -> str:
    """The URL of page `page_number` of the category's default listing, as its "next" links lead there."""
    from django.core import signing
    from django.urls import reverse

    from marketplace.catalogue import selectors
    from marketplace.catalogue.filters import ProductFilter
    from marketplace.catalogue.pagination import _SALT, _plain, keyset_ordering
    from marketplace.catalogue.views import PAGE_SIZE

    path = reverse("marketplace:category", kwargs={"slug": category.slug})
    queryset = ProductFilter({"category": category.slug}, queryset=selectors.product_cards()).qs
    ordering = keyset_ordering(queryset)
    if ordering is None:  # numbered pages
        return f"{path}?page={page_number}"
    if page_number <= 1:
        return path
    fields = [queryset.model._meta.get_field(term.lstrip("-")) for term in ordering]
    last = queryset[(page_number - 1) * PAGE_SIZE - 1]  # the last product of the page before
    cursor = signing.dumps([_plain(field.value_from_object(last)) for field in fields], salt=_SALT)
    return f"{path}?after={cursor}"


def bench_buyers(count: int, prefix: str):
    """`count` generated shoppers (made once, reused by later runs), each with an address in East Java."""
    from django.contrib.auth.hashers import make_password

    from marketplace.models import Address
    from opop.models import KabupatenKota, User

    emails = [f"{prefix}.{n:05d}@opop.test" for n in range(count)]
    existing = set(User.objects.filter(email__in=emails).values_list("email", flat=True))
    unusable = make_password(None)
    User.objects.bulk_create(
        [
            User(email=email, full_name=f"Bench buyer {email.split('@')[0]}", password=unusable)
            for email in emails
            if email not in existing
        ],
        batch_size=1000,
    )
    users = list(User.objects.filter(email__in=emails).order_by("email"))
    with_address = set(Address.objects.filter(user__in=users).values_list("user_id", flat=True))
    region = KabupatenKota.objects.order_by("kode").first()
    Address.objects.bulk_create(
        [
            Address(
                user=user,
                recipient_name=user.full_name,
                phone="081234567890",
                kabupaten_kota=region,
                kecamatan="Kecamatan",
                desa="Desa",
                street="Jl. Benchmark 1",
                postal_code="61471",
                is_default=True,
            )
            for user in users
            if user.pk not in with_address
        ],
        batch_size=1000,
    )
    return users


def prepare_checkout(page: Page, carts: int, prepared: Prepared) -> None:
    """`carts` generated buyers, each signed in with a cart of 3 products from 2 stores, ready to place."""
    from django.db.models import F
    from django.urls import reverse

    from marketplace.models import Address, CartItem, Product

    by_store: dict[int, list[int]] = {}
    for pk, store_id in eligible_products().order_by("-stock", "id").values_list("pk", "store_id")[:2000]:
        by_store.setdefault(store_id, []).append(pk)
    two = [store for store, products in by_store.items() if len(products) >= 2]
    # 40 carts over as many different stores and products as the data offers, so that concurrent checkouts
    # race for stock only as real shoppers would, not all for the same few rows.
    stores = list(by_store)
    groups = []
    for n in range(40 if two else 0):
        first = two[n % len(two)]
        own = by_store[first]
        second = next((s for s in stores[n % len(stores) :] + stores if s != first), None)
        if second is None:
            break
        round_ = n // len(two)
        groups.append(
            (
                first,
                own[round_ % len(own)],
                own[(round_ + 1) % len(own)],
                second,
                by_store[second][round_ % len(by_store[second])],
            )
        )
    groups = [g for g in groups if g[1] != g[2]]
    if not groups:
        raise SystemExit("Need two open stores, one with two simple products, for the checkout pass.")
    users = bench_buyers(carts, prefix="bench.buyer")
    CartItem.objects.filter(user__in=users).delete()
    needed: Counter = Counter()
    items = []
    for n, user in enumerate(users):
        _a, p1, p2, _b, p3 = groups[n % len(groups)]
        for product_id in (p1, p2, p3):
            items.append(CartItem(user=user, product_id=product_id, quantity=1))
            needed[product_id] += 1
    CartItem.objects.bulk_create(items, batch_size=2000)
    prepared.cart_user_ids += [user.pk for user in users]
    # enough stock that no cart fails for stock: top up the few products short of it, and say so
    for product in Product.objects.filter(pk__in=needed).only("pk", "stock"):
        if product.stock < needed[product.pk] + 1:
            extra = needed[product.pk] + 1 - product.stock
            Product.objects.filter(pk=product.pk).update(stock=F("stock") + extra)
            prepared.topped_up[product.pk] = prepared.topped_up.get(product.pk, 0) + extra
    store_of = dict(Product.objects.filter(pk__in=needed).values_list("pk", "store_id"))
    addresses = dict(Address.objects.filter(user__in=users, is_default=True).values_list("user_id", "pk"))
    keys = make_sessions(users, prepared)
    path = reverse("marketplace:checkout")
    lines = []
    for n, (user, key) in enumerate(zip(users, keys, strict=True)):
        _a, p1, _p2, _b, p3 = groups[n % len(groups)]
        csrf = _csrf()
        stores = sorted({store_of[p1], store_of[p3]})
        body = f"address={addresses[user.pk]}&payment=bank_transfer&" + "&".join(
            f"delivery_{s}=shipping" for s in stores
        )
        lines.append(("POST", path, cookie(key, csrf), csrf, f"{body}&place=1&csrfmiddlewaretoken={csrf}"))
    page.lines = lines
    page.notes = {"carts": len(lines), "store_pairs": len(groups), "stock_topped_up_products": len(prepared.topped_up)}


def cleanup(prepared: Prepared) -> None:
    from django.contrib.sessions.models import Session
    from django.core.cache import cache

    from marketplace.models import CartItem

    CartItem.objects.filter(user_id__in=prepared.cart_user_ids).delete()
    for start in range(0, len(prepared.session_keys), 1000):
        chunk = prepared.session_keys[start : start + 1000]
        Session.objects.filter(session_key__in=chunk).delete()
        cache.delete_many([f"django.contrib.sessions.cached_db{key}" for key in chunk])


def flush_broker(url: str) -> None:
    """Drop the tasks the run enqueued (no worker consumes them): the broker's Redis db is the run's own."""
    import redis

    redis.Redis.from_url(url).flushdb()


def database_figures() -> dict:
    from django.db import connection

    from marketplace.models import Order, OrderItem, Product, Store
    from pesantren.models import Pesantren

    figures = {"vendor": connection.vendor, "name": connection.settings_dict["NAME"]}
    if connection.vendor == "postgresql":
        # planner estimates for the big tables: exact counts of millions of rows would take a while
        with connection.cursor() as cursor:
            for model, key in (
                (Product, "products"),
                (Store, "stores"),
                (Pesantren, "pesantren"),
                (Order, "orders"),
                (OrderItem, "order_lines"),
            ):
                cursor.execute(
                    "select reltuples::bigint from pg_class where oid = %s::regclass", [model._meta.db_table]
                )
                estimate = cursor.fetchone()[0]
                figures[key] = estimate if estimate > 100_000 else model.objects.count()
    else:
        for model, key in (
            (Product, "products"),
            (Store, "stores"),
            (Pesantren, "pesantren"),
            (Order, "orders"),
            (OrderItem, "order_lines"),
        ):
            figures[key] = model.objects.count()
    return figures


# ----------------------------------------------------------------------------------------------------------
# The server and the load generator


def max_reference_rps(measured: dict) -> float:
    return max(result["rps"] for key, result in measured.items() if key.startswith("fortunes_"))


def check_migrations(args) -> None:
    from django.core.management import call_command
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if pending and args.migrate:
        call_command("migrate", interactive=False, verbosity=1)
    elif pending:
        names = ", ".join(f"{migration.app_label}.{migration.name}" for migration, _backwards in pending[:5])
        raise SystemExit(f"The database lacks {len(pending)} migration(s) ({names}); run migrate or pass --migrate.")


def free_port(wanted: int | None = None) -> int:
    """`wanted`, or the first free port of 8190-8199 (kept apart from the dev servers' ports), else any free one."""
    for port in [wanted] if wanted else range(8190, 8200):
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    if wanted:
        raise SystemExit(f"Port {wanted} is taken.")
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(args, port: int, log_path: Path) -> subprocess.Popen:
    # Workers are not recycled during the run: with thousands of requests a second for the static file,
    # every worker of the production config would restart at once, and a pass would measure their start-up.
    env = dict(
        os.environ, GUNICORN_BIND=f"127.0.0.1:{port}", FORWARDED_ALLOW_IPS="127.0.0.1", GUNICORN_MAX_REQUESTS="0"
    )
    if args.workers:
        env["WEB_CONCURRENCY"] = str(args.workers)
    if args.gunicorn_threads:
        env["GUNICORN_THREADS"] = str(args.gunicorn_threads)
    gunicorn = Path(sys.executable).with_name("gunicorn")
    command = [
        str(gunicorn) if gunicorn.exists() else "gunicorn",
        "-c",
        str(ROOT / "gunicorn.conf.py"),
        "opop.wsgi:application",
    ]
    log = open(log_path, "ab")  # noqa: SIM115  (closed with the process)
    return subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)


def stop_server(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def fetch(base: str, line) -> tuple[int, str, bytes]:
    method, path, cookie_header, csrf, body = line
    request = urllib.request.Request(  # noqa: S310  (http://127.0.0.1 only)
        base + path,
        method=method,
        data=body.encode() if body else None,
    )
    if cookie_header:
        request.add_header("Cookie", cookie_header)
    if csrf:
        request.add_header("X-CSRFToken", csrf)
    if method == "POST":
        request.add_header("Content-Type", "application/x-www-form-urlencoded")
    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(request, timeout=60) as response:
            return response.status, response.headers.get("Location", ""), response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get("Location", ""), error.read()


def wait_ready(base: str, process: subprocess.Popen, log_path: Path, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"gunicorn exited ({process.returncode}); see {log_path}:\n{log_path.read_text()[-3000:]}")
        try:
            if fetch(base, ("GET", "/bench/fortunes/", "", "", ""))[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.3)
    raise SystemExit(f"gunicorn did not answer in {timeout}s; see {log_path}")


def run_wrk(args, base: str, page: Page, duration: float, workdir: Path) -> dict:
    request_file = workdir / f"{page.name}.requests"
    with open(request_file, "w") as out:
        out.write(f"{page.expect_status}\t{page.expect_location}\t{1 if page.once else 0}\n")
        for line in page.lines:
            assert not any("\t" in part or "\n" in part for part in line)
            out.write("\t".join(line) + "\n")
    threads = min(args.threads, args.connections)
    command = [
        shutil.which("wrk") or "wrk",
        f"-t{threads}",
        f"-c{args.connections}",
        f"-d{max(1, round(duration))}s",
        "--timeout",
        "30s",
        "-s",
        str(LUA),
        base,
        "--",
        str(request_file),
        str(threads),
    ]
    completed = subprocess.run(command, capture_output=True, text=True, timeout=duration + 120)
    match = re.search(r"^BENCH_JSON (\{.*\})$", completed.stdout, re.MULTILINE)
    if completed.returncode != 0 or not match:
        raise SystemExit(f"wrk failed for {page.name}:\n{completed.stdout}\n{completed.stderr}")
    raw = json.loads(match.group(1))
    seconds = raw["duration_us"] / 1e6
    return {
        "requests": raw["requests"],
        "ok": raw["ok"],
        "bad": raw["bad"] + raw["socket_errors"] + raw["timeouts"],
        "exhausted": raw["exhausted"],
        "bad_example": {"status": raw["bad_status"], "location": raw["bad_location"]} if raw["bad"] else None,
        "seconds": round(seconds, 3),
        "rps": round(raw["ok"] / seconds, 1) if seconds else 0.0,
        "p50_ms": round(raw["p50_us"] / 1000, 2),
        "p90_ms": round(raw["p90_us"] / 1000, 2),
        "p95_ms": round(raw["p95_us"] / 1000, 2),
        "p99_ms": round(raw["p99_us"] / 1000, 2),
        "mean_ms": round(raw["mean_us"] / 1000, 2),
        "max_ms": round(raw["max_us"] / 1000, 2),
    }


def warm_page(base: str, page: Page) -> None:
    """Request every distinct GET line of the page once, one after another, before the timed warm-up: a page that
    rotates over many URLs (100 products) has each one rendered and cached before it is measured, rather than
    whichever ones a short wrk warm-up happened to reach (the first measured block then counted the rest as
    misses)."""
    if page.once:
        return
    for line in dict.fromkeys(tuple(line) for line in page.lines if line[0] == "GET"):
        fetch(base, line)


def check_page(base: str, page: Page) -> tuple[int, str]:
    """One request before the pass: the page must answer as expected (a 500 or a login redirect stops the run)."""
    status, location, body = fetch(base, page.lines[0])
    expected = status == page.expect_status and (not page.expect_location or page.expect_location in location)
    if not expected:
        raise SystemExit(
            f"{page.name}: {page.lines[0][0]} {page.lines[0][1]} answered {status} {location} "
            f"(expected {page.expect_status} {page.expect_location}).\n{body[:1500].decode(errors='replace')}"
        )
    return status, location


def verdict(group: str, ratio: float | None, p95: float) -> dict:
    target = TARGETS.get(group)
    if not target:
        return {}
    result = {}
    if "min_ratio" in target and ratio is not None:
        result["ratio"] = ratio >= target["min_ratio"]
    if "max_p95_ms" in target:
        result["p95"] = p95 < target["max_p95_ms"]
    return result


def git_commit() -> str:
    try:
        return subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
        ).stdout.strip()
    except OSError:
        return ""


def wrk_version() -> str:
    completed = subprocess.run([shutil.which("wrk") or "wrk", "-v"], capture_output=True, text=True)
    return (
        (completed.stdout + completed.stderr).splitlines()[0].strip() if (completed.stdout + completed.stderr) else ""
    )


def run(args) -> dict:
    if not shutil.which("wrk"):
        raise SystemExit("wrk is not installed (Debian/Ubuntu: apt-get install wrk).")
    selected = [name.strip() for name in args.pages.split(",") if name.strip()] or list(PAGES)
    unknown = set(selected) - set(PAGES)
    if unknown:
        raise SystemExit(f"Unknown pages: {', '.join(sorted(unknown))}; choose from {', '.join(PAGES)}.")
    workdir = Path(tempfile.mkdtemp(prefix="opop-bench-"))
    static_root = workdir / "static"
    setup_django(args, static_root)

    from django.contrib.staticfiles.storage import staticfiles_storage
    from django.core.management import call_command

    started = datetime.now(UTC)
    check_migrations(args)
    print(f"collecting static files into {static_root} …", flush=True)
    call_command("collectstatic", interactive=False, verbosity=0)
    static_path = staticfiles_storage.url("bench/reference.css")
    logins = resolve_logins(args)
    prepared = Prepared()
    port = free_port(args.port)
    base = f"http://127.0.0.1:{port}"
    log_path = workdir / "gunicorn.log"
    process = None
    try:
        pages, info = build_pages(args, logins, prepared, selected)
        figures = database_figures()
        print(f"database {figures}", flush=True)
        process = start_server(args, port, log_path)
        wait_ready(base, process, log_path)
        fortunes = Page(
            "fortunes", "Minimal Django page (reference)", "reference", [("GET", "/bench/fortunes/", "", "", "")]
        )
        static = Page(
            "static", "Static file via whitenoise (reference)", "reference", [("GET", static_path, "", "", "")]
        )
        for page in [fortunes, static, *[p for p in pages if p.name != "checkout"]]:
            page.checked = check_page(base, page)[0]
        print("warming up …", flush=True)
        for page in [fortunes, static, *[p for p in pages if p.name != "checkout"]]:
            if not page.once:
                warm_page(base, page)
                run_wrk(args, base, page, args.warmup, workdir)
        measured = {}

        def measure(page: Page, key: str | None = None, duration: float | None = None):
            print(f"  {page.name:22s}", end=" ", flush=True)
            result = run_wrk(args, base, page, duration or args.duration, workdir)
            print(
                f"{result['rps']:8.1f} req/s  p50 {result['p50_ms']:7.2f}  p95 {result['p95_ms']:7.2f}  "
                f"p99 {result['p99_ms']:7.2f} ms  bad {result['bad']}",
                flush=True,
            )
            measured[key or page.name] = result
            return result

        # The minimal page runs before the first page, between every two pages and after the last: each
        # page's ratio uses the two runs beside it, so a machine whose load drifts still gives fair ratios.
        reference_duration = max(1.0, args.duration / 2)
        measure(fortunes, "fortunes_0", reference_duration)
        for index, page in enumerate([static, *pages]):
            if page.name == "checkout":
                # fresh carts: more than the minimal page could serve in the same time, so none runs out
                carts = int(max(200, max_reference_rps(measured) * args.duration * 1.2))
                prepare_checkout(page, carts, prepared)
                last = Page(
                    page.name, page.label, page.group, page.lines[-1:], page.expect_status, page.expect_location
                )
                page.checked = check_page(base, last)[0]
                page.lines = page.lines[:-1]
            measure(page)
            measure(fortunes, f"fortunes_{index + 1}", reference_duration)
    finally:
        if process is not None:
            stop_server(process)
        try:
            cleanup(prepared)
        except Exception as error:  # report, never mask the run's own error
            print(f"cleanup failed: {error}", file=sys.stderr)
        if args.broker:
            try:
                flush_broker(args.broker)
            except Exception as error:
                print(f"broker flush failed: {error}", file=sys.stderr)

    runs = [measured[f"fortunes_{index}"] for index in range(len(pages) + 2)]
    floor = sum(run["rps"] for run in runs) / len(runs)

    def beside(index: int) -> float:
        return (runs[index]["rps"] + runs[index + 1]["rps"]) / 2

    def ratio_of(rps: float, reference: float) -> float | None:
        return round(rps / reference, 3) if reference else None

    reference = {
        "fortunes": {
            "label": fortunes.label,
            "path": "/bench/fortunes/",
            "checked_status": fortunes.checked,
            **runs[0],
            "rps_mean": round(floor, 1),
            "rps_min": min(run["rps"] for run in runs),
            "rps_max": max(run["rps"] for run in runs),
            "p95_ms_median": sorted(run["p95_ms"] for run in runs)[len(runs) // 2],
            "runs": [{"rps": run["rps"], "p95_ms": run["p95_ms"]} for run in runs],
        },
        "static": {
            "label": static.label,
            "path": static_path,
            "checked_status": static.checked,
            **measured["static"],
            "ratio": ratio_of(measured["static"]["rps"], beside(0)),
        },
    }
    results = []
    for index, page in enumerate(pages, start=1):
        result = measured[page.name]
        ratio = ratio_of(result["rps"], beside(index))
        results.append(
            {
                "name": page.name,
                "label": page.label,
                "group": page.group,
                "method": page.lines[0][0] if page.lines else "POST",
                "path": page.lines[0][1] if page.lines else "",
                "distinct_requests": len(page.lines),
                "checked_status": page.checked,
                **result,
                "ratio": ratio,
                "ratio_to_run_mean": ratio_of(result["rps"], floor),
                "meets": verdict(page.group, ratio, result["p95_ms"]),
                **({"details": {**info.get(page.name, {}), **page.notes}} if info.get(page.name) or page.notes else {}),
            }
        )
    return {
        "schema": 1,
        "run": {
            "started_at": started.isoformat(timespec="seconds"),
            "finished_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "commit": git_commit(),
            "database": {**figures, "url": redact(args.database)},
            "redis": redact(args.redis) if args.redis else None,
            "broker": redact(args.broker) if args.broker else None,
            "duration_s": args.duration,
            "warmup_s": args.warmup,
            "connections": args.connections,
            "wrk_threads": min(args.threads, args.connections),
            "wrk": wrk_version(),
            "gunicorn": {
                "workers": args.workers or "gunicorn.conf.py default",
                "threads": args.gunicorn_threads or "gunicorn.conf.py default",
                "conn_max_age": args.conn_max_age,
                "max_requests": 0,
            },
            "cpus": os.cpu_count(),
            "load_average_at_end": [round(x, 2) for x in os.getloadavg()],
            "logins": {role: user.email for role, user in logins.items()},
            "stock_topped_up": prepared.topped_up
            and {"products": len(prepared.topped_up), "units": sum(prepared.topped_up.values())},
            "note": args.note,
        },
        "targets": TARGETS,
        "reference": reference,
        "pages": results,
    }


def markdown(data: dict, fixes: list) -> str:
    run = data["run"]
    db = run["database"]
    ref = data["reference"]
    lines = [
        "# Web benchmark: latest run",
        "",
        f"{run['started_at']} · commit {run['commit']} · database `{db['name']}` ({db.get('products')} products, "
        f"{db.get('stores')} stores, {db.get('pesantren')} pesantren, {db.get('order_lines')} order lines) · "
        f"{run['connections']} connections, {run['duration_s']:g} s per page · {run['cpus']} CPUs shared "
        f"(load {run['load_average_at_end'][0]}).",
        "",
        f"Minimal Django page: {ref['fortunes']['rps_mean']} req/s on average over {len(ref['fortunes']['runs'])} "
        f"runs between the pages ({ref['fortunes']['rps_min']} to {ref['fortunes']['rps_max']}), p95 "
        f"{ref['fortunes']['p95_ms_median']} ms (median); each ratio divides by the two runs beside the page. "
        f"Static file: {ref['static']['rps']} req/s (x{ref['static']['ratio']}), p95 {ref['static']['p95_ms']} ms.",
        "",
        "| page | req/s | ratio | p50 ms | p95 ms | p99 ms | target |",
        "|---|---:|---:|---:|---:|---:|---|",
    ]
    for page in data["pages"]:
        target = TARGETS.get(page["group"], {})
        wanted = []
        if "min_ratio" in target:
            wanted.append(f"ratio ≥ {target['min_ratio']}")
        if "max_p95_ms" in target:
            wanted.append(f"p95 < {target['max_p95_ms']} ms")
        met = page["meets"]
        mark = (
            ""
            if not met
            else ("met" if all(met.values()) else "missed: " + ", ".join(k for k, v in met.items() if not v))
        )
        bad = f" ({page['bad']} bad)" if page["bad"] else ""
        lines.append(
            f"| {page['label']}{bad} | {page['rps']} | {page['ratio']} | "
            f"{page['p50_ms']} | {page['p95_ms']} | {page['p99_ms']} | "
            f"{' and '.join(wanted)}{' — ' + mark if mark else ''} |"
        )
    if fixes:
        lines += ["", "## Fixes, before and after", ""]
        for fix in fixes:
            lines.append(
                f"- **{fix['page']}** ({fix['data']}): {fix['change']}. Before: {fix['before']}. After: {fix['after']}."
            )
    lines.append("")
    return "\n".join(lines)


def main(argv=None):
    args = parse_args(argv)
    if args.mixed:
        from bench.mixed import main_mixed

        return main_mixed(args)
    data = run(args)
    output = Path(args.output)
    # before/after figures of the fixes the benchmark called for, kept by hand beside the results
    fixes = json.loads(FIXES.read_text()) if FIXES.exists() else []
    data["fixes"] = fixes
    text = markdown(data, fixes)
    print()
    print(text)
    if not args.no_write:
        output.mkdir(parents=True, exist_ok=True)
        (output / "web.json").write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n")
        (output / "web.md").write_text(text)
        print(f"wrote {output / 'web.json'} and {output / 'web.md'}")
    return data


if __name__ == "__main__":
    main()
