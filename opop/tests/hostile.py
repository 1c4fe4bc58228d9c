"""Hostile input for every form and POST endpoint: hypothesis strategies and one assertion.

`assert_rejects_cleanly` posts generated data at a view through the test client, as a logged-in user, and
checks the two promises every endpoint makes about bad input:

- the answer is never a server error (an exception escaping the view fails the test with the data);
- a rejection writes nothing: when the answer is a 4xx, a 200 (the form shown again with its errors) or a
  redirect carrying an error message, the row counts of the watched models are what they were before.

A redirect without an error message is "handled": the input was valid (a note containing `<script>` is a
valid note), so the write is allowed.

Each example runs inside a savepoint that is rolled back, so examples never see each other's writes and the
module's world (the demo data, see the root's tests/permission_world.py) stays as it was.

Profiles: the default keeps the whole suite fast on a shared machine; `HYPOTHESIS_PROFILE=thorough` tries
many more examples per endpoint, with fresh randomness on each run.
"""

import json
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from http.cookies import SimpleCookie
from urllib.parse import urljoin, urlsplit

from django.apps import apps
from django.contrib.messages import constants as message_levels
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models, transaction
from django.test import Client
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

DEFAULT_EXAMPLES = 30
THOROUGH_EXAMPLES = 300

settings.register_profile(
    "default",
    max_examples=DEFAULT_EXAMPLES,
    deadline=None,
    database=None,
    derandomize=True,  # the same examples on every CI run; `thorough` explores
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
    print_blob=True,
)
settings.register_profile(
    "thorough",
    max_examples=THOROUGH_EXAMPLES,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
    print_blob=True,
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))


def examples_per_endpoint() -> int:
    return settings.default.max_examples


# --- Strategies -------------------------------------------------------------------------------------------

# Text the test client can encode: every code point but lone surrogates (they have no UTF-8 form).
_characters = st.characters(exclude_categories=["Cs"])

SNIPPETS = [
    "' OR '1'='1",
    "'; DROP TABLE opop_user; --",
    '" OR 1=1 --',
    "1; SELECT pg_sleep(10)",
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "javascript:alert(1)",
    "{{ 7*7 }}{% debug %}",
    "${7*7}",
    "%s%s%s%n",
    "../../../../etc/passwd",
    "\x00",
    "abc\x00def",
    "\u202e\u0645\u0631\u062d\u0628\u0627",  # right-to-left override and Arabic
    "Zaïnab \U0001f600 \u0000 \ufeff",
    "\r\nSet-Cookie: x=1",
    " ",
    "",
    "null",
    "undefined",
    "NaN",
    "Infinity",
    "-0",
    "true",
    "[]",
    "{}",
]

NUMBERS = [
    "-1",
    "-9999999999",
    "0",
    "2147483648",  # past a 32-bit integer
    "9223372036854775807",
    "9223372036854775808",  # past PostgreSQL's bigint
    "-9223372036854775809",
    "1" + "0" * 40,
    "1e309",
    "1.5",
    "0x10",
    "١٢٣",  # Arabic-Indic digits: int() accepts them
    "\uff11\uff12",  # full-width digits
    "99999999999999999999999999999999999999.99",
]

DATES = ["2026-02-30", "0000-00-00", "9999-12-31", "1-1-1", "31/12/2026", "2026-13-01", "99999-01-01", "T00:00"]


def hostile_text(max_size: int = 300) -> st.SearchStrategy[str]:
    return st.one_of(
        st.sampled_from(SNIPPETS),
        st.text(_characters, max_size=max_size),
        st.builds(lambda ch, n: ch * n, st.sampled_from(["a", "é", "\U0001f600", "\x00", "9"]), st.integers(1, 20_000)),
    )


def hostile_number() -> st.SearchStrategy[str]:
    return st.one_of(
        st.sampled_from(NUMBERS),
        st.integers(min_value=-(10**30), max_value=10**30).map(str),
        st.floats(allow_nan=True, allow_infinity=True).map(repr),
    )


def hostile_scalar() -> st.SearchStrategy[str]:
    return st.one_of(hostile_text(), hostile_number(), st.sampled_from(DATES))


def hostile_value() -> st.SearchStrategy:
    """One form value: a string, or several (a field sent twice, as `?a=1&a=2`)."""
    return st.one_of(hostile_scalar(), st.lists(hostile_scalar(), min_size=2, max_size=3))


@dataclass(frozen=True)
class Upload:
    """A file to send; turned into a fresh SimpleUploadedFile for each request."""

    name: str
    content: bytes
    content_type: str = "application/octet-stream"

    def as_file(self) -> SimpleUploadedFile:
        return SimpleUploadedFile(self.name, self.content, content_type=self.content_type)


