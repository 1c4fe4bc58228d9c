"""The world the permission matrix runs in: the demo data, plus one staff member of store A.

Every URL of the project is requested by each role against objects that belong to side A
(Pondok Pesantren Darul Ulum, Kab. Jombang), so "A's people see it, B's people get 404" is what
most rows say.
"""

from dataclasses import dataclass

from django.core.management import call_command
from django.urls import URLPattern, URLResolver, get_resolver

from opop.models import Membership, Organisation, User

ROLES = [
    "anonymous",
    "shopper",
    "seller_a_owner",  # admin.pesantren@opop.test: owner of Darul Ulum (pesantren, store, Samsat outlet)
    "seller_a_staff",
    "seller_b_owner",  # penjual.sidogiri@opop.test: owner of the Sidogiri store (Kab. Pasuruan)
    "cashier",  # kasir@opop.test: cashier at the Darul Ulum and Sidogiri Samsat outlets
    "staff_region",  # Diskop staff scoped to Kab. Jombang
    "staff_province",
    "superuser",
]

EMAILS = {
    "shopper": "pembeli@opop.test",
    "seller_a_owner": "admin.pesantren@opop.test",
    "seller_a_staff": "staf.darululum@opop.test",
    "seller_b_owner": "penjual.sidogiri@opop.test",
    "cashier": "kasir@opop.test",
    "staff_region": "staf.jombang@opop.test",
    "staff_province": "staf.diskop@opop.test",
    "superuser": "superadmin@opop.test",
}


@dataclass
class World:
    users: dict[str, User | None]
    objects: dict[str, object]


def build_world() -> World:
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    darul_ulum = Organisation.objects.get(name="Pondok Pesantren Darul Ulum")
    staff, _ = User.objects.get_or_create(email=EMAILS["seller_a_staff"], defaults={"full_name": "Staf Darul Ulum"})
    Membership.objects.get_or_create(user=staff, organisation=darul_ulum, defaults={"role": Membership.Role.STAFF})
    users = {role: (User.objects.get(email=EMAILS[role]) if role != "anonymous" else None) for role in ROLES}
    _santri_paperwork(darul_ulum, users["seller_a_owner"])
    _b2b_paperwork(darul_ulum)
    deletion_request = _deletion_request()
    return World(users=users, objects={**_objects(darul_ulum), "deletion_request": deletion_request})


def _deletion_request():
    """A shopper who asked to be forgotten, waiting in the Diskop queue."""
    from opop.privacy import deletion_request_create

    leaver, _ = User.objects.get_or_create(email="mau.dihapus@example.test", defaults={"full_name": "Rina Wulandari"})
    return deletion_request_create(user=leaver, reason="Tidak dipakai lagi")


def _santri_paperwork(darul_ulum: Organisation, admin: User) -> None:
    """An import waiting for confirmation and an API token, which the demo does not leave lying around."""
    from pesantren.models import Pesantren
    from santri.services.registry import api_token_create, import_preview

    pesantren = Pesantren.objects.get(organisation=darul_ulum)
    api_token_create(user=admin, pesantren=pesantren, name="SIAKAD")
    csv = b"nis,nama,jenis_kelamin,tahun_masuk\n2026901,Ahmad Fauzan,L,2026\n"
    import_preview(user=admin, pesantren=pesantren, filename="santri.csv", content=csv)


def _objects(darul_ulum: Organisation) -> dict[str, object]:
    from marketplace.models import Address, CheckoutPayment, Order, Product, Store
    from pesantren.models import BusinessUnit, MonthlyReport, Pesantren
    from pesantren.samsat.models import Bill, Outlet, Payment

    pesantren = Pesantren.objects.get(organisation=darul_ulum)
    store = Store.objects.get(organisation=darul_ulum)
    outlet = Outlet.objects.get(organisation=darul_ulum)
    payment = Payment.objects.filter(outlet=outlet).order_by("-pk").first()
    order = Order.objects.filter(store=store, buyer__email=EMAILS["shopper"]).order_by("-pk").first()
    return {
        "pesantren": pesantren,
        "unit": BusinessUnit.objects.filter(pesantren=pesantren).first(),
        "report": MonthlyReport.objects.filter(pesantren=pesantren).order_by("-pk").first(),
        "store": store,
        "product": Product.objects.visible().filter(store=store).first(),
        "order": order,
        "address": Address.objects.filter(user__email=EMAILS["shopper"]).order_by("pk").first(),
        "outlet": outlet,
        "payment": payment,
        "gateway_payment": CheckoutPayment.objects.filter(
            buyer__email=EMAILS["shopper"], status=CheckoutPayment.Status.PENDING
        )
        .order_by("-pk")
        .first(),
        "bill": Bill.objects.filter(outlet=outlet).order_by("-pk").first(),
        **_santri_objects(pesantren),
        **_halal_objects(darul_ulum, store),
        **_seller_objects(store),
        **_b2b_objects(darul_ulum),
    }


def url_names() -> list[str]:
    """Every named URL pattern of the project, as `namespace:name`."""
    names: list[str] = []

    def walk(patterns, namespace):
        for entry in patterns:
            if isinstance(entry, URLResolver):
                inner = f"{namespace}:{entry.namespace}" if namespace and entry.namespace else entry.namespace
                walk(entry.url_patterns, inner or namespace)
            elif isinstance(entry, URLPattern) and entry.name:
                names.append(f"{namespace}:{entry.name}" if namespace else entry.name)

    walk(get_resolver().url_patterns, "")
    return sorted(set(names))


