"""The sections of "Mon espace", the citizen space's home, that the apps above portal show: each registers its own
when it starts (`sections_register`), as the template of its card and a function giving that template's context for
the citizen, from the app's own QuerySets. The home shows them, by position, between the citizen's household and their
documents."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser


@dataclass(frozen=True)
class Section:
    """One card of the home.

    key: names the section (registering the same key again replaces it).
    position: its place among the sections, smallest first.
    template: the card, a `<li class="card">` given only `section`, the context below.
    context: the values its template shows for a citizen, as lazy querysets (read once, by the template).
    """

    key: str
    position: int
    template: str
    context: Callable[[AbstractBaseUser], dict[str, Any]]


_sections: dict[str, Section] = {}


def sections_register(section: Section) -> None:
    """Add an app's section to the home, from its AppConfig.ready()."""
    _sections[section.key] = section


def sections() -> list[Section]:
    """The registered sections, in the order the home shows them."""
    return sorted(_sections.values(), key=lambda section: section.position)
