"""Demo data of the Sosiopreneur pillar (people are invented): a demo alumna with a verified
business, monthly reports (verified, corrected, waiting) and a confirmed collaboration with her
pesantren; a santri who graduated into an alumnus; a claim waiting for the pesantren's admin.

Idempotent: keyed on the users' e-mail addresses, the business name and the report months.
"""

from django.utils import timezone

from alumni import services
from alumni.models import AlumniBusiness, AlumniReport, Alumnus, Collaboration
from opop.demo import demo_user
from opop.models import KabupatenKota, User
from pesantren.models import Pesantren
from santri.models import Santri

ALUMNA = ("alumni@opop.test", "Nur Aini Rahmawati", "+6281234500006")


def _fresh(user: User) -> User:
    user.__dict__.pop("_opop_access", None)
    return user


def _months_back(n: int):
    month = timezone.localdate().replace(day=1)
    for _ in range(n):
        month = (month - timezone.timedelta(days=1)).replace(day=1)
    return month


def seed(users: dict[str, User]) -> None:
    pesantren = Pesantren.objects.filter(name="Pondok Pesantren Darul Ulum").first()
    if pesantren is None:
        return
    admin = _fresh(users["pesantren admin"])
    staff = _fresh(users["Diskop staff (Jombang)"])
    alumna = demo_user(*ALUMNA)
    users["alumnus"] = alumna
    alumnus = Alumnus.objects.filter(user=alumna).first()
    if alumnus is None:
        alumnus = services.alumnus_register(user=alumna, pesantren=pesantren, graduation_year=2016)
        services.alumnus_verify(user=admin, alumnus=alumnus, verify=True)
    business = AlumniBusiness.objects.filter(name="Keripik Tempe Bu Nur").first()
    if business is None:
        business = services.business_create(
            user=_fresh(alumna),
            name="Keripik Tempe Bu Nur",
            sector="food",
            kabupaten_kota=KabupatenKota.objects.get(kode="35.17"),
            workers=6,
            nib="9120300012345",
            description="Keripik tempe renyah dari kedelai petani Jombang, dijual di OPOP Mart dan toko oleh-oleh.",
        )
    alumna = _fresh(alumna)
    for n, omzet in enumerate([18_500_000, 21_000_000, 19_750_000, 23_400_000], start=1):
        month = _months_back(5 - n)
        if AlumniReport.objects.filter(business=business, month=month).exists():
            continue
        report = services.report_submit(user=alumna, business=business, month=month, omzet=omzet, workers=5 + n % 2)
        if n <= 3:
            services.report_review(user=staff, report=report, verify=True)
        if n == 2:
            services.report_correct(
                user=alumna,
                report=report,
                omzet=omzet + 1_250_000,
                workers=6,
                reason="Penjualan OPOP Expo belum tercatat",
            )
            services.report_review(user=staff, report=report, verify=True)
    if not Collaboration.objects.filter(business=business, pesantren=pesantren).exists():
        collaboration = services.collaboration_propose(
            user=alumna,
            business=business,
            pesantren=pesantren,
            kind="supplier",
            description="Memasok keripik tempe untuk toko Koppontren Darul Ulum.",
        )
        services.collaboration_respond(user=_fresh(admin), collaboration=collaboration, accept=True)
        sidogiri = Pesantren.objects.filter(name="Pondok Pesantren Sidogiri").first()
        if sidogiri is not None:
            services.collaboration_propose(
                user=alumna,
                business=business,
                pesantren=sidogiri,
                kind="reseller",
                description="Menjual produk Sidogiri di toko oleh-oleh kami.",
            )
    graduate = (
        Santri.objects.filter(pesantren=pesantren, status="graduated", alumnus__isnull=True).order_by("nis").first()
    )
    if graduate is not None and not Alumnus.objects.filter(santri__pesantren=pesantren).exists():
        services.alumnus_from_santri(
            user=_fresh(admin), santri=graduate, email=f"alumni.{graduate.nis}@opop.test", graduation_year=2025
        )
    waiting = demo_user("alumni.baru@opop.test", "Moh. Syaiful Anam", "+6281234500007")
    if not Alumnus.objects.filter(user=waiting).exists():
        services.alumnus_register(user=waiting, pesantren=pesantren, graduation_year=2021)
