import pytest
from django.core.management import call_command

from opop.demo import DEMO_PASSWORD, DEMO_USERS
from opop.models import AuditEvent, Membership, Organisation, User

pytestmark = pytest.mark.django_db


def counts():
    return {model.__name__: model.objects.count() for model in (User, Organisation, Membership, AuditEvent)}


def test_seed_demo_is_idempotent_and_prints_the_logins(capsys):
    call_command("seed_demo")
    first = counts()
    output = capsys.readouterr().out
    call_command("seed_demo")
    assert counts() == first
    for email, _name, _phone in DEMO_USERS.values():
        assert email in output
        assert User.objects.get(email=email).check_password(DEMO_PASSWORD)
    assert DEMO_PASSWORD in output


def test_demo_roles_are_what_the_readme_says():
    call_command("seed_demo")
    assert User.objects.get(email="superadmin@opop.test").is_superuser
    staff = Membership.objects.get(user__email="staf.jombang@opop.test")
    assert staff.organisation.kind == "diskop" and staff.region_id == "35.17"
    admin = Membership.objects.get(user__email="admin.pesantren@opop.test")
    assert admin.organisation.kind == "pesantren" and admin.role == "owner"
    assert not Membership.objects.filter(user__email="pembeli@opop.test").exists()
