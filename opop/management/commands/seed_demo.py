"""`python manage.py seed_demo`: the demo data `make run` shows. Idempotent: a second run changes nothing."""

from django.core.management.base import BaseCommand
from django.db import transaction

from opop.demo import DEMO_PASSWORD, seed_kernel


class Command(BaseCommand):
    help = "Create or refresh the demo users, organisations and data. Safe to run again."

    def handle(self, *args, **options):
        with transaction.atomic():
            users = seed_kernel()
        self.stdout.write(self.style.SUCCESS(f"Demo data ready. Logins (password for all: {DEMO_PASSWORD}):"))
        for role, user in users.items():
            self.stdout.write(f"  {role:<22} {user.email}")
