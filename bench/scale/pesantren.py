"""Pesantrenpreneur at scale: pesantren with their admins, lifecycle, business units, and five years of
verified monthly reports with revisions (INSERT ... SELECT over a plan table)."""

from datetime import date, timedelta

from django.utils.text import slugify

from bench.scale import vocab
from bench.scale.base import Context, aware, months_back, uuid_for
from bench.scale.kernel import person, phone

# Final state of a pesantren, with its share: most are in the programme, some still on the way in.
STATUSES = [("active", 80), ("verified", 6), ("inactive", 3), ("submitted", 5), ("returned", 2), ("registered", 4)]
IN_PROGRAMME = {"active", "verified", "inactive"}
COHORT_WEIGHTS = {2019: 150, 2020: 200, 2021: 200, 2022: 200, 2023: 250, 2024: 300}


def _pareto_split(rng, total: int, count: int, alpha: float = 1.3) -> list[int]:
    """`total` split over `count` parts with a heavy tail: a few very large, many small."""
    weights = [rng.paretovariate(alpha) for _ in range(count)]
    scale = total / sum(weights)
    parts = [int(w * scale) for w in weights]
    order = sorted(range(count), key=lambda i: -weights[i])
    for i in range(total - sum(parts)):
        parts[order[i % count]] += 1
    return parts


