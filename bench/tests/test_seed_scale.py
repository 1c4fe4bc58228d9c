"""seed_scale: a tiny run into the test database keeps every invariant, is deterministic, and its
rollup is the same built in full or drained incrementally; the rollup benchmark runs on it."""

from datetime import date

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from bench.scale import Sizes, seed_scale
from opop.models import DirtyFigureKey
from reports import services
from reports.models import FigureRollup, PesantrenMonthRollup

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs PostgreSQL's COPY and generate_series"
)
ANCHOR = date(2026, 6, 15)

CHECKSUMS = {
    "marketplace_order": "id, number, checkout_group, status, subtotal, shipping_cost, total, paid_at, buyer_id,"
    " store_id",
    "marketplace_orderitem": "id, order_id, product_id, quantity, unit_price, line_total",
    "marketplace_product": "id, store_id, name, slug, price, stock, sold_count, halal_certificate_number",
    "santri_santri": "id, pesantren_id, name, nis, nik, gender, santripreneur_since, card_token",
    "pesantren_pesantren": "id, name, nspp, kabupaten_kota_id, cohort, status, santri_count, card_number",
    "pesantren_monthlyreport": "id, pesantren_id, month, omzet, aset, status, revision",
    "opop_user": "id, email, full_name, phone",
    "samsat_payment": "id, plate, total, business_day, outlet_id",
}


def _scalar(sql: str):
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return cursor.fetchone()[0]


def _checksums() -> dict:
    return {
        table: _scalar(
            f"SELECT md5(coalesce(string_agg(t::text, '|' ORDER BY t.id), '')) FROM (SELECT {cols} FROM {table}) t"  # noqa: S608
        )
        for table, cols in CHECKSUMS.items()
    }


def _stored_rollup() -> tuple[set, set]:
    figures = set(
        FigureRollup.objects.values_list(
            "month",
            "kabupaten_kota_id",
            "pillar",
            "cohort",
            "omzet",
            "aset",
            "mart_orders",
            "mart_sales",
            "samsat_amount",
            "participants",
            "halal_certificates",
            "pesantren_verified_net",
            "reports",
        )
    )
    pesantren = set(PesantrenMonthRollup.objects.values_list("month", "pesantren_id", "omzet", "reports"))
    return figures, pesantren


def _pages_answer(client) -> None:
    from django.urls import reverse

    from marketplace.models import Category, Order, Product, Store
    from opop.models import User

    product = Product.objects.visible().order_by("-sold_count").first()
    category = Category.objects.filter(products__isnull=False).first()
    pages = {
        None: [
            reverse("marketplace:home"),
            reverse("marketplace:search") + "?q=kopi",
            reverse("marketplace:category", kwargs={"slug": category.slug}) + "?page=2",
            reverse("marketplace:product", kwargs={"slug": product.slug}),
            reverse("marketplace:store", kwargs={"slug": Store.objects.get(pk=1).slug}),
            reverse("reports:public"),
        ],
        "bench.pembeli@opop.test": [reverse("marketplace:order_list")]
        + [
            reverse("marketplace:order_detail", kwargs={"number": number})
            for number in Order.objects.filter(buyer__email="bench.pembeli@opop.test").values_list("number", flat=True)[
                :3
            ]
        ],
        "bench.penjual@opop.test": [
            reverse("marketplace:seller_order_list"),
            reverse("marketplace:seller_product_list"),
        ],
        "bench.staf@opop.test": [
            reverse("pesantren:staff_list"),
            reverse("reports:dashboard"),
            reverse("reports:regions"),
        ],
        "bench.jombang@opop.test": [
            reverse("reports:region", kwargs={"kode": "35.17"}),
            reverse("pesantren:staff_list"),
        ],
    }
    for email, urls in pages.items():
        client.logout()
        if email:
            client.force_login(User.objects.get(email=email))
        for url in urls:
            assert client.get(url).status_code == 200, (email, url)


def test_sizes_follow_the_fraction_with_overrides_and_floors():
    full = Sizes.for_fraction(1.0)
    assert (full.pesantren, full.santri, full.products, full.stores, full.order_lines) == (
        5_000,
        1_000_000,
        100_000,
        5_000,
        5_000_000,
    )
    ci = Sizes.for_fraction(0.05)
    assert (ci.pesantren, ci.santri, ci.order_lines, ci.years) == (250, 50_000, 250_000, 5)
    tiny = Sizes.for_fraction(0.0001, order_lines=1234)
    assert tiny.order_lines == 1234 and tiny.pesantren == Sizes.MINIMUM["pesantren"]


