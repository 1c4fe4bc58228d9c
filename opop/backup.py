"""Backups that are proven to restore: dump a consistent snapshot, restore it into a scratch database, compare.

`backup_verify(database)` (and `manage.py backup_verify`):
1. opens a REPEATABLE READ transaction on the source and exports its snapshot;
2. in that snapshot, counts the rows of every table, sums every integer/numeric column and reads every
   sequence (the "fingerprint"), and runs `pg_dump --format=custom --snapshot=...`, so the dump and the
   fingerprint describe exactly the same data even while the portal keeps writing;
3. creates a scratch database, `pg_restore --no-owner --no-privileges --exit-on-error --jobs=N` into it,
   fingerprints it and compares; the scratch database is always dropped.
PostgreSQL only. pg_dump/pg_restore must be the server's major version or newer.
"""

import os
import secrets
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

# The money the programme reports on, named for people reading the result (every numeric column of every
# table is compared anyway): (label, model, column).
MONEY = [
    ("OPOP Mart order totals", "marketplace.Order", "total"),
    ("OPOP Mart payments", "marketplace.Payment", "amount"),
    ("Samsat payments", "samsat.Payment", "total"),
    ("monthly report omzet", "pesantren.MonthlyReport", "omzet"),
    ("dashboard omzet (rollups)", "reports.FigureRollup", "omzet"),
]

NUMERIC_TYPES = ("smallint", "integer", "bigint", "numeric")


@dataclass
class Database:
    """Where a PostgreSQL database is (libpq parameters; the password goes through PGPASSWORD)."""

    name: str
    host: str = "127.0.0.1"
    port: int = 5432
    user: str = "postgres"
    password: str = ""

    @classmethod
    def from_settings(cls, settings_dict: dict) -> "Database":
        return cls(
            name=settings_dict["NAME"],
            host=settings_dict.get("HOST") or "127.0.0.1",
            port=int(settings_dict.get("PORT") or 5432),
            user=settings_dict.get("USER") or "postgres",
            password=settings_dict.get("PASSWORD") or "",
        )

    def with_name(self, name: str) -> "Database":
        return Database(name=name, host=self.host, port=self.port, user=self.user, password=self.password)

    def connect(self, **kwargs):
        import psycopg

        return psycopg.connect(
            dbname=self.name, host=self.host, port=self.port, user=self.user, password=self.password or None, **kwargs
        )

    def cli_args(self) -> list[str]:
        return ["--host", self.host, "--port", str(self.port), "--username", self.user, "--no-password"]

    def environ(self) -> dict[str, str]:
        env = {**os.environ}
        if self.password:
            env["PGPASSWORD"] = self.password
        return env


@dataclass
class Fingerprint:
    rows: dict[str, int] = field(default_factory=dict)  # table -> row count
    sums: dict[str, int] = field(default_factory=dict)  # "table.column" -> sum (0 when empty)
    sequences: dict[str, int | None] = field(default_factory=dict)  # sequence -> last_value
    money: dict[str, int] = field(default_factory=dict)  # label -> sum

    def differences(self, other: "Fingerprint") -> list[str]:
        found = []
        for kind in ("rows", "sums", "sequences", "money"):
            mine, theirs = getattr(self, kind), getattr(other, kind)
            for key in sorted(set(mine) | set(theirs)):
                if mine.get(key, "missing") != theirs.get(key, "missing"):
                    found.append(f"{kind} {key}: {mine.get(key, 'missing')} != {theirs.get(key, 'missing')}")
        return found


