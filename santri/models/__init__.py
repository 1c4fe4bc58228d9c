"""Santripreneur: the santri registry, Kartu Santri, santri businesses, programme activities and
business-idea competitions. Split by sub-domain; import from `santri.models`."""

from santri.models.activities import Event, Registration
from santri.models.competitions import (
    BudgetItem,
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
    "Competition",
    "CompetitionCertificate",
    "Criterion",
    "Event",
    "ImportBatch",
    "Incubation",
    "Judge",
    "Milestone",
    "ProgressNote",
    "Proposal",
    "Registration",
    "Santri",
    "SantriBusiness",
    "Score",
    "TeamInvitation",
]
