# Full-text search strips accents with PostgreSQL's unaccent; the operation does nothing on SQLite.
from django.contrib.postgres.operations import UnaccentExtension
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("marketplace", "0001_initial")]

    operations = [UnaccentExtension()]
