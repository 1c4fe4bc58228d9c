"""E-mail that leaves only after the commit, and a switch to mute it while demo history is replayed.

Mail is a Celery task (`opop.send_mail`, or an app's own rendering task) queued through the outbox: eager
in dev and tests (sent in-process right after the commit, as before), sent by a worker with a broker, and
kept in the outbox while the broker is down.
"""

from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from opop.outbox import enqueue_on_commit

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


def enqueue_mail_on_commit(task_name: str, kwargs: dict[str, Any]) -> None:
    """Queue a mail-sending task after the commit (through the outbox), unless mail is muted right now."""
    if not _muted.get():
        enqueue_on_commit(task_name, kwargs)


def send_mail_on_commit(*, subject: str, body: str, recipients: list[str]) -> None:
    if recipients:
        message = {"subject": str(subject), "body": str(body), "recipients": list(recipients)}
        enqueue_mail_on_commit("opop.send_mail", message)
