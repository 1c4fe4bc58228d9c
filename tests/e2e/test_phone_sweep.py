"""Every page of the demo, as each role, on a 360 px phone, in Bahasa Indonesia and in English (issue 24).

Per role the sweep logs in once (the login form), then crawls breadth-first from the role's start pages along
same-origin links, one page per kind: a link counts once per URL pattern (its resolved view name), so
/mart/pesanan/OPM-1/ and /mart/pesanan/OPM-2/ are one page, and a kind an earlier role already checked is not
checked again by a later role only inside that role's own areas (its workspace: a seller's centre, the staff
pages), and a role's own start pages always are. Downloads, logout, the admin, the language switch and
links to static or uploaded files are not followed. Each page is then opened in both languages (the language
cookie, as the switcher sets it) and checked for:

- overflow: the document wider than 360 px (the elements that stick out are named);
- clipped numbers: a table cell or a box with digits that clips its text (tests/e2e/test_tables.py's rule);
- untranslated words: the chrome (tests/ui_words.py) carries a word of the other language;
- unmarked required fields: a `required` / aria-required field whose label (or fieldset legend) has no
  `.required-mark` (templates/django/forms/label.html);
- small targets: links, buttons, inputs, selects, summaries and radio/checkbox labels under 24 x 24 px
  (WCAG 2.2, 2.5.8), except links inline in a sentence and targets whose 24 px circle meets no other target.

Every problem of every page goes into one assertion message, grouped by page; screenshots of failing pages
are kept in .ci/artifacts/e2e/sweep/.
"""

import re
import shutil
import time
from collections import deque
from pathlib import Path

import pytest
from django.urls import Resolver404, resolve

from tests.e2e.browser import ARTIFACTS, DEMO_PASSWORD
from tests.e2e.test_tables import _TABLES_JS
from tests.ui_words import CHROME_ATTRIBUTES, CHROME_TAGS, CHROME_TITLE_TAGS, foreign_words

pytestmark = pytest.mark.e2e

NARROW = {"viewport": {"width": 360, "height": 780}, "is_mobile": True, "has_touch": True, "device_scale_factor": 1}
LANGUAGES = ("id", "en")
FOLDER = ARTIFACTS / "sweep"
PAGES_PER_ROLE = 70

# role → (login, start pages, areas). Detail pages are reached from the lists by the crawl. A kind an earlier
# role already checked is checked again only inside the role's own areas (path prefixes): the header, the
# account pages and the store look the same for everyone, a seller's or a staff member's workspace does not.
ROLES = {
    "anonymous": (None, ["/", "/mart/", "/akun/login/", "/akun/signup/", "/akun/password/reset/"], ["/"]),
    "shopper": ("pembeli@opop.test", ["/", "/mart/", "/mart/pesanan/", "/mart/keranjang/", "/akun/"], ["/mart/"]),
    "seller": ("penjual.kopi@opop.test", ["/mart/penjual/", "/mart/penjual/produk/"], ["/mart/penjual/", "/b2b/"]),
    "seller (pesantren)": ("penjual.sidogiri@opop.test", ["/mart/penjual/"], ["/mart/penjual/"]),
    "pesantren admin": ("admin.pesantren@opop.test", ["/pesantren/", "/santri/"], ["/pesantren/", "/santri/"]),
    "cashier": ("kasir@opop.test", ["/samsat/loket/"], ["/samsat/"]),
    "Samsat supervisor": ("supervisor.samsat@opop.test", ["/samsat/loket/"], ["/samsat/"]),
    "Diskop staff": (
        "staf.diskop@opop.test",
        ["/laporan/", "/pesantren/staf/", "/halal/produk/", "/staf/privasi/"],
        ["/laporan/", "/pesantren/", "/santri/", "/halal/", "/samsat/kelola/", "/mart/staf/", "/staf/"],
    ),
    "finance": ("keuangan@opop.test", ["/mart/keuangan/pencairan/"], ["/mart/keuangan/"]),
    "halal companion": ("pendamping@opop.test", ["/halal/"], ["/halal/"]),
    "alumna": ("alumni@opop.test", ["/alumni/"], ["/alumni/"]),
    "santri": ("santri@opop.test", ["/santri/saya/"], ["/santri/"]),
}
# Not followed: they leave the page (downloads, logout, the language switch) or are not the portal's own pages.
SKIPPED_PATH = re.compile(r"^/(admin|static|media|i18n|akun/logout)/|\.(csv|xlsx|pdf|zip|png|jpe?g|svg|xml|txt)$")
SKIPPED_VIEW = re.compile(
    r"pdf|csv|xlsx|export|download|unduh|logout|set_language|qr|sitemap|robots|favicon|manifest|sw$"
)

