import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from opop.models import AuditEvent, KabupatenKota, Membership, Organisation, User
from opop.services import audit_record, membership_add, organisation_create
from opop.tests.factories import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_users_log_in_with_a_lowercased_email_and_have_no_username():
    user = User.objects.create_user(email="Ahmad.Fauzi@Contoh.CO.ID", password="sandi-rahasia-123")
    assert user.email == "ahmad.fauzi@contoh.co.id"
    assert User.USERNAME_FIELD == "email"
    assert not hasattr(user, "username")
    assert user.check_password("sandi-rahasia-123")
    assert not user.is_staff and not user.is_superuser


def test_email_is_unique():
    User.objects.create_user(email="a@opop.test", password="x")
    with pytest.raises(IntegrityError):
        User.objects.create_user(email="a@opop.test", password="y")


def test_superuser_has_admin_rights():
    user = User.objects.create_superuser(email="root@opop.test", password="x")
    assert user.is_staff and user.is_superuser


def test_user_phone_is_normalised_and_bad_phone_explained():
    user = UserFactory.build(email="p@opop.test", phone="0812 3456 7890")
    user.full_clean(exclude=["password"])
    assert user.phone == "+6281234567890"
    user.phone = "12"
    with pytest.raises(ValidationError) as error:
        user.full_clean(exclude=["password"])
    assert "phone" in error.value.message_dict


def test_all_38_kabupaten_kota_are_loaded_with_their_codes():
    assert KabupatenKota.objects.count() == 38
    assert KabupatenKota.objects.filter(jenis="kabupaten").count() == 29
    assert KabupatenKota.objects.filter(jenis="kota").count() == 9
    assert KabupatenKota.objects.get(kode="35.17").label == "Kab. Jombang"
    assert KabupatenKota.objects.get(kode="35.78").label == "Kota Surabaya"


def test_regions_that_are_both_kabupaten_and_kota_are_told_apart():
    assert KabupatenKota.objects.get(kode="35.07").label == "Kab. Malang"
    assert KabupatenKota.objects.get(kode="35.73").label == "Kota Malang"
    labels = list(KabupatenKota.objects.values_list("nama_singkat", flat=True))
    assert labels.count("Malang") == 2
    assert len({str(k) for k in KabupatenKota.objects.all()}) == 38


def test_region_totals_match_the_reference_data():
    totals = {
        "kecamatan": sum(KabupatenKota.objects.values_list("jumlah_kecamatan", flat=True)),
        "desa": sum(KabupatenKota.objects.values_list("jumlah_desa", flat=True)),
        "kelurahan": sum(KabupatenKota.objects.values_list("jumlah_kelurahan", flat=True)),
    }
    assert totals == {"kecamatan": 666, "desa": 7721, "kelurahan": 773}
    for region in KabupatenKota.objects.all():
        assert "60111" <= region.kodepos_min <= region.kodepos_max <= "69493"


def test_one_membership_per_user_and_organisation():
    organisation = OrganisationFactory()
    user = UserFactory()
    Membership.objects.create(user=user, organisation=organisation, role="owner")
    with pytest.raises(IntegrityError):
        Membership.objects.create(user=user, organisation=organisation, role="staff")


def test_only_diskop_staff_can_be_scoped_to_a_region():
    membership = Membership(user=UserFactory(), organisation=OrganisationFactory(), role="staff", region_id="35.17")
    with pytest.raises(ValidationError, match="Diskop"):
        membership.full_clean()


def test_membership_add_updates_the_role_instead_of_duplicating():
    organisation = OrganisationFactory()
    user = UserFactory()
    membership_add(organisation=organisation, user=user, role="staff")
    membership_add(organisation=organisation, user=user, role="cashier")
    assert list(Membership.objects.filter(user=user).values_list("role", flat=True)) == ["cashier"]
    assert AuditEvent.objects.filter(action="membership.set", organisation=organisation).count() == 2


def test_organisation_create_gives_unique_slugs_and_an_owner():
    owner = UserFactory()
    first = organisation_create(name="PP Al Falah", kind=Organisation.Kind.PESANTREN, owner=owner)
    second = organisation_create(name="PP Al Falah", kind=Organisation.Kind.PESANTREN)
    assert (first.slug, second.slug) == ("pp-al-falah", "pp-al-falah-2")
    assert first.memberships.get().user == owner


def test_audit_events_are_append_only():
    actor = UserFactory()
    event = audit_record(actor=actor, action="test.done", target=actor, data={"n": 1})
    assert (event.target_type, event.target_id) == ("opop.user", str(actor.pk))
    event.action = "test.changed"
    with pytest.raises(ValidationError):
        event.save()
    with pytest.raises(ValidationError):
        event.delete()
    assert AuditEvent.objects.get().action == "test.done"
