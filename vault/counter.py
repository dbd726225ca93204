"""Proofs brought to the counter: an agent files one in a citizen's vault from the page that shows the citizen to
agents (the back office's 360° page, in an app above this one). A refused form is shown again on that page, as the
agent filled it in: the app owning the page registers it when it starts (`counter_page_register`)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse

from portal.models import User
from vault.forms import DocumentForm

# The page showing `citizen` to the agent, with the counter's `form`: page(request, citizen, form).
CounterPage = Callable[[HttpRequest, User, DocumentForm], HttpResponse]
_pages: list[CounterPage] = []


def counter_page_register(page: CounterPage) -> None:
    """Declare the page the counter's form is on."""
    _pages[:] = [page]


def counter_page(request: HttpRequest, citizen: User, form: DocumentForm) -> HttpResponse:
    return _pages[0](request, citizen, form)


def counter_form(*, citizen: User, data: Any = None, files: Any = None) -> DocumentForm:
    """The form of a proof brought to the counter for the citizen (prefixed: it shares the page with others)."""
    return DocumentForm(data, files, owner=citizen, by_agent=True, prefix="guichet")
