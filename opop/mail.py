"""E-mail that leaves only after the commit, and a switch to mute it while demo history is replayed."""

from collections.abc import Callable
from contextlib import contextmanager
from contextvars import ContextVar

from django.core.mail import send_mail
from django.db import transaction

_muted: ContextVar[bool] = ContextVar("opop_mail_muted", default=False)


@contextmanager
def mail_muted():
    """Within this block no e-mail is scheduled (seed_demo writes history nobody should be mailed about)."""
    token = _muted.set(True)
    try:
        yield
    finally:
        _muted.reset(token)


def mail_is_muted() -> bool:
    return _muted.get()


def on_commit_unless_muted(send: Callable[[], object]) -> None:
    """Run `send` after the current transaction commits, unless mail is muted right now."""
    if not _muted.get():
        transaction.on_commit(send)


def send_mail_on_commit(*, subject: str, body: str, recipients: list[str]) -> None:
    if recipients:
        on_commit_unless_muted(lambda: send_mail(subject, body, None, recipients, fail_silently=False))
