// Copy buttons: <button type="button" data-copy="text" data-copied="Copied">Copy</button> puts the text on the
// clipboard (a virtual account number, an amount). A static file, so the Content Security Policy needs no
// inline script. Without the clipboard API (an old browser, a page not served over HTTPS) the text is selected
// for the buyer to copy by hand.
document.addEventListener("click", async (event) => {
  const button = event.target.closest("[data-copy]");
  if (!button) return;
  event.preventDefault();
  const label = button.textContent;
  try {
    await navigator.clipboard.writeText(button.dataset.copy);
    button.textContent = button.dataset.copied || label;
    setTimeout(() => { button.textContent = label; }, 2000);
  } catch {
    const target = document.getElementById(button.getAttribute("aria-describedby"));
    if (target) window.getSelection().selectAllChildren(target);
  }
});
