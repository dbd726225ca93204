"""The rows of a repeatable block: one small form per row, and the formset that keeps the rows posted."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.forms.formsets import DELETION_FIELD_NAME
from django.forms.utils import ErrorDict
from django.utils.translation import ngettext

from teleservices.answers import form_initial, stored_answer
from teleservices.checks import clean_special
from teleservices.definition import FieldDef
from teleservices.fields import django_fields

MAX_ROWS = 30


class BlockRowForm(forms.Form):
    """One row of a repeatable block."""

    def __init__(self, *args: Any, children: tuple[FieldDef, ...] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.children = children
        for child in children:
            if child.asks:
                self.fields.update(django_fields(child, None))

    def clean(self) -> dict[str, Any]:
        super().clean()
        row: dict[str, Any] = {}  # the row's answers so far, which its date rules may compare with
        labels = {child.key: child.label for child in self.children}
        for child in self.children:
            clean_special(self, child, row, labels)
            if child.asks and child.key not in self.errors:
                row[child.key] = stored_answer(child, self.cleaned_data, None)
        return self.cleaned_data

    def answer(self) -> dict[str, Any]:
        return {c.key: stored_answer(c, self.cleaned_data, None) for c in self.children if c.asks}

    def is_empty(self) -> bool:
        """Whether every field of this posted row was left empty (the "Delete" box aside)."""
        return self.is_bound and not any(self[name].data for name in self.fields if name != DELETION_FIELD_NAME)

    def is_kept(self) -> bool:
        """Whether this posted row is one of the block's answers: filled in, "Delete" not ticked."""
        ticked = DELETION_FIELD_NAME in self.fields and self[DELETION_FIELD_NAME].data
        return not self.is_empty() and not ticked

    def full_clean(self) -> None:
        """An empty row is no row: nothing to check."""
        if self.is_empty():
            self._errors, self.cleaned_data = ErrorDict(), {}
            return
        super().full_clean()


class BaseBlockFormSet(forms.BaseFormSet):
    """The rows of a repeatable block, kept by what was posted: every row not empty and not ticked "Delete"."""

    error_messages: dict[str, str]  # set by Django's BaseFormSet.__init__ (its stubs do not declare it)

    def rows(self) -> list[BlockRowForm]:
        """The posted rows kept, in their order."""
        return [row for row in self.forms if row.is_kept()]

    def rows_valid(self) -> bool:
        """Whether every kept row passed its checks (however many rows there are)."""
        return all(row.is_valid() for row in self.rows())

    def clean(self) -> None:
        """Django counts the rows added after the saved ones only: the rows kept are counted here."""
        if len(self.rows()) < self.min_num:
            raise forms.ValidationError(self.error_messages["too_few_forms"] % {"num": self.min_num})

    def answer(self) -> list[dict[str, Any]]:
        """The kept rows (only the valid ones when the whole block is not)."""
        return [row.answer() for row in self.rows() if row.is_valid()]


def block_formset(
    f: FieldDef, *, data: Any, initial: list[dict[str, Any]] | None, add_row: bool = False
) -> BaseBlockFormSet:
    minimum = f.row_minimum
    formset_class = forms.formset_factory(
        BlockRowForm,
        formset=BaseBlockFormSet,
        extra=1 if add_row or not (initial or minimum) else 0,
        min_num=minimum,
        max_num=f.option("max_rows") or MAX_ROWS,
        validate_max=True,
        can_delete=True,
    )
    initial_rows = [
        {k: v for c in f.children if c.asks for k, v in form_initial(c, row.get(c.key)).items()}
        for row in initial or []
    ]
    formset = formset_class(
        data,
        initial=initial_rows or None,
        prefix=f.key,
        form_kwargs={"children": f.children},
        error_messages=_row_count_messages(f.label, minimum=minimum, maximum=formset_class.max_num),
    )
    return cast(BaseBlockFormSet, formset)


def too_few_rows_message(label: str, minimum: int) -> str:
    few = ngettext("Add at least %(num)d row to “%(label)s”.", "Add at least %(num)d rows to “%(label)s”.", minimum)
    return few % {"num": minimum, "label": label}


def _row_count_messages(label: str, *, minimum: int, maximum: int) -> dict[str, str]:
    """Django's messages on the number of rows speak of "forms": these name the question. Django formats them once
    more with `% {"num": …}`, hence the doubled "%"."""
    many = ngettext("Give at most %(num)d row for “%(label)s”.", "Give at most %(num)d rows for “%(label)s”.", maximum)
    return {
        "too_few_forms": too_few_rows_message(label, minimum).replace("%", "%%"),
        "too_many_forms": (many % {"num": maximum, "label": label}).replace("%", "%%"),
    }
