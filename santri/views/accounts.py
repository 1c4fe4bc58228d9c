"""Santri accounts: the admin's invitation pages and guardian confirmations; the santri's own sign-in,
acceptance, and their home ("Beranda santri") with their card, activities, certificates and business."""

from django.contrib import messages
from django.contrib.auth import authenticate, login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from opop.redirects import redirect_next
from opop.services import DomainError
from pesantren.services import is_pesantren_admin
from santri import selectors, services, throttle
from santri.forms import CodeRedeemForm, ConsentDecisionForm, InvitationForm, SantriLoginForm, SetPasswordForm
from santri.models import GuardianConsent
from santri.views.common import form_error, qr_svg, require

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


def _base_url(request) -> str:
    return request.build_absolute_uri("/")[:-1]


# --- the pesantren admin -----------------------------------------------------------------------------


@login_required
def santri_invite(request, pk):
    """Invite (or re-invite) a santri: by e-mail a link is sent; by code a slip is shown once to print."""
    santri = selectors.santri_get(user=request.user, pk=pk)
    require(is_pesantren_admin(user=request.user, pesantren=santri.pesantren))
    form = InvitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            invitation, secret = services.santri_invite(
                user=request.user,
                santri=santri,
                method=form.cleaned_data["method"],
                email=form.cleaned_data["email"],
                base_url=_base_url(request),
            )
        except (ValidationError, DomainError) as exc:
            form_error(form, exc)
        else:
            if invitation.method == "email":
                messages.success(request, _("Invitation sent to %(email)s.") % {"email": invitation.email})
                return redirect("santri:detail", santri.pk)
            response = render(
                request,
                "santri/invitation_slip.html",
                {
                    "santri": santri,
                    "invitation": invitation,
                    "code": services.code_display(secret),
                    "redeem_url": _base_url(request) + reverse("santri:code_redeem"),
                },
            )
            response["Cache-Control"] = "no-store"
            return response
    return render(
        request,
        "santri/invitation_form.html",
        {"form": form, "santri": santri, "open": selectors.santri_open_invitation(santri=santri)},
    )


@login_required
@require_POST
def santri_invitation_revoke(request, pk):
    santri = selectors.santri_get(user=request.user, pk=pk)
    require(is_pesantren_admin(user=request.user, pesantren=santri.pesantren))
    if services.santri_invitation_revoke(user=request.user, santri=santri):
        messages.success(request, _("Invitation revoked."))
    return redirect("santri:detail", santri.pk)


@login_required
@require_POST
def santri_account_unlink(request, pk):
    santri = selectors.santri_get(user=request.user, pk=pk)
    require(is_pesantren_admin(user=request.user, pesantren=santri.pesantren))
    services.santri_account_unlink(user=request.user, santri=santri)
    messages.success(request, _("The santri's account is unlinked; you can invite them again."))
    return redirect("santri:detail", santri.pk)


@login_required
def guardian_consents(request, pesantren_pk):
    pesantren = selectors.pesantren_get(user=request.user, pk=pesantren_pk)
    require(is_pesantren_admin(user=request.user, pesantren=pesantren))
    return render(
        request,
        "santri/guardian_consents.html",
        {
            "pesantren": pesantren,
            "consents": selectors.guardian_consents(pesantren=pesantren),
            "form": ConsentDecisionForm(),
        },
    )


@login_required
@require_POST
def guardian_consent_decide(request, pk):
    consent = selectors.guardian_consent_get(user=request.user, pk=pk)
    form = ConsentDecisionForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        services.guardian_consent_decide(
            user=request.user, consent=consent, approve=request.POST.get("approve") == "1", note=note
        )
    except DomainError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Decision recorded."))
    return redirect("santri:guardian_consents", consent.santri.pesantren_id)


# --- the santri: accepting and signing in ------------------------------------------------------------


def invitation_accept(request, token):
    """The e-mail link: set a password (or, with an existing account, sign in and link it)."""
    try:
        invitation = services.invitation_find(secret=token, method="email")
    except DomainError as exc:
        return render(request, "santri/invitation_invalid.html", {"message": str(exc)}, status=404)
    form = SetPasswordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.invitation_accept(
                secret=token,
                method="email",
                password=form.cleaned_data["password1"],
                user=request.user if request.user.is_authenticated else None,
            )
        except (ValidationError, DomainError) as exc:
            form_error(form, exc)
        else:
            login(request, user, backend=MODEL_BACKEND)
            messages.success(request, _("Welcome! Your santri account is ready."))
            return redirect("santri:me")
    response = render(request, "santri/invitation_accept.html", {"form": form, "invitation": invitation})
    response["Referrer-Policy"] = "no-referrer"
    return response


def code_redeem(request):
    """The slip code: typed with a new password; wrong codes are rate-limited per address."""
    form = CodeRedeemForm(request.POST or None)
    if request.method == "POST":
        if not throttle.allowed(request, "santri_code_failed"):
            form.is_valid()
            form.add_error(None, _("Too many wrong codes. Wait 15 minutes and try again."))
            return render(request, "santri/code_redeem.html", {"form": form}, status=429)
        if form.is_valid():
            try:
                user = services.invitation_accept(
                    secret=form.cleaned_data["code"], method="code", password=form.cleaned_data["password1"]
                )
            except DomainError as exc:
                throttle.spend(request, "santri_code_failed")
                form.add_error("code", str(exc))
            except ValidationError as exc:
                form.add_error("password1", exc.messages)
            else:
                login(request, user, backend=MODEL_BACKEND)
                santri = selectors.santri_of_user(user=user)
                messages.success(
                    request,
                    _("Welcome! From now on you sign in with your Kartu Santri number %(number)s and this password.")
                    % {"number": santri.card_number_display},
                )
                return redirect("santri:me")
    return render(request, "santri/code_redeem.html", {"form": form})


