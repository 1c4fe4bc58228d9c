"""E-mail that leaves only after the commit, and a switch to mute it while demo history is replayed.

Mail is a Celery task (`opop.send_mail`, or an app's own rendering task) queued through the outbox: eager
in dev and tests (sent in-process right after the commit, as before), sent by a worker with a broker, and
kept in the outbox while the broker is down.
"""

import re
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from opop.outbox import enqueue_all_on_commit, enqueue_on_commit

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


def enqueue_mails_on_commit(task_name: str, kwargs_list: list[dict[str, Any]]) -> None:
    """enqueue_mail_on_commit for several mails of one task, stored with one INSERT (a checkout's orders)."""
    if not _muted.get():
        enqueue_all_on_commit(task_name, kwargs_list)


def send_mail_on_commit(*, subject: str, body: str, recipients: list[str]) -> None:
    if recipients:
        message = {"subject": str(subject), "body": str(body), "recipients": list(recipients)}
        enqueue_mail_on_commit("opop.send_mail", message)


SUBJECT_PREFIX = "[OPOP Jatim] "
# A site path standing alone in a text e-mail ("Open the case: /halal/kasus/12/"): not part of a URL already.
_RELATIVE_LINK = re.compile(r"(?<![\w/:.\-])(/[a-z0-9][\w\-./%]*[\w/](?:\?[\w\-.=&%]+)?)(?=[\s)\].,;!?]|$)", re.I)
_OTHER_PREFIXES = re.compile(r"^\s*(\[(?:OPOP(?: Jatim| Mart)?|example\.com|[\d.:]+)\]\s*)+", re.I)


def site_url(path: str = "/") -> str:
    """An absolute link to `path` on the configured site address (settings.SITE_URL), for e-mail and files."""
    from django.conf import settings

    return settings.SITE_URL.rstrip("/") + "/" + path.lstrip("/")


def mail_brand(*, subject: str, body: str) -> tuple[str, str]:
    """Every e-mail the portal sends passes here: one brand in the subject, every site path made absolute.

    The subject gets exactly one "[OPOP Jatim] " (another prefix — "[OPOP]", "[127.0.0.1:8017]" — is replaced);
    a path such as "/mart/pesanan/OPM-1/" in the body becomes "https://<SITE_URL>/mart/pesanan/OPM-1/".
    """
    subject = " ".join(str(subject).split())
    subject = SUBJECT_PREFIX + _OTHER_PREFIXES.sub("", subject).strip()
    body = _RELATIVE_LINK.sub(lambda match: site_url(match.group(1)), str(body))
    return subject, body
