"""Business-idea competitions: list, open (staff), submit (admins), score (judges), rank, publish."""

import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from opop.models import User
from opop.services import DomainError
from pesantren.services import is_programme_staff
from santri import selectors, services
from santri.forms import CompetitionForm, ProposalForm
from santri.models import Score
from santri.services.competitions import judge_conflict
from santri.views.common import form_error, require


def competition_list(request):
    return render(
        request,
        "santri/competition_list.html",
        {"competitions": selectors.competition_list(), "is_staff": is_programme_staff(request.user)},
    )


@login_required
def competition_create(request):
    require(is_programme_staff(request.user))
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
    is_staff = is_programme_staff(user)
    is_judge = user.is_authenticated and competition.judges.filter(user=user).exists()
    ranking = services.competition_ranking(competition=competition) if (is_staff or is_judge) else None
    proposals = selectors.proposals_visible(user=user, competition=competition) if user.is_authenticated else []
    admin_pesantren = selectors.admin_pesantren(user=user) if user.is_authenticated else []
    winners = competition.proposals.filter(rank__isnull=False).select_related("pesantren").order_by("rank")
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
            "winners": winners if competition.status == "published" else None,
        },
    )


@login_required
def proposal_submit(request, pk, pesantren_pk):
    competition = selectors.competition_get(pk=pk)
    pesantren = selectors.admin_pesantren(user=request.user).filter(pk=pesantren_pk).first()
    if pesantren is None:
        from django.http import Http404

        raise Http404
    form = ProposalForm(request.POST or None, request.FILES or None, pesantren=pesantren)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            services.proposal_submit(
                user=request.user,
                competition=competition,
                pesantren=pesantren,
                members=data.pop("members"),
                attachment=data.pop("attachment"),
                **data,
            )
        except (ValidationError, DomainError) as exc:
            form_error(form, exc)
        else:
            messages.success(request, _("Proposal submitted."))
            return redirect("santri:competition_detail", competition.pk)
    return render(
        request, "santri/proposal_form.html", {"form": form, "competition": competition, "pesantren": pesantren}
    )


@login_required
def proposal_score(request, pk):
    proposal = selectors.proposal_get(user=request.user, pk=pk)
    competition = proposal.competition
    require(competition.judges.filter(user=request.user).exists())
    criteria = list(competition.criteria.all())
    current = {s.criterion_id: s.value for s in Score.objects.filter(proposal=proposal, judge=request.user)}
    error = None
    if judge_conflict(request.user, proposal):
        error = _("You cannot score a team of your own pesantren.")
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
        {"proposal": proposal, "competition": competition, "rows": rows, "error": error},
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
        messages.success(request, _("Winners published."))
    return redirect("santri:competition_detail", competition.pk)
