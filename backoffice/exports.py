"""Exports of the task board's list: CSV (semicolons, what French Excel opens) and XLSX, one column per answer; and
the letters a department sent on a day, merged into one PDF to print for the post.

A short list is written at once for the response; a longer one, and the day's letters always, become an `Export` that
a worker writes: the rows stream from a server-side cursor into a temporary file, the progress is recorded as it goes,
and the file is kept a day in private storage for its owner only. The filters are the board's query string, read
again when the export runs, within what the agent may see then; the day's letters are those of a department the agent
still belongs to."""

from __future__ import annotations

import csv
import datetime
import io
import logging
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import IO, Any, cast

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import models, transaction
from django.db.models import F
from django.http import QueryDict
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from backoffice import tasks
from backoffice.board import ORDER
from backoffice.forms import BoardFilterForm
from backoffice.models import EXPORT_ATTEMPTS, Export
from gru.access_log import accesses_record, agent_department_id
from gru.models import Access, Department, Membership
from gru.queue import enqueue_all, enqueue_on_commit
from letters.models import Letter, LetterQuerySet
from letters.pdf import pdfs_merge
from portal.models import User
from teleservices.definition import FormDefinition
from teleservices.models import Case, CaseQuerySet, FormVersion
from teleservices.summaries import SummaryLine, summary
from vault import crypto

logger = logging.getLogger(__name__)

EXPORT_DIRECT_MAX = 1000  # rows written at once for the response; longer lists go to a worker
CHUNK_SIZE = 2000  # rows fetched from the cursor at a time
PROGRESS_EVERY = 500  # rows between two progress records
LETTERS_PROGRESS_EVERY = 10  # letters merged between two progress records
# A spreadsheet runs a cell starting with one of these as a formula (CSV / formula injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CONTENT_TYPES: dict[str, str] = {
    Export.Format.CSV: "text/csv; charset=utf-8",
    Export.Format.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    Export.Format.PDF: "application/pdf",
}

Value = str | datetime.date | None  # datetimes are dates too: local wall-clock time, without zone


def _local(moment: datetime.datetime | None) -> datetime.datetime | None:
    return timezone.localtime(moment).replace(tzinfo=None) if moment else None


def _label(field: str) -> Any:
    """The name of a field of the case, as its model gives it."""
    return capfirst(cast(models.Field, Case._meta.get_field(field)).verbose_name)


CASE_COLUMNS: list[tuple[Any, Callable[[Case], Value]]] = [
    (_("Reference"), lambda case: case.reference),
    (_("Procedure"), lambda case: case.teleservice.title),
    (_("Status"), lambda case: case.status.label if case.status else ""),
    (_("Channel"), lambda case: case.get_channel_display()),
    (_label("submitted_at"), lambda case: _local(case.submitted_at)),
    (_("Deadline"), lambda case: case.deadline),
    (_label("closed_at"), lambda case: _local(case.closed_at)),
    (_("Citizen"), lambda case: case.applicant_name),
    (_("Email address"), lambda case: case.applicant_email),
    (_("Phone"), lambda case: case.applicant_phone),
    (_("Department"), lambda case: case.department.name if case.department else ""),
    (_("Assigned to"), lambda case: case.assignee.get_full_name() if case.assignee else ""),
]


def cases_to_export(*, agent: User, query: str) -> CaseQuerySet:
    """The cases the board shows with these filters (its query string), as far as the agent may see them now."""
    form = BoardFilterForm(QueryDict(query), agent=agent)
    if not form.is_valid():
        raise ValidationError(_("The filters of this list are not valid."))
    return form.cases()


@dataclass(frozen=True)
class Layout:
    """The columns: the case's, then one per question of the téléservices listed, by (téléservice id, key)."""

    forms: dict[int, FormDefinition]  # by form version id
    questions: list[tuple[int, str]]
    headers: list[str]

    def row(self, case: Case) -> list[Value]:
        answers = _answers(self.forms[case.version_id], case.data)
        texts = [
            answers.get(key, "") if teleservice_id == case.teleservice_id else ""
            for teleservice_id, key in self.questions
        ]
        return [value(case) for _header, value in CASE_COLUMNS] + texts


def layout_of(cases: CaseQuerySet) -> Layout:
    """The form versions of the cases (one query): the newest version's questions first, then those it dropped.

    When the list mixes téléservices, each answer's header starts with its téléservice's title."""
    versions = list(
        FormVersion.objects.filter(pk__in=cases.order_by().values("version_id"))
        .select_related("teleservice")
        .order_by("teleservice__title", "teleservice_id", "-number")
    )
    several = len({version.teleservice_id for version in versions}) > 1
    forms: dict[int, FormDefinition] = {}
    questions: dict[tuple[int, str], str] = {}
    for version in versions:
        forms[version.pk] = version.form
        for question in forms[version.pk].fields():
            label = f"{version.teleservice.title} — {question.label}" if several else question.label
            questions.setdefault((version.teleservice_id, question.key), label)
    headers = [str(header) for header, _value in CASE_COLUMNS] + list(questions.values())
    return Layout(forms=forms, questions=list(questions), headers=headers)


