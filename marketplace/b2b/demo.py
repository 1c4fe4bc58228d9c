"""B2B demo: supply offers, an open request with two sealed quotations, and a past trade (awarded, confirmed,
half delivered, one invoice paid, rated). Runs through the services; idempotent (each part is skipped when its
request exists). Called from marketplace/demo.py after the stores, so the pesantren and alumni demos ran.

The past trade's request must have closed before it could be awarded; the demo posts it, lets both suppliers
quote, then moves its closing time into the past (a date, like other demos' backdating; no workflow state).
"""

from datetime import timedelta

from django.utils import timezone

from marketplace.b2b import services
from marketplace.b2b.models import RFQ, SupplyOffer
from marketplace.models import Category
from opop import wilayah
from opop.mail import mail_muted
from opop.models import KabupatenKota, Membership, Organisation, User
from opop.organisations import organisation_standing

BUYER = "Pondok Pesantren Darul Ulum"
SUPPLIERS = {
    # organisation name: (kind, [(product, category, unit, min, price, capacity, regions)])
    "Pondok Pesantren Sidogiri": (
        Organisation.Kind.PESANTREN,
        [
            ("Beras Medium Pasuruan", "Beras", "kg", 100, 12500, 20000, ["35.14", "35.17", "35.78", "35.15"]),
            ("Gula Semut Aren curah", "Makanan & Minuman", "kg", 25, 28000, 1500, ["35.14", "35.17", "35.78"]),
        ],
    ),
    "Keripik Tempe Bu Nur": (
        Organisation.Kind.ALUMNI_BUSINESS,
        [
            ("Beras Pandan Wangi Jombang", "Beras", "kg", 50, 13000, 8000, ["35.17", "35.77", "35.16"]),
            ("Keripik Tempe curah", "Camilan", "kg", 10, 52000, 600, ["35.17", "35.78", "35.07"]),
        ],
    ),
}
OPEN_RFQ = "Beras 500 kg untuk dapur santri"
PAST_RFQ = "Gula semut aren untuk koperasi"


def _owner(organisation: Organisation) -> User | None:
    membership = (
        Membership.objects.filter(organisation=organisation, role__in=["owner", "staff"])
        .select_related("user")
        .order_by("role", "id")
        .first()
    )
    return membership.user if membership else None


def _suppliers() -> dict[str, tuple[Organisation, User]]:
    found = {}
    for name, (kind, offers) in SUPPLIERS.items():
        organisation = Organisation.objects.filter(name=name, kind=kind).first()
        user = _owner(organisation) if organisation else None
        if user is None or not organisation_standing(organisation).verified:
            continue
        found[name] = (organisation, user)
        if name == "Keripik Tempe Bu Nur" and not hasattr(organisation, "b2b_profile"):
            services.supplier_profile_save(
                actor=user,
                organisation=organisation,
                nib="9120300012345",
                about="Usaha alumni di Jombang: keripik tempe dan beras dari petani binaan.",
            )
        for product, category, unit, minimum, price, capacity, regions in offers:
            if SupplyOffer.objects.filter(organisation=organisation, product_name=product).exists():
                continue
            services.supply_offer_save(
                actor=user,
                organisation=organisation,
                category=Category.objects.get(name=category),
                product_name=product,
                unit=unit,
                min_quantity=minimum,
                price_per_unit=price,
                capacity_per_month=capacity,
                delivery_areas=list(KabupatenKota.objects.filter(kode__in=regions)),
            )
    return found


