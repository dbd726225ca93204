"""The agents' dashboard: figures on their departments' cases, and the bar charts drawn from them.

Scope: the cases of the agent's own departments (memberships), not those shared with them for an opinion, because a
dashboard measures a department's workload; a case shared with carol stays in État civil's figures only.

Each figure is one aggregate query whatever the number of cases: open cases per status, overdue open cases per
téléservice, average processing time per téléservice over the period (in calendar days, and in working days counted
by PostgreSQL as `gru.workdays.working_days_between` counts them), cases filed and decided per week.

The charts' geometry is computed here, one `Bar` per bar in the SVG's user units, so that the template
(`components/bar_chart.html`) only writes numbers down."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib.postgres.fields import ArrayField
from django.db.models import Avg, Count, DateField, F, Func, IntegerField, Min, Value
from django.db.models.functions import TruncDate, TruncWeek
from django.utils import formats, timezone
from django.utils.text import Truncator
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from gru.models import Department
from gru.workdays import SATURDAY, is_working_day
from portal.models import User
from teleservices import access
from teleservices.models import CaseQuerySet

PERIODS = [(30, _("Last 30 days")), (90, _("Last 90 days"))]
# A case decided more than this many years after its filing counts the older public holidays as working days.
HOLIDAY_YEARS = 5
# Fixed bar colours, each above 4.5:1 against the white page (the statuses' colours are checked when saved).
OVERDUE_COLOUR, PROCESSING_COLOUR, FILED_COLOUR, DECIDED_COLOUR = "#b3261e", "#1d4f91", "#1d4f91", "#1b6b2f"

# Geometry of the charts, in the SVG's user units (the drawing scales to the width of its container).
WIDTH = 360
VALUE_SPACE = 90  # room right of the longest bar for its value
LABEL_HEIGHT = 22  # a row's label, written above its bars so that long names fit
LABEL_BASELINE = 16
LABEL_CHARS = 40  # about the width of the drawing, in bold
BAR_HEIGHT = 20
BAR_GAP = 4
ROW_GAP = 14
TEXT_OFFSET = 6


class DashboardForm(forms.Form):
    """The dashboard's filters, from the query string: one of my departments (or all of them) and the period."""

    department = forms.ModelChoiceField(
        label=_("Department"),
        queryset=Department.objects.none(),
        required=False,
        empty_label=_("All my departments"),
    )
    period = forms.TypedChoiceField(
        label=_("Period"), choices=PERIODS, coerce=int, required=False, empty_value=PERIODS[0][0]
    )

    def __init__(self, *args: Any, agent: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = Department.objects.filter(memberships__user=agent)

    def cases(self, agent: User) -> CaseQuerySet:
        """The submitted cases of my departments, or of the one chosen (the form must be valid)."""
        chosen = self.cleaned_data["department"]
        departments = [chosen] if chosen else self.fields["department"].queryset
        return access.cases_visible_to(agent).filter(department__in=departments)


class WorkingDays(Func):
    """Working days after `start` up to and including `end` (two dates), as `working_days_between` counts them:
    Monday to Friday, minus the public holidays given (a list of dates)."""

    arity = 3
    output_field = IntegerField()
    template = (
        "(SELECT count(*) FROM generate_series((%(start)s + 1)::timestamp, (%(end)s)::timestamp, interval '1 day')"
        " AS day WHERE extract(isodow FROM day) < 6 AND NOT day::date = ANY(%(holidays)s))"
    )

    def as_sql(self, compiler: Any, connection: Any, **extra_context: Any) -> tuple[str, list[Any]]:
        compiled = [compiler.compile(expression) for expression in self.get_source_expressions()]
        parts = dict(zip(("start", "end", "holidays"), (sql for sql, _params in compiled), strict=True))
        return self.template % parts, [param for _sql, params in compiled for param in params]


def public_holidays(today: datetime.date) -> list[datetime.date]:
    """The public holidays falling on weekdays, from the start of the year `HOLIDAY_YEARS` ago up to today."""
    first = datetime.date(today.year - HOLIDAY_YEARS, 1, 1)
    days = (first + datetime.timedelta(days=n) for n in range((today - first).days + 1))
    return [day for day in days if day.weekday() < SATURDAY and not is_working_day(day)]


@dataclass(frozen=True)
class Measure:
    """A value to draw: its bar's length, its text and its colour."""

    value: float
    text: str
    colour: str


@dataclass(frozen=True)
class Bar:
    """One bar in the SVG's user units: the rectangle, then its value written right of it."""

    y: int
    width: int
    colour: str
    text: str
    text_x: int
    text_y: int


@dataclass(frozen=True)
class Row:
    label: str
    label_y: int
    bars: list[Bar]


@dataclass(frozen=True)
class BarChart:
    html_id: str
    title: str
    rows: list[Row]
    height: int
    width: int = WIDTH
    bar_height: int = BAR_HEIGHT


def bar_chart(*, html_id: str, title: str, rows: list[tuple[str, list[Measure]]]) -> BarChart:
    """Horizontal bars scaled to the largest value; each row's label above its bars (one or more)."""
    largest = max((measure.value for _label, measures in rows for measure in measures), default=0) or 1
    scale = (WIDTH - VALUE_SPACE) / largest
    laid_out, top = [], 0
    for label, measures in rows:
        bars, y = [], top + LABEL_HEIGHT
        for measure in measures:
            width = max(round(measure.value * scale), 1) if measure.value else 0
            bars.append(Bar(y, width, measure.colour, measure.text, width + TEXT_OFFSET, y + BAR_HEIGHT // 2))
            y += BAR_HEIGHT + BAR_GAP
        laid_out.append(Row(Truncator(label).chars(LABEL_CHARS), top + LABEL_BASELINE, bars))
        top = y - BAR_GAP + ROW_GAP
    return BarChart(html_id=html_id, title=title, rows=laid_out, height=max(top - ROW_GAP, 0))


def _decimal(value: float) -> str:
    return formats.number_format(value, 1)


def _days(value: float) -> str:
    return gettext("%(days)s d") % {"days": _decimal(value)}


@dataclass(frozen=True)
class StatusCount:
    label: str
    colour: str
    count: int


@dataclass(frozen=True)
class TeleserviceCount:
    title: str
    count: int


@dataclass(frozen=True)
class ProcessingTime:
    """The cases of a téléservice decided in the period, and their average time from filing to decision."""

    title: str
    decided: int
    days: float
    working_days: float


@dataclass(frozen=True)
class Week:
    start: datetime.date
    filed: int
    decided: int

    @property
    def label(self) -> str:
        return gettext("Week of %(date)s") % {"date": formats.date_format(self.start, "DATE_FORMAT")}

    @property
    def measures(self) -> list[Measure]:
        """Two bars: filed, then decided, their values written with their meaning (colour is not the only cue)."""
        filed = ngettext("%(count)d filed", "%(count)d filed", self.filed) % {"count": self.filed}
        decided = ngettext("%(count)d decided", "%(count)d decided", self.decided) % {"count": self.decided}
        return [Measure(self.filed, filed, FILED_COLOUR), Measure(self.decided, decided, DECIDED_COLOUR)]


def open_per_status(cases: CaseQuerySet) -> list[StatusCount]:
    """Open cases per status; statuses of several workflows with the same label and colour are added together."""
    rows = (
        cases.open()
        .values(label=F("status__label"), colour=F("status__colour"))
        .annotate(count=Count("id"), position=Min("status__position"))
        .order_by("position", "label")
    )
    return [StatusCount(label=row["label"], colour=row["colour"], count=row["count"]) for row in rows]


def overdue_per_teleservice(cases: CaseQuerySet, today: datetime.date) -> list[TeleserviceCount]:
    """Open cases whose deadline is past, per téléservice, the most late first."""
    rows = (
        cases.open()
        .filter(deadline__lt=today)
        .values("teleservice_id", title=F("teleservice__title"))
        .annotate(count=Count("id"))
        .order_by("-count", "title")
    )
    return [TeleserviceCount(title=row["title"], count=row["count"]) for row in rows]


def processing_times(cases: CaseQuerySet, since: datetime.datetime) -> list[ProcessingTime]:
    """Per téléservice, the cases decided since `since` and their average processing time, with one decimal."""
    holidays = Value(public_holidays(timezone.localdate()), output_field=ArrayField(DateField()))
    rows = (
        cases.filter(closed_at__gte=since)
        .values("teleservice_id", title=F("teleservice__title"))
        .annotate(
            decided=Count("id"),
            duration=Avg(F("closed_at") - F("submitted_at")),
            working=Avg(WorkingDays(TruncDate("submitted_at"), TruncDate("closed_at"), holidays)),
        )
        .order_by("title")
    )
    return [
        ProcessingTime(
            title=row["title"],
            decided=row["decided"],
            days=round(row["duration"] / datetime.timedelta(days=1), 1),
            working_days=round(float(row["working"]), 1),
        )
        for row in rows
    ]


def _per_week(cases: CaseQuerySet, field: str) -> dict[datetime.date, int]:
    weeks = cases.annotate(week=TruncWeek(field, output_field=DateField())).values("week")
    return {row["week"]: row["count"] for row in weeks.annotate(count=Count("id")).order_by()}


def weekly_activity(cases: CaseQuerySet, since: datetime.datetime) -> list[Week]:
    """Cases filed and cases decided each week (from Monday) since `since`, weeks without any included."""
    filed = _per_week(cases.filter(submitted_at__gte=since), "submitted_at")
    decided = _per_week(cases.filter(closed_at__gte=since), "closed_at")
    first = timezone.localdate(since)
    first -= datetime.timedelta(days=first.weekday())
    mondays = (first + datetime.timedelta(days=n) for n in range(0, (timezone.localdate() - first).days + 1, 7))
    return [Week(start=monday, filed=filed.get(monday, 0), decided=decided.get(monday, 0)) for monday in mondays]


@dataclass(frozen=True)
class Figures:
    days: int
    statuses: list[StatusCount]
    overdue: list[TeleserviceCount]
    processing: list[ProcessingTime]
    weeks: list[Week]

    @property
    def open_total(self) -> int:
        return sum(status.count for status in self.statuses)

    @property
    def overdue_total(self) -> int:
        return sum(teleservice.count for teleservice in self.overdue)

    @property
    def filed_total(self) -> int:
        return sum(week.filed for week in self.weeks)

    @property
    def decided_total(self) -> int:
        return sum(teleservice.decided for teleservice in self.processing)

    @property
    def panels(self) -> list[Panel]:
        """The dashboard's sections, each a chart and the table of the same figures."""
        processing_caption = gettext(
            "Time from filing to decision of the requests decided in the last %(days)s days"
        ) % {"days": self.days}
        weeks_caption = gettext("Requests filed and decided each week of the last %(days)s days") % {"days": self.days}
        return [
            Panel(
                key="statuses",
                title=gettext("Open requests per status"),
                chart_rows=[(s.label, [Measure(s.count, str(s.count), s.colour)]) for s in self.statuses],
                caption=gettext("Open requests per status"),
                headers=[gettext("Status"), gettext("Open requests")],
                rows=[(s.label, [str(s.count)]) for s in self.statuses],
                empty=gettext("No open request."),
            ),
            Panel(
                key="overdue",
                title=gettext("Overdue requests per procedure"),
                chart_rows=[(t.title, [Measure(t.count, str(t.count), OVERDUE_COLOUR)]) for t in self.overdue],
                caption=gettext("Open requests whose deadline has passed, per procedure"),
                headers=[gettext("Procedure"), gettext("Overdue requests")],
                rows=[(t.title, [str(t.count)]) for t in self.overdue],
                empty=gettext("No overdue request."),
            ),
            Panel(
                key="processing",
                title=gettext("Average processing time per procedure"),
                chart_title=gettext("Average processing time per procedure, in days"),
                chart_rows=[(t.title, [Measure(t.days, _days(t.days), PROCESSING_COLOUR)]) for t in self.processing],
                caption=processing_caption,
                headers=[
                    gettext("Procedure"),
                    gettext("Decided requests"),
                    gettext("Average in days"),
                    gettext("Average in working days"),
                ],
                rows=[(t.title, [str(t.decided), _decimal(t.days), _decimal(t.working_days)]) for t in self.processing],
                empty=gettext("No request decided in the last %(days)s days.") % {"days": self.days},
            ),
            Panel(
                key="weeks",
                title=gettext("Requests filed and decided per week"),
                chart_rows=[(week.label, week.measures) for week in self.weeks],
                caption=weeks_caption,
                headers=[gettext("Week"), gettext("Filed requests"), gettext("Decided requests")],
                rows=[(week.label, [str(week.filed), str(week.decided)]) for week in self.weeks],
            ),
        ]


@dataclass(frozen=True)
class Panel:
    """A section of the dashboard: a chart, and the table giving the same figures (its accessible equivalent);
    `empty` is said instead when there is no row (when it is empty, the chart and table are always shown)."""

    key: str
    title: str
    chart_rows: list[tuple[str, list[Measure]]]
    caption: str
    headers: list[str]
    rows: list[tuple[str, list[str]]]
    empty: str = ""
    chart_title: str = ""

    @property
    def chart(self) -> BarChart:
        return bar_chart(html_id=f"chart-{self.key}", title=self.chart_title or self.title, rows=self.chart_rows)

    @property
    def shown(self) -> bool:
        return bool(self.rows) or not self.empty


def figures(cases: CaseQuerySet, *, days: int) -> Figures:
    """Every figure of the dashboard for these cases, the period being the last `days` days."""
    since = timezone.now() - datetime.timedelta(days=days)
    return Figures(
        days=days,
        statuses=open_per_status(cases),
        overdue=overdue_per_teleservice(cases, timezone.localdate()),
        processing=processing_times(cases, since),
        weeks=weekly_activity(cases, since),
    )
