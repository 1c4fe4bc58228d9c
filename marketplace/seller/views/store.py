"""Store settings (everyone in the team), bank account and team (owners only: staff get 404)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from marketplace.catalogue.services import shipping_rate_set
from marketplace.models import StoreInvitation
from marketplace.seller import access, services, team
from marketplace.seller.access import seller_view
from marketplace.seller.forms import (
    BankForm,
    InviteForm,
    RoleForm,
    ShippingRateDeleteForm,
    ShippingRateForm,
    ShippingRuleForm,
    ShippingServicesForm,
    StoreForm,
    StoreOriginForm,
)
from marketplace.shipping import services as shipping
from marketplace.shipping.quotes import ZONE_CHOICES, service_label
from opop.models import Membership
from opop.services import DomainError
from opop.web import form_error


def _owner_only(request):
    if not request.seller_is_owner:
        raise Http404


@seller_view
def store_settings(request, store):
    form = StoreForm(request.POST or None, request.FILES or None, instance=store)
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in services.STORE_FIELDS}
        try:
            services.store_update(store=store, actor=request.user, logo=form.cleaned_data.get("logo_upload"), **data)
        except (DomainError, ValidationError) as exc:
            messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
        else:
            messages.success(request, _("Store settings saved."))
            return redirect("marketplace:seller_settings")
    store.refresh_from_db()
    return render(
        request,
        "marketplace/seller/settings.html",
        {
            "store": store,
            "form": form,
            "rate_form": ShippingRateForm(),
            "services_form": ShippingServicesForm(initial={"services": store.courier_services}),
            "rule_form": ShippingRuleForm(),
            "rules": [
                {
                    **rule,
                    "zone_label": dict(ZONE_CHOICES).get(rule.get("zone"), ""),
                    "service_label": service_label(rule["service"]) if rule.get("service") else "",
                }
                for rule in store.shipping_rules or []
            ],
            "rates": store.shipping_rates.select_related("kabupaten_kota").order_by("kabupaten_kota__kode"),
            "is_owner": request.seller_is_owner,
            "origin_region": access.store_region(store),
        },
    )


@seller_view
@require_POST
def shipping_rate(request, store):
    if request.POST.get("delete"):
        delete = ShippingRateDeleteForm(request.POST)
        if delete.is_valid():
            services.shipping_rate_delete(store=store, rate_id=delete.cleaned_data["delete"])
            messages.success(request, _("Shipping rate removed."))
        else:
            messages.error(request, _("That shipping rate does not exist."))
        return redirect("marketplace:seller_settings")
    form = ShippingRateForm(request.POST)
    if form.is_valid():
        shipping_rate_set(store=store, **form.cleaned_data)
        messages.success(request, _("Shipping rate saved."))
    else:
        messages.error(request, _("Choose a regency/city and a price."))
    return redirect("marketplace:seller_settings")


@seller_view
@require_POST
def shipping_services(request, store):
    """The couriers' services the store offers, and its free-shipping / flat-rate rules (add or remove one)."""
    try:
        if "services" in request.POST or request.POST.get("form") == "services":
            form = ShippingServicesForm(request.POST)
            if not form.is_valid():
                raise DomainError(_("Unknown shipping service."))
            shipping.store_services_set(store=store, actor=request.user, services=form.cleaned_data["services"])
            messages.success(request, _("Shipping services saved."))
        elif request.POST.get("remove_rule", "").isdigit():
            shipping.store_rule_remove(store=store, actor=request.user, index=int(request.POST["remove_rule"]))
            messages.success(request, _("Shipping rule removed."))
        else:
            form = ShippingRuleForm(request.POST)
            if not form.is_valid():
                raise DomainError(_("Choose the kind of rule, where it applies and the amounts."))
            data = form.cleaned_data
            shipping.store_rule_add(
                store=store, actor=request.user, kind=data["kind"], zone=data["zone"],
                min_subtotal=data["min_subtotal"], price=data["price"] or 0, service=data["service"],
            )  # fmt: skip
            messages.success(request, _("Shipping rule saved."))
    except DomainError as exc:
        messages.error(request, str(exc))
    return redirect("marketplace:seller_settings")


