"""Personal data stays where it belongs.

- A santri's NIK and birth date never appear on a page anyone without a role at the pesantren can open:
  every URL of the permission matrix is rendered anonymously (and as a shopper), public transparency, store
  and Kartu Santri verification pages included.
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
from django.urls import resolve
from openpyxl import load_workbook

from opop.models import AuditEvent, KabupatenKota
from opop.tests.permission_expectations import MATRIX
from opop.tests.permission_matrix import url_for
from opop.tests.permission_world import ROLES, build_world

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


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["anonymous", "shopper", "seller_b_owner"])
def test_no_page_shows_a_santri_nik_or_birth_date_to_outsiders(world, role):
    problems, crawled = [], set()
    for name, _url, _response, body in pages_for(world, role):
        crawled.add(name)
        text = body.decode(errors="replace")
        problems += [f"{name} as {role}: {leak}" for leak in leaks(text, contact=role == "anonymous")]
    assert problems == [], "\n".join(problems)
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


@pytest.mark.django_db
def test_the_santri_own_pesantren_does_see_the_nik(world):
    """The seeded values are real: the pesantren's admin sees them, so the test above would catch a leak."""
    santri = world.objects["santri"]
    _response, body = fetch(world, "seller_a_owner", url_for("santri:edit", world))
    assert santri.nik in body.decode()
    _response, body = fetch(world, "seller_a_owner", url_for("santri:export", world))
    assert santri.nik in body.decode("utf-8-sig")
    _response, body = fetch(world, "shopper", url_for("marketplace:address_list", world))
    assert STREET in body.decode() and leaks(body.decode(), contact=True)


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