def generate_pesantren(ctx: Context) -> None:
    """Pesantren, their organisations, admin users (owners), status history and business units (COPY)."""
    rng = ctx.sub_rng("pesantren")
    s = ctx.sizes
    ids = ctx.ids
    villages = vocab.villages()
    regions = [kode for kode, _w in ids["regions"]]
    weights = [w for _k, w in ids["regions"]]
    santri_counts = _pareto_split(rng, s.santri, s.pesantren)
    statuses, status_weights = zip(*STATUSES, strict=True)
    cohorts, cohort_weights = zip(*COHORT_WEIGHTS.items(), strict=True)
    plan = []  # (id, region, status, cohort, joined, left, base_turnover, admin)
    orgs, pesantren, users, members, changes, units = [], [], [], [], [], []
    seq_per_card: dict[str, int] = {}
    for i in range(1, s.pesantren + 1):
        region = rng.choices(regions, weights)[0]
        kecamatan, desa, postal = rng.choice(villages[region])
        status = rng.choices(statuses, status_weights)[0]
        cohort = rng.choices(cohorts, cohort_weights)[0] if status in IN_PROGRAMME else None
        joined = date(cohort, rng.randint(2, 11), rng.randint(1, 28)) if cohort else None
        created = (joined or ctx.anchor_day - timedelta(days=rng.randint(20, 400))) - timedelta(
            days=rng.randint(20, 90)
        )
        created = max(created, date(2018, 11, 1))
        left = ctx.anchor_day - timedelta(days=rng.randint(30, 700)) if status == "inactive" else None
        if left and left <= joined:
            left = joined + timedelta(days=60)
        name = f"Pondok Pesantren {rng.choice(vocab.PESANTREN_WORDS)}{rng.choice(vocab.PESANTREN_SUFFIX)}"
        org_id = ids["pesantren_org0"] + i
        admin = ids["admin_user0"] + i
        pengasuh = f"KH. {person(rng, 'L')[0]}"
        card = None
        if status in ("active", "verified"):
            prefix = f"OPOP-{region.replace('.', '')}-{cohort}-"
            seq_per_card[prefix] = seq_per_card.get(prefix, 0) + 1
            card = f"{prefix}{seq_per_card[prefix]:04d}"
        changed_at = aware(left or joined or created, 36000)
        orgs.append(
            (
                org_id,
                aware(created),
                changed_at,
                "pesantren",
                name,
                f"{slugify(name)}-{i}",
                status != "inactive",
                region,
            )
        )
        flagship = rng.choice(rng.choice(list(vocab.PRODUCTS.values())))[0]
        pesantren.append(
            (
                i,
                aware(created),
                changed_at,
                name,
                f"51{region.replace('.', '')}{i:06d}",
                f"Jl. Pondok No. {rng.randint(1, 200)}",
                desa,
                kecamatan,
                postal,
                pengasuh,
                santri_counts[i - 1],
                phone(i),
                f"pp{i}@pesantren.scale.test",
                "",
                f"Pesantren di Kec. {kecamatan} dengan usaha {flagship.lower()}.",
                flagship,
                cohort,
                status,
                changed_at,
                card,
                uuid_for(ctx, "pesantren", i),
                region,
                org_id,
            )
        )
        admin_name, _g = person(rng)
        users.append(
            (
                admin,
                "!" + f"{ctx.seed}{i}".rjust(40, "x"),
                False,
                f"admin.{i}@pesantren.scale.test",
                admin_name,
                phone(10_000_000 + i),
                False,
                True,
                aware(created),
            )
        )
        members.append((aware(created), changed_at, "owner", None, admin, org_id))
        changes.extend(_history(i, status, created, joined, left, admin))
        if status in IN_PROGRAMME:
            sector = rng.choice(vocab.SECTORS)
            units.append(
                (
                    aware(joined),
                    aware(joined),
                    "koppontren",
                    f"Koppontren {name[17:]}",
                    "retail",
                    "Toko santri, kantin, Samsat OPOP",
                    "",
                    "",
                    True,
                    i,
                )
            )
            if rng.random() < 0.5:
                word = rng.choice(vocab.BUSINESS_WORDS[sector])
                units.append(
                    (
                        aware(joined),
                        aware(joined),
                        "unit_usaha",
                        f"Unit {word} {name[17:]}",
                        sector,
                        f"{word} produksi santri",
                        "",
                        f"{rng.randint(10**12, 10**13 - 1)}",
                        True,
                        i,
                    )
                )
            base = int(rng.paretovariate(1.6) * 25_000_000)
            plan.append(
                (i, region, cohort, months_back(joined.replace(day=1), -1), left, min(base, 5_000_000_000), admin)
            )
    user_cols = [
        "id",
        "password",
        "is_superuser",
        "email",
        "full_name",
        "phone",
        "is_staff",
        "is_active",
        "date_joined",
    ]
    ctx.copy("opop_user", user_cols, users)
    ctx.copy(
        "opop_organisation",
        ["id", "created_at", "updated_at", "kind", "name", "slug", "is_active", "kabupaten_kota_id"],
        orgs,
    )
    ctx.copy(
        "opop_membership", ["created_at", "updated_at", "role", "region_id", "user_id", "organisation_id"], members
    )
    ctx.copy(
        "pesantren_pesantren",
        [
            "id",
            "created_at",
            "updated_at",
            "name",
            "nspp",
            "street",
            "desa",
            "kecamatan",
            "postal_code",
            "pengasuh",
            "santri_count",
            "phone",
            "email",
            "logo",
            "description",
            "flagship_product",
            "cohort",
            "status",
            "status_changed_at",
            "card_number",
            "card_token",
            "kabupaten_kota_id",
            "organisation_id",
        ],
        pesantren,
    )
    ctx.copy(
        "pesantren_statuschange",
        ["pesantren_id", "from_status", "to_status", "reason", "created_at", "actor_id"],
        changes,
    )
    ctx.copy(
        "pesantren_businessunit",
        [
            "created_at",
            "updated_at",
            "kind",
            "name",
            "sector",
            "products",
            "legal_entity_number",
            "nib",
            "is_active",
            "pesantren_id",
        ],
        units,
    )
    ctx.execute(
        "CREATE UNLOGGED TABLE scale_pesantren (id bigint PRIMARY KEY, region varchar(5), cohort int, first_month date,"
        " left_on date, base bigint, admin bigint)"
    )
    ctx.copy("scale_pesantren", ["id", "region", "cohort", "first_month", "left_on", "base", "admin"], plan)
    ctx.execute("ANALYZE scale_pesantren")
    ids["public_pesantren"] = [row[0] for row in plan if row[4] is None]
    ids["pesantren_region"] = {row[0]: row[1] for row in plan}
    ctx.counts["pesantren"] = f"{len(pesantren)} pesantren, {len(changes)} status changes, {len(units)} units"


def _history(pk: int, status: str, created: date, joined: date | None, left: date | None, admin: int) -> list[tuple]:
    rows = [(pk, "", "registered", "", aware(created, 30000), admin)]
    if status == "registered":
        return rows
    rows.append((pk, "registered", "submitted", "", aware(created + timedelta(days=7), 32000), admin))
    if status == "returned":
        return [
            *rows,
            (
                pk,
                "submitted",
                "returned",
                "Lengkapi dokumen legalitas koperasi.",
                aware(created + timedelta(days=14), 34000),
                1,
            ),
        ]
    if status == "submitted":
        return rows
    rows.append((pk, "submitted", "verified", "", aware(joined, 36000), 1))
    if status in ("active", "inactive"):
        rows.append((pk, "verified", "active", "", aware(joined + timedelta(days=30), 36000), 1))
    if status == "inactive":
        rows.append((pk, "active", "inactive", "Tidak lagi melaporkan usaha.", aware(left, 36000), 1))
    return rows


