"""Balance pages: the seller's Saldo (balance.py) and the finance staff's workspace (finance.py)."""
