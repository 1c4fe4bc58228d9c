"""Building blocks for the competition and incubation tests: a complete proposal, scores, closing."""

from datetime import timedelta

from django.utils import timezone

from santri import services
from santri.models import Competition
from santri.tests.factories import SantriFactory

RUBRIC = [("Inovasi", 40), ("Kelayakan usaha", 35), ("Dampak sosial", 25)]
CANVAS = {
    "customer_segments": "Warung kopi desa dan wali santri",
    "value_proposition": "Kopi robusta lereng Wilis, sachet murah",
    "channels": "OPOP Mart, titip jual di koperasi",
    "customer_relationships": "Grup WhatsApp pelanggan",
    "revenue_streams": "Penjualan sachet Rp2.000",
    "key_resources": "Mesin sangrai, kemasan",
    "key_activities": "Sangrai, giling, kemas",
    "key_partners": "Petani kopi sekitar pesantren",
    "cost_structure": "Biji kopi, kemasan, listrik",
}
BUDGET = [
    {"description": "Mesin sangrai mini", "quantity": 1, "unit_price": 3_500_000},
    {"description": "Kemasan sachet", "quantity": 1000, "unit_price": 500},
]  # total Rp4.000.000


def competition_open(staff, **fields):
    return services.competition_create(
        user=staff,
        criteria=RUBRIC,
        title=fields.pop("title", "Lomba Ide Bisnis Santri 2026"),
        deadline=fields.pop("deadline", timezone.now() + timedelta(days=7)),
        winners_count=fields.pop("winners_count", 1),
        **fields,
    )


def proposal_complete(admin, competition, pesantren, team, *, members=None, n=2, submit=True):
    """A draft with a full canvas and budget and `n` santri (added by the admin), submitted unless told not."""
    proposal = services.proposal_start(
        user=admin, competition=competition, pesantren=pesantren, team_name=team, title=f"Ide {team}"
    )
    for santri in members if members is not None else SantriFactory.create_batch(n, pesantren=pesantren):
        invitation = services.team_invite(user=admin, proposal=proposal, santri=santri)
        if invitation.status == "pending":  # a santri with an account answers it themselves
            services.team_invitation_answer(user=santri.user, invitation=invitation, accept=True)
    services.proposal_draft_save(
        user=admin,
        proposal=proposal,
        budget=BUDGET,
        category="food",
        text="Kopi santri untuk warung desa.",
        funding_asked=3_000_000,
        **CANVAS,
    )
    if submit:
        services.proposal_submit(user=admin, proposal=proposal)
    proposal.refresh_from_db()
    return proposal


def close(competition):
    Competition.objects.filter(pk=competition.pk).update(deadline=timezone.now() - timedelta(minutes=1))
    competition.refresh_from_db()


def score(judge, proposal, values):
    criteria = list(proposal.competition.criteria.all())
    services.score_record(
        judge=judge, proposal=proposal, scores={c.pk: v for c, v in zip(criteria, values, strict=True)}
    )