def _answers(definition: FormDefinition, data: dict[str, Any]) -> dict[str, str]:
    """The shown questions' answers as text, as the case page reads them."""
    return {
        line.field.key: line.text or _rows_text(line)
        for _i, _page, lines in summary(definition, data)
        for line in lines
    }


def _rows_text(line: SummaryLine) -> str:
    """A repeatable block's rows, one after the other: “Désignation : Table, Quantité : 4 / …”."""
    return " / ".join(", ".join(f"{label} : {text}" for label, text in row if text) for row in line.rows)


def _safe(value: Value) -> Value:
    """Text a spreadsheet would run as a formula gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return f"'{value}"
    return value


def _csv_text(value: Value) -> str:
    if isinstance(value, datetime.datetime):
        return f"{value:%d/%m/%Y %H:%M}"
    if isinstance(value, datetime.date):
        return f"{value:%d/%m/%Y}"
    return value or ""


def _write_csv(out: IO[bytes], rows: Iterable[list[Value]]) -> None:
    """UTF-8 with a byte order mark and semicolons: what Excel opens as is in France."""
    text = io.TextIOWrapper(out, encoding="utf-8-sig", newline="")
    csv.writer(text, delimiter=";").writerows([_csv_text(value) for value in row] for row in rows)
    text.detach()  # flushed; the caller keeps the file


def _xlsx_cell(sheet: WriteOnlyWorksheet, value: Value) -> Any:
    if isinstance(value, datetime.date):
        cell = WriteOnlyCell(sheet, value)
        cell.number_format = "DD/MM/YYYY HH:MM" if isinstance(value, datetime.datetime) else "DD/MM/YYYY"
        return cell
    return ILLEGAL_CHARACTERS_RE.sub("", value) if value else None


def _write_xlsx(out: IO[bytes], rows: Iterable[list[Value]]) -> None:
    """A write-only workbook: rows go to disk as they come, whatever their number."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(str(capfirst(Case._meta.verbose_name_plural)))
    rows = iter(rows)
    bold = Font(bold=True)
    headers = [WriteOnlyCell(sheet, _xlsx_cell(sheet, header)) for header in next(rows)]
    for cell in headers:
        cell.font = bold
    sheet.append(headers)
    for row in rows:
        sheet.append([_xlsx_cell(sheet, value) for value in row])
    workbook.save(out)


WRITERS: dict[str, Callable[[IO[bytes], Iterable[list[Value]]], None]] = {
    Export.Format.CSV: _write_csv,
    Export.Format.XLSX: _write_xlsx,
}


def export_write(
    cases: CaseQuerySet, *, format: str, out: IO[bytes], progress: Callable[[int], Any] = lambda done: None
) -> int:
    """Write the cases, most urgent first like the board, into `out`; returns the number of rows.

    Three queries whatever the number of rows: the form versions, then the rows through a server-side cursor."""
    layout = layout_of(cases)
    written = 0

    def rows() -> Iterator[list[Value]]:
        nonlocal written
        yield [_safe(header) for header in layout.headers]
        streamed = cases.select_related("teleservice", "status", "department", "assignee").defer(
            "search_vector", "teleservice__search_vector"
        )
        for case in streamed.order_by(*ORDER).iterator(chunk_size=CHUNK_SIZE):
            yield [_safe(value) for value in layout.row(case)]
            written += 1
            if written % PROGRESS_EVERY == 0:
                progress(written)

    WRITERS[format](out, rows())
    return written


def cases_read(cases: CaseQuerySet) -> list[list[Any]]:
    """[reference, citizen id] of each request of the list, for the access log when its file is downloaded."""
    return [list(row) for row in cases.values_list("reference", "user_id")]


def export_reads_record(*, agent: User, reads: list[list[Any]], filename: str, department_id: int | None) -> None:
    """Write in the access log that the agent downloaded these requests' data (in the file `filename`)."""
    accesses_record(
        agent=agent,
        kind=Access.Kind.EXPORT,
        department_id=agent_department_id(agent, department_id),
        reads=[(reference, filename, citizen_id) for reference, citizen_id in reads],
    )


@transaction.atomic
def export_create(*, owner: User, format: str, query: str) -> Export:
    """Ask a worker for the export of a long list."""
    export = Export.objects.create(owner=owner, format=format, query=query)
    enqueue_on_commit(tasks.export_run_task, export_id=export.pk)
    return export


def letters_to_post(*, department: Department, day: datetime.date) -> LetterQuerySet:
    """The letters sent on `day` about the requests `department` instructs, in the order they were sent."""
    return Letter.objects.sent_on(day).filter(case__department=department)


@transaction.atomic
def letters_export_create(*, owner: User, department: Department, day: datetime.date) -> Export:
    """Ask a worker for the letters a department sent on a day, as one PDF to print."""
    export = Export.objects.create(
        owner=owner, kind=Export.Kind.LETTERS, format=Export.Format.PDF, department=department, day=day
    )
    enqueue_on_commit(tasks.export_run_task, export_id=export.pk)
    return export


