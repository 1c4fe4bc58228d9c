"""Demo step of the personal-data part: one shopper waiting in Diskop's deletion queue (/staf/privasi/)."""

from opop.demo import demo_user
from opop.models import DeletionRequest
from opop.privacy import deletion_request_create

LEAVER = ("rina.wulandari@opop.test", "Rina Wulandari", "+6281234500099")


def seed_privacy(users: dict | None = None) -> DeletionRequest:
    """Idempotent: the request is made once; a second run (or one after staff processed it) changes nothing."""
    leaver = demo_user(*LEAVER)
    existing = DeletionRequest.objects.filter(user=leaver).order_by("pk").first()
    if existing is not None:
        return existing
    return deletion_request_create(user=leaver, reason="Saya tidak lagi berbelanja di OPOP Mart.")
