"""Demo data: certificates behind the catalogue's halal numbers, cases in every state, flagship decisions.

Runs after the marketplace demo (it needs its stores and products). Idempotent: certificates are keyed on
their number, cases and proposals on their product.
"""

from datetime import date

from django.core.files.uploadedfile import SimpleUploadedFile

from marketplace.halal import flagship, services
from marketplace.halal.models import Certificate, FlagshipProposal, HalalCase, Scheme
from marketplace.models import Product
from opop.demo import demo_user
from opop.mail import mail_muted
from opop.models import Membership, User
from opop.uploads import sample_pdf

COMPANION = ("pendamping@opop.test", "Nur Hidayati", "+6281234500031")

# product → (issued on, valid until or None). Since 2023 most certificates have no expiry date.
CERTIFICATE_DATES = {
    "Petis Madura 250 g": (date(2022, 12, 20), date(2026, 12, 20)),  # expires within 30 days
    "Madu Klanceng Kediri 250 g": (date(2023, 2, 10), date(2027, 2, 10)),  # within 90 days
}

# (product, scheme, steps up to the demo state, extra)
CASES = [
    ("Beras Organik Darul Ulum 5 kg", Scheme.SELF_DECLARE, ["submit", "assign", "start_verification"], {}),
    (
        "Kopi Luwak Liar Malang 100 g",
        Scheme.REGULER,
        ["submit", "assign", "start_verification", "send_to_fatwa"],
        {"turnover": 1_800_000_000, "body": "LPH LPPOM MUI Jawa Timur"},
    ),
    (
        "Keripik Pisang Agung Malang",
        Scheme.SELF_DECLARE,
        ["submit", "assign", "start_verification", "send_to_fatwa", "issue"],
        {"number": "ID35070000246810922"},
    ),
    ("Kopi Ekspor Grade 1 (5 kg)", Scheme.SELF_DECLARE, ["submit", "return"], {}),
    ("Teh Daun Kelor 50 g", Scheme.SELF_DECLARE, ["submit"], {}),
    (
        "Minyak Zaitun Murni 250 ml",
        Scheme.REGULER,
        ["submit", "assign"],
        {"turnover": 900_000_000, "body": "LPH Universitas Brawijaya"},
    ),
    ("Jasa Sablon Kaos Santri", Scheme.REGULER, ["submit", "reject"], {}),
]

STEP_DATES = [date(2026, 9, 1), date(2026, 9, 8), date(2026, 9, 22), date(2026, 10, 20), date(2026, 11, 10)]
STEP_NOTES = {
    "submit": "Berkas lengkap: daftar bahan, alur proses, foto dapur produksi, NIB.",
    "start_verification": "Kunjungan ke dapur produksi; bahan dan proses sesuai daftar.",
    "send_to_fatwa": "Hasil verifikasi/audit diserahkan ke Komite Fatwa.",
    "issue": "Sertifikat terbit di SIHALAL.",
    "return": "Daftar bahan belum mencantumkan pemasok gula dan bukti halalnya. Mohon dilengkapi.",
    "reject": "Jasa sablon bukan produk pangan/barang yang disertifikasi halal.",
}

PROPOSALS = [
    # (product, decision or None, scores, reason)
    ("Kopi Arabika Dampit 200 g", True, (5, 5, 4, 5, 4, 4), ""),
    ("Madu Hutan Sidogiri 500 g", None, (), ""),
    (
        "Tas Anyaman Pandan Sumenep",
        False,
        (4, 3, 3, 4, 2, 4),
        "Kapasitas produksi belum stabil; ajukan lagi tahun depan.",
    ),
]


def _pdf(name: str) -> SimpleUploadedFile:
    body = sample_pdf(name)
    return SimpleUploadedFile(name, body, content_type="application/pdf")


def _owner(product: Product) -> User:
    return (
        User.objects.filter(
            memberships__organisation=product.store.organisation_id, memberships__role=Membership.Role.OWNER
        )
        .order_by("pk")
        .first()
    )


# A number its seller typed that staff have not verified yet: waits in /halal/klaim/, shoppers see no badge.
AWAITING_VERIFICATION = "Sambal Bawang Santri 150 g"
# A verified product whose composition then changed: its certificate needs renewal.
NEEDS_RENEWAL = ("Gula Semut Aren Pasuruan", "Resep baru: gula aren dicampur gula kelapa dari pemasok baru.")


