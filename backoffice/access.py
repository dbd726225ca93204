"""Who reads a case's internal notes: the members of its department, and the agent it was shared with for an
opinion only when the sharing agent shared the notes too. Which requests an agent sees is teleservices/access.py."""

from __future__ import annotations

from django.db.models import QuerySet

from backoffice.models import Note
from portal.models import User
from teleservices.access import shares_of
from teleservices.models import Case


def sees_all_notes(user: User, case: Case, *, member: bool) -> bool:
    """Whether the agent reads every internal note of the case: as a `member` of its department, or as the agent it
    was shared with, notes included."""
    return member or shares_of(user).filter(content_object=case, with_notes=True).exists()


def notes_visible_to(user: User, case: Case, *, all_notes: bool) -> QuerySet[Note]:
    """The case's internal notes, all of them (`sees_all_notes`), or only those the agent wrote (their opinion)."""
    return case.notes.all() if all_notes else case.notes.filter(author=user)
