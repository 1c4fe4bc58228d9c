"""Expiry and obligation reminders (each recorded in `Reminder` first, so sent once); lapsed badges cleared."""

import logging
from collections import defaultdict
from datetime import date, timedelta

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from marketplace.halal.models import Certificate, Reminder
from marketplace.halal.notifications import business_emails
from marketplace.halal.selectors import FOOD_DEADLINE, annotate_halal, food_products
from marketplace.halal.services import product_halal_sync
from marketplace.models import Product
from opop.mail import send_mail_on_commit

logger = logging.getLogger(__name__)


def _claim(**lookup) -> bool:
    """Record a reminder; False if it was recorded before (by an earlier or a concurrent run)."""
    try:
        with transaction.atomic():
            Reminder.objects.create(**lookup)
    except IntegrityError:
        return False
    return True


def expiry_reminders_send(*, today: date | None = None) -> int:
    """Remind businesses of certificates that expire within 90 days, and again within 30 days."""
    today = today or timezone.localdate()
    sent = 0
    certificates = Certificate.objects.filter(
        revoked=False, expires_on__gte=today, expires_on__lte=today + timedelta(days=90)
    ).select_related("organisation")
    for cert in certificates:
        days_left = (cert.expires_on - today).days
        kind = Reminder.Kind.EXPIRY_30 if days_left <= 30 else Reminder.Kind.EXPIRY_90
        with transaction.atomic():
            if not _claim(certificate=cert, kind=kind):
                continue
            if kind == Reminder.Kind.EXPIRY_30:
                _claim(certificate=cert, kind=Reminder.Kind.EXPIRY_90)  # a late first run sends one, not two
            send_mail_on_commit(
                subject=_("[OPOP Halal] Certificate %(number)s expires in %(days)s days")
                % {"number": cert.number, "days": days_left},
                body=_(
                    "The halal certificate %(number)s of %(business)s is valid until %(date)s. "
                    "Start the renewal now so your products keep their halal label."
                )
                % {"number": cert.number, "business": cert.organisation.name, "date": cert.expires_on.isoformat()},
                recipients=business_emails(cert.organisation_id),
            )
            sent += 1
    return sent


def obligation_reminders_send(*, today: date | None = None) -> int:
    """One e-mail per business listing its food products that are still uncertified; each product once."""
    today = today or timezone.localdate()
    products = (
        annotate_halal(food_products(), on=today)
        .filter(certified=False)
        .exclude(pk__in=Reminder.objects.filter(kind=Reminder.Kind.OBLIGATION).values("product_id"))
        .select_related("store__organisation")
    )
    by_business = defaultdict(list)
    for product in products:
        by_business[product.store.organisation].append(product)
    sent = 0
    for organisation, items in by_business.items():
        with transaction.atomic():
            claimed = [p for p in items if _claim(product=p, kind=Reminder.Kind.OBLIGATION)]
            if not claimed:
                continue
            send_mail_on_commit(
                subject=_("[OPOP Halal] Halal certification is mandatory for your food products"),
                body=_(
                    "Since %(deadline)s micro and small food and beverage producers must be halal-certified. "
                    "These products of %(business)s have no valid certificate yet: %(products)s. "
                    "Open a halal facilitation case in the OPOP portal; Diskop UKM will assign a companion."
                )
                % {
                    "deadline": FOOD_DEADLINE.isoformat(),
                    "business": organisation.name,
                    "products": ", ".join(p.name for p in claimed),
                },
                recipients=business_emails(organisation.pk),
            )
            sent += 1
    return sent


def expired_badges_clear(*, today: date | None = None) -> int:
    """Products whose halal number belongs to an expired or revoked certificate lose the badge (or take another)."""
    today = today or timezone.localdate()
    lapsed = Certificate.objects.filter(Q(revoked=True) | Q(expires_on__lt=today)).values("number")
    products = Product.objects.filter(halal_certificate_number__in=lapsed).select_related("store__organisation")
    for product in products:
        product_halal_sync(product=product, on=today)
    return len(products)


def reminders_send(*, today: date | None = None) -> dict[str, int]:
    result = {
        "expiry": expiry_reminders_send(today=today),
        "obligation": obligation_reminders_send(today=today),
        "badges_cleared": expired_badges_clear(today=today),
    }
    logger.info("halal.reminders_sent", extra=result)
    return result
