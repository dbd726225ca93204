"""`seed_bulk --cases N`: N realistic submitted cases, written with PostgreSQL COPY, for benchmarks.

The cases are spread over the demo's téléservices (seed_demo runs first when they are missing) and statuses (most
open, some waiting for the citizen, some decided), with deadlines around today (some late), submissions over the last
two years, French applicants without accounts and answers valid for each form. Ids are drawn from the table's
sequence and references have case_submit's format and never repeat one that exists, so later real submissions go on
as usual. Each case gets its timeline (submitted, then the action that brought it to its status)."""

from __future__ import annotations

import datetime
import io
import json
import random
import time
import unicodedata
import uuid
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from types import SimpleNamespace
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser
from django.db import connection, transaction
from django.db.models import Model
from django.utils import timezone
from PIL import Image

from backoffice.demo import CITY, FIRST_NAMES, LAST_NAMES, POSTCODE, STREETS
from gru.models import Membership
from gru.workdays import add_working_days
from teleservices.answers import file_answer, prefill_answers
from teleservices.conditions import Condition
from teleservices.definition import FieldDef, FormDefinition
from teleservices.demo import TELESERVICES
from teleservices.models import Case, CaseEvent, Teleservice
from teleservices.services import REFERENCE_ALPHABET, REFERENCE_LENGTH
from teleservices.workflows import Status
from vault.files import CheckedFile
from vault.services import stored_file_create

# status key: (weight, the action that led there, its comment)
STATUSES = {
    "recue": (30, "", ""),
    "en_cours": (35, "Prendre en charge", ""),
    "attente": (8, "Demander des compléments", "Merci de joindre un justificatif de domicile de moins de trois mois."),
    "acceptee": (16, "Accepter", ""),
    "refusee": (7, "Refuser", "La demande ne remplit pas les conditions."),
    "classee": (4, "Classer sans suite", "Demande en double."),
}
CHANNELS = {"web": 70, "counter": 12, "phone": 8, "mail": 6, "email": 4}
DOMAINS = ["example.org", "example.net", "example.com"]
TEXTS = ["Boulangerie du Centre", "Café des Tilleuls", "Échafaudage de façade", "Barrière de chantier", "Benne"]
SENTENCES = [
    "Devant le numéro 12, côté trottoir.",
    "À l'angle de la rue du Port et de l'avenue de la Gare.",
    "Le problème est signalé depuis une semaine.",
    "Près de l'arrêt de bus, bien visible depuis la route.",
]
IBAN, SIRET = "FR7630006000011234567890189", "73282932000074"
TWO_YEARS = datetime.timedelta(days=730)
HOUR = datetime.timedelta(hours=1)


def proof_of_address() -> CheckedFile:
    """A small PDF standing for the applicants' proof of address (one file, shared by the cases that need one)."""
    buffer = io.BytesIO()
    Image.new("RGB", (40, 40), "white").save(buffer, "PDF")
    return CheckedFile(content=buffer.getvalue(), mime="application/pdf", name="justificatif-domicile.pdf")


def _columns(model: type[Model], names: list[str]) -> list[str]:
    return [str(model._meta.get_field(name).column) for name in names]  # type: ignore[union-attr]


CASE_FIELDS = [
    "id", "public_id", "reference", "teleservice", "version", "applicant_first_name", "applicant_last_name",
    "applicant_email", "applicant_phone", "channel", "filed_by", "status", "department", "assignee", "data", "page",
    "created_at", "updated_at", "submitted_at", "deadline", "paused_days_left", "resume_status", "closed_at",
]  # fmt: skip
EVENT_FIELDS = ["case", "kind", "actor", "status", "comment", "detail", "created_at"]


@cache
def _deadline(submitted: datetime.date, days: int) -> datetime.date:
    return add_working_days(submitted, days)


