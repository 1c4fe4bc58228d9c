"""Santripreneur: the santri registry, Kartu Santri, santri businesses, programme activities and
business-idea competitions. Split by sub-domain; import from `santri.models`."""

from santri.models.accounts import GuardianConsent, SantriInvitation
from santri.models.activities import Event, ExpoBooth, Registration, WaitingListEntry
from santri.models.competitions import (
    BudgetItem,
    CertificateSequence,
    Competition,
    CompetitionCertificate,
    Criterion,
    Judge,
    Proposal,
    Score,
    TeamInvitation,
)
from santri.models.incubation import Incubation, Milestone, ProgressNote
from santri.models.registry import ApiToken, ImportBatch, Santri, SantriBusiness

__all__ = [
    "ApiToken",
    "BudgetItem",
    "CertificateSequence",
    "Competition",
    "CompetitionCertificate",
    "Criterion",
    "Event",
    "ExpoBooth",
    "GuardianConsent",
    "ImportBatch",
    "Incubation",
    "Judge",
    "Milestone",
    "ProgressNote",
    "Proposal",
    "Registration",
    "Santri",
    "SantriBusiness",
    "SantriInvitation",
    "Score",
    "TeamInvitation",
    "WaitingListEntry",
]
