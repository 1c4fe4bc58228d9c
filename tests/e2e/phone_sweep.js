// The per-page checks of tests/e2e/test_phone_sweep.py, run in the page by Playwright.
// Returns {links, problems: [[kind, text]], chrome: [text]}; the chrome's words are matched in Python.
([chromeTags, chromeAttributes, titleTags]) => {
  const problems = [];
  const add = (kind, text) => problems.push([kind, text]);
  const describe = (el) => {
    const text = (el.innerText || el.value || el.getAttribute("aria-label") || "").trim().replace(/\s+/g, " ");
    const id = el.id ? "#" + el.id : "";
    const cls = typeof el.className === "string" && el.className.trim() ? "." + el.className.trim().split(/\s+/).join(".") : "";
    return el.tagName.toLowerCase() + id + cls + (text ? " \"" + text.slice(0, 50) + "\"" : "");
  };
  const shown = (el) => {
    if (el.getClientRects().length === 0) return false;
    const box = el.getBoundingClientRect();
    if (box.width <= 1 || box.height <= 1) return false;  // .visually-hidden, the skip link until focused
    if (box.right <= 0 || box.bottom + window.scrollY <= 0) return false;
    return getComputedStyle(el).visibility !== "hidden" && !el.closest("[inert], [aria-hidden=true]");
  };
  const root = document.documentElement;

  // Overflow: what sticks out past the screen.
  if (root.scrollWidth > 360) {
    const wide = [];
    for (const el of document.body.querySelectorAll("*")) {
      const box = el.getBoundingClientRect();
      if (box.right > 361 && shown(el) && !el.closest('[role=region][tabindex="0"]') && getComputedStyle(el).position !== "fixed") {
        // Name the innermost elements only: their ancestors are wide because of them.
        if (![...el.children].some((child) => child.getBoundingClientRect().right > 361)) wide.push(describe(el) + " → " + Math.round(box.right) + " px");
      }
    }
    add("overflow", "document is " + root.scrollWidth + " px wide: " + wide.slice(0, 5).join("; "));
  }

  // Clipped numbers outside tables (tables are test_tables' rule, run separately): a box with digits
  // that hides part of its text, e.g. an input too narrow for its amount or an ellipsis on a number.
  for (const el of document.querySelectorAll("main *, header *")) {
    if (!shown(el) || el.closest("table") || el.closest('[role=region][tabindex="0"]')) continue;
    const style = getComputedStyle(el);
    const isField = el.matches("input:not([type=radio]):not([type=checkbox]):not([type=file]):not([type=hidden]), textarea");
    const value = isField ? el.value : [...el.childNodes].filter((n) => n.nodeType === 3).map((n) => n.textContent).join("");
    if (!/\d/.test(value)) continue;
    if (!isField && style.overflowX === "visible") continue;
    if (el.scrollWidth > el.clientWidth + 1 && el.clientWidth > 0) add("clipped number", describe(el) + " shows " + el.clientWidth + " of " + el.scrollWidth + " px");
    if (isField && el.clientWidth < 24) add("clipped number", describe(el) + " is " + el.clientWidth + " px wide");
  }

  // Chrome texts (the words are matched in Python with tests/ui_words.py).
  const chrome = [];
  const squash = (text) => (text || "").replace(/\s+/g, " ").trim();
  const tags = chromeTags.join(",");
  for (const el of document.querySelectorAll(tags)) {
    if (el.parentElement && el.parentElement.closest(tags)) continue;  // read once, with its chrome ancestor
    const clone = el.cloneNode(true);
    clone.querySelectorAll("script, style").forEach((s) => s.remove());
    chrome.push(squash(clone.textContent));
  }
  for (const option of document.querySelectorAll('option[value=""], option:not([value])')) chrome.push(squash(option.textContent));
  for (const el of document.querySelectorAll("*")) {
    for (const name of chromeAttributes) if (el.getAttribute(name)) chrome.push(el.getAttribute(name));
    if (titleTags.includes(el.tagName.toLowerCase()) && el.getAttribute("title")) chrome.push(el.getAttribute("title"));
  }
  for (const el of document.querySelectorAll("input[type=submit], input[type=button], input[type=reset]")) chrome.push(el.value);

  // Required fields carry the project's mark on their label (or, for a radio group, its legend).
  for (const field of document.querySelectorAll("input[required], select[required], textarea[required], [aria-required=true]")) {
    if (field.type === "hidden" || !(shown(field) || field.closest("details:not([open])"))) continue;
    // A radio group's mark sits on the group's legend or label (Django's RadioSelect), not on each choice:
    // look for it in the few containers around the choice, up to its form.
    let groupMark = false;
    for (let box = field.parentElement, level = 0; field.type === "radio" && box && level < 4 && !groupMark; box = box.parentElement, level++) {
      groupMark = [...box.querySelectorAll("legend, label")].some((label) =>
        label.querySelector(".required-mark") && !(label.control && label.control.type === "radio"));
      if (box.matches("form, fieldset")) break;
    }
    const marked = groupMark || [...(field.labels || [])].some((label) => label.querySelector(".required-mark"));
    if (!marked) add("unmarked required field", describe(field) + " name=" + field.name);
  }

  // Targets under 24 x 24 px (WCAG 2.2, 2.5.8).
  const targets = [];
  for (const el of document.querySelectorAll("a[href], button, input:not([type=hidden]), select, textarea, summary, label")) {
    if (!shown(el) || el.disabled) continue;
    if (el.matches("label") && !(el.control && el.control.matches("[type=radio], [type=checkbox]"))) continue;
    targets.push({el, box: el.getBoundingClientRect()});
  }
  const small = targets.filter(({box}) => box.width < 23.5 || box.height < 23.5);
  const center = (box) => [box.left + box.width / 2, box.top + box.height / 2];
  const distanceToBox = ([x, y], box) => Math.hypot(Math.max(box.left - x, 0, x - box.right), Math.max(box.top - y, 0, y - box.bottom));
  const inSentence = (el) => {
    if (!el.matches("a") || getComputedStyle(el).display !== "inline") return false;
    let block = el.parentElement;
    while (block && getComputedStyle(block).display.startsWith("inline")) block = block.parentElement;
    if (!block) return false;
    const own = squash(el.innerText).length;
    const around = squash(block.innerText).length;
    return around - own >= 12;  // other words on the line: a link in a sentence
  };
  for (const target of small) {
    const {el, box} = target;
    if (inSentence(el)) continue;
    // A radio or checkbox is also hit through its label: together they are one target.
    const labels = el.labels ? [...el.labels].map((label) => label.getBoundingClientRect()) : [];
    if (labels.some((b) => b.width >= 23.5 && b.height >= 23.5)) continue;
    const c = center(box);
    const crowded = targets.some((other) => {
      if (other === target || other.el.contains(el) || el.contains(other.el)) return false;
      if (other.el.matches("label") && other.el.control === el) return false;
      if (el.matches("label") && el.control === other.el) return false;
      if (small.includes(other)) return Math.hypot(c[0] - center(other.box)[0], c[1] - center(other.box)[1]) < 24;
      return distanceToBox(c, other.box) < 12;
    });
    if (crowded) add("small target", describe(el) + " " + Math.round(box.width) + "x" + Math.round(box.height) + " px");
  }

  const links = [...document.querySelectorAll("a[href]")]
    .filter((a) => !a.hasAttribute("download") && a.origin === location.origin)
    .map((a) => a.pathname);
  return {links, problems, chrome};
}
