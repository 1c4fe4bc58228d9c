"""Profile the uncached path of the store pages: render them with the fragment cache off, in this process.

    .venv/bin/python -m bench.profile_pages --database postgres://postgres@127.0.0.1:5432/opop_scale \
        [--pages store_home,product_detail,store,category,seller_orders,staff_pesantren,checkout] [--cached] \
        [--url /santri/ --login bench.staf@opop.test] [--repeat 20] [--top 25] [--sort cumulative] [--plain] \
        [--json FILE] [--broker redis://127.0.0.1:6379/12] [--redis redis://127.0.0.1:6379/13]

Each page is requested through Django's test client (the full middleware, bench.settings: production settings,
DEBUG off) `--repeat` times after one warm-up, with CATALOGUE_FRAGMENT_CACHE off so every request renders from
the database (`--cached` keeps it on, in this process' memory, to profile the path of a cache hit), and reported
as the median wall time per request, this process' CPU time in it (steadier than the wall time on a loaded
machine; SQLite's work counts as CPU; a local PostgreSQL backend's CPU is given beside it, averaged over the
requests), the SQL time inside it and the cProfile top functions by own time (template rendering shows as
django.template.* frames). `checkout` POSTs a fresh 3-item cart of a generated buyer each time; `--url` adds
any path, requested as `--login`; `--plain` times without the profiler (cProfile roughly doubles the wall time
of template-heavy pages). A benchmark, never a test: the figures depend on the machine and its load (printed
with them).
"""

import argparse
import cProfile
import io
import json
import os
import pstats
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", default=os.environ.get("DATABASE_URL"))
    parser.add_argument(
        "--pages",
        default="store_home,product_detail,store,category",
        help="also: seller_orders, staff_pesantren, checkout (POST: places a fresh 3-item cart each time)",
    )
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--url", action="append", default=[], help="also profile this path (repeatable)")
    parser.add_argument("--login", default=None, help="e-mail of the user the --url paths are requested as")
    parser.add_argument(
        "--cached", action="store_true", help="keep the fragment cache on (this process' memory): the cached path"
    )
    parser.add_argument("--top", type=int, default=20)
    parser.add_argument("--sort", default="tottime", help="pstats order: tottime (own time) or cumulative")
    parser.add_argument("--plain", action="store_true", help="no profiler: wall and SQL times only, unskewed")
    parser.add_argument("--json", default=None, help="write the figures here")
    parser.add_argument(
        "--broker",
        default=None,
        help="Celery broker URL (a Redis db of the run's own, flushed after): tasks are enqueued after the commit as "
        "in production, not run in the request (the default: eagerly, so a checkout renders its e-mails)",
    )
    parser.add_argument(
        "--redis",
        default=None,
        help="with --cached: the shared cache (REDIS_URL, a Redis db of the run's own, flushed first) instead of this "
        "process' memory, as the web servers use it: a hit then costs its round trip and unpickling",
    )
    args = parser.parse_args(argv)
    if not args.database:
        parser.error("--database (or DATABASE_URL) is required")
    return args


def setup(args):
    os.environ["DATABASE_URL"] = args.database
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    if getattr(args, "redis", None):
        import redis

        redis.Redis.from_url(args.redis).flushdb()
        os.environ["REDIS_URL"] = args.redis
    else:
        os.environ.pop("REDIS_URL", None)  # per-process memory cache: the fragment cache is off anyway
    if getattr(args, "broker", None):
        os.environ["CELERY_BROKER_URL"] = args.broker
    else:
        os.environ.pop("CELERY_BROKER_URL", None)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings

    settings.CATALOGUE_FRAGMENT_CACHE = bool(getattr(args, "cached", False))
    settings.ALLOWED_HOSTS = ["*"]
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


def urls(names):
    from django.db.models import Count
    from django.urls import reverse

    from marketplace.models import Product, Store

    visible = Product.objects.visible()
    product = visible.order_by("-sold_count", "-id").first()
    store = Store.objects.filter(is_active=True).annotate(n=Count("products")).order_by("-n").first()
    top = visible.values("category__slug").annotate(n=Count("id")).order_by("-n").first()
    known = {
        "store_home": reverse("marketplace:home"),
        "product_detail": reverse("marketplace:product", kwargs={"slug": product.slug}),
        "store": reverse("marketplace:store", kwargs={"slug": store.slug}),
        "category": reverse("marketplace:category", kwargs={"slug": top["category__slug"]}),
        "seller_orders": reverse("marketplace:seller_order_list"),
        "staff_pesantren": reverse("pesantren:staff_list"),
        "checkout": "checkout",  # a POST of a fresh cart each time (Checkouts)
    }
    return {name: known[name] for name in names}


# Pages behind a login, and whose: bench.web's roles (seed_scale's logins; the demo's where those are missing).
LOGINS = {"seller_orders": "seller", "staff_pesantren": "staff"}


def client_for(name, login=None):
    from django.contrib.auth import get_user_model
    from django.test import Client

    client = Client()
    from bench.web import DEMO_LOGINS, SCALE_LOGINS

    role = LOGINS.get(name)
    emails = (SCALE_LOGINS[role], DEMO_LOGINS[role]) if role else ((login,) if login else ())
    if emails:
        user = get_user_model().objects.filter(email__in=emails).order_by("email").first()
        if user is None:
            raise SystemExit(f"{name} needs one of the logins {emails}")
        client.force_login(user)
    return client


