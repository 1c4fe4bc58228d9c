"""Personal data stays where it belongs.

- No page of the demo world shows a santri's full NIK or birth date to anyone, whatever the role: every GET
  URL of the permission matrix is rendered as every role that may open it. They are masked everywhere; the
  pesantren's admins reveal them with a POST that is audited, and download them in the santri export
  (ALLOWED_NIK says where, and why).
- No page shows an e-mail address that the role should not see: every user is named by their display name
  (or "OPOP shopper XXXX" without one), never by the e-mail. ALLOWED_EMAILS lists exactly where an address
  is part of the job, with the reason.
- Every data download (CSV/XLSX) linked from any page is found by crawling the pages each role can open;
  each download leaves one audit event naming who exported what, and a region-scoped staff member's
  downloads hold only their own kabupaten/kota.
"""

import csv
import io
import re
from html import unescape
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from django.db import transaction
from django.test import Client
from django.urls import resolve, reverse
from openpyxl import load_workbook

from opop.models import AuditEvent, KabupatenKota
from tests.permission_expectations import MATRIX
from tests.permission_matrix import url_for
from tests.permission_world import EMAILS, ROLES, build_world

NIK_PREFIX = "35179876"
BIRTH_DATE = "2007-02-19"
BIRTH_DATE_SPELLINGS = [
    "2007-02-19",
    "19/02/2007",
    "19-02-2007",
    "19.02.2007",
    "19 Februari 2007",
    "19 Feb 2007",
    "19 February 2007",
    "February 19, 2007",
    "Feb. 19, 2007",
    "20070219",
]
EXPORT_LINK = re.compile(r"export=(csv|xlsx)|format=csv|template=csv|\.csv(\?|$)|/csv/")
JOMBANG = "35.17"
PHONE = "0812-9988-7766"
STREET = "Jl. Rahasia Pribadi No. 77"


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """The permission world, with every santri given a NIK and a birth date that are easy to spot."""
    from marketplace.models import Address
    from opop.models import User
    from santri.models import Santri

    with django_db_blocker.unblock(), transaction.atomic():
        world = build_world()
        for santri in Santri.objects.all():
            santri.nik = f"{NIK_PREFIX}{santri.pk:08d}"
            santri.birth_date = BIRTH_DATE
            santri.save(update_fields=["nik", "birth_date"])
        # Buyers' contact details: only they and the stores they buy from may see them, never the public.
        User.objects.update(phone=PHONE)
        # Nobody but the demo shopper has a display name, so any page that falls back to the e-mail shows it.
        User.objects.exclude(email=EMAILS["shopper"]).update(full_name="")
        Address.objects.update(phone=PHONE, street=STREET)
        yield world
        transaction.set_rollback(True)


def fetch(world, role: str, url: str):
    client = Client()
    if world.users[role] is not None:
        client.force_login(world.users[role])
    with transaction.atomic():
        response = client.get(url)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        transaction.set_rollback(True)
    return response, body


def pages_for(world, role: str):
    """(name, url, response, body) for every GET URL the matrix says `role` opens with a 200."""
    index = ROLES.index(role)
    for name, (method, row) in sorted(MATRIX.items()):
        if method == "GET" and row.split()[index] == "200":
            url = url_for(name, world)
            response, body = fetch(world, role, url)
            yield name, url, response, body


def leaks(text: str, *, contact: bool = False) -> list[str]:
    found = [f"NIK {match}" for match in re.findall(rf"{NIK_PREFIX}\d{{0,8}}", text)]
    found += [f"birth date {spelling!r}" for spelling in BIRTH_DATE_SPELLINGS if spelling in text]
    if contact:
        found += [f"contact {value!r}" for value in (STREET, "99887766", "9988-7766", "9988 7766") if value in text]
    return found


REGISTRY_KEEPERS = {"seller_a_owner", "seller_a_staff"}
# (url name): (roles, reason) — the only GET pages where a full NIK and birth date may appear.
ALLOWED_NIK = {
    "santri:export": (
        REGISTRY_KEEPERS,
        "the pesantren's admins keep the registry: the export is their re-importable copy, and it is audited",
    ),
}


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_no_page_shows_a_santri_nik_or_birth_date_unmasked(world, role):
    problems, crawled = [], set()
    for name, _url, _response, body in pages_for(world, role):
        crawled.add(name)
        if name in ALLOWED_NIK and role in ALLOWED_NIK[name][0]:
            continue
        text = body.decode(errors="replace")
        problems += [f"{name} as {role}: {leak}" for leak in leaks(text, contact=role == "anonymous")]
    assert problems == [], "\n".join(problems)
    if role in ("seller_a_owner", "staff_region", "staff_province"):
        assert {"santri:detail", "santri:list", "santri:card"} <= crawled
    if role == "anonymous":
        public = {
            "home",
            "reports:public",
            "marketplace:store",
            "marketplace:product",
            "pesantren:public",
            "santri:card_verify",
        }
        assert public <= crawled


