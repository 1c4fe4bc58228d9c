"""Business-idea competitions: list, open (staff), proposals (draft, team, submit), score (judges), results,
certificates and their public check."""

import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from opop.models import User
from opop.services import DomainError
from pesantren.services import is_pesantren_admin, is_programme_staff
from santri import selectors, services
from santri.certificate_numbers import ACTIVITY_SERIES, certificate_series
from santri.forms import BudgetFormSet, CompetitionForm, ProposalForm, ProposalStartForm, TeamSearchForm, budget_rows
from santri.models import Competition, Santri, Score, TeamInvitation
from santri.services.competitions import acting_santri, judge_conflict, santri_public_name
from santri.views.common import form_error, form_saved, qr_svg, require

CHECKS_PER_MINUTE = 30


def competition_list(request):
    return render(
        request,
        "santri/competition_list.html",
        {"competitions": selectors.competition_list(), "is_staff": is_programme_staff(user=request.user)},
    )


@login_required
def competition_create(request):
    require(is_programme_staff(user=request.user))
    form = CompetitionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        emails = [e for e in re.split(r"[,\s]+", data.pop("judges") or "") if e]
        judges = list(User.objects.filter(email__in=[e.lower() for e in emails]))
        if len(judges) != len({e.lower() for e in emails}):
            form.add_error("judges", _("Some of these e-mail addresses have no account on the portal."))
        else:
            criteria = data.pop("criteria")
            try:
                competition = services.competition_create(user=request.user, criteria=criteria, judges=judges, **data)
            except ValidationError as exc:
                form_error(form, exc)
            else:
                messages.success(request, _("Competition opened."))
                return redirect("santri:competition_detail", competition.pk)
    return render(request, "santri/competition_form.html", {"form": form})


def competition_detail(request, pk):
    competition = selectors.competition_get(pk=pk)
    user = request.user
    is_staff = is_programme_staff(user=user)
    is_judge = user.is_authenticated and competition.judges.filter(user=user).exists()
    published = competition.status == Competition.Status.PUBLISHED
    # Before publishing, only staff and judges see the scores; afterwards everybody sees the results page.
    ranking = (
        services.competition_ranking(competition=competition) if (is_staff or is_judge) and not published else None
    )
    if ranking and is_judge:
        for row in ranking:
            row.may_score = not judge_conflict(user, row.proposal)
    proposals = selectors.proposals_visible(user=user, competition=competition) if user.is_authenticated else []
    admin_pesantren = selectors.admin_pesantren(user=user) if user.is_authenticated else []
    santri = acting_santri(user)
    return render(
        request,
        "santri/competition_detail.html",
        {
            "competition": competition,
            "criteria": competition.criteria.all(),
            "ranking": ranking,
            "proposals": proposals if not ranking else None,
            "is_staff": is_staff,
            "is_judge": is_judge,
            "admin_pesantren": admin_pesantren,
            "acting_santri": santri,
            "invitations": selectors.santri_team_invitations(santri).filter(proposal__competition=competition)
            if santri
            else [],
            "published": published,
        },
    )


def competition_results(request, pk):
    """Public once published: province-wide and per kabupaten/kota, with the frozen scores."""
    competition = selectors.competition_get(pk=pk)
    if competition.status != Competition.Status.PUBLISHED:
        return render(request, "santri/competition_results.html", {"competition": competition, "results": None})
    results = list(selectors.competition_results(competition=competition))
    regions: dict[str, dict] = {}
    for proposal in results:
        region = proposal.pesantren.kabupaten_kota
        regions.setdefault(region.kode, {"label": region.label, "rows": []})["rows"].append(proposal)
    by_region = [regions[k] for k in sorted(regions, key=lambda k: regions[k]["label"])]
    for group in by_region:
        group["rows"].sort(key=lambda p: p.region_rank)
    return render(
        request,
        "santri/competition_results.html",
        {"competition": competition, "results": results, "by_region": by_region},
    )


@login_required
def proposal_start(request, pk, pesantren_pk=None):
    """A pesantren admin (for one of their pesantren) or a santri with an account starts a draft."""
    competition = selectors.competition_get(pk=pk)
    pesantren = None
    if pesantren_pk is not None:
        pesantren = selectors.admin_pesantren(user=request.user).filter(pk=pesantren_pk).first()
        if pesantren is None:
            raise Http404
    elif acting_santri(request.user) is None:
        raise Http404
    form = ProposalStartForm(request.POST or None)
    if proposal := form_saved(
        request,
        form,
        lambda data: services.proposal_start(user=request.user, competition=competition, pesantren=pesantren, **data),
        success=_("Draft saved. Build the team, fill the canvas and the budget."),
    ):
        return redirect("santri:proposal_edit", proposal.pk)
    return render(
        request,
        "santri/proposal_start.html",
        {"form": form, "competition": competition, "pesantren": pesantren or acting_santri(request.user).pesantren},
    )


