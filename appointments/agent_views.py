"""The agents' pages of the agendas, in the back office (under its URL names: appointments/agent_urls.py): the
agendas of their departments, day by day or week by week with their bookings; booking for a citizen who phoned or
came to the counter; cancelling with a reason (the citizen is told), recording who came; the agenda's calendar feed
(its address, and a new one when it has leaked), and the feed itself, read by calendar software with an agent's key
and no session; the agenda's settings (opening hours and closures), changed by a manager of its department or the
agent whose agenda it is, and read by the department's other agents."""

from __future__ import annotations

import datetime
import uuid
from dataclasses import dataclass
from urllib.parse import urlencode

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Exists, OuterRef, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST, require_safe

from appointments import services
from appointments.calendars import agenda_feed_ics
from appointments.forms import (
    AccountForm,
    AgendaRuleForm,
    AgentSlotsForm,
    CancelForm,
    ClosureForm,
    OutcomeForm,
    PeriodForm,
    SlotForm,
)
from appointments.models import Agenda, Appointment, AppointmentType, Closure, OpeningRule
from appointments.slots import appointments_uncovered
from appointments.weeks import monday_of, week_of
from gru.access import agent_required
from portal.forms import CitizenSearchForm
from portal.models import User

GET_POST = require_http_methods(["GET", "POST"])
DAY = datetime.timedelta(days=1)


def _agenda(request: HttpRequest, pk: int) -> Agenda:
    return get_object_or_404(Agenda.objects.visible_to_agent(request.user).select_related("department"), pk=pk)


def _appointment(request: HttpRequest, public_id: uuid.UUID) -> Appointment:
    appointments = Appointment.objects.visible_to_agent(request.user).select_related("type", "agenda", "citizen")
    return get_object_or_404(appointments, public_id=public_id)


def _midnight(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(0), tzinfo=timezone.get_default_timezone())


def _day_url(appointment: Appointment) -> str:
    day = timezone.localdate(appointment.start)
    return reverse("backoffice:agenda", args=[appointment.agenda_id]) + f"?date={day.isoformat()}"


@require_GET
@agent_required
def agendas(request: HttpRequest) -> HttpResponse:
    """The agendas of the agent's departments, with the number of today's appointments."""
    today = timezone.localdate()
    booked_today = Q(appointments__start__gte=_midnight(today), appointments__start__lt=_midnight(today + DAY)) & ~Q(
        appointments__status=Appointment.Status.CANCELLED
    )
    listed = (
        Agenda.objects.visible_to_agent(request.user)
        .select_related("department")
        .annotate(today=Count("appointments", filter=booked_today))
        .order_by("department__name", "name")
    )
    return render(request, "appointments/agents/agendas.html", {"agendas": listed, "today": today})


@dataclass(frozen=True)
class Row:
    """An appointment of the agenda's day, and what the agent may do with it now."""

    appointment: Appointment
    may_see: bool
    may_miss: bool
    may_cancel: bool


def _row(appointment: Appointment, now: datetime.datetime) -> Row:
    booked, status = appointment.status == Appointment.Status.BOOKED, appointment.status
    return Row(
        appointment=appointment,
        may_see=status in (Appointment.Status.BOOKED, Appointment.Status.NO_SHOW)
        and timezone.localdate(appointment.start) <= timezone.localdate(now),
        may_miss=status in (Appointment.Status.BOOKED, Appointment.Status.SEEN) and appointment.start <= now,
        may_cancel=booked,
    )


@require_GET
@agent_required
def agenda(request: HttpRequest, pk: int) -> HttpResponse:
    """A day (or a week) of an agenda: every appointment, cancelled ones included, with the citizen's contact."""
    agenda = _agenda(request, pk)
    form = PeriodForm(request.GET or None, initial={"date": timezone.localdate(), "vue": PeriodForm.DAY})
    view, first = form.period()
    length = 7 if view == PeriodForm.WEEK else 1
    appointments = (
        Appointment.objects.filter(
            agenda=agenda, start__gte=_midnight(first), start__lt=_midnight(first + length * DAY)
        )
        .select_related("type", "citizen", "booked_by", "member")
        .order_by("start", "desk")
    )
    now = timezone.now()
    days: dict[datetime.date, list[Row]] = {first + n * DAY: [] for n in range(length)}
    for appointment in appointments:
        days[timezone.localdate(appointment.start)].append(_row(appointment, now))
    step = length * DAY
    links = {
        "previous": f"?{urlencode({'vue': view, 'date': (first - step).isoformat()})}",
        "next": f"?{urlencode({'vue': view, 'date': (first + step).isoformat()})}",
    }
    context = {"agenda": agenda, "form": form, "view": view, "days": days, "links": links, "week": length == 7}
    return render(request, "appointments/agents/agenda.html", context)


