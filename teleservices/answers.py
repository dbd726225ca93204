"""The answers a request stores, from its pages' cleaned data and back to their forms' initial values.

Answers are stored as JSON: text as strings, numbers as int or decimal strings, dates as ISO strings, yes/no as
booleans, choices as identifiers, addresses as {street, postcode, city}, files as {id, name, size, type}, household
members as [{id, name, birth_date}], repeatable blocks as lists of answers.
"""

from __future__ import annotations

import datetime
from typing import Any

from portal.models import Household, User
from teleservices.definition import FieldDef, FormDefinition
from teleservices.fields import ADDRESS_PARTS, member_choices

PREFILL = {
    "first_name": lambda user, household: user.first_name,
    "last_name": lambda user, household: user.last_name,
    "email": lambda user, household: user.email,
    "phone": lambda user, household: user.phone,
    "birth_date": lambda user, household: user.birth_date.isoformat() if user.birth_date else None,
    "address": lambda user, household: (
        {"street": household.street, "postcode": household.postcode, "city": household.city} if household else None
    ),
}


def stored_answer(f: FieldDef, cleaned: dict[str, Any], household: Household | None, previous: Any = None) -> Any:
    """The JSON answer of a field from its form's cleaned data."""
    if f.kind == "address":
        return {part: cleaned.get(f"{f.key}__{part}", "") for part in ADDRESS_PARTS}
    value = cleaned.get(f.key)
    if f.kind == "file":
        return previous if previous and not value else None
    if f.kind == "boolean":
        return None if not value else value == "yes"
    if f.kind == "decimal":
        return None if value is None else str(value)
    if f.kind == "date":
        return value.isoformat() if value else None
    if f.kind == "members":
        chosen = value if isinstance(value, list) else [value] if value else []
        members = {str(m.pk): m for m in member_choices(household, f)}
        return [
            {
                "id": int(pk),
                "name": f"{members[pk].first_name} {members[pk].last_name}",
                "birth_date": members[pk].birth_date.isoformat(),
            }
            for pk in chosen
            if pk in members
        ]
    return value


def form_initial(f: FieldDef, answer: Any) -> dict[str, Any]:
    """Form initial values from a stored answer."""
    if answer in (None, "", []):
        return {}
    if f.kind == "address":
        return {f"{f.key}__{part}": answer.get(part, "") for part in ADDRESS_PARTS}
    if f.kind == "boolean":
        return {f.key: "yes" if answer else "no"}
    if f.kind == "date":
        return {f.key: datetime.date.fromisoformat(answer)}
    if f.kind == "members":
        ids = [str(m["id"]) for m in answer]
        return {f.key: ids if f.option("multiple_members") else ids[0]}
    if f.kind == "file":
        return {}
    return {f.key: answer}


def file_answer(stored: Any) -> dict[str, Any]:
    return {"id": str(stored.public_id), "name": stored.name, "size": stored.size, "type": stored.content_type}


def answer_files(answer: dict[str, Any]) -> list[dict[str, Any]]:
    """Every file of a file answer (a document of the vault may have several pages)."""
    return answer.get("pages") or [answer]


def prefill_answers(definition: FormDefinition, *, user: User, household: Household | None) -> dict[str, Any]:
    """Answers known from the profile and the household ("dites-le-nous une fois")."""
    answers = {}
    for f in definition.fields():
        source = f.option("prefill", "")
        if source in PREFILL:
            value = PREFILL[source](user, household)
            if value:
                answers[f.key] = value
    return answers
