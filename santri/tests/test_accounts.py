"""Santri accounts: invitations by e-mail and by printed code, the link, the santri's own home, the age
rule and the audit of what an admin does on a santri's behalf."""

import re
from datetime import date, timedelta

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from opop.models import AuditEvent, User
from opop.services import DomainError
from santri import services
from santri.models import GuardianConsent, SantriInvitation
from santri.tests.factories import SantriFactory

pytestmark = pytest.mark.django_db
PASSWORD = "kopi-santri-2026!"


@pytest.fixture(autouse=True)
def _english_pages(client):
    """Pages are Indonesian-first; these tests read them in English (the msgids)."""
    client.cookies["django_language"] = "en"


def _code_invite(admin, santri):
    _invitation, code = services.santri_invite(user=admin, santri=santri, method="code")
    return code


# --- invitations ------------------------------------------------------------------------------------


def test_an_email_invitation_sends_an_absolute_link_that_makes_a_verified_linked_account(
    client, pes_a, admin_a, django_capture_on_commit_callbacks
):
    santri = SantriFactory(pesantren=pes_a)
    client.force_login(admin_a)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("santri:invite", args=[santri.pk]), {"method": "email", "email": "Fauzan@Example.id"}
        )
    assert response.status_code == 302
    assert mail.outbox[-1].to == ["fauzan@example.id"]
    link = re.search(r"https?://\S+/santri/undangan/\S+/", mail.outbox[-1].body).group(0)
    invitation = SantriInvitation.objects.get(santri=santri)
    token = link.rstrip("/").rsplit("/", 1)[1]
    assert invitation.secret_hash != token and token not in invitation.secret_hash
    client.logout()
    response = client.post(link, {"password1": PASSWORD, "password2": PASSWORD})
    assert response.status_code == 302 and response.url == reverse("santri:me")
    santri.refresh_from_db()
    assert santri.user.email == "fauzan@example.id" and santri.user.check_password(PASSWORD)
    assert santri.user.emailaddress_set.get().verified
    # Used once: the same link is now refused.
    assert client.get(link).status_code == 404
    assert client.get(reverse("santri:me")).status_code == 200


def test_a_code_invitation_is_single_use_and_the_santri_signs_in_with_the_card_number(client, pes_a, admin_a):
    santri = SantriFactory(pesantren=pes_a)
    client.force_login(admin_a)
    response = client.post(reverse("santri:invite", args=[santri.pk]), {"method": "code"})
    code = response.context["code"]
    assert re.fullmatch(r"[A-HJ-KM-NP-Z2-9]{4}-[A-HJ-KM-NP-Z2-9]{4}", code)
    assert response["Cache-Control"] == "no-store" and code in response.content.decode()
    client.logout()
    typed = code.lower().replace("-", " ")  # forgiving: lower case, a space instead of the dash
    response = client.post(reverse("santri:code_redeem"), {"code": typed, "password1": PASSWORD, "password2": PASSWORD})
    assert response.status_code == 302
    santri.refresh_from_db()
    assert santri.user is not None and santri.user.email.endswith(".invalid")
    client.logout()
    again = client.post(reverse("santri:code_redeem"), {"code": code, "password1": PASSWORD, "password2": PASSWORD})
    assert again.status_code == 200 and "tidak berlaku" in again.content.decode()
    response = client.post(reverse("santri:login"), {"card_number": santri.card_number_display, "password": PASSWORD})
    assert response.status_code == 302 and response.url == reverse("santri:me")
    assert client.get(reverse("santri:me")).context["santri"] == santri


def test_an_expired_code_and_a_wrong_code_are_refused(client, pes_a, admin_a):
    santri = SantriFactory(pesantren=pes_a)
    code = _code_invite(admin_a, santri)
    SantriInvitation.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    with pytest.raises(DomainError, match="not valid"):
        services.invitation_accept(secret=code, method="code", password=PASSWORD)
    with pytest.raises(DomainError, match="not valid"):
        services.invitation_accept(secret="ABCD2345", method="code", password=PASSWORD)
    santri.refresh_from_db()
    assert santri.user is None and not User.objects.filter(email__endswith=".invalid").exists()


