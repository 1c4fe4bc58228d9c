"""Navigation by role, shared by every layout."""

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from opop.models import Organisation
from opop.permissions import access_for

# (label, url name, who sees it). Entries whose URL does not exist yet are skipped, so each app
# adds its links here as it lands.
NAV_ITEMS = [
    (_("OPOP Mart"), "marketplace:home", "everyone"),
    (_("Samsat OPOP outlets"), "samsat:outlet_public_list", "everyone"),
    (_("My organisations"), "opop:organisation_list", "member"),
    (_("OPOP pesantren"), "pesantren:directory", "everyone"),
    (_("My pesantren"), "pesantren:mine", "member"),
    (_("Seller centre"), "marketplace:seller_dashboard", "seller"),
    (_("Pesantren"), "pesantren:staff_list", "programme_staff"),
    (_("Samsat counter"), "samsat:counter_home", "samsat_counter"),
    (_("Samsat outlets (Diskop)"), "samsat:staff_outlet_list", "programme_staff"),
    (_("Diskop workspace"), "reports:dashboard", "programme_staff"),
    (_("OPOP in figures"), "reports:public", "everyone"),
    (_("Santripreneur"), "santri:home", "member"),
    (_("Programme activities"), "santri:event_list", "member"),
    (_("Business-idea competitions"), "santri:competition_list", "everyone"),
    (_("Alumni"), "alumni:home", "authenticated"),
    (_("Halal certification"), "halal:case_list", "authenticated"),
    (_("Halal queue (Diskop)"), "halal:product_queue", "programme_staff"),
    (_("Flagship curation"), "halal:flagship_list", "programme_staff"),
    (_("Listing curation"), "marketplace:curation_queue", "curator"),
    (_("Store requests"), "marketplace:store_request_list", "curator"),
    (_("Payouts (finance)"), "marketplace:finance_payouts", "finance"),
    (_("Deletion requests"), "opop:deletion_queue", "province_staff"),
    (_("B2B procurement"), "b2b:home", "member"),
    (_("Admin site"), "admin:index", "superuser"),
]

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
        return access.programme_staff or access.superuser
    if who == "province_staff":  # unscoped Diskop staff: the personal-data deletion queue
        return access.superuser or (access.programme_staff and access.region is None)
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
    return False


def navigation(request):
    user = getattr(request, "user", None)
    if user is None:
        return {}
    access = access_for(user)
    items = []
    for label, url_name, who in NAV_ITEMS:
        if not _visible(who, user, access):
            continue
        try:
            url = reverse(url_name)
        except NoReverseMatch:
            continue
        items.append({"label": label, "url": url, "active": request.path.startswith(url) and url != "/"})
    role_labels = []
    if access.superuser:
        role_labels.append(_("Superuser"))
    if access.programme_staff:
        role_labels.append(_("Diskop UKM staff"))
    if any(kind == Organisation.Kind.PESANTREN for _id, kind, _role in access.memberships):
        role_labels.append(_("Pesantren admin"))
    return {"nav_items": items, "role_labels": role_labels}
