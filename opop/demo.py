"""Demo users and organisations of the shared kernel. Each app's demo module builds on these."""

from allauth.account.models import EmailAddress

from opop.models import KabupatenKota, Membership, Organisation, User
from opop.services import membership_add, organisation_create

DEMO_PASSWORD = "opop-demo-2026"  # noqa: S105 - published demo password, printed by make run

DEMO_USERS = {
    # role label: (e-mail, full name, phone)
    "shopper": ("pembeli@opop.test", "Siti Rahmawati", "+6281234500001"),
    "pesantren admin": ("admin.pesantren@opop.test", "Ahmad Fauzi", "+6281234500002"),
    "Diskop UKM staff": ("staf.diskop@opop.test", "Dewi Kusumawati", "+6281234500003"),
    "Diskop staff (Jombang)": ("staf.jombang@opop.test", "Bambang Hariyanto", "+6281234500004"),
    "superuser": ("superadmin@opop.test", "Admin OPOP", "+6281234500005"),
}

DEMO_ORGANISATIONS = [
    # (name, kind, kabupaten/kota code)
    ("Dinas Koperasi dan UKM Provinsi Jawa Timur", Organisation.Kind.DISKOP, "35.78"),
    ("Pondok Pesantren Darul Ulum", Organisation.Kind.PESANTREN, "35.17"),
    ("Pondok Pesantren Sidogiri", Organisation.Kind.PESANTREN, "35.14"),
]


def demo_user(email: str, full_name: str, phone: str, *, superuser: bool = False) -> User:
    user = User.objects.filter(email=email).first()
    if user is None:
        create = User.objects.create_superuser if superuser else User.objects.create_user
        user = create(email=email, password=DEMO_PASSWORD, full_name=full_name, phone=phone)
    EmailAddress.objects.update_or_create(user=user, email=email, defaults={"verified": True, "primary": True})
    return user


def demo_organisation(name: str, kind: str, kode: str) -> Organisation:
    organisation = Organisation.objects.filter(name=name, kind=kind).first()
    if organisation is None:
        organisation = organisation_create(name=name, kind=kind, kabupaten_kota=KabupatenKota.objects.get(kode=kode))
    return organisation


def seed_kernel() -> dict[str, User]:
    users = {
        role: demo_user(email, name, phone, superuser=role == "superuser")
        for role, (email, name, phone) in DEMO_USERS.items()
    }
    orgs = {name: demo_organisation(name, kind, kode) for name, kind, kode in DEMO_ORGANISATIONS}
    diskop = orgs["Dinas Koperasi dan UKM Provinsi Jawa Timur"]
    wanted = [
        (users["pesantren admin"], orgs["Pondok Pesantren Darul Ulum"], Membership.Role.OWNER, None),
        (users["Diskop UKM staff"], diskop, Membership.Role.STAFF, None),
        (users["Diskop staff (Jombang)"], diskop, Membership.Role.STAFF, "35.17"),
    ]
    for user, organisation, role, region in wanted:
        current = Membership.objects.filter(user=user, organisation=organisation).first()
        if current is None or current.role != role or current.region_id != region:
            membership_add(
                organisation=organisation,
                user=user,
                role=role,
                region=KabupatenKota.objects.get(kode=region) if region else None,
            )
    return users
