from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from opop.icons import icons_write


class Command(BaseCommand):
    help = (
        "Draw the web app icons and favicon from the logo into static/img/icons/ (committed; run after a logo change)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--folder", default=str(Path(settings.BASE_DIR) / "static" / "img" / "icons"))

    def handle(self, *args, folder, **options):
        for path in icons_write(folder=Path(folder)):
            self.stdout.write(str(path))