def generate_reports(ctx: Context) -> None:
    """One whole-pesantren report per month from joining until last month; old ones verified, some revised."""
    last = months_back(ctx.anchor, 1)
    params = {"start": ctx.start_month, "last_month": last}
    # Figures: a seasonal (Ramadan and year-end) and growing turnover around each pesantren's base.
    ctx.execute(
        """
        CREATE UNLOGGED TABLE scale_report AS
        SELECT row_number() OVER (ORDER BY p.id, m.month) AS id, p.id AS pesantren_id, p.admin, m.month,
               (p.base * (0.75 + 0.5 * pg_temp.u(p.id * 1000 + k, 11))
                  * (1 + 0.012 * k) * (CASE WHEN extract(month FROM m.month) IN (3, 4, 12) THEN 1.3
                      ELSE 1 END))::bigint AS omzet,
               k, pg_temp.r(p.id * 1000 + k, 12, 100) AS roll
        FROM scale_pesantren p
        CROSS JOIN LATERAL (
            SELECT gs::date AS month, row_number() OVER () AS k
            FROM generate_series(greatest(p.first_month, %(start)s), least(%(last_month)s::date,
                 coalesce(date_trunc('month', p.left_on)::date - 1, %(last_month)s::date)), interval '1 month') AS gs
        ) m
        """,
        params,
    )
    ctx.execute(
        """
        INSERT INTO pesantren_monthlyreport (id, created_at, updated_at, omzet, aset, workers_total, jobs_created,
            operating_contribution, operating_costs, month, status, revision, reviewed_at, review_note,
            business_unit_id, reviewed_by_id, submitted_by_id, pesantren_id)
        SELECT r.id, r.month + interval '1 month 3 days', r.month + interval '1 month 10 days',
               r.omzet + CASE WHEN r.roll < 4 THEN r.omzet / 20 ELSE 0 END,
               r.omzet * 9 + 100000000, 5 + (r.omzet / 20000000)::int, pg_temp.r(r.id, 13, 3)::int,
               (r.omzet * 0.35 * (0.3 + 0.45 * pg_temp.u(r.id, 14)))::bigint, (r.omzet * 0.35)::bigint,
               r.month,
               CASE WHEN r.month = %(last_month)s::date AND r.roll < 70 THEN 'submitted'
                    WHEN r.month = %(last_month)s::date AND r.roll < 75 THEN 'returned' ELSE 'verified' END,
               CASE WHEN r.roll < 4 THEN 2 ELSE 1 END,
               CASE WHEN r.month = %(last_month)s::date AND r.roll < 70 THEN NULL
                   ELSE r.month + interval '1 month 10 days' END,
               CASE WHEN r.month = %(last_month)s::date AND r.roll BETWEEN 70 AND 74
                   THEN 'Aset belum sesuai neraca.' ELSE '' END,
               NULL, CASE WHEN r.month = %(last_month)s::date AND r.roll < 70 THEN NULL ELSE 1 END, r.admin,
                   r.pesantren_id
        FROM scale_report r
        """,
        params,
    )
    # Revision 1 of every report; revision 2 (a correction of the omzet) for the 4 % marked above.
    ctx.execute(
        """
        INSERT INTO pesantren_monthlyreportrevision (omzet, aset, workers_total, jobs_created, operating_contribution,
            operating_costs, number, reason, created_at, created_by_id, report_id)
        SELECT CASE WHEN n = 1 THEN rep.omzet - CASE WHEN rep.revision = 2 THEN rep.omzet / 21 ELSE 0 END
            ELSE rep.omzet END,
               rep.aset, rep.workers_total, rep.jobs_created, rep.operating_contribution, rep.operating_costs, n,
               CASE WHEN n = 2 THEN 'Koreksi omzet: penjualan akhir bulan belum tercatat.' ELSE '' END,
               rep.created_at + make_interval(days => n - 1), rep.submitted_by_id, rep.id
        FROM pesantren_monthlyreport rep CROSS JOIN generate_series(1, 2) n
        WHERE n <= rep.revision
        ORDER BY rep.id, n
        """
    )
    ctx.counts["reports"] = ctx.scalar("SELECT count(*) FROM pesantren_monthlyreport")
