"""Under the web server the tasks a request commits are published once its response has been sent
(opop.outbox.deliver_after_response, wrapped around opop.wsgi's application): the shopper's redirect does not wait
for the broker, and the rows are committed before, so nothing is lost in between."""

import contextlib

import pytest
from django.db import transaction

from opop import outbox
from opop.models import OutboxMessage

pytestmark = pytest.mark.django_db(transaction=True)

MAIL = {"subject": "Pesanan", "body": "Terima kasih.", "recipients": ["a@opop.test"]}


@pytest.fixture
def sent(monkeypatch):
    published: list[str] = []
    monkeypatch.setattr(outbox, "_is_eager", lambda: False)
    monkeypatch.setattr(outbox, "_producer", contextlib.nullcontext)
    monkeypatch.setattr(outbox, "_send", lambda producer, name, kwargs, task_id: published.append(kwargs["subject"]))
    outbox.reset_breaker()
    yield published
    outbox.reset_breaker()


class Body(list):
    closed = False

    def close(self):
        self.closed = True


def placing_app(environ, start_response):
    """A request that commits two tasks, as a checkout does."""
    with transaction.atomic():
        outbox.enqueue_on_commit("opop.send_mail", MAIL)
        outbox.enqueue_on_commit("opop.send_mail", {**MAIL, "subject": "Kedua"})
    start_response("302 Found", [("Location", "/mart/pesanan/")])
    return Body([b""])


def test_the_tasks_are_published_after_the_response_is_sent_not_before(sent):
    result = outbox.deliver_after_response(placing_app)({}, lambda status, headers: None)
    assert OutboxMessage.objects.count() == 2  # committed with the request's transaction
    assert b"".join(result) == b"" and sent == []  # the response went out with nothing published yet
    result.close()
    assert sent == ["Pesanan", "Kedua"]
    assert not OutboxMessage.objects.exists()
    assert result.result.closed  # Django's own close still runs, after the publishing


def test_a_response_without_tasks_is_passed_through_untouched(sent):
    body = Body([b"ok"])
    app = outbox.deliver_after_response(lambda environ, start_response: body)
    assert app({}, lambda status, headers: None) is body  # a static file keeps the server's sendfile
    assert sent == []


def test_outside_a_request_the_tasks_are_published_right_after_the_commit(sent):
    with transaction.atomic():
        outbox.enqueue_on_commit("opop.send_mail", MAIL)
    assert sent == ["Pesanan"]


def test_a_database_failure_while_publishing_keeps_the_rows_and_still_closes_the_response(sent, monkeypatch):
    def broken(messages):
        raise outbox.OutboxMessage.DoesNotExist("the database went away")

    result = outbox.deliver_after_response(placing_app)({}, lambda status, headers: None)
    monkeypatch.setattr(outbox, "_deliver", broken)
    result.close()  # never raises into the server
    assert result.result.closed
    assert OutboxMessage.objects.count() == 2  # left for the relay


def test_the_web_servers_application_is_wrapped():
    from opop import wsgi

    assert wsgi.application.__qualname__ == outbox.deliver_after_response(None).__qualname__
