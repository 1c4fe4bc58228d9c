"""Backup and restore on PostgreSQL: seed the demo into a fresh database, pg_dump it, pg_restore it into another
and compare row counts and money sums; the operators' `manage.py backup_verify` does the same."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

from opop.backup import Database, backup_verify, drop_database

ROOT = Path(__file__).resolve().parents[2]

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_dump/pg_restore need PostgreSQL's databases"),
    pytest.mark.django_db,
]


def _manage(database: Database, *args: str) -> subprocess.CompletedProcess:
    environ = {k: v for k, v in os.environ.items() if k not in {"CELERY_BROKER_URL", "REDIS_URL"}}
    environ.update(
        DJANGO_SETTINGS_MODULE="opop.settings.test",  # eager tasks, fast password hashing
        DATABASE_URL=f"postgres://{database.user}@{database.host}:{database.port}/{database.name}",
    )
    if database.password:
        environ["PGPASSWORD"] = database.password
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=environ, capture_output=True, text=True, check=False
    )


def _money(database: Database) -> dict[str, int]:
    """The money sums, read independently of opop.backup."""
    queries = {
        "orders": "SELECT COALESCE(SUM(total), 0), COUNT(*) FROM marketplace_order",
        "payments": "SELECT COALESCE(SUM(amount), 0), COUNT(*) FROM marketplace_payment",
        "samsat": "SELECT COALESCE(SUM(total), 0), COUNT(*) FROM samsat_payment",
        "omzet": "SELECT COALESCE(SUM(omzet), 0), COUNT(*) FROM pesantren_monthlyreport",
        "rollup_omzet": "SELECT COALESCE(SUM(omzet), 0), COUNT(*) FROM reports_figurerollup",
    }
    with database.connect() as conn:
        return {name: tuple(conn.execute(sql).fetchone()) for name, sql in queries.items()}


@pytest.fixture(scope="module")
def seeded(django_db_blocker):
    """A fresh database (not the pytest one) with every migration and the demo data."""
    with django_db_blocker.unblock():
        server = Database.from_settings(connection.settings_dict)
    name = f"{server.name}_seed_{secrets.token_hex(3)}"
    with server.with_name("postgres").connect(autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}" TEMPLATE template0')
    source = server.with_name(name)
    try:
        for command in (["migrate", "--noinput", "-v0"], ["seed_demo"]):
            done = _manage(source, *command)
            assert done.returncode == 0, done.stderr[-3000:]
        yield source
    finally:
        drop_database(server, name)
        with server.with_name("postgres").connect(autocommit=True) as conn:
            left = conn.execute("SELECT datname FROM pg_database WHERE datname LIKE %s", [f"{name}%"]).fetchall()
        assert left == [], "a temporary database was left behind"


def test_a_dump_of_the_seeded_database_restores_with_every_row_and_every_rupiah(seeded):
    seen = {}
    verification = backup_verify(seeded, inspect=lambda scratch: seen.update(restored=_money(scratch)))
    source = _money(seeded)
    assert verification.ok, verification.differences[:20]
    assert seen["restored"] == source  # read directly from both databases
    assert all(total > 0 and count > 0 for total, count in source.values()), source  # the demo has all of them
    assert verification.source.money == {
        "OPOP Mart order totals": source["orders"][0],
        "OPOP Mart payments": source["payments"][0],
        "Samsat payments": source["samsat"][0],
        "monthly report omzet": source["omzet"][0],
        "dashboard omzet (rollups)": source["rollup_omzet"][0],
    }
    rows = verification.restored.rows
    assert rows["django_migrations"] > 0 and rows["opop_user"] > 0 and rows["marketplace_order"] == source["orders"][1]
    assert len(rows) == len(verification.source.rows) > 50  # every table, not a sample


def test_a_restore_that_lost_a_rupiah_or_a_row_is_caught(seeded):
    def tamper(scratch: Database):
        with scratch.connect(autocommit=True) as conn:
            conn.execute(
                "UPDATE marketplace_order SET subtotal = subtotal + 1, total = total + 1"
                " WHERE id = (SELECT MIN(id) FROM marketplace_order)"
            )
            conn.execute("DELETE FROM reports_figurerollup WHERE id = (SELECT MIN(id) FROM reports_figurerollup)")

    verification = backup_verify(seeded, inspect=tamper)
    assert not verification.ok
    differences = "\n".join(verification.differences)
    assert "money OPOP Mart order totals" in differences and "sums marketplace_order.total" in differences
    assert "rows reports_figurerollup" in differences


def test_the_backup_verify_command_keeps_the_verified_dump(seeded, tmp_path):
    output = tmp_path / "opop.dump"
    done = _manage(seeded, "backup_verify", "--output", str(output))
    assert done.returncode == 0, done.stderr[-3000:]
    assert "The restored copy matches" in done.stdout and "Samsat payments: Rp " in done.stdout
    listing = subprocess.run(["/usr/bin/pg_restore", "--list", str(output)], capture_output=True, text=True, check=True)
    assert "TABLE DATA public marketplace_order" in listing.stdout
