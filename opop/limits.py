"""Upper bounds for numbers people type into forms.

A form field without a maximum lets "99999999999999999999" through to the database, where PostgreSQL refuses
it (bigint out of range) and the page fails with a 500. The bounds are far above any honest value and far
below the column types, so the form answers with Django's own translated "at most …" message instead.
"""

from django import forms
from django.core.exceptions import ValidationError

MAX_RUPIAH = 10**15 - 1  # Rp 999 trillion: above any monthly turnover, below bigint (9.2 x 10^18)
MAX_QUANTITY = 1_000_000  # units of stock, items in an order line
MAX_PEOPLE = 1_000_000  # workers, jobs, santri
MAX_YEAR = 2100
MAX_ID = 2**63 - 1  # a primary key posted back by a form


def _too_big(value) -> bool:
    text = str(value).strip().lstrip("+-")
    return text.isdigit() and int(text) > MAX_ID


class ModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Django's field, refusing ids past bigint before they reach the database.

    An id such as 99999999999999999999 went into an `id IN (…)` query, where SQLite raises OverflowError (a
    500); now it is an invalid choice with Django's own message.
    """

    def _check_values(self, value):
        for pk in value or ():
            if _too_big(pk):
                raise ValidationError(
                    self.error_messages["invalid_choice"], code="invalid_choice", params={"value": pk}
                )
        return super()._check_values(value)