def _quote(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


def fingerprint(cursor) -> Fingerprint:
    """Row counts, numeric column sums and sequence values of every table in the public schema."""
    from django.apps import apps

    result = Fingerprint()
    cursor.execute(
        "SELECT c.relname, a.attname, format_type(a.atttypid, a.atttypmod) FROM pg_class c "
        "JOIN pg_namespace n ON n.oid = c.relnamespace "
        "LEFT JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped "
        "WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') ORDER BY c.relname, a.attnum"
    )
    columns: dict[str, list[str]] = {}
    for table, column, type_name in cursor.fetchall():
        columns.setdefault(table, [])
        if column and type_name.split("(")[0] in NUMERIC_TYPES:
            columns[table].append(column)
    for table, numeric in columns.items():
        sums = ", ".join(f"COALESCE(SUM({_quote(c)}), 0)" for c in numeric)
        cursor.execute(f"SELECT COUNT(*){', ' + sums if sums else ''} FROM {_quote(table)}")  # noqa: S608
        count, *totals = cursor.fetchone()
        result.rows[table] = count
        for column, total in zip(numeric, totals, strict=True):
            result.sums[f"{table}.{column}"] = int(total)
    cursor.execute("SELECT sequencename, last_value FROM pg_sequences WHERE schemaname = 'public'")
    result.sequences = dict(cursor.fetchall())
    for label, model_label, column in MONEY:
        try:
            table = apps.get_model(model_label)._meta.db_table
        except LookupError:  # that app is not installed
            continue
        if f"{table}.{column}" in result.sums:
            result.money[label] = result.sums[f"{table}.{column}"]
    return result


def _run(args: list[str], database: Database) -> None:
    completed = subprocess.run(args, env=database.environ(), capture_output=True, text=True, check=False)  # noqa: S603
    if completed.returncode != 0:
        raise RuntimeError(f"{Path(args[0]).name} failed ({completed.returncode}): {completed.stderr.strip()[:2000]}")


def tool(name: str) -> str:
    found = shutil.which(name) or (f"/usr/bin/{name}" if Path(f"/usr/bin/{name}").exists() else None)
    if not found:
        raise RuntimeError(f"{name} is not installed (apt install postgresql-client).")
    return found


def dump(database: Database, path: Path, *, snapshot: str | None = None) -> None:
    args = [tool("pg_dump"), *database.cli_args(), "--format=custom", "--file", str(path)]
    if snapshot:
        args += ["--snapshot", snapshot]
    _run([*args, database.name], database)


def restore(database: Database, path: Path, *, jobs: int = 2) -> None:
    """Restore a custom-format dump into an existing, empty database, owned by the connecting role."""
    args = [tool("pg_restore"), *database.cli_args(), "--no-owner", "--no-privileges", "--exit-on-error"]
    _run([*args, f"--jobs={jobs}", "--dbname", database.name, str(path)], database)


def create_database(server: Database, name: str) -> Database:
    with server.with_name("postgres").connect(autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {_quote(name)} TEMPLATE template0")
    return server.with_name(name)


def drop_database(server: Database, name: str) -> None:
    with server.with_name("postgres").connect(autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {_quote(name)} WITH (FORCE)")


@dataclass
class Verification:
    source: Fingerprint
    restored: Fingerprint
    dump_path: Path
    dump_bytes: int

    @property
    def differences(self) -> list[str]:
        return self.source.differences(self.restored)

    @property
    def ok(self) -> bool:
        return not self.differences


def dump_with_fingerprint(database: Database, path: Path) -> Fingerprint:
    """Dump `database` to `path` and fingerprint exactly the data in the dump (one exported snapshot)."""
    with database.connect() as conn:
        conn.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        snapshot = conn.execute("SELECT pg_export_snapshot()").fetchone()[0]
        with conn.cursor() as cursor:
            source = fingerprint(cursor)
        dump(database, path, snapshot=snapshot)  # the snapshot lives while this transaction is open
        conn.rollback()
    return source


def backup_verify(database: Database, *, output: Path | None = None, jobs: int = 2, inspect=None) -> Verification:
    """Dump `database` (to `output`, or a temporary file), restore it into a scratch database and compare.

    `inspect(scratch: Database)` is called before the scratch database is fingerprinted (tests use it)."""
    workdir = None
    if output is None:
        workdir = tempfile.TemporaryDirectory(prefix="opop-backup-")
        output = Path(workdir.name) / "opop.dump"
    scratch_name = f"{database.name}_verify_{secrets.token_hex(4)}"
    try:
        source = dump_with_fingerprint(database, output)
        scratch = create_database(database, scratch_name)
        try:
            restore(scratch, output, jobs=jobs)
            if inspect is not None:
                inspect(scratch)
            with scratch.connect() as conn, conn.cursor() as cursor:
                restored = fingerprint(cursor)
        finally:
            drop_database(database, scratch_name)
        return Verification(source=source, restored=restored, dump_path=output, dump_bytes=output.stat().st_size)
    finally:
        if workdir is not None:
            workdir.cleanup()
