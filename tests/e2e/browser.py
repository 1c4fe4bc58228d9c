"""What every browser journey shares: a page that fails on console errors, screenshots per step,
basic accessibility checks on every page, and keyboard-only activation of the controls it uses.

Selectors go by structure (ids, names, form actions, status classes), not by wording, so the
journeys run in the portal's default language and survive translation changes.
"""

import re
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / ".ci" / "artifacts" / "e2e"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"]
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True, "device_scale_factor": 1}
DESKTOP = {"viewport": {"width": 1366, "height": 900}}
DEMO_PASSWORD = "opop-demo-2026"

# Runs in the page. Returns a list of problems, empty when the page passes.
_ACCESSIBILITY_JS = """
() => {
  const problems = [];
  const describe = (el) => el.outerHTML.slice(0, 160);
  const text = (el) => (el ? (el.innerText || el.textContent || "").trim() : "");
  const skipped = new Set(["hidden", "submit", "button", "reset", "image"]);
  for (const field of document.querySelectorAll("input, select, textarea")) {
    if (field.tagName === "INPUT" && skipped.has((field.getAttribute("type") || "text").toLowerCase())) continue;
    const rendered = field.getClientRects().length > 0 || field.closest("details:not([open])");
    if (!rendered) continue;
    const labelled =
      [...(field.labels || [])].some((label) => text(label)) ||
      (field.getAttribute("aria-label") || "").trim() ||
      (field.getAttribute("aria-labelledby") || "").split(/\\s+/).some((id) => text(document.getElementById(id)));
    if (!labelled) problems.push("form field without a label: " + describe(field));
  }
  for (const img of document.querySelectorAll("img")) {
    if (!img.hasAttribute("alt")) problems.push("image without an alt attribute: " + describe(img));
    const uploaded = (img.getAttribute("src") || "").includes("/media/");
    // A photo inside a link or button that names itself (a product card's link names the product) is decorative.
    const named = text(img.closest("a, button"));
    if (uploaded && !img.getAttribute("alt").trim() && !named)
      problems.push("product image with an empty alt: " + describe(img));
  }
  for (const control of document.querySelectorAll("button, a[href], summary")) {
    if (control.getClientRects().length === 0) continue;
    if (control.tabIndex < 0) problems.push("visible control out of the tab order: " + describe(control));
    const named = text(control) || (control.getAttribute("aria-label") || "").trim() ||
      control.querySelector("img[alt]:not([alt=''])");
    if (!named) problems.push("control without an accessible name: " + describe(control));
  }
  return problems;
}
"""

_OVERFLOW_JS = """
() => {
  const width = document.documentElement.clientWidth;
  if (document.documentElement.scrollWidth <= width + 1) return [];
  const wide = [];
  for (const el of document.body.querySelectorAll("*")) {
    const box = el.getBoundingClientRect();
    if (box.right > width + 1 && !el.closest(".table-wrap") && getComputedStyle(el).position !== "fixed")
      wide.push(el.tagName.toLowerCase() + "." + String(el.className).replaceAll(" ", ".") + " " + box.right);
  }
  return wide.slice(0, 8);
}
"""


def assert_accessible(page) -> None:
    """Labels on every rendered form field, alt on every image (non-empty for uploaded product photos),
    and every visible button/link/summary in the tab order with an accessible name."""
    problems = page.evaluate(_ACCESSIBILITY_JS)
    assert not problems, f"accessibility problems on {page.url}:\n  " + "\n  ".join(problems)


def assert_keyboard_reachable(locator) -> None:
    """The control is enabled, in the tab order, outside inert/aria-hidden content, and takes focus."""
    state = locator.evaluate(
        """el => ({tabIndex: el.tabIndex, disabled: !!el.disabled,
                   hidden: !!el.closest('[inert], [aria-hidden="true"]')})"""
    )
    assert state["tabIndex"] >= 0 and not state["disabled"] and not state["hidden"], (
        f"not reachable with the keyboard: {locator} {state}"
    )
    locator.focus()
    assert locator.evaluate("el => el === document.activeElement"), f"{locator} does not take focus"


