"""Samsat OPOP at scale: outlets at koppontren and years of confirmed PKB payments (bill, payment and the
biller's outcome for each), written with INSERT ... SELECT. The ledger stays append-only: rows are only inserted."""

from bench.scale import vocab
from bench.scale.base import Context

VEHICLES = {
    "motorbike": ["Honda Beat", "Honda Vario 125", "Yamaha NMAX", "Honda Scoopy", "Yamaha Mio", "Suzuki Satria F150"],
    "car": ["Toyota Avanza", "Daihatsu Xenia", "Suzuki Ertiga", "Mitsubishi Xpander", "Toyota Innova", "Honda Brio"],
}


def generate_samsat(ctx: Context) -> None:
    rng = ctx.sub_rng("samsat")
    ids, s = ctx.ids, ctx.sizes
    region_of = ids["pesantren_region"]
    n_outlets = max(3, min(len(ids["public_pesantren"]), s.pesantren * 6 // 100))
    chosen = rng.sample(ids["public_pesantren"], n_outlets)
    outlets = []
    for n, p in enumerate(chosen, start=1):
        region = region_of[p]
        outlets.append(
            (
                n,
                ctx.start,
                ctx.start,
                f"SMS-{region.replace('.', '')}-{n:04d}",
                f"Samsat OPOP Koppontren #{p}",
                f"Koppontren pesantren #{p}, {region}",
                "Sabtu-Kamis 08.00-15.00",
                False,
                True,
                ids["pesantren_org0"] + p,
                1,
                True,
            )
        )
    ctx.copy(
        "samsat_outlet",
        [
            "id",
            "created_at",
            "updated_at",
            "code",
            "name",
            "address",
            "opening_hours",
            "is_laku_pandai_agent",
            "is_active",
            "organisation_id",
            "registered_by_id",
            "takes_samsat_payments",
        ],
        outlets,
    )
    ctx.execute("CREATE UNLOGGED TABLE scale_outlet (slot int PRIMARY KEY, id bigint, cashier bigint, prefix text)")
    ctx.copy(
        "scale_outlet",
        ["slot", "id", "cashier", "prefix"],
        [
            (n - 1, n, ids["admin_user0"] + p, vocab.PLATE_PREFIX.get(region_of[p], "L"))
            for n, p in enumerate(chosen, start=1)
        ],
    )
    params = {
        "count": s.samsat_payments,
        "outlets": n_outlets,
        "start": ctx.start_month,
        "days": (ctx.anchor_day - ctx.start_month).days,
        "bikes": VEHICLES["motorbike"],
        "cars": VEHICLES["car"],
        "letters": ["AB", "CD", "EF", "GH", "JK", "LM", "NP", "QR", "ST", "UV", "WX", "YZ", "AD", "BE", "KH"],
        "names": vocab.LAST,
    }
    ctx.execute(
        """
        CREATE UNLOGGED TABLE scale_bill AS
        SELECT b.*, b.pkb + b.opsen + b.pkb_late + b.swdkllj + b.swdkllj_late AS total
        FROM (
            SELECT v.*,
                   CASE WHEN v.day >= date '2025-01-05' THEN v.pkb * 66 / 100 ELSE 0 END AS opsen,
                   v.pkb * 2 * v.late / 100 AS pkb_late,
                   CASE WHEN v.car THEN 143000 ELSE 35000 END AS swdkllj,
                   CASE WHEN v.late > 0 THEN CASE WHEN v.car THEN 100000 ELSE 32000 END ELSE 0 END AS swdkllj_late
            FROM (
                SELECT g AS id, ot.id AS outlet, ot.cashier, ot.prefix, pg_temp.r(g, 72, 4) = 0 AS car,
                       %(start)s::date + floor(%(days)s * sqrt(pg_temp.u(g, 73)))::int AS day,
                       CASE WHEN pg_temp.r(g, 74, 10) = 0 THEN 1 + pg_temp.r(g, 75, 6)::int ELSE 0 END AS late,
                       CASE WHEN pg_temp.r(g, 72, 4) = 0 THEN 1500000 + 100 * pg_temp.r(g, 76, 45000)
                            ELSE 150000 + 100 * pg_temp.r(g, 76, 4500) END AS pkb,
                       make_interval(secs => 28800 + pg_temp.r(g, 77, 25200)::int) AS at
                FROM generate_series(1, %(count)s) g
                JOIN scale_outlet ot ON ot.slot = pg_temp.r(g, 71, %(outlets)s)
            ) v
        ) b
        """,
        params,
    )
    ctx.execute(
        """
        INSERT INTO samsat_bill (id, idempotency_key, pay_code, plate, owner_masked, vehicle_type, vehicle_description,
            ownership_order, due_date, period_end, months_late, pkb, opsen_pkb, pkb_late_fee, swdkllj, swdkllj_late_fee,
            total, created_at, expires_at, cashier_id, outlet_id)
        SELECT b.id, pg_temp.uid(b.id, 78), 'KB' || lpad(b.id::text, 10, '0'),
               b.prefix || ' ' || (1000 + pg_temp.r(b.id, 79, 9000))
                   || ' ' || pg_temp.pick(%(letters)s::text[], b.id, 80),
               left(pg_temp.pick(%(names)s::text[], b.id, 81), 1)
                   || '*** ' || left(pg_temp.pick(%(names)s::text[], b.id, 82), 1) || '***',
               CASE WHEN b.car THEN 'car' ELSE 'motorbike' END,
               pg_temp.pick(CASE WHEN b.car THEN %(cars)s::text[] ELSE %(bikes)s::text[] END, b.id, 83)
                   || ' ' || (2012 + pg_temp.r(b.id, 84, 13)),
               CASE WHEN pg_temp.r(b.id, 85, 10) = 0 THEN 2 ELSE 1 END,
               b.day - 30 * b.late + pg_temp.r(b.id, 86, 20)::int, b.day - 30 * b.late + 365, b.late,
               b.pkb, b.opsen, b.pkb_late, b.swdkllj, b.swdkllj_late, b.total,
               (b.day + b.at) AT TIME ZONE 'Asia/Jakarta', (b.day + b.at + interval '2 hours')
                   AT TIME ZONE 'Asia/Jakarta',
               b.cashier, b.outlet
        FROM scale_bill b
        """,
        params,
    )
    ctx.execute(
        """
        INSERT INTO samsat_payment (id, idempotency_key, plate, total, identity_method, business_day, verification_code,
            created_at, bill_id, cashier_id, outlet_id)
        SELECT id, idempotency_key, plate, total, CASE WHEN mod(id, 5) = 0 THEN 'chassis' ELSE 'nik' END,
               (created_at AT TIME ZONE 'Asia/Jakarta')::date,
               upper(substr(md5(idempotency_key::text), 1, 12)) || to_hex(id), created_at + interval '1 minute', id,
               cashier_id, outlet_id
        FROM samsat_bill
        """
    )
    ctx.execute(
        """
        INSERT INTO samsat_paymentoutcome (status, source, biller_ref, message, created_at, actor_id, payment_id)
        SELECT 'confirmed', 'payment', 'NTPD' || lpad(id::text, 12, '0'), '', created_at + interval '5 seconds',
               cashier_id, id
        FROM samsat_payment ORDER BY id
        """
    )
    ctx.counts["samsat"] = f"{n_outlets} outlets, {s.samsat_payments} payments"