# Runs in the page: the page's same-origin links, its problems ([kind, text]) and its chrome texts.
# (Its opening comment is dropped: Playwright calls a string as a function only when it starts like one.)
_SWEEP_JS = re.sub(r"\A(//.*\n)+", "", (Path(__file__).parent / "phone_sweep.js").read_text())


def _view_name(path: str) -> str | None:
    """The page's kind: its resolved URL name; None for what the sweep does not open."""
    if SKIPPED_PATH.search(path):
        return None
    try:
        match = resolve(path)
    except Resolver404:
        return None
    name = match.view_name or match.route
    return None if SKIPPED_VIEW.search(name) else name


def _login(context, email: str) -> None:
    page = context.new_page()
    page.goto("/akun/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", DEMO_PASSWORD)
    with page.expect_navigation():
        page.locator("form[action*='/akun/login/'] button[type=submit]").click()
    assert "/akun/login/" not in page.url, f"login as {email} failed"
    page.close()


def _check(page, path: str, language: str) -> tuple[list[str], list[str]] | None:
    """(links, problems) of the page, or None when it does not answer with a page."""
    try:
        response = page.goto(path)
    except Exception as error:  # a download, or a redirect out of the portal
        if "Download is starting" in str(error):
            return None
        raise
    if response is None or not response.ok or "text/html" not in response.headers.get("content-type", ""):
        if response is not None and response.status >= 500:
            return [], [f"answers {response.status}"]
        return None
    result = page.evaluate(_SWEEP_JS, [sorted(CHROME_TAGS), list(CHROME_ATTRIBUTES), sorted(CHROME_TITLE_TAGS)])
    problems = [f"{kind}: {text}" for kind, text in result["problems"]]
    tables = page.evaluate(_TABLES_JS)["problems"]
    problems += [f"clipped number: {problem}" for problem in tables if not problem.startswith("document is")]
    words = foreign_words(language)
    wrong = {f"{match.group(1)!r} in {text[:80]!r}" for text in result["chrome"] for match in words.finditer(text)}
    problems += [f"untranslated word: {problem}" for problem in sorted(wrong)]
    return result["links"], problems


def _screenshot(page, role: str, language: str, path: str) -> None:
    name = re.sub(r"[^a-z0-9]+", "-", f"{role}-{language}-{path}".lower()).strip("-")
    page.screenshot(path=str(FOLDER / f"{name[:120]}.png"), full_page=True)


def sweep(browser, base_url: str) -> tuple[dict[str, list[str]], dict[str, int]]:
    """Problems by page ("role, language, path") and the number of pages checked per role."""
    shutil.rmtree(FOLDER, ignore_errors=True)
    FOLDER.mkdir(parents=True)
    failures: dict[str, list[str]] = {}
    checked: dict[str, int] = {}
    seen_kinds: set[str] = set()
    for role, (email, starts, areas) in ROLES.items():
        login = browser.new_context(**NARROW, base_url=base_url)
        if email:
            _login(login, email)
        state = login.storage_state()
        login.close()
        contexts = {}
        for language in LANGUAGES:
            contexts[language] = browser.new_context(
                # The offline service worker would only add its own fetches to every page load.
                **NARROW,
                base_url=base_url,
                storage_state=state,
                service_workers="block",
            )
            contexts[language].add_cookies([{"name": "django_language", "value": language, "url": base_url}])
            contexts[language].set_default_timeout(20_000)
        pages = {language: contexts[language].new_page() for language in LANGUAGES}
        queue = deque((path, True) for path in starts)
        kinds: set[str] = set()
        count = 0
        while queue and count < PAGES_PER_ROLE:
            path, start = queue.popleft()
            kind = _view_name(path)
            own = start or path.startswith(tuple(areas))
            if kind is None or kind in kinds or (kind in seen_kinds and not own):
                continue
            kinds.add(kind)
            links = []
            for language in LANGUAGES:
                result = _check(pages[language], path, language)
                if result is None:
                    break
                found, problems = result
                links = links or found
                if problems:
                    failures[f"{role}, {language}, {path}"] = problems
                    _screenshot(pages[language], role, language, path)
            else:
                count += 1
            queue.extend((link, False) for link in dict.fromkeys(links))
        seen_kinds |= kinds
        checked[role] = count
        for context in contexts.values():
            context.close()
    return failures, checked


def test_every_page_fits_a_360px_phone_in_both_languages(browser, live_portal):
    started = time.monotonic()
    failures, checked = sweep(browser, live_portal)
    print(f"\nsweep: {sum(checked.values())} pages x {len(LANGUAGES)} languages in {time.monotonic() - started:.0f} s")
    print("  " + ", ".join(f"{role}: {count}" for role, count in checked.items()))
    assert all(checked.values()), f"a role reached no page: {checked}"
    report = [f"{page}:\n    " + "\n    ".join(problems) for page, problems in failures.items()]
    assert not failures, f"{len(failures)} pages with problems:\n" + "\n".join(report)
