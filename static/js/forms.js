// Forms on every page, from our own origin (the Content Security Policy allows no inline script).
// 1. Filter panels (components/filter_panel.html) render shut unless the URL has a filter; on a
//    wide screen there is room for them, so they open.
// 2. Tabs that scroll sideways (.tabs-wrap > .tabs) show an arrow on the side with more tabs, and
//    the current tab is scrolled into view.
// 3. After a failed save the focus goes to the first field with an error, so a keyboard or screen
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

  const markTabs = (wrap) => {
    const tabs = wrap.querySelector(".tabs");
    if (!tabs) return;
    const more = [];
    if (tabs.scrollLeft > 2) more.push("start");
    if (tabs.scrollLeft + tabs.clientWidth < tabs.scrollWidth - 2) more.push("end");
    wrap.dataset.more = more.join(" ");
  };
  const setUpTabs = () => {
    document.querySelectorAll(".tabs-wrap").forEach((wrap) => {
      const tabs = wrap.querySelector(".tabs");
      const current = tabs && tabs.querySelector("[aria-current]");
      if (current && tabs.scrollWidth > tabs.clientWidth) {
        tabs.scrollLeft = current.offsetLeft - (tabs.clientWidth - current.offsetWidth) / 2;
      }
      markTabs(wrap);
      if (tabs) tabs.addEventListener("scroll", () => markTabs(wrap), { passive: true });
      window.addEventListener("resize", () => markTabs(wrap));
    });
  };

  const start = () => {
    openPanels();
    setUpTabs();
    focusFirstError();
  };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