@seller_view
def bank_settings(request, store):
    _owner_only(request)
    form = BankForm(request.POST or None, instance=store)
    if request.method == "POST" and form.is_valid():
        try:
            services.store_bank_update(store=store, actor=request.user, **form.cleaned_data)
        except (DomainError, ValidationError) as exc:
            messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
        else:
            messages.success(request, _("Bank account saved."))
            return redirect("marketplace:seller_settings")
    return render(request, "marketplace/seller/bank.html", {"store": store, "form": form})


@seller_view
def origin_settings(request, store):
    """The owner changes the ship-from address through the one address widget; couriers quote from it."""
    _owner_only(request)
    form = StoreOriginForm(request.POST or None, instance=store)
    if request.method == "POST" and not form.address_refresh and form.is_valid():
        try:
            services.store_origin_update(store=store, actor=request.user, **form.address_values())
        except (DomainError, ValidationError) as exc:
            form_error(form, exc)
        else:
            messages.success(request, _("Ship-from address saved; shipping quotes use it from now on."))
            return redirect("marketplace:seller_settings")
    return render(request, "marketplace/seller/origin.html", {"store": store, "form": form})


@seller_view
def team_list(request, store):
    _owner_only(request)
    form = InviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            team.invitation_send(
                store=store, actor=request.user, base_url=request.build_absolute_uri("/")[:-1], **form.cleaned_data
            )
        except DomainError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("Invitation sent to %(email)s.") % {"email": form.cleaned_data["email"]})
            return redirect("marketplace:seller_team")
    members = Membership.objects.filter(
        organisation_id=store.organisation_id, role__in=("owner", "staff")
    ).select_related("user")
    invitations = StoreInvitation.objects.filter(store=store, accepted_at__isnull=True, revoked=False)
    return render(
        request,
        "marketplace/seller/team.html",
        {"store": store, "form": form, "members": members, "invitations": invitations, "role_form": RoleForm()},
    )


def _membership(store, pk):
    membership = Membership.objects.select_related("user").filter(organisation_id=store.organisation_id, pk=pk).first()
    if membership is None:
        raise Http404
    return membership


@seller_view
@require_POST
def team_member(request, store, pk, action):
    _owner_only(request)
    membership = _membership(store, pk)
    try:
        if action == "remove":
            team.member_remove(store=store, membership=membership, actor=request.user)
            messages.success(request, _("%(name)s left the team.") % {"name": membership.user.get_full_name()})
        else:
            form = RoleForm(request.POST)
            if not form.is_valid():
                raise DomainError(_("Choose owner or staff."))
            team.member_set_role(store=store, membership=membership, role=form.cleaned_data["role"], actor=request.user)
            messages.success(request, _("Role saved."))
    except DomainError as exc:
        messages.error(request, str(exc))
    return redirect("marketplace:seller_team")


@seller_view
@require_POST
def invitation_withdraw(request, store, pk):
    _owner_only(request)
    if not StoreInvitation.objects.filter(store=store, pk=pk, accepted_at__isnull=True).update(revoked=True):
        raise Http404
    messages.success(request, _("Invitation withdrawn."))
    return redirect("marketplace:seller_team")


@login_required
def invitation_accept(request, token):
    try:
        invitation = team.invitation_from_token(token)
    except DomainError as exc:
        return render(request, "marketplace/seller/invitation.html", {"error": str(exc)}, status=400)
    if request.method == "POST":
        try:
            team.invitation_accept(token=token, user=request.user)
        except DomainError as exc:
            messages.error(request, str(exc))
        else:
            request.user._opop_access = None
            request.session["seller_store"] = invitation.store_id
            messages.success(request, _("Welcome to the team of %(store)s.") % {"store": invitation.store.name})
            return redirect("marketplace:seller_dashboard")
    return render(request, "marketplace/seller/invitation.html", {"invitation": invitation})
