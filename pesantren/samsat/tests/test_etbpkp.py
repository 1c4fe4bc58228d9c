"""The simulated e-TBPKP: issued once with every paid payment (answer or status check), never for an unpaid
one; its HTML and PDF pages, scoped to the outlet's counter; and the counter pages around it (kode bayar,
timeout advice, expired bill, the trail's words, no shop search)."""

from datetime import timedelta

import pytest
from django.urls import reverse

from opop.services import DomainError
from pesantren.samsat import services
from pesantren.samsat.models import Bill, ETbpkp, PaymentOutcome
from pesantren.samsat.tests.conftest import NOW
from pesantren.samsat.tests.test_receipt_pdf import MM, media_box, pdf_text

pytestmark = pytest.mark.django_db

TIMEOUT_PAID = ("S 9999 TO", "3517071705790012")
TIMEOUT_UNBOOKED = ("S 9998 TO", "3517076208820013")


def test_a_paid_payment_gets_one_e_tbpkp_with_its_own_number(pay):
    payment = pay()
    document = ETbpkp.objects.get(payment=payment)
    assert document.number == f"SIM-3517-{payment.business_day:%Y%m%d}-{payment.pk:06d}"
    assert document.biller_ref == payment.outcomes.get().biller_ref != ""
    again = services.samsat_etbpkp_issue(payment=payment, biller_ref="other")
    assert again == document and ETbpkp.objects.count() == 1 and again.biller_ref == document.biller_ref


def test_paying_again_with_the_same_key_issues_nothing_new(pay, outlet_a, cashier_a):
    payment = pay()
    services.samsat_payment_make(
        outlet=outlet_a, cashier=cashier_a, idempotency_key=payment.idempotency_key, nik="3517011203900001", now=NOW
    )
    assert ETbpkp.objects.filter(payment=payment).count() == 1


def test_an_uncertain_payment_has_none_until_the_status_check_finds_it_paid(pay, cashier_a):
    payment = pay(plate=TIMEOUT_PAID[0], nik=TIMEOUT_PAID[1])
    assert not ETbpkp.objects.filter(payment=payment).exists()
    with pytest.raises(DomainError):
        services.samsat_etbpkp_issue(payment=payment)
    services.samsat_payment_advise(payment=payment, actor=cashier_a, now=NOW + timedelta(minutes=5))
    assert ETbpkp.objects.get(payment=payment).biller_ref


def test_a_payment_the_biller_never_booked_gets_none(pay, cashier_a):
    payment = pay(plate=TIMEOUT_UNBOOKED[0], nik=TIMEOUT_UNBOOKED[1])
    services.samsat_payment_advise(payment=payment, actor=cashier_a, now=NOW + timedelta(minutes=5))
    assert payment.state == "failed" and not ETbpkp.objects.exists()


