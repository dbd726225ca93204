"""`{% table %}`…`{% endtable %}`: a table of data (templates/components/table.html) around the rows a page writes,
so that every table has its caption, its header cells with their scope and, when it has no rows, its sentence:

    {% load tables %}
    {% table _("Reference") _("Status") caption=_("My sent requests") caption_hidden=True empty=_("None yet.") %}
        {% for case in submitted %}<tr>…</tr>{% endfor %}
    {% endtable %}

The arguments before the named ones are the column headers, in order (a list stands for its items: headers computed
in Python); `selection|visually_hidden` is one read by screen readers only (a column of checkboxes; Django cannot
filter a `_("…")` argument: `{% translate "Selection" as selection %}` first). The named ones are the component's
parameters (see its comment)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django import template
from django.core.paginator import Page
from django.template.loader import render_to_string
from django.utils.safestring import SafeString

register = template.Library()


@dataclass(frozen=True)
class Header:
    """The header of a column; `hidden`, for screen readers only (its column speaks for itself on screen)."""

    text: str
    hidden: bool = False


@register.filter
def visually_hidden(text: str) -> Header:
    return Header(text=text, hidden=True)


@register.simple_block_tag
def table(
    content: SafeString,
    *headers: Any,
    caption: str,
    caption_hidden: bool = False,
    figures: bool = False,
    stacked: bool = False,
    empty: str = "",
    page: Page | None = None,
    pages_label: str = "",
) -> SafeString:
    """`content`: what the tag's body rendered, its rows (`<tr>`); nothing but spaces is no row."""
    return render_to_string(
        "components/table.html",
        {
            "caption": caption,
            "caption_hidden": caption_hidden,
            "headers": [h if isinstance(h, Header) else Header(text=h) for h in _flat(headers)],
            "figures": figures,
            "stacked": stacked,
            "rows": content if content.strip() else "",
            "empty": empty,
            "page": page,
            "pages_label": pages_label,
        },
    )


def _flat(headers: Iterable[Any]) -> list[Any]:
    return [h for item in headers for h in (item if isinstance(item, list | tuple) else [item])]
