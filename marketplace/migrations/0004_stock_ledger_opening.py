"""Open the stock ledger: one correction movement per product (or variant) holding the stock it had before."""

from django.db import migrations


def open_ledger(apps, schema_editor):
    Product = apps.get_model("marketplace", "Product")
    ProductVariant = apps.get_model("marketplace", "ProductVariant")
    StockMovement = apps.get_model("marketplace", "StockMovement")
    rows = []
    with_variants = set(ProductVariant.objects.values_list("product_id", flat=True))
    for variant in ProductVariant.objects.filter(stock__gt=0).only("pk", "product_id", "stock"):
        rows.append(
            StockMovement(
                product_id=variant.product_id,
                variant_id=variant.pk,
                kind="correction",
                quantity=variant.stock,
                reason="Opening balance of the stock ledger",
            )
        )
    for product in Product.objects.filter(stock__gt=0).exclude(pk__in=with_variants).only("pk", "stock"):
        rows.append(
            StockMovement(
                product_id=product.pk,
                kind="correction",
                quantity=product.stock,
                reason="Opening balance of the stock ledger",
            )
        )
    StockMovement.objects.bulk_create(rows, batch_size=500)


class Migration(migrations.Migration):
    dependencies = [("marketplace", "0003_seller_centre")]

    operations = [migrations.RunPython(open_ledger, migrations.RunPython.noop)]
