"""Writes of the Santripreneur pillar. Views, the API, commands, the demo seed and tests call these.

Split by sub-domain; import from `santri.services`, not the modules.
"""

from santri.services.activities import (
    attendance_mark,
    event_create,
    registration_cancel,
    registration_create,
    santri_may_join,
)
from santri.services.competitions import (
    competition_create,
    competition_publish,
    competition_ranking,
    judge_add,
    proposal_submit,
    score_record,
)
from santri.services.registry import (
    api_token_authenticate,
    api_token_create,
    api_token_revoke,
    card_check_digit,
    card_number_for,
    card_number_is_valid,
    import_confirm,
    import_discard,
    import_preview,
    read_upload,
    require_admin,
    santri_api_upsert,
    santri_business_save,
    santri_delete,
    santri_nik_reveal,
    santri_save,
    santri_upsert,
    santripreneur_mark,
    track_complete,
)

__all__ = [
    "api_token_authenticate",
    "api_token_create",
    "api_token_revoke",
    "attendance_mark",
    "card_check_digit",
    "card_number_for",
    "card_number_is_valid",
    "competition_create",
    "competition_publish",
    "competition_ranking",
    "event_create",
    "import_confirm",
    "import_discard",
    "import_preview",
    "judge_add",
    "proposal_submit",
    "read_upload",
    "registration_cancel",
    "registration_create",
    "require_admin",
    "santri_api_upsert",
    "santri_business_save",
    "santri_delete",
    "santri_may_join",
    "santri_nik_reveal",
    "santri_save",
    "santri_upsert",
    "santripreneur_mark",
    "score_record",
    "track_complete",
]