def _proposal_for_editor(request, pk):
    proposal = selectors.proposal_get(user=request.user, pk=pk)
    if not services.proposal_may_edit(user=request.user, proposal=proposal):
        raise Http404
    return proposal


@login_required
def proposal_edit(request, pk):
    """The proposal: its draft form (canvas, budget, team, pitch deck) while editable, else read only."""
    proposal = selectors.proposal_get(user=request.user, pk=pk)
    competition = proposal.competition
    may_edit = services.proposal_may_edit(user=request.user, proposal=proposal)
    editable = (
        may_edit
        and proposal.is_draft
        and competition.status == Competition.Status.OPEN
        and timezone.now() <= competition.deadline
    )
    form = ProposalForm(request.POST or None, request.FILES or None, instance=proposal)
    items = list(proposal.budget_items.all())
    initial = [{"description": i.description, "quantity": i.quantity, "unit_price": i.unit_price} for i in items]
    formset = BudgetFormSet(request.POST or None, initial=initial, prefix="budget")
    if request.method == "POST":
        if not editable:
            messages.error(request, _("This proposal can no longer change."))
            return redirect("santri:proposal_edit", proposal.pk)
        if form.is_valid() and formset.is_valid():
            data = {k: v for k, v in form.cleaned_data.items() if k != "attachment"}
            upload = request.FILES.get("attachment")
            try:
                services.proposal_draft_save(
                    user=request.user, proposal=proposal, budget=budget_rows(formset), attachment=upload, **data
                )
                if request.POST.get("action") == "submit":
                    services.proposal_submit(user=request.user, proposal=proposal)
            except (ValidationError, DomainError) as exc:
                form_error(form, exc)
            else:
                submitted = request.POST.get("action") == "submit"
                messages.success(request, _("Proposal submitted.") if submitted else _("Draft saved."))
                return redirect("santri:proposal_edit", proposal.pk)
    if not formset.is_bound:
        for line, item in zip(formset.forms, items, strict=False):
            line.line_total = item.total  # quantity x unit price, shown on each saved line
    search = TeamSearchForm(request.GET or None)
    query = search.cleaned_data["q"] if search.is_valid() else ""
    return render(
        request,
        "santri/proposal_form.html",
        {
            "proposal": proposal,
            "competition": competition,
            "form": form,
            "formset": formset,
            "editable": editable,
            "items": items,
            "team": selectors.proposal_team(proposal=proposal),
            "search": search,
            "query": query,
            "results": selectors.team_search(proposal=proposal, query=query) if editable else [],
            "missing": services.proposal_missing(proposal) if editable else [],
            "is_admin": is_pesantren_admin(user=request.user, pesantren=proposal.pesantren),
            "certificates": selectors.certificates_for(user=request.user, proposal=proposal),
        },
    )


@login_required
@require_GET
def team_search_json(request, pk):
    """The team search as JSON for the instant results: the proposal's own pesantren only."""
    proposal = _proposal_for_editor(request, pk)
    results = selectors.team_search(proposal=proposal, query=request.GET.get("q", ""))
    return JsonResponse(
        {
            "results": [
                {"id": s.pk, "name": s.name, "nis": s.nis, "entry_year": s.entry_year, "has_account": bool(s.user_id)}
                for s in results
            ]
        }
    )


@login_required
@require_POST
def team_invite(request, pk):
    proposal = _proposal_for_editor(request, pk)
    try:
        santri_pk = int(request.POST.get("santri", ""))
    except ValueError:
        raise Http404 from None
    santri = get_object_or_404(Santri.objects.filter(pesantren_id=proposal.pesantren_id), pk=santri_pk)
    try:
        invitation = services.team_invite(user=request.user, proposal=proposal, santri=santri)
    except (ValidationError, DomainError, PermissionDenied) as exc:
        messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])) or _("Not allowed."))
    else:
        if invitation.status == TeamInvitation.Status.ACCEPTED:
            messages.success(request, _("%(name)s is on the team.") % {"name": santri.name})
        else:
            messages.success(request, _("%(name)s is invited and answers from their account.") % {"name": santri.name})
    return redirect("santri:proposal_edit", proposal.pk)


@login_required
@require_POST
def team_remove(request, pk, santri_pk):
    proposal = _proposal_for_editor(request, pk)
    santri = get_object_or_404(Santri.objects.filter(pesantren_id=proposal.pesantren_id), pk=santri_pk)
    try:
        services.team_member_remove(user=request.user, proposal=proposal, santri=santri)
    except DomainError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Taken off the team."))
    return redirect("santri:proposal_edit", proposal.pk)