def post(world, role: str, url: str, data: dict | None = None):
    """A POST as `role` whose writes (the audit event) are kept for the caller to read; roll back around it."""
    client = Client()
    if world.users[role] is not None:
        client.force_login(world.users[role])
    return client.post(url, data or {})


def _santri(world):
    santri = world.objects["santri"]
    santri.refresh_from_db()
    assert santri.nik.startswith(NIK_PREFIX) and santri.birth_date
    return santri


@pytest.mark.django_db
def test_the_pesantren_admin_reveals_the_nik_with_one_audited_click(world):
    """The seeded values are real: the pesantren's admin can reveal them, so the crawl above would catch a leak."""
    santri = _santri(world)
    _response, body = fetch(world, "seller_a_owner", url_for("santri:detail", world))
    page = body.decode()
    assert santri.nik not in page and santri.nik_masked in page and f"••/••/{santri.birth_date.year}" in page
    assert url_for("santri:reveal", world) in page
    for role in ("seller_a_owner", "seller_a_staff"):
        with transaction.atomic():
            before = AuditEvent.objects.filter(action="santri.nik_revealed").count()
            response = post(world, role, url_for("santri:reveal", world))
            events = list(AuditEvent.objects.filter(action="santri.nik_revealed").order_by("-pk")[:1])
            count = AuditEvent.objects.filter(action="santri.nik_revealed").count()
            transaction.set_rollback(True)
        assert response.status_code == 200 and response["Cache-Control"] == "no-store"
        assert santri.nik in response.content.decode()
        assert count == before + 1
        assert events[0].actor_id == world.users[role].pk
        assert events[0].target_id == str(santri.pk) and events[0].target_type == "santri.santri"
        assert events[0].organisation_id == santri.pesantren.organisation_id


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("anonymous", 302),
        ("shopper", 404),
        ("seller_b_owner", 404),
        ("cashier", 404),
        ("staff_region", 403),
        ("staff_province", 403),
        ("superuser", 403),
    ],
)
def test_nobody_else_reveals_a_nik_and_a_refusal_leaves_no_event(world, role, status):
    santri = _santri(world)
    with transaction.atomic():
        before = AuditEvent.objects.filter(action="santri.nik_revealed").count()
        response = post(world, role, url_for("santri:reveal", world))
        after = AuditEvent.objects.filter(action="santri.nik_revealed").count()
        transaction.set_rollback(True)
    assert response.status_code == status
    assert santri.nik not in response.content.decode()
    assert after == before
    if role == "staff_province":
        _response, body = fetch(world, role, url_for("santri:detail", world))
        assert santri.nik_masked in body.decode() and url_for("santri:reveal", world) not in body.decode()


@pytest.mark.django_db
def test_a_get_on_the_reveal_address_reveals_nothing(world):
    response, body = fetch(world, "seller_a_owner", url_for("santri:reveal", world))
    assert response.status_code == 405 and _santri(world).nik not in body.decode()


@pytest.mark.django_db
def test_the_edit_form_keeps_the_nik_masked_and_an_empty_field_keeps_the_stored_one(world):
    santri = _santri(world)
    _response, body = fetch(world, "seller_a_owner", url_for("santri:edit", world))
    assert santri.nik not in body.decode() and santri.nik_masked in body.decode()
    data = {
        "nis": santri.nis,
        "name": "Nama Baru",
        "nik": "",
        "gender": santri.gender,
        "birth_date": "",
        "entry_year": santri.entry_year,
        "status": santri.status,
    }
    with transaction.atomic():
        response = post(world, "seller_a_owner", url_for("santri:edit", world), data)
        saved = type(santri).objects.get(pk=santri.pk)
        transaction.set_rollback(True)
    assert response.status_code == 302
    assert (saved.name, saved.nik, saved.birth_date) == ("Nama Baru", santri.nik, santri.birth_date)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("seller_a_owner", 200),
        ("seller_a_staff", 200),
        ("staff_region", 403),
        ("staff_province", 403),
        ("cashier", 404),
    ],
)
def test_the_santri_export_has_the_full_nik_only_for_roles_that_may_reveal_it(world, role, status):
    santri = _santri(world)
    with transaction.atomic():
        response, body, events = download(world, role, url_for("santri:export", world))
        transaction.set_rollback(True)
    assert response.status_code == status
    if status == 200:
        rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
        nik_column = rows[0].index("nik")
        assert santri.nik in [row[nik_column] for row in rows[1:]]
        assert [event.action for event in events] == ["santri.exported"]
    else:
        assert NIK_PREFIX not in body.decode(errors="replace") and events == []