def _certificates(staff: User) -> None:
    """Sellers state their halal numbers; staff verify them against BPJPH's record (one left waiting)."""
    from marketplace.demo import halal_numbers
    from marketplace.halal import claims
    from marketplace.halal.models import ClaimStatus, HalalClaim

    for name, number in halal_numbers().items():
        product = Product.objects.filter(name=name).select_related("store__organisation").first()
        if product is None or Certificate.objects.filter(number=number).exists():
            continue
        if HalalClaim.objects.filter(product=product).exclude(status=ClaimStatus.PENDING).exists():
            continue
        claim = claims.claim_submit(
            actor=_owner(product), product=product, number=number, evidence=_pdf(f"sertifikat-{product.slug}.pdf")
        )
        if name == AWAITING_VERIFICATION:
            continue
        issued_on, expires_on = CERTIFICATE_DATES.get(name, (date(2024, 3, 15), None))
        claims.claim_verify(
            actor=staff, claim=claim, issued_on=issued_on, expires_on=expires_on, valid_while_unchanged=not expires_on
        )


def _renewal() -> None:
    from marketplace.halal.models import CaseStatus

    name, note = NEEDS_RENEWAL
    product = Product.objects.filter(name=name).select_related("store__organisation").first()
    if product is None or HalalCase.objects.filter(products=product, status=CaseStatus.NEEDS_RENEWAL).exists():
        return
    services.product_composition_changed(actor=_owner(product), product=product, note=note)


def _cases(staff: User, companion: User) -> None:
    for name, scheme, steps, extra in CASES:
        product = Product.objects.filter(name=name).select_related("store__organisation").first()
        if product is None or HalalCase.objects.filter(products=product).exists():
            continue
        owner = _owner(product)
        case = services.case_create(
            actor=owner,
            organisation=product.store.organisation,
            products=[product],
            scheme=scheme,
            business_unit=product.store.name,
            annual_turnover=extra.get("turnover", 240_000_000),
            sells_goods=product.category.slug != "jasa",
        )
        for kind in ("ingredients", "process_flow"):
            services.case_attach(actor=owner, case=case, kind=kind, upload=_pdf(f"{kind}-{product.slug}.pdf"))
        for index, step in enumerate(steps):
            actor = owner if step == "submit" else staff
            if step in ("start_verification", "send_to_fatwa"):
                actor = companion
            kwargs = {}
            if step == "assign":
                kwargs = {"assignee": companion, "inspection_body": extra.get("body", "LP3H UIN Sunan Ampel Surabaya")}
            if step == "issue":
                kwargs = {"certificate": {"number": extra["number"], "issued_on": STEP_DATES[index]}}
            services.case_transition(
                actor=actor,
                case=case,
                action=step,
                note=STEP_NOTES.get(step, ""),
                occurred_on=STEP_DATES[min(index, len(STEP_DATES) - 1)],
                **kwargs,
            )


def _proposals(staff: User) -> None:
    from marketplace.halal.models import CRITERIA

    for name, decision, scores, reason in PROPOSALS:
        product = Product.objects.filter(name=name).select_related("store__organisation").first()
        if product is None or FlagshipProposal.objects.filter(product=product).exists():
            continue
        proposal = flagship.flagship_propose(
            actor=_owner(product), product=product, motivation="Produk terlaris toko, kemasan sudah berlabel."
        )
        if decision is not None:
            flagship.flagship_decide(
                actor=staff,
                proposal=proposal,
                approve=decision,
                scores={field: score for (field, _label), score in zip(CRITERIA, scores, strict=True)},
                notes="Dinilai pada kurasi produk unggulan OPOP November 2026.",
                reason=reason,
            )


LEGALITY = [
    # (product, kind, number, verdict: True verified / False rejected / None pending, note)
    ("Beras Organik Darul Ulum 5 kg", "pirt", "2063517010123-27", None, ""),
    ("Keripik Tempe Jombang", "pirt", "2063517020456-26", True, ""),
    ("Madu Hutan Sidogiri 500 g", "bpom_md", "MD 251128001234", True, ""),
    ("Kopi Robusta Bululawang 250 g", "nib", "9120301234567", True, ""),
    ("Kopi Luwak Liar Malang 100 g", "nib", "9120301234568", False, "NIB terdaftar atas nama usaha lain di OSS."),
    ("Keripik Pisang Agung Malang", "pirt", "2073507010999-28", None, ""),
]


def _legality(staff: User) -> None:
    from marketplace.halal import legality
    from marketplace.halal.models import LegalityRecord

    for name, kind, number, verdict, note in LEGALITY:
        product = Product.objects.filter(name=name).select_related("store__organisation").first()
        if product is None or LegalityRecord.objects.filter(product=product, kind=kind).exists():
            continue
        record = legality.legality_record_submit(actor=_owner(product), product=product, kind=kind, number=number)
        if verdict is not None:
            legality.legality_record_verify(actor=staff, record=record, verified=verdict, note=note)


def seed(users: dict[str, User]) -> None:
    companion = demo_user(*COMPANION)
    users["halal companion"] = companion
    staff = users["Diskop UKM staff"]
    with mail_muted():
        _certificates(staff)
        _cases(staff, companion)
        _proposals(staff)
        _legality(staff)
        _renewal()
