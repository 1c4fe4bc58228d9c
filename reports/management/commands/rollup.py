"""`python manage.py rollup` rolls up the dirty keys; `--full` rebuilds every figure; `--check` compares."""

from django.core.management.base import BaseCommand

from reports.services import rollup_check, rollup_drain, rollup_full


class Command(BaseCommand):
    help = "Roll the programme figures up: dirty keys only, or everything with --full."

    def add_arguments(self, parser):
        parser.add_argument("--full", action="store_true", help="Recompute every rollup row from the facts.")
        parser.add_argument("--check", action="store_true", help="Compare the stored rollup with a full rebuild.")

    def handle(self, *args, full=False, check=False, **options):
        if check:
            differences = rollup_check()
            self.stdout.write(f"{differences} difference(s) between incremental and full rollup.")
        elif full:
            result = rollup_full()
            self.stdout.write(f"Full rebuild: {result.keys} key(s), {result.rows} row(s).")
        else:
            keys = rollup_drain()
            self.stdout.write(f"Incremental: {keys} key(s) rolled up.")
