"""Santripreneur and sosiopreneur at scale: a million santri (INSERT ... SELECT), santri businesses,
alumni with their businesses and monthly omzet reports."""

from datetime import timedelta

from django.utils.text import slugify

from bench.scale import vocab
from bench.scale.base import Context, aware, months_back, run_parallel, split
from bench.scale.kernel import person, phone


def generate_santri(ctx: Context) -> None:
    """Every pesantren's santri_count santri; about 30 % of those in the programme became santripreneurs.

    Two connections write at once, each the santri of half the pesantren."""
    run_parallel(ctx, _santri, split(1, ctx.sizes.pesantren, ctx.workers), workers=ctx.workers)
    ctx.counts["santri"] = ctx.scalar("SELECT count(*) FROM santri_santri")


def _santri(ctx: Context, first: int, last: int) -> None:
    span = (ctx.anchor_day - ctx.start_month).days
    ctx.execute(
        """
        INSERT INTO santri_santri (id, created_at, updated_at, name, nis, nik, gender, birth_date, entry_year, status,
            skills, interests, card_number, card_token, track_completed_on, santripreneur_since, pesantren_id)
        SELECT s.id, make_date(s.entry_year, 7, 15)::timestamptz, make_date(s.entry_year, 7, 15)::timestamptz,
               pg_temp.pick(CASE WHEN s.gender = 'L' THEN %(male)s::text[] ELSE %(female)s::text[] END, s.id, 23)
                   || ' ' || pg_temp.pick(%(last)s::text[], s.id, 24),
               s.entry_year || lpad(s.g::text, 6, '0'),
               CASE WHEN pg_temp.r(s.id, 25, 10) < 8
                    THEN '35' || substr(s.region, 4, 2) || lpad(pg_temp.r(s.id, 26, 1000000000000)::text, 12, '0')
                    ELSE '' END,
               s.gender, make_date(s.entry_year - 12 - pg_temp.r(s.id, 27, 6)::int, 1 + pg_temp.r(s.id, 28, 12)::int,
                                   1 + pg_temp.r(s.id, 29, 28)::int),
               s.entry_year, CASE WHEN pg_temp.r(s.id, 30, 100) < 8 THEN 'graduated' ELSE 'active' END,
               CASE WHEN pg_temp.r(s.id, 31, 3) = 0 THEN pg_temp.pick(%(skills)s::text[], s.id, 32) ELSE '' END,
               CASE WHEN pg_temp.r(s.id, 33, 3) = 0 THEN pg_temp.pick(%(interests)s::text[], s.id, 34) ELSE '' END,
               NULL, pg_temp.uid(s.id, 35),
               CASE WHEN s.since IS NOT NULL AND pg_temp.r(s.id, 36, 2) = 0 THEN s.since END, s.since, s.pesantren_id
        FROM (
            SELECT p.off + g AS id, g, p.id AS pesantren_id, p.kabupaten_kota_id AS region,
                   CASE WHEN pg_temp.r(p.off + g, 20, 2) = 0 THEN 'L' ELSE 'P' END AS gender,
                   %(year)s - pg_temp.r(p.off + g, 21, 7)::int AS entry_year,
                   CASE WHEN sp.first_month IS NOT NULL AND pg_temp.r(p.off + g, 22, 100) < 30
                         AND greatest(sp.first_month, %(start)s + (%(span)s * sqrt(pg_temp.u(p.off + g, 37)))::int)
                             < %(end)s
                        THEN greatest(sp.first_month, %(start)s + (%(span)s * sqrt(pg_temp.u(p.off + g, 37)))::int)
                   END AS since
            FROM (SELECT id, kabupaten_kota_id, santri_count,
                         sum(santri_count) OVER (ORDER BY id) - santri_count AS off
                  FROM pesantren_pesantren) p
            LEFT JOIN scale_pesantren sp ON sp.id = p.id
            CROSS JOIN LATERAL generate_series(1, p.santri_count) g
            WHERE p.id BETWEEN %(first_id)s AND %(last_id)s
        ) s
        """,
        {
            "male": vocab.MALE,
            "female": vocab.FEMALE,
            "last": vocab.LAST,
            "skills": vocab.SKILLS,
            "interests": vocab.INTERESTS,
            "year": ctx.anchor.year,
            "start": ctx.start_month,
            "span": span,
            "end": ctx.anchor_day,
            "first_id": first,
            "last_id": last,
        },
    )


