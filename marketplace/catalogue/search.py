"""Product search. PostgreSQL: full-text with ranking (unaccented, lowercased, prefix match).
SQLite: every word must occur in the name, description, store or category; same hits for plain words."""

import re
import unicodedata

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import Case, F, Func, IntegerField, Q, QuerySet, TextField, Value, When

WORD = re.compile(r"\w+", re.UNICODE)


def normalise_words(text: str) -> list[str]:
    """Lowercased words without accents: 'Kopi  Lúwak!' → ['kopi', 'luwak']."""
    plain = unicodedata.normalize("NFKD", text or "").encode("ascii", "ignore").decode()
    return WORD.findall(plain.lower())[:8]


def _unaccent(expression):
    return Func(expression, function="unaccent", output_field=TextField())


def search_products(queryset: QuerySet, text: str) -> QuerySet:
    """Filter `queryset` to products matching `text`, annotated with `relevance` (higher is better)."""
    words = normalise_words(text)
    if not words:
        return queryset.annotate(relevance=Value(0.0))
    if connection.vendor == "postgresql":
        vector = (
            SearchVector(_unaccent(F("name")), weight="A", config="simple")
            + SearchVector(_unaccent(F("category__name")), weight="B", config="simple")
            + SearchVector(_unaccent(F("store__name")), weight="B", config="simple")
            + SearchVector(_unaccent(F("description")), weight="C", config="simple")
        )
        query = SearchQuery(" & ".join(f"{word}:*" for word in words), search_type="raw", config="simple")
        return queryset.annotate(search=vector, relevance=SearchRank(vector, query)).filter(search=query)
    condition = Q()
    relevance = Value(0)
    for word in words:
        condition &= (
            Q(name__icontains=word)
            | Q(description__icontains=word)
            | Q(store__name__icontains=word)
            | Q(category__name__icontains=word)
        )
        relevance = relevance + Case(
            When(name__icontains=word, then=Value(4)), default=Value(1), output_field=IntegerField()
        )
    return queryset.filter(condition).annotate(relevance=relevance)
