"""Booking: agendas (a counter or an agent), appointment types (motifs), opening rules, closures, appointments and
earlier-slot alerts. Free slots are computed from these rows (appointments.slots), never stored."""

from __future__ import annotations

import datetime
import secrets
import uuid
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, ClassVar

from django.conf import settings
from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import ArrayField, DateTimeRangeField, RangeBoundary, RangeOperators
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Exists, OuterRef, Q, Value
from django.db.models.functions import Concat
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.dates import WEEKDAYS
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from gru.models import Membership
from teleservices.models import KEYWORDS_HELP, SEARCH_CONFIG, Unaccented

if TYPE_CHECKING:
    from portal.models import User

WEEKDAY_CHOICES = list(WEEKDAYS.items())
# The reminder goes this long before the appointment, unless it was booked within that time.
REMINDER_BEFORE = datetime.timedelta(hours=48)
# A citizen waiting for an earlier slot is told at most this often.
ALERT_INTERVAL = datetime.timedelta(days=1)
# The number of an ANTS pre-application (identity card, passport): 10 capital letters and digits.
ANTS_NUMBER_PATTERN = r"[A-Z0-9]{10}"
ANTS_NUMBER_FORMAT = _("The ANTS pre-application number has 10 characters, letters and digits, like 1234AB5678.")


def new_feed_token() -> str:
    return secrets.token_urlsafe(32)


def _departments_of(user: User) -> models.QuerySet[Membership, Any]:
    """The agent's departments, as a subquery."""
    return Membership.objects.of(user).department_ids()


class AppointmentTypeQuerySet(models.QuerySet["AppointmentType"]):
    def active(self) -> AppointmentTypeQuerySet:
        return self.filter(is_active=True)

    def bookable_online(self) -> AppointmentTypeQuerySet:
        return self.active().filter(booking=AppointmentType.Booking.ONLINE)

    def offered(self) -> AppointmentTypeQuerySet:
        """Types some active agenda takes, by a rule still in force today or starting later (see
        AgendaQuerySet.offering)."""
        today = timezone.localdate()
        rules = OpeningRule.objects.filter(types=OuterRef("pk"), agenda__is_active=True).filter(
            Q(valid_until__isnull=True) | Q(valid_until__gte=today)
        )
        return self.filter(Exists(rules))


