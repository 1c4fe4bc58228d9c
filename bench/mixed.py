"""Mixed workload for `python -m bench.web --mixed`: the store pages read while the shop sells.

For each checkout rate of `--rates` (default 0, 1, 5, 20 per second) a second load generator — a thread in this
process, open loop: a checkout POST is *started* every 1/rate seconds whatever the earlier ones are doing, each in
a thread of its own pool, so a slow server gets more concurrent checkouts, as real shoppers would make — places
fresh carts (3 items from 2 stores, generated buyers, as the checkout pass of bench.web) while wrk measures the
read pages one after another, each in `--slices` slices interleaved with slices of the minimal Django page, all
under the same checkout load (measure_sliced). Reported per rate: each page's throughput as a ratio to the minimal
page beside it (the median of its slices' ratios), p50/p95, the hit rate of its cached pieces (catalogue.fragments
stats: served fresh or the previous copy, against rendered), and the checkouts' achieved rate and p50/p95/p99
latency. The 5/s result is the headline of bench/results/web.md; bench/results/web_mixed.json keeps everything.
"""

import json
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path

from bench import web

READ_PAGES = ["store_home", "search", "category_deep", "product_detail", "seller_orders", "staff_pesantren"]
PIECE_OF_PAGE = {"store_home": "home", "search": "catalogue", "category_deep": "catalogue", "product_detail": "product"}
MARK_START, MARK_END = "<!-- mixed workload: bench/mixed.py -->", "<!-- end of mixed workload -->"
TARGETS_MIXED = {
    0: {"store": 0.6, "product_detail": 0.5, "other": 0.3, "checkout_p95_ms": 100},
    5: {"store": 0.5, "product_detail": 0.4, "other": 0.25, "checkout_p95_ms": 150},
}


class CheckoutLoad:
    """Starts one checkout every 1/rate s from `lines` (each a fresh cart) until stopped; records every answer."""

    def __init__(self, base: str, lines: list, rate: float, expect_location: str):
        self.base, self.lines, self.rate, self.expect_location = base, list(lines), rate, expect_location
        self.results: list[tuple[float, float, bool]] = []  # (start, seconds, ok)
        self.ran_out = False
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._pool = ThreadPoolExecutor(max_workers=64)

    def _one(self, line) -> None:
        started = time.perf_counter()
        try:
            status, location, _body = web.fetch(self.base, line)
            ok = status == 302 and self.expect_location in location
        except OSError:
            ok = False
        with self._lock:
            self.results.append((started, time.perf_counter() - started, ok))

    def _run(self) -> None:
        if self.rate <= 0:
            return
        interval, start, n = 1.0 / self.rate, time.perf_counter(), 0
        while not self._stop.is_set():
            if n >= len(self.lines):
                self.ran_out = True
                return
            self._pool.submit(self._one, self.lines[n])
            n += 1
            delay = start + n * interval - time.perf_counter()
            if delay > 0:
                self._stop.wait(delay)

    def start(self) -> "CheckoutLoad":
        self.started_at = time.perf_counter()
        self._thread.start()
        return self

    def stop(self) -> dict:
        self._stop.set()
        self._thread.join()
        self._pool.shutdown(wait=True)
        elapsed = time.perf_counter() - self.started_at
        times = sorted(seconds for _s, seconds, _ok in self.results)
        ok = sum(1 for *_rest, good in self.results if good)

        def pct(p):
            return round(times[min(len(times) - 1, int(p / 100 * len(times)))] * 1000, 1) if times else None

        return {
            "rate": self.rate,
            "sent": len(self.results),
            "ok": ok,
            "failed": len(self.results) - ok,
            "achieved_per_s": round(ok / elapsed, 2) if elapsed else 0,
            "p50_ms": pct(50),
            "p95_ms": pct(95),
            "p99_ms": pct(99),
            "ran_out_of_carts": self.ran_out,
        }


def _pieces():
    from marketplace.catalogue import fragments

    if not hasattr(fragments, "stats"):  # a checkout from before the stats (the "before" run)
        return None
    return fragments.stats(set(PIECE_OF_PAGE.values()))


def _hit_rate(before: dict | None, after: dict | None, name: str | None):
    if name is None or before is None or after is None:
        return None
    delta = {k: after[name][k] - before[name][k] for k in after[name]}
    served = sum(delta.values())
    return round((delta["hit"] + delta["stale"] + delta["waited"]) / served, 3) if served else None


def _slicing(args) -> tuple[int, float]:
    """How many slices a page is measured in, and how long each is (wrk runs whole seconds, at least one)."""
    slices = max(1, args.slices)
    return slices, max(1.0, args.duration / slices)


