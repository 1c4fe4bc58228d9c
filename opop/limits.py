"""Upper bounds for numbers people type into forms.

A form field without a maximum lets "99999999999999999999" through to the database, where PostgreSQL refuses
it (bigint out of range) and the page fails with a 500. The bounds are far above any honest value and far
below the column types, so the form answers with Django's own translated "at most …" message instead.
"""

MAX_RUPIAH = 10**15 - 1  # Rp 999 trillion: above any monthly turnover, below bigint (9.2 x 10^18)
MAX_QUANTITY = 1_000_000  # units of stock, items in an order line
MAX_PEOPLE = 1_000_000  # workers, jobs, santri
MAX_YEAR = 2100
MAX_ID = 2**63 - 1  # a primary key posted back by a form
