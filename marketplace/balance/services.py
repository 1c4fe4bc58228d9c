"""Payouts: a store owner withdraws available balance to the store's bank account; finance staff approve or
reject it, transfer it (bank reference) or record that the transfer failed. Every step is a balance movement
or an audit event, and every step is safe to submit twice."""

import logging
import uuid

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from marketplace.balance.ledger import store_balance
from marketplace.models import BalanceEntry, Payout, Store
from marketplace.seller.access import is_owner
from opop.formatting import format_rupiah
from opop.mail import send_mail_on_commit
from opop.models import Membership, Organisation, User
from opop.permissions import is_programme_finance
from opop.services import DomainError, audit_record

logger = logging.getLogger(__name__)
P = Payout.Status
K = BalanceEntry.Kind


def payout_minimum() -> int:
    return int(getattr(settings, "MARKETPLACE_PAYOUT_MINIMUM", 50000))


def _key(value) -> uuid.UUID:
    try:
        return uuid.UUID(str(value))
    except ValueError:
        raise DomainError(_("This form is damaged; reload the page and try again.")) from None


@transaction.atomic
def payout_request(*, store: Store, actor: User, amount: int, password: str, request_key) -> Payout:
    """Withdraw `amount` of the store's available balance to its registered bank account.

    Only an owner of the store's organisation may, confirming with their password. The store row is locked and
    the available balance re-read inside the transaction, so two requests at once never take more than there
    is. `request_key` (the form's id) makes a second submission of one form return the payout the first made.
    Raises DomainError for a wrong password, an amount under the minimum or over the available balance, or a
    store without a bank account."""
    request_key = _key(request_key)
    if not is_owner(user=actor, store=store):
        raise DomainError(_("Only an owner of the store can withdraw its balance."))
    store = Store.objects.select_for_update().get(pk=store.pk)
    done = Payout.objects.filter(store=store, request_key=request_key).first()
    if done is not None:
        logger.info("marketplace.payout_replayed", extra={"payout": done.pk})
        return done
    if not actor.check_password(password or ""):
        raise DomainError(_("The password is not correct."))
    if not (store.bank_name and store.bank_account_number and store.bank_account_name):
        raise DomainError(_("Register the store's bank account first."))
    if amount < payout_minimum():
        raise DomainError(_("The smallest payout is %(min)s.") % {"min": format_rupiah(payout_minimum())})
    available = store_balance(store=store).available
    if amount > available:
        raise DomainError(
            _("Only %(available)s of the balance is available.") % {"available": format_rupiah(available)}
        )
    payout = Payout.objects.create(
        store=store,
        amount=amount,
        request_key=request_key,
        bank_name=store.bank_name,
        bank_account_number=store.bank_account_number,
        bank_account_name=store.bank_account_name,
        requested_by=actor,
    )
    BalanceEntry.objects.create(
        store=store, payout=payout, kind=K.PAYOUT_REQUEST, actor=actor, available=-amount, in_payout=amount
    )
    _tell_finance(payout)
    audit_record(
        actor=actor,
        action="marketplace.payout_requested",
        organisation=store.organisation,
        target=payout,
        data={"amount": amount, "bank": payout.bank_name, "account": payout.bank_account_number},
    )
    return payout


def _locked(payout: Payout) -> Payout:
    return Payout.objects.select_for_update().select_related("store__organisation").get(pk=payout.pk)


def _check_finance(actor: User) -> None:
    if not is_programme_finance(user=actor):
        raise DomainError(_("Only platform finance staff decide on payouts."))


def _decided(payout: Payout, action: str, actor: User, **data) -> Payout:
    audit_record(
        actor=actor,
        action=f"marketplace.payout_{action}",
        organisation=payout.store.organisation,
        target=payout,
        data={"amount": payout.amount, **data},
    )
    _notify(payout)
    return payout


def _notify(payout: Payout) -> None:
    """Tell the store's owners what became of their payout (sent after the commit)."""
    owners = Membership.objects.filter(organisation_id=payout.store.organisation_id, role=Membership.Role.OWNER)
    _mail(payout, "payout_status", owners)


def _tell_finance(payout: Payout) -> None:
    """Tell the platform's finance staff a payout waits for them (sent after the commit)."""
    staff = Membership.objects.filter(organisation__kind=Organisation.Kind.DISKOP, role=Membership.Role.FINANCE)
    _mail(payout, "payout_requested", staff)


