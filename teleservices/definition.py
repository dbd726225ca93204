"""A téléservice's form as plain data: built from the rows administrators edit, frozen as JSON in a FormVersion.

Everything that fills, checks or shows a request works from a FormDefinition, never from the editable rows, so that a
published version can never change under a filed request.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field, replace
from typing import Any

from django.utils.translation import gettext as _

from teleservices.conditions import Condition, is_filled

# Types that show something but ask nothing.
DISPLAY_KINDS = {"title", "info"}
CHOICE_KINDS = {"choice", "multiple"}
# Options a frozen field keeps (the others stay empty for its type).
OPTION_NAMES = (
    "max_length pattern pattern_message min_value max_value date_bounds after notice_days choices choice_display "
    "min_choices max_choices file_types max_size_mb document_type document_member member_filter multiple_members "
    "min_rows max_rows prefill prefill_locked"
).split()


@dataclass(frozen=True)
class FieldDef:
    kind: str
    label: str
    key: str = ""
    help_text: str = ""
    required: bool = True
    condition: dict[str, Any] = field(default_factory=dict)
    options: dict[str, Any] = field(default_factory=dict)
    children: tuple[FieldDef, ...] = ()

    @property
    def asks(self) -> bool:
        return self.kind not in DISPLAY_KINDS

    @property
    def shown_if(self) -> Condition | None:
        return Condition.from_dict(self.condition)

    def option(self, name: str, default: Any = None) -> Any:
        value = self.options.get(name)
        return default if value in (None, "", []) else value

    @property
    def row_minimum(self) -> int:
        """How many rows a repeatable block needs."""
        return self.option("min_rows") or (1 if self.required else 0)

    @property
    def choice_list(self) -> list[tuple[str, str]]:
        """(identifier, label) pairs from the administrators' “identifier | label” lines."""
        pairs = []
        for line in self.option("choices", "").splitlines():
            if line.strip():
                value, _sep, label = line.partition("|")
                pairs.append((value.strip(), label.strip() or value.strip()) if _sep else (line.strip(), line.strip()))
        return pairs

    def is_shown(self, answers: dict[str, Any]) -> bool:
        condition = self.shown_if
        return condition is None or condition.holds(answers)


@dataclass(frozen=True)
class PageDef:
    title: str
    condition: dict[str, Any] = field(default_factory=dict)
    fields: tuple[FieldDef, ...] = ()

    def is_shown(self, answers: dict[str, Any]) -> bool:
        condition = Condition.from_dict(self.condition)
        return condition is None or condition.holds(answers)


@dataclass(frozen=True)
class EligibilityDef:
    condition: dict[str, Any]
    message: str