def test_wrong_codes_are_rate_limited_per_address_even_for_a_right_code_after(client, pes_a, admin_a):
    santri = SantriFactory(pesantren=pes_a)
    code = _code_invite(admin_a, santri)
    url = reverse("santri:code_redeem")
    for _i in range(5):
        response = client.post(url, {"code": "WRNG2345", "password1": PASSWORD, "password2": PASSWORD})
        assert response.status_code == 200
    response = client.post(url, {"code": code, "password1": PASSWORD, "password2": PASSWORD})
    assert response.status_code == 429
    santri.refresh_from_db()
    assert santri.user is None
    other = client.post(url, {"code": code, "password1": PASSWORD, "password2": PASSWORD}, REMOTE_ADDR="10.0.0.9")
    assert other.status_code == 302


def test_reissue_revokes_the_previous_invitation_and_revoke_ends_it(pes_a, admin_a):
    santri = SantriFactory(pesantren=pes_a)
    first = _code_invite(admin_a, santri)
    second = _code_invite(admin_a, santri)
    with pytest.raises(DomainError):
        services.invitation_accept(secret=first, method="code", password=PASSWORD)
    services.santri_invitation_revoke(user=admin_a, santri=santri)
    with pytest.raises(DomainError):
        services.invitation_accept(secret=second, method="code", password=PASSWORD)
    assert SantriInvitation.objects.filter(revoked_at=None).count() == 0


def test_only_the_santris_own_admin_invites_and_a_linked_santri_is_not_invited_again(client, pes_a, admin_a, admin_b):
    santri = SantriFactory(pesantren=pes_a)
    with pytest.raises(PermissionDenied):
        services.santri_invite(user=admin_b, santri=santri, method="code")
    client.force_login(admin_b)
    assert client.get(reverse("santri:invite", args=[santri.pk])).status_code == 404
    assert client.post(reverse("santri:invitation_revoke", args=[santri.pk])).status_code == 404
    services.invitation_accept(secret=_code_invite(admin_a, santri), method="code", password=PASSWORD)
    santri.refresh_from_db()
    with pytest.raises(DomainError, match="already has an account"):
        services.santri_invite(user=admin_a, santri=santri, method="code")


def test_an_existing_account_with_the_invited_address_must_sign_in_to_link(client, pes_a, admin_a, shopper):
    santri = SantriFactory(pesantren=pes_a)
    _inv, token = services.santri_invite(user=admin_a, santri=santri, method="email", email=shopper.email)
    with pytest.raises(DomainError, match="sign in"):
        services.invitation_accept(secret=token, method="email", password=PASSWORD)
    services.invitation_accept(secret=token, method="email", password="", user=shopper)
    santri.refresh_from_db()
    assert santri.user == shopper


def test_unlinking_stops_a_code_account_signing_in(client, pes_a, admin_a):
    santri = SantriFactory(pesantren=pes_a)
    user = services.invitation_accept(secret=_code_invite(admin_a, santri), method="code", password=PASSWORD)
    services.santri_account_unlink(user=admin_a, santri=santri)
    user.refresh_from_db()
    santri.refresh_from_db()
    assert santri.user is None and not user.is_active
    response = client.post(reverse("santri:login"), {"card_number": santri.card_number, "password": PASSWORD})
    assert response.status_code == 200


# --- the santri's own home ----------------------------------------------------------------------------


def _linked(admin, santri):
    return services.invitation_accept(secret=_code_invite(admin, santri), method="code", password=PASSWORD)


def test_the_santri_home_shows_only_their_own_data_and_foreign_ids_answer_404(client, pes_a, admin_a, province_staff):
    from santri.tests.test_activities import _event

    me, other = SantriFactory(pesantren=pes_a, name="Aku Santri"), SantriFactory(pesantren=pes_a, name="Teman Lain")
    event = _event(province_staff, quota=5)
    theirs = services.registration_create(user=admin_a, event=event, santri=other)
    client.force_login(_linked(admin_a, me))
    html = client.get(reverse("santri:me")).content.decode()
    assert "Aku Santri" in html and "Teman Lain" not in html and me.card_number_display in html
    assert client.get(reverse("santri:me_certificate", args=[theirs.pk])).status_code == 404
    assert client.post(reverse("santri:me_cancel", args=[theirs.pk])).status_code == 404
    assert client.get(reverse("santri:certificate", args=[theirs.pk])).status_code == 404
    assert client.get(reverse("santri:detail", args=[other.pk])).status_code == 404
    assert client.get(reverse("santri:list", args=[pes_a.pk])).status_code == 404


