"""Each page speaks one language: the demo's pages, crawled as each role, in English carry no Indonesian UI
words, and in Bahasa Indonesia no English ones.

Only the page's chrome is read — labels, buttons, table headers, legends, summaries, navigation, the empty
choice of a select, and the placeholder / aria-label / title attributes — so people's own content (product,
store and pesantren names, descriptions, addresses) may be in any language. Words are matched whole and
case-sensitively.
"""

from html.parser import HTMLParser

import pytest
from django.conf import settings
from django.db import transaction
from django.test import Client

from tests.permission_expectations import MATRIX
from tests.permission_matrix import url_for
from tests.permission_world import build_world
from tests.ui_words import CHROME_ATTRIBUTES, CHROME_TAGS, CHROME_TITLE_TAGS, INDONESIAN_WORDS, foreign_words, pattern

# Roles whose pages are crawled: every kind of user (the other roles open the same pages on other objects).
CRAWLED_ROLES = ["anonymous", "shopper", "seller_a_owner", "cashier", "staff_region", "staff_province"]


class ChromeText(HTMLParser):
    """The text of a page's chrome, one string per element or attribute."""

    VOID = {"input", "img", "br", "hr", "meta", "link", "source", "area", "col", "embed", "wbr", "track"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, bool]] = []
        self.texts: list[str] = []
        self.buffer: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        self.texts += [attributes[name] for name in CHROME_ATTRIBUTES if attributes.get(name)]
        if tag in CHROME_TITLE_TAGS and attributes.get("title"):
            self.texts.append(attributes["title"])
        if tag == "input" and attributes.get("type") in ("submit", "button", "reset") and attributes.get("value"):
            self.texts.append(attributes["value"])
        if tag in self.VOID:
            return
        # A select's empty choice ("---------" / "Pilih …") is chrome; the other options are data.
        chrome = tag in CHROME_TAGS or (tag == "option" and not attributes.get("value"))
        if tag in ("script", "style"):
            chrome = False
        self.stack.append((tag, chrome))

    def handle_endtag(self, tag):
        if tag in self.VOID:
            return
        while self.stack:
            open_tag, _chrome = self.stack.pop()
            if open_tag == tag:
                break
        if not any(chrome for _tag, chrome in self.stack) and self.buffer:
            self.texts.append(" ".join(self.buffer))
            self.buffer = []

    def handle_data(self, data):
        if any(tag in ("script", "style") for tag, _chrome in self.stack):
            return
        if any(chrome for _tag, chrome in self.stack) and data.strip():
            self.buffer.append(data.strip())


def chrome_texts(html: str) -> list[str]:
    parser = ChromeText()
    parser.feed(html)
    parser.close()
    return parser.texts


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        yield build_world()
        transaction.set_rollback(True)


def crawl(world, role: str, language: str):
    """(name, html) of every HTML page the matrix says `role` opens with a 200, in `language`."""
    from tests.permission_world import ROLES

    index = ROLES.index(role)
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    if world.users[role] is not None:
        client.force_login(world.users[role])
    for name, (method, row) in sorted(MATRIX.items()):
        if method != "GET" or row.split()[index] != "200":
            continue
        with transaction.atomic():
            response = client.get(url_for(name, world))
            transaction.set_rollback(True)
        if response.streaming or not response.get("Content-Type", "").startswith("text/html"):
            continue
        yield name, response.content.decode(errors="replace")


def wrong_words(world, role: str, language: str) -> list[str]:
    words = foreign_words(language)
    problems = set()
    for name, html in crawl(world, role, language):
        for text in chrome_texts(html):
            for match in words.finditer(text):
                problems.add(f"{name} as {role} ({language}): {match.group(1)!r} in {text[:90]!r}")
    return sorted(problems)


def test_the_chrome_reader_finds_labels_buttons_and_the_empty_choice_but_not_content():
    html = (
        '<h1>Kopi Pilihan dan Teh</h1><p>Lihat toko kami</p><label for="x">Nama</label>'
        '<select><option value="">- Pilih -</option><option value="1">Tambah dan Kurang</option></select>'
        '<button type="submit"><span>Simpan</span> sekarang</button><input type="submit" value="Cari">'
        '<input placeholder="Ketik…"><td title="Belum ada">1</td>'
        '<nav><a href="/">Keranjang</a></nav><script>var Hapus = 1;</script>'
    )
    texts = chrome_texts(html)
    assert texts == ["Nama", "- Pilih -", "Simpan sekarang", "Cari", "Ketik…", "Keranjang"]
    found = {match.group(1) for text in texts for match in pattern(INDONESIAN_WORDS).finditer(text)}
    assert found == {"Pilih", "Simpan", "Cari", "Keranjang"}
    assert pattern(["a.n."]).search("BRI 123 a.n. Toko") and not pattern(["dan"]).search("Sidan Ramadan")


@pytest.mark.django_db
@pytest.mark.parametrize("role", CRAWLED_ROLES)
def test_english_pages_show_no_indonesian_ui_words(world, role):
    problems = wrong_words(world, role, "en")
    assert problems == [], "\n".join(problems)


@pytest.mark.django_db
@pytest.mark.parametrize("role", CRAWLED_ROLES)
def test_indonesian_pages_show_no_english_ui_words(world, role):
    problems = wrong_words(world, role, "id")
    assert problems == [], "\n".join(problems)


@pytest.mark.parametrize(
    ("language", "count", "share", "change"),
    [("en", "1,000", "0.7 %", "+12.5 %"), ("id", "1.000", "0,7 %", "+12,5 %")],
)
def test_one_number_format_per_language(language, count, share, change):
    """Tables, `floatformat` (the dashboard's "of 1,000") and the formatting helpers agree within a language."""
    from django.template import Context, Template
    from django.utils import translation

    from opop.formatting import format_number, format_percent
    from opop.tables import display_value

    with translation.override(language):
        assert display_value("int", 1000) == format_number(1000) == count
        assert display_value("pct", 0.7) == format_percent(0.7) == share
        assert display_value("change", 12.5) == change
        rendered = Template('{{ n|floatformat:"g" }} {{ p|floatformat:1 }} %').render(Context({"n": 1000, "p": 0.7}))
        assert rendered == f"{count} {share}"
    assert format_number(1234567.891, decimals=2, language="id") == "1.234.567,89"
    assert format_number(1234567.891, decimals=2, language="en") == "1,234,567.89"
    assert format_number(-5, sign=True, language="en") == "-5"
