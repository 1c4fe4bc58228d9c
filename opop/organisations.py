"""Where an organisation stands in the programme, asked by apps that must not know who owns which kind.

The kernel knows organisations but not what makes one "verified": a pesantren is verified by Diskop UKM staff
(pesantren app), an alumni business through its founder's recognition by a pesantren (alumni app), a santri
business through the pesantren that supervises it (santri app). Each app registers, in its AppConfig.ready(), one
check for the kinds it owns; OPOP Mart asks `organisation_standing()` and never imports the pillar apps.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext as _

from opop.models import Organisation


@dataclass(frozen=True)
class Standing:
    """`verified`: the organisation may act in public (open a store). `reason`: why not, for the person asking."""

    verified: bool
    reason: str = ""


StandingCheck = Callable[[Organisation], Standing]

_checks: dict[str, StandingCheck] = {}


def standing_check_register(kind: str, check: StandingCheck) -> None:
    """Called from an AppConfig.ready(): `check(organisation)` answers for every organisation of `kind`.

    Registering the same kind again replaces the check (ready() may run twice in tests), so one app owns a kind."""
    if kind not in Organisation.Kind.values:
        raise ValueError(f"Unknown organisation kind {kind!r}.")
    _checks[kind] = check


def organisation_standing(organisation: Organisation) -> Standing:
    """Whether `organisation` is verified in the programme, and if not, a sentence saying why (in the active
    language). An inactive organisation or a kind no app answers for is never verified."""
    if not organisation.is_active:
        return Standing(False, _("This organisation is no longer active in the OPOP programme."))
    check = _checks.get(organisation.kind)
    if check is None:
        return Standing(False, _("This kind of organisation cannot be verified in the OPOP programme."))
    return check(organisation)


VERIFIED = Standing(True)