def test_a_user_without_a_santri_profile_has_no_santri_home(client, admin_a):
    client.force_login(admin_a)
    assert client.get(reverse("santri:me")).status_code == 404


def _email_santri(admin, santri, email="fauzan@example.id"):
    _invitation, secret = services.santri_invite(user=admin, santri=santri, method="email", email=email)
    return services.invitation_accept(secret=secret, method="email", password=PASSWORD)


def test_every_santri_lands_on_their_home_after_signing_in_unless_a_next_is_given(client, pes_a, admin_a, shopper):
    _email_santri(admin_a, SantriFactory(pesantren=pes_a))
    response = client.post(reverse("account_login"), {"login": "fauzan@example.id", "password": PASSWORD})
    assert response.status_code == 302 and response.url == reverse("santri:me")
    client.logout()
    next_url = reverse("santri:competition_list")
    response = client.post(
        f"{reverse('account_login')}?next={next_url}", {"login": "fauzan@example.id", "password": PASSWORD}
    )
    assert response.status_code == 302 and response.url == next_url  # the sign-in still returns where you were
    client.logout()
    by_code = SantriFactory(pesantren=pes_a)
    _linked(admin_a, by_code)
    card = {"card_number": by_code.card_number_display, "password": PASSWORD}
    assert client.post(reverse("santri:login"), card).url == reverse("santri:me")
    client.logout()
    assert client.post(f"{reverse('santri:login')}?next={next_url}", card).url == next_url
    client.logout()
    assert client.post(f"{reverse('santri:login')}?next=https://evil.example/", card).url == reverse("santri:me")
    client.logout()
    shopper.set_password(PASSWORD)
    shopper.save()
    EmailAddress.objects.update_or_create(
        user=shopper, email=shopper.email, defaults={"verified": True, "primary": True}
    )
    response = client.post(reverse("account_login"), {"login": shopper.email, "password": PASSWORD})
    assert response.status_code == 302 and response.url == reverse("home")  # not a santri: the usual landing


def test_a_santri_has_a_menu_entry_to_their_home_and_nobody_else_does(client, pes_a, admin_a, shopper):
    client.force_login(_email_santri(admin_a, SantriFactory(pesantren=pes_a)))
    urls = [item.url for item in client.get(reverse("santri:competition_list")).context["nav_items"]]
    assert reverse("santri:me") in urls
    for other in (shopper, admin_a):
        client.force_login(other)
        urls = [item.url for item in client.get(reverse("santri:competition_list")).context["nav_items"]]
        assert reverse("santri:me") not in urls


def test_the_santri_registers_and_cancels_themselves(client, pes_a, admin_a, province_staff):
    from santri.tests.test_activities import _event

    santri = SantriFactory(pesantren=pes_a)
    event = _event(province_staff, quota=5)
    client.force_login(_linked(admin_a, santri))
    assert client.post(reverse("santri:me_register", args=[event.pk])).status_code == 302
    registration = santri.registrations.get()
    event_audit = AuditEvent.objects.get(action="santri.event_registered")
    assert "on_behalf_of" not in event_audit.data
    assert client.post(reverse("santri:me_cancel", args=[registration.pk])).status_code == 302
    assert not santri.registrations.exists()


def test_the_santri_home_lists_their_pending_team_invitations_only(client, pes_a, admin_a, province_staff):
    from santri.tests.competition_helpers import competition_open

    santri, other = SantriFactory(pesantren=pes_a), SantriFactory(pesantren=pes_a)
    user = _linked(admin_a, santri)
    santri.refresh_from_db()
    competition = competition_open(province_staff)
    proposal = services.proposal_start(
        user=admin_a, competition=competition, pesantren=pes_a, team_name="Tim Kopi", title="Kopi Santri"
    )
    services.team_invite(user=admin_a, proposal=proposal, santri=santri)
    services.team_invite(user=admin_a, proposal=proposal, santri=other)  # no account: joins at once
    client.force_login(user)
    body = client.get(reverse("santri:me")).content.decode()
    assert "Tim Kopi" in body and "Kopi Santri" in body
    assert "No team invitations." not in body


# --- the age rule ------------------------------------------------------------------------------------


