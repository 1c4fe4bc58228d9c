"""`python manage.py seed_demo`: the demo data `make run` shows. Idempotent: a second run changes nothing.

The kernel seeds users and organisations; then each app whose AppConfig says `demo = True` adds its own
data with `<app>.demo.seed(users)`, in the order of INSTALLED_APPS. The kernel names no app.
"""

from importlib import import_module

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction

from opop.demo import DEMO_PASSWORD, seed_kernel
from opop.mail import mail_muted


def demo_apps() -> list[str]:
    """The module names of the apps that seed demo data, in the order of INSTALLED_APPS."""
    return [config.name for config in apps.get_app_configs() if getattr(config, "demo", False)]


class Command(BaseCommand):
    help = "Create or refresh the demo users, organisations and data. Safe to run again."

    def handle(self, *args, **options):
        # The demo replays months of history through the real services; none of it may e-mail anyone.
        with mail_muted(), transaction.atomic():
            users = seed_kernel()
            for name in demo_apps():
                import_module(f"{name}.demo").seed(users)
        self.stdout.write(self.style.SUCCESS(f"Demo data ready. Logins (password for all: {DEMO_PASSWORD}):"))
        width = max(len(role) for role in users)
        for role, user in users.items():
            self.stdout.write(f"  {role:<{width}}  {user.email}")
