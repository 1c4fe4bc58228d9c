"""Pages of a product list without counting the whole list.

With 100,000 products a `COUNT(*)` over a filtered search costs more than the page itself, so the
store lists show "Previous"/"Next" only: a page reads one row more than it shows to learn whether
another page follows. The object quacks like Django's `Page` for the pagination component.
"""

from dataclasses import dataclass

MAX_PAGE = 1000  # deeper than anyone pages by hand; stops OFFSET scans by crawlers of made-up URLs


@dataclass
class PageWithoutCount:
    object_list: list
    number: int
    more: bool
    paginator = None  # no total: the component then shows the page number alone

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


def page_without_count(queryset, number, *, per_page: int) -> PageWithoutCount:
    try:
        number = min(max(int(number), 1), MAX_PAGE)
    except (TypeError, ValueError):
        number = 1
    start = (number - 1) * per_page
    rows = list(queryset[start : start + per_page + 1])
    return PageWithoutCount(object_list=rows[:per_page], number=number, more=len(rows) > per_page)
