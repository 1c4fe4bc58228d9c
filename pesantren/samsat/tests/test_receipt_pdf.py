"""The receipt as a PDF: each size, the same access rules as the printable page, and what it says."""

import re
import zlib

import pytest
from django.conf import settings as django_settings
from django.urls import reverse

from opop.formatting import format_rupiah
from pesantren.samsat import services

MM = 72 / 25.4  # PDF points per millimetre


def pdf_url(payment, outlet=None, size=None):
    url = reverse("samsat:receipt_pdf", args=[(outlet or payment.outlet).code, payment.pk])
    return f"{url}?size={size}" if size else url


def pdf_strings(content: bytes) -> list[str]:
    """The strings the pages show, in order: page streams inflated (fpdf2 compresses them), Windows-1252. fpdf2
    writes "stream\\n" + data + "\\nendstream"; the data may itself end in a carriage return (one in 256 streams),
    so none is taken for the line end, and the inflater reads what it can without the checksum."""
    strings = []
    for stream in re.findall(rb"stream\n(.*?)\nendstream", content, re.DOTALL):
        try:
            text = zlib.decompressobj().decompress(stream).decode("cp1252")
        except (zlib.error, UnicodeDecodeError):  # an image
            continue
        strings += [re.sub(r"\\(.)", r"\1", s) for s in re.findall(r"\((.*?)(?<!\\)\) Tj", text)]
    return strings


def pdf_text(content: bytes) -> str:
    """The shown strings joined by spaces: a line wrapped by the layout reads as one."""
    return " ".join(pdf_strings(content))


def media_box(content: bytes) -> tuple[float, float]:
    x0, y0, x1, y1 = map(float, re.search(rb"/MediaBox \[([\d. ]+)\]", content).group(1).split())
    return x1 - x0, y1 - y0


@pytest.mark.parametrize(("size", "width_mm"), [("58", 58), ("80", 80), ("a4", 210), (None, 80), ("x", 80)])
def test_each_size_is_a_pdf_of_its_width(client, cashier_a, pay, size, width_mm):
    payment = pay()
    client.force_login(cashier_a)
    response = client.get(pdf_url(payment, size=size))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'inline; filename="struk-{payment.receipt_number}.pdf"'
    assert response.content.startswith(b"%PDF")
    width, height = media_box(response.content)
    assert width == pytest.approx(width_mm * MM, abs=0.1)
    if size == "a4":
        assert height == pytest.approx(297 * MM, abs=0.1)
    else:  # a thermal roll: one page, as long as the receipt
        assert 100 * MM < height < 297 * MM
        assert response.content.count(b"/Type /Page\n") + response.content.count(b"/Type /Page ") <= 1


@pytest.mark.parametrize("size", ["58", "80", "a4"])
def test_pdf_shows_the_receipt(client, cashier_a, pay, size):
    payment = pay()
    client.force_login(cashier_a)
    content = client.get(pdf_url(payment, size=size)).content
    text = pdf_text(content)
    bill = payment.bill
    assert payment.receipt_number in text
    assert format_rupiah(bill.total) in text and "Rp353.720" in text
    assert format_rupiah(bill.pkb) in text
    assert payment.plate in text and bill.owner_masked in text and "Muhammad" not in text
    ntpd = payment.outcomes.get(status="confirmed").biller_ref
    assert ntpd and f"NTPD {ntpd}" in text
    assert bill.pay_code in text
    assert "SIMULATION — NOT A PROOF OF PAYMENT" in text  # the sandbox biller answers in tests
    assert "24-11-2026 10:00" in text  # created at 10:00 WIB
    assert "Total Rp353.720" in text and "Time (WIB) 24-11-2026 10:00" in text
    # the verification link, wrapped anywhere on a narrow roll, under the QR code image
    assert reverse("samsat:verify", args=[payment.verification_code]) in "".join(pdf_strings(content))
    assert b"/Subtype /Image" in content


def test_pdf_marks_copies(client, cashier_a, pay):
    payment = pay()
    services.samsat_receipt_reprint(payment=payment, actor=cashier_a)
    client.force_login(cashier_a)
    assert "COPY #1" in pdf_text(client.get(pdf_url(payment)).content)


def test_pdf_speaks_indonesian_by_default(client, cashier_a, pay):
    payment = pay()
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "id"
    client.force_login(cashier_a)
    text = pdf_text(client.get(pdf_url(payment)).content)
    assert "SIMULASI — BUKAN BUKTI PEMBAYARAN" in text


def test_pdf_of_a_foreign_payment_answers_404(client, outlet_a, outlet_b, cashier_b, pay):
    payment = pay()
    client.force_login(cashier_b)
    assert client.get(pdf_url(payment)).status_code == 404
    assert client.get(pdf_url(payment, outlet=outlet_b)).status_code == 404  # nor through the own outlet


def test_pdf_asks_an_anonymous_visitor_to_log_in(client, pay):
    response = client.get(pdf_url(pay()))
    assert response.status_code == 302 and reverse("account_login") in response.url


def test_receipt_page_links_to_the_pdf(client, cashier_a, pay):
    payment = pay()
    client.force_login(cashier_a)
    html = client.get(reverse("samsat:receipt", args=[payment.outlet.code, payment.pk]) + "?size=58").content
    assert f'{pdf_url(payment)}?size=58"'.encode() in html
