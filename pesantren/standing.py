"""The pesantren app answers opop.organisations for organisations of kind pesantren."""

from django.utils.translation import gettext as _

from opop.models import Organisation
from opop.organisations import VERIFIED, Standing


def pesantren_standing(organisation: Organisation) -> Standing:
    """Verified once Diskop UKM staff verified the pesantren's profile (verified or active)."""
    from pesantren.models import Pesantren

    status = Pesantren.objects.filter(organisation=organisation).values_list("status", flat=True).first()
    S = Pesantren.Status
    if status in (S.VERIFIED, S.ACTIVE):
        return VERIFIED
    reasons = {
        None: _("Register your pesantren's profile and submit it for verification first."),
        S.REGISTERED: _("Submit your pesantren's profile for verification by Diskop UKM staff first."),
        S.SUBMITTED: _("Your pesantren is still waiting for verification by Diskop UKM staff."),
        S.RETURNED: _("Diskop UKM staff returned your pesantren's profile; correct it and submit it again."),
        S.INACTIVE: _("Your pesantren is inactive in the OPOP programme."),
    }
    return Standing(False, reasons.get(status, reasons[None]))
