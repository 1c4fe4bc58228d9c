"""OPOP Mart catalogue at scale: stores of pesantren, santri and alumni businesses (skewed: a few big
ones), products with their stock ledger, and halal cases with certificates (COPY)."""

from datetime import timedelta

from django.utils.text import slugify

from bench.scale import vocab
from bench.scale.base import Context, aware

FOOD_CATEGORIES = {name for name, items in vocab.PRODUCTS.items() if any(item[4] for item in items)}


def _categories() -> dict[str, int]:
    """The category tree of marketplace/demo.py, made through the catalogue service (a dozen rows)."""
    from marketplace.catalogue.services import category_create
    from marketplace.models import Category

    found = {c.name: c for c in Category.objects.all()}
    for position, (name, children) in enumerate(vocab.CATEGORIES):
        if name not in found:
            found[name] = category_create(name=name, position=position)
        for child_position, child in enumerate(children):
            if child not in found:
                found[child] = category_create(name=child, parent=found[name], position=child_position)
    return {name: c.pk for name, c in found.items()}


def _zipf_split(total: int, count: int, minimum: int, s: float = 0.75) -> list[int]:
    weights = [1 / (rank**s) for rank in range(1, count + 1)]
    spare = total - minimum * count
    parts = [minimum + int(spare * w / sum(weights)) for w in weights]
    for i in range(total - sum(parts)):
        parts[i % count] += 1
    return parts


