"""Writes of the Pesantrenpreneur pillar. Views, commands, the demo seed and tests all call these.

Split by sub-domain; import from `pesantren.services`, not the modules.
"""

from pesantren.services.programme import (
    business_unit_save,
    collaborators_set,
    mapping_record,
    mentoring_record,
    partner_create,
)
from pesantren.services.registry import (
    ADMIN_ROLES,
    PROFILE_FIELDS,
    PROFILE_ROLES,
    REASON_REQUIRED,
    TRANSITIONS,
    allowed_transitions,
    is_pesantren_admin,
    is_pesantren_owner,
    is_programme_staff,
    is_programme_staff_for,
    pesantren_register,
    pesantren_transition,
    pesantren_update,
)
from pesantren.services.reports import report_correct, report_review, report_submit

__all__ = [
    "ADMIN_ROLES",
    "PROFILE_FIELDS",
    "PROFILE_ROLES",
    "REASON_REQUIRED",
    "TRANSITIONS",
    "allowed_transitions",
    "business_unit_save",
    "collaborators_set",
    "is_pesantren_admin",
    "is_pesantren_owner",
    "is_programme_staff",
    "is_programme_staff_for",
    "mapping_record",
    "mentoring_record",
    "partner_create",
    "pesantren_register",
    "pesantren_transition",
    "pesantren_update",
    "report_correct",
    "report_review",
    "report_submit",
]
