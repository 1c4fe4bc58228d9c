"""`python manage.py backup_verify [--output FILE]`: dump the database, restore it into a scratch database and
prove the copy is complete (row counts of every table, sums of every numeric column, sequences, money).

With --output the dump is kept (use it as the nightly backup: what is kept is what was verified). Exits 1
when anything differs. The scratch database `<name>_verify_<random>` is always dropped; the role needs
CREATEDB. PostgreSQL only; see docs/operations.md, "Backup and restore".
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from opop.backup import Database, backup_verify


class Command(BaseCommand):
    help = "Dump the database, restore the dump into a scratch database and compare row counts and money sums."

    def add_arguments(self, parser):
        parser.add_argument("--output", type=Path, help="Keep the verified dump here (custom format).")
        parser.add_argument("--jobs", type=int, default=2, help="Parallel pg_restore jobs (default 2).")

    def handle(self, *args, output, jobs, **options):
        if connection.vendor != "postgresql":
            raise CommandError("backup_verify needs PostgreSQL (DATABASE_URL=postgres://...).")
        result = backup_verify(Database.from_settings(connection.settings_dict), output=output, jobs=jobs)
        self.stdout.write(
            f"Dump: {result.dump_bytes} bytes{f' at {output}' if output else ''}; "
            f"{len(result.source.rows)} tables, {sum(result.source.rows.values())} rows."
        )
        for label, amount in result.source.money.items():
            self.stdout.write(f"  {label}: Rp {amount:,}".replace(",", "."))
        if not result.ok:
            for line in result.differences[:50]:
                self.stderr.write(f"  DIFFERS {line}")
            raise CommandError(f"The restored copy differs in {len(result.differences)} place(s).")
        self.stdout.write(self.style.SUCCESS("The restored copy matches: every table, sum and sequence."))
