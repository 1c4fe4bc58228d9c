"""Compare the seller queue's per-store, per-status order counters with COUNT(*) of the orders; `--fix` rebuilds
them (after a bulk load that bypassed the services, e.g. the benchmark's generated data). Exits 1 on a difference
without --fix, so a deploy check or cron can alert."""

from django.core.management.base import BaseCommand, CommandError

from marketplace.orders.counters import order_counts_mismatches, order_counts_rebuild


class Command(BaseCommand):
    help = "Check the stores' order counters against COUNT(*) of their orders (--fix rebuilds them)."

    def add_arguments(self, parser):
        parser.add_argument("--fix", action="store_true", help="rebuild every counter from the orders")

    def handle(self, *args, fix=False, **options):
        if fix:
            rows = order_counts_rebuild()
            self.stdout.write(f"Rebuilt {rows} counter(s).")
        mismatches = order_counts_mismatches()
        for store_id, status, counted, kept in mismatches[:50]:
            self.stdout.write(f"store {store_id} {status}: {counted} order(s), counter says {kept}")
        if mismatches:
            raise CommandError(f"{len(mismatches)} counter(s) differ from the orders.")
        self.stdout.write("Order counters match the orders.")