class AppointmentType(models.Model):
    """A motif (passport, building permit advice…): how long it lasts, what citizens read before and after booking,
    who may book it and the booking rules that protect the agendas from late, far or hoarded bookings."""

    class Booking(models.TextChoices):
        ONLINE = "online", _("Online by citizens, and by agents")
        AGENTS = "agents", _("By agents only")

    label = models.CharField(_("label"), max_length=200)
    slug = models.SlugField(_("identifier in addresses"), max_length=100, unique=True)
    duration_minutes = models.PositiveSmallIntegerField(_("duration (minutes)"), default=20)
    description = models.TextField(
        _("what to know before booking"), blank=True, help_text=_("Shown when the citizen chooses this motif.")
    )
    instructions = models.TextField(
        _("instructions once booked"),
        blank=True,
        help_text=_("Where to go, what to expect… Shown on the confirmation, in its email and in the calendar."),
    )
    to_bring = models.TextField(
        _("what to bring"),
        blank=True,
        help_text=_(
            "One item a line. Shown before booking, on the confirmation, in its emails (and reminder) and in the "
            "calendar."
        ),
    )
    asks_ants_number = models.BooleanField(
        _("asks for the ANTS pre-application number"),
        default=False,
        help_text=_(
            "For identity cards and passports: citizens booking online give the number of their pre-application."
        ),
    )
    booking = models.CharField(_("booking"), max_length=10, choices=Booking.choices, default=Booking.ONLINE)
    identified_only = models.BooleanField(
        _("citizens identified with FranceConnect only"),
        default=False,
        help_text=_("Agents booking for a citizen check the identity themselves."),
    )
    teleservice = models.ForeignKey(
        "teleservices.Teleservice",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="appointment_types",
        verbose_name=_("online procedure"),
        help_text=_("The procedure this appointment serves, if any (its requests may be linked to it)."),
    )
    min_notice_hours = models.PositiveSmallIntegerField(
        _("minimum notice (hours)"), default=2, help_text=_("Slots starting sooner are not offered to citizens.")
    )
    horizon_days = models.PositiveSmallIntegerField(
        _("booking horizon (days)"), default=90, help_text=_("How far ahead slots are offered.")
    )
    change_notice_hours = models.PositiveSmallIntegerField(
        _("cancellation and change deadline (hours)"),
        default=24,
        help_text=_("Citizens may cancel or move an appointment until this many hours before it; agents at any time."),
    )
    max_upcoming = models.PositiveSmallIntegerField(
        _("upcoming appointments per citizen"), null=True, blank=True, default=1, help_text=_("Empty: no limit.")
    )
    is_active = models.BooleanField(_("active"), default=True)
    keywords = models.TextField(_("keywords and synonyms"), blank=True, help_text=KEYWORDS_HELP)
    # The citizens' search (teleservices/search.py): French words, and the label and keywords for misspellings.
    search_vector = models.GeneratedField(
        expression=SearchVector("label", weight="A", config=SEARCH_CONFIG)
        + SearchVector("keywords", weight="A", config=SEARCH_CONFIG)
        + SearchVector("description", weight="B", config=SEARCH_CONFIG),
        output_field=SearchVectorField(),
        db_persist=True,
    )
    search_text = models.GeneratedField(
        expression=Unaccented(Concat("label", Value(" "), "keywords", output_field=models.TextField())),
        output_field=models.TextField(),
        db_persist=True,
    )

    history = HistoricalRecords(excluded_fields=["search_vector", "search_text"])
    objects = AppointmentTypeQuerySet.as_manager()

    class Meta:
        ordering = ["label"]
        verbose_name = _("appointment type")
        verbose_name_plural = _("appointment types")
        indexes = [
            GinIndex(fields=["search_vector"], name="appointment_type_search"),
            GinIndex(fields=["search_text"], opclasses=["gin_trgm_ops"], name="appointment_type_trigrams"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(duration_minutes__gt=0), name="appointment_type_has_a_duration"),
            models.CheckConstraint(condition=Q(horizon_days__gt=0), name="appointment_type_has_a_horizon"),
            models.CheckConstraint(
                condition=Q(max_upcoming__isnull=True) | Q(max_upcoming__gt=0), name="appointment_type_limit_positive"
            ),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def duration(self) -> datetime.timedelta:
        return datetime.timedelta(minutes=self.duration_minutes)

    @property
    def min_notice(self) -> datetime.timedelta:
        return datetime.timedelta(hours=self.min_notice_hours)

    @property
    def horizon(self) -> datetime.timedelta:
        return datetime.timedelta(days=self.horizon_days)

    @property
    def change_notice(self) -> datetime.timedelta:
        return datetime.timedelta(hours=self.change_notice_hours)

    @property
    def to_bring_items(self) -> list[str]:
        """What to bring, one item a line, the empty lines left out."""
        return [line.strip(" -•\t") for line in self.to_bring.splitlines() if line.strip(" -•\t")]


class AgendaQuerySet(models.QuerySet["Agenda"]):
    def active(self) -> AgendaQuerySet:
        return self.filter(is_active=True)

    def offering(self, type: AppointmentType) -> AgendaQuerySet:
        """Active agendas with a rule for this type that is still in force today or starts later."""
        today = timezone.localdate()
        rules = OpeningRule.objects.filter(agenda=OuterRef("pk"), types=type).filter(
            Q(valid_until__isnull=True) | Q(valid_until__gte=today)
        )
        return self.active().filter(Exists(rules))

    def visible_to_agent(self, user: User) -> AgendaQuerySet:
        return self.filter(department__in=_departments_of(user))

    def managed_by(self, user: User) -> AgendaQuerySet:
        """The agendas whose opening hours and closures the agent may change: those of the departments they manage,
        and their own agenda (while they belong to its department)."""
        managed = Membership.objects.of(user).managers().department_ids()
        return self.visible_to_agent(user).filter(Q(department__in=managed) | Q(agent=user))


class Agenda(models.Model):
    """What takes bookings: a department's counter (several desks) or one agent's diary. Its calendar feed (for the
    agents' calendar software) is read with a secret token, regenerated when it leaks."""

    department = models.ForeignKey(
        "gru.Department", on_delete=models.PROTECT, related_name="agendas", verbose_name=_("department")
    )
    name = models.CharField(_("name"), max_length=200)
    place = models.CharField(
        _("place"), max_length=200, help_text=_("Where citizens go, for example “Town hall, ground floor, desk 2”.")
    )
    address = models.TextField(_("postal address"), blank=True)
    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="agendas",
        verbose_name=_("agent"),
        help_text=_("For one agent's own agenda: an agent of the department."),
    )
    open_on_public_holidays = models.BooleanField(
        _("open on public holidays"), default=False, help_text=_("Public holidays are closed unless this is ticked.")
    )
    is_active = models.BooleanField(_("active"), default=True, help_text=_("An inactive agenda offers no slot."))
    feed_token = models.CharField(max_length=64, unique=True, default=new_feed_token, editable=False)

    history = HistoricalRecords(excluded_fields=["feed_token"])
    objects = AgendaQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("agenda")
        verbose_name_plural = _("agendas")

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.agent_id and not Membership.objects.belongs(self.agent_id, self.department_id):
            raise ValidationError({"agent": _("This agent does not belong to the agenda's department.")})

    def feed_key_for(self, agent: User) -> str:
        """The key of the agenda's calendar feed for one agent: their id and a MAC of it under the agenda's secret,
        so that the feed stops for an agent who leaves the department and, with a new secret, for everyone."""
        return f"{agent.pk}-{self._feed_mac(str(agent.pk))}"

    def feed_reader(self, key: str) -> bool:
        """Whether `key` is the feed key of an agent who is, now, a member of the agenda's department."""
        agent_id, _dash, mac = key.partition("-")
        if not agent_id.isdigit() or not constant_time_compare(mac, self._feed_mac(agent_id)):
            return False
        return Membership.objects.belongs(int(agent_id), self.department_id)

    def _feed_mac(self, agent_id: str) -> str:
        return salted_hmac("appointments.agenda-feed", agent_id, secret=self.feed_token, algorithm="sha256").hexdigest()


