"""The admin shows the ledgers and records the services write, and changes none of them (one ReadOnlyAdmin)."""

import pytest
from django.contrib import admin
from django.urls import reverse

from opop.admin import ReadOnlyAdmin
from opop.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

READ_ONLY = [
    "opop.AuditEvent",
    "marketplace.StockMovement",
    "b2b.SupplyOffer",
    "b2b.Event",
    "samsat.Payment",
    "samsat.DayClose",
]


@pytest.mark.parametrize("label", READ_ONLY)
def test_a_ledger_can_be_listed_by_a_superuser_but_not_added_to(client, label):
    model = next(m for m in admin.site._registry if m._meta.label == label)
    assert isinstance(admin.site._registry[model], ReadOnlyAdmin)
    superuser = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(superuser)
    app, name = model._meta.app_label, model._meta.model_name
    assert client.get(reverse(f"admin:{app}_{name}_changelist")).status_code == 200
    assert client.get(reverse(f"admin:{app}_{name}_add")).status_code == 403