def _post(
    buyer: Organisation, user: User, title: str, item: str, category: str, quantity: int, closes_in, invited=None
) -> RFQ:
    today = timezone.localdate()
    return services.rfq_post(
        actor=user,
        buyer=buyer,
        title=title,
        items=[{"name": item, "category": Category.objects.get(name=category), "quantity": quantity, "unit": "kg"}],
        delivery_region=buyer.kabupaten_kota,
        delivery_address="Dapur umum Pondok Pesantren Darul Ulum, Jl. Raya Rejoso",
        **{
            f"delivery_{key}": value
            for key, value in wilayah.address_codes(
                kabupaten_code=buyer.kabupaten_kota_id, kecamatan="Peterongan", desa="Keplaksari"
            ).items()
        },
        delivery_date=today + timedelta(days=21),
        payment_terms="transfer",
        payment_days=14,
        closes_at=timezone.now() + closes_in,
        note="Mohon cantumkan ongkos kirim dalam harga.",
        audience=RFQ.Audience.INVITED if invited else RFQ.Audience.OPEN,
        invited=invited,
    )


def _quote(rfq: RFQ, supplier: Organisation, user: User, price: int, days: int, terms: str = "transfer"):
    item = rfq.items.get()
    today = timezone.localdate()
    return services.quotation_submit(
        actor=user,
        rfq=rfq,
        supplier=supplier,
        lines={item.pk: (price, item.quantity)},
        delivery_date=today + timedelta(days=days),
        valid_until=today + timedelta(days=30),
        payment_terms=terms,
        payment_days=14 if terms == "transfer" else 0,
        note="Harga termasuk antar ke pondok.",
    )


def seed(users: dict[str, User]) -> None:
    from marketplace.demo import product_image

    with mail_muted():
        buyer = Organisation.objects.filter(name=BUYER, kind=Organisation.Kind.PESANTREN).first()
        buyer_user = users.get("pesantren admin")
        if buyer is None or buyer_user is None or not organisation_standing(buyer).verified:
            return
        suppliers = _suppliers()
        if len(suppliers) < 2:
            return
        (sidogiri, sidogiri_user), (bu_nur, bu_nur_user) = suppliers.values()
        if not RFQ.objects.filter(buyer=buyer, title=OPEN_RFQ).exists():
            rfq = _post(buyer, buyer_user, OPEN_RFQ, "Beras medium", "Beras", 500, timedelta(days=5))
            _quote(rfq, sidogiri, sidogiri_user, 12300, 10)
            _quote(rfq, bu_nur, bu_nur_user, 12900, 7, terms="cod")
        if not RFQ.objects.filter(buyer=buyer, title=PAST_RFQ).exists():
            rfq = _post(
                buyer,
                buyer_user,
                PAST_RFQ,
                "Gula semut aren",
                "Makanan & Minuman",
                200,
                timedelta(hours=1),
                [sidogiri, bu_nur],
            )
            winner = _quote(rfq, sidogiri, sidogiri_user, 27500, 5)
            _quote(rfq, bu_nur, bu_nur_user, 29000, 6)
            RFQ.objects.filter(pk=rfq.pk).update(closes_at=timezone.now() - timedelta(minutes=1))
            rfq.refresh_from_db()
            (po,) = services.rfq_award(actor=buyer_user, rfq=rfq, allocation={rfq.items.get().pk: winner.pk})
            services.po_confirm(actor=sidogiri_user, po=po)
            line = po.lines.get()
            lot = services.delivery_record(
                actor=sidogiri_user,
                po=po,
                quantities={line.pk: 120},
                delivery_note="SJ/SDG/0451",
                shipped_on=timezone.localdate(),
            )
            services.delivery_receive(
                actor=buyer_user, delivery=lot, results={lot.lines.get().pk: (115, 5, "Kemasan sobek, basah")}
            )
            invoice = services.invoice_issue(actor=sidogiri_user, po=po)
            services.invoice_pay(
                actor=buyer_user, invoice=invoice, proof=product_image("Bukti transfer"), reference="BJS-TRF-20881"
            )
            services.rating_give(actor=buyer_user, po=po, side=buyer, stars=5, comment="Gula bagus, kirim tepat waktu.")
            services.rating_give(actor=sidogiri_user, po=po, side=sidogiri, stars=5, comment="Pembayaran lancar.")