class Checkouts:
    """Fresh carts of 3 products from 2 stores, one generated buyer each (as bench.web's checkout pass), placed by
    POSTing the checkout form: `prepare()` (outside the timing) fills the next buyer's cart and signs them in."""

    def __init__(self, count):
        from django.test import Client
        from django.urls import reverse

        from bench import web

        by_store: dict[int, list[int]] = {}
        for pk, store_id in web.eligible_products().order_by("-stock", "id").values_list("pk", "store_id")[:400]:
            by_store.setdefault(store_id, []).append(pk)
        two = [store for store, products in by_store.items() if len(products) >= 2]
        others = list(by_store)
        self.carts = []
        for n in range(count):
            first = two[n % len(two)]
            second = next(s for s in others[(n + 1) % len(others) :] + others if s != first)
            self.carts.append((by_store[first][:2], by_store[second][0], sorted({first, second})))
        self.users = web.bench_buyers(count, prefix="bench.profile")
        self.client, self.url, self.n = Client(), reverse("marketplace:checkout"), 0

    def prepare(self):
        from marketplace.models import Address, CartItem

        user = self.users[self.n % len(self.users)]
        (p1, p2), p3, stores = self.carts[self.n % len(self.carts)]
        self.n += 1
        CartItem.objects.filter(user=user).delete()
        CartItem.objects.bulk_create([CartItem(user=user, product_id=pk, quantity=1) for pk in (p1, p2, p3)])
        address = Address.objects.filter(user=user, is_default=True).values_list("pk", flat=True).first()
        self.client.force_login(user)
        data = {"address": address, "payment": "bank_transfer", "place": "1"}
        data.update({f"delivery_{store}": "shipping" for store in stores})
        return data

    def request(self, data):
        response = self.client.post(self.url, data)
        assert response.status_code == 302 and "/pesanan/" in response["Location"], (response.status_code, data)
        return response


def _server_cpu() -> float | None:
    """CPU seconds the PostgreSQL backend of this process' connection has used, when it runs on this machine
    (/proc); None for SQLite or a remote server. 10 ms ticks: meaningful as a total over many requests."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        [pid] = cursor.fetchone()
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def measure(client, url, repeat, top, sort="tottime", plain=False):
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    checkouts = Checkouts(repeat + 1) if url == "checkout" else None
    if checkouts:
        checkouts.request(checkouts.prepare())  # warm-up
    else:
        assert client.get(url).status_code == 200, url  # warm-up: templates loaded, category tree and regions read
    walls, cpus, sqls, queries = [], [], [], []
    profiler = None if plain else cProfile.Profile()
    server_start = _server_cpu()
    for _ in range(repeat):
        data = checkouts.prepare() if checkouts else None
        reset_queries()
        with CaptureQueriesContext(connection) as context:
            start, cpu = time.perf_counter(), time.process_time()
            profiler and profiler.enable()
            checkouts.request(data) if checkouts else client.get(url)
            profiler and profiler.disable()
            walls.append(time.perf_counter() - start)
            cpus.append(time.process_time() - cpu)
        sqls.append(sum(float(q["time"]) for q in context.captured_queries))
        queries.append(len(context))
    server_end = _server_cpu()
    out = io.StringIO()
    if profiler:
        pstats.Stats(profiler, stream=out).sort_stats(sort).print_stats(top)
    return {
        "url": url,
        "median_ms": round(statistics.median(walls) * 1000, 1),
        "cpu_ms": round(statistics.median(cpus) * 1000, 1),
        "server_cpu_ms": None if server_start is None else round((server_end - server_start) / repeat * 1000, 1),
        "sql_ms": round(statistics.median(sqls) * 1000, 1),
        "queries": statistics.median(queries),
        "profile": out.getvalue(),
    }


def main(argv=None):
    args = parse_args(argv)
    setup(args)
    results = {}
    pages = urls([n.strip() for n in args.pages.split(",") if n.strip()])
    pages.update({path: path for path in args.url})
    for name, url in pages.items():
        client = client_for(name, args.login if name in args.url else None)
        result = measure(client, url, args.repeat, args.top, sort=args.sort, plain=args.plain)
        results[name] = result
        print(
            f"== {name} {url}: median {result['median_ms']} ms (this process' CPU {result['cpu_ms']} ms, "
            f"PostgreSQL's {result['server_cpu_ms']} ms a request on average), "
            f"SQL {result['sql_ms']} ms, {result['queries']} queries"
        )
        print(result["profile"])
    if args.broker:
        from bench.web import flush_broker

        flush_broker(args.broker)
    load = [round(x, 2) for x in os.getloadavg()]
    print(f"load average {load}")
    if args.json:
        summary = {name: {k: v for k, v in r.items() if k != "profile"} for name, r in results.items()}
        Path(args.json).write_text(json.dumps({"load_average": load, "pages": summary}, indent=2) + "\n")
    return results


if __name__ == "__main__":
    main()