@pytest.mark.django_db
def test_the_buyers_contact_is_theirs(world):
    _response, body = fetch(world, "shopper", url_for("marketplace:address_list", world))
    assert STREET in body.decode() and leaks(body.decode(), contact=True)


EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
PESANTREN_FILE = {"seller_a_owner", "seller_a_staff", "staff_region", "staff_province", "superuser"}


def allowed_emails(world) -> dict[str, tuple[set[str], set[str], str]]:
    """{url name: (roles, addresses, reason)}: the only places an e-mail address other than one's own shows."""
    from django.conf import settings

    from marketplace.halal.models import HalalCase
    from marketplace.models import StoreInvitation
    from opop.models import Membership, Organisation
    from pesantren.models import Pesantren

    everyone = set(ROLES)
    pesantren_contacts = set(Pesantren.objects.exclude(email="").values_list("email", flat=True))
    store_teams = set(
        Membership.objects.exclude(organisation__kind=Organisation.Kind.DISKOP).values_list("user__email", flat=True)
    ) | set(StoreInvitation.objects.values_list("email", flat=True))
    companions = set(HalalCase.objects.exclude(assignee=None).values_list("assignee__email", flat=True))
    return {
        "opop:privacy_notice": (
            everyone,
            {settings.PRIVACY_CONTACT_EMAIL},
            "the controller's contact for questions about personal data",
        ),
        "pesantren:detail": (
            PESANTREN_FILE,
            pesantren_contacts,
            "the pesantren's own contact address: its admins keep it, Diskop staff verifying it need it",
        ),
        "pesantren:edit": (PESANTREN_FILE, pesantren_contacts, "the same contact, in the profile form"),
        "marketplace:seller_team": (
            {"seller_a_owner", "seller_b_owner", "superuser"},
            store_teams,
            "the store's owner invites and removes team members by their e-mail address",
        ),
        "halal:case_detail": (
            PESANTREN_FILE,
            companions,
            "the business whose case it is contacts the companion/auditor assigned to it; staff assigned them",
        ),
    }


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_no_page_shows_an_email_address_the_role_should_not_see(world, role):
    own = EMAILS.get(role)
    allowed = allowed_emails(world)
    problems, crawled = [], set()
    for name, _url, response, body in pages_for(world, role):
        crawled.add(name)
        if not response.get("Content-Type", "").startswith(("text/", "application/json")):
            continue
        found = set(EMAIL.findall(body.decode(errors="replace"))) - {own}
        roles, addresses, _reason = allowed.get(name, (set(), set(), ""))
        if role in roles:
            found -= addresses
        problems += [f"{name} as {role}: {address}" for address in sorted(found)]
    assert problems == [], "\n".join(problems)
    if role == "seller_a_owner":
        assert {"marketplace:seller_stock", "marketplace:seller_order_detail", "marketplace:product"} <= crawled


@pytest.mark.django_db
def test_reviews_name_the_buyer_shortened_and_never_by_the_e_mail(world, django_capture_on_commit_callbacks):
    """Reviews show "Siti R."; a buyer who never gave a name shows as "OPOP shopper XXXX", not the e-mail."""
    from marketplace.models import Review
    from opop.privacy import user_profile_update

    review = Review.objects.filter(buyer__email=EMAILS["shopper"]).select_related("buyer", "product").first()
    assert review is not None, "the demo has a review by the shopper"
    buyer, url = review.buyer, review.product.get_absolute_url()
    page = fetch(world, "anonymous", url)[1].decode()
    assert "Siti R." in page and "Rahmawati" not in page
    with transaction.atomic():
        # The product page is cached with its reviews: a changed name must drop it (after the commit).
        with django_capture_on_commit_callbacks(execute=True):
            user_profile_update(user=buyer, full_name="", phone="")
        page = fetch(world, "anonymous", url)[1].decode()
        transaction.set_rollback(True)
    # "Pembeli OPOP 3F2A" / "OPOP shopper 3F2A", whichever the page's language
    assert f" {buyer.name_suffix}" in page and "Siti R." not in page
    assert buyer.email not in page and buyer.email.split("@")[0] not in page


class LinkFinder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            href = dict(attrs).get("href")
            if href:
                self.hrefs.append(unescape(href))


