from django.db import migrations, models
from django.db.models import Count


def fill(apps, schema_editor):
    """Every store's count per status from its orders, in one GROUP BY (no order row is loaded)."""
    Order = apps.get_model("marketplace", "Order")
    StoreOrderCount = apps.get_model("marketplace", "StoreOrderCount")
    rows = Order.objects.order_by().values_list("store_id", "status").annotate(n=Count("id"))
    StoreOrderCount.objects.bulk_create(
        [StoreOrderCount(store_id=store_id, status=status, count=n) for store_id, status, n in rows], batch_size=5000
    )


class Migration(migrations.Migration):
    dependencies = [("marketplace", "0018_shipping")]

    operations = [
        migrations.CreateModel(
            name="StoreOrderCount",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("awaiting_payment", "Awaiting payment"),
                            ("paid", "Paid"),
                            ("processing", "Processing"),
                            ("shipped", "Shipped"),
                            ("delivered", "Delivered"),
                            ("completed", "Completed"),
                            ("cancelled", "Cancelled"),
                            ("refund_requested", "Complaint open"),
                            ("refunded", "Refunded"),
                        ],
                        max_length=20,
                        verbose_name="status",
                    ),
                ),
                ("count", models.BigIntegerField(default=0, verbose_name="orders")),
                (
                    "store",
                    models.ForeignKey(
                        on_delete=models.deletion.CASCADE,
                        related_name="order_counts",
                        to="marketplace.store",
                        verbose_name="store",
                    ),
                ),
            ],
            options={
                "verbose_name": "store order count",
                "verbose_name_plural": "store order counts",
                "constraints": [
                    models.UniqueConstraint(fields=("store", "status"), name="store_order_count_one_per_status"),
                        ],
            },
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
