"""OPOP Mart orders at scale: millions of order lines over the years (INSERT ... SELECT over plan tables).

Order ids follow the order of time (as a live shop's would), so every index on the order table
that grows with time (id, number, checkout, expiry) is appended to, not written at random.
Orders go to stores in proportion to their catalogue (big stores sell more), grow over time, and
carry 1-4 lines of distinct products of their own store. Statuses follow age: recent orders are
awaiting payment, paid, processing or on their way; older ones completed; a few cancelled or
refunded. Totals add up (total = subtotal + shipping; subtotal = sum of line totals) by
construction: the subtotal is summed from the very line rows that are inserted.
"""

from datetime import timedelta

from bench.scale.base import Context, run_parallel, split

# Lines per order: 1 (35 %), 2 (30 %), 3 (20 %), 4 (15 %).
AVERAGE_LINES = 0.35 * 1 + 0.30 * 2 + 0.20 * 3 + 0.15 * 4
COURIERS = ["JNE", "J&T Express", "SiCepat", "Pos Indonesia", "AnterAja"]
SOLD = ("paid", "processing", "shipped", "delivered", "completed")


def generate_orders(ctx: Context) -> None:
    ids, s = ctx.ids, ctx.sizes
    orders = max(1, round(s.order_lines / AVERAGE_LINES))
    regions = [kode for kode, _w in ids["regions"]]
    params = {
        "orders": orders,
        "start": ctx.start,
        "span": int((ctx.end - ctx.start).total_seconds()),
        "end": ctx.end,
        "shopper0": ids["shopper_user0"] + 1,
        "shoppers": s.shoppers,
        "pesantren": s.pesantren,
        "admin0": ids["admin_user0"],
        "org0": ids["pesantren_org0"],
        "regions": regions,
        "couriers": COURIERS,
    }
    ctx.execute(
        "CREATE UNLOGGED TABLE scale_slot AS"
        " SELECT (row_number() OVER (ORDER BY s.id, g) - 1) AS slot, s.id AS store_id"
        " FROM scale_store s CROSS JOIN LATERAL generate_series(1, s.products) g"
    )
    ctx.execute("CREATE UNIQUE INDEX ON scale_slot (slot)")
    params["slots"] = ctx.scalar("SELECT count(*) FROM scale_slot")
    # The plan of each order: store, buyer, moment, number of lines and a roll that decides its status.
    ctx.execute(
        """
        CREATE UNLOGGED TABLE scale_order AS
        SELECT o.*, least(o.want_lines, o.products) AS n_lines,
               (%(end)s::timestamptz - o.created_at) AS age
        FROM (
            SELECT g AS id, st.id AS store_id, st.first_product, st.products, st.kind, st.rate, st.region,
                   CASE WHEN pg_temp.u(g, 50) < 0.35 THEN 1 WHEN pg_temp.u(g, 50) < 0.65 THEN 2
                        WHEN pg_temp.u(g, 50) < 0.85 THEN 3 ELSE 4 END AS want_lines,
                   %(start)s::timestamptz
                       + make_interval(secs => (%(span)s * sqrt((g - 1 + pg_temp.u(g, 52)) / %(orders)s))::bigint)
                       AS created_at,
                   CASE WHEN st.kind = 'pesantren' AND pg_temp.r(g, 53, 100) < 3
                        THEN 1 + pg_temp.r(g, 54, %(pesantren)s) END AS buying_pesantren,
                   %(shopper0)s + floor(%(shoppers)s * pg_temp.u(g, 55) ^ 1.3)::bigint AS shopper,
                   pg_temp.r(g, 56, 1000) AS roll,
                   pg_temp.r(g, 57, 100) < 15 AS pickup
            FROM generate_series(1, %(orders)s) g
            JOIN scale_slot sl ON sl.slot = pg_temp.r(g, 51, %(slots)s)
            JOIN scale_store st ON st.id = sl.store_id
        ) o
        """,
        params,
    )
    ctx.execute(
        """
        CREATE UNLOGGED TABLE scale_line AS
        SELECT (o.id - 1) * 4 + k AS id, o.id AS order_id, p.id AS product_id, p.name, p.price,
               greatest(p.min_order, CASE WHEN pg_temp.r(o.id * 4 + k, 61, 100) < 65 THEN 1
                                          WHEN pg_temp.r(o.id * 4 + k, 61, 100) < 88 THEN 2
                                          ELSE 3 + pg_temp.r(o.id * 4 + k, 62, 4) END) AS quantity
        FROM scale_order o
        CROSS JOIN LATERAL generate_series(1, o.n_lines) k
        JOIN marketplace_product p ON p.id = o.first_product + mod(pg_temp.r(o.id, 60, o.products) + k - 1, o.products)
        """
    )
    ctx.counts["order plan"] = f"{orders} orders"


