"""The santri app answers opop.organisations for organisations of kind santri_business."""

from django.utils.translation import gettext as _

from opop.models import Organisation
from opop.organisations import VERIFIED, Standing, organisation_standing


def santri_business_standing(organisation: Organisation) -> Standing:
    """Verified when the pesantren supervising the business (`organisation.parent`) is itself verified."""
    parent = organisation.parent
    if parent is None or parent.kind != Organisation.Kind.PESANTREN:
        return Standing(False, _("This santri business is not supervised by a pesantren yet."))
    if not organisation_standing(parent).verified:
        return Standing(False, _("The pesantren that supervises this santri business is not verified yet."))
    return VERIFIED
