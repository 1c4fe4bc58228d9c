from celery import shared_task

from marketplace.halal.reminders import reminders_send


@shared_task(name="halal.send_reminders")
def send_reminders() -> dict[str, int]:
    """Expiry (90/30 days) and food-obligation reminders; idempotent, recorded per certificate/product."""
    return reminders_send()