def _mail(payout: Payout, template: str, memberships) -> None:
    recipients = list(memberships.values_list("user__email", flat=True).order_by("user__email"))
    context = {"payout": payout, "store": payout.store}
    subject = " ".join(render_to_string(f"marketplace/email/{template}_subject.txt", context).split())
    send_mail_on_commit(
        subject=subject, body=render_to_string(f"marketplace/email/{template}.txt", context), recipients=recipients
    )


def _return(payout: Payout, actor: User, note: str) -> None:
    BalanceEntry.objects.create(
        store_id=payout.store_id,
        payout=payout,
        kind=K.PAYOUT_RETURN,
        actor=actor,
        in_payout=-payout.amount,
        available=payout.amount,
        note=note[:250],
    )


@transaction.atomic
def payout_approve(*, payout: Payout, actor: User) -> Payout:
    """Finance approves a requested payout for transfer. Approving it again changes nothing."""
    _check_finance(actor)
    payout = _locked(payout)
    if payout.status == P.APPROVED:
        return payout
    if payout.status != P.REQUESTED:
        raise DomainError(_("Only a requested payout can be approved."))
    payout.status, payout.decided_by, payout.decided_at = P.APPROVED, actor, timezone.now()
    payout.save(update_fields=["status", "decided_by", "decided_at", "updated_at"])
    return _decided(payout, "approved", actor)


def _refuse(
    *, payout: Payout, actor: User, reason: str, source: str, target: str, step: str, wrong_status, no_reason
) -> Payout:
    """Refuse a payout at its `source` step with a reason: it becomes `target`, recorded as `<step>_by` and
    `<step>_at`, and the amount returns to the store's available balance. Refusing it again changes nothing."""
    _check_finance(actor)
    reason = (reason or "").strip()
    payout = _locked(payout)
    if payout.status == target:
        return payout
    if payout.status != source:
        raise DomainError(wrong_status)
    if not reason:
        raise DomainError(no_reason)
    payout.status, payout.reason = target, reason
    setattr(payout, f"{step}_by", actor)
    setattr(payout, f"{step}_at", timezone.now())
    payout.save(update_fields=["status", f"{step}_by", f"{step}_at", "reason", "updated_at"])
    _return(payout, actor, reason)
    return _decided(payout, str(target), actor, reason=reason)


@transaction.atomic
def payout_reject(*, payout: Payout, actor: User, reason: str) -> Payout:
    """Finance rejects a requested payout; the amount returns to the store's available balance."""
    return _refuse(
        payout=payout,
        actor=actor,
        reason=reason,
        source=P.REQUESTED,
        target=P.REJECTED,
        step="decided",
        wrong_status=_("Only a requested payout can be rejected."),
        no_reason=_("Tell the store why the payout is rejected."),
    )


@transaction.atomic
def payout_mark_transferred(*, payout: Payout, actor: User, bank_reference: str) -> Payout:
    """Finance records that the bank transferred an approved payout, with the bank's reference. The amount
    leaves the balance as paid out. The same reference again changes nothing."""
    _check_finance(actor)
    bank_reference = (bank_reference or "").strip()
    payout = _locked(payout)
    if payout.status == P.TRANSFERRED and payout.bank_reference == bank_reference:
        return payout
    if payout.status != P.APPROVED:
        raise DomainError(_("Only an approved payout can be marked transferred."))
    if not bank_reference:
        raise DomainError(_("Give the bank's reference of the transfer."))
    payout.status, payout.closed_by, payout.closed_at = P.TRANSFERRED, actor, timezone.now()
    payout.bank_reference = bank_reference
    payout.save(update_fields=["status", "closed_by", "closed_at", "bank_reference", "updated_at"])
    BalanceEntry.objects.create(
        store_id=payout.store_id,
        payout=payout,
        kind=K.PAYOUT_PAID,
        actor=actor,
        in_payout=-payout.amount,
        paid_out=payout.amount,
        note=bank_reference[:250],
    )
    return _decided(payout, "transferred", actor, bank_reference=bank_reference)


@transaction.atomic
def payout_mark_failed(*, payout: Payout, actor: User, reason: str) -> Payout:
    """Finance records that the bank could not transfer an approved payout (closed account, wrong name…); the
    amount returns to the store's available balance."""
    return _refuse(
        payout=payout,
        actor=actor,
        reason=reason,
        source=P.APPROVED,
        target=P.FAILED,
        step="closed",
        wrong_status=_("Only an approved payout can fail."),
        no_reason=_("Tell the store why the transfer failed."),
    )