def test_a_failed_issue_rolls_back_the_paid_outcome_and_the_status_check_recovers(pay, cashier_a, monkeypatch):
    """Issued inside the outcome's transaction: never a confirmed payment without its e-TBPKP."""
    from pesantren.samsat.models import Payment

    real = services.samsat_etbpkp_issue

    def broken(**kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(services, "samsat_etbpkp_issue", broken)
    with pytest.raises(RuntimeError):
        pay()
    payment = Payment.objects.get()
    assert not payment.outcomes.exists() and payment.state == "pending"
    monkeypatch.setattr(services, "samsat_etbpkp_issue", real)
    services.samsat_payment_advise(payment=payment, actor=cashier_a, now=NOW + timedelta(minutes=5))
    assert ETbpkp.objects.filter(payment=payment).count() == 1


def test_the_e_tbpkp_pages_show_the_number_the_qr_and_simulasi(client, pay, cashier_a):
    payment = pay()
    document = payment.etbpkp
    client.force_login(cashier_a)
    html = client.get(reverse("samsat:etbpkp", args=[payment.outlet.code, payment.pk])).content.decode()
    assert document.number in html and "<svg" in html and "SIMULATION" in html
    assert reverse("samsat:verify", args=[payment.verification_code]) in html
    response = client.get(reverse("samsat:etbpkp_pdf", args=[payment.outlet.code, payment.pk]))
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    assert document.number in text and "SIMULATION" in text and payment.plate in text
    width, height = media_box(response.content)
    assert width == pytest.approx(148 * MM, abs=0.1) and height == pytest.approx(210 * MM, abs=0.1)
    detail = client.get(reverse("samsat:payment", args=[payment.outlet.code, payment.pk])).content.decode()
    assert reverse("samsat:etbpkp", args=[payment.outlet.code, payment.pk]) in detail


@pytest.mark.parametrize("name", ["samsat:etbpkp", "samsat:etbpkp_pdf"])
def test_a_foreign_or_unpaid_e_tbpkp_answers_404(client, pay, outlet_b, cashier_b, cashier_a, name):
    payment = pay()
    client.force_login(cashier_b)
    assert client.get(reverse(name, args=[payment.outlet.code, payment.pk])).status_code == 404
    assert client.get(reverse(name, args=[outlet_b.code, payment.pk])).status_code == 404
    uncertain = pay(plate=TIMEOUT_PAID[0], nik=TIMEOUT_PAID[1])
    client.force_login(cashier_a)
    assert client.get(reverse(name, args=[uncertain.outlet.code, uncertain.pk])).status_code == 404
    client.logout()
    assert client.get(reverse(name, args=[payment.outlet.code, payment.pk])).status_code == 302


def test_the_bill_page_shows_the_kode_bayar(client, outlet_a, cashier_a):
    client.force_login(cashier_a)
    client.post(reverse("samsat:counter", args=[outlet_a.code]), {"plate": "S 1234 AB"})
    bill = Bill.objects.get()
    html = client.get(reverse("samsat:bill", args=[outlet_a.code, bill.idempotency_key])).content.decode()
    assert "Pay code (kode bayar)" in html and bill.pay_code in html


def test_an_expired_bill_offers_to_check_again(client, outlet_a, cashier_a):
    bill = services.samsat_bill_inquire(outlet=outlet_a, cashier=cashier_a, plate="S 1234 AB", now=NOW)
    client.force_login(cashier_a)
    html = client.get(reverse("samsat:bill", args=[outlet_a.code, bill.idempotency_key])).content.decode()
    assert "has expired" in html and "Check S 1234 AB again" in html
    assert f'action="{reverse("samsat:counter", args=[outlet_a.code])}"' in html
    again = client.post(reverse("samsat:counter", args=[outlet_a.code]), {"plate": bill.plate})
    fresh = Bill.objects.exclude(pk=bill.pk).get()
    assert again.url == reverse("samsat:bill", args=[outlet_a.code, fresh.idempotency_key])


def test_the_timeout_page_says_what_to_do_with_the_cash_and_the_trail_reads_in_words(client, pay, cashier_a):
    payment = pay(plate=TIMEOUT_PAID[0], nik=TIMEOUT_PAID[1])
    assert payment.outcomes.get().message == "timeout"  # the machine note stays in the ledger
    client.force_login(cashier_a)
    html = client.get(reverse("samsat:payment", args=[payment.outlet.code, payment.pk])).content.decode()
    assert "Cash already taken:" in html and "do not take the cash a second time" in html
    assert "The biller did not answer in time" in html
    trail = html.split('class="samsat-trail"', 1)[1].split("</ol>", 1)[0]
    assert "· timeout" not in trail


def test_outcome_notes_read_as_words():
    assert PaymentOutcome(message="advice timeout").message_display == "The status check got no answer"
    assert PaymentOutcome(message="biller amount 150000").message_display == (
        "The biller booked a different amount: Rp150.000"
    )
    assert PaymentOutcome(message="Kode bayar kedaluwarsa").message_display == "Kode bayar kedaluwarsa"


def test_counter_pages_leave_out_the_shop_search(client, pay, outlet_a, cashier_a):
    payment = pay()
    client.force_login(cashier_a)
    for url in [
        reverse("samsat:counter", args=[outlet_a.code]),
        reverse("samsat:payment", args=[outlet_a.code, payment.pk]),
        reverse("samsat:days", args=[outlet_a.code]),
        reverse("samsat:history", args=[outlet_a.code]),
    ]:
        assert 'role="search"' not in client.get(url).content.decode(), url
    assert 'role="search"' in client.get(reverse("samsat:outlet_public_list")).content.decode()
