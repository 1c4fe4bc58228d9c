"""`python manage.py outbox_flush`: send the tasks the web could not enqueue while the broker was down.

Safe to run at any time and from several places at once (rows are locked with SKIP LOCKED and deleted as
they are sent). Exits with status 1 when the broker still refuses, so a script can retry later.
"""

from django.core.management.base import BaseCommand, CommandError

from opop.outbox import outbox_flush, outbox_pending


class Command(BaseCommand):
    help = "Re-send the Celery tasks kept in the outbox while the broker was unreachable."

    def add_arguments(self, parser):
        parser.add_argument("--limit", type=int, default=10000, help="Send at most this many (default 10000).")
        parser.add_argument("--dry-run", action="store_true", help="Only say how many are waiting.")

    def handle(self, *args, limit, dry_run, **options):
        if dry_run:
            self.stdout.write(f"{outbox_pending()} task(s) waiting in the outbox.")
            return
        result = outbox_flush(limit=limit)
        self.stdout.write(f"Sent {result['sent']} task(s); {result['pending']} still waiting.")
        if result["failed"]:
            raise CommandError("The broker is still unreachable; the remaining tasks stay in the outbox.")