def hostile_upload() -> st.SearchStrategy[Upload]:
    from opop.tests import hostile_files

    names = st.sampled_from(["photo.jpg", "logo.png", "doc.pdf", "x.svg", "page.html", "a.exe", "noext", "ü\x00.jpg"])
    return st.one_of(
        st.builds(Upload, names, st.binary(max_size=2048)),
        st.sampled_from(hostile_files.SAMPLES),
    )


def mutated(base: dict, *, fields: Iterable[str] = (), uploads: Iterable[str] = ()) -> st.SearchStrategy[dict]:
    """`base` (a valid submission) with some fields replaced by hostile values, some dropped and junk added.

    Keeping most of a valid submission lets a hostile value reach the deep layers (the service, the database)
    instead of being stopped by the first required field that is missing.
    """
    uploads = list(uploads)
    names = sorted({*base, *fields, *uploads})

    @st.composite
    def build(draw):
        data = dict(base)
        for name in draw(st.lists(st.sampled_from(names), max_size=min(3, len(names)), unique=True)) if names else []:
            data[name] = draw(hostile_upload() if name in uploads else hostile_value())
        for name in draw(st.lists(st.sampled_from(names), max_size=2, unique=True)) if names else []:
            if draw(st.booleans()):
                data.pop(name, None)
        if draw(st.integers(0, 9)) == 0:
            data[draw(st.text(_characters, min_size=1, max_size=20))] = draw(hostile_value())
        return data

    return build()


def json_bodies() -> st.SearchStrategy[bytes]:
    """Request bodies for JSON endpoints: not JSON, JSON of the wrong shape, and the right shape with bad values."""
    scalar = st.one_of(st.none(), st.booleans(), st.integers(-(10**30), 10**30), st.floats(), hostile_text(80))
    json_value = st.recursive(
        scalar,
        lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=10), inner, max_size=3),
        max_leaves=10,
    )
    return st.one_of(
        st.binary(max_size=300),
        hostile_text().map(lambda s: s.encode()),
        json_value.map(lambda v: json.dumps(v).encode()),
    )


# PostgreSQL refuses both in the database itself (text cannot hold NUL; bigint stops at 9.2 x 10^18), so they
# fail only there and only if they get that far: each is tried in every field, one field at a time.
SWEEP_VALUES = ["a\x00b", "99999999999999999999"]


def field_sweep(base: dict, fields: Iterable[str]) -> list[dict]:
    """`base` with one field at a time set to each of SWEEP_VALUES."""
    return [{**base, name: value} for name in sorted({*base, *fields}) for value in SWEEP_VALUES]


# --- The assertion ----------------------------------------------------------------------------------------


def models_of(*app_labels: str) -> list[type[models.Model]]:
    return [model for label in app_labels for model in apps.get_app_config(label).get_models()]


def row_counts(watched: Iterable[type[models.Model]]) -> dict[str, int]:
    return {model._meta.label: model._default_manager.count() for model in watched}


def has_error_message(response) -> bool:
    storage = getattr(response.wsgi_request, "_messages", None)
    return any(m.level >= message_levels.ERROR for m in getattr(storage, "_queued_messages", []))


def is_rejection(response) -> bool:
    code = response.status_code
    return 400 <= code < 500 or code == 200 or (code in (301, 302, 303) and has_error_message(response))


@dataclass
class Tally:
    """How many examples each endpoint received, for the issue note."""

    counts: dict[str, int] = field(default_factory=dict)

    def add(self, key: str) -> None:
        self.counts[key] = self.counts.get(key, 0) + 1


TALLY = Tally()


def _encode(data: dict) -> dict:
    return {k: (v.as_file() if isinstance(v, Upload) else v) for k, v in data.items()}


