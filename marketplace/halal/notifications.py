"""E-mail about halal cases and certificates, sent after the commit through opop.mail."""

from django.db.models import Q
from django.utils.translation import gettext as _

from opop.mail import send_mail_on_commit
from opop.models import Membership, Organisation


def business_emails(organisation_id: int) -> list[str]:
    return list(
        Membership.objects.filter(
            organisation_id=organisation_id, role__in=(Membership.Role.OWNER, Membership.Role.STAFF)
        ).values_list("user__email", flat=True)
    )


def staff_emails(kabupaten_kota_id: str | None) -> list[str]:
    return list(
        Membership.objects.filter(organisation__kind=Organisation.Kind.DISKOP, organisation__is_active=True)
        .filter(Q(region__isnull=True) | Q(region_id=kabupaten_kota_id))
        .values_list("user__email", flat=True)
    )


def case_notify(*, case, action: str, note: str = "", certificate=None) -> None:
    recipients = set(business_emails(case.organisation_id))
    if case.assignee_id:
        recipients.add(case.assignee.email)
    if action == "submit":
        recipients.update(staff_emails(case.organisation.kabupaten_kota_id))
    subject = _("[OPOP Halal] %(code)s %(business)s: %(status)s") % {
        "code": case.code,
        "business": case.organisation.name,
        "status": case.get_status_display(),
    }
    lines = [
        _("Halal facilitation case %(code)s of %(business)s is now: %(status)s.")
        % {"code": case.code, "business": case.organisation.name, "status": case.get_status_display()}
    ]
    if note:
        lines.append(_("Note: %(note)s") % {"note": note})
    if certificate is not None:
        lines.append(
            _("Certificate number: %(number)s. Print this SH number on the label, not the KH fatwa number.")
            % {"number": certificate.number}
        )
    lines.append(_("Open the case: %(path)s") % {"path": case.get_absolute_url()})
    send_mail_on_commit(subject=subject, body="\n\n".join(lines), recipients=sorted(recipients))
