"""The answers shown back (the review page, the request page, its PDF copy, exports, letters) and the documents a
form asks for, announced on its start page."""

from __future__ import annotations

import dataclasses
import datetime
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.template.defaultfilters import date as date_format
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from gru.sizes import file_size
from teleservices.answers import answer_files
from teleservices.conditions import TRUE_WORDS, Condition
from teleservices.definition import FieldDef, FormDefinition, PageDef, members_text
from teleservices.offers import bound_document_types


def answer_text(f: FieldDef, answer: Any) -> str:
    """An answer as a citizen or an agent reads it."""
    if answer in (None, "", [], {}):
        return ""
    if f.kind == "address":
        return f"{answer.get('street', '')}, {answer.get('postcode', '')} {answer.get('city', '')}"
    if f.kind == "boolean":
        return _("Yes") if answer else _("No")
    if f.kind == "date":
        return date_format(datetime.date.fromisoformat(answer), "j F Y")
    if f.kind == "decimal":
        return number_format(Decimal(answer))
    if f.kind in ("choice", "multiple"):
        labels = dict(f.choice_list)
        values = answer if isinstance(answer, list) else [answer]
        return ", ".join(labels.get(v) or v for v in values)
    if f.kind == "members":
        return members_text(answer)
    if f.kind == "file":
        return _file_text(answer)
    if f.kind == "phone":
        return re.sub(r"^\+33(\d)(\d{2})(\d{2})(\d{2})(\d{2})$", r"0\1 \2 \3 \4 \5", answer)
    return str(answer)


def _file_text(answer: dict[str, Any]) -> str:
    if answer.get("removed"):
        return _("%(name)s (deleted at the end of the instruction: identity document)") % {"name": answer["name"]}
    text = ", ".join(f"{page['name']} ({file_size(page['size'])})" for page in answer_files(answer))
    return _("%(files)s, from the vault") % {"files": text} if answer.get("document") else text


@dataclass
class SummaryLine:
    field: FieldDef
    text: str
    rows: list[list[tuple[str, str]]] = dataclasses.field(default_factory=list)
    files: list[dict[str, Any]] = dataclasses.field(default_factory=list)


def summary(definition: FormDefinition, answers: dict[str, Any]) -> list[tuple[int, PageDef, list[SummaryLine]]]:
    """The shown pages with their answered questions, for the review page and the request page."""
    shown = definition.shown_answers(answers)
    pages = []
    for index in definition.shown_pages(shown):
        page = definition.pages[index]
        lines = []
        for f in page.fields:
            if f.asks and f.key in shown:
                rows = (
                    [[(c.label, answer_text(c, row.get(c.key))) for c in f.children if c.asks] for row in shown[f.key]]
                    if f.kind == "block"
                    else []
                )
                attached = f.kind == "file" and shown[f.key] and not shown[f.key].get("removed")  # None: left out
                files = answer_files(shown[f.key]) if attached else []
                text = answer_text(f, shown[f.key]) if f.kind != "block" else ""
                lines.append(SummaryLine(field=f, text=text, rows=rows, files=files))
        pages.append((index, page, lines))
    return pages


def answered_documents(definition: FormDefinition, answers: dict[str, Any]) -> list[str]:
    """The public ids of the vault documents the file questions were answered with."""
    return [
        answers[f.key]["document"]
        for f in definition.fields()
        if f.kind == "file" and isinstance(answers.get(f.key), dict) and answers[f.key].get("document")
    ]


@dataclass(frozen=True)
class DocumentToPrepare:
    """A document a file question asks for, as the start page announces it."""

    label: str
    need: str  # required, optional, or only in some cases
    validity: str  # how recent it must be, from its type of document ("" when it may be of any date)


def documents_to_prepare(definition: FormDefinition) -> list[DocumentToPrepare]:
    """Every document the form may ask for, in order: required, optional or depending on the answers (the question
    or its page shown only on some), with the validity rule of the type of document it is bound to."""
    questions = {f.key: f for f in definition.fields()}
    types = bound_document_types(questions.values())
    documents = []
    for page in definition.pages:
        for f in page.fields:
            if f.kind != "file":
                continue
            conditions = [c for c in (Condition.from_dict(page.condition), f.shown_if) if c is not None]
            if not f.required:
                need = _("optional")
            elif conditions:
                need = _condition_words(conditions, questions)
            else:
                need = _("required")
            document_type = types.get(f.option("document_type"))
            validity = document_type.validity_hint if document_type else ""
            documents.append(DocumentToPrepare(label=f.label, need=need, validity=validity))
    return documents


def _condition_words(conditions: list[Condition], questions: dict[str, FieldDef]) -> str:
    """When a conditional document is asked, in the citizen's words: "if you answer “X” to “Question”" for a single
    choice, else "depending on your situation"."""
    rule = conditions[0].rules[0] if len(conditions) == 1 and len(conditions[0].rules) == 1 else None
    question = questions.get(rule.field) if rule is not None and rule.op == "eq" else None
    if rule is None or question is None or question.kind not in ("choice", "boolean"):
        return _("depending on your situation")
    answer = answer_text(question, rule.value in TRUE_WORDS if question.kind == "boolean" else rule.value)
    return _("if you answer “%(answer)s” to “%(question)s”") % {"answer": answer, "question": question.label}
