"""Races for the PostgreSQL-only tests: run an action in many threads released together."""

import threading

from django.db import connection, connections
from django.utils import translation


def run_together(count: int, action) -> list:
    """Run `action(i)` in `count` threads released together by a barrier, each on its own connection, and
    return the results by index. An exception is returned in place of its result, so the test sees it.

    Each thread connects before the barrier, so the barrier releases a race and not a queue; the active
    language is per thread, so each runs in English."""
    barrier = threading.Barrier(count)
    results: list = [None] * count

    def run(i):
        try:
            connection.ensure_connection()
            barrier.wait(timeout=60)
            with translation.override("en"):
                results[i] = action(i)
        except Exception as error:  # handed to the test, which asserts there is none
            results[i] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results