@login_required
@require_POST
def team_answer(request, pk):
    """The invited santri (or their pesantren admin for them) accepts or declines."""
    invitation = get_object_or_404(TeamInvitation.objects.select_related("santri", "proposal__pesantren"), pk=pk)
    santri = invitation.santri
    if not (
        santri.user_id == request.user.pk
        or is_pesantren_admin(user=request.user, pesantren=invitation.proposal.pesantren)
    ):
        raise Http404
    accept = request.POST.get("answer") == "accept"
    try:
        services.team_invitation_answer(user=request.user, invitation=invitation, accept=accept)
    except DomainError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("You joined the team.") if accept else _("Invitation declined."))
    if accept:
        return redirect("santri:proposal_edit", invitation.proposal_id)
    return redirect("santri:competition_detail", invitation.proposal.competition_id)


@login_required
def proposal_score(request, pk):
    proposal = selectors.proposal_get(user=request.user, pk=pk)
    competition = proposal.competition
    require(competition.judges.filter(user=request.user).exists())
    criteria = list(competition.criteria.all())
    current = {s.criterion_id: s.value for s in Score.objects.filter(proposal=proposal, judge=request.user)}
    error = None
    may_score = services.judge_may_score(request.user, proposal)
    if judge_conflict(request.user, proposal):
        error = _("You cannot score a team of your own pesantren.")
    elif not may_score:
        error = _("The winners are published; scores can no longer change.")
    elif request.method == "POST":
        try:
            scores = {c.pk: int(request.POST.get(f"criterion_{c.pk}", "")) for c in criteria}
            services.score_record(judge=request.user, proposal=proposal, scores=scores)
        except ValueError:
            error = _("Give every criterion a whole number from 0 to 100.")
        except (ValidationError, DomainError) as exc:
            error = " ".join(getattr(exc, "messages", [str(exc)]))
        else:
            messages.success(request, _("Scores saved."))
            return redirect("santri:competition_detail", competition.pk)
    rows = [(c, current.get(c.pk, "")) for c in criteria]
    return render(
        request,
        "santri/proposal_score.html",
        {"proposal": proposal, "competition": competition, "rows": rows, "error": error, "may_score": may_score},
    )


@login_required
@require_POST
def competition_publish(request, pk):
    competition = selectors.competition_get(pk=pk)
    try:
        services.competition_publish(user=request.user, competition=competition)
    except DomainError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Results published."))
        return redirect("santri:competition_results", competition.pk)
    return redirect("santri:competition_detail", competition.pk)


# --- certificates ------------------------------------------------------------------------------------------


@login_required
def certificate(request, pk):
    """The printable certificate, for the santri, their pesantren admins and staff; full name, QR to the check."""
    certificate = selectors.certificate_get(user=request.user, pk=pk)
    check_url = request.build_absolute_uri(reverse("santri:certificate_check", args=[certificate.number]))
    return render(
        request,
        "santri/competition_certificate.html",
        {"certificate": certificate, "check_url": check_url, "qr_svg": mark_safe(qr_svg(check_url))},  # noqa: S308 - generated by qrcode
    )


def _too_many_checks(request) -> bool:
    """At most CHECKS_PER_MINUTE lookups a minute from one address: numbers are short enough to guess at."""
    key = f"santri:certificate-check:{request.META.get('REMOTE_ADDR', '')}"
    cache.add(key, 0, timeout=60)
    try:
        return cache.incr(key) > CHECKS_PER_MINUTE
    except ValueError:
        return False


def certificate_check(request, number=None):
    """Public: a certificate number (typed, or from the QR) shows the shortened name and what it certifies: the
    competition and result (`SP-` numbers) or the activity attended (`SK-` numbers), the date, the pesantren."""
    number = number or request.GET.get("nomor", "").strip()
    if not number:
        return render(request, "santri/certificate_check.html", {"certificate": None, "number": ""})
    if _too_many_checks(request):
        response = render(
            request, "santri/certificate_check.html", {"certificate": None, "number": number, "limited": True}
        )
        response.status_code = 429
        return response
    series = certificate_series(number)
    if series == ACTIVITY_SERIES:
        registration = selectors.activity_certificate_by_number(number=number)
        return render(
            request,
            "santri/certificate_check.html",
            {
                "registration": registration,
                "number": registration.certificate_number,
                "name": santri_public_name(registration.santri.name),
            },
        )
    if series is None:
        raise Http404
    certificate = selectors.certificate_by_number(number=number)
    return render(
        request,
        "santri/certificate_check.html",
        {"certificate": certificate, "number": certificate.number, "name": santri_public_name(certificate.santri.name)},
    )