def rupiah(text: str) -> int:
    """`Rp 1.234.567` (any locale's separators) → 1234567."""
    return int(re.sub(r"[^\d]", "", text))


class Journey:
    """One person's visit: a page in its own browser context, checked after every step.

    `step()` takes the screenshot `<nn>-<name>.png` and checks the page: no console or page
    errors so far, accessibility, and (on a phone) no sideways scrolling. A page that loads
    without a `step()` after it fails the journey, so every page visited is checked.
    """

    def __init__(self, browser, base_url: str, name: str, *, phone: bool = False):
        self.base_url = base_url
        self.phone = phone
        self.context = browser.new_context(**(PHONE if phone else DESKTOP), base_url=base_url)
        self.context.set_default_timeout(20_000)
        self.folder = ARTIFACTS / name
        shutil.rmtree(self.folder, ignore_errors=True)
        self.folder.mkdir(parents=True)
        self.errors: list[str] = []
        self.steps = 0
        self.unchecked_loads = 0
        self.page = self.watch(self.context.new_page())

    def watch(self, page):
        def on_console(message):
            if message.type == "error":
                self.errors.append(f"console error on {page.url}: {message.text} {message.location}")

        def on_load(_page):
            self.unchecked_loads += 1

        page.on("console", on_console)
        page.on("pageerror", lambda error: self.errors.append(f"uncaught error on {page.url}: {error}"))
        page.on("load", on_load)
        return page

    # Navigation and keyboard-only activation -------------------------------------------------

    def goto(self, path: str, step: str):
        response = self.page.goto(path)
        assert response is not None and response.ok, f"GET {path} answered {response and response.status}"
        self.step(step)
        return response

    def activate(self, locator, step: str | None = None, *, navigates: bool = True) -> None:
        """Focus the control as a keyboard user would and press Enter; `step` names the page it leads to."""
        assert_keyboard_reachable(locator)
        if navigates:
            with self.page.expect_navigation():
                locator.press("Enter")
        else:
            locator.press("Enter")
        if step:
            self.step(step)

    def tab_to(self, locator, *, limit: int = 250) -> None:
        """Press Tab from the top of the page until `locator` has the focus: it is reachable in order."""
        target = locator.element_handle()
        self.page.evaluate("() => { document.activeElement && document.activeElement.blur(); window.scrollTo(0, 0); }")
        for _ in range(limit):
            self.page.keyboard.press("Tab")
            if self.page.evaluate("el => el === document.activeElement", target):
                return
        raise AssertionError(f"{locator} not reached after {limit} presses of Tab on {self.page.url}")

    def login(self, email: str, next_path: str = "") -> None:
        self.goto("/akun/login/" + (f"?next={next_path}" if next_path else ""), "login")
        self.page.fill("input[name=login]", email)
        self.page.fill("input[name=password]", DEMO_PASSWORD)
        self.activate(self.page.locator("form[action*='/akun/login/'] button[type=submit]"), "logged-in")
        assert "/akun/login/" not in self.page.url, f"login as {email} failed"

    # Checks -------------------------------------------------------------------------------

    def step(self, name: str, *, page=None) -> None:
        page = page or self.page
        page.wait_for_load_state("load")
        assert self.unchecked_loads <= 1, f"a page loaded before {page.url} was never checked by a step()"
        self.steps += 1
        page.screenshot(path=str(self.folder / f"{self.steps:02d}-{name}.png"), full_page=True)
        self.assert_no_errors()
        assert_accessible(page)
        if self.phone:
            wide = page.evaluate(_OVERFLOW_JS)
            assert not wide, f"{page.url} scrolls sideways on a phone; too wide: {wide}"
        self.unchecked_loads = 0

    def assert_no_errors(self) -> None:
        assert not self.errors, "browser errors:\n  " + "\n  ".join(self.errors)

    def finish(self) -> None:
        self.assert_no_errors()
        assert self.unchecked_loads == 0, f"a page was loaded without a step() checking it (last: {self.page.url})"
        self.context.close()