@require_POST
@agent_required
def appointment_mark(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    """Record that the citizen came, or did not."""
    appointment = _appointment(request, public_id)
    form = OutcomeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose whether the citizen came or not."))
        return redirect(_day_url(appointment))
    try:
        appointment = services.appointment_mark(
            appointment=appointment, outcome=form.cleaned_data["outcome"], actor=request.user
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("%(citizen)s: %(status)s.")
            % {"citizen": appointment.citizen, "status": appointment.get_status_display()},
        )
    return redirect(_day_url(appointment))


@agent_required
@GET_POST
def appointment_cancel(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    """Cancel with a reason, which the citizen receives."""
    appointment = _appointment(request, public_id)
    form = CancelForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.appointment_cancel(appointment=appointment, actor=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The appointment is cancelled; the citizen is told why."))
            return redirect(_day_url(appointment))
    return render(request, "appointments/agents/cancel.html", {"appointment": appointment, "form": form})


def _book_url(agenda: Agenda, type: AppointmentType, monday: datetime.date | None) -> str:
    query = {"type": type.pk, **({"semaine": monday.isoformat()} if monday else {})}
    return reverse("backoffice:agenda_book", args=[agenda.pk]) + f"?{urlencode(query)}"


@require_GET
@agent_required
def agenda_book(request: HttpRequest, pk: int) -> HttpResponse:
    """Book for a citizen, first step: the motif and the week's free slots (no minimum notice for agents)."""
    agenda = _agenda(request, pk)
    form = AgentSlotsForm(request.GET or None, agenda=agenda)
    context: dict[str, object] = {"agenda": agenda, "form": form, "week": None}
    if form.is_bound and form.is_valid():
        type = form.cleaned_data["type"]
        week = week_of(
            type=type, agendas=[agenda], monday=form.cleaned_data["semaine"], now=timezone.now(), by_agent=True
        )
        links = {"previous": week.previous, "next": week.next, "next_free": week.next_free_day}
        context |= {
            "type": type,
            "week": week,
            "extra": [("type", type.pk)],
            "links": {name: _book_url(agenda, type, day) for name, day in links.items() if day},
        }
    return render(request, "appointments/agents/book.html", context)


@agent_required
@GET_POST
def agenda_book_slot(request: HttpRequest, pk: int) -> HttpResponse:
    """Book for a citizen, second step: find their account and book the chosen slot for them."""
    agenda = _agenda(request, pk)
    chosen = AgentSlotsForm(request.GET, agenda=agenda)
    slot = SlotForm(request.GET, agendas=[agenda])
    if not (chosen.is_valid() and slot.is_valid()):
        messages.error(request, _("This slot does not exist: choose one in the week."))
        return redirect("backoffice:agenda_book", agenda.pk)
    type, start = chosen.cleaned_data["type"], slot.cleaned_data["creneau"][1]
    search = CitizenSearchForm(request.GET)
    found = search.accounts()
    accounts = User.objects.filter(pk__in=[user.pk for user in found or []])
    initial = {"account": found[0].pk} if found and len(found) == 1 else None
    form = AccountForm(request.POST if request.method == "POST" else None, accounts=accounts, initial=initial)
    if request.method == "POST" and form.is_valid():
        citizen = form.cleaned_data["account"]
        try:
            appointment = services.appointment_book(
                type=type, agenda=agenda, start=start, citizen=citizen, booked_by=request.user
            )
        except (ValidationError, PermissionDenied) as error:
            if getattr(error, "code", None) == services.SLOT_UNAVAILABLE:
                messages.error(request, _("This slot has just been booked by someone else: please choose another one."))
                return redirect(_book_url(agenda, type, monday_of(timezone.localdate(start))))
            form.add_error(None, " ".join(error.messages) if isinstance(error, ValidationError) else str(error))
        else:
            messages.success(
                request, _("Booked for %(citizen)s, who receives the confirmation.") % {"citizen": citizen}
            )
            return redirect(_day_url(appointment))
    context = {"agenda": agenda, "type": type, "start": start, "end": start + type.duration}
    context |= {"search": search, "found": found, "form": form}
    context["extra"] = [("type", type.pk), ("creneau", slot.data["creneau"])]
    context["back"] = _book_url(agenda, type, monday_of(timezone.localdate(start)))
    return render(request, "appointments/agents/book_slot.html", context)


@require_GET
@agent_required
def agenda_calendar(request: HttpRequest, pk: int) -> HttpResponse:
    """The address of the agenda's calendar feed for this agent, to subscribe to in a calendar application."""
    agenda = _agenda(request, pk)
    feed_url = settings.SITE_URL + reverse(
        "backoffice:agenda_feed", args=[agenda.pk, agenda.feed_key_for(request.user)]
    )
    return render(request, "appointments/agents/calendar.html", {"agenda": agenda, "feed_url": feed_url})


@require_POST
@agent_required
def agenda_feed_regenerate(request: HttpRequest, pk: int) -> HttpResponse:
    agenda = services.agenda_feed_token_regenerate(agenda=_agenda(request, pk))
    messages.success(request, _("The calendar feed has a new address: the old one no longer works."))
    return redirect("backoffice:agenda_calendar", agenda.pk)


@require_safe
def agenda_feed(request: HttpRequest, pk: int, key: str) -> HttpResponse:
    """The agenda's appointments as an iCalendar feed, for calendar software: an agent's key is the only credential
    (no session), valid while they are a member of the agenda's department; a wrong one is not found."""
    agenda = get_object_or_404(Agenda, pk=pk)
    if not agenda.feed_reader(key):
        raise Http404
    response = HttpResponse(agenda_feed_ics(agenda=agenda), content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex"
    return response


# The agenda's settings: its opening hours and closures


def _settings_agenda(request: HttpRequest, pk: int) -> tuple[Agenda, bool]:
    """An agenda of the agent's departments (404 otherwise), and whether they may change its settings: a manager of
    its department, or the agent whose agenda it is; the department's other agents read them."""
    managed = Agenda.objects.managed_by(request.user).filter(pk=OuterRef("pk"))
    agendas = Agenda.objects.visible_to_agent(request.user).select_related("department")
    agenda = get_object_or_404(agendas.annotate(managed=Exists(managed)), pk=pk)
    return agenda, agenda.managed


def _managed_agenda(request: HttpRequest, pk: int) -> Agenda:
    """An agenda the agent may configure: not found outside their departments, forbidden to its other agents."""
    agenda, managed = _settings_agenda(request, pk)
    if not managed:
        raise PermissionDenied
    return agenda


def _settings_url(agenda: Agenda, anchor: str = "") -> str:
    return reverse("backoffice:agenda_settings", args=[agenda.pk]) + (f"#{anchor}" if anchor else "")


def _uncovered_ids(agenda: Agenda) -> set[int]:
    return {uncovered.appointment.pk for uncovered in appointments_uncovered(agenda=agenda)}


def _saved(request: HttpRequest, agenda: Agenda, before: set[int], done: str) -> HttpResponse:
    """Back to the settings after a change, saying what it did and, when it left booked appointments outside the
    opening hours (they are kept, never cancelled), how many: they are listed there, with their days."""
    messages.success(request, done)
    left = _uncovered_ids(agenda) - before
    if not left:
        return redirect(_settings_url(agenda))
    messages.warning(
        request,
        ngettext(
            "%(count)d booked appointment is no longer within the opening hours. It is kept: move or cancel it "
            "(see “Appointments to handle”).",
            "%(count)d booked appointments are no longer within the opening hours. They are kept: move or cancel "
            "them (see “Appointments to handle”).",
            len(left),
        )
        % {"count": len(left)},
    )
    return redirect(_settings_url(agenda, "a-reprendre"))


@require_GET
@agent_required
def agenda_settings(request: HttpRequest, pk: int) -> HttpResponse:
    """The agenda's opening hours, closures and the booked appointments they no longer hold; changed by those who
    manage it, read by the department's other agents."""
    agenda, managed = _settings_agenda(request, pk)
    now = timezone.now()
    context = {
        "agenda": agenda,
        "managed": managed,
        "rules": agenda.rules.prefetch_related("types").order_by("start_time", "pk"),
        "closures": Closure.objects.applying_to([agenda]).filter(end__gt=now),
        "uncovered": appointments_uncovered(agenda=agenda, now=now),
    }
    return render(request, "appointments/agents/settings.html", context)


def _rule_form(request: HttpRequest, agenda: Agenda, rule: OpeningRule | None) -> HttpResponse:
    """Add or change an opening period: checked against the agenda's other periods, saved by the service."""
    others = agenda.rules.exclude(pk=rule.pk) if rule else agenda.rules.all()
    data = request.POST if request.method == "POST" else None
    form = AgendaRuleForm(data, instance=rule, others=list(others))
    if request.method == "POST" and form.is_valid():
        before = _uncovered_ids(agenda)
        try:
            services.opening_rule_save(agenda=agenda, actor=request.user, rule=rule, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return _saved(request, agenda, before, _("The opening period is saved."))
    return _settings_form(
        request,
        agenda,
        form,
        heading=_("Change an opening period") if rule else _("Add an opening period"),
        intro=_(
            "Slots follow each other from the opening time, each lasting its appointment type's duration. Two periods "
            "of the agenda may not be open at the same moment. Appointments already booked are kept whatever the new "
            "hours."
        ),
        submit=_("Save the opening period"),
    )


def _settings_form(request: HttpRequest, agenda: Agenda, form: forms.BaseForm, **texts: str) -> HttpResponse:
    """The page of a form changing the agenda's settings: its `heading`, an `intro` and the `submit` button's text."""
    return render(request, "appointments/agents/settings_form.html", {"agenda": agenda, "form": form, **texts})


@agent_required
@GET_POST
def opening_rule_add(request: HttpRequest, pk: int) -> HttpResponse:
    return _rule_form(request, _managed_agenda(request, pk), None)


@agent_required
@GET_POST
def opening_rule_edit(request: HttpRequest, pk: int, rule_pk: int) -> HttpResponse:
    agenda = _managed_agenda(request, pk)
    return _rule_form(request, agenda, get_object_or_404(agenda.rules, pk=rule_pk))


@agent_required
@GET_POST
def opening_rule_delete(request: HttpRequest, pk: int, rule_pk: int) -> HttpResponse:
    """Remove an opening period, after a confirmation page; the appointments booked in it are kept."""
    agenda = _managed_agenda(request, pk)
    rule = get_object_or_404(agenda.rules.prefetch_related("types"), pk=rule_pk)
    if request.method == "POST":
        before = _uncovered_ids(agenda)
        services.opening_rule_delete(rule=rule, actor=request.user)
        return _saved(request, agenda, before, _("The opening period is deleted."))
    return render(request, "appointments/agents/rule_delete.html", {"agenda": agenda, "rule": rule})


@agent_required
@GET_POST
def closure_add(request: HttpRequest, pk: int) -> HttpResponse:
    """Close the agenda for a while: no slot is offered then; the appointments already booked are kept."""
    agenda = _managed_agenda(request, pk)
    form = ClosureForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        before = _uncovered_ids(agenda)
        services.closure_add(agenda=agenda, actor=request.user, **form.cleaned_data)
        return _saved(request, agenda, before, _("The closure is saved: no slot is offered then."))
    return _settings_form(
        request,
        agenda,
        form,
        heading=_("Add a closure"),
        intro=_(
            "No slot is offered during a closure. The appointments already booked then are kept: you will be told how "
            "many, to move or cancel them."
        ),
        submit=_("Save the closure"),
    )


@require_POST
@agent_required
def closure_delete(request: HttpRequest, pk: int, closure_pk: int) -> HttpResponse:
    """Reopen the agenda during one of its own closures (those of the whole department are the administrators')."""
    agenda = _managed_agenda(request, pk)
    services.closure_delete(closure=get_object_or_404(agenda.closures, pk=closure_pk), actor=request.user)
    messages.success(request, _("The closure is deleted: its slots are offered again."))
    return redirect(_settings_url(agenda))
