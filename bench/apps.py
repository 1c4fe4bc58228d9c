from django.apps import AppConfig


class BenchConfig(AppConfig):
    """Benchmarks and their data: `manage.py seed_scale` (bench/scale/, a province-scale data set) and the load
    harnesses. Installed by the dev, test and bench settings only, never in production; no models."""

    name = "bench"
    verbose_name = "Benchmarks"
