"""Santripreneur: the santri registry, Kartu Santri, santri businesses, programme activities and
business-idea competitions. Split by sub-domain; import from `santri.models`."""

from santri.models.accounts import GuardianConsent, SantriInvitation
from santri.models.activities import Event, ExpoBooth, Registration, WaitingListEntry
from santri.models.competitions import Competition, Criterion, Judge, Proposal, Score
from santri.models.registry import ApiToken, ImportBatch, Santri, SantriBusiness

__all__ = [
    "ApiToken",
    "Competition",
    "Criterion",
    "Event",
    "ExpoBooth",
    "GuardianConsent",
    "ImportBatch",
    "Judge",
    "Proposal",
    "Registration",
    "Santri",
    "SantriBusiness",
    "SantriInvitation",
    "Score",
    "WaitingListEntry",
]