# A run started longer ago than the task's hard time limit cannot be running any more: its worker died.
EXPORT_STALL = datetime.timedelta(seconds=cast(float, tasks.export_run_task.time_limit))


def export_run(*, export_id: int) -> Export | None:
    """Write an export's file, recording its progress as it goes (not in one transaction, so that its page sees it).

    Idempotent: the run is claimed by one conditional update, so that a task delivered twice writes the file once (the
    second finds it being written, or finished, and does nothing). A run whose worker died is taken again by the next
    delivery of its task or by the sweeper, EXPORT_ATTEMPTS times at most."""
    now = timezone.now()
    claimable = Export.objects.filter(pk=export_id).claimable(stalled_before=now - EXPORT_STALL)
    if not claimable.update(state=Export.State.RUNNING, rows_done=0, started_at=now, attempts=F("attempts") + 1):
        return None
    export = Export.objects.select_related("owner", "department").get(pk=export_id)
    try:
        FILE_WRITERS[export.kind](export)
    except Exception:  # the soft time limit (SoftTimeLimitExceeded) included
        logger.exception("Export %s failed", export.pk)
        export.state = Export.State.FAILED
    else:
        export.state = Export.State.DONE
    export.finished_at = timezone.now()
    export.save(update_fields=["state", "rows_done", "rows_total", "file", "key_id", "finished_at", "cases_read"])
    return export


def _export_file_write(export: Export) -> None:
    cases = cases_to_export(agent=export.owner, query=export.query)
    this = Export.objects.filter(pk=export.pk)
    this.update(rows_total=cases.count())
    with tempfile.TemporaryFile() as out:
        written = export_write(cases, format=export.format, out=out, progress=lambda done: this.update(rows_done=done))
        _export_file_save(export, out)
    export.rows_done = export.rows_total = written
    export.cases_read = cases_read(cases)


def _letters_file_write(export: Export) -> None:
    """The day's letters one after the other, each PDF read (decrypted) from the vault as it is merged."""
    department, day = export.department, export.day
    if department is None or day is None:
        raise ValidationError("An export of letters names its department and day.")
    if not Membership.objects.belongs(export.owner, department.pk):
        raise PermissionDenied(f"{export.owner} is no longer a member of {department}.")
    letters = letters_to_post(department=department, day=day).filter(pdf__isnull=False)
    this = Export.objects.filter(pk=export.pk)
    this.update(rows_total=letters.count())

    def contents() -> Iterator[bytes]:
        for done, letter in enumerate(letters.select_related("pdf").iterator(chunk_size=100), start=1):
            if letter.pdf is not None:
                yield letter.pdf.read()
            if done % LETTERS_PROGRESS_EVERY == 0:
                this.update(rows_done=done)

    with tempfile.TemporaryFile() as out:
        merged = pdfs_merge(contents(), out)
        _export_file_save(export, out)
    export.rows_done = export.rows_total = merged
    export.cases_read = [list(row) for row in letters.values_list("case__reference", "case__user_id")]


def _export_file_save(export: Export, written: IO[bytes]) -> None:
    """Keep the file written, encrypted as the vault's files (vault.crypto) a chunk at a time, bound to the export."""
    export.key_id = crypto.current_key_id()
    written.seek(0)
    with tempfile.TemporaryFile() as blob:
        chunks = iter(lambda: written.read(crypto.CHUNK_BYTES), b"")
        crypto.encrypt_chunks(chunks, blob, key_id=export.key_id, bound_to=export.bound_to)
        export.file.save(export.filename, File(blob), save=False)


FILE_WRITERS: dict[str, Callable[[Export], None]] = {
    Export.Kind.CASES: _export_file_write,
    Export.Kind.LETTERS: _letters_file_write,
}


# An export not started this long after it was asked for lost its task (the broker was down): queued again.
EXPORT_GRACE = datetime.timedelta(minutes=5)


def exports_run_stale(*, now: datetime.datetime) -> int:
    """Queue again the exports whose task was lost and those whose worker died while writing them (failed once it
    died EXPORT_ATTEMPTS times); returns how many were queued."""
    abandoned = Export.objects.abandoned_since(now - EXPORT_STALL)
    abandoned.filter(attempts__gte=EXPORT_ATTEMPTS).update(state=Export.State.FAILED, finished_at=now)
    waiting = Export.objects.waiting_since(now - EXPORT_GRACE) | abandoned
    return enqueue_all(tasks.export_run_task, "export_id", list(waiting.values_list("pk", flat=True)))


def exports_purge(*, now: datetime.datetime) -> int:
    """Delete the exports of more than a day, and their files; returns how many."""
    expired = Export.objects.expired(now)
    for export in expired.exclude(file="").iterator():
        export.file.delete(save=False)
    deleted, _by_model = expired.delete()
    return deleted
