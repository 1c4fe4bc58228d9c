"""The pages: the counter flow, receipts, scoping (a foreign id is a 404), staff and public pages."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from opop.models import AuditEvent
from opop.services import DomainError
from opop.tests.exports import NON_ASCII, assert_csv_export
from pesantren.samsat import services
from pesantren.samsat.models import Bill, DayClose, Outlet, Payment, ReceiptPrint, Reversal, SandboxBooking
from pesantren.samsat.tests.factories import OutletFactory

pytestmark = pytest.mark.django_db


def pay_now(outlet, cashier, plate="S 1234 AB", nik="3517011203900001"):
    bill = services.samsat_bill_inquire(outlet=outlet, cashier=cashier, plate=plate)
    return services.samsat_payment_make(outlet=outlet, cashier=cashier, idempotency_key=bill.idempotency_key, nik=nik)


def test_cashier_serves_a_customer_from_inquiry_to_receipt(client, outlet_a, cashier_a):
    client.force_login(cashier_a)
    response = client.get(reverse("samsat:counter_home"))
    assert response.status_code == 302 and response.url == reverse("samsat:counter", args=[outlet_a.code])
    response = client.post(reverse("samsat:counter", args=[outlet_a.code]), {"plate": "s 1234 ab"})
    bill = Bill.objects.get()
    assert response.url == reverse("samsat:bill", args=[outlet_a.code, bill.idempotency_key])
    page = client.get(response.url)
    html = page.content.decode()
    assert "Mu****** Ri*** Ra******" in html and "Muhammad" not in html
    assert "Rp126.720" in html and "Rp353.720" in html
    assert str(bill.idempotency_key) in html
    data = {"idempotency_key": bill.idempotency_key, "nik": "3517011203900001", "chassis_last5": ""}
    first = client.post(response.url, data)
    payment = Payment.objects.get()
    assert first.url == reverse("samsat:payment", args=[outlet_a.code, payment.pk])
    # double click, refresh, resubmission: same receipt, one payment
    assert client.post(response.url, data).url == first.url
    assert client.get(response.url).url == first.url
    assert Payment.objects.count() == 1 and SandboxBooking.objects.count() == 1
    detail = client.get(first.url)
    assert detail.status_code == 200 and payment.receipt_number in detail.content.decode()
    receipt = client.get(reverse("samsat:receipt", args=[outlet_a.code, payment.pk]) + "?size=58")
    html = receipt.content.decode()
    assert "size-58" in html and "<svg" in html and "SIMULATION" in html
    assert reverse("samsat:verify", args=[payment.verification_code]) in html
    assert "COPY" not in html


def test_counter_shows_refusals_on_the_form(client, outlet_a, cashier_a):
    client.force_login(cashier_a)
    for plate, message in [
        ("B 1234 ABC", "not an East Java plate"),
        ("M 8899 KL", "blocked"),
        ("S 7777 XX", "No vehicle"),
    ]:
        response = client.post(reverse("samsat:counter", args=[outlet_a.code]), {"plate": plate})
        assert response.status_code == 200
        assert message in response.content.decode()
    assert not Bill.objects.exists()


def test_pay_form_refuses_a_wrong_nik_and_keeps_the_bill(client, outlet_a, cashier_a):
    client.force_login(cashier_a)
    bill = services.samsat_bill_inquire(outlet=outlet_a, cashier=cashier_a, plate="S 1234 AB")
    url = reverse("samsat:bill", args=[outlet_a.code, bill.idempotency_key])
    response = client.post(url, {"idempotency_key": bill.idempotency_key, "nik": "1111111111111111"})
    assert "does not match" in response.content.decode()
    response = client.post(url, {"idempotency_key": bill.idempotency_key})
    assert "Enter the owner&#x27;s NIK" in response.content.decode()
    assert not Payment.objects.exists()


def test_timeout_page_offers_only_the_status_check(client, outlet_a, cashier_a):
    client.force_login(cashier_a)
    payment = pay_now(outlet_a, cashier_a, plate="S 9999 TO", nik="3517071705790012")
    page = client.get(reverse("samsat:payment", args=[outlet_a.code, payment.pk])).content.decode()
    assert "Run status check" in page and "Print receipt" not in page
    assert client.get(reverse("samsat:receipt", args=[outlet_a.code, payment.pk])).status_code == 404
    client.post(reverse("samsat:advise", args=[outlet_a.code, payment.pk]))
    page = client.get(reverse("samsat:payment", args=[outlet_a.code, payment.pk])).content.decode()
    assert "Print receipt" in page


def test_reprint_is_logged_and_marked_as_a_copy(client, outlet_a, cashier_a):
    client.force_login(cashier_a)
    payment = pay_now(outlet_a, cashier_a)
    response = client.post(reverse("samsat:reprint", args=[outlet_a.code, payment.pk]), {"size": "a4"})
    assert response.url.endswith("?size=a4")
    assert "COPY #1" in client.get(response.url).content.decode()
    assert ReceiptPrint.objects.count() == 1


def test_supervisor_reverses_and_closes_the_day(client, outlet_a, cashier_a, supervisor_a, settings):
    settings.SAMSAT_REVERSAL_CUTOFF = "23:59"
    payment = pay_now(outlet_a, cashier_a)
    other = pay_now(outlet_a, cashier_a, plate="AG 1234 XY", nik="3571014402920004")
    client.force_login(cashier_a)
    client.post(reverse("samsat:reverse", args=[outlet_a.code, payment.pk]), {"reason": "Salah plat nomor"})
    assert not Reversal.objects.exists()
    client.force_login(supervisor_a)
    page = client.get(reverse("samsat:payment", args=[outlet_a.code, payment.pk])).content.decode()
    assert "Reverse this payment" in page
    client.post(reverse("samsat:reverse", args=[outlet_a.code, payment.pk]), {"reason": "Salah plat nomor"})
    assert Reversal.objects.get().payment == payment
    today = timezone.localdate().isoformat()
    response = client.post(
        reverse("samsat:day_close", args=[outlet_a.code]), {"day": today, "counted_cash": other.total}
    )
    assert response.url == reverse("samsat:day_report", args=[outlet_a.code, today])
    close = DayClose.objects.get()
    assert close.difference == 0 and close.balanced
    page = client.get(response.url).content.decode()
    assert "Balanced" in page and "Reversed on both sides" in page


@pytest.mark.parametrize("name", ["counter", "history", "days"])
def test_foreign_outlet_pages_answer_404(client, outlet_a, outlet_b, cashier_b, name):
    client.force_login(cashier_b)
    assert client.get(reverse(f"samsat:{name}", args=[outlet_a.code])).status_code == 404
    assert client.get(reverse(f"samsat:{name}", args=[outlet_b.code])).status_code == 200


@pytest.mark.parametrize("name", ["payment", "receipt"])
def test_foreign_payment_answers_404(client, outlet_a, outlet_b, cashier_a, cashier_b, name):
    payment = pay_now(outlet_a, cashier_a)
    client.force_login(cashier_b)
    assert client.get(reverse(f"samsat:{name}", args=[outlet_a.code, payment.pk])).status_code == 404
    # nor through the cashier's own outlet code
    assert client.get(reverse(f"samsat:{name}", args=[outlet_b.code, payment.pk])).status_code == 404


@pytest.mark.parametrize("name", ["advise", "reverse", "reprint"])
def test_foreign_payment_actions_answer_404(client, outlet_a, outlet_b, cashier_a, cashier_b, name):
    payment = pay_now(outlet_a, cashier_a)
    client.force_login(cashier_b)
    assert (
        client.post(reverse(f"samsat:{name}", args=[outlet_b.code, payment.pk]), {"reason": "x" * 10}).status_code
        == 404
    )
    assert (
        client.post(reverse(f"samsat:{name}", args=[outlet_a.code, payment.pk]), {"reason": "x" * 10}).status_code
        == 404
    )


def test_foreign_bill_and_day_close_answer_404(client, outlet_a, outlet_b, cashier_a, cashier_b):
    bill = services.samsat_bill_inquire(outlet=outlet_a, cashier=cashier_a, plate="S 1234 AB")
    client.force_login(cashier_b)
    assert client.get(reverse("samsat:bill", args=[outlet_b.code, bill.idempotency_key])).status_code == 404
    assert client.get(reverse("samsat:bill", args=[outlet_a.code, bill.idempotency_key])).status_code == 404
    response = client.post(reverse("samsat:day_close", args=[outlet_a.code]), {"day": "2026-11-24", "counted_cash": 0})
    assert response.status_code == 404
    assert client.get(reverse("samsat:day_report", args=[outlet_a.code, "2026-11-24"])).status_code == 404


def test_diskop_staff_read_outlets_of_their_region_but_do_not_work_the_counter(
    client, outlet_a, outlet_b, jombang_staff, province_staff
):
    client.force_login(jombang_staff)
    assert client.get(reverse("samsat:history", args=[outlet_a.code])).status_code == 200
    assert client.get(reverse("samsat:history", args=[outlet_b.code])).status_code == 404
    assert client.get(reverse("samsat:counter", args=[outlet_a.code])).status_code == 404
    assert client.get(reverse("samsat:staff_outlet_edit", args=[outlet_b.code])).status_code == 404
    listing = client.get(reverse("samsat:staff_outlet_list")).content.decode()
    assert outlet_a.code in listing and outlet_b.code not in listing
    client.force_login(province_staff)
    listing = client.get(reverse("samsat:staff_outlet_list")).content.decode()
    assert outlet_a.code in listing and outlet_b.code in listing


def test_staff_register_an_outlet_through_the_form(client, province_staff, pesantren_b):
    client.force_login(province_staff)
    response = client.post(
        reverse("samsat:staff_outlet_create"),
        {
            "organisation": pesantren_b.pk,
            "name": "Kopontren Sidogiri Samsat",
            "address": "Jl. Raya Sidogiri, Kraton",
            "opening_hours": "Sabtu-Kamis 08.00-14.00",
            "latitude": "-7.6100",
            "longitude": "112.8300",
            "is_laku_pandai_agent": "on",
        },
    )
    assert response.status_code == 302
    outlet = Outlet.objects.get()
    assert outlet.code == "SMO3514001" and outlet.is_laku_pandai_agent
    assert AuditEvent.objects.filter(action="samsat.outlet.registered").exists()


def test_shoppers_and_pesantren_admins_cannot_reach_staff_pages(client, shopper, admin_a):
    for user in (shopper, admin_a):
        client.force_login(user)
        assert client.get(reverse("samsat:staff_outlet_list")).status_code == 404
        assert client.get(reverse("samsat:staff_outlet_create")).status_code == 404


def test_public_outlet_list_by_region_with_laku_pandai_and_map(client, outlet_a, outlet_b):
    Outlet.objects.filter(pk=outlet_b.pk).update(is_laku_pandai_agent=True)
    OutletFactory(organisation=outlet_a.organisation, name="Tutup", is_active=False)
    html = client.get(reverse("samsat:outlet_public_list")).content.decode()
    assert "Kab. Jombang" in html and "Kab. Pasuruan" in html
    assert "Laku Pandai" in html and "google.com/maps" in html and "Tutup" not in html
    html = client.get(reverse("samsat:outlet_public_list"), {"kabupaten_kota": "35.14"}).content.decode()
    assert "Kopontren Sidogiri" in html and "Kopontren Darul Ulum" not in html


def test_public_verification_page_marks_the_simulation(client, outlet_a, cashier_a):
    payment = pay_now(outlet_a, cashier_a)
    html = client.get(reverse("samsat:verify", args=[payment.verification_code])).content.decode()
    assert "SIMULATION" in html and "S 1234 AB" in html and "Rp353.720" in html and "Muhammad" not in html
    assert client.get(reverse("samsat:verify", args=["nope"])).status_code == 404


def test_history_costs_a_fixed_number_of_queries(client, outlet_a, cashier_a, django_assert_max_num_queries):
    client.force_login(cashier_a)
    plates = [("S 1234 AB", "3517011203900001"), ("AG 1234 XY", "3571014402920004")]
    for plate, nik in plates:
        pay_now(outlet_a, cashier_a, plate=plate, nik=nik)
    with django_assert_max_num_queries(12):
        small = client.get(reverse("samsat:history", args=[outlet_a.code]))
    for plate, nik in [
        ("S 2468 JA", "3517050909910007"),
        ("N 8080 FA", "3514064807960008"),
        ("S 4821 KD", "3517024506850002"),
    ]:
        pay_now(outlet_a, cashier_a, plate=plate, nik=nik)
    with django_assert_max_num_queries(12):
        large = client.get(reverse("samsat:history", args=[outlet_a.code]))
    assert len(re.findall("<tr>", large.content.decode())) > len(re.findall("<tr>", small.content.decode()))
    with django_assert_max_num_queries(12):
        client.get(reverse("samsat:days", args=[outlet_a.code]))
    with django_assert_max_num_queries(14):
        client.get(reverse("samsat:counter", args=[outlet_a.code]))


def test_every_page_renders_for_its_roles(client, outlet_a, cashier_a, supervisor_a, province_staff, superuser):
    payment = pay_now(outlet_a, cashier_a)
    today = timezone.localdate().isoformat()
    pages = {
        None: [reverse("samsat:outlet_public_list"), reverse("samsat:verify", args=[payment.verification_code])],
        cashier_a: [
            reverse("samsat:counter_home"),
            reverse("samsat:counter", args=[outlet_a.code]),
            reverse("samsat:payment", args=[outlet_a.code, payment.pk]),
            reverse("samsat:receipt", args=[outlet_a.code, payment.pk]),
            reverse("samsat:history", args=[outlet_a.code]),
            reverse("samsat:days", args=[outlet_a.code]),
            reverse("samsat:day_report", args=[outlet_a.code, today]),
        ],
        supervisor_a: [reverse("samsat:day_report", args=[outlet_a.code, today])],
        province_staff: [
            reverse("samsat:staff_outlet_list"),
            reverse("samsat:staff_outlet_create"),
            reverse("samsat:staff_outlet_edit", args=[outlet_a.code]),
            reverse("samsat:history", args=[outlet_a.code]),
        ],
        superuser: [reverse("samsat:staff_outlet_list"), reverse("samsat:days", args=[outlet_a.code])],
    }
    for user, urls in pages.items():
        client.logout()
        if user is not None:
            client.force_login(user)
        for url in urls:
            assert client.get(url).status_code in (200, 302), url


def test_counter_pages_need_a_login(client, outlet_a):
    response = client.get(reverse("samsat:counter", args=[outlet_a.code]))
    assert response.status_code == 302 and "/akun/" in response.url


def test_the_counter_speaks_indonesian_by_default(client, outlet_a, cashier_a):
    client.cookies.clear()
    client.force_login(cashier_a)
    html = client.get(reverse("samsat:counter", args=[outlet_a.code])).content.decode()
    assert "Cek tagihan" in html and "Pembayaran hari ini" in html


def test_admin_lists_policy_and_a_read_only_ledger(client, superuser, outlet_a, cashier_a):
    payment = pay_now(outlet_a, cashier_a)
    client.force_login(superuser)
    for model in [
        "pkbrate",
        "opsenrate",
        "latefeerule",
        "swdklljtariff",
        "outletfeerule",
        "outlet",
        "payment",
        "dayclose",
    ]:
        assert client.get(reverse(f"admin:samsat_{model}_changelist")).status_code == 200, model
    assert client.get(reverse("admin:samsat_payment_change", args=[payment.pk])).status_code == 200
    assert client.get(reverse("admin:samsat_payment_add")).status_code == 403
    assert client.get(reverse("admin:samsat_pkbrate_add")).status_code == 200


def test_day_report_downloads_as_csv(client, outlet_a, cashier_a, supervisor_a):
    payment = pay_now(outlet_a, cashier_a)
    services.samsat_day_close(
        outlet=outlet_a, business_day=payment.business_day, counted_cash=payment.total, actor=supervisor_a
    )
    client.force_login(supervisor_a)
    response = client.get(
        reverse("samsat:day_report", args=[outlet_a.code, payment.business_day.isoformat()]), {"format": "csv"}
    )
    assert response["Content-Type"].startswith("text/csv")
    body = response.content.decode()
    assert payment.receipt_number in body and "confirmed" in body and "353720" in body


def test_counter_lists_sandbox_plates_while_the_sandbox_is_the_biller(client, outlet_a, cashier_a):
    client.force_login(cashier_a)
    html = client.get(reverse("samsat:counter", args=[outlet_a.code])).content.decode()
    assert "S 9999 TO" in html and "3517011203900001" in html


def test_staff_and_public_lists_cost_a_fixed_number_of_queries(
    client, province_staff, outlet_a, outlet_b, cashier_a, django_assert_max_num_queries
):
    pay_now(outlet_a, cashier_a)
    for n in range(5):
        OutletFactory(organisation=outlet_b.organisation, name=f"Gerai tambahan {n}")
    with django_assert_max_num_queries(4):
        client.get(reverse("samsat:outlet_public_list"))
    client.force_login(province_staff)
    with django_assert_max_num_queries(10):
        client.get(reverse("samsat:staff_outlet_list"))


def test_a_laku_pandai_only_point_is_listed_but_takes_no_payments(client, pesantren_b, outlet_a, admin_b):
    agent = OutletFactory(
        organisation=pesantren_b,
        name="Agen Laku Pandai Sidogiri",
        takes_samsat_payments=False,
        is_laku_pandai_agent=True,
    )
    with pytest.raises(DomainError, match="not an active Samsat OPOP counter"):
        services.samsat_bill_inquire(outlet=agent, cashier=admin_b, plate="S 1234 AB")
    html = client.get(reverse("samsat:outlet_public_list")).content.decode()
    assert "Agen Laku Pandai Sidogiri" in html
    client.force_login(admin_b)
    assert client.get(reverse("samsat:counter", args=[agent.code])).status_code == 404


def test_a_listed_point_is_a_counter_or_an_agent(province_staff, outlet_a):
    with pytest.raises(DomainError, match="counter, a Laku Pandai agent, or both"):
        services.samsat_outlet_update(
            actor=province_staff, outlet=outlet_a, takes_samsat_payments=False, is_laku_pandai_agent=False
        )


def test_region_staff_cannot_register_an_outlet_outside_their_region(client, jombang_staff, pesantren_b):
    client.force_login(jombang_staff)
    response = client.post(
        reverse("samsat:staff_outlet_create"),
        {
            "organisation": pesantren_b.pk,
            "name": "X",
            "address": "Y",
            "opening_hours": "Z",
            "takes_samsat_payments": "on",
        },
    )
    assert response.status_code == 200
    assert not Outlet.objects.exists()


def test_the_samsat_day_csv_has_the_bom_and_one_audit_event(client, outlet_a, cashier_a, supervisor_a):
    from pesantren.samsat.models import Outlet as OutletModel

    payment = pay_now(outlet_a, cashier_a)
    OutletModel.objects.filter(pk=outlet_a.pk).update(name=f"Samsat {NON_ASCII}")
    client.force_login(supervisor_a)
    response = client.get(
        reverse("samsat:day_report", args=[outlet_a.code, payment.business_day.isoformat()]), {"format": "csv"}
    )
    # The file holds codes, not names: the receipt number stands in for the round trip.
    rows = assert_csv_export(
        response, action="samsat.day.exported", actor=supervisor_a, contains=payment.receipt_number
    )
    assert rows[0][0] == "outlet" and rows[1][2] == payment.receipt_number


def test_the_history_keeps_its_filters_on_the_next_page(client, outlet_a, cashier_a, monkeypatch):
    from django.core.paginator import Paginator

    from pesantren.samsat import views

    monkeypatch.setattr(views, "Paginator", lambda rows, _per_page: Paginator(rows, 1))
    first = pay_now(outlet_a, cashier_a, plate="S 1234 AB", nik="3517011203900001")
    pay_now(outlet_a, cashier_a, plate="AG 1234 XY", nik="3571014402920004")
    client.force_login(cashier_a)
    day = first.business_day.isoformat()
    response = client.get(reverse("samsat:history", args=[outlet_a.code]), {"day": day})
    assert f'href="?day={day}&amp;page=2" rel="next"' in response.content.decode()
    page_two = client.get(reverse("samsat:history", args=[outlet_a.code]), {"day": day, "page": 2})
    assert page_two.context["page"].paginator.count == 2 and page_two.context["form"]["day"].value() == day
    assert f'href="?day={day}&amp;page=1" rel="prev"' in page_two.content.decode()
