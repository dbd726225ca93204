"""The placeholders of template letters, and the restricted rendering that fills them in.

A letter's text is written by administrators (templates) and by agents (a letter's own wording), and filled in from a
plain context: nested dicts of strings, numbers and dates (teleservices.letters_context builds it from a request),
never model instances, so that no text can reach an object, a method or a setting. Texts are checked when saved,
against the one list of placeholders below, with French messages naming the placeholder at fault.

The rendering uses a Django template engine of our own with no library but the `if` tag: no filter, no other tag, no
include. It produces plain text, which is what a letter stores and an agent may edit; it is escaped once, when it is
put into the letter's HTML (letters/letter.html, autoescaped), so that an answer such as "<b>" is printed as written.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterator, Mapping
from decimal import Decimal
from functools import cache
from typing import Any

from django import template
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template import Context, Engine, TemplateSyntaxError, defaulttags
from django.template.base import Lexer, Token, TokenType
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

ANSWERS = "demande.reponses"

# The one documented list: the admin shows it next to the editor, and check() accepts nothing else.
PLACEHOLDERS: tuple[tuple[str, Any], ...] = (
    ("usager.prenom", gettext_lazy("first name of the applicant")),
    ("usager.nom", gettext_lazy("family name of the applicant")),
    ("usager.nom_complet", gettext_lazy("first and family names of the applicant")),
    ("foyer.adresse", gettext_lazy("address of the applicant's household, on one line")),
    ("foyer.rue", gettext_lazy("street of the household's address")),
    ("foyer.code_postal", gettext_lazy("postcode of the household's address")),
    ("foyer.commune", gettext_lazy("town of the household's address")),
    ("demande.reference", gettext_lazy("reference of the request, such as DEM-2026-7K4QXM")),
    ("demande.demarche", gettext_lazy("title of the online procedure")),
    ("demande.date_depot", gettext_lazy("date the request was submitted")),
    ("demande.statut", gettext_lazy("status of the request, as the citizen sees it")),
    ("demande.date_limite", gettext_lazy("processing deadline of the request")),
    (
        f"{ANSWERS}.<identifiant>",
        gettext_lazy("the answer to the question with this identifier, as the citizen reads it"),
    ),
    ("agent.nom", gettext_lazy("first and family names of the agent writing the letter")),
    ("service.nom", gettext_lazy("name of the department instructing the request")),
    ("service.email", gettext_lazy("contact email of the department")),
    ("service.telephone", gettext_lazy("phone of the department")),
    ("collectivite.nom", gettext_lazy("name of the local authority")),
    ("date_du_jour", gettext_lazy("today's date")),
)
PATHS = frozenset(path for path, _description in PLACEHOLDERS if "<" not in path)

ALLOWED_TAGS = ("if", "elif", "else", "endif")
CONDITION_OPERATORS = frozenset({"and", "or", "not", "in", "is", "==", "!=", "<", ">", "<=", ">="})
LOOKUP = re.compile(r"[A-Za-z_]\w*(?:\.\w+)*")
LITERAL = re.compile(r"""^(?:"[^"]*"|'[^']*'|-?\d+(?:[.,]\d+)?|True|False|None)$""")
PLAIN_TYPES = (str, int, float, Decimal, datetime.date, type(None))

register = template.Library()
register.tag("if", defaulttags.do_if)


class _RestrictedEngine(Engine):
    """Django's engine without its default tags and filters: only what `builtins` gives."""

    default_builtins: list[str] = []


@cache
def _engine() -> Engine:
    return _RestrictedEngine(builtins=[__name__], libraries={}, loaders=[], string_if_invalid="", autoescape=False)


class _Values:
    """A level of the context a template can only look keys up in: it has no method a lookup could find and call
    (a dict would give `.items` or `.clear` to `{{ demande.reponses.clear }}`)."""

    __slots__ = ("_values",)

    def __init__(self, values: Mapping[str, Any]) -> None:
        self._values = values

    def __getitem__(self, key: str) -> Any:
        value = self._values[key]
        return _Values(value) if isinstance(value, Mapping) else value

    def __bool__(self) -> bool:
        return bool(self._values)


def check(source: str) -> None:
    """Refuse a text using anything but the documented placeholders and `if` conditions on them: a ValidationError
    with one French message per culprit, naming it."""
    errors = list(dict.fromkeys(_errors(source)))
    if not errors:
        try:
            _engine().from_string(source)
        except TemplateSyntaxError:
            errors.append(
                _("The conditions cannot be read: each %(if)s needs its %(endif)s.")
                % {"if": "« {% if … %} »", "endif": "« {% endif %} »"}
            )
    if errors:
        raise ValidationError(errors)


def render(source: str, context: Mapping[str, Any]) -> str:
    """The text filled in from a plain context, in the language of letters. `source` has passed check()."""
    check_plain(context)
    with translation.override(settings.LANGUAGE_CODE):
        values = {name: _Values(value) if isinstance(value, Mapping) else value for name, value in context.items()}
        return _engine().from_string(source).render(Context(values, autoescape=False))


def check_plain(values: Mapping[str, Any], prefix: str = "") -> None:
    """A TypeError unless the context holds only plain values: letters never see model instances."""
    for key, value in values.items():
        if isinstance(value, Mapping):
            check_plain(value, f"{prefix}{key}.")
        elif not isinstance(value, PLAIN_TYPES):
            raise TypeError(f"{prefix}{key} is a {type(value).__name__}: letters are filled in from plain values only.")


def is_placeholder(path: str) -> bool:
    head, _dot, identifier = path.rpartition(".")
    return path in PATHS or (head == ANSWERS and bool(identifier))


def _errors(source: str) -> Iterator[str]:
    for token in Lexer(source).tokenize():
        if token.token_type == TokenType.VAR:
            lookup = token.contents.strip()
            yield from _lookup_errors(lookup, shown=f"{{{{ {lookup} }}}}")
        elif token.token_type == TokenType.BLOCK:
            yield from _tag_errors(token)


def _tag_errors(token: Token) -> Iterator[str]:
    bits = token.split_contents()
    if bits[0] not in ALLOWED_TAGS:
        yield _("The tag %(tag)s is not allowed: only %(allowed)s may be used.") % {
            "tag": f"« {{% {token.contents} %}} »",
            "allowed": ", ".join(ALLOWED_TAGS),
        }
        return
    for bit in bits[1:]:
        if bit not in CONDITION_OPERATORS and not LITERAL.match(bit):
            yield from _lookup_errors(bit, shown=bit)


def _lookup_errors(lookup: str, *, shown: str) -> Iterator[str]:
    if not LOOKUP.fullmatch(lookup):
        yield _("%(placeholder)s is not allowed: write a placeholder of the list, without filter or method call.") % {
            "placeholder": f"« {shown} »"
        }
    elif any(part.startswith("_") for part in lookup.split(".")):
        yield _("%(placeholder)s is not allowed: names starting with “_” are reserved.") % {
            "placeholder": f"« {shown} »"
        }
    elif not is_placeholder(lookup):
        yield _("Unknown placeholder %(placeholder)s: see the list of placeholders.") % {"placeholder": f"« {shown} »"}
