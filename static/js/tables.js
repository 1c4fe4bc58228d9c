// The responsive table (static/css/opop.css, "The responsive table"): for every .table-wrap on the page,
// 1. each body cell without a data-label gets its column's header text (colspan counted), so on phones the row
//    reads as a card of "label: value" lines; then the wrapper is marked data-cards and the card CSS applies;
// 2. a wrapper that still scrolls sideways (.table-scroll, or any table wider than its box) becomes a keyboard-
//    focusable region named after its table (axe: scrollable-region-focusable).
(() => {
  const headerLabels = (table) => {
    const row = table.tHead && table.tHead.rows[table.tHead.rows.length - 1];
    if (!row) return null;
    const labels = [];
    for (const cell of row.cells) {
      const text = (cell.innerText || cell.textContent || "").replace(/\s+/g, " ").trim();
      for (let i = 0; i < (cell.colSpan || 1); i += 1) labels.push(text);
    }
    return labels;
  };

  const label = (table) => {
    const labels = headerLabels(table);
    if (!labels) return false;
    for (const body of [...table.tBodies, ...(table.tFoot ? [table.tFoot] : [])]) {
      for (const row of body.rows) {
        let column = 0;
        for (const cell of row.cells) {
          // A cell spanning the whole row (an empty-state message) needs no label.
          if (!cell.hasAttribute("data-label")) {
            cell.setAttribute("data-label", (cell.colSpan || 1) >= labels.length ? "" : labels[column] || "");
          }
          column += cell.colSpan || 1;
        }
      }
    }
    return true;
  };

  const nameOf = (wrap, table) => {
    if (wrap.getAttribute("aria-label") || wrap.getAttribute("aria-labelledby")) return null;
    if (table.caption) return table.caption.textContent.trim();
    const section = wrap.closest("section, article, main");
    const heading = section && section.querySelector("h1, h2, h3");
    return heading ? heading.textContent.trim() : document.title;
  };

  const focusable = (wrap, table) => {
    const scrolls = wrap.scrollWidth > wrap.clientWidth + 1;
    if (!scrolls && !wrap.classList.contains("table-scroll")) return;
    if (!wrap.hasAttribute("tabindex")) wrap.setAttribute("tabindex", "0");
    if (!wrap.hasAttribute("role")) wrap.setAttribute("role", "region");
    const name = nameOf(wrap, table);
    if (name) wrap.setAttribute("aria-label", name);
  };

  const setUp = () => {
    for (const wrap of document.querySelectorAll(".table-wrap")) {
      const table = wrap.querySelector(":scope > table");
      if (!table) continue;
      if (!wrap.classList.contains("table-scroll") && label(table)) wrap.setAttribute("data-cards", "");
      focusable(wrap, table);
    }
  };

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setUp);
  else setUp();
  let resized = null;
  window.addEventListener("resize", () => {
    clearTimeout(resized);
    resized = setTimeout(setUp, 200);
  });
})();
