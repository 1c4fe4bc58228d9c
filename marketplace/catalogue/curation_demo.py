"""Demo of listing curation, through the curation services: one new product waiting in the queue, one rejected
with a reason, one approved product with changes (and a new photo) waiting for review. Idempotent.

`demo_listing_approve` is also what the demo catalogue uses: its products in curated categories are approved
by a curator who may decide them, as they would have been before the demo's history begins."""

from django.db.models import Q

from marketplace.catalogue import curation
from marketplace.catalogue.services import product_create, product_photo_add
from marketplace.models import Category, Product, ProductRevision, Store
from opop.models import Membership, Organisation, User
from opop.services import DomainError


def _curator_for(product: Product) -> User:
    """Someone who may decide `product`: its supervising pesantren's admin, else Diskop staff of its region."""
    organisation = product.store.organisation
    if organisation.kind == Organisation.Kind.SANTRI_BUSINESS and organisation.parent_id:
        candidates = Membership.objects.filter(organisation_id=organisation.parent_id, role__in=curation.ADMIN_ROLES)
    else:
        candidates = Membership.objects.filter(organisation__kind=Organisation.Kind.DISKOP).filter(
            Q(region__isnull=True) | Q(region_id=organisation.kabupaten_kota_id)
        )
    for membership in candidates.exclude(user__memberships__organisation=organisation).select_related("user"):
        if curation.may_decide(user=membership.user, product=product):
            return membership.user
    raise DomainError(f"No curator may decide {product}.")


def demo_listing_approve(product: Product) -> None:
    """Approve `product`'s pending review (if it has one) as a curator who may."""
    revision = ProductRevision.objects.filter(product=product, status=ProductRevision.Status.PENDING).first()
    if revision is not None:
        curation.listing_approve(revision=revision, actor=_curator_for(product))


def _owner(store: Store) -> User:
    return Membership.objects.filter(organisation=store.organisation, role=Membership.Role.OWNER).first().user


def _product(store: Store, category: Category, name: str, **fields) -> tuple[Product, bool]:
    from marketplace.demo import product_image

    product = Product.objects.filter(store=store, name=name).first()
    if product is not None:
        return product, False
    product = product_create(store=store, category=category, name=name, actor=_owner(store), **fields)
    product_photo_add(product=product, upload=product_image(name))
    return product, True


def seed_curation_demo() -> None:
    stores = {store.name: store for store in Store.objects.select_related("organisation")}
    categories = {category.name: category for category in Category.objects.all()}
    darul_ulum, lirboyo = stores.get("Koppontren Darul Ulum"), stores.get("Herbal Alumni Lirboyo")
    if not (darul_ulum and lirboyo) or "Camilan" not in categories:
        return  # the catalogue demo has not run

    # 1. Waiting in the queue (Diskop staff of Jombang and of the province see it).
    _product(
        darul_ulum,
        categories["Camilan"],
        "Kerupuk Samiler Darul Ulum 250 g",
        price=18000,
        stock=40,
        description="Kerupuk singkong khas Jombang, digoreng santri dapur koppontren. Tanpa pengawet.",
        pirt="2063517030789-28",
    )

    # 2. Rejected with a reason the seller sees.
    jamu, created = _product(
        lirboyo,
        categories["Herbal & Kesehatan"],
        "Jamu Kunyit Asam Cair 250 ml",
        price=15000,
        stock=30,
        description="Jamu kunyit asam segar racikan alumni Lirboyo. Menyegarkan dan menyehatkan.",
    )
    if created:
        revision = ProductRevision.objects.get(product=jamu, status=ProductRevision.Status.PENDING)
        curation.listing_reject(
            revision=revision,
            actor=_curator_for(jamu),
            reason="Jamu cair wajib terdaftar BPOM (nomor TR/MD) atau memiliki P-IRT; nomornya belum dicantumkan. "
            "Klaim 'menyehatkan' juga perlu dihapus dari deskripsi.",
        )

    # 3. Approved, then changed: the new name, description and photo wait; shoppers see the approved version.
    teh, created = _product(
        darul_ulum,
        categories["Makanan & Minuman"],
        "Teh Rosella Darul Ulum 50 g",
        price=25000,
        stock=35,
        description="Kelopak rosella kering dari kebun pesantren, diseduh sebagai teh.",
        pirt="2063514010456-29",
    )
    if created:
        from marketplace.demo import product_image

        demo_listing_approve(teh)
        teh.refresh_from_db()
        seller = _owner(darul_ulum)
        curation.listing_update(
            product=teh,
            actor=seller,
            name="Teh Rosella Merah Darul Ulum 50 g",
            description="Kelopak rosella merah kering dari kebun pesantren. Seduh 1 sendok dengan air panas 5 menit.",
            price=27000,  # live at once
        )
        curation.listing_photo_add(product=teh, upload=product_image("Teh Rosella Merah"), actor=seller)