class OpeningRule(models.Model):
    """Hours at which an agenda takes appointments of some types: on some weekdays, between two dates, with a number
    of desks receiving at the same time.

    Slots follow each other from the opening time, in local time (a 09:00 rule opens at 09:00 on both sides of a
    change to or from summer time), each lasting the type's duration; a slot that would end after closing is not
    offered. The rules of one agenda may not overlap (the admin refuses it): at any time one rule says how many desks
    are open, and which types they take. Rules written overlapping all the same share the agenda's desks (desk 0 of
    one is desk 0 of the other), so they never add capacity."""

    agenda = models.ForeignKey(Agenda, on_delete=models.CASCADE, related_name="rules", verbose_name=_("agenda"))
    weekdays = ArrayField(models.PositiveSmallIntegerField(choices=WEEKDAY_CHOICES), verbose_name=_("days of the week"))
    start_time = models.TimeField(_("opens at"))
    end_time = models.TimeField(_("closes at"))
    valid_from = models.DateField(_("from"), null=True, blank=True, help_text=_("Empty: already in force."))
    valid_until = models.DateField(_("until (included)"), null=True, blank=True, help_text=_("Empty: no end."))
    capacity = models.PositiveSmallIntegerField(
        _("desks"), default=1, help_text=_("How many appointments are taken at the same time.")
    )
    types = models.ManyToManyField(AppointmentType, related_name="rules", verbose_name=_("appointment types"))

    history = HistoricalRecords(m2m_fields=[types])

    class Meta:
        ordering = ["agenda", "start_time"]
        verbose_name = _("opening period")
        verbose_name_plural = _("opening periods")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_time__gt=models.F("start_time")),
                name="opening_rule_closes_after_opening",
                violation_error_message=_("The closing time must come after the opening time."),
            ),
            models.CheckConstraint(
                condition=Q(valid_from__isnull=True)
                | Q(valid_until__isnull=True)
                | Q(valid_until__gte=models.F("valid_from")),
                name="opening_rule_ends_after_it_starts",
                violation_error_message=_("The last day must not come before the first one."),
            ),
            models.CheckConstraint(condition=Q(capacity__gt=0), name="opening_rule_has_a_desk"),
            models.CheckConstraint(
                condition=Q(weekdays__len__gt=0) & Q(weekdays__contained_by=list(WEEKDAYS)),
                name="opening_rule_weekdays",
                violation_error_message=_("Choose at least one day of the week."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.days_label} {self.start_time:%H:%M}–{self.end_time:%H:%M}"

    @property
    def days_label(self) -> str:
        """Its weekdays in order, by name: "Monday, Tuesday"."""
        return ", ".join(str(WEEKDAYS[day]) for day in sorted(self.weekdays or []))

    def overlaps(self, other: OpeningRule) -> bool:
        """Whether both rules are open at some same moment (same weekday, dates and hours overlapping)."""
        first, last = datetime.date.min, datetime.date.max
        return (
            bool(set(self.weekdays) & set(other.weekdays))
            and (self.valid_from or first) <= (other.valid_until or last)
            and (other.valid_from or first) <= (self.valid_until or last)
            and self.start_time < other.end_time
            and other.start_time < self.end_time
        )


def opening_rules_overlap_check(rules: Sequence[OpeningRule]) -> None:
    """Refuse two of these rules (the opening periods of one agenda) open at the same moment: at any time one rule
    says how many desks receive, and for what. The one check of the admin's inline and of the back office."""
    for n, rule in enumerate(rules):
        for other in rules[n + 1 :]:
            if rule.overlaps(other):
                raise ValidationError(
                    _("“%(first)s” and “%(second)s” overlap: join them into one opening period."),
                    code="overlap",
                    params={"first": rule, "second": other},
                )


class ClosureQuerySet(models.QuerySet["Closure"]):
    def applying_to(self, agendas: Sequence[Agenda]) -> ClosureQuerySet:
        """The closures of these agendas, and those of every agenda of their departments."""
        departments = {agenda.department_id for agenda in agendas}
        return self.filter(Q(agenda__in=agendas) | Q(department__in=departments))


class Closure(models.Model):
    """A period when an agenda, or every agenda of a department, takes no appointment (training, works, a bridge
    day). Appointments already booked then stay: the agents move or cancel them."""

    agenda = models.ForeignKey(
        Agenda, on_delete=models.CASCADE, null=True, blank=True, related_name="closures", verbose_name=_("agenda")
    )
    department = models.ForeignKey(
        "gru.Department",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="appointment_closures",
        verbose_name=_("every agenda of the department"),
    )
    start = models.DateTimeField(_("from"))
    end = models.DateTimeField(_("until"))
    reason = models.CharField(_("reason"), max_length=200)

    history = HistoricalRecords()
    objects = ClosureQuerySet.as_manager()

    class Meta:
        ordering = ["start"]
        verbose_name = _("closure")
        verbose_name_plural = _("closures")
        constraints = [
            models.CheckConstraint(
                condition=Q(agenda__isnull=True, department__isnull=False)
                | Q(agenda__isnull=False, department__isnull=True),
                name="closure_of_an_agenda_or_a_department",
                violation_error_message=_("Choose an agenda or a department, not both."),
            ),
            models.CheckConstraint(
                condition=Q(end__gt=models.F("start")),
                name="closure_ends_after_it_starts",
                violation_error_message=_("The end must come after the start."),
            ),
        ]

    def __str__(self) -> str:
        return self.reason


class TsTzRange(models.Func):
    function = "TSTZRANGE"
    output_field = DateTimeRangeField()


class AppointmentQuerySet(models.QuerySet["Appointment"]):
    def occupying(self) -> AppointmentQuerySet:
        """Appointments holding their desk: all but the cancelled ones (those seen or missed held it too)."""
        return self.exclude(status=Appointment.Status.CANCELLED)

    def overlapping(self, start: datetime.datetime, end: datetime.datetime) -> AppointmentQuerySet:
        """Those sharing a moment with [start, end), through the exclusion constraint's GiST index."""
        return self.alias(span=TsTzRange("start", "end", RangeBoundary())).filter(span__overlap=(start, end))

    def upcoming(self, now: datetime.datetime | None = None) -> AppointmentQuerySet:
        """Booked appointments not over yet."""
        return self.filter(status=Appointment.Status.BOOKED, end__gt=now or timezone.now())

    def for_citizen(self, user: User) -> AppointmentQuerySet:
        return self.filter(citizen=user)

    def visible_to_agent(self, user: User) -> AppointmentQuerySet:
        """Appointments on the agendas of the agent's departments."""
        return self.filter(agenda__department__in=_departments_of(user))

    def due_for_reminder(self, now: datetime.datetime) -> AppointmentQuerySet:
        """Booked, not reminded, starting within REMINDER_BEFORE, and booked earlier than that before their start
        (the confirmation of a booking made within those hours is reminder enough)."""
        return self.filter(
            status=Appointment.Status.BOOKED,
            reminded_at__isnull=True,
            start__gt=now,
            start__lte=now + REMINDER_BEFORE,
            created_at__lte=models.F("start") - REMINDER_BEFORE,
        )


class Appointment(models.Model):
    """A citizen's booking of a slot of an agenda for a type.

    No overbooking, whatever the concurrency, enforced by PostgreSQL: each appointment takes one of the agenda's
    desks, numbered from 0 to the opening rule's capacity, and an exclusion constraint (btree_gist) refuses two
    appointments holding the same desk of the same agenda at overlapping times, cancelled ones aside. A booking
    tries the desks that looked free, each in a savepoint, and takes the first one the database accepts; when
    another transaction holds a conflicting uncommitted row, PostgreSQL makes it wait for that one's outcome. A full
    slot is therefore refused cleanly (ValidationError) and never oversold, with no table lock, and bookings of
    different slots or agendas never wait on each other. Because desks are counted per agenda rather than per slot,
    appointments of different types and durations on one agenda share its desks correctly.

    Moving an appointment updates its own row (same desk search): the database swaps the slots in one statement, so
    the old slot is kept if the new one is taken and freed at once otherwise, and the calendar event keeps its UID
    (its `sequence` grows at each change)."""

    class Status(models.TextChoices):
        BOOKED = "booked", _("booked")
        CANCELLED = "cancelled", _("cancelled")
        SEEN = "seen", _("seen")
        NO_SHOW = "no_show", _("did not come")

    # The status machine: from a status, the statuses it may become (seen and missed may be corrected).
    TRANSITIONS: ClassVar[dict[str, frozenset[str]]] = {
        Status.BOOKED: frozenset({Status.CANCELLED, Status.SEEN, Status.NO_SHOW}),
        Status.SEEN: frozenset({Status.NO_SHOW}),
        Status.NO_SHOW: frozenset({Status.SEEN}),
        Status.CANCELLED: frozenset(),
    }

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    type = models.ForeignKey(
        AppointmentType, on_delete=models.PROTECT, related_name="appointments", verbose_name=_("appointment type")
    )
    agenda = models.ForeignKey(Agenda, on_delete=models.PROTECT, related_name="appointments", verbose_name=_("agenda"))
    citizen = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="appointments", verbose_name=_("citizen")
    )
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("booked by the agent"),
    )
    case = models.ForeignKey(
        "teleservices.Case",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="appointments",
        verbose_name=_("request"),
    )
    member = models.ForeignKey(
        "portal.HouseholdMember",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="appointments",
        verbose_name=_("for the household member"),
        help_text=_("Empty: for the citizen who booked."),
    )
    ants_number = models.CharField(
        _("ANTS pre-application number"),
        max_length=10,
        blank=True,
        validators=[RegexValidator(f"^{ANTS_NUMBER_PATTERN}$", message=ANTS_NUMBER_FORMAT)],
    )
    start = models.DateTimeField(_("start"))
    end = models.DateTimeField(_("end"))
    desk = models.PositiveSmallIntegerField(editable=False)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.BOOKED)
    sequence = models.PositiveIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    cancel_reason = models.TextField(_("reason for cancelling"), blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)

    objects = AppointmentQuerySet.as_manager()

    class Meta:
        ordering = ["start"]
        verbose_name = _("appointment")
        verbose_name_plural = _("appointments")
        constraints = [
            models.CheckConstraint(condition=Q(end__gt=models.F("start")), name="appointment_ends_after_it_starts"),
            ExclusionConstraint(
                name="appointment_one_per_desk_at_a_time",
                expressions=[
                    ("agenda", RangeOperators.EQUAL),
                    ("desk", RangeOperators.EQUAL),
                    (TsTzRange("start", "end", RangeBoundary()), RangeOperators.OVERLAPS),
                ],
                condition=~Q(status="cancelled"),
                violation_error_message=_("This slot has just been taken."),
            ),
            models.CheckConstraint(
                condition=Q(ants_number="") | Q(ants_number__regex=f"^{ANTS_NUMBER_PATTERN}$"),
                name="appointment_ants_number_format",
            ),
        ]
        indexes = [
            models.Index(
                fields=["start"], condition=Q(status="booked", reminded_at__isnull=True), name="appointment_to_remind"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.type} — {timezone.localtime(self.start):%d/%m/%Y %H:%M}"

    @property
    def topic(self) -> str:
        """What its notifications are about (gru.notifications: a reminder is withdrawn when it is cancelled)."""
        return f"appointment:{self.pk}"

    @property
    def change_deadline(self) -> datetime.datetime:
        """Until when the citizen may cancel or move it."""
        return self.start - self.type.change_notice

    @property
    def person(self) -> str:
        """Whom the appointment is for: the household member chosen, or the citizen who booked it."""
        return str(self.member) if self.member_id else str(self.citizen)


class EarlierSlotAlertQuerySet(models.QuerySet["EarlierSlotAlert"]):
    def due(self, now: datetime.datetime) -> EarlierSlotAlertQuerySet:
        """Alerts of appointments still to come, not told in the last ALERT_INTERVAL."""
        return self.filter(
            Q(last_alerted_at__isnull=True) | Q(last_alerted_at__lte=now - ALERT_INTERVAL),
            appointment__status=Appointment.Status.BOOKED,
            appointment__start__gt=now,
        )


class EarlierSlotAlert(models.Model):
    """A citizen's wish to hear of a slot earlier than their appointment's, when one frees up (a cancellation or a
    move), on the same agenda or on any agenda of the department; told at most once a day."""

    appointment = models.OneToOneField(
        Appointment, on_delete=models.CASCADE, related_name="earlier_slot_alert", verbose_name=_("appointment")
    )
    any_agenda = models.BooleanField(_("at any place of the department"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    last_alerted_at = models.DateTimeField(null=True, blank=True)

    objects = EarlierSlotAlertQuerySet.as_manager()

    class Meta:
        verbose_name = _("earlier slot alert")
        verbose_name_plural = _("earlier slot alerts")

    def __str__(self) -> str:
        return str(self.appointment)
