"""Curation pages: the listing queue (approve / reject with a reason) and the policy rules (province staff)."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from marketplace.catalogue import curation
from marketplace.catalogue.selectors import category_tree
from marketplace.models import CurationRule
from opop.services import DomainError

PAGE_SIZE = 20


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason the seller sees"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )


class RuleForm(forms.Form):
    category_slug = forms.ChoiceField(label=_("Category (with its subcategories)"))
    requires_curation = forms.BooleanField(label=_("Listings need review"), required=False, initial=True)
    effective_from = forms.DateField(label=_("Effective from"), widget=forms.DateInput(attrs={"type": "date"}))
    effective_until = forms.DateField(
        label=_("Effective until (inclusive)"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    note = forms.CharField(label=_("Note"), max_length=250, required=False)

    def __init__(self, *args, current_slug: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        nodes = {node.pk: node for node in category_tree()}
        choices = [
            (node.slug, f"{nodes[node.parent_id].name} > {node.name}" if node.parent_id in nodes else node.name)
            for node in nodes.values()
        ]
        if current_slug and current_slug not in {slug for slug, _label in choices}:
            choices.append((current_slug, f"{current_slug} ({_('no such category yet')})"))
        self.fields["category_slug"].choices = choices

    def clean(self):
        data = super().clean()
        start, end = data.get("effective_from"), data.get("effective_until")
        if start and end and end < start:
            self.add_error("effective_until", _("The end comes before the start."))
        return data


def _curator(request):
    if not curation.is_curator(user=request.user):
        raise PermissionDenied


@login_required
def queue(request):
    _curator(request)
    page = Paginator(curation.curation_queue(user=request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = curation.with_change_rows(page.object_list)
    return render(
        request,
        "marketplace/staff/curation_queue.html",
        {"page_obj": page, "reject_form": RejectForm(), "may_edit_policy": curation.may_edit_policy(user=request.user)},
    )


def _revision_or_404(request, pk):
    revision = curation.revisions_for(user=request.user).filter(pk=pk).first()
    if revision is None:
        raise Http404
    return revision


@login_required
@require_POST
def approve(request, pk):
    revision = _revision_or_404(request, pk)
    try:
        curation.listing_approve(revision=revision, actor=request.user)
    except DomainError as exc:
        messages.info(request, str(exc))
    else:
        messages.success(request, _("Listing approved; the seller is told by e-mail."))
    return redirect("marketplace:curation_queue")


@login_required
@require_POST
def reject(request, pk):
    revision = _revision_or_404(request, pk)
    form = RejectForm(request.POST)
    try:
        if not form.is_valid():
            raise DomainError(_("Tell the seller why the listing is rejected."))
        curation.listing_reject(revision=revision, actor=request.user, reason=form.cleaned_data["reason"])
    except DomainError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Listing rejected; the seller sees your reason."))
    return redirect("marketplace:curation_queue")


def _policy_staff(request):
    if not curation.may_edit_policy(user=request.user):
        raise PermissionDenied


@login_required
def rules(request):
    _policy_staff(request)
    form = RuleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            curation.curation_rule_save(actor=request.user, **form.cleaned_data)
        except DomainError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Curation rule saved."))
            return redirect("marketplace:curation_rules")
    nodes = {node.slug: node for node in category_tree()}
    rows = list(CurationRule.objects.select_related("changed_by").order_by("category_slug", "-effective_from"))
    in_force = {rule.pk for rule in curation.rules_in_force()}
    for rule in rows:
        rule.category = nodes.get(rule.category_slug)
        rule.in_force = rule.pk in in_force
    return render(request, "marketplace/staff/curation_rules.html", {"rules": rows, "form": form})


@login_required
def rule_edit(request, pk):
    _policy_staff(request)
    rule = CurationRule.objects.filter(pk=pk).first()
    if rule is None:
        raise Http404
    initial = {
        name: getattr(rule, name)
        for name in ("category_slug", "requires_curation", "effective_from", "effective_until", "note")
    }
    form = RuleForm(request.POST or None, initial=initial, current_slug=rule.category_slug)
    if request.method == "POST" and form.is_valid():
        try:
            curation.curation_rule_save(actor=request.user, rule=rule, **form.cleaned_data)
        except DomainError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Curation rule saved."))
            return redirect("marketplace:curation_rules")
    return render(request, "marketplace/staff/curation_rule_form.html", {"rule": rule, "form": form})
