"""The mixed workload's aggregation (bench/mixed.py): a page measured in slices between slices of the minimal page
takes the median slice's ratio, so a stall of the machine during one slice (or one reference) does not move it."""

from types import SimpleNamespace

from bench import mixed, web


def _wrk(rps, p95=10.0):
    return {"requests": int(rps), "ok": int(rps), "bad": 0, "seconds": 1.0, "rps": float(rps), "p50_ms": p95 / 2,
            "p90_ms": p95, "p95_ms": p95, "p99_ms": p95, "mean_ms": p95 / 2, "max_ms": p95}  # fmt: skip


def test_a_stall_in_one_slice_or_one_reference_leaves_the_pages_ratio(monkeypatch):
    runs = iter(
        [
            _wrk(1000),  # the minimal page before the first slice
            *(_wrk(500, 20), _wrk(1000)),
            *(_wrk(200, 90), _wrk(1000)),  # the page's slice during a stall
            *(_wrk(500, 21), _wrk(400)),  # a stall during the minimal page's slice
            *(_wrk(500, 22), _wrk(1000)),
            *(_wrk(510, 23), _wrk(1000)),
        ]
    )
    calls = []

    def fake_run_wrk(args, base, page, seconds, workdir):
        calls.append((page, seconds))
        return next(runs)

    monkeypatch.setattr(web, "run_wrk", fake_run_wrk)
    args = SimpleNamespace(slices=5, duration=10)
    result = mixed.measure_sliced(args, "http://x", "page", "fortunes", None)
    assert [page for page, _s in calls] == ["fortunes", *["page", "fortunes"] * 5]
    assert {seconds for _p, seconds in calls} == {2.0}
    assert result["slice_ratios"] == [0.5, 0.2, 0.714, 0.714, 0.51]
    assert result["ratio"] == 0.51 and result["p95_ms"] == 23  # the median slice, with its own latencies
    assert result["rps"] == 442.0 and result["ok"] == 2210  # every slice's requests over every slice's time
    assert result["references"] == [1000.0, 1000.0, 1000.0, 400.0, 1000.0, 1000.0]
