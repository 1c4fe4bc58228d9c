"""The alumni app answers opop.organisations for organisations of kind alumni_business."""

from django.utils.translation import gettext as _

from opop.models import Organisation
from opop.organisations import VERIFIED, Standing


def alumni_business_standing(organisation: Organisation) -> Standing:
    """Verified once the founder's pesantren recognised them as its alumnus."""
    from alumni.models import AlumniBusiness, Alumnus

    status = AlumniBusiness.objects.filter(organisation=organisation).values_list("alumnus__status", flat=True).first()
    if status == Alumnus.Status.VERIFIED:
        return VERIFIED
    reasons = {
        None: _("Register the alumni business under your alumni profile first."),
        Alumnus.Status.PENDING: _("Your pesantren has not yet confirmed you as its alumnus."),
        Alumnus.Status.REJECTED: _("Your pesantren did not recognise you as its alumnus."),
    }
    return Standing(False, reasons.get(status, reasons[None]))
