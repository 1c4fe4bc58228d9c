"""Product search. PostgreSQL: full-text with ranking (unaccented, lowercased, prefix match) on each product's
stored document (name A, category and store B, description C), which the triggers declared on Product, Category
and Store (marketplace/models/catalogue.py) keep current and a GIN index serves (migration 0007). SQLite: every
word must occur in the name, description, store or category; same hits for plain words."""

import re
import unicodedata

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVectorField
from django.db import connection
from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.db.models.expressions import RawSQL

WORD = re.compile(r"\w+", re.UNICODE)


def normalise_words(text: str) -> list[str]:
    """Lowercased words without accents: 'Kopi  Lúwak!' → ['kopi', 'luwak']."""
    plain = unicodedata.normalize("NFKD", text or "").encode("ascii", "ignore").decode()
    return WORD.findall(plain.lower())[:8]


# The column exists on PostgreSQL only and is not a model field, so the ORM never writes it.
SEARCH_DOCUMENT = RawSQL('"marketplace_product"."search_document"', [], output_field=SearchVectorField())


def search_products(queryset: QuerySet, text: str) -> QuerySet:
    """Filter `queryset` to products matching `text`, annotated with `relevance` (higher is better)."""
    words = normalise_words(text)
    if not words:
        return queryset.annotate(relevance=Value(0.0))
    if connection.vendor == "postgresql":
        query = SearchQuery(" & ".join(f"{word}:*" for word in words), search_type="raw", config="simple")
        return (
            queryset.alias(search=SEARCH_DOCUMENT)
            .filter(search=query)
            .annotate(relevance=SearchRank(SEARCH_DOCUMENT, query))
        )
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