def generate_catalogue(ctx: Context) -> None:
    rng = ctx.sub_rng("catalogue")
    ids, s = ctx.ids, ctx.sizes
    categories = _categories()
    region_of = ids["pesantren_region"]
    # Which organisations have a store: half the stores are pesantren (koppontren), then santri and alumni businesses.
    n_alumni = min(s.alumni, round(s.stores * 0.3))
    n_santri = min(s.santri_businesses, round(s.stores * 0.2))
    n_pesantren = min(len(ids["public_pesantren"]), s.stores - n_alumni - n_santri)
    pesantren = rng.sample(ids["public_pesantren"], n_pesantren)
    owners = []  # (organisation id, kind, owner user, region, name prefix)
    owners += [(ids["pesantren_org0"] + p, "pesantren", ids["admin_user0"] + p, region_of[p]) for p in pesantren]
    owners += [
        (ids["santri_org0"] + n, "santri_business", ids["santri_owner_user0"] + n, None) for n in range(1, n_santri + 1)
    ]
    owners += [
        (ids["alumni_org0"] + n, "alumni_business", ids["alumni_user0"] + n, None) for n in range(1, n_alumni + 1)
    ]
    ctx.cursor.execute(
        "SELECT id, name, kabupaten_kota_id, created_at FROM opop_organisation WHERE id = ANY(%s)",
        [[o[0] for o in owners]],
    )
    org_rows = {row[0]: row[1:] for row in ctx.cursor.fetchall()}
    first, rest = owners[0], owners[1:]
    rng.shuffle(rest)
    owners = [first, *rest]  # store 1, the biggest, is a pesantren's koppontren: bench.penjual helps run it
    per_store = _zipf_split(s.products, len(owners), 3)
    stores, products, certificates, store_plan = [], [], [], []
    halal_p = min(0.9, 0.85 * s.halal_cases / max(1, 0.6 * s.products))
    pid = 0
    leaves = list(vocab.PRODUCTS)
    for sid, ((org, kind, owner, _r), n_products) in enumerate(zip(owners, per_store, strict=True), start=1):
        org_name, region, org_created = org_rows[org]
        name = f"Koppontren {org_name.removeprefix('Pondok Pesantren ')}" if kind == "pesantren" else org_name
        opened = max(org_created, ctx.start) + timedelta(days=rng.randint(0, 60))
        rate = rng.choice([10000, 12000, 15000, 18000, 20000, 25000])
        stores.append(
            (
                sid,
                opened,
                opened,
                name,
                f"{slugify(name)[:150]}-{sid}",
                f"Produk unggulan {name}.",
                "",
                True,
                True,
                f"{name}, {region}",
                rate,
                rng.choice(vocab.BANKS),
                f"{rng.randint(10**9, 10**10 - 1)}",
                name[:100],
                0,
                0,
                org,
                "",
                False,
                "Sabtu-Kamis 08.00-16.00, Jumat libur",
                24,
            )
        )
        store_plan.append((sid, pid + 1, n_products, kind, region, rate, owner))
        own_categories = rng.sample(leaves, 3)
        span = max(1, int((ctx.end - opened).total_seconds()))
        for k in range(n_products):
            pid += 1
            category = own_categories[0] if k < n_products // 2 else rng.choice(own_categories)
            label, lo, hi, weight, food = rng.choice(vocab.PRODUCTS[category])
            qualifier = rng.choice(vocab.PRODUCT_QUALIFIERS)
            pname = " ".join(part for part in (label, qualifier, name.split()[-1]) if part)[:200]
            price = rng.randint(lo // 500, hi // 500) * 500
            stock = 0 if rng.random() < 0.12 else rng.randint(1, 250)
            created = opened + timedelta(seconds=int(span * rng.random() ** 0.6))
            halal = ""
            if food and rng.random() < halal_p:
                halal = f"ID{region.replace('.', '')}{pid:010d}{created.year % 100:02d}"
                issued = (created - timedelta(days=rng.randint(10, 200))).date()
                certificates.append((pid, halal, issued, org, owner))
            products.append(
                (
                    pid,
                    created,
                    created,
                    pname,
                    f"{slugify(pname)[:200]}-{pid}",
                    f"{pname}. Produk {name}.",
                    price,
                    stock,
                    weight or 250,
                    3 if rng.random() < 0.04 else 1,
                    "",
                    f"P-IRT 2{pid:012d}-2{rng.randint(5, 9)}" if food and rng.random() < 0.5 else "",
                    "",
                    halal,
                    kind == "pesantren" and k == 0,
                    rng.random() > 0.03,
                    0,
                    0,
                    0,
                    categories[category],
                    sid,
                    5,
                )
            )
    ctx.copy(
        "marketplace_store",
        [
            "id",
            "created_at",
            "updated_at",
            "name",
            "slug",
            "description",
            "logo",
            "is_active",
            "allows_pickup",
            "pickup_address",
            "default_shipping_rate",
            "bank_name",
            "bank_account_number",
            "bank_account_name",
            "rating_average",
            "rating_count",
            "organisation_id",
            "holiday_message",
            "is_on_holiday",
            "opening_hours",
            "order_expiry_hours",
        ],
        stores,
    )
    ctx.copy(
        "marketplace_product",
        [
            "id",
            "created_at",
            "updated_at",
            "name",
            "slug",
            "description",
            "price",
            "stock",
            "weight_grams",
            "min_order",
            "nib",
            "pirt",
            "bpom_md",
            "halal_certificate_number",
            "is_flagship",
            "is_active",
            "sold_count",
            "rating_average",
            "rating_count",
            "category_id",
            "store_id",
            "low_stock_threshold",
            "listing_status",
            "listing_reason",
        ],
        [(*row, "approved", "") for row in products],  # the scale catalogue is curated already
    )
    bench_org = owners[0][0]
    ctx.execute(
        "INSERT INTO opop_membership (created_at, updated_at, role, region_id, user_id, organisation_id)"
        " VALUES (%s, %s, 'owner', NULL, 3, %s)",
        [ctx.start, ctx.start, bench_org],
    )
    # Open the stock ledger as migration 0004 did: one correction per product holding its stock.
    ctx.execute(
        "INSERT INTO marketplace_stockmovement (kind, quantity, reason, created_at, product_id)"
        " SELECT 'correction', stock, 'Opening balance of the stock ledger', created_at, id"
        " FROM marketplace_product WHERE stock > 0 ORDER BY id"
    )
    ctx.execute(
        "CREATE UNLOGGED TABLE scale_store (id bigint PRIMARY KEY, first_product bigint, products int, kind text,"
        " region varchar(5), rate int, owner bigint)"
    )
    ctx.copy("scale_store", ["id", "first_product", "products", "kind", "region", "rate", "owner"], store_plan)
    ctx.execute("ANALYZE scale_store")
    ctx.counts["catalogue"] = f"{len(stores)} stores, {len(products)} products"
    _halal(ctx, rng, certificates, store_plan)


def _halal(ctx: Context, rng, certificates: list[tuple], store_plan: list[tuple]) -> None:
    """A facilitated case for each certificate (issued), and cases still under way for other products."""
    statuses = ["submitted", "assigned", "verification", "fatwa", "rejected"]
    certs, cases, case_products, cert_products, events = [], [], [], [], []
    for n, (pid, number, issued, org, owner) in enumerate(certificates, start=1):
        opened = issued - timedelta(days=rng.randint(30, 120))
        scheme = "self_declare" if rng.random() < 0.8 else "reguler"
        cases.append(
            (
                n,
                aware(opened),
                aware(issued),
                "",
                scheme,
                "issued",
                rng.randint(50, 900) * 1_000_000,
                1,
                True,
                False,
                "" if scheme == "self_declare" else "LPH UNISMA",
                "",
                aware(issued),
                None,
                owner,
                org,
            )
        )
        certs.append((n, aware(issued), aware(issued), number, "BPJPH", issued, None, "", False, org, n))
        case_products.append((n, pid))
        cert_products.append((n, pid))
        events.append(("submit", "draft", "submitted", opened, n, owner))
        events.append(("issue", "fatwa", "issued", issued, n, 1))
    extra = max(0, ctx.sizes.halal_cases - len(cases))
    n = len(cases)
    for _ in range(extra):
        n += 1
        sid, first_product, count, _kind, _region, _rate, owner = rng.choice(store_plan)
        org = _org_of_store(ctx, sid)
        status = rng.choice(statuses)
        opened = ctx.anchor_day - timedelta(days=rng.randint(5, 300))
        cases.append(
            (
                n,
                aware(opened),
                aware(opened),
                "",
                "self_declare",
                status,
                rng.randint(50, 900) * 1_000_000,
                1,
                True,
                False,
                "",
                "Bahan baku belum bersertifikat halal." if status == "rejected" else "",
                aware(opened + timedelta(days=3)),
                None,
                owner,
                org,
            )
        )
        case_products.append((n, first_product + rng.randrange(count)))
        events.append(("submit", "draft", "submitted", opened, n, owner))
    ctx.copy(
        "halal_halalcase",
        [
            "id",
            "created_at",
            "updated_at",
            "business_unit",
            "scheme",
            "status",
            "annual_turnover",
            "production_sites",
            "sells_goods",
            "uses_risky_materials",
            "inspection_body",
            "reason",
            "status_changed_at",
            "assignee_id",
            "created_by_id",
            "organisation_id",
        ],
        cases,
    )
    ctx.copy("halal_halalcase_products", ["halalcase_id", "product_id"], case_products)
    ctx.copy(
        "halal_caseevent",
        ["action", "from_status", "to_status", "occurred_on", "case_id", "actor_id", "note", "created_at"],
        [(*e, "", aware(e[3], 40000)) for e in events],
    )
    ctx.copy(
        "halal_certificate",
        [
            "id",
            "created_at",
            "updated_at",
            "number",
            "issuer",
            "issued_on",
            "expires_on",
            "pdf",
            "revoked",
            "organisation_id",
            "case_id",
        ],
        certs,
    )
    ctx.copy("halal_certificate_products", ["certificate_id", "product_id"], cert_products)
    ctx.counts["halal"] = f"{len(cases)} cases, {len(certs)} certificates"


def _org_of_store(ctx: Context, sid: int) -> int:
    cache = ctx.ids.setdefault("store_org", {})
    if not cache:
        ctx.cursor.execute("SELECT id, organisation_id FROM marketplace_store")
        cache.update(ctx.cursor.fetchall())
    return cache[sid]
