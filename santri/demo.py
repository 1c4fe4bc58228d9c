"""Demo data of the Santripreneur pillar (people are invented): santri of four pesantren, santri
businesses, programme events with attendance and certificates, and a business-idea competition
with scores and published winners.

Idempotent: each piece is keyed (santri by pesantren, business by name, event and competition by
title) and built once through the services; past history is then moved back in time.
"""

import random
from datetime import date, timedelta

from django.core.files.base import ContentFile
from django.utils import timezone

from opop.models import KabupatenKota, Membership, User
from opop.uploads import sample_pdf
from pesantren.models import Partner, Pesantren
from santri import services
from santri.models import Competition, Event, Santri, SantriBusiness
from santri.validation import validate_rows

DEMO_PESANTREN = [
    "Pondok Pesantren Darul Ulum",
    "Pondok Pesantren Sidogiri",
    "Pondok Pesantren Nurul Huda Bululawang",
    "Pondok Pesantren Bahrul Ulum Diwek",
]
MALE = ["Ahmad", "Muhammad", "Abdul", "Rizki", "Ilham", "Fajar", "Hasan", "Yusuf", "Fikri", "Zainal", "Imam"]
FEMALE = ["Siti", "Nur", "Fatimah", "Aisyah", "Zahra", "Laila", "Khusnul", "Ummi", "Annisa", "Rohmah", "Dewi"]
LAST = ["Fauzi", "Hidayat", "Maulana", "Hakim", "Aminah", "Khoiriyah", "Arifin", "Rahmawati", "Mubarok", "Syarifah"]
SKILLS = ["Menjahit", "Barista", "Desain grafis", "Budidaya lele", "Sablon", "Kuliner", "Hidroponik", "Fotografi"]
INTERESTS = ["Kuliner", "Fesyen muslim", "Pertanian", "Peternakan", "Digital marketing", "Kerajinan"]
BUSINESSES = {
    "Pondok Pesantren Darul Ulum": [("Kopi Santri Daroel", "food", 2023, 4_750_000, 3)],
    "Pondok Pesantren Sidogiri": [("Sablon Santri Sidogiri", "fashion", 2024, 3_200_000, 2)],
    "Pondok Pesantren Nurul Huda Bululawang": [("Roastery Kopi Dampit Santri", "food", 2022, 8_900_000, 4)],
    "Pondok Pesantren Bahrul Ulum Diwek": [("Lele Santri Diwek", "livestock", 2024, 2_600_000, 2)],
}


def _admin(pesantren: Pesantren) -> User:
    membership = (
        Membership.objects.filter(organisation=pesantren.organisation, role__in=["owner", "staff"])
        .select_related("user")
        .order_by("pk")
        .first()
    )
    user = membership.user
    user.__dict__.pop("_opop_access", None)
    return user


def _santri_rows(index: int, count: int) -> list[dict]:
    rng = random.Random(index)  # noqa: S311 - invented demo names, not secrets
    rows = []
    for n in range(count):
        female = n % 2 == 1
        entry = 2019 + n % 6
        rows.append(
            {
                "nis": f"{entry}{index:02d}{n + 1:03d}",
                "name": f"{rng.choice(FEMALE if female else MALE)} {rng.choice(LAST)}",
                "nik": f"35{rng.randrange(10, 80)}{rng.randrange(10**11, 10**12)}" if n % 3 else "",
                "gender": "P" if female else "L",
                "birth_date": date(entry - 13, 1 + n % 12, 1 + (n * 7) % 28).isoformat(),
                "entry_year": entry,
                "status": "graduated" if entry == 2019 else "active",
                "skills": SKILLS[(index + n) % len(SKILLS)],
                "interests": INTERESTS[(index * 3 + n) % len(INTERESTS)],
            }
        )
    return rows


def _fresh(user: User) -> User:
    user.__dict__.pop("_opop_access", None)
    return user


