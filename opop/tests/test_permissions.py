import pytest
from django.urls import reverse

from opop.models import Organisation
from opop.permissions import access_for, scope_queryset
from opop.selectors import organisation_list_for_user
from opop.tests.factories import MembershipFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


def detail(org):
    return reverse("opop:organisation_detail", args=[org.slug])


def test_member_of_a_sees_a_and_gets_404_for_b(client, admin_a, pesantren_a, pesantren_b):
    client.force_login(admin_a)
    assert client.get(detail(pesantren_a)).status_code == 200
    assert client.get(detail(pesantren_b)).status_code == 404
    listing = client.get(reverse("opop:organisation_list"))
    assert list(listing.context["organisations"]) == [pesantren_a]


def test_missing_and_foreign_ids_look_the_same(client, admin_a, pesantren_b):
    client.force_login(admin_a)
    assert client.get(reverse("opop:organisation_detail", args=["does-not-exist"])).status_code == 404
    assert client.get(detail(pesantren_b)).status_code == 404


def test_anonymous_visitors_are_sent_to_login(client, pesantren_a):
    response = client.get(detail(pesantren_a))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_shopper_without_membership_sees_nothing(client, shopper, pesantren_a):
    client.force_login(shopper)
    assert client.get(detail(pesantren_a)).status_code == 404
    assert list(client.get(reverse("opop:organisation_list")).context["organisations"]) == []


def test_regional_staff_see_only_their_region(client, jombang_staff, pesantren_a, pesantren_b):
    # pesantren_a is in Jombang (35.17), pesantren_b in Kab. Pasuruan (35.14)
    client.force_login(jombang_staff)
    assert client.get(detail(pesantren_a)).status_code == 200
    assert client.get(detail(pesantren_b)).status_code == 404
    names = [o.name for o in client.get(reverse("opop:organisation_list")).context["organisations"]]
    assert "PP Sidogiri" not in names and "PP Darul Ulum" in names


def test_province_staff_and_superusers_see_every_region(province_staff, superuser, pesantren_a, pesantren_b):
    for user in (province_staff, superuser):
        visible = set(organisation_list_for_user(user=user))
        assert {pesantren_a, pesantren_b} <= visible


def test_staff_with_an_unscoped_membership_are_province_wide(jombang_staff, diskop):
    second = OrganisationFactory(kind=Organisation.Kind.DISKOP, slug="diskop-2", name="Sekretariat OPOP")
    MembershipFactory(user=jombang_staff, organisation=second, role="staff")
    access = access_for(type(jombang_staff).objects.get(pk=jombang_staff.pk))
    assert access.programme_staff and access.region is None and access.province_wide


def test_scope_by_role_limits_to_that_role(pesantren_a, pesantren_b):
    cashier = MembershipFactory(organisation=pesantren_a, role="cashier").user
    MembershipFactory(organisation=pesantren_b, role="staff", user=cashier)
    queryset = Organisation.objects.all()
    as_cashier = scope_queryset(queryset, cashier, organisation_field="pk", roles={"cashier"})
    assert list(as_cashier) == [pesantren_a]
    assert set(scope_queryset(queryset, cashier, organisation_field="pk")) == {pesantren_a, pesantren_b}


def test_rows_hidden_from_staff_when_no_region_path_is_given(jombang_staff, pesantren_a):
    visible = scope_queryset(Organisation.objects.all(), jombang_staff, organisation_field="pk")
    assert list(visible) == list(Organisation.objects.filter(kind="diskop"))


def test_inactive_organisations_grant_nothing(client, admin_a, pesantren_a):
    pesantren_a.is_active = False
    pesantren_a.save()
    client.force_login(admin_a)
    assert client.get(detail(pesantren_a)).status_code == 404


def test_access_is_read_once_per_request(client, admin_a, django_assert_max_num_queries):
    client.force_login(admin_a)
    # session, user, membership (once, shared by the menu and the list), the list itself
    with django_assert_max_num_queries(6):
        client.get(reverse("opop:organisation_list"))
