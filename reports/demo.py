"""Demo: runs last in seed_demo and rolls every figure up, so `make run` shows real dashboards."""

from reports.services import rollup_full


def seed(users) -> None:
    rollup_full()