def seed(users: dict[str, User]) -> None:
    pesantren_list = [p for p in (Pesantren.objects.filter(name=name).first() for name in DEMO_PESANTREN) if p]
    for index, pesantren in enumerate(pesantren_list, start=1):
        admin = _admin(pesantren)
        if not Santri.objects.filter(pesantren=pesantren).exists():
            good, _bad = validate_rows(list(enumerate(_santri_rows(index, 18), start=2)))
            services.santri_upsert(pesantren=pesantren, rows=good, actor=admin, source="demo")
        for name, sector, year, omzet, members in BUSINESSES.get(pesantren.name, []):
            if SantriBusiness.objects.filter(pesantren=pesantren, name=name).exists():
                continue
            santri = list(Santri.objects.filter(pesantren=pesantren, status="active").order_by("nis")[:members])
            services.santri_business_save(
                user=admin,
                pesantren=pesantren,
                members=santri,
                name=name,
                sector=sector,
                started_on=date(year, 3, 1),
                monthly_omzet=omzet,
            )
    staff = _fresh(users["Diskop UKM staff"])
    _events(staff, pesantren_list)
    _competitions(staff, users, pesantren_list)
    _accounts(users, pesantren_list)
    _full_event_and_booths(staff, pesantren_list)


def _events(staff: User, pesantren_list: list[Pesantren]) -> None:
    today = timezone.localdate()
    partner = Partner.objects.filter(name="Bank Jatim Syariah").first()
    its = Partner.objects.filter(name="ITS Surabaya").first()
    specs = [
        # title, kind, place, region, days from today (start, end), quota, partner, completes track, invited
        ("OPOP Akademi Angkatan 2025", "akademi", "BPSDM Jatim, Surabaya", "35.78", (-120, -116), 40, its, True, True),
        (
            "Santri OPOP Camp 2026",
            "camp",
            "Bumi Perkemahan Coban Rondo, Batu",
            "35.79",
            (-30, -28),
            60,
            partner,
            False,
            False,
        ),
        (
            "OPOP Training Centre: Inkubasi Kopi",
            "training_centre",
            "UPT Pelatihan Koperasi, Malang",
            "35.73",
            (20, 24),
            25,
            its,
            True,
            False,
        ),
        ("Bakti SMK OPOP: Desain Kemasan", "bakti_smk", "SMKN 1 Jombang", "35.17", (35, 36), 30, None, False, False),
        (
            "OPOP Expo 2026",
            "expo",
            "Grand City Convention Hall, Surabaya",
            "35.78",
            (60, 62),
            200,
            partner,
            False,
            False,
        ),
        ("Rakor Angkatan 2026", "rakor", "Kantor Diskop UKM Jatim, Surabaya", "35.78", (45, 45), 80, None, False, True),
    ]
    for title, kind, place, kode, (start, end), quota, partner_row, track, invite_only in specs:
        if Event.objects.filter(title=title).exists():
            continue
        event = services.event_create(
            user=staff,
            kind=kind,
            title=title,
            place=place,
            kabupaten_kota=KabupatenKota.objects.get(kode=kode),
            starts_on=today + timedelta(days=max(start, 1)),
            ends_on=today + timedelta(days=max(end, 1)),
            organiser="Diskop UKM Jatim",
            partner=partner_row,
            quota=quota,
            completes_track=track,
            invited_pesantren=pesantren_list[:2] if invite_only else (),
            description="Kegiatan program OPOP Jawa Timur untuk santri dan pengurus pesantren.",
        )
        registrants = []
        for pesantren in pesantren_list[:2] if invite_only else pesantren_list:
            admin = _admin(pesantren)
            for santri in Santri.objects.filter(pesantren=pesantren, status="active").order_by("-nis")[:3]:
                registrants.append(services.registration_create(user=admin, event=event, santri=santri))
        if start < 0:  # history: move the event back, then staff record who came
            Event.objects.filter(pk=event.pk).update(
                starts_on=today + timedelta(days=start), ends_on=today + timedelta(days=end)
            )
            event.refresh_from_db()
            for n, registration in enumerate(registrants):
                registration.event = event
                services.attendance_mark(user=staff, registration=registration, attended=n % 4 != 3)


CANVAS = {
    "customer_segments": "Warung kopi desa, wali santri, kantin sekolah di sekitar pesantren",
    "value_proposition": "Produk santri yang halal, segar dan lebih murah dari merek kota",
    "channels": "OPOP Mart, koperasi pesantren, titip jual di toko kelontong",
    "customer_relationships": "Grup WhatsApp pelanggan, kartu stempel beli 10 gratis 1",
    "revenue_streams": "Penjualan eceran dan grosir ke warung",
    "key_resources": "Dapur produksi pesantren, alat kemas, tim santri",
    "key_activities": "Produksi mingguan, pengemasan, pemasaran daring",
    "key_partners": "Petani dan peternak sekitar, koperasi pesantren, pendamping OPOP",
    "cost_structure": "Bahan baku, kemasan, listrik, ongkos kirim",
}
BUDGET = [
    {"description": "Peralatan produksi", "quantity": 1, "unit_price": 3_500_000},
    {"description": "Kemasan berlabel", "quantity": 1000, "unit_price": 900},
    {"description": "Izin P-IRT dan sertifikasi halal", "quantity": 1, "unit_price": 600_000},
]  # Rp5.000.000