def generate_businesses(ctx: Context) -> None:
    """Santri businesses and alumni businesses: their organisations, owners, and alumni monthly reports."""
    rng = ctx.sub_rng("businesses")
    ids = ctx.ids
    s = ctx.sizes
    region_of = ids["pesantren_region"]
    public = ids["public_pesantren"]
    users, orgs, members, santri_biz, alumni, alumni_biz, plan = [], [], [], [], [], [], []
    for n in range(1, s.santri_businesses + 1):
        pesantren = rng.choice(public)
        region = region_of[pesantren]
        sector = rng.choice(vocab.SECTORS[:5])
        name = f"{rng.choice(vocab.BUSINESS_WORDS[sector])} Santri {rng.choice(vocab.PESANTREN_WORDS)} {n}"
        started = ctx.anchor_day - timedelta(days=rng.randint(60, 365 * s.years))
        org, user = ids["santri_org0"] + n, ids["santri_owner_user0"] + n
        owner, _g = person(rng)
        users.append(
            (
                user,
                "!" + f"sb{ctx.seed}x{n}".rjust(40, "x"),
                False,
                f"santri.usaha{n}@santri.scale.test",
                owner,
                phone(20_000_000 + n),
                False,
                True,
                aware(started),
            )
        )
        orgs.append(
            (org, aware(started), aware(started), "santri_business", name, f"{slugify(name)}-sb{n}", True, region)
        )
        members.append((aware(started), aware(started), "owner", None, user, org))
        santri_biz.append(
            (aware(started), aware(started), name, sector, started, rng.randint(2, 40) * 1_000_000, pesantren)
        )
    for n in range(1, s.alumni + 1):
        pesantren = rng.choice(public)
        region = region_of[pesantren] if rng.random() < 0.7 else rng.choice(ids["regions"])[0]
        sector = rng.choice(vocab.SECTORS)
        founder, _g = person(rng)
        name = f"{rng.choice(vocab.BUSINESS_WORDS[sector])} {founder.split()[-1]} {n}"
        registered = ctx.end - timedelta(days=365 * s.years * rng.random() ** 0.7, seconds=rng.randint(0, 86399))
        org, user = ids["alumni_org0"] + n, ids["alumni_user0"] + n
        users.append(
            (
                user,
                "!" + f"al{ctx.seed}x{n}".rjust(40, "x"),
                False,
                f"alumni{n}@alumni.scale.test",
                founder,
                phone(30_000_000 + n),
                False,
                True,
                registered,
            )
        )
        orgs.append((org, registered, registered, "alumni_business", name, f"{slugify(name)}-ab{n}", True, region))
        members.append((registered, registered, "owner", None, user, org))
        alumni.append(
            (
                n,
                registered,
                registered,
                rng.randint(2005, ctx.anchor.year - 1),
                "verified",
                registered,
                "",
                pesantren,
                None,
                user,
                ids["admin_user0"] + pesantren,
            )
        )
        alumni_biz.append((n, registered, registered, name, sector, "", rng.randint(1, 25), "", region, org, n))
        plan.append((n, months_back(registered.date().replace(day=1), -1), rng.randint(3, 80) * 1_000_000, user))
    ctx.copy(
        "opop_user",
        ["id", "password", "is_superuser", "email", "full_name", "phone", "is_staff", "is_active", "date_joined"],
        users,
    )
    ctx.copy(
        "opop_organisation",
        ["id", "created_at", "updated_at", "kind", "name", "slug", "is_active", "kabupaten_kota_id"],
        orgs,
    )
    ctx.copy(
        "opop_membership", ["created_at", "updated_at", "role", "region_id", "user_id", "organisation_id"], members
    )
    ctx.copy(
        "santri_santribusiness",
        ["created_at", "updated_at", "name", "sector", "started_on", "monthly_omzet", "pesantren_id"],
        santri_biz,
    )
    ctx.copy(
        "alumni_alumnus",
        [
            "id",
            "created_at",
            "updated_at",
            "graduation_year",
            "status",
            "verified_at",
            "note",
            "pesantren_id",
            "santri_id",
            "user_id",
            "verified_by_id",
        ],
        alumni,
    )
    ctx.copy(
        "alumni_alumnibusiness",
        [
            "id",
            "created_at",
            "updated_at",
            "name",
            "sector",
            "nib",
            "workers",
            "description",
            "kabupaten_kota_id",
            "organisation_id",
            "alumnus_id",
        ],
        alumni_biz,
    )
    ctx.execute("CREATE UNLOGGED TABLE scale_alumni (id bigint, first_month date, base bigint, owner bigint)")
    ctx.copy("scale_alumni", ["id", "first_month", "base", "owner"], plan)
    last = months_back(ctx.anchor, 1)
    ctx.execute(
        """
        INSERT INTO alumni_alumnireport (created_at, updated_at, month, omzet, workers, status, revision, reviewed_at,
            review_note, business_id, reviewed_by_id, submitted_by_id)
        SELECT m + interval '1 month 2 days', m + interval '1 month 9 days', m::date,
               (a.base * (0.7 + 0.6 * pg_temp.u(a.id * 1000 + extract(epoch FROM m)::bigint / 86400, 41)))::bigint,
               1 + pg_temp.r(a.id, 42, 20)::int,
               CASE WHEN m = %(last_month)s::date THEN 'submitted' ELSE 'verified' END, 1,
               CASE WHEN m = %(last_month)s::date THEN NULL ELSE m + interval '1 month 9 days' END, '',
               a.id, CASE WHEN m = %(last_month)s::date THEN NULL ELSE 1 END, a.owner
        FROM scale_alumni a
        CROSS JOIN LATERAL generate_series(greatest(a.first_month, %(start)s), %(last_month)s::date,
            interval '1 month') m
        ORDER BY a.id, m
        """,
        {"last_month": last, "start": ctx.start_month},
    )
    ctx.counts["businesses"] = f"{len(santri_biz)} santri businesses, {len(alumni_biz)} alumni businesses"
