// Checkout: the totals follow the shopper's shipping choice per store at once (prices from the server's quotes,
// in each radio's data-price); cash at pickup is offered only with pickup; another address re-quotes on the server.
// The hidden shown_total tells the server what the page showed, so a submit with these totals places at once.
(function () {
  "use strict";
  var form = document.querySelector("form[data-checkout]");
  if (!form) return;
  var money = new Intl.NumberFormat("id-ID", { maximumFractionDigits: 0 });
  function rupiah(n) { return "Rp" + money.format(n); }

  function recompute() {
    var grand = 0;
    form.querySelectorAll("[data-store]").forEach(function (section) {
      var subtotal = parseInt(section.dataset.subtotal, 10) || 0;
      var checked = section.querySelector("input[data-price]:checked");
      var shipping = checked ? parseInt(checked.dataset.price, 10) || 0 : 0;
      var pickup = checked && checked.value === "pickup";
      var cash = section.querySelector("[data-cash] input");
      if (cash) {
        cash.disabled = !pickup;
        if (!pickup) cash.checked = false;
      }
      var shippingCell = section.querySelector("[data-shipping]");
      if (shippingCell) shippingCell.textContent = rupiah(shipping);
      var totalCell = section.querySelector("[data-order-total]");
      if (totalCell) totalCell.textContent = rupiah(subtotal + shipping);
      grand += subtotal + shipping;
    });
    var grandCell = form.querySelector("[data-grand-total]");
    if (grandCell) grandCell.textContent = rupiah(grand);
    var shown = form.querySelector("[data-shown-total]");
    if (shown) shown.value = String(grand);
  }

  form.addEventListener("change", function (event) {
    var target = event.target;
    if (target.name === "address") {
      // Quotes depend on the destination: ask the server again (a plain submit without "place").
      var shown = form.querySelector("[data-shown-total]");
      if (shown) shown.value = "";
      form.querySelectorAll("input[data-price]").forEach(function (radio) { radio.checked = false; });
      form.submit();
      return;
    }
    if (target.matches("input[data-price]")) recompute();
  });
  recompute();
})();
