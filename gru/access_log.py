"""The access log: every read of a citizen's data by an agent, one row each, shown to the citizen ("Qui a consulté
mes données", portal) and to the managers of the reading department.

Pages call `access_record` once per page shown, a single INSERT (an export writes one row per citizen it holds, in one
statement). Rows are never changed: the database refuses it (gru migration 0006); `access_log_purge` deletes, through
the database's own function, those older than ACCESS_LOG_RETENTION_MONTHS."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db import connection
from django.utils import formats, timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gru.models import Access, Membership
from gru.workdays import months_before


def access_record(
    *,
    agent: Any,
    kind: str,
    subject: str,
    reason: str,
    citizen_ids: Iterable[int | None],
    department_id: int | None,
) -> None:
    """Write that `agent`, working for `department_id`, read `subject` (of the `kind` of `Access.Kind`) of each citizen
    (those without an account, None, are left out), because of `reason` (the request, the counter visit)."""
    reads = [(subject, reason, citizen_id) for citizen_id in dict.fromkeys(citizen_ids)]
    accesses_record(agent=agent, kind=kind, department_id=department_id, reads=reads)


def accesses_record(
    *, agent: Any, kind: str, department_id: int | None, reads: Iterable[tuple[str, str, int | None]]
) -> None:
    """Write several reads at once, each (subject, reason, citizen id): an export, a row per request it holds."""
    rows = [
        Access(
            agent_id=agent.pk,
            department_id=department_id,
            citizen_id=citizen_id,
            kind=kind,
            subject=subject[:300],
            reason=reason[:300],
        )
        for subject, reason, citizen_id in reads
        if citizen_id is not None
    ]
    Access.objects.bulk_create(rows, batch_size=1000)


# What the citizen reads of each kind of read (`who` and `date` are filled in by access_sentence).
_SENTENCES: dict[str, Promise] = {
    Access.Kind.CASE: gettext_lazy("%(who)s consulted your request %(subject)s on %(date)s."),
    Access.Kind.LETTER: gettext_lazy("%(who)s read the letter “%(subject)s” of your request %(reason)s on %(date)s."),
    Access.Kind.DOCUMENT: gettext_lazy("%(who)s opened your file “%(subject)s” on %(date)s."),
    Access.Kind.CITIZEN: gettext_lazy(
        "%(who)s consulted your citizen page (your requests and documents) for your request %(reason)s on %(date)s."
    ),
    Access.Kind.EXPORT: gettext_lazy("%(who)s exported your request %(subject)s in a list on %(date)s."),
}


def access_sentence(access: Access) -> str:
    """A read in plain French, for the citizen whose data it was ("Service État civil — un agent a consulté votre
    demande DEM-2026-… le 4 décembre 2026 à 10 h 12."); with ACCESS_LOG_SHOWS_AGENT_NAMES, the agent's name."""
    department = access.department.name if access.department is not None else ""
    if settings.ACCESS_LOG_SHOWS_AGENT_NAMES:
        who = _("%(agent)s (%(department)s)") % {"agent": access.agent.get_full_name(), "department": department}
    else:
        who = _("Department %(department)s — an agent") % {"department": department} if department else _("An agent")
    moment = timezone.localtime(access.at)
    date = _("%(day)s at %(hours)s h %(minutes)s") % {
        "day": formats.date_format(moment, "j F Y"),
        "hours": f"{moment:%H}",
        "minutes": f"{moment:%M}",
    }
    return str(_SENTENCES[access.kind]) % {"who": who, "subject": access.subject, "reason": access.reason, "date": date}


def access_log_read_record(*, agent: Any, department_id: int | None) -> None:
    """Write that the agent read the access log (a manager their department's, an administrator all of it)."""
    Access.objects.create(agent_id=agent.pk, department_id=department_id, kind=Access.Kind.LOG, subject="", reason="")


def agent_department_id(agent: Any, department_id: int | None) -> int | None:
    """The department the agent reads for: `department_id` when they belong to it (the request's), else their first
    one (an opinion asked of another department)."""
    departments = list(Membership.objects.of(agent).order_by("pk").values_list("department_id", flat=True))
    if department_id in departments:
        return department_id
    return departments[0] if departments else None


def access_log_purge(*, now: datetime.datetime) -> int:
    """Delete the rows older than the retention (ACCESS_LOG_RETENTION_MONTHS); returns how many went."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT gru_access_purge(%s)", [months_before(now, settings.ACCESS_LOG_RETENTION_MONTHS)])
        (purged,) = cursor.fetchone()
    return int(purged)
