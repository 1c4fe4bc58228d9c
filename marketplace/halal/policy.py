"""Self-declare eligibility read from policy data (`SelfDeclarePolicy` rows with effective dates)."""

from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _

from marketplace.halal.models import HalalCase, SelfDeclarePolicy
from opop.formatting import format_rupiah as rupiah


def policy_in_force(*, on: date | None = None) -> SelfDeclarePolicy | None:
    """The row with the latest `effective_from` on or before `on` (today by default)."""
    on = on or timezone.localdate()
    return SelfDeclarePolicy.objects.filter(effective_from__lte=on).order_by("-effective_from").first()


def self_declare_reasons(*, case: HalalCase, on: date | None = None) -> list[str]:
    """Why `case`'s business may not use self-declare on `on`; an empty list means it may."""
    policy = policy_in_force(on=on)
    if policy is None:
        return [_("No self-declare policy is in force on this date.")]
    reasons = []
    if case.annual_turnover > policy.max_annual_turnover:
        reasons.append(
            _("Annual turnover %(turnover)s is above the self-declare limit of %(limit)s.")
            % {"turnover": rupiah(case.annual_turnover), "limit": rupiah(policy.max_annual_turnover)}
        )
    if case.production_sites > policy.max_production_sites:
        reasons.append(
            _("Self-declare allows at most %(n)s production site(s); this business has %(sites)s.")
            % {"n": policy.max_production_sites, "sites": case.production_sites}
        )
    if policy.goods_only and not case.sells_goods:
        reasons.append(_("Self-declare covers goods, not services."))
    if policy.non_risky_materials_only and case.uses_risky_materials:
        reasons.append(_("Products with risky materials need the reguler scheme (LPH audit)."))
    return reasons
