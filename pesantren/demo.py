"""Demo data of the Pesantrenpreneur pillar (people and figures are invented): 13 pesantren in
11 regencies/cities, cohorts 2019 to 2024, every lifecycle state, business units, mappings,
mentoring and monthly reports for past months.

Idempotent: a pesantren is keyed on its NSPP and built once through the services, as a pesantren
admin and Diskop UKM staff would in the browser. Figures follow ../shared/docs/domain.md: a
typical flagship business turns over tens to hundreds of millions of Rupiah a month, holds assets
around ten months of turnover, and covers 30 to 75 % of the pesantren's operating needs.
"""

from datetime import UTC, date, datetime, timedelta

from django.utils import timezone

from opop.demo import demo_organisation, demo_user
from opop.models import KabupatenKota, Membership, Organisation, User
from opop.services import membership_add
from pesantren import services
from pesantren.models import Aspect, BusinessUnit, MonthlyReport, Partner, Pesantren, StatusChange

S = Pesantren.Status

PARTNERS = [
    ("ITS Surabaya", Partner.Kind.ACADEMIA, "Institut Teknologi Sepuluh Nopember: teknologi pengolahan dan kemasan."),
    ("UNUSA", Partner.Kind.ACADEMIA, "Universitas Nahdlatul Ulama Surabaya: pendampingan manajemen usaha."),
    ("UNISMA", Partner.Kind.ACADEMIA, "Universitas Islam Malang: riset produk dan pemasaran digital."),
    ("Bank Jatim Syariah", Partner.Kind.BUSINESS, "Pembiayaan syariah, Samsat OPOP dan Laku Pandai."),
    ("Bank Indonesia Jawa Timur", Partner.Kind.GOVERNMENT, "Pengembangan ekonomi syariah dan literasi keuangan."),
    ("Tokopedia", Partner.Kind.BUSINESS, "Pelatihan berjualan di marketplace."),
    ("Grab Indonesia", Partner.Kind.BUSINESS, "Onboarding GrabFood dan GrabMart untuk produk pesantren."),
    ("FOKKER Koppontren Jatim", Partner.Kind.COMMUNITY, "Forum komunikasi koperasi pondok pesantren."),
    ("HIPSI", Partner.Kind.COMMUNITY, "Himpunan Pengusaha Santri Indonesia."),
    ("Dinas Pariwisata Jatim", Partner.Kind.GOVERNMENT, "Promosi produk pesantren di destinasi wisata."),
    ("JTV", Partner.Kind.MEDIA, "Liputan OPOP Expo dan profil produk unggulan."),
]

