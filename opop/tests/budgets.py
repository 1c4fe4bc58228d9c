"""Query budgets for pages: what one GET costs once the shared caches are warm.

A page is measured with a handful of rows and again with fifty; a list or dashboard must cost the
same for both (no query per row) and stay under its ceiling. The first GET warms what every node
keeps in the shared cache (session, category tree, regions, "data as of"); the second is counted.
"""

import os

from django.db import connection
from django.test.utils import CaptureQueriesContext


def queries_for(client, url: str, data: dict | None = None) -> int:
    client.get(url, data)
    with CaptureQueriesContext(connection) as context:
        response = client.get(url, data)
    assert response.status_code == 200, (url, response.status_code)
    return len(context)


def measure(client, pages: dict[str, tuple[str, dict | None]]) -> dict[str, int]:
    return {name: queries_for(client, url, data) for name, (url, data) in pages.items()}


def assert_budgets(small: dict[str, int], large: dict[str, int], ceilings: dict[str, int]) -> None:
    """Same count for few and many rows, and within the page's ceiling (if it has one)."""
    if os.environ.get("OPOP_PRINT_BUDGETS"):  # `OPOP_PRINT_BUDGETS=1 pytest -s …` lists the counts
        for name in large:
            print(f"budget {name}: {small[name]} / {large[name]} (ceiling {ceilings.get(name, '-')})")
    problems = [
        f"{name}: {small[name]} queries with 1 row, {large[name]} with 50"
        for name in small
        if small[name] != large[name]
    ]
    problems += [
        f"{name}: {large[name]} queries, budget {ceilings[name]}" for name in ceilings if large[name] > ceilings[name]
    ]
    assert not problems, "; ".join(problems)
