"""Complete the shipped and delivered orders nobody confirmed in time, now (beat runs the same job every 15
minutes; this is for a deploy that paused beat, or a rehearsal with shorter MARKETPLACE_AUTOCOMPLETE_* settings)."""

from django.core.management.base import BaseCommand

from marketplace.orders.services import orders_auto_complete


class Command(BaseCommand):
    help = "Complete every shipped or delivered order whose auto-complete time has come (idempotent)."

    def handle(self, *args, **options):
        completed = orders_auto_complete()
        self.stdout.write(f"Completed {completed} order(s).")