# name, region, kecamatan, desa, postal code, pengasuh, santri, flagship product, cohort, final status,
# monthly turnover (Rp), units [(kind, name, sector, products)]
PESANTREN = [
    (
        "Pondok Pesantren Darul Ulum",
        "35.17",
        "Peterongan",
        "Keplaksari",
        "61481",
        "KH. Ahmad Syaifuddin",
        6200,
        'Air minum dalam kemasan "Daroel"',
        2019,
        S.ACTIVE,
        450_000_000,
        [
            (
                BusinessUnit.Kind.KOPPONTREN,
                "Koppontren Darul Ulum",
                BusinessUnit.Sector.RETAIL,
                "Toko swalayan santri, kantin, Samsat OPOP",
            ),
            (
                BusinessUnit.Kind.UNIT_USAHA,
                "Unit AMDK Daroel",
                BusinessUnit.Sector.FOOD,
                "Air minum kemasan gelas dan galon",
            ),
        ],
    ),
    (
        "Pondok Pesantren Sidogiri",
        "35.14",
        "Kraton",
        "Sidogiri",
        "67151",
        "KH. Mahfudz Ridwan",
        11500,
        "Kopi dan ritel koperasi",
        2019,
        S.ACTIVE,
        2_400_000_000,
        [
            (
                BusinessUnit.Kind.KOPPONTREN,
                "Kopontren Sidogiri",
                BusinessUnit.Sector.RETAIL,
                "Jaringan toko basmalah, kopi, air minum",
            )
        ],
    ),
    (
        "Pondok Pesantren Nurul Huda Bululawang",
        "35.07",
        "Bululawang",
        "Kasri",
        "65171",
        "KH. Ahmad Mudzakkir",
        850,
        "Kopi robusta Bululawang (ekspor)",
        2020,
        S.ACTIVE,
        185_000_000,
        [
            (
                BusinessUnit.Kind.KOPPONTREN,
                "Koppontren Nurul Huda",
                BusinessUnit.Sector.AGRICULTURE,
                "Kopi robusta green bean dan bubuk untuk Malaysia, Australia, India, Selandia Baru",
            )
        ],
    ),
    (
        "Pondok Pesantren Mambaul Ulum Pademawu",
        "35.28",
        "Pademawu",
        "Tanjung",
        "69323",
        "KH. Moh. Zainuri",
        1200,
        "Garam beryodium",
        2021,
        S.ACTIVE,
        96_000_000,
        [
            (
                BusinessUnit.Kind.BUMP,
                "BUMP Garam Mambaul Ulum",
                BusinessUnit.Sector.FOOD,
                "Garam konsumsi beryodium 250 g",
            )
        ],
    ),
    (
        "Pondok Pesantren Al-Hikmah Jenu",
        "35.23",
        "Jenu",
        "Socorejo",
        "62352",
        "KH. Abdul Hamid",
        640,
        "Batik gedog Tuban",
        2021,
        S.VERIFIED,
        58_000_000,
        [(BusinessUnit.Kind.UD, "UD Batik Santri Al-Hikmah", BusinessUnit.Sector.FASHION, "Batik tulis gedog, sarung")],
    ),
    (
        "Pondok Pesantren Bahrul Ulum Diwek",
        "35.17",
        "Diwek",
        "Bendet",
        "61471",
        "KH. Hasan Afandi",
        930,
        "Keripik singkong pedas",
        2022,
        S.ACTIVE,
        42_000_000,
        [
            (
                BusinessUnit.Kind.UNIT_USAHA,
                "Unit Usaha Snack Bahrul Ulum",
                BusinessUnit.Sector.FOOD,
                "Keripik singkong, rengginang",
            )
        ],
    ),
    (
        "Pondok Pesantren Al-Amien Pragaan",
        "35.29",
        "Pragaan",
        "Sendang",
        "69465",
        "KH. Moh. Ilyas Hanafi",
        2100,
        "Jamu herbal Madura",
        2022,
        S.INACTIVE,
        37_000_000,
        [(BusinessUnit.Kind.CV, "CV Herbal Santri Madura", BusinessUnit.Sector.FOOD, "Jamu kunyit asam, beras kencur")],
    ),
    (
        "Pondok Pesantren Miftahul Huda Sananwetan",
        "35.72",
        "Sananwetan",
        "Gedog",
        "66137",
        "KH. Imam Suhadi",
        410,
        "Sirup belimbing",
        2023,
        S.VERIFIED,
        31_000_000,
        [
            (
                BusinessUnit.Kind.UNIT_USAHA,
                "Unit Sirup Miftahul Huda",
                BusinessUnit.Sector.FOOD,
                "Sirup dan dodol belimbing",
            )
        ],
    ),
    (
        "Pondok Pesantren Roudlotul Jannah Genteng",
        "35.10",
        "Genteng",
        "Kembiritan",
        "68465",
        "KH. Syamsul Arifin",
        720,
        "Abon ikan tuna",
        2023,
        S.ACTIVE,
        64_000_000,
        [
            (
                BusinessUnit.Kind.KOPPONTREN,
                "Koppontren Roudlotul Jannah",
                BusinessUnit.Sector.LIVESTOCK,
                "Abon tuna, kerupuk ikan",
            )
        ],
    ),
    (
        "Pondok Pesantren Darussalam Ngadiluwih",
        "35.06",
        "Ngadiluwih",
        "Tales",
        "64171",
        "KH. Nur Salim",
        560,
        "Beras organik",
        2024,
        S.SUBMITTED,
        0,
        [],
    ),
    (
        "Pondok Pesantren Al-Falah Jombang",
        "35.17",
        "Jombang",
        "Kaliwungu",
        "61419",
        "KH. Makhrus Ali",
        380,
        "Sandal dan sepatu santri",
        2024,
        S.RETURNED,
        0,
        [],
    ),
    (
        "Pondok Pesantren Nurul Jadid Paiton",
        "35.13",
        "Paiton",
        "Karanganyar",
        "67291",
        "KH. Abdul Wahid Zaini",
        8000,
        "Kopi dan teh herbal",
        None,
        S.REGISTERED,
        0,
        [],
    ),
    (
        "Pondok Pesantren Sabilul Huda Wonocolo",
        "35.78",
        "Wonocolo",
        "Sidosermo",
        "60239",
        "KH. Fathul Bari",
        300,
        "Roti dan kue kering",
        None,
        S.SUBMITTED,
        0,
        [],
    ),
]