def _santri_objects(pesantren) -> dict[str, object]:
    from alumni.models import AlumniBusiness, AlumniReport, Alumnus, Collaboration
    from santri.models import (
        ApiToken,
        Competition,
        CompetitionCertificate,
        Event,
        GuardianConsent,
        ImportBatch,
        Incubation,
        Proposal,
        Registration,
        Santri,
        SantriBusiness,
        TeamInvitation,
        WaitingListEntry,
    )

    return {
        "santri": Santri.objects.filter(pesantren=pesantren).order_by("pk").first(),
        "santri_business": SantriBusiness.objects.filter(pesantren=pesantren).order_by("pk").first(),
        "import_batch": ImportBatch.objects.filter(pesantren=pesantren).order_by("pk").first(),
        "api_token": ApiToken.objects.filter(pesantren=pesantren).order_by("pk").first(),
        "event": Event.objects.order_by("pk").first(),
        "registration": Registration.objects.filter(santri__pesantren=pesantren).order_by("pk").first(),
        "competition": Competition.objects.order_by("pk").first(),
        "guardian_consent": GuardianConsent.objects.filter(santri__pesantren=pesantren).order_by("pk").first(),
        "waiting_entry": WaitingListEntry.objects.filter(santri__pesantren=pesantren).order_by("pk").first(),
        "expo": Event.objects.filter(kind="expo").order_by("pk").first(),
        "proposal": Proposal.objects.filter(pesantren=pesantren).order_by("pk").first(),
        "team_invitation": TeamInvitation.objects.filter(proposal__pesantren=pesantren).order_by("pk").first(),
        "competition_certificate": CompetitionCertificate.objects.filter(proposal__pesantren=pesantren)
        .order_by("pk")
        .first(),
        "incubation": Incubation.objects.filter(proposal__pesantren=pesantren).order_by("pk").first(),
        "alumnus": Alumnus.objects.filter(pesantren=pesantren).order_by("pk").first(),
        "alumni_business": AlumniBusiness.objects.order_by("pk").first(),
        "alumni_report": AlumniReport.objects.order_by("pk").first(),
        "collaboration": Collaboration.objects.filter(pesantren=pesantren).order_by("pk").first(),
    }


def _halal_objects(darul_ulum: Organisation, store) -> dict[str, object]:
    from marketplace.halal.models import (
        CaseAttachment,
        Certificate,
        FlagshipProposal,
        HalalCase,
        HalalClaim,
        LegalityRecord,
    )

    case = HalalCase.objects.filter(organisation=darul_ulum).order_by("pk").first()
    return {
        "halal_case": case,
        "halal_attachment": CaseAttachment.objects.filter(case=case).order_by("pk").first(),
        "certificate": Certificate.objects.order_by("pk").first(),
        "flagship_proposal": FlagshipProposal.objects.order_by("pk").first(),
        "legality": LegalityRecord.objects.filter(product__store=store).order_by("pk").first(),
        "halal_claim": HalalClaim.objects.filter(product__store=store, status="pending").order_by("pk").first(),
    }


def _seller_objects(store) -> dict[str, object]:
    from marketplace.models import (
        CurationRule,
        Payout,
        ProductPhoto,
        ProductRevision,
        ProductVariant,
        RevisionPhoto,
        StoreInvitation,
        WholesaleTier,
    )
    from opop.models import Membership

    return {
        "revision": ProductRevision.objects.filter(product__store=store, status="pending").order_by("pk").first(),
        "held_photo": RevisionPhoto.objects.filter(revision__product__store=store, revision__status="pending").first(),
        "curation_rule": CurationRule.objects.order_by("pk").first(),
        "photo": ProductPhoto.objects.filter(product__store=store).order_by("pk").first(),
        "variant": ProductVariant.objects.filter(product__store=store).order_by("pk").first(),
        "tier": WholesaleTier.objects.filter(product__store=store).order_by("pk").first(),
        "invitation": StoreInvitation.objects.filter(store=store).order_by("pk").first(),
        "team_member": Membership.objects.filter(organisation=store.organisation, role="staff").order_by("pk").first(),
        "payout": Payout.objects.filter(store=store).order_by("pk").first(),
    }


def _b2b_paperwork(darul_ulum: Organisation) -> None:
    """On the demo's purchase order (Darul Ulum buys from Sidogiri): a lot on its way and a proposed change."""
    from marketplace.b2b import services
    from marketplace.b2b.models import PurchaseOrder

    po = PurchaseOrder.objects.get(buyer=darul_ulum)
    supplier = User.objects.get(email=EMAILS["seller_b_owner"])
    line = po.lines.get()
    services.delivery_record(
        actor=supplier, po=po, quantities={line.pk: 10}, delivery_note="SJ-2", shipped_on=po.delivery_date
    )
    services.po_revision_propose(
        actor=supplier, po=po, side=po.supplier, changes={line.pk: (210, line.unit_price)},
        delivery_date=po.delivery_date, reason="Tambah 10 kg",
    )  # fmt: skip


def _b2b_objects(darul_ulum: Organisation) -> dict[str, object]:
    from marketplace.b2b.models import RFQ, Delivery, PurchaseOrder, SupplyOffer

    po = PurchaseOrder.objects.get(buyer=darul_ulum)
    return {
        "b2b_po": po,
        "b2b_pending_lot": Delivery.objects.get(purchase_order=po, status="sent"),
        "b2b_revision": po.revisions.get(),
        "b2b_invoice": po.invoices.get(),
        "b2b_offer": SupplyOffer.objects.filter(organisation=po.supplier).order_by("pk").first(),
        "b2b_open_rfq": RFQ.objects.get(buyer=darul_ulum, status="open"),
        "darul_ulum": darul_ulum,
    }
