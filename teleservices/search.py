"""The citizens' search: one box (home page and catalogue) over everything a citizen may look for, in their words.

Each kind of thing found (téléservices, categories here; appointment types, registered by the appointments app, which
sits above this one) is a `Kind`: the rows citizens may find, and how to show one. Its model has two generated
columns: `search_vector` (French words without accents, keywords included: PostgreSQL full text search with the
`french_unaccent` configuration, GIN index) and `search_text` (title and keywords, lower case without accents, GIN
trigram index) for misspellings.

A row is found when it holds the query's words ("trou dans la route" finds "nid-de-poule, trou, route"): those holding
every word if there are any ("demande de passeport" finds the passport, not every "demande"), otherwise those holding
some; failing that, when its title and keywords look like the query (pg_trgm's word similarity: "pasport"). Ranked
by full text search rank, then similarity. When nothing is found, the rows whose title or keywords look most like the
query are suggested.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib.postgres.search import SearchQuery, SearchRank, TrigramWordSimilarity
from django.db import connection, models, transaction
from django.db.models import Q, Value
from django.utils.functional import Promise

from teleservices.models import SEARCH_CONFIG, Unaccented

# pg_trgm's word similarity from which a row is found (its default, 0.6, misses "pasport" for "passeport": 0.5).
FOUND_SIMILARITY = 0.45
# ... and from which it is suggested when nothing is found.
SUGGESTED_SIMILARITY = 0.3
FOUND_PER_KIND = 8
SUGGESTIONS = 3


@dataclass(frozen=True)
class Result:
    title: str
    summary: str
    url: str


@dataclass(frozen=True)
class Kind:
    """One kind of thing the search finds: `rows()` is what citizens may find (published, bookable online…), of a
    model with the generated columns `search_vector` and `search_text`; `result` shows one row."""

    key: str
    label: str | Promise
    position: int
    rows: Callable[[], models.QuerySet[Any]]
    result: Callable[[Any], Result]


@dataclass(frozen=True)
class Found:
    groups: list[tuple[Kind, list[Result]]]  # kinds in their order, each with its rows found, best first
    suggestions: list[tuple[Kind, Result]]  # only when nothing was found, closest first

    @property
    def count(self) -> int:
        return sum(len(results) for _kind, results in self.groups)


_kinds: list[Kind] = []


def kinds_register(kind: Kind) -> None:
    """Declare a kind of thing to search (apps call it when they start)."""
    if kind not in _kinds:
        _kinds.append(kind)
        _kinds.sort(key=lambda k: k.position)


class AnyWordQuery(SearchQuery):
    """The query's French words (as plainto_tsquery finds them) joined by OR instead of AND."""

    def as_sql(self, compiler: Any, connection: Any, function: Any = None, template: Any = None) -> Any:
        sql, params = super().as_sql(compiler, connection, function, template)
        return f"replace(({sql})::text, ' & ', ' | ')::tsquery", params


def search(text: str) -> Found:
    """What the citizens' search finds for `text`, in one query per kind (and, when nothing, one more per kind)."""
    # The threshold of pg_trgm's indexed operator `%>`, for this transaction only (PgBouncer's transaction pooling
    # keeps it on one server connection); no savepoint: a search writes nothing.
    with transaction.atomic(savepoint=False):
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config('pg_trgm.word_similarity_threshold', %s, true)", [str(FOUND_SIMILARITY)])
        matching = [(kind, _matching(kind, text)) for kind in _kinds]
    # Only the best level found: rows holding every word, or else some, or else looking like the query.
    best = max((row.level for _kind, rows in matching for row in rows), default=None)
    groups = [(kind, [kind.result(row) for row in rows if row.level == best]) for kind, rows in matching]
    found = [(kind, results) for kind, results in groups if results]
    return Found(groups=found, suggestions=[] if found else _suggestions(text))


def _matching(kind: Kind, text: str) -> list[Any]:
    """The kind's rows holding a word of the query or looking like it, with their `level`: 2 when they hold every
    word, 1 some, 0 none (found by trigrams); best first."""
    any_word = AnyWordQuery(text, config=SEARCH_CONFIG)
    looked_for = Unaccented(Value(text))
    level = models.Case(
        models.When(search_vector=SearchQuery(text, config=SEARCH_CONFIG), then=2),
        models.When(search_vector=any_word, then=1),
        default=0,
    )
    return list(
        kind.rows()
        .filter(Q(search_vector=any_word) | Q(search_text__trigram_word_similar=looked_for))
        .annotate(
            level=level,
            rank=SearchRank("search_vector", any_word),
            similarity=TrigramWordSimilarity(looked_for, "search_text"),
        )
        .order_by("-level", "-rank", "-similarity")[:FOUND_PER_KIND]
    )


def _suggestions(text: str) -> list[tuple[Kind, Result]]:
    """The rows whose title or keywords look most like the query, whatever their kind."""
    looked_for = Unaccented(Value(text))
    scored = []
    for kind in _kinds:
        rows = (
            kind.rows()
            .annotate(similarity=TrigramWordSimilarity(looked_for, "search_text"))
            .filter(similarity__gte=SUGGESTED_SIMILARITY)
            .order_by("-similarity")[:SUGGESTIONS]
        )
        scored += [(row.similarity, kind, kind.result(row)) for row in rows]
    scored.sort(key=lambda scored_row: -scored_row[0])
    return [(kind, result) for _similarity, kind, result in scored[:SUGGESTIONS]]
