"""E-mail to the buyer and the seller after each order transition. Sent only after the commit."""

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation

from marketplace.models import Order
from marketplace.orders import states
from opop.mail import mail_brand
from opop.models import Membership

logger = logging.getLogger(__name__)


def _render(template: str, context: dict, language: str) -> tuple[str, str]:
    with translation.override(language):
        subject = render_to_string(f"marketplace/email/{template}_subject.txt", context).strip()
        body = render_to_string(f"marketplace/email/{template}.txt", context)
    return " ".join(subject.split()), body


def order_status_notify(*, order_id: int, event_id: int, language: str | None = None) -> None:
    """Tell the buyer and the store's owners and staff what just happened to the order."""
    order = Order.objects.select_related("buyer", "store__organisation").filter(pk=order_id).first()
    if order is None:
        return
    event = order.events.filter(pk=event_id).first()
    language = language or settings.LANGUAGE_CODE
    sellers = list(
        Membership.objects.filter(
            organisation=order.store.organisation, role__in=[Membership.Role.OWNER, Membership.Role.STAFF]
        ).values_list("user__email", flat=True)
    )
    for audience, recipients in (("buyer", [order.buyer.email]), ("seller", sellers)):
        if not recipients:
            continue
        context = {
            "order": order,
            "event": event,
            "audience": audience,
            "auto_complete_at": states.auto_complete_at(order),
            "complaint_rejected": event is not None and states.is_complaint_return(event.from_status, event.to_status),
        }
        subject, body = _render("order_status", context, language)
        subject, body = mail_brand(subject=subject, body=body)
        send_mail(subject, body, None, recipients)
    logger.info("marketplace.order_mail_sent", extra={"order": order.number, "status": order.status})