def _demo_proposal(competition: Competition, pesantren: Pesantren, team: str, idea: str, submit: bool):
    admin = _admin(pesantren)
    proposal = services.proposal_start(
        user=admin, competition=competition, pesantren=pesantren, team_name=team, title=idea
    )
    for santri in Santri.objects.filter(pesantren=pesantren, status="active").order_by("nis")[:3]:
        invitation = services.team_invite(user=admin, proposal=proposal, santri=santri)
        if invitation.status == "pending":  # a santri with an account: the admin accepts on their behalf
            services.team_invitation_answer(user=admin, invitation=invitation, accept=True)
    services.proposal_draft_save(
        user=admin,
        proposal=proposal,
        budget=BUDGET,
        category="food" if "Kopi" in team or "Lele" in team else "craft",
        text=f"{idea}. Modal awal Rp5.000.000, target omzet Rp3.000.000 per bulan, dijual di OPOP Mart.",
        funding_asked=4_000_000,
        attachment=ContentFile(sample_pdf("OPOP demo pitch deck"), name=f"pitch-{proposal.pk}.pdf"),
        **CANVAS,
    )
    if submit:
        proposal = services.proposal_submit(user=admin, proposal=proposal)
    return proposal


def _competitions(staff: User, users: dict[str, User], pesantren_list: list[Pesantren]) -> None:
    judges = [_fresh(users["Diskop UKM staff"]), _fresh(users["Diskop staff (Jombang)"])]
    specs = [
        ("Lomba Ide Bisnis Santri 2025", -40, True),
        ("Lomba Ide Bisnis Santri 2026", 21, False),
    ]
    ideas = [
        ("Tim Kopi Lereng", "Kopi robusta kemasan sachet untuk warung kopi desa"),
        ("Tim Sabun Herbal", "Sabun sereh dan kelor dari kebun pesantren"),
        ("Tim Lele Asap", "Lele asap vakum untuk oleh-oleh"),
        ("Tim Batik Santri", "Batik tulis motif pesantren untuk seragam sekolah"),
    ]
    for title, deadline_days, publish in specs:
        if Competition.objects.filter(title=title).exists():
            continue
        competition = services.competition_create(
            user=staff,
            title=title,
            deadline=timezone.now() + timedelta(days=max(deadline_days, 1)),
            description="Lomba ide bisnis untuk tim santri (1-5 orang) dari pesantren peserta OPOP. "
            "Juara per kabupaten/kota masuk inkubasi OPOP Training Centre.",
            criteria=[("Inovasi", 30), ("Kelayakan usaha", 30), ("Dampak sosial", 20), ("Presentasi", 20)],
            judges=judges,
            winners_count=1,
        )
        proposals = []
        for n, pesantren in enumerate(pesantren_list):
            team, idea = ideas[n % len(ideas)]
            # In the open competition the last team is still drafting.
            submit = publish or n < len(pesantren_list) - 1
            proposals.append(_demo_proposal(competition, pesantren, team, idea, submit))
        if not publish:
            continue
        for n, proposal in enumerate(proposals):
            criteria = list(competition.criteria.all())
            for j, judge in enumerate(judges):
                judge.__dict__.pop("_opop_access", None)
                if services.competitions.judge_conflict(judge, proposal):
                    continue
                scores = {c.pk: 95 - (n * 7 + j * 5 + i * 3) % 35 for i, c in enumerate(criteria)}
                services.score_record(judge=judge, proposal=proposal, scores=scores)
        Competition.objects.filter(pk=competition.pk).update(deadline=timezone.now() + timedelta(days=deadline_days))
        competition.refresh_from_db()
        services.competition_publish(user=staff, competition=competition)
        _incubation_progress(staff, judges[0], competition)


