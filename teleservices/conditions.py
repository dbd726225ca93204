"""Conditions on earlier answers: when a page or a field is shown, when a citizen is not eligible.

Stored as JSON ({"logic": "all" | "any", "rules": [{"field", "op", "value"}]}) and written by administrators in a short
French syntax, one rule after another joined by « et » or « ou »:

    statut = entreprise ou surface > 10
    age parmi 3, 4, 5 et domicile = oui
    siret est rempli
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# Operator → its spelling in the administrators' syntax.
OPERATORS = {"eq": "=", "ne": "!=", "gt": ">", "lt": "<", "in": "parmi", "filled": "est rempli"}
SPELLINGS = {spelling: op for op, spelling in OPERATORS.items()} | {"≠": "ne"}
RULE = re.compile(r"^\s*(?P<field>[a-z][a-z0-9_]*)\s*(?P<op>!=|≠|=|>|<|parmi\b|est rempli\b)\s*(?P<value>.*?)\s*$")
TRUE_WORDS = {"oui", "yes", "true", "vrai"}
FALSE_WORDS = {"non", "no", "false", "faux"}


@dataclass(frozen=True)
class Rule:
    field: str
    op: str
    value: str = ""

    def holds(self, answers: dict[str, Any]) -> bool:
        answer = answers.get(self.field)
        if self.op == "filled":
            return is_filled(answer)
        if not is_filled(answer):
            return self.op == "ne"
        values = answer if isinstance(answer, list) else [answer]
        if self.op == "ne":
            return not any(_equal(v, self.value) for v in values)
        if self.op == "eq":
            return any(_equal(v, self.value) for v in values)
        if self.op == "in":
            wanted = [w.strip() for w in self.value.split(",")]
            return any(_equal(v, w) for v in values for w in wanted)
        return _compare(answer, self.value, self.op)


@dataclass(frozen=True)
class Condition:
    rules: tuple[Rule, ...]
    logic: str = "all"

    def holds(self, answers: dict[str, Any]) -> bool:
        results = (rule.holds(answers) for rule in self.rules)
        return any(results) if self.logic == "any" else all(results)

    @property
    def fields(self) -> set[str]:
        return {rule.field for rule in self.rules}

    def to_dict(self) -> dict[str, Any]:
        return {"logic": self.logic, "rules": [{"field": r.field, "op": r.op, "value": r.value} for r in self.rules]}

    def to_text(self) -> str:
        joiner = " ou " if self.logic == "any" else " et "
        return joiner.join(f"{r.field} {OPERATORS[r.op]} {r.value}".strip() for r in self.rules)

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None) -> Condition | None:
        if not data or not data.get("rules"):
            return None
        return cls(rules=tuple(Rule(**rule) for rule in data["rules"]), logic=data.get("logic", "all"))

    @classmethod
    def parse(cls, text: str) -> Condition | None:
        """Read the administrators' syntax; ValidationError (in French) on anything it cannot read."""
        text = " ".join(text.split())
        if not text:
            return None
        has_and, has_or = " et " in f" {text} ", " ou " in f" {text} "
        if has_and and has_or:
            raise ValidationError(_("Use either « et » or « ou » in one condition, not both."))
        parts = re.split(r"\s+(?:et|ou)\s+", text)
        unreadable = _(
            "“%(part)s” cannot be read: write an identifier, an operator (=, !=, >, <, parmi, est rempli) "
            "and a value, for example “statut = entreprise”."
        )
        rules = []
        for part in parts:
            match = RULE.match(part)
            if match is None:
                raise ValidationError(
                    _(
                        "“%(part)s” cannot be read: write an identifier, an operator (=, !=, >, <, parmi, est rempli) "
                        "and a value, for example “statut = entreprise”."
                    )
                    % {"part": part}
                )
            op = SPELLINGS[match["op"]]
            value = match["value"].strip("\"'«» ")
            if value[:1] in ("=", "<", ">", "!"):  # ==, >=, <=, => are not operators of the syntax
                raise ValidationError(unreadable % {"part": part})
            if op != "filled" and not value:
                raise ValidationError(_("“%(part)s” has no value to compare with.") % {"part": part})
            rules.append(Rule(field=match["field"], op=op, value="" if op == "filled" else value))
        return cls(rules=tuple(rules), logic="any" if has_or else "all")


def is_filled(answer: Any) -> bool:
    return answer not in (None, "", [], {}) and not (isinstance(answer, dict) and not any(answer.values()))


def _scalar(answer: Any) -> str:
    if isinstance(answer, dict):
        return str(answer.get("id", ""))
    return str(answer)


def _equal(answer: Any, expected: str) -> bool:
    """Yes/no against oui/non, numbers as numbers (12,5 = 12.50), dates as dates, anything else as text."""
    if isinstance(answer, bool):
        word = expected.lower()
        return (answer and word in TRUE_WORDS) or (not answer and word in FALSE_WORDS)
    left, right = _ordered(_scalar(answer)), _ordered(expected)
    if left is not None and right is not None and type(left) is type(right):
        return left == right
    return _scalar(answer).casefold() == expected.casefold()


def _compare(answer: Any, expected: str, op: str) -> bool:
    """Numbers compare as numbers, dates (ISO or dd/mm/yyyy) as dates; anything else never matches."""
    left, right = _ordered(_scalar(answer)), _ordered(expected)
    if left is None or right is None or type(left) is not type(right):
        return False
    return left > right if op == "gt" else left < right  # type: ignore[operator]


def _ordered(value: str) -> Decimal | datetime.date | None:
    for parse in (_as_date, _as_decimal):
        result = parse(value.strip())
        if result is not None:
            return result
    return None


def _as_decimal(value: str) -> Decimal | None:
    try:
        number = Decimal(value.replace(",", "."))
    except InvalidOperation:
        return None
    return number if number.is_finite() else None  # "nan" or "inf" typed in a text answer is not a number


def _as_date(value: str) -> datetime.date | None:
    for pattern in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.datetime.strptime(value, pattern).date()  # noqa: DTZ007 (a date, no time zone)
        except ValueError:
            continue
    return None
