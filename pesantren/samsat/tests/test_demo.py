import pytest
from django.core.management import call_command

from opop.models import AuditEvent, Membership, User
from pesantren.samsat.models import Bill, DayClose, Outlet, Payment, PaymentOutcome, Reversal, SandboxBooking

pytestmark = pytest.mark.django_db
MODELS = (User, Membership, AuditEvent, Outlet, Bill, Payment, PaymentOutcome, Reversal, DayClose, SandboxBooking)


def test_seed_demo_builds_samsat_days_and_is_idempotent(capsys):
    call_command("seed_demo")
    first = {model.__name__: model.objects.count() for model in MODELS}
    output = capsys.readouterr().out
    assert "kasir@opop.test" in output and "supervisor.samsat@opop.test" in output
    assert first["Outlet"] == 5 and first["Payment"] >= 10 and first["Reversal"] == 2
    assert DayClose.objects.filter(difference=-5_000).exists()
    assert DayClose.objects.filter(balanced=True).count() == first["DayClose"]
    call_command("seed_demo")
    assert {model.__name__: model.objects.count() for model in MODELS} == first
    # the headline plates stay payable for a live demo
    assert not SandboxBooking.objects.filter(plate="S 1234 AB").exists()
