"""Balance pages: the seller's Saldo (balance.py) and the finance staff's workspace (finance.py)."""


def safe_cell(value):
    """A text cell a spreadsheet would run as a formula (=, +, -, @) is kept as text; numbers pass unchanged."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return f"'{value}"
    return value
