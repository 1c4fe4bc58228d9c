"""OPOP Training Centre incubation pages: for the region's staff, the staff mentor, the pesantren admin and the
team's santri. Anyone else gets 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from opop.models import User
from opop.services import DomainError
from santri import selectors, services
from santri.forms import MentorForm, MilestoneForm, ProgressNoteForm
from santri.models import Milestone
from santri.views.common import form_error, form_saved


@login_required
def incubation_list(request):
    return render(request, "santri/incubation_list.html", {"incubations": selectors.incubations_for(user=request.user)})


def _page(request, incubation, **forms):
    role = services.incubation_role(request.user, incubation)
    business = incubation.business
    store_application = None
    if business.organisation_id:
        store_application = getattr(business.organisation, "store_application", None)
    context = {
        "incubation": incubation,
        "role": role,
        "milestones": incubation.milestones.all(),
        "notes": incubation.notes.select_related("author"),
        "members": incubation.proposal.members.all(),
        "business": business,
        "store_application": store_application,
        "has_store": bool(business.organisation_id and hasattr(business.organisation, "store")),
        "mentor_form": forms.get("mentor_form") or MentorForm(),
        "milestone_form": forms.get("milestone_form") or MilestoneForm(),
        "note_form": forms.get("note_form") or ProgressNoteForm(initial={"month": timezone.localdate().replace(day=1)}),
    }
    return render(request, "santri/incubation_detail.html", context)


@login_required
def incubation_detail(request, pk):
    return _page(request, selectors.incubation_get(user=request.user, pk=pk))


@login_required
@require_POST
def incubation_mentor(request, pk):
    incubation = selectors.incubation_get(user=request.user, pk=pk)
    form = MentorForm(request.POST)
    if form.is_valid():
        mentor = User.objects.filter(email=form.cleaned_data["email"].lower()).first()
        if mentor is None:
            form.add_error("email", _("No account has this e-mail address."))
        else:
            try:
                services.incubation_mentor_assign(user=request.user, incubation=incubation, mentor=mentor)
            except ValidationError as exc:
                form_error(form, exc)
            else:
                messages.success(request, _("Mentor assigned."))
                return redirect("santri:incubation_detail", incubation.pk)
    return _page(request, incubation, mentor_form=form)


def _incubation_form_post(request, pk, *, form_class, service, done: str, context_name: str):
    """One incubation form posted: the service applies it and the page redirects, or the page shows its errors."""
    incubation = selectors.incubation_get(user=request.user, pk=pk)
    form = form_class(request.POST)
    if form_saved(request, form, lambda data: service(user=request.user, incubation=incubation, **data), success=done):
        return redirect("santri:incubation_detail", incubation.pk)
    return _page(request, incubation, **{context_name: form})


@login_required
@require_POST
def milestone_add(request, pk):
    return _incubation_form_post(
        request,
        pk,
        form_class=MilestoneForm,
        service=services.milestone_add,
        done=_("Milestone added."),
        context_name="milestone_form",
    )


@login_required
@require_POST
def milestone_mark(request, pk):
    milestone = get_object_or_404(Milestone, pk=pk)
    incubation = selectors.incubation_get(user=request.user, pk=milestone.incubation_id)
    milestone.incubation = incubation
    services.milestone_mark(user=request.user, milestone=milestone, done=request.POST.get("done") == "1")
    messages.success(request, _("Milestone updated."))
    return redirect("santri:incubation_detail", incubation.pk)


@login_required
@require_POST
def progress_note(request, pk):
    return _incubation_form_post(
        request,
        pk,
        form_class=ProgressNoteForm,
        service=services.progress_note_save,
        done=_("Progress note saved."),
        context_name="note_form",
    )


@login_required
@require_POST
def incubation_store_open(request, pk):
    """'Open your store': the business gets its organisation under the pesantren, then the store application."""
    incubation = selectors.incubation_get(user=request.user, pk=pk)
    try:
        organisation = services.incubation_store_open(user=request.user, incubation=incubation)
    except DomainError as exc:
        messages.error(request, str(exc))
        return redirect("santri:incubation_detail", incubation.pk)
    except PermissionDenied:
        messages.error(request, _("Only the pesantren admin or the team's santri open the store."))
        return redirect("santri:incubation_detail", incubation.pk)
    request.user._opop_access = None  # the new membership counts from this request on
    return redirect("marketplace:seller_open", slug=organisation.slug)
