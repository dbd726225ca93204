"""The menus of the citizen space and of the back office, assembled from the entries each app registers when it
starts (`entries_register`, in its AppConfig.ready()): the layouts name no app's pages. The `navigation` tag
(gru/templatetags/navigation.py) draws a menu with templates/components/navigation.html."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from django.utils.functional import Promise

CITIZEN = "citizen"  # the header's menu of templates/layouts/citizen.html
AGENT = "agent"  # the back office's, templates/layouts/agent.html (its pages are for agents only)


class Audience(enum.Enum):
    """Who sees an entry of a menu."""

    EVERYONE = "everyone"
    ANONYMOUS = "anonymous"  # visitors not signed in
    SIGNED_IN = "signed_in"
    STAFF = "staff"  # administrators (`is_staff`)

    def includes(self, user: Any) -> bool:
        """Read from the user of the request alone: no query (an anonymous page stays without one)."""
        if self is Audience.EVERYONE:
            return True
        if self is Audience.ANONYMOUS:
            return not user.is_authenticated
        if self is Audience.SIGNED_IN:
            return bool(user.is_authenticated)
        return bool(user.is_staff)


@dataclass(frozen=True)
class Entry:
    """A link of a menu: its label, the URL name it leads to, its place (`order`, smallest first), who sees it, and
    the view names of the pages where it is the current one (`aria-current`): its own page unless told, none (`()`)
    for "Sign in" and the like."""

    label: str | Promise
    url_name: str
    order: int
    audience: Audience = Audience.EVERYONE
    current: tuple[str, ...] | None = None

    def is_current(self, view_name: str) -> bool:
        return view_name in ((self.url_name,) if self.current is None else self.current)


@dataclass(frozen=True)
class Link:
    """An entry as a page shows it."""

    label: str | Promise
    url: str
    current: bool


_menus: dict[str, list[Entry]] = {CITIZEN: [], AGENT: []}


def entries_register(menu: str, *entries: Entry) -> None:
    """Declare entries of a menu (apps call it when they start)."""
    registered = _menus[menu]
    registered += [entry for entry in entries if entry not in registered]
    registered.sort(key=lambda entry: entry.order)


def menu_links(menu: str, *, user: Any, view_name: str) -> list[Link]:
    """The menu's links the user sees, in order, on the page named `view_name` ("" when it has no name)."""
    return [
        Link(label=entry.label, url=reverse(entry.url_name), current=entry.is_current(view_name))
        for entry in _menus[menu]
        if entry.audience.includes(user)
    ]