def santri_login(request):
    """Sign-in for santri without e-mail: Kartu Santri number and password."""
    form = SantriLoginForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        number = "".join(ch for ch in form.cleaned_data["card_number"] if ch.isdigit())
        if not throttle.allowed(request, "santri_login_failed", key=number):
            form.add_error(None, _("Too many failed sign-ins. Wait a few minutes and try again."))
            return render(request, "santri/login.html", {"form": form}, status=429)
        user = authenticate(
            request, username=services.login_email_for_card(number), password=form.cleaned_data["password"]
        )
        if user is None:
            throttle.spend(request, "santri_login_failed", key=number)
            form.add_error(None, _("The Kartu Santri number or the password is wrong."))
        else:
            login(request, user, backend=MODEL_BACKEND)
            return redirect_next(request, request.GET.get("next"), "santri:me")  # like the e-mail sign-in
    return render(request, "santri/login.html", {"form": form})


# --- the santri's own home ------------------------------------------------------------------------------


@login_required
def me(request):
    santri = selectors.santri_of_user(user=request.user)
    registrations = list(selectors.santri_registrations(santri=santri))
    registered_ids = {r.event_id for r in registrations}
    waiting = list(selectors.santri_waiting(santri=santri))
    waiting_ids = {w.event_id for w in waiting}
    upcoming = [
        e
        for e in selectors.event_list(user=request.user).order_by("starts_on")[:50]
        if e.pk not in registered_ids and e.pk not in waiting_ids and e.ends_on >= _today()
    ][:10]
    return render(
        request,
        "santri/me.html",
        {
            "santri": santri,
            "registrations": registrations,
            "waiting": waiting,
            "upcoming": upcoming,
            "certificates": [r for r in registrations if r.attended],
            "team_invitations": selectors.santri_team_invitations(santri),
            "businesses": selectors.santri_businesses(santri=santri),
            "consents": selectors.santri_consents(santri=santri),
            "needs_guardian": services.santri_needs_guardian(santri),
            "today": _today(),
            # S308: the SVG is generated by qrcode from our own URL.
            "qr_svg": mark_safe(qr_svg(_base_url(request) + reverse("santri:card_verify", args=[santri.card_token]))),  # noqa: S308
        },
    )


def _today():
    from django.utils import timezone

    return timezone.localdate()


@login_required
def me_certificate(request, pk):
    santri = selectors.santri_of_user(user=request.user)
    registration = selectors.santri_registration_get(santri=santri, pk=pk)
    if not registration.attended:
        messages.error(request, _("A certificate is issued once attendance is recorded."))
        return redirect("santri:me")
    from santri.views.activities import render_activity_certificate

    return render_activity_certificate(request, registration)


@login_required
@require_POST
def me_register(request, event_pk):
    """The santri registers themselves, or joins the waiting list of a full event."""
    santri = selectors.santri_of_user(user=request.user)
    event = selectors.event_get(user=request.user, pk=event_pk)
    try:
        if request.POST.get("waiting") == "1":
            services.waiting_list_join(user=request.user, event=event, santri=santri)
            messages.success(request, _("You are on the waiting list."))
        else:
            services.registration_create(user=request.user, event=event, santri=santri)
            messages.success(request, _("Registered."))
    except DomainError as exc:
        messages.error(request, str(exc))
    return redirect("santri:event_detail", event.pk)


@login_required
@require_POST
def me_cancel(request, pk):
    santri = selectors.santri_of_user(user=request.user)
    registration = selectors.santri_registration_get(santri=santri, pk=pk)
    try:
        services.registration_cancel(user=request.user, registration=registration)
    except DomainError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Registration cancelled."))
    return redirect("santri:me")


@login_required
@require_POST
def me_leave_waiting(request, pk):
    santri = selectors.santri_of_user(user=request.user)
    services.waiting_list_leave(user=request.user, entry=selectors.santri_waiting_get(santri=santri, pk=pk))
    messages.success(request, _("You left the waiting list."))
    return redirect("santri:me")


@login_required
@require_POST
def me_consent_request(request):
    """The santri asks the guardian to confirm a public profile, or publishing one of their businesses."""
    santri = selectors.santri_of_user(user=request.user)
    purpose = request.POST.get("purpose", "")
    target = None
    if purpose == GuardianConsent.Purpose.BUSINESS_PUBLISH:
        target = selectors.santri_businesses(santri=santri).filter(pk=request.POST.get("business") or 0).first()
        if target is None:
            messages.error(request, _("Choose one of your businesses."))
            return redirect("santri:me")
    try:
        consent = services.guardian_consent_request(user=request.user, santri=santri, purpose=purpose, target=target)
    except DomainError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            _("Your pesantren admin has been asked to confirm.") if consent else _("No confirmation is needed."),
        )
    return redirect("santri:me")
