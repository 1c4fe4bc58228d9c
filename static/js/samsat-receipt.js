// A thermal receipt prints on a page exactly as long as the receipt: measure it and set the named page's
// size (CSSOM on our own stylesheet, so the Content Security Policy needs no inline style).
(() => {
  const body = document.body;
  const width = body.classList.contains("size-58") ? 58 : body.classList.contains("size-80") ? 80 : 0;
  const receipt = document.querySelector(".samsat-receipt");
  if (!width || !receipt) return;
  const sheet = [...document.styleSheets].find((s) => (s.href || "").includes("samsat"));
  if (!sheet) return;
  const fit = () => {
    const heightMm = Math.ceil((receipt.getBoundingClientRect().height * 25.4) / 96) + 4;
    sheet.insertRule(`@page thermal${width} { size: ${width}mm ${heightMm}mm; margin: 0; }`, sheet.cssRules.length);
  };
  if (document.readyState === "complete") fit();
  else window.addEventListener("load", fit);
  window.addEventListener("beforeprint", fit);
})();
