// Behaviour for every page, loaded from our own origin so the Content Security Policy needs no inline script.
// Buttons marked data-print open the browser's print dialog (receipts, cards, certificates, invoices).
document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-print]");
  if (button) {
    event.preventDefault();
    window.print();
  }
});