def _incubation_progress(staff: User, mentor: User, competition: Competition) -> None:
    """The best winner's incubation gets its mentor, a milestone done and this month's note."""
    from santri.models import Incubation

    incubation = Incubation.objects.filter(proposal__competition=competition).order_by("proposal__rank").first()
    if incubation is None:
        return
    services.incubation_mentor_assign(user=_fresh(staff), incubation=incubation, mentor=mentor)
    services.milestone_mark(user=mentor, milestone=incubation.milestones.first(), done=True)
    services.progress_note_save(
        user=mentor,
        incubation=incubation,
        month=timezone.localdate(),
        text="Produk pertama sudah dikemas; tim mengurus NIB lewat OSS dan menyiapkan toko di OPOP Mart.",
        monthly_omzet=750_000,
    )


SANTRI_LOGINS = [
    # e-mail, role label, over 17?
    ("santri@opop.test", "santri (Darul Ulum, over 17)", True),
    ("santri.muda@opop.test", "santri under 17 (guardian pending)", False),
]


def _accounts(users: dict[str, User], pesantren_list: list[Pesantren]) -> None:
    """Two santri of Darul Ulum with their own sign-in, made through the invitation flow; the younger
    one waits for the guardian's confirmation of a public profile."""
    from allauth.account.models import EmailAddress

    from opop.demo import DEMO_PASSWORD
    from santri.models import GuardianConsent

    darul_ulum = next((p for p in pesantren_list if p.name == "Pondok Pesantren Darul Ulum"), None)
    if darul_ulum is None:
        return
    admin = _admin(darul_ulum)
    today = timezone.localdate()
    for email, label, adult in SANTRI_LOGINS:
        santri = Santri.objects.filter(user__email=email).select_related("user").first()
        if santri is None:
            candidates = Santri.objects.filter(pesantren=darul_ulum, status="active", user=None).exclude(
                birth_date=None
            )
            candidates = candidates.order_by("birth_date" if adult else "-birth_date", "nis")
            santri = next(c for c in candidates if services.santri_needs_guardian(c, today=today) != adult)
            _inv, token = services.santri_invite(user=admin, santri=santri, method="email", email=email)
            services.invitation_accept(secret=token, method="email", password=DEMO_PASSWORD)
            santri.refresh_from_db()
            EmailAddress.objects.filter(user=santri.user).update(verified=True)
        if not adult and not santri.guardian_consents.exists():
            services.guardian_consent_request(
                user=santri.user, santri=santri, purpose=GuardianConsent.Purpose.PUBLIC_PROFILE
            )
        users[label] = santri.user


def _full_event_and_booths(staff: User, pesantren_list: list[Pesantren]) -> None:
    """A small class that is full, with two santri waiting (one of them the demo santri), and the
    booths of OPOP Expo 2026 assigned."""
    from santri.models import ExpoBooth

    title = "Kelas Foto Produk untuk Santri"
    today = timezone.localdate()
    if not Event.objects.filter(title=title).exists() and pesantren_list:
        event = services.event_create(
            user=staff,
            kind="training_centre",
            title=title,
            place="Aula Koppontren Darul Ulum, Jombang",
            kabupaten_kota=KabupatenKota.objects.get(kode="35.17"),
            starts_on=today + timedelta(days=14),
            ends_on=today + timedelta(days=14),
            organiser="Diskop UKM Jatim",
            quota=4,
            completes_track=False,
            invited_pesantren=(),
            description="Memotret produk dengan ponsel untuk katalog OPOP Mart. Tempat terbatas.",
        )
        demo_santri = Santri.objects.filter(user__email="santri@opop.test").first()
        takers = []
        for pesantren in pesantren_list[:2]:
            takers += list(Santri.objects.filter(pesantren=pesantren, status="active", user=None).order_by("nis")[:3])
        for santri in takers[:4]:
            services.registration_create(user=_admin(santri.pesantren), event=event, santri=santri)
        waiting = takers[4:5] + ([demo_santri] if demo_santri else [])
        for santri in waiting:
            actor = santri.user if santri.user_id else _admin(santri.pesantren)
            services.waiting_list_join(user=_fresh(actor), event=event, santri=santri)
    expo = Event.objects.filter(title="OPOP Expo 2026").first()
    if expo is not None and not ExpoBooth.objects.filter(event=expo).exists():
        services.expo_booths_assign(user=staff, event=expo)
