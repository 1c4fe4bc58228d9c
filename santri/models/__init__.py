"""Santripreneur: the santri registry, Kartu Santri, santri businesses, programme activities and
business-idea competitions. Split by sub-domain; import from `santri.models`."""

from santri.models.activities import Event, Registration
from santri.models.competitions import Competition, Criterion, Judge, Proposal, Score
from santri.models.registry import ApiToken, ImportBatch, Santri, SantriBusiness

__all__ = [
    "ApiToken",
    "Competition",
    "Criterion",
    "Event",
    "ImportBatch",
    "Judge",
    "Proposal",
    "Registration",
    "Santri",
    "SantriBusiness",
    "Score",
]
