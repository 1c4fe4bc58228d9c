"""`python manage.py seed_demo`: the demo data `make run` shows. Idempotent: a second run changes nothing.

The kernel seeds users and organisations; then each domain app that has a `demo.py` with
`seed(users)` adds its own data, in the order of INSTALLED_APPS.
"""

from importlib import import_module
from importlib.util import find_spec

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction

from opop.demo import DEMO_PASSWORD, seed_kernel
from opop.mail import mail_muted

DOMAIN_APPS = ["pesantren", "samsat", "santri", "alumni", "marketplace", "halal", "reports"]


class Command(BaseCommand):
    help = "Create or refresh the demo users, organisations and data. Safe to run again."

    def handle(self, *args, **options):
        # The demo replays months of history through the real services; none of it may e-mail anyone.
        with mail_muted(), transaction.atomic():
            users = seed_kernel()
            for label in DOMAIN_APPS:
                module_name = f"{apps.get_app_config(label).name}.demo"
                if find_spec(module_name) is not None:
                    import_module(module_name).seed(users)
        self.stdout.write(self.style.SUCCESS(f"Demo data ready. Logins (password for all: {DEMO_PASSWORD}):"))
        width = max(len(role) for role in users)
        for role, user in users.items():
            self.stdout.write(f"  {role:<{width}}  {user.email}")
