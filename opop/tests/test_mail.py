from django.core import mail

from opop.mail import mail_is_muted, mail_muted, send_mail_on_commit


def test_mail_leaves_only_after_the_commit(django_capture_on_commit_callbacks, db):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        send_mail_on_commit(subject="Laporan diverifikasi", body="Terima kasih.", recipients=["a@opop.test"])
    assert mail.outbox == []
    callbacks[0]()
    assert [m.to for m in mail.outbox] == [["a@opop.test"]]


def test_muted_mail_is_never_scheduled(django_capture_on_commit_callbacks, db):
    with django_capture_on_commit_callbacks(execute=True) as callbacks, mail_muted():
        assert mail_is_muted()
        send_mail_on_commit(subject="x", body="y", recipients=["a@opop.test"])
    assert callbacks == [] and mail.outbox == []
    assert not mail_is_muted()


def test_no_recipients_no_mail(django_capture_on_commit_callbacks, db):
    with django_capture_on_commit_callbacks() as callbacks:
        send_mail_on_commit(subject="x", body="y", recipients=[])
    assert callbacks == []
