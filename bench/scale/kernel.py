"""Kernel rows: the id plan, Diskop UKM, the benchmark logins, and the 200k shoppers (INSERT ... SELECT)."""

from django.contrib.auth.hashers import make_password

from bench.scale import vocab
from bench.scale.base import Context
from opop.demo import DEMO_PASSWORD

DISKOP_ORG = 1

# The known logins of the benchmark (password: the demo password). Ids 1-3; the shopper is the first shopper.
BENCH_USERS = {
    "staff": ("bench.staf@opop.test", "Dewi Kusumawati", "+6281234590001"),
    "jombang": ("bench.jombang@opop.test", "Bambang Hariyanto", "+6281234590002"),
    "seller": ("bench.penjual@opop.test", "Ahmad Fauzi", "+6281234590003"),
    "shopper": ("bench.pembeli@opop.test", "Siti Rahmawati", "+6281234590004"),
}


def plan(ctx: Context) -> None:
    """Fix every id range up front, so the generators can refer to each other's rows without reading them back."""
    s = ctx.sizes
    ids = ctx.ids
    ids["admin_user0"] = 3  # admin of pesantren i (1-based) has user id admin_user0 + i
    ids["santri_owner_user0"] = ids["admin_user0"] + s.pesantren
    ids["alumni_user0"] = ids["santri_owner_user0"] + s.santri_businesses
    ids["shopper_user0"] = ids["alumni_user0"] + s.alumni  # first shopper (= bench.pembeli) is shopper_user0 + 1
    ids["pesantren_org0"] = 1  # pesantren i has organisation id pesantren_org0 + i
    ids["santri_org0"] = 1 + s.pesantren
    ids["alumni_org0"] = ids["santri_org0"] + s.santri_businesses
    ids["regions"] = [
        (kode, desa + kel)
        for kode, desa, kel in _rows(
            ctx, "SELECT kode, jumlah_desa, jumlah_kelurahan FROM opop_kabupatenkota ORDER BY kode"
        )
    ]


def _rows(ctx: Context, sql: str, params=None) -> list[tuple]:
    ctx.cursor.execute(sql, params)
    return list(ctx.cursor.fetchall())


def person(rng, gender: str | None = None) -> tuple[str, str]:
    gender = gender or rng.choice("LP")
    first = rng.choice(vocab.MALE if gender == "L" else vocab.FEMALE)
    return f"{first} {rng.choice(vocab.LAST)}", gender


def phone(n: int) -> str:
    return f"+628{(1_000_000_000 + n * 7919) % 10_000_000_000:010d}"[:14]


def generate_kernel(ctx: Context) -> None:
    """Diskop UKM, the three staff/seller benchmark logins and their memberships."""
    now = ctx.end
    password = make_password(DEMO_PASSWORD)
    users = [
        (1, *BENCH_USERS["staff"]),
        (2, *BENCH_USERS["jombang"]),
        (3, *BENCH_USERS["seller"]),
    ]
    ctx.copy(
        "opop_user",
        ["id", "password", "is_superuser", "email", "full_name", "phone", "is_staff", "is_active", "date_joined"],
        [(pk, password, False, email, name, tel, False, True, ctx.start) for pk, email, name, tel in users],
    )
    ctx.copy(
        "opop_organisation",
        ["id", "created_at", "updated_at", "kind", "name", "slug", "is_active", "kabupaten_kota_id"],
        [
            (
                DISKOP_ORG,
                ctx.start,
                now,
                "diskop",
                "Dinas Koperasi dan UKM Provinsi Jawa Timur",
                "diskop-ukm-jatim",
                True,
                "35.78",
            )
        ],
    )
    ctx.copy(
        "opop_membership",
        ["created_at", "updated_at", "role", "region_id", "user_id", "organisation_id"],
        [(ctx.start, now, "staff", None, 1, DISKOP_ORG), (ctx.start, now, "staff", "35.17", 2, DISKOP_ORG)],
    )
    ctx.ids["bench_password"] = password


def generate_shoppers(ctx: Context) -> None:
    """The shoppers (pembeli): INSERT ... SELECT over generate_series, unusable passwords, bench.pembeli first."""
    first = ctx.ids["shopper_user0"] + 1
    count = ctx.sizes.shoppers
    span = int((ctx.end - ctx.start).total_seconds())
    ctx.execute(
        """
        INSERT INTO opop_user (id, password, is_superuser, email, full_name, phone, is_staff, is_active, date_joined)
        SELECT %(first)s + g, '!' || md5('shopper' || g), false,
               'pembeli' || g || '@pembeli.scale.test',
               pg_temp.pick(CASE WHEN pg_temp.r(g, 1, 2) = 0 THEN %(male)s::text[] ELSE %(female)s::text[] END, g, 2)
                   || ' ' || pg_temp.pick(%(last)s::text[], g, 3),
               '+6285' || lpad((pg_temp.r(g, 4, 1000000000))::text, 9, '0'),
               false, true,
               %(start)s::timestamptz + make_interval(secs => (%(span)s * sqrt(pg_temp.u(g, 5)))::int)
        FROM generate_series(1, %(count)s - 1) AS g
        """,
        {
            "first": first,
            "count": count,
            "male": vocab.MALE,
            "female": vocab.FEMALE,
            "last": vocab.LAST,
            "start": ctx.start,
            "span": span,
        },
    )
    email, name, tel = BENCH_USERS["shopper"]
    ctx.copy(
        "opop_user",
        ["id", "password", "is_superuser", "email", "full_name", "phone", "is_staff", "is_active", "date_joined"],
        [(first, ctx.ids["bench_password"], False, email, name, tel, False, True, ctx.start)],
    )
    ctx.copy(
        "account_emailaddress",
        ["email", "verified", "primary", "user_id"],
        [(e, True, True, pk) for pk, (e, _n, _t) in zip((1, 2, 3, first), BENCH_USERS.values(), strict=True)],
    )
    ctx.counts["shoppers"] = count