@pytest.mark.skipif(connection.vendor == "postgresql", reason="checks the refusal on SQLite")
@pytest.mark.django_db
def test_refuses_politely_on_sqlite():
    with pytest.raises(CommandError, match="needs PostgreSQL"):
        call_command("seed_scale", "--fraction", "0.001")


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_tiny_run_keeps_the_invariants_is_deterministic_and_rolls_up_the_same_both_ways(client):
    sizes = Sizes.for_fraction(0.0005, order_lines=3_000)
    result = seed_scale(sizes=sizes, seed=7, anchor_day=ANCHOR, reset=True, rollup=False, log=lambda *a: None)
    rows = result["rows"]

    # Counts follow the sizes asked for.
    assert rows["pesantren_pesantren"] == sizes.pesantren
    assert rows["santri_santri"] == sizes.santri
    assert rows["marketplace_store"] == sizes.stores
    assert rows["marketplace_product"] == sizes.products
    assert rows["alumni_alumnibusiness"] == sizes.alumni
    assert rows["samsat_payment"] == sizes.samsat_payments
    assert rows["halal_halalcase"] == sizes.halal_cases
    assert abs(rows["marketplace_orderitem"] - sizes.order_lines) < sizes.order_lines * 0.1
    assert (
        _scalar("SELECT count(*) FROM opop_user WHERE email LIKE 'pembeli%%@pembeli.scale.test'") == sizes.shoppers - 1
    )

    # Columns the generator does not name (added after it was written) got the model's default, and the
    # temporary database defaults that made that so are gone: the schema is the migrations'.
    assert _scalar("SELECT count(*) FROM pesantren_pesantren WHERE desa_code <> ''") == 0
    assert (
        _scalar(
            "SELECT count(*) FROM information_schema.columns WHERE table_schema = 'public'"
            " AND table_name = 'pesantren_pesantren' AND column_name = 'desa_code' AND column_default IS NOT NULL"
        )
        == 0
    )

    # Invariants the portal relies on.
    assert (
        _scalar(
            "SELECT count(*) FROM marketplace_order o LEFT JOIN (SELECT order_id, sum(line_total) s, count(*) n"
            " FROM marketplace_orderitem GROUP BY order_id) t ON t.order_id = o.id"
            " WHERE t.s IS DISTINCT FROM o.subtotal OR o.total <> o.subtotal + o.shipping_cost OR t.n > 4"
        )
        == 0
    )
    assert _scalar("SELECT count(*) FROM marketplace_orderitem WHERE line_total <> unit_price * quantity") == 0
    assert (
        _scalar(
            "SELECT count(*) FROM marketplace_orderitem i JOIN marketplace_order o ON o.id = i.order_id"
            " JOIN marketplace_product p ON p.id = i.product_id WHERE p.store_id <> o.store_id"
        )
        == 0
    )
    assert _scalar("SELECT count(*) FROM marketplace_product WHERE stock < 0") == 0
    assert (
        _scalar(
            "SELECT count(*) FROM marketplace_product p WHERE p.stock <> coalesce("
            "(SELECT sum(quantity) FROM marketplace_stockmovement m WHERE m.product_id = p.id), 0)"
        )
        == 0
    )
    assert (
        _scalar(
            "SELECT count(*) FROM marketplace_store s JOIN opop_organisation o ON o.id = s.organisation_id"
            " WHERE o.kind IN ('pesantren', 'santri_business', 'alumni_business')"
        )
        == sizes.stores
    )
    assert (
        _scalar(
            "SELECT count(*) FROM marketplace_order"
            " WHERE (status IN ('awaiting_payment', 'cancelled')) <> (paid_at IS NULL)"
        )
        == 0
    )
    assert (
        _scalar(
            "SELECT count(*) FROM pesantren_monthlyreport r WHERE r.revision <>"
            " (SELECT max(number) FROM pesantren_monthlyreportrevision v WHERE v.report_id = r.id)"
        )
        == 0
    )
    assert (
        _scalar(
            "SELECT count(*) FROM marketplace_product p WHERE p.halal_certificate_number <> '' AND NOT EXISTS"
            " (SELECT 1 FROM halal_certificate c WHERE c.number = p.halal_certificate_number)"
        )
        == 0
    )
    assert (
        _scalar(
            "SELECT count(*) FROM opop_membership m JOIN opop_user u ON u.id = m.user_id"
            " WHERE u.email IN ('bench.staf@opop.test', 'bench.jombang@opop.test', 'bench.penjual@opop.test')"
        )
        == 3
    )
    # New rows get ids past the generated ones.
    from marketplace.models import Category

    assert Category.objects.create(name="Baru", slug="baru-test").pk > 0

    # The rollup: a full rebuild, then the same built again by draining every key incrementally.
    services.rollup_full()
    full = _stored_rollup()
    assert full[0] and full[1]
    keys = set(FigureRollup.objects.values_list("month", "kabupaten_kota_id"))
    FigureRollup.objects.all().delete()
    PesantrenMonthRollup.objects.all().delete()
    DirtyFigureKey.objects.bulk_create([DirtyFigureKey(month=m, kabupaten_kota_id=k) for m, k in keys])
    services.rollup_drain(limit=200)
    assert _stored_rollup() == full
    assert services.rollup_differences() == []

    # The portal's pages work on it, for the benchmark logins.
    _pages_answer(client)

    # The rollup benchmark runs on it (figures not asserted, nothing written).
    from bench import rollup_scale

    bench = rollup_scale.main(["--label", "test", "--lines", "200", "--no-write"])
    assert bench["incremental"]["differences_from_full"] == 0
    assert bench["incremental"]["new_order_lines"] > 0

    # Same seed, same data.
    first = _checksums()
    seed_scale(sizes=sizes, seed=7, anchor_day=ANCHOR, reset=True, rollup=False, log=lambda *a: None)
    assert _checksums() == first
    # Another seed, other data.
    seed_scale(sizes=sizes, seed=8, anchor_day=ANCHOR, reset=True, rollup=False, log=lambda *a: None)
    assert _checksums()["marketplace_order"] != first["marketplace_order"]


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_refuses_a_database_that_has_data_without_reset(django_user_model):
    django_user_model.objects.create_user(email="someone@opop.test", password=None)
    with pytest.raises(CommandError, match="--reset"):
        call_command("seed_scale", "--fraction", "0.001")
