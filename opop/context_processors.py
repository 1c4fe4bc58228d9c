"""Navigation by role, shared by every layout."""

from dataclasses import dataclass

from django.apps import apps
from django.utils.translation import gettext_lazy as _

from opop.models import Organisation
from opop.permissions import access_for, is_in_audience, is_programme_staff
from opop.web import fixed_url


def nav_items() -> list[tuple]:
    """(label, url name, who sees it) of every app, in position order. Each app's AppConfig declares its own
    entries in `nav_items` as (position, label, url name, who); the kernel names no app. Entries whose URL does
    not exist are skipped."""
    entries = [entry for config in apps.get_app_configs() for entry in getattr(config, "nav_items", ())]
    return [(label, url_name, who) for _position, label, url_name, who in sorted(entries, key=lambda e: e[0])]


SELLER_KINDS = (Organisation.Kind.PESANTREN, Organisation.Kind.SANTRI_BUSINESS, Organisation.Kind.ALUMNI_BUSINESS)


def _visible(who: str, user, access) -> bool:
    if who == "everyone":
        return True
    if not user.is_authenticated:
        return False
    if who == "authenticated":  # e.g. halal cases: businesses and the companions assigned to them
        return True
    if who == "member":
        return access.superuser or bool(access.memberships)
    if who == "programme_staff":
        return is_programme_staff(user=user)
    if who == "province_staff":  # unscoped Diskop staff: the personal-data deletion queue
        return access.province_wide
    if who == "samsat_counter":
        return any(role in ("cashier", "supervisor") for _id, _kind, role in access.memberships)
    if who == "seller":
        return any(kind in SELLER_KINDS and role in ("owner", "staff") for _id, kind, role in access.memberships)
    if who == "curator":  # listings and store requests: Diskop staff, and pesantren admins for their santri businesses
        return (
            access.programme_staff
            or access.superuser
            or any(
                kind == Organisation.Kind.PESANTREN and role in ("owner", "staff")
                for _id, kind, role in access.memberships
            )
        )
    if who == "finance":  # platform finance staff: the finance role in the Diskop UKM organisation
        return access.superuser or any(
            kind == Organisation.Kind.DISKOP and role == "finance" for _id, kind, role in access.memberships
        )
    if who == "superuser":
        return user.is_staff
    return is_in_audience(user=user, name=who)  # an app's own audience (opop.permissions.audience_register)


@dataclass(slots=True, frozen=True)
class NavItem:
    """One entry of the menu as the page shows it: its label in the request's language, its link, whether it is
    the current section. Frozen, so the menu renders as kept rows ({% nav_menu %}, opop.web.rendered_rows)."""

    label: str
    url: str
    active: bool


def navigation(request):
    user = getattr(request, "user", None)
    if user is None:
        return {}
    access = access_for(user)
    entries = []
    for label, url_name, who in nav_items():
        if not _visible(who, user, access):
            continue
        url = fixed_url(url_name)
        if url is not None:
            entries.append((label, url))
    # The current section is the entry whose link is the longest start of this path: /pesantren/staf/ is the staff
    # list's, not also "My pesantren" (/pesantren/).
    under = [url for _label, url in entries if url != "/" and request.path.startswith(url)]
    current = max(under, key=len, default=None)
    items = [NavItem(label=str(label), url=url, active=url == current) for label, url in entries]
    role_labels = []
    if access.superuser:
        role_labels.append(_("Superuser"))
    if access.programme_staff:
        role_labels.append(_("Diskop UKM staff"))
    if any(kind == Organisation.Kind.PESANTREN for _id, kind, _role in access.memberships):
        role_labels.append(_("Pesantren admin"))
    return {"nav_items": items, "role_labels": role_labels}