def insert_orders_and_lines(ctx: Context) -> None:
    """Orders and their lines, written by two connections at once (each a half of the order ids)."""
    last = ctx.scalar("SELECT max(id) FROM scale_order") or 0
    run_parallel(ctx, _orders_and_lines, split(1, last, ctx.workers), workers=ctx.workers)
    lines = ctx.scalar("SELECT count(*) FROM scale_line")
    ctx.counts["orders and lines"] = f"{last} orders, {lines} lines"
    update_sold_counts(ctx)
    insert_payments(ctx)


def _orders_and_lines(ctx: Context, first: int, last: int) -> None:
    insert_orders(ctx, first, last)
    insert_order_lines(ctx, first, last)


def insert_orders(ctx: Context, first: int, last: int) -> None:
    ids = ctx.ids
    regions = [kode for kode, _w in ids["regions"]]
    params = {
        "seed": ctx.seed,
        "end": ctx.end,
        "admin0": ids["admin_user0"],
        "org0": ids["pesantren_org0"],
        "regions": regions,
        "couriers": COURIERS,
        "first": first,
        "last": last,
    }
    ctx.execute(
        """
        INSERT INTO marketplace_order (id, created_at, updated_at, number, checkout_group, status, payment_method,
            delivery, recipient_name, recipient_phone, shipping_address, subtotal, shipping_cost, total, courier,
            tracking_number, cancel_reason, expires_at, paid_at, completed_at, stock_released, buyer_id, destination_id,
            store_id, buyer_organisation_id, is_pesantren_trade)
        SELECT o.id, o.created_at, coalesce(x.completed_at, x.paid_at, o.created_at),
               'OPM-' || to_char(o.created_at AT TIME ZONE 'Asia/Jakarta', 'YYMMDD')
                   || '-' || upper(lpad(to_hex(o.id), 7, '0')),
               (lpad(to_hex(o.id), 12, '0') || left(md5(%(seed)s::text || ':' || o.id), 20))::uuid, x.status,
               CASE WHEN o.pickup AND o.roll %% 2 = 0 THEN 'cash_on_pickup'
                    WHEN o.roll %% 3 = 0 THEN 'bank_transfer' ELSE 'gateway' END,
               CASE WHEN o.pickup THEN 'pickup' ELSE 'shipping' END,
               CASE WHEN o.pickup THEN '' ELSE u.full_name END, CASE WHEN o.pickup THEN '' ELSE u.phone END,
               CASE WHEN o.pickup THEN '' ELSE 'Jl. ' || pg_temp.pick(%(streets)s::text[], o.buyer, 63) || ' No. '
                    || (1 + pg_temp.r(o.buyer, 64, 150)) || ', Jawa Timur' END,
               t.subtotal, x.shipping, t.subtotal + x.shipping,
               CASE WHEN x.status IN ('shipped', 'delivered', 'completed') AND NOT o.pickup
                    THEN pg_temp.pick(%(couriers)s::text[], o.id, 65) ELSE '' END,
               CASE WHEN x.status IN ('shipped', 'delivered', 'completed') AND NOT o.pickup
                    THEN 'JP' || lpad(pg_temp.r(o.id, 66, 10000000000)::text, 10, '0') ELSE '' END,
               CASE WHEN x.status = 'cancelled' THEN 'Tidak dibayar sebelum batas waktu.' ELSE '' END,
               o.created_at + interval '24 hours', x.paid_at, x.completed_at, x.status IN ('cancelled', 'refunded'),
               o.buyer, CASE WHEN o.pickup THEN NULL ELSE x.destination END, o.store_id,
               CASE WHEN o.buying_pesantren IS NOT NULL THEN %(org0)s + o.buying_pesantren END,
               o.buying_pesantren IS NOT NULL
        FROM (SELECT *, coalesce(%(admin0)s + buying_pesantren, shopper) AS buyer FROM scale_order
              WHERE id BETWEEN %(first)s AND %(last)s) o
        JOIN (SELECT order_id, sum(price * quantity) AS subtotal FROM scale_line
              WHERE order_id BETWEEN %(first)s AND %(last)s GROUP BY order_id) t
            ON t.order_id = o.id
        JOIN opop_user u ON u.id = o.buyer
        CROSS JOIN LATERAL (
            SELECT s.status,
                   CASE WHEN s.status IN ('awaiting_payment', 'cancelled') THEN NULL
                        ELSE o.created_at + make_interval(mins => 5 + pg_temp.r(o.id, 67, 360)::int) END AS paid_at,
                   CASE WHEN s.status = 'completed'
                        THEN o.created_at + make_interval(days => 5 + pg_temp.r(o.id, 68, 4)::int) END AS completed_at,
                   CASE WHEN o.pickup THEN 0 ELSE o.rate + CASE WHEN d.region = o.region THEN 0
                       ELSE 5000 END END AS shipping,
                   d.region AS destination
            FROM (SELECT CASE WHEN o.roll < 40 THEN 'cancelled'
                              WHEN o.roll < 50 THEN 'refunded'
                              WHEN o.age < interval '1 day' THEN
                                   CASE WHEN o.roll < 500 THEN 'awaiting_payment' ELSE 'paid' END
                              WHEN o.age < interval '3 days' THEN 'processing'
                              WHEN o.age < interval '7 days' THEN CASE WHEN o.pickup THEN 'processing'
                                  ELSE 'shipped' END
                              WHEN o.age < interval '10 days' THEN 'delivered'
                              ELSE 'completed' END AS status) s,
                 (SELECT (%(regions)s::text[])[1 + pg_temp.r(o.buyer, 69,
                     cardinality(%(regions)s::text[]))] AS region) d
        ) x
        """,
        {
            **params,
            "streets": ["Raya", "KH. Hasyim Asy'ari", "Diponegoro", "Ahmad Yani", "Pahlawan", "Masjid", "Pondok"],
        },
    )


