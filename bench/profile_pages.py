"""Profile the uncached path of the store pages: render them with the fragment cache off, in this process.

    .venv/bin/python -m bench.profile_pages --database postgres://postgres@127.0.0.1:5432/opop_scale \
        [--pages store_home,product_detail,store,category] [--repeat 20] [--top 25] [--json FILE]

Each page is requested through Django's test client (the full middleware, bench.settings: production settings,
DEBUG off) `--repeat` times after one warm-up, with CATALOGUE_FRAGMENT_CACHE off so every request renders from
the database, and reported as the median wall time per request, the SQL time inside it and the cProfile top
functions by own time (template rendering shows as django.template.* frames). A benchmark, never a test: the
figures depend on the machine and its load (printed with them).
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
        "--pages", default="store_home,product_detail,store,category", help="also: seller_orders, staff_pesantren"
    )
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--top", type=int, default=20)
    parser.add_argument("--json", default=None, help="write the figures here")
    args = parser.parse_args(argv)
    if not args.database:
        parser.error("--database (or DATABASE_URL) is required")
    return args


def setup(args):
    os.environ["DATABASE_URL"] = args.database
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    os.environ.pop("REDIS_URL", None)  # per-process memory cache: the fragment cache is off anyway
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings

    settings.CATALOGUE_FRAGMENT_CACHE = False
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
    }
    return {name: known[name] for name in names}


# Pages behind a login, and whose (seed_scale's logins; the demo's where those are missing).
LOGINS = {
    "seller_orders": ("bench.penjual@opop.test", "penjual@opop.test"),
    "staff_pesantren": ("bench.staf@opop.test", "staf@opop.test"),
}


def client_for(name):
    from django.contrib.auth import get_user_model
    from django.test import Client

    client = Client()
    if name in LOGINS:
        user = get_user_model().objects.filter(email__in=LOGINS[name]).order_by("email").first()
        if user is None:
            raise SystemExit(f"{name} needs one of the logins {LOGINS[name]}")
        client.force_login(user)
    return client


def measure(client, url, repeat, top):
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    assert client.get(url).status_code == 200, url  # warm-up: templates loaded, category tree and regions read
    walls, sqls, queries = [], [], []
    profiler = cProfile.Profile()
    for _ in range(repeat):
        reset_queries()
        with CaptureQueriesContext(connection) as context:
            start = time.perf_counter()
            profiler.enable()
            client.get(url)
            profiler.disable()
            walls.append(time.perf_counter() - start)
        sqls.append(sum(float(q["time"]) for q in context.captured_queries))
        queries.append(len(context))
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out).sort_stats("tottime")
    stats.print_stats(top)
    return {
        "url": url,
        "median_ms": round(statistics.median(walls) * 1000, 1),
        "sql_ms": round(statistics.median(sqls) * 1000, 1),
        "queries": statistics.median(queries),
        "profile": out.getvalue(),
    }


def main(argv=None):
    args = parse_args(argv)
    setup(args)
    results = {}
    for name, url in urls([n.strip() for n in args.pages.split(",") if n.strip()]).items():
        result = measure(client_for(name), url, args.repeat, args.top)
        results[name] = result
        print(
            f"== {name} {url}: median {result['median_ms']} ms, SQL {result['sql_ms']} ms, {result['queries']} queries"
        )
        print(result["profile"])
    load = [round(x, 2) for x in os.getloadavg()]
    print(f"load average {load}")
    if args.json:
        summary = {name: {k: v for k, v in r.items() if k != "profile"} for name, r in results.items()}
        Path(args.json).write_text(json.dumps({"load_average": load, "pages": summary}, indent=2) + "\n")
    return results


if __name__ == "__main__":
    main()
