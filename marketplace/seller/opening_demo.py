"""Demo: one store application waiting for Diskop UKM staff, from a verified pesantren without a store
(Pondok Pesantren Al-Hikmah Jenu, Kab. Tuban). Made through the opening services; a second run finds it."""

from marketplace.models import Store, StoreApplication
from marketplace.seller.opening import store_application_save
from opop import wilayah
from opop.models import KabupatenKota, Membership, Organisation, User

PESANTREN = "Pondok Pesantren Al-Hikmah Jenu"


def seed_store_opening(users: dict[str, User]) -> StoreApplication | None:
    organisation = Organisation.objects.filter(name=PESANTREN, kind=Organisation.Kind.PESANTREN).first()
    if organisation is None or Store.objects.filter(organisation=organisation).exists():
        return None
    existing = StoreApplication.objects.filter(organisation=organisation).first()
    if existing is not None:
        return existing
    owner = (
        Membership.objects.filter(organisation=organisation, role=Membership.Role.OWNER)
        .select_related("user")
        .order_by("pk")
        .first()
    )
    if owner is None:
        return None
    from marketplace.demo import product_image  # the demo's generated pictures; imported late (demo imports us)

    return store_application_save(
        actor=owner.user,
        organisation=organisation,
        submit=True,
        logo=product_image("Al-Hikmah Mart", size=320),
        name="Al-Hikmah Mart Jenu",
        slug="al-hikmah-mart-jenu",
        description="Koppontren Al-Hikmah Jenu: ikan asap dan terasi khas pesisir Tuban, diolah santri.",
        origin=KabupatenKota.objects.get(kode="35.23"),
        pickup_address="Koppontren Al-Hikmah, Jl. Pesantren",
        **{
            f"origin_{key}": value
            for key, value in wilayah.address_codes(kabupaten_code="35.23", kecamatan="Jenu", desa="Socorejo").items()
        },
        bank_name="Bank Jatim Syariah",
        bank_account_number="6120035230",
        bank_account_name="Koppontren Al-Hikmah Jenu",
    )