def insert_order_lines(ctx: Context, first: int, last: int) -> None:
    ctx.execute(
        """
        INSERT INTO marketplace_orderitem (id, product_name, variant_name, unit_price, quantity, line_total, order_id,
            product_id, variant_id)
        SELECT id, name, '', price, quantity, price * quantity, order_id, product_id, NULL
        FROM scale_line WHERE order_id BETWEEN %s AND %s
        """,
        [first, last],
    )


def insert_payments(ctx: Context) -> None:
    """The payment of each order of the last 30 days, as the providers record it (pending, confirmed or void).

    A gateway order is a checkout of its own here: one CheckoutPayment (the VA) and the order's share pointing to
    it, as order_place writes them. The order page of an order awaiting payment shows its payment's
    instructions; older history keeps its orders without the payment rows (2.3M more rows for nothing a page
    shows)."""
    since = ctx.end - timedelta(days=30)
    ctx.execute(
        """
        INSERT INTO marketplace_checkoutpayment (created_at, updated_at, buyer_id, checkout_group, provider, amount,
            provider_transaction_id, virtual_account, expires_at, status, paid_at)
        SELECT o.created_at, coalesce(o.paid_at, o.created_at), o.buyer_id, o.checkout_group, 'sandbox', o.total,
               'SBX-' || upper(lpad(to_hex(o.id), 16, '0')),
               '8808' || lpad(pg_temp.r(o.id, 90, 1000000000000)::text, 12, '0'),
               coalesce(o.expires_at, o.created_at + interval '24 hours'),
               CASE WHEN o.status = 'awaiting_payment' THEN 'pending' WHEN o.paid_at IS NULL THEN 'expired'
                    ELSE 'paid' END,
               o.paid_at
        FROM marketplace_order o WHERE o.created_at >= %s AND o.payment_method = 'gateway' ORDER BY o.id
        """,
        [since],
    )
    ctx.execute(
        """
        INSERT INTO marketplace_payment (created_at, updated_at, provider, amount, status, provider_transaction_id,
            virtual_account, proof, confirmed_at, confirmed_by_id, order_id, checkout_payment_id)
        SELECT o.created_at, coalesce(o.paid_at, o.created_at),
               CASE o.payment_method WHEN 'gateway' THEN 'sandbox' ELSE o.payment_method END, o.total,
               CASE WHEN o.status = 'awaiting_payment' THEN 'pending' WHEN o.status = 'cancelled' THEN 'void'
                    ELSE 'confirmed' END,
               NULL, '', '', o.paid_at, NULL, o.id, c.id
        FROM marketplace_order o
        LEFT JOIN marketplace_checkoutpayment c ON c.buyer_id = o.buyer_id AND c.checkout_group = o.checkout_group
        WHERE o.created_at >= %s ORDER BY o.id
        """,
        [since],
    )
    ctx.counts["payments"] = ctx.scalar("SELECT count(*) FROM marketplace_payment")


def update_sold_counts(ctx: Context) -> None:
    # What each product has sold (paid and not given back) is denormalised on the product, as order_place keeps it.
    ctx.execute(
        """
        UPDATE marketplace_product p SET sold_count = t.sold
        FROM (SELECT l.product_id, sum(l.quantity) AS sold FROM scale_line l
              JOIN marketplace_order o ON o.id = l.order_id
              WHERE o.status = ANY(%s) GROUP BY l.product_id) t
        WHERE p.id = t.product_id
        """,
        [list(SOLD)],
    )
