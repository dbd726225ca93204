"""The task board's order (overdue first, then the nearest deadline, then the oldest) and its keyset pages.

Keyset pagination reads the next page after the last row's (deadline, submitted_at, id) through the board indexes,
so the 50th page costs what the first does, at a million cases. Cases without a deadline (paused while waiting for
the citizen, or decided) come last, as PostgreSQL sorts NULLs last in ascending order."""

from __future__ import annotations

import datetime
import heapq
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import islice
from typing import Any

from django.core.cache import cache
from django.db.models import Count, Q
from django.utils import timezone

from gru.workdays import add_working_days
from teleservices.models import Case, CaseQuerySet
from teleservices.workflows import Status

PAGE_SIZE = 25
COUNTS_SECONDS = 300
URGENT_WORKING_DAYS = 3
ORDER = ("deadline", "submitted_at", "id")
EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)
MICROSECOND = datetime.timedelta(microseconds=1)


@dataclass(frozen=True)
class Page:
    cases: list[Case]
    next_cursor: str


def cursor_of(case: Case) -> str:
    """The last row's sort key, URL-safe: deadline, submission time in microseconds since 1970, id."""
    deadline = case.deadline.isoformat() if case.deadline else ""
    return f"{deadline}_{(case.submitted_at - EPOCH) // MICROSECOND}_{case.pk}"


def _after(cases: CaseQuerySet, cursor: str) -> CaseQuerySet:
    try:
        deadline_text, submitted_text, pk_text = cursor.split("_")
        deadline = datetime.date.fromisoformat(deadline_text) if deadline_text else None
        submitted_at, pk = EPOCH + int(submitted_text) * MICROSECOND, int(pk_text)
    except (ValueError, OverflowError):
        return cases
    later = Q(submitted_at__gt=submitted_at) | Q(submitted_at=submitted_at, pk__gt=pk)
    if deadline is None:
        return cases.filter(Q(deadline__isnull=True) & later)
    return cases.filter(Q(deadline__gt=deadline) | (Q(deadline=deadline) & later) | Q(deadline__isnull=True))


def board_page(cases: CaseQuerySet, cursor: str = "", *, partitions: Sequence[Q] = ()) -> Page:
    """The page of cases after the cursor, in the board's order.

    With several partitions (an agent's departments), each one's first rows are read through its own index range
    and merged here: PostgreSQL cannot walk several ranges of one index in a single order, and would sort every open
    case of the departments instead."""
    ordered = cases.order_by(*ORDER)
    if cursor:
        ordered = _after(ordered, cursor)
    if len(partitions) > 1:
        parts = [list(ordered.filter(part)[: PAGE_SIZE + 1]) for part in partitions]
        rows = list(islice(heapq.merge(*parts, key=_sort_key), PAGE_SIZE + 1))
    else:
        rows = list(ordered[: PAGE_SIZE + 1])
    more = len(rows) > PAGE_SIZE
    rows = rows[:PAGE_SIZE]
    return Page(cases=rows, next_cursor=cursor_of(rows[-1]) if more else "")


def _sort_key(case: Case) -> tuple[bool, datetime.date, datetime.datetime, int]:
    """The board's order in Python, as PostgreSQL sorts it (cases without a deadline last)."""
    return (case.deadline is None, case.deadline or datetime.date.min, case.submitted_at, case.pk)


def status_counts(cases: CaseQuerySet, *, key: str, fresh: bool) -> list[dict[str, Any]]:
    """The cases per status: counted afresh for the first page, then reused by the next pages for a few minutes,
    because a count reads every matching case (from the `case_open_status` index alone for open cases)."""
    counts = None if fresh else cache.get(key)
    if counts is None:
        per_status = dict(cases.order_by().values_list("status_id").annotate(n=Count("id")))
        labels = Status.objects.filter(pk__in=per_status).values_list("pk", "label")
        counts = sorted(
            ({"status_id": pk, "status__label": label, "n": per_status[pk]} for pk, label in labels),
            key=lambda count: count["status__label"],
        )
        cache.set(key, counts, COUNTS_SECONDS)
    return counts


def urgency(case: Case, today: datetime.date | None = None) -> str:
    """late, urgent (due within three working days), on_time, paused (waiting for the citizen) or closed."""
    today = today or timezone.localdate()
    if case.closed_at is not None:
        return "closed"
    if case.deadline is None:
        return "paused"
    if case.deadline < today:
        return "late"
    if case.deadline <= add_working_days(today, URGENT_WORKING_DAYS):
        return "urgent"
    return "on_time"