def export_links(world, role: str) -> dict[str, str]:
    """Every download link on every page `role` can open: {absolute path with query: page it was on}."""
    links: dict[str, str] = {}
    for name, url, response, body in pages_for(world, role):
        if not response.get("Content-Type", "").startswith("text/html"):
            continue
        finder = LinkFinder()
        finder.feed(body.decode())
        for href in finder.hrefs:
            absolute = urljoin(url, href)
            if EXPORT_LINK.search(absolute) and urlsplit(absolute).netloc == "":
                links.setdefault(absolute, name)
    return links


def export_text(response, body: bytes) -> str:
    if response["Content-Type"].startswith("text/csv"):
        return "\n".join(",".join(row) for row in csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    workbook = load_workbook(io.BytesIO(body), read_only=True)
    return "\n".join(
        ",".join("" if value is None else str(value) for value in row)
        for sheet in workbook.worksheets
        for row in sheet.iter_rows(values_only=True)
    )


def regions_named(text: str) -> set[str]:
    """Kabupaten/kota codes whose label ("Kab. Jombang", "Kota Malang") appears in an export."""
    return {region.kode for region in KabupatenKota.objects.all() if region.label in text}


def download(world, role: str, url: str):
    before = set(AuditEvent.objects.values_list("pk", flat=True))
    response, body = fetch_kept(world, role, url)
    events = list(AuditEvent.objects.exclude(pk__in=before))
    return response, body, events


def fetch_kept(world, role: str, url: str):
    """Like fetch, but the audit event written by the download is kept for the caller to read (then undone)."""
    client = Client()
    if world.users[role] is not None:
        client.force_login(world.users[role])
    response = client.get(url)
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return response, body


EXPECTED_EXPORTS = {
    "anonymous": {"reports:public"},
    "seller_a_owner": {
        "santri:export",
        "marketplace:seller_sales",
        "marketplace:seller_bulk",
        "marketplace:seller_balance",
        "samsat:day_report",
    },
    "staff_region": {
        "pesantren:staff_export",
        "halal:product_queue_csv",
        "reports:dashboard",
        "reports:regions",
        "reports:region",
        "reports:cohorts",
        "samsat:day_report",
    },
    "staff_province": {"pesantren:staff_export", "halal:product_queue_csv", "reports:dashboard", "reports:regions"},
}


@pytest.mark.django_db
@pytest.mark.parametrize("role", sorted(EXPECTED_EXPORTS))
def test_every_export_is_audited_and_scoped(world, role):
    links = export_links(world, role)
    user = world.users[role]
    exported = set()
    regions_seen: set[str] = set()
    problems = []
    for url in sorted(links):
        with transaction.atomic():
            response, body, events = download(world, role, url)
            transaction.set_rollback(True)
        name = f"{resolve(urlsplit(url).path).namespace}:{resolve(urlsplit(url).path).url_name}".lstrip(":")
        exported.add(name)
        if response.status_code != 200:
            problems.append(f"{url}: {response.status_code}")
            continue
        content_type = response["Content-Type"]
        assert content_type.startswith(("text/csv", "application/vnd.openxmlformats")), (url, content_type)
        if content_type.startswith("text/csv") and not body.startswith("\ufeff".encode()):
            problems.append(f"{url}: no byte-order mark, Excel would garble a non-ASCII name")
        if len(events) != 1 or not events[0].action.endswith(".exported"):
            problems.append(f"{url}: audit events {[e.action for e in events]}")
        elif events[0].actor_id != (user.pk if user else None) or "rows" not in events[0].data:
            problems.append(f"{url}: audit event {events[0].actor_id} {events[0].data}")
        text = export_text(response, body)
        problems += [f"{url}: {leak}" for leak in leaks(text)] if role != "seller_a_owner" else []
        named = regions_named(text)
        regions_seen |= named
        if role == "staff_region" and named - {JOMBANG}:
            problems.append(f"{url}: rows of other regions {sorted(named - {JOMBANG})}")
    assert problems == [], "\n".join(problems)
    assert EXPECTED_EXPORTS[role] <= exported, sorted(exported)
    if role == "staff_region":
        assert JOMBANG in regions_seen
    if role == "staff_province":
        assert len(regions_seen) > 1, "the scope check above would prove nothing if exports named no region"


@pytest.mark.django_db
def test_an_alumnus_downloads_their_alumni_profile_and_the_download_is_audited(world):
    import json

    from opop.models import User

    alumnus = User.objects.get(email="alumni@opop.test")
    client = Client()
    client.force_login(alumnus)
    with transaction.atomic():
        response = client.get(reverse("opop:data_export"))
        events = list(AuditEvent.objects.filter(action="personal_data.exported", actor=alumnus))
        transaction.set_rollback(True)
    data = json.loads(response.content)
    assert data["profile"]["email"] == alumnus.email
    assert data["alumni_profile"] and data["alumni_profile"][0]["businesses"]
    assert data["memberships"] and len(events) == 1
