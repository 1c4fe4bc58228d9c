"""Pages of a product list without counting the whole list.

With 100,000 products a `COUNT(*)` over a filtered search costs more than the page itself, so the
store lists never count: a page reads one row more than it shows to learn whether another follows.

Lists ordered by plain columns (newest, price, best-selling, a store's shelf) page by keyset: the
"Next" link carries the sort values of the last row shown, signed, and the next page starts after
them, so page 400 costs what page 1 costs. Orders by a computed score (search relevance, rating
with its empty values) fall back to numbered pages without a total.
"""

from dataclasses import dataclass

from django.core import signing
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet

MAX_PAGE = 1000  # deeper than anyone pages by hand; stops OFFSET scans by crawlers of made-up URLs
_SALT = "marketplace.catalogue.after"


@dataclass
class PageWithoutCount:
    """Numbered page without a total; quacks like Django's Page for the pagination component."""

    object_list: list
    number: int
    more: bool
    paginator = None  # no total: the component then shows the page number alone
    keyset = False

    def has_next(self) -> bool:
        return self.more

    def has_previous(self) -> bool:
        return self.number > 1

    def has_other_pages(self) -> bool:
        return self.has_previous() or self.more

    def next_page_number(self) -> int:
        return self.number + 1

    def previous_page_number(self) -> int:
        return self.number - 1

    def __iter__(self):
        return iter(self.object_list)

    def __len__(self):
        return len(self.object_list)


@dataclass
class KeysetPage:
    """A page that starts after a position; `next_cursor` is None on the last page."""

    object_list: list
    next_cursor: str | None
    is_continuation: bool
    keyset = True

    def has_next(self) -> bool:
        return self.next_cursor is not None

    def __iter__(self):
        return iter(self.object_list)

    def __len__(self):
        return len(self.object_list)


def page_without_count(queryset, number, *, per_page: int) -> PageWithoutCount:
    try:
        number = min(max(int(number), 1), MAX_PAGE)
    except (TypeError, ValueError):
        number = 1
    start = (number - 1) * per_page
    rows = list(queryset[start : start + per_page + 1])
    return PageWithoutCount(object_list=rows[:per_page], number=number, more=len(rows) > per_page)


def keyset_ordering(queryset: QuerySet) -> list[str] | None:
    """The queryset's ordering when every term is a non-null column of its model and the last is id; else None."""
    ordering = list(queryset.query.order_by)
    if not ordering or not all(isinstance(term, str) for term in ordering) or ordering[-1].lstrip("-") != "id":
        return None
    columns = {field.name: field for field in queryset.model._meta.concrete_fields}
    if any(term.lstrip("-") not in columns or columns[term.lstrip("-")].null for term in ordering):
        return None  # an annotation (relevance) or a column with empty values cannot be a key
    return ordering


def _after(ordering: list[str], values: list) -> Q:
    """Rows strictly after `values` in `ordering`: (a > x) or (a = x and b > y) or …"""
    condition = Q()
    for k, term in enumerate(ordering):
        column = term.lstrip("-")
        step = Q(**{f"{column}__{'lt' if term.startswith('-') else 'gt'}": values[k]})
        for j in range(k):
            step &= Q(**{ordering[j].lstrip("-"): values[j]})
        condition |= step
    return condition


def keyset_page(queryset: QuerySet, ordering: list[str], cursor: str | None, *, per_page: int) -> KeysetPage:
    """`queryset` must already be ordered by `ordering` (columns of its model, non-null, ending in id)."""
    model = queryset.model
    fields = [model._meta.get_field(term.lstrip("-")) for term in ordering]
    values = None
    if cursor:
        try:
            raw = signing.loads(cursor, salt=_SALT)
            if len(raw) == len(fields):
                values = [field.to_python(value) for field, value in zip(fields, raw, strict=True)]
        except (signing.BadSignature, TypeError, ValueError, ValidationError):
            values = None  # a tampered or stale link starts from the first page
    if values is not None:
        queryset = queryset.filter(_after(ordering, values))
    rows = list(queryset[: per_page + 1])
    shown = rows[:per_page]
    next_cursor = None
    if len(rows) > per_page:
        last = shown[-1]
        next_cursor = signing.dumps([_plain(field.value_from_object(last)) for field in fields], salt=_SALT)
    return KeysetPage(object_list=shown, next_cursor=next_cursor, is_continuation=values is not None)


def _plain(value):
    return value.isoformat() if hasattr(value, "isoformat") else value
