"""Store balances: the ledger of what the platform holds for each store, payouts to the store's bank account,
the finance staff's queue and the daily store-side reconciliation."""