def assert_rejects_cleanly(
    client: Client,
    url: str | Callable[[], str],
    data_strategy: st.SearchStrategy,
    models_to_watch: Iterable[type[models.Model]],
    *,
    content_type: str | None = None,
    headers: dict | None = None,
    label: str | None = None,
    rejects_on_200: bool = True,
    method: str = "post",
    expect_json: bool = False,
    sign: Callable[[bytes], str] | None = None,
    signature_header: str = "",
    sweep: Iterable = (),
) -> None:
    """Post every example of `data_strategy` to `url`; no 5xx, and no writes on a rejection.

    `data_strategy` yields form dicts (values may be `Upload`s) or, with `content_type`, raw bodies.
    `sweep` lists submissions tried on every run besides the generated ones (see `field_sweep`).
    `rejects_on_200=False` for endpoints whose 200 is a success (a JSON API); `expect_json` for endpoints whose
    refusals must be JSON a machine can read.
    """
    watched = list(models_to_watch)
    key = label or (url if isinstance(url, str) else url())

    @settings(parent=settings.default)
    @given(data=data_strategy)
    def run(data):
        TALLY.add(key)
        # The database is rolled back after each example, so the client's cookies must be too: a session
        # cookie naming a session that no longer exists is not what a real visitor brings.
        cookies = SimpleCookie(client.cookies)
        target = url if isinstance(url, str) else url()
        request_headers = dict(headers or {})
        if sign is not None:
            request_headers[signature_header] = sign(data)
        with transaction.atomic():
            before = row_counts(watched)
            try:
                if method == "get":
                    response = client.get(target, data=data, headers=request_headers)
                elif content_type:
                    response = client.post(target, data=data, content_type=content_type, headers=request_headers)
                else:
                    response = client.post(target, data=_encode(data), headers=request_headers)
            except Exception as exc:
                raise AssertionError(f"{method.upper()} {target} raised {exc!r} (a 500 in production)") from exc
            after = row_counts(watched)
            transaction.set_rollback(True)
        client.cookies = cookies
        assert response.status_code < 500, f"POST {target} answered {response.status_code}"
        if expect_json and response.status_code >= 400:
            assert response["Content-Type"].startswith("application/json"), f"POST {target}: not a JSON answer"
            assert json.loads(response.content)
        rejected = is_rejection(response) and (rejects_on_200 or response.status_code != 200)
        if rejected:
            changed = {name: (before[name], after[name]) for name in before if before[name] != after[name]}
            assert not changed, f"POST {target} was rejected ({response.status_code}) but wrote rows: {changed}"

    for data in sweep:
        run = example(data=data)(run)
    run()


# --- Endpoints: which URL, as whom, starting from which valid submission ----------------------------------


class _FormScraper(HTMLParser):
    """The POST forms of a page, as a browser would submit them untouched: {action: {name: value or [values]}}."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[tuple[str, dict]] = []
        self._form: dict | None = None
        self._select: str | None = None
        self._select_first: str | None = None
        self._select_chosen = False
        self._multiple = False
        self._textarea: str | None = None

    def _put(self, name: str, value: str, *, many: bool = False) -> None:
        if many and name in self._form:
            existing = self._form[name]
            self._form[name] = [*existing, value] if isinstance(existing, list) else [existing, value]
        else:
            self._form[name] = value

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            if (a.get("method") or "get").lower() == "post":
                self._form = {}
                self.forms.append((a.get("action") or "", self._form))
            return
        if self._form is None or ("name" not in a and tag != "option"):
            return
        name = a.get("name")
        if tag == "input":
            kind = (a.get("type") or "text").lower()
            if kind in ("submit", "button", "image", "reset", "file") or name == "csrfmiddlewaretoken":
                return
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    self._put(name, a.get("value", "on"), many=kind == "checkbox")
                elif kind == "radio" and name not in self._form:
                    self._form[name] = a.get("value", "on")  # a choice, so a required radio group is answered
                return
            self._form[name] = a.get("value", "")
        elif tag == "select":
            self._select, self._select_first, self._select_chosen = name, None, False
            self._multiple = "multiple" in a
        elif tag == "option" and self._select:
            value = a.get("value", "")
            if self._select_first is None and value:
                self._select_first = value
            if "selected" in a:
                self._put(self._select, value, many=self._multiple and self._select_chosen)
                self._select_chosen = True
        elif tag == "textarea":
            self._textarea = name
            self._form[name] = ""

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select" and self._select and self._form is not None:
            if not self._select_chosen and not self._multiple:
                self._form[self._select] = self._select_first or ""
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea and self._form is not None:
            self._form[self._textarea] += data


def scraped_form(client: Client, page_url: str, action_url: str) -> dict:
    """The form on `page_url` that posts to `action_url`, filled as the page fills it ({} if there is none)."""
    response = client.get(page_url)
    if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
        return {}
    scraper = _FormScraper()
    scraper.feed(response.content.decode())
    target = urlsplit(action_url).path
    for action, data in scraper.forms:
        if urlsplit(urljoin(page_url, action)).path == target:
            return data
    return {}


@dataclass(frozen=True)
class Endpoint:
    """One POST endpoint under attack.

    `role` is who may use it (see ROLES in the root's tests/permission_world.py); the valid submission it
    starts from is the form as `page` shows it (default: the endpoint's own page), updated with `valid`.
    `fields` are attacked besides the form's own; `uploads` are file fields; `watch` names the apps whose
    tables must not change on a rejection (default: the app of the URL's namespace).
    """

    name: str
    role: str
    page: str | None = None
    valid: dict | Callable = field(default_factory=dict)
    fields: tuple[str, ...] = ()
    uploads: tuple[str, ...] = ()
    watch: tuple[str, ...] = ()
    url: Callable | None = None
    method: str = "post"  # "get" for the filter forms of dashboards and lists
    as_user: Callable | None = None  # world -> user, for someone outside the matrix's roles
    prepare: Callable | None = None  # (client, world) -> None: a cart to check out, say
    ok_on_200: bool = False  # a 200 is a success here (a page showing what was just made), not a rejection

    def __str__(self) -> str:
        return self.name
