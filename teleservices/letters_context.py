"""The plain context a letter about a request is filled in from (letters.rendering documents its placeholders).

It lives here, above letters, because it reads the request: its applicant, household, status and answers. Letters
only ever see the plain values it returns: strings, numbers and dates in nested dicts, never a model instance.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from gru.models import Organisation
from portal.models import User
from teleservices.definition import FieldDef
from teleservices.models import Case
from teleservices.summaries import answer_text


def letter_context(*, case: Case, agent: User | None = None) -> dict[str, Any]:
    """The values of every placeholder of letters.rendering.PLACEHOLDERS for this submitted request."""
    household, department = case.household, case.department
    organisation = department.organisation if department else Organisation.objects.current()
    postcode_and_town = " ".join(filter(None, [household.postcode, household.city])) if household else ""
    return {
        "usager": {
            "prenom": case.applicant_first_name,
            "nom": case.applicant_last_name,
            "nom_complet": case.applicant_name,
        },
        "foyer": {
            "adresse": ", ".join(filter(None, [household.street, postcode_and_town])) if household else "",
            "rue": household.street if household else "",
            "code_postal": household.postcode if household else "",
            "commune": household.city if household else "",
        },
        "demande": {
            "reference": case.reference or "",
            "demarche": case.teleservice.title,
            "date_depot": _local_date(case.submitted_at),
            "statut": case.citizen_status,
            "date_limite": case.deadline,
            "reponses": {f.key: _answer(f, case.data[f.key]) for f in case.form.fields() if f.key in case.data},
        },
        "agent": {"nom": agent.get_full_name() if agent else ""},
        "service": {
            "nom": department.name if department else "",
            "email": department.email if department else "",
            "telephone": department.phone if department else "",
        },
        "collectivite": {"nom": organisation.name},
        "date_du_jour": timezone.localdate(),
    }


def _local_date(moment: datetime.datetime | None) -> datetime.date | None:
    return timezone.localdate(moment) if moment else None


def _answer(f: FieldDef, answer: Any) -> str:
    """An answer as the citizen reads it; a repeatable block's rows one per line."""
    if f.kind != "block":
        return answer_text(f, answer)
    rows = [", ".join(filter(None, (answer_text(c, row.get(c.key)) for c in f.children if c.asks))) for row in answer]
    return "\n".join(rows)
