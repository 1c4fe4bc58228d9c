"""`python manage.py seed_scale`: a deterministic province-scale data set on PostgreSQL (issue #10).

python manage.py seed_scale --reset                    # full size: 5,000 pesantren, 5M order lines
python manage.py seed_scale --reset --fraction 0.05    # the 1/20 CI size
python manage.py seed_scale --reset --fraction 0.002 --seed 7 --order-lines 20000
"""

import json
from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from bench.scale import ScaleError, Sizes, seed_scale


class Command(BaseCommand):
    help = "Generate a deterministic province-scale data set (PostgreSQL only) with COPY and generate_series."

    def add_arguments(self, parser):
        parser.add_argument("--fraction", type=float, default=1.0, help="1.0 is full size, 0.05 the CI size.")
        parser.add_argument("--seed", type=int, default=2026, help="Same seed, sizes and day: same data.")
        parser.add_argument("--reset", action="store_true", help="Wipe the data a previous run made first.")
        parser.add_argument("--until", type=date.fromisoformat, help="History ends the day before (default: today).")
        parser.add_argument("--no-rollup", action="store_true", help="Skip the full rollup rebuild at the end.")
        parser.add_argument("--json", help="Write sizes, row counts and timings to this file.")
        parser.add_argument("--workers", type=int, default=2, help="Connections writing the biggest tables at once.")
        for name in (
            "pesantren",
            "santri",
            "alumni",
            "santri-businesses",
            "stores",
            "products",
            "shoppers",
            "order-lines",
            "samsat-payments",
            "halal-cases",
            "years",
        ):
            parser.add_argument(f"--{name}", type=int, help=f"Override the number of {name.replace('-', ' ')}.")

    def handle(self, *args, **options):
        overrides = {
            key: options[key]
            for key in (
                "pesantren",
                "santri",
                "alumni",
                "santri_businesses",
                "stores",
                "products",
                "shoppers",
                "order_lines",
                "samsat_payments",
                "halal_cases",
                "years",
            )
        }
        if options["fraction"] <= 0:
            raise CommandError("--fraction must be positive.")
        sizes = Sizes.for_fraction(options["fraction"], **overrides)
        anchor = options["until"] or timezone.localdate()
        self.stdout.write(f"seed_scale seed={options['seed']} until={anchor} sizes={sizes.as_dict()}")
        try:
            result = seed_scale(
                sizes=sizes,
                seed=options["seed"],
                anchor_day=anchor,
                reset=options["reset"],
                rollup=not options["no_rollup"],
                workers=options["workers"],
                log=self.stdout.write,
            )
        except ScaleError as exc:
            raise CommandError(str(exc)) from exc
        if options["json"]:
            with open(options["json"], "w", encoding="utf-8") as handle:
                json.dump(result, handle, indent=2)
        self.stdout.write(self.style.SUCCESS(f"Scale data ready in {result['total_seconds']} s: {result['rows']}"))
