// Forms on every page, from our own origin (the Content Security Policy allows no inline script).
// 1. Filter panels (components/filter_panel.html) render shut unless the URL has a filter; on a
//    wide screen there is room for them, so they open.
// 2. After a failed save the focus goes to the first field with an error, so a keyboard or screen
//    reader user lands where the problem is instead of at the top of the page.
(() => {
  const wide = window.matchMedia("(min-width: 900px)");
  const openPanels = () => {
    if (!wide.matches) return;
    document.querySelectorAll("details[data-filter-panel]:not([open])").forEach((panel) => {
      panel.open = true;
    });
  };

  const focusFirstError = () => {
    const summary = document.querySelector("[data-error-summary]");
    const list = document.querySelector("form .errorlist");
    if (!list && !summary) return;
    let target = null;
    if (list) {
      const group = list.closest("p, div, fieldset, li") || list.parentElement;
      target = group && group.querySelector("input:not([type=hidden]), select, textarea");
    }
    if (!target && summary) {
      target = summary;
      if (!target.hasAttribute("tabindex")) target.setAttribute("tabindex", "-1");
    }
    if (!target) return;
    target.focus({ preventScroll: true });
    target.scrollIntoView({ block: "center" });
  };

  const start = () => {
    openPanels();
    focusFirstError();
  };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
