"""Reads of the Sosiopreneur pillar, scoped to the acting user."""

from django.db.models import Q, QuerySet

from alumni.models import AlumniBusiness, AlumniReport, Alumnus, Collaboration
from opop.permissions import access_for, get_for_user_or_404, scope_queryset
from pesantren.services import ADMIN_ROLES

BUSINESS_SCOPE = {"organisation_field": "organisation", "region_field": "kabupaten_kota", "roles": ADMIN_ROLES}
REPORT_SCOPE = {
    "organisation_field": "business__organisation",
    "region_field": "business__kabupaten_kota",
    "roles": ADMIN_ROLES,
}


def my_alumnus(*, user) -> Alumnus | None:
    return Alumnus.objects.select_related("pesantren", "santri").filter(user=user).first()


def alumni_to_verify(*, user) -> QuerySet[Alumnus]:
    """Claims waiting for the pesantren the user administers."""
    org_ids = access_for(user).organisation_ids(roles=ADMIN_ROLES)
    return Alumnus.objects.select_related("user", "pesantren").filter(
        pesantren__organisation_id__in=org_ids, status=Alumnus.Status.PENDING
    )


def alumni_of_my_pesantren(*, user) -> QuerySet[Alumnus]:
    org_ids = access_for(user).organisation_ids(roles=ADMIN_ROLES)
    return Alumnus.objects.select_related("user", "pesantren").filter(
        pesantren__organisation_id__in=org_ids, status=Alumnus.Status.VERIFIED
    )


def alumnus_get_for_admin(*, user, pk) -> Alumnus:
    queryset = Alumnus.objects.select_related("pesantren", "user")
    return get_for_user_or_404(
        queryset,
        user,
        scope={"organisation_field": "pesantren__organisation", "region_field": None, "roles": ADMIN_ROLES},
        pk=pk,
    )


def business_list(*, user) -> QuerySet[AlumniBusiness]:
    """Members see their businesses; Diskop staff the businesses of their region."""
    queryset = AlumniBusiness.objects.select_related("kabupaten_kota", "alumnus__pesantren", "organisation")
    return scope_queryset(queryset, user, **BUSINESS_SCOPE).order_by("name", "pk")


def business_get(*, user, pk) -> AlumniBusiness:
    """A business its members and regional staff see; admins of a collaborating pesantren too."""
    queryset = AlumniBusiness.objects.select_related("kabupaten_kota", "alumnus__pesantren", "alumnus__user")
    org_ids = access_for(user).organisation_ids(roles=ADMIN_ROLES)
    visible = scope_queryset(queryset, user, **BUSINESS_SCOPE) | queryset.filter(
        collaborations__pesantren__organisation_id__in=org_ids
    )
    try:
        return visible.distinct().get(pk=pk)
    except (AlumniBusiness.DoesNotExist, ValueError):
        from django.http import Http404

        raise Http404 from None


def business_file(*, business: AlumniBusiness) -> dict:
    return {
        "reports": business.reports.select_related("submitted_by", "reviewed_by").prefetch_related("revisions"),
        "collaborations": business.collaborations.select_related("pesantren", "pesantren__kabupaten_kota"),
    }


def report_get(*, user, pk) -> AlumniReport:
    queryset = AlumniReport.objects.select_related("business", "business__kabupaten_kota")
    return get_for_user_or_404(queryset, user, scope=REPORT_SCOPE, pk=pk)


def report_queue(*, user) -> QuerySet[AlumniReport]:
    """Submitted reports waiting for the staff of their region, the oldest month first."""
    queryset = AlumniReport.objects.select_related("business", "business__kabupaten_kota").filter(
        status=AlumniReport.Status.SUBMITTED
    )
    return scope_queryset(queryset, user, organisation_field=None, region_field="business__kabupaten_kota").order_by(
        "month", "pk"
    )


def report_queue_head(*, user, size: int) -> tuple[list[AlumniReport], int]:
    """The `size` oldest reports of `report_queue` and how many more wait behind them (counted only when the
    head is full: a short queue is its own count)."""
    queue = report_queue(user=user)
    head = list(
        queue.select_related(None).select_related("business").only("pk", "month", "omzet", "business__name")[:size]
    )
    more = queue.count() - size if len(head) == size else 0
    return head, more


def collaborations_for(*, user) -> QuerySet[Collaboration]:
    """Collaborations of the user's businesses or pesantren."""
    org_ids = access_for(user).organisation_ids(roles=ADMIN_ROLES)
    return Collaboration.objects.select_related("business", "pesantren").filter(
        Q(business__organisation_id__in=org_ids) | Q(pesantren__organisation_id__in=org_ids)
    )


def collaboration_get(*, user, pk) -> Collaboration:
    try:
        return collaborations_for(user=user).get(pk=pk)
    except (Collaboration.DoesNotExist, ValueError):
        from django.http import Http404

        raise Http404 from None


def businesses_open_to_collaboration() -> QuerySet[AlumniBusiness]:
    return AlumniBusiness.objects.filter(alumnus__status=Alumnus.Status.VERIFIED).order_by("name")