def measure_sliced(args, base: str, page, fortunes, workdir: Path) -> dict:
    """The page measured in `args.slices` slices of duration/slices seconds, each between two slices of the minimal
    page: R P R P … P R. A slice's ratio is the page's throughput over the mean of the two minimal-page slices beside
    it; the page's ratio is the median slice's, and its latency figures that slice's. On a machine whose speed
    wanders (a shared VM stalls for seconds at a time), a stall spoils the slices it falls on, not the result."""
    slices, seconds = _slicing(args)
    references = [web.run_wrk(args, base, fortunes, seconds, workdir)]
    parts = []
    for _ in range(slices):
        parts.append(web.run_wrk(args, base, page, seconds, workdir))
        references.append(web.run_wrk(args, base, fortunes, seconds, workdir))
    ratios = []
    for index, part in enumerate(parts):
        beside = (references[index]["rps"] + references[index + 1]["rps"]) / 2
        ratios.append(part["rps"] / beside if beside else 0.0)
    median = sorted(range(slices), key=lambda i: ratios[i])[slices // 2]
    chosen = parts[median]
    total_seconds = sum(part["seconds"] for part in parts)
    return {
        "requests": sum(part["requests"] for part in parts),
        "ok": sum(part["ok"] for part in parts),
        "bad": sum(part["bad"] for part in parts),
        "seconds": round(total_seconds, 3),
        "rps": round(sum(part["ok"] for part in parts) / total_seconds, 1) if total_seconds else 0.0,
        "ratio": round(ratios[median], 3),
        "slice_ratios": [round(r, 3) for r in ratios],
        **{key: chosen[key] for key in ("p50_ms", "p90_ms", "p95_ms", "p99_ms", "mean_ms", "max_ms")},
        "references": [reference["rps"] for reference in references],
    }


def run_mixed(args) -> dict:
    import shutil
    import tempfile

    if not shutil.which("wrk"):
        raise SystemExit("wrk is not installed (Debian/Ubuntu: apt-get install wrk).")
    rates = [float(r) for r in args.rates.split(",") if r.strip()]
    selected = [name.strip() for name in args.pages.split(",") if name.strip()] or READ_PAGES
    workdir = Path(tempfile.mkdtemp(prefix="opop-bench-mixed-"))
    static_root = workdir / "static"
    web.setup_django(args, static_root)
    from django.core.management import call_command
    from django.urls import reverse

    started = datetime.now(UTC)
    web.check_migrations(args)
    try:  # generated data bypasses the services: make the queue's counters true first (one GROUP BY)
        from marketplace.orders.counters import order_counts_rebuild

        order_counts_rebuild()
    except ImportError:  # a checkout from before the counters
        pass
    call_command("collectstatic", interactive=False, verbosity=0)
    logins = web.resolve_logins(args)
    prepared = web.Prepared()
    port = web.free_port(args.port)
    base = f"http://127.0.0.1:{port}"
    log_path = workdir / "gunicorn.log"
    process = None
    blocks = []
    try:
        pages, info = web.build_pages(args, logins, prepared, selected)
        figures = web.database_figures()
        print(f"database {figures}", flush=True)
        process = web.start_server(args, port, log_path)
        web.wait_ready(base, process, log_path)
        fortunes = web.Page("fortunes", "Minimal Django page", "reference", [("GET", "/bench/fortunes/", "", "", "")])
        for page in [fortunes, *pages]:
            page.checked = web.check_page(base, page)[0]
        print("warming up …", flush=True)
        for page in [fortunes, *pages]:
            web.warm_page(base, page)
            web.run_wrk(args, base, page, args.warmup, workdir)
        slices, slice_seconds = _slicing(args)
        # each page: its slices and one more slice of the minimal page than it has slices (measure_sliced)
        block_seconds = len(pages) * (2 * slices + 1) * slice_seconds + 10
        for rate in rates:
            checkout = web.Page("checkout", *web.PAGES["checkout"], lines=[], expect_status=302)
            carts = int(rate * block_seconds * 1.3) + 5 if rate else 0
            if carts:
                web.prepare_checkout(checkout, carts, prepared)
            print(f"rate {rate:g} checkouts/s ({carts} carts)", flush=True)
            load = CheckoutLoad(base, checkout.lines, rate, reverse("marketplace:order_list")).start()
            rows, references = [], []
            for page in pages:
                before = _pieces()
                result = measure_sliced(args, base, page, fortunes, workdir)
                result["hit_rate"] = _hit_rate(before, _pieces(), PIECE_OF_PAGE.get(page.name))
                references += result.pop("references")
                rows.append({"name": page.name, "label": page.label, **result})
                print(
                    f"  {page.name:18s} {result['rps']:8.1f} req/s  ratio {result['ratio']} "
                    f"(slices {result['slice_ratios']})  p95 {result['p95_ms']:7.1f} ms  hit {result['hit_rate']}",
                    flush=True,
                )
            checkouts = load.stop()
            print(f"  checkout {checkouts}", flush=True)
            blocks.append(
                {
                    "rate": rate,
                    "fortunes_rps": references,
                    "pages": rows,
                    "checkout": checkouts,
                    "load_average": [round(x, 2) for x in __import__("os").getloadavg()],
                }
            )
    finally:
        if process is not None:
            web.stop_server(process)
        try:
            web.cleanup(prepared)
        except Exception as error:
            print(f"cleanup failed: {error}")
        if args.broker:
            try:
                web.flush_broker(args.broker)
            except Exception as error:
                print(f"broker flush failed: {error}")
    import os

    return {
        "schema": 1,
        "mode": "mixed",
        "run": {
            "started_at": started.isoformat(timespec="seconds"),
            "finished_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "commit": web.git_commit(),
            "database": {**figures, "url": web.redact(args.database)},
            "duration_s": args.duration,
            "slices": args.slices,
            "connections": args.connections,
            "cpus": os.cpu_count(),
            "load_average_at_end": [round(x, 2) for x in os.getloadavg()],
            "note": args.note,
            "details": info,
        },
        "targets": TARGETS_MIXED,
        "rates": blocks,
    }


def markdown_mixed(data: dict) -> str:
    run = data["run"]
    db = run["database"]
    lines = [
        "# Web benchmark: mixed workload (reads while the shop sells)",
        "",
        f"{run['started_at']} · commit {run['commit']} · database `{db['name']}` ({db.get('products')} products, "
        f"{db.get('stores')} stores, {db.get('order_lines')} order lines) · {run['connections']} connections, "
        f"{run['duration_s']:g} s per page · {run['cpus']} CPUs shared (load at end {run['load_average_at_end']}).",
        f"{run['note']}",
        "",
        "Ratio: the page's throughput over the minimal Django page's measured beside it under the same checkout "
        "load, the median of its slices' (each slice of the page between two slices of the minimal page; all of "
        "them in the JSON); hit: share of the page's cached pieces served from the cache (fresh or the previous "
        "copy) rather than rendered.",
        "",
    ]
    headline = next((b for b in data["rates"] if b["rate"] == 5), None)
    ordered = ([headline] if headline else []) + [b for b in data["rates"] if b is not headline]
    for block in ordered:
        c = block["checkout"]
        title = f"## {block['rate']:g} checkouts/s" + (" (headline)" if block is headline else "")
        lines += [
            title,
            "",
            f"Checkouts: {c['ok']} placed of {c['sent']} sent ({c['achieved_per_s']}/s achieved), "
            f"p50 {c['p50_ms']} ms, p95 {c['p95_ms']} ms, p99 {c['p99_ms']} ms. Load average {block['load_average']}.",
            "",
            "| page | req/s | ratio | slices' ratios | hit | p50 ms | p95 ms |",
            "|---|---:|---:|---|---:|---:|---:|",
        ]
        for page in block["pages"]:
            lines.append(
                f"| {page['label']} | {page['rps']} | {page['ratio']} | "
                f"{' '.join(str(r) for r in page.get('slice_ratios', []))} | "
                f"{'' if page['hit_rate'] is None else page['hit_rate']} | {page['p50_ms']} | {page['p95_ms']} |"
            )
        lines.append("")
    return "\n".join(lines)


def main_mixed(args) -> dict:
    data = run_mixed(args)
    text = markdown_mixed(data)
    print()
    print(text)
    if not args.no_write:
        output = Path(args.output)
        output.mkdir(parents=True, exist_ok=True)
        (output / "web_mixed.json").write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n")
        (output / "web_mixed.md").write_text(text)
        # the headline of web.md: the mixed result, above the read-only pass (kept below it)
        summary = output / "web.md"
        rest = summary.read_text() if summary.exists() else ""
        if MARK_END in rest:
            rest = rest.split(MARK_END, 1)[1].lstrip("\n")
        summary.write_text(f"{MARK_START}\n{text}\n{MARK_END}\n\n{rest}")
        print(f"wrote {output / 'web_mixed.json'}, {output / 'web_mixed.md'} and the headline of {summary}")
    return data