def test_under_17_needs_the_guardian_and_17_starts_on_the_birthday():
    from santri.models import Santri

    santri = Santri(birth_date=date(2009, 12, 3))
    assert services.santri_needs_guardian(santri, today=date(2026, 12, 2))  # 16, the day before
    assert not services.santri_needs_guardian(santri, today=date(2026, 12, 3))  # 17 today
    assert services.santri_age(santri, today=date(2026, 12, 2)) == 16
    leap = Santri(birth_date=date(2008, 2, 29))
    assert services.santri_needs_guardian(leap, today=date(2025, 2, 28))
    assert not services.santri_needs_guardian(leap, today=date(2025, 3, 1))
    assert services.santri_needs_guardian(Santri(birth_date=None), today=date(2026, 12, 3))


def test_a_guardian_confirmation_is_asked_approved_by_the_own_admin_only_and_grants(client, pes_a, admin_a, admin_b):
    young = SantriFactory(pesantren=pes_a, birth_date=timezone.localdate().replace(year=timezone.localdate().year - 15))
    adult = SantriFactory(pesantren=pes_a, birth_date=date(2000, 1, 1))
    user = _linked(admin_a, young)
    young.refresh_from_db()
    purpose = GuardianConsent.Purpose.PUBLIC_PROFILE
    assert services.guardian_consent_request(user=admin_a, santri=adult, purpose=purpose) is None
    assert services.guardian_consent_granted(santri=adult, purpose=purpose)
    consent = services.guardian_consent_request(user=user, santri=young, purpose=purpose)
    assert services.guardian_consent_request(user=user, santri=young, purpose=purpose) == consent
    assert not services.guardian_consent_granted(santri=young, purpose=purpose)
    with pytest.raises(PermissionDenied):
        services.guardian_consent_decide(user=admin_b, consent=consent, approve=True)
    client.force_login(admin_b)
    assert (
        client.post(reverse("santri:guardian_consent_decide", args=[consent.pk]), {"approve": "1"}).status_code == 404
    )
    assert client.get(reverse("santri:guardian_consents", args=[pes_a.pk])).status_code == 404
    client.force_login(admin_a)
    assert client.get(reverse("santri:guardian_consents", args=[pes_a.pk])).status_code == 200
    client.post(reverse("santri:guardian_consent_decide", args=[consent.pk]), {"approve": "1", "note": "ok"})
    consent.refresh_from_db()
    assert consent.status == "approved" and consent.decided_by == admin_a
    assert services.guardian_consent_granted(santri=young, purpose=purpose)
    with pytest.raises(DomainError, match="already decided"):
        services.guardian_consent_decide(user=admin_a, consent=consent, approve=False)


def test_the_santri_asks_for_their_business_and_cannot_name_anothers(client, pes_a, admin_a):
    from santri.models import SantriBusiness

    young = SantriFactory(pesantren=pes_a, birth_date=None)
    other = SantriFactory(pesantren=pes_a)
    mine = SantriBusiness.objects.create(pesantren=pes_a, name="Keripik", sector="food", started_on=date(2025, 1, 1))
    mine.members.add(young)
    theirs = SantriBusiness.objects.create(pesantren=pes_a, name="Batik", sector="fashion", started_on=date(2025, 1, 1))
    theirs.members.add(other)
    client.force_login(_linked(admin_a, young))
    url = reverse("santri:me_consent_request")
    client.post(url, {"purpose": "business_publish", "business": theirs.pk})
    assert not GuardianConsent.objects.exists()
    client.post(url, {"purpose": "business_publish", "business": mine.pk})
    consent = GuardianConsent.objects.get()
    assert (consent.target_type, consent.target_id, consent.santri) == ("santri.santribusiness", str(mine.pk), young)


# --- acting on behalf -----------------------------------------------------------------------------------


def test_what_an_admin_does_for_a_santri_is_audited_as_on_their_behalf(pes_a, admin_a, province_staff):
    from santri.tests.test_activities import _event

    santri = SantriFactory(pesantren=pes_a)
    event = _event(province_staff, quota=1)
    registration = services.registration_create(user=admin_a, event=event, santri=santri)
    recorded = AuditEvent.objects.get(action="santri.event_registered")
    assert recorded.actor == admin_a and recorded.data["on_behalf_of"] == santri.pk
    services.registration_cancel(user=admin_a, registration=registration)
    cancelled = AuditEvent.objects.get(action="santri.event_registration_cancelled")
    assert cancelled.actor == admin_a and cancelled.data["on_behalf_of"] == santri.pk
    _code_invite(admin_a, santri)
    assert AuditEvent.objects.get(action="santri.account_invited").data["on_behalf_of"] == santri.pk
