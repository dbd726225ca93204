"""Who may read a stored file and who may see or check a document of the vault.

The vault knows whose files and documents are whose, not who applies for or instructs which request: the apps above
it register, when they start, the requests each user reaches (`cases_register`), in one of three roles:

- `APPLIED`: the requests the user filed or follows as a citizen (teleservices);
- `READ`: the requests the user reads as an agent: their departments', those shared with them for an opinion, the
  drafts they fill in at the counter (backoffice, teleservices);
- `INSTRUCTED`: the requests the user instructs as a member of their department, where they may check documents
  (backoffice).

A document of the vault is seen by its owner, and by an agent only through a request: attached to it (a file
question answered with it), shared by the citizen for it, or added by that agent at the counter. The rest of the
vault stays private, even to the departments that instruct other requests of the citizen.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import Q

from vault.models import Document, DocumentQuerySet, StoredFile, StoredFileQuerySet

APPLIED, READ, INSTRUCTED = "applied", "read", "instructed"

# A function of the user returning a queryset of teleservices' cases (of which `of_citizen` is used here).
CaseReader = Callable[[Any], Any]
_readers: dict[str, list[CaseReader]] = {APPLIED: [], READ: [], INSTRUCTED: []}


def cases_register(role: str, reader: CaseReader) -> None:
    """Declare, for one role, the requests a user reaches (a function of the user returning a queryset of cases)."""
    if reader not in _readers[role]:
        _readers[role].append(reader)


def _reached(lookup: str, role: str, user: Any) -> Q:
    """The rows whose `lookup` is one of the requests the user reaches in that role."""
    condition = Q(pk__in=[])
    for reader in _readers[role]:
        condition |= Q(**{lookup: reader(user).values("pk")})
    return condition


def files_visible_to(user: Any) -> StoredFileQuerySet:
    """Files the user uploaded (a letter's PDF, owned by its applicant, aside); the answers' and messages' files of
    the requests they apply for or read; the pages of the documents shared for a request they read; letters, as
    drafts to the agents, once sent to the applicants."""
    if not user.is_authenticated:
        return StoredFile.objects.none()
    cases = _reached("cases__in", APPLIED, user) | _reached("cases__in", READ, user)
    messages = _reached("messages__case__in", APPLIED, user) | _reached("messages__case__in", READ, user)
    letters = _reached("letters__case__in", READ, user) | (
        _reached("letters__case__in", APPLIED, user) & Q(letters__sent_at__isnull=False)
    )
    shared = _reached("documents__shared_for__in", READ, user)
    own = Q(owner=user, letters__isnull=True)
    return StoredFile.objects.filter(own | cases | messages | letters | shared).distinct()


def _through_requests(role: str, agent: Any) -> Q:
    return _reached("files__cases__in", role, agent) | _reached("shared_for__in", role, agent) | Q(added_by=agent)


def documents_visible_to(user: Any) -> DocumentQuerySet:
    """The user's own documents; and, for an agent, the documents of the requests they read (attached to one, shared
    for one) and those they added at the counter."""
    if not user.is_authenticated:
        return Document.objects.none()
    return Document.objects.filter(Q(owner=user) | _through_requests(READ, user)).distinct()


def documents_checkable_by(agent: Any) -> DocumentQuerySet:
    """The documents the agent may verify or refuse: attached to, or shared for, a request their department
    instructs, or added by them at the counter."""
    return Document.objects.filter(_through_requests(INSTRUCTED, agent)).distinct()


def may_check(agent: Any, document: Document) -> bool:
    return documents_checkable_by(agent).filter(pk=document.pk).exists()


def may_add_for(agent: Any, citizen: Any) -> bool:
    """Whether the agent may file a proof the citizen brought into the citizen's vault: their department instructs a
    request of the citizen or of the citizen's household."""
    return any(reader(agent).of_citizen(citizen).exists() for reader in _readers[INSTRUCTED])
