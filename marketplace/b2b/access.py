"""Who acts for which organisation in B2B trade, through opop.permissions.

Owners and staff of an organisation act for it (cashiers and supervisors do not trade). A person who acts for
several organisations picks one in the B2B workspace (kept in the session); every list and page is scoped to
that acting organisation, so a foreign id answers 404.
"""

from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import redirect

from marketplace.b2b.models import BUYER_KINDS, SUPPLIER_KINDS
from opop.models import Organisation
from opop.permissions import access_for

TRADE_ROLES = ("owner", "staff")
SESSION_KEY = "b2b_organisation"
TRADE_KINDS = tuple(dict.fromkeys((*SUPPLIER_KINDS, *BUYER_KINDS)))


def trading_organisation_ids(user) -> list[int]:
    return access_for(user).organisation_ids(roles=TRADE_ROLES, kinds=TRADE_KINDS)


def acts_for(user, organisation_id: int | None) -> bool:
    """Whether `user` is an owner or staff member of the organisation (superusers are not members)."""
    return organisation_id is not None and organisation_id in trading_organisation_ids(user)


def trading_organisations(user) -> QuerySet:
    return Organisation.objects.filter(pk__in=trading_organisation_ids(user), is_active=True).select_related(
        "kabupaten_kota"
    )


def acting_organisation(request) -> Organisation | None:
    """The organisation the user trades for right now: the one chosen in this session, else their first."""
    organisations = list(trading_organisations(request.user))
    chosen = request.session.get(SESSION_KEY)
    for organisation in organisations:
        if organisation.pk == chosen:
            return organisation
    return organisations[0] if organisations else None


def b2b_view(view):
    """Log in, find the acting organisation (none: 404) and pass it as `org`; the page template gets
    `b2b_organisations` for the switcher through `request`."""

    @login_required
    def wrapped(request, *args, **kwargs):
        org = acting_organisation(request)
        if org is None:
            raise Http404
        request.b2b_org = org
        return view(request, *args, org=org, **kwargs)

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


@login_required
def choose_organisation(request, pk: int):
    if not acts_for(request.user, pk):
        raise Http404
    request.session[SESSION_KEY] = pk
    return redirect("b2b:home")
