"""Payment providers behind one interface. settings.MARKETPLACE_PAYMENT_PROVIDERS maps each payment method
to a provider class, so a real gateway replaces the sandbox by changing one dotted path."""

from django.conf import settings
from django.utils.module_loading import import_string

from marketplace.payments.base import PaymentProvider

DEFAULT_PROVIDERS = {
    "bank_transfer": "marketplace.payments.bank_transfer.BankTransfer",
    "gateway": "marketplace.payments.sandbox.SandboxGateway",
    "cash_on_pickup": "marketplace.payments.cash.CashOnPickup",
}


def provider_for(method: str) -> PaymentProvider:
    providers = {**DEFAULT_PROVIDERS, **getattr(settings, "MARKETPLACE_PAYMENT_PROVIDERS", {})}
    return import_string(providers[method])()