@dataclass(frozen=True)
class FormDefinition:
    pages: tuple[PageDef, ...]
    eligibility: tuple[EligibilityDef, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> FormDefinition:
        return cls(
            pages=tuple(
                PageDef(title=p["title"], condition=p["condition"], fields=tuple(_field(f) for f in p["fields"]))
                for p in data["pages"]
            ),
            eligibility=tuple(EligibilityDef(**rule) for rule in data.get("eligibility", [])),
        )

    def fields(self) -> Iterator[FieldDef]:
        """Every field that asks something, page after page (block rows not included)."""
        for page in self.pages:
            yield from (f for f in page.fields if f.asks)

    def step_range(self) -> tuple[int, int]:
        """The fewest and the most pages a citizen goes through: pages shown only on some answers may be skipped."""
        always = sum(1 for page in self.pages if not page.condition)
        return max(always, 1), max(len(self.pages), 1)

    def shown_pages(self, answers: dict[str, Any]) -> list[int]:
        return [index for index, page in enumerate(self.pages) if page.is_shown(answers)]

    def step_of(self, answers: dict[str, Any], index: int) -> tuple[int, int]:
        """Page `index` as the citizen counts it: its rank among the pages these answers show (1 when it is hidden),
        and how many pages they show."""
        shown = self.shown_pages(answers)
        return (shown.index(index) + 1 if index in shown else 1), len(shown)

    def about(self, answers: dict[str, Any]) -> str:
        """Whom the request is about: the household members chosen in its first shown member question answered
        (empty when it asks none)."""
        shown = self.shown_answers(answers)
        chosen: list[dict[str, Any]] = next(
            (shown[f.key] for f in self.fields() if f.kind == "members" and shown.get(f.key)), []
        )
        return members_text(chosen)

    def ineligibility(self, answers: dict[str, Any]) -> list[str]:
        """The explanations of every eligibility rule these answers break."""
        return [rule.message for rule in self.eligibility if Condition.from_dict(rule.condition).holds(answers)]  # type: ignore[union-attr]

    def eligibility_answered(self, answers: dict[str, Any]) -> bool:
        """Whether every question the eligibility rules look at has an answer."""
        keys = {key for rule in self.eligibility for key in Condition.from_dict(rule.condition).fields}  # type: ignore[union-attr]
        return all(is_filled(answers.get(key)) for key in keys)

    def shown_answers(self, answers: dict[str, Any]) -> dict[str, Any]:
        """The answers of the pages and fields shown, in order: hidden ones are dropped."""
        kept: dict[str, Any] = {}
        for page in self.pages:
            if not page.is_shown(kept):
                continue
            for f in page.fields:
                if f.asks and f.key in answers and f.is_shown(kept):
                    kept[f.key] = answers[f.key]
        return kept

    def missing(self, answers: dict[str, Any]) -> list[FieldDef]:
        """Required fields shown but not answered."""
        shown = self.shown_answers(answers)
        return [f for f in self._shown_fields(shown) if f.required and not is_filled(shown.get(f.key))]

    def short_blocks(self, answers: dict[str, Any]) -> list[FieldDef]:
        """Repeatable blocks shown with some rows, but fewer than they need (a draft saved without its checks)."""
        shown = self.shown_answers(answers)
        return [
            f
            for f in self._shown_fields(shown)
            if f.kind == "block" and shown.get(f.key) and len(shown[f.key]) < f.row_minimum
        ]

    def _shown_fields(self, shown: dict[str, Any]) -> Iterator[FieldDef]:
        """The questions asked with these (shown) answers, page after page."""
        for page_index in self.shown_pages(shown):
            yield from (f for f in self.pages[page_index].fields if f.asks and f.is_shown(shown))


def members_text(answer: list[dict[str, Any]]) -> str:
    """The names of the household members of a member question's answer."""
    return ", ".join(member["name"] for member in answer)


def _field(data: dict[str, Any]) -> FieldDef:
    return FieldDef(**{**data, "children": tuple(_field(c) for c in data.get("children", []))})


def definition_from_rows(
    *, title: str, rows: Iterable[Any], children: dict[int, list[Any]], rules: Iterable[Any]
) -> FormDefinition:
    """Build a definition from a téléservice's Field rows (in order) and its eligibility rules."""
    pages: list[PageDef] = []
    for row in rows:
        if row.kind == "page":
            pages.append(PageDef(title=row.label, condition=row.condition or {}))
            continue
        if not pages:
            pages.append(PageDef(title=title))
        frozen = _field_from_row(row, children.get(row.pk, []))
        pages[-1] = replace(pages[-1], fields=(*pages[-1].fields, frozen))
    eligibility = tuple(EligibilityDef(condition=rule.condition, message=rule.message) for rule in rules)
    return FormDefinition(pages=tuple(pages), eligibility=eligibility)


def _field_from_row(row: Any, children: list[Any]) -> FieldDef:
    options = {}
    for name in OPTION_NAMES:
        value = getattr(row, name)
        if name == "document_type" and value is not None:
            value = value.slug  # frozen by its identifier
        if value not in (None, "", [], False):
            options[name] = str(value) if name in ("min_value", "max_value") else value
    return FieldDef(
        kind=row.kind,
        label=row.label,
        key=row.key,
        help_text=row.help_text,
        required=row.required,
        condition=row.condition or {},
        options=options,
        children=tuple(_field_from_row(child, []) for child in children),
    )


def definition_errors(definition: FormDefinition, *, complete: bool = True) -> list[str]:
    """What makes a definition unusable, in French for administrators (empty when it can be published).

    Not complete: a form being edited, which may still be empty and have blocks without fields yet."""
    errors: list[str] = []
    seen: list[str] = []  # the questions asked so far, which conditions may use
    taken: list[str] = []  # every identifier, block rows included, which must be unique
    dates: list[str] = []  # the date questions asked so far, which a date may have to be on or after
    if complete and not any(True for _f in definition.fields()):
        errors.append(_("The form asks nothing: add at least one field."))
    for page in definition.pages:
        message = _("The condition of the page “%(label)s” uses “%(keys)s”, which is not asked before it.")
        errors += _condition_errors(page.condition, seen, message, page.title)
        for f in page.fields:
            errors += _field_errors(f, seen, taken, complete, dates)
    first_page = {f.key for f in definition.pages[0].fields} if definition.pages else set()
    for rule in definition.eligibility:
        condition = Condition.from_dict(rule.condition)
        unknown = sorted((condition.fields if condition else set()) - first_page)
        if unknown:
            errors.append(
                _("An eligibility rule uses “%(keys)s”, which is not a question of the first page.")
                % {"keys": ", ".join(unknown)}
            )
    return errors


def _field_errors(f: FieldDef, seen: list[str], taken: list[str], complete: bool, dates: list[str]) -> list[str]:
    name = _("field “%(label)s”") % {"label": f.label}
    message = _("The condition of the field “%(label)s” uses “%(keys)s”, which is not asked before it.")
    errors = _condition_errors(f.condition, seen, message, f.label)
    if not f.asks:
        return errors
    if not f.key:
        errors.append(_("The %(name)s has no identifier.") % {"name": name})
    elif f.key in taken:
        errors.append(_("The identifier “%(key)s” is used twice.") % {"key": f.key})
    seen.append(f.key)
    taken.append(f.key)
    if f.kind in CHOICE_KINDS and not f.choice_list:
        errors.append(_("The %(name)s offers no options.") % {"name": name})
    if f.kind == "date":
        errors += _date_rule_errors(f, name, dates)
        dates.append(f.key)
    if f.kind == "file" and not f.option("file_types"):
        errors.append(_("The %(name)s accepts no file type.") % {"name": name})
    if f.option("document_member") and f.option("document_member") not in seen[:-1]:
        errors.append(
            _("The %(name)s is about the member chosen in “%(key)s”, which is not asked before it.")
            % {"name": name, "key": f.option("document_member")}
        )
    if f.kind == "block":
        if complete and not f.children:
            errors.append(_("The %(name)s contains no field.") % {"name": name})
        row_seen = list(seen)  # a row's questions are answered in the block's list: only its own rows may use them
        row_dates: list[str] = []  # a row's dates are compared with the same row's only
        for child in f.children:
            errors += _field_errors(child, row_seen, taken, complete, row_dates)
            if child.kind in ("file", "block", "members", "page"):
                errors.append(_("A repeatable block cannot contain the %(name)s.") % {"name": child.label})
    for low, high in (("min_value", "max_value"), ("min_choices", "max_choices"), ("min_rows", "max_rows")):
        if f.option(low) is not None and f.option(high) is not None and float(f.option(low)) > float(f.option(high)):
            errors.append(_("The %(name)s has a minimum above its maximum.") % {"name": name})
    return errors


def _date_rule_errors(f: FieldDef, name: str, dates: list[str]) -> list[str]:
    """A date on or after another must name a date question asked before it (in the same row, in a block); a notice
    period is for a date to come."""
    errors = []
    if f.option("after") and f.option("after") not in dates:
        errors.append(
            _("The %(name)s must be on or after “%(key)s”, which is not a date question asked before it.")
            % {"name": name, "key": f.option("after")}
        )
    if f.option("notice_days") and f.option("date_bounds") == "past":
        errors.append(_("The %(name)s has a notice period but accepts only dates in the past.") % {"name": name})
    return errors


def _condition_errors(data: dict[str, Any], seen: list[str], message: str, label: str) -> list[str]:
    condition = Condition.from_dict(data)
    if condition is None:
        return []
    later = sorted(condition.fields - set(seen))
    return [message % {"label": label, "keys": ", ".join(later)}] if later else []