# Path through the lifecycle to each final state: (to_status, actor "admin"/"staff", reason).
PATHS = {
    S.REGISTERED: [],
    S.SUBMITTED: [(S.SUBMITTED, "admin", "")],
    S.RETURNED: [
        (S.SUBMITTED, "admin", ""),
        (S.RETURNED, "staff", "NSPP belum sesuai data Kemenag; mohon unggah ulang bukti izin operasional."),
    ],
    S.VERIFIED: [(S.SUBMITTED, "admin", ""), (S.VERIFIED, "staff", "")],
    S.ACTIVE: [(S.SUBMITTED, "admin", ""), (S.VERIFIED, "staff", ""), (S.ACTIVE, "staff", "")],
    S.INACTIVE: [
        (S.SUBMITTED, "admin", ""),
        (S.VERIFIED, "staff", ""),
        (S.ACTIVE, "staff", ""),
        (S.INACTIVE, "staff", "Unit usaha berhenti produksi sementara; pengurus koperasi berganti."),
    ],
}


def _fresh(user: User) -> User:
    user.__dict__.pop("_opop_access", None)
    return user


def _months_back(today: date, n: int) -> date:
    year, month = today.year, today.month - n
    while month < 1:
        year, month = year - 1, month + 12
    return date(year, month, 1)


def _partners(staff: User) -> dict[str, Partner]:
    partners = {}
    for name, kind, description in PARTNERS:
        partner = Partner.objects.filter(name=name).first()
        if partner is None:
            partner = services.partner_create(user=staff, name=name, kind=kind, description=description)
        partners[name] = partner
    return partners


def _admin_for(index: int, name: str, organisation: Organisation | None, users: dict[str, User]) -> User:
    if name == "Pondok Pesantren Darul Ulum":
        return _fresh(users["pesantren admin"])
    slug = name.lower().replace("pondok pesantren ", "").replace(" ", ".").replace("'", "")
    admin = demo_user(
        f"pengurus.{slug}@opop.test", f"Pengurus {name.removeprefix('Pondok Pesantren ')}", f"+62813345{index:05d}"
    )
    if organisation is not None and not Membership.objects.filter(user=admin, organisation=organisation).exists():
        membership_add(organisation=organisation, user=admin, role=Membership.Role.OWNER)
    return _fresh(admin)