def _ascii(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower().replace(" ", "-")


@dataclass
class Target:
    """A téléservice with what its cases need: form, statuses of its workflow, agents of its department."""

    teleservice: Teleservice
    form: FormDefinition
    statuses: dict[str, Status]
    agents: list[int]
    eligibility: set[str]

    @classmethod
    def of(cls, teleservice: Teleservice) -> Target:
        form = teleservice.current_version.form  # type: ignore[union-attr]
        agents = Membership.objects.filter(department=teleservice.department_id).values_list("user_id", flat=True)
        keys = {key for rule in form.eligibility for key in Condition.from_dict(rule.condition).fields}  # type: ignore[union-attr]
        return cls(
            teleservice=teleservice,
            form=form,
            statuses=_by_part(list(teleservice.workflow.statuses.order_by("position"))),
            agents=list(agents),
            eligibility=keys,
        )


def _by_part(statuses: list[Status]) -> dict[str, Status]:
    """The workflow's status playing each standard status's part (keys of STATUSES): the one with the same key,
    or else one of the same kind (initial, under way, waiting for the citizen, final)."""
    by_key = {status.key: status for status in statuses}
    initial = next(status for status in statuses if status.is_initial)
    final = [status for status in statuses if status.is_terminal]
    under_way = [s for s in statuses if not (s.is_initial or s.is_terminal or s.waits_for_citizen)] or [initial]
    waiting = [status for status in statuses if status.waits_for_citizen] or under_way
    kinds = {
        "recue": initial,
        "en_cours": under_way[0],
        "attente": waiting[0],
        "acceptee": final[0],
        "refusee": final[-1],
        "classee": final[-1],
    }
    return {key: by_key.get(key, kinds[key]) for key in STATUSES}


class Generator:
    """Rows of realistic cases, drawn at random (random, not secrets: these are test data)."""

    def __init__(self, targets: list[Target], proof: dict[str, Any], proof_id: int, references: set[str]) -> None:
        self.targets, self.proof, self.proof_id, self.references = targets, proof, proof_id, references
        self.rng = random.Random()  # noqa: S311 (test data)
        self.now = timezone.now()
        self.statuses = list(STATUSES)
        self.status_weights = [weight for weight, _label, _comment in STATUSES.values()]

    def reference(self, year: int) -> str:
        while True:
            code = "".join(self.rng.choices(REFERENCE_ALPHABET, k=REFERENCE_LENGTH))
            reference = f"DEM-{year}-{code}"
            if reference not in self.references:
                self.references.add(reference)
                return reference

    def case(self, pk: int) -> tuple[list[Any], list[list[Any]], bool]:
        """The case's row, its events' rows, and whether it holds the proof file."""
        rng, target = self.rng, self.rng.choice(self.targets)
        teleservice = target.teleservice
        key = rng.choices(self.statuses, self.status_weights)[0]
        status = target.statuses[key]
        submitted_at, deadline, closed_at = self.dates(status.is_terminal, teleservice.processing_days)
        channel = rng.choices(list(CHANNELS), list(CHANNELS.values()))[0]
        agent = rng.choice(target.agents) if target.agents else None
        applicant = self.applicant(with_email=channel != "counter" or rng.random() < 0.6)
        data = self.answers(target, applicant, submitted_at.date())
        assignee = agent if key != "recue" and rng.random() < 0.6 else None
        filed_by = agent if channel != "web" else None
        acted_at = min(closed_at or submitted_at + rng.uniform(1, 48) * HOUR, self.now)
        waits = status.waits_for_citizen
        row = [
            pk, uuid.uuid4(), self.reference(timezone.localtime(submitted_at).year), teleservice.pk,
            teleservice.current_version_id, applicant.first_name, applicant.last_name, applicant.email,
            applicant.phone, channel, filed_by, status.pk, teleservice.department_id, assignee, json.dumps(data), 0,
            submitted_at, acted_at, submitted_at, None if waits else deadline,
            rng.randint(1, teleservice.processing_days) if waits else None,
            target.statuses["en_cours"].pk if waits else None, closed_at,
        ]  # fmt: skip
        initial = target.statuses["recue"]
        events = [[pk, CaseEvent.Kind.SUBMITTED.value, filed_by, initial.pk, "", "", submitted_at]]
        _weight, label, comment = STATUSES[key]
        if label:
            events.append(
                [pk, CaseEvent.Kind.STATUS_CHANGED.value, assignee or agent, status.pk, comment, label, acted_at]
            )
        return row, events, any(f.kind == "file" and f.key in data for f in target.form.fields())

    def dates(self, decided: bool, days: int) -> tuple[datetime.datetime, datetime.date, datetime.datetime | None]:
        """Submission, deadline and decision: open cases were filed recently (some are late), decided ones over two
        years; one open case in ten is an old one left behind."""
        rng, window = self.rng, datetime.timedelta(days=days * 1.4)
        if decided or rng.random() < 0.1:
            submitted_at = self.now - rng.uniform(0, 1) * TWO_YEARS
        else:
            submitted_at = self.now - rng.uniform(0, 1.6) * window
        deadline = _deadline(timezone.localdate(submitted_at), days)
        closed_at = min(submitted_at + rng.uniform(0.1, 1.2) * window, self.now) if decided else None
        return submitted_at, deadline, closed_at

    def applicant(self, *, with_email: bool) -> SimpleNamespace:
        rng = self.rng
        first_name, last_name = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        number = rng.randint(1, 999)
        email = f"{_ascii(first_name)}.{_ascii(last_name)}{number}@{rng.choice(DOMAINS)}" if with_email else ""
        street = f"{rng.randint(1, 120)} {rng.choice(STREETS)}"
        birth_date = datetime.date(rng.randint(1940, 2004), rng.randint(1, 12), rng.randint(1, 28))
        return SimpleNamespace(
            first_name=first_name,
            last_name=last_name,
            email=email,
            phone=f"+336{rng.randint(10_000_000, 99_999_999)}",
            birth_date=birth_date,
            street=street,
            postcode=POSTCODE,
            city=CITY,
        )

    def answers(self, target: Target, applicant: SimpleNamespace, day: datetime.date) -> dict[str, Any]:
        """Answers of the required questions and half the optional ones but files (the profile's where the form
        prefills them), then only the shown ones, as case_submit keeps them."""
        form = target.form
        answers: dict[str, Any] = prefill_answers(form, user=applicant, household=applicant)  # type: ignore[arg-type]
        for f in form.fields():
            if f.key not in answers and (f.required or (f.kind != "file" and self.rng.random() < 0.5)):
                answers[f.key] = self.answer(f, applicant, day, eligibility=target.eligibility)
        return form.shown_answers(answers)

    def answer(self, f: FieldDef, applicant: SimpleNamespace, day: datetime.date, *, eligibility: set[str]) -> Any:
        rng, kind = self.rng, f.kind
        if kind == "block":
            rows = rng.randint(f.option("min_rows") or 1, min(f.option("max_rows") or 3, 3))
            return [{c.key: self.answer(c, applicant, day, eligibility=set()) for c in f.children} for _ in range(rows)]
        if kind in ("choice", "multiple"):
            values = [value for value, _label in f.choice_list]
            return rng.choice(values) if kind == "choice" else rng.sample(values, rng.randint(1, len(values)))
        if kind in ("integer", "decimal"):
            low, high = float(f.option("min_value", 1)), float(f.option("max_value", 10))
            return (
                rng.randint(int(low), int(high)) if kind == "integer" else str(Decimal(f"{rng.uniform(low, high):.1f}"))
            )
        if kind == "date":
            offset = {"past": -rng.randint(0, 3650), "future": rng.randint(15, 60)}.get(f.option("date_bounds"), 0)
            return (day + datetime.timedelta(days=offset)).isoformat()
        if kind == "members":
            birth = datetime.date(day.year - rng.randint(3, 11), rng.randint(1, 12), rng.randint(1, 28))
            name = f"{rng.choice(FIRST_NAMES)} {applicant.last_name}"
            return [{"id": None, "name": name, "birth_date": birth.isoformat()}]
        if kind == "boolean":
            return f.key in eligibility or rng.random() < 0.7
        simple = {
            "text": lambda: rng.choice(TEXTS)[: f.option("max_length", 100)],
            "textarea": lambda: rng.choice(SENTENCES),
            "email": lambda: applicant.email or f"{_ascii(applicant.last_name)}@example.org",
            "phone": lambda: applicant.phone,
            "address": lambda: {"street": applicant.street, "postcode": POSTCODE, "city": CITY},
            "file": lambda: self.proof,
            "iban": lambda: IBAN,
            "siret": lambda: SIRET,
        }
        return simple[kind]()


def _targets() -> list[Target]:
    slugs = [spec["slug"] for spec in TELESERVICES]
    teleservices = Teleservice.objects.published().filter(slug__in=slugs).select_related("workflow")
    if len(teleservices) < len(slugs):
        call_command("seed_demo", verbosity=0)
    return [Target.of(teleservice) for teleservice in teleservices.all()]


class Command(BaseCommand):
    help = "Create N realistic submitted cases quickly (PostgreSQL COPY), for benchmarks."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--cases", type=int, required=True, help="how many cases to create")
        parser.add_argument("--batch", type=int, default=20_000, help="cases written per transaction")

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.monotonic()
        targets = _targets()
        proof = stored_file_create(owner=None, checked=proof_of_address())
        references = {str(r) for r in Case.objects.exclude(reference=None).values_list("reference", flat=True)}
        generator = Generator(targets, file_answer(proof), proof.pk, references)
        done, total = 0, options["cases"]
        while done < total:
            size = min(options["batch"], total - done)
            _write(generator, size)
            done += size
            self.stdout.write(f"{done} cases ({time.monotonic() - started:.0f} s)")
        # Fresh statistics, so that the planner knows the tables' new sizes; and, outside a transaction, the
        # visibility map that lets PostgreSQL count from an index alone, as autovacuum would set it later.
        command = "ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)"
        with connection.cursor() as cursor:
            for model in (Case, CaseEvent):
                cursor.execute(f"{command} {model._meta.db_table}")
        self.stdout.write(self.style.SUCCESS(f"{total} cases created in {time.monotonic() - started:.0f} s."))


@transaction.atomic
def _write(generator: Generator, size: int) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)", [Case._meta.db_table, size]
        )
        ids = [pk for (pk,) in cursor.fetchall()]
        cases, events, files = [], [], []
        for pk in ids:
            row, case_events, holds_proof = generator.case(pk)
            cases.append(row)
            events += case_events
            if holds_proof:
                files.append([pk, generator.proof_id])
        _copy(cursor, Case._meta.db_table, _columns(Case, CASE_FIELDS), cases)
        _copy(cursor, CaseEvent._meta.db_table, _columns(CaseEvent, EVENT_FIELDS), events)
        _copy(cursor, Case.files.through._meta.db_table, ["case_id", "storedfile_id"], files)


def _copy(cursor: Any, table: str, columns: list[str], rows: list[list[Any]]) -> None:
    with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:  # our own names, not input
        for row in rows:
            copy.write_row(row)
