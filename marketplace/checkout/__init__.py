"""Checkout: plan the orders of a cart (one per store) and place them, with their payment.

`planning` turns a cart that was read once into the planned orders a buyer sees; `services` places them.
The payment providers (marketplace.payments) are called from here, never the other way round."""