def _figures(base: int, months_ago: int, index: int) -> dict:
    # Slow growth towards the present with a Ramadan-ish bump; deterministic so reseeding agrees.
    growth = 1 - 0.015 * months_ago
    season = 1.12 if (months_ago + index) % 6 == 0 else 1.0
    omzet = int(base * growth * season) // 1000 * 1000
    workers = max(4, base // 9_000_000)
    costs = max(25_000_000, base // 3) // 1000 * 1000
    share = 30 + (index * 7 + months_ago * 3) % 46  # 30 to 75 % of the operating needs
    return {
        "omzet": omzet,
        "aset": int(base * 10.5 * growth) // 1000 * 1000,
        "workers_total": workers,
        "jobs_created": (months_ago + index) % 3,
        "operating_contribution": costs * share // 100 // 1000 * 1000,
        "operating_costs": costs,
    }


def seed(users: dict[str, User]) -> None:
    staff = _fresh(users["Diskop UKM staff"])
    partners = _partners(staff)
    partner_list = list(partners.values())
    today = timezone.localdate()
    for index, row in enumerate(PESANTREN, start=1):
        (name, kode, kecamatan, desa, postal_code, pengasuh, santri, flagship, cohort, final, turnover, units) = row
        nspp = f"5100{kode.replace('.', '')}{index:04d}"
        if Pesantren.objects.filter(nspp=nspp).exists():
            continue
        region = KabupatenKota.objects.get(kode=kode)
        organisation = None
        if name in ("Pondok Pesantren Darul Ulum", "Pondok Pesantren Sidogiri"):
            organisation = demo_organisation(name, Organisation.Kind.PESANTREN, kode)
        admin = _admin_for(index, name, organisation, users)
        pesantren = services.pesantren_register(
            user=admin,
            organisation=organisation,
            name=name,
            nspp=nspp,
            street=f"Jl. Pesantren No. {index * 3}",
            desa=desa,
            kecamatan=kecamatan,
            kabupaten_kota=region,
            postal_code=postal_code,
            pengasuh=pengasuh,
            santri_count=santri,
            phone=f"08123{kode.replace('.', '')}{index:03d}",
            email=f"info@{name.lower().split()[-1].replace(chr(39), '')}{index}.sch.id",
            description=f"{name} mengembangkan {flagship[0].lower() + flagship[1:]} sebagai produk unggulan OPOP.",
            flagship_product=flagship,
        )
        _fresh(admin)
        for kind, unit_name, sector, products in units:
            legal = {"legal_entity_number": f"188/{index:03d}/BH/XVI.{kode[-2:]}/2019", "nib": f"91203{index:08d}"}
            services.business_unit_save(
                user=admin,
                pesantren=pesantren,
                kind=kind,
                name=unit_name,
                sector=sector,
                products=products,
                **(legal if kind == BusinessUnit.Kind.KOPPONTREN else {}),
            )
        for to_status, who, reason in PATHS[final]:
            if final == S.INACTIVE and to_status == S.INACTIVE:
                _reports(pesantren, admin, staff, turnover, index, today)
            pesantren = services.pesantren_transition(
                user=admin if who == "admin" else staff,
                pesantren=pesantren,
                to_status=to_status,
                reason=reason,
                cohort=cohort if to_status == S.VERIFIED else None,
            )
        pesantren.refresh_from_db()
        if final in (S.VERIFIED, S.ACTIVE, S.INACTIVE):
            _mapping_and_mentoring(pesantren, staff, partner_list, cohort, index, today)
        if final in (S.VERIFIED, S.ACTIVE):
            _reports(pesantren, admin, staff, turnover, index, today)
        _backdate(pesantren, cohort, index, today)


def _backdate(pesantren: Pesantren, cohort: int | None, index: int, today: date) -> None:
    """Spread the lifecycle over the years it took, so the history reads like a real one.

    The services stamp everything "now"; only the demo rewrites these timestamps.
    """
    changes = list(StatusChange.objects.filter(pesantren=pesantren).order_by("id"))
    if cohort:
        start = datetime(cohort, 1, 8 + index, 9, 30, tzinfo=UTC)
        stamps = [start + timedelta(days=30 * step) for step in range(len(changes))]
        if changes and changes[-1].to_status == S.INACTIVE:
            stamps[-1] = datetime(today.year, 1, 15, 9, 30, tzinfo=UTC)
    else:
        start = timezone.now() - timedelta(days=40 - index)
        stamps = [start + timedelta(days=9 * step) for step in range(len(changes))]
    for change, stamp in zip(changes, stamps, strict=True):
        StatusChange.objects.filter(pk=change.pk).update(created_at=stamp)
    if stamps:
        Pesantren.objects.filter(pk=pesantren.pk).update(status_changed_at=stamps[-1], created_at=stamps[0])
    for report in MonthlyReport.objects.filter(pesantren=pesantren):
        submitted = datetime(report.month.year, report.month.month, 1, 10, tzinfo=UTC) + timedelta(days=35)
        stamp = min(submitted, timezone.now())
        MonthlyReport.objects.filter(pk=report.pk).update(created_at=stamp)
        for revision in report.revisions.order_by("number"):
            revision_stamp = min(stamp + timedelta(days=12 * (revision.number - 1)), timezone.now())
            report.revisions.filter(pk=revision.pk).update(created_at=revision_stamp)


def _mapping_and_mentoring(pesantren, staff, partner_list, cohort, index, today) -> None:
    first = date(cohort, 3, 10 + index)
    base = [1 + (index + offset) % 3 for offset in range(5)]
    services.mapping_record(
        user=staff,
        pesantren=pesantren,
        assessed_on=first,
        scores=dict(zip(Aspect.values, base, strict=True)),
        notes={"kelembagaan": "Belum berbadan hukum koperasi.", "pemasaran": "Penjualan masih di lingkungan pondok."},
    )
    services.mapping_record(
        user=staff,
        pesantren=pesantren,
        assessed_on=_months_back(today, 2).replace(day=12),
        scores=dict(zip(Aspect.values, [min(5, score + 1 + (index % 2)) for score in base], strict=True)),
        notes={"produk": "Sudah bersertifikat halal; kemasan baru.", "pemasaran": "Terdaftar di OPOP Mart."},
    )
    services.collaborators_set(
        user=staff,
        pesantren=pesantren,
        partners=[partner_list[index % len(partner_list)], partner_list[(index + 4) % len(partner_list)]],
    )
    sessions = [
        (Aspect.PRODUK, "Pelatihan desain kemasan dan pendaftaran sertifikasi halal.", "Kirim berkas halal."),
        (Aspect.PEMASARAN, "Onboarding toko ke marketplace dan foto produk.", "Unggah 10 produk."),
        (Aspect.PEMBIAYAAN, "Konsultasi pembiayaan modal kerja syariah.", "Siapkan laporan keuangan 6 bulan."),
    ]
    for offset, (aspect, activity, follow_up) in enumerate(sessions):
        services.mentoring_record(
            user=staff,
            pesantren=pesantren,
            held_on=_months_back(today, 1 + offset * 2).replace(day=5 + index),
            aspect=aspect,
            activity=activity,
            follow_up=follow_up,
            mentor=staff if offset == 2 else None,
            partner=None if offset == 2 else partner_list[(index + offset) % len(partner_list)],
        )


def _reports(pesantren, admin, staff, turnover, index, today) -> None:
    """Six past months: older ones verified, one corrected after verification, last month waiting
    for review (or returned); two pesantren have already reported this month."""
    if not turnover:
        return
    first = 0 if index in (1, 3) else 1
    for months_ago in range(6, first - 1, -1):
        figures = _figures(turnover, months_ago, index)
        report = services.report_submit(
            user=admin, pesantren=pesantren, month=_months_back(today, months_ago), **figures
        )
        if months_ago >= 2:
            services.report_review(user=staff, report=report, verify=True)
        if months_ago == 3 and index % 2 == 1:
            corrected = {**figures, "omzet": figures["omzet"] + 4_500_000}
            report = services.report_correct(
                user=admin, report=report, reason="Penjualan toko cabang belum tercatat.", **corrected
            )
            services.report_review(user=staff, report=report, verify=True)
        if months_ago == 1 and index == 6:
            services.report_review(
                user=staff, report=report, verify=False, note="Aset turun tajam dibanding bulan lalu; mohon dicek."
            )
