"""Citizens: the appointments offered online, the week of free slots, booking, and "Mes rendez-vous" (see, move,
cancel, wait for an earlier slot). Every page works without JavaScript; a slot taken meanwhile brings the week back
with a clear message, and the old slot of a move is kept until the new one is booked."""

from __future__ import annotations

import datetime
import uuid
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from appointments import services
from appointments.calendars import appointment_ics
from appointments.forms import AlertForm, BookingForm, SlotForm, WeekForm
from appointments.models import Agenda, Appointment, AppointmentQuerySet, AppointmentType
from appointments.slots import slots_for
from appointments.weeks import Week, monday_of, week_of
from portal.models import HouseholdMember
from teleservices.models import Case

GET_POST = require_http_methods(["GET", "POST"])
PAST_SHOWN = 20
ONE_SECOND = datetime.timedelta(seconds=1)


def _type(slug: str) -> AppointmentType:
    return get_object_or_404(AppointmentType.objects.bookable_online(), slug=slug)


def _agendas(type: AppointmentType) -> list[Agenda]:
    return list(Agenda.objects.offering(type).select_related("department"))


def _mine(request: HttpRequest) -> AppointmentQuerySet:
    return Appointment.objects.for_citizen(request.user).select_related("type", "agenda__department", "member")


def _appointment(request: HttpRequest, public_id: uuid.UUID, *, upcoming: bool = False) -> Appointment:
    appointments = _mine(request).upcoming() if upcoming else _mine(request)
    return get_object_or_404(appointments.select_related("earlier_slot_alert"), public_id=public_id)


def _week_url(type: AppointmentType, **params: object) -> str:
    """The week view of the type, with these query parameters (the empty ones left out)."""
    query = urlencode({key: str(value) for key, value in params.items() if value})
    return reverse("appointments:slots", args=[type.slug]) + (f"?{query}" if query else "")


def _slot_taken(
    request: HttpRequest, type: AppointmentType, agenda: Agenda, start: datetime.datetime, **params: object
) -> HttpResponse:
    """Back to the week of the slot taken meanwhile, at the place chosen (the slot's agenda when none was)."""
    messages.error(request, _("This slot has just been booked by someone else: please choose another one."))
    params["lieu"] = params.get("lieu") or agenda.pk
    return redirect(_week_url(type, semaine=monday_of(timezone.localdate(start)), **params))


def _is_free(type: AppointmentType, agenda: Agenda, start: datetime.datetime, moving: Appointment | None) -> bool:
    found = slots_for(type=type, agendas=[agenda], start=start, end=start + ONE_SECOND, moving=moving)
    return any(slot.start == start for slot in found)


@require_GET
def catalogue(request: HttpRequest) -> HttpResponse:
    types = AppointmentType.objects.bookable_online().offered()
    return render(request, "appointments/catalogue.html", {"types": types})


@require_GET
def slots(request: HttpRequest, slug: str) -> HttpResponse:
    """The free slots of a week, by day and place; with `?deplacer=<appointment>`, to move one of the citizen's."""
    type = _type(slug)
    moving = None
    if "deplacer" in request.GET:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        moving = _appointment(request, _uuid(request.GET["deplacer"]), upcoming=True)
        if moving.type_id != type.pk:
            raise Http404
    agendas = _agendas(type)
    form = WeekForm(request.GET or None, agendas=agendas)
    searched, monday = form.searched()
    week = week_of(type=type, agendas=searched, monday=monday, now=timezone.now(), moving=moving, moment=form.day_part)
    action = (
        reverse("appointments:move", args=[moving.public_id]) if moving else reverse("appointments:book", args=[slug])
    )
    context = {
        "type": type,
        "form": form,
        "week": week,
        "moving": moving,
        "several_places": len(agendas) > 1,
        "places": len(searched) > 1,
        "action": action,
        "extra": [(name, value) for name, value in [("lieu", form.place), ("moment", form.day_part)] if value],
        "links": _week_links(
            type, week, lieu=form.place, moment=form.day_part, deplacer=moving.public_id if moving else ""
        ),
    }
    return render(request, "appointments/slots.html", context)


def _week_links(type: AppointmentType, week: Week, **params: object) -> dict[str, str]:
    """The addresses of the weeks around and of those holding the next free slots, keeping the page's parameters."""
    weeks = {
        "previous": week.previous,
        "next": week.next,
        "next_free": week.next_free and monday_of(timezone.localdate(week.next_free.start)),
        "later_free": week.later_free and monday_of(timezone.localdate(week.later_free.start)),
    }
    return {name: _week_url(type, semaine=monday, **params) for name, monday in weeks.items() if monday}


def _uuid(value: str) -> uuid.UUID:
    try:
        return uuid.UUID(value)
    except ValueError as error:
        raise Http404 from error


def _chosen_slot(request: HttpRequest, agendas: list[Agenda]) -> tuple[Agenda, datetime.datetime] | None:
    """The slot named by the query string (?creneau=), among these agendas; None (with a message) otherwise."""
    form = SlotForm(request.GET, agendas=agendas)
    if form.is_valid():
        return form.cleaned_data["creneau"]
    messages.error(request, _("This slot does not exist: choose one in the week."))
    return None


def _choices(request: HttpRequest, agendas: list[Agenda]) -> dict[str, str]:
    """The place (an agenda, a department or, empty, every place) and the part of the day chosen in the week, sent
    along with the slot so that going back to the week, or being sent back to it, keeps them."""
    form = WeekForm(request.GET, agendas=agendas)
    return {"lieu": form.place, "moment": form.day_part}


def _cases(request: HttpRequest, type: AppointmentType) -> QuerySet[Case]:
    """The citizen's own requests of the procedure the appointment serves, if it serves one."""
    if type.teleservice_id is None:
        return Case.objects.none()
    cases = Case.objects.filter(user=request.user, teleservice_id=type.teleservice_id).submitted()
    return cases.select_related("teleservice").order_by("-submitted_at")


def _refusal(error: ValidationError | PermissionDenied) -> str:
    return " ".join(error.messages) if isinstance(error, ValidationError) else str(error)


@login_required
@GET_POST
def book(request: HttpRequest, slug: str) -> HttpResponse:
    """The chosen slot, with what to know before, to confirm; booked on POST, and its confirmation shown at once."""
    type = _type(slug)
    agendas = _agendas(type)
    chosen = _chosen_slot(request, agendas)
    if chosen is None:
        return redirect("appointments:slots", slug)
    agenda, start = chosen
    kept = _choices(request, agendas)
    form = BookingForm(
        request.POST if request.method == "POST" else None,
        citizen=request.user,
        members=HouseholdMember.objects.others_of(request.user),
        ants=type.asks_ants_number,
        cases=_cases(request, type),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            appointment = services.appointment_book(
                type=type,
                agenda=agenda,
                start=start,
                citizen=request.user,
                case=data.get("demande"),
                member=data.get("pour"),
                ants_number=data.get("predemande", ""),
            )
        except (ValidationError, PermissionDenied) as error:
            if getattr(error, "code", None) == services.SLOT_UNAVAILABLE:
                return _slot_taken(request, type, agenda, start, **kept)
            form.add_error(None, _refusal(error))
        else:
            messages.success(
                request,
                _("Your appointment is booked: a confirmation is on its way to %(email)s.")
                % {"email": request.user.email},
            )
            return redirect("appointments:appointment", appointment.public_id)
    elif request.method == "GET" and not _is_free(type, agenda, start, None):
        return _slot_taken(request, type, agenda, start, **kept)
    context = {"type": type, "agenda": agenda, "start": start, "end": start + type.duration, "form": form}
    back = _week_url(type, semaine=monday_of(timezone.localdate(start)), **kept)
    return render(request, "appointments/book.html", {**context, "back": back})


@login_required
@require_GET
def my_appointments(request: HttpRequest) -> HttpResponse:
    """Mes rendez-vous: those to come (to move, cancel or bring forward) and the latest past or cancelled ones."""
    now = timezone.now()
    upcoming = _mine(request).upcoming(now).select_related("earlier_slot_alert")
    past = _mine(request).exclude(status=Appointment.Status.BOOKED, end__gt=now).order_by("-start")[:PAST_SHOWN]
    return render(request, "appointments/my_appointments.html", {"upcoming": upcoming, "past": past, "now": now})


@login_required
@require_GET
def appointment(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    """One appointment: when, where, what to bring, and what the citizen may still do."""
    context = {"appointment": _appointment(request, public_id), "now": timezone.now()}
    return render(request, "appointments/appointment.html", context)


@login_required
@require_GET
def appointment_calendar(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    """The appointment as a calendar event (.ics), for the citizen's calendar."""
    response = HttpResponse(
        appointment_ics(appointment=_appointment(request, public_id)), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{services.ICS_NAME}"'
    return response


@login_required
@GET_POST
def cancel(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    """Cancel an appointment to come, after a confirmation page; past the deadline, whom to call instead."""
    appointment = _appointment(request, public_id, upcoming=True)
    if request.method == "POST":
        try:
            services.appointment_cancel(appointment=appointment, actor=request.user)
        except (ValidationError, PermissionDenied) as error:
            messages.error(request, _refusal(error))
            return redirect("appointments:appointment", appointment.public_id)
        messages.success(request, _("Your appointment is cancelled: the slot is offered to others again."))
        return redirect("appointments:my_appointments")
    return render(request, "appointments/cancel.html", {"appointment": appointment, "now": timezone.now()})


@login_required
@GET_POST
def move(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    """The new slot chosen in the week, to confirm; on POST the appointment moves there, and keeps its old slot if
    the new one was taken meanwhile."""
    appointment = _appointment(request, public_id, upcoming=True)
    type, moving = appointment.type, {"deplacer": appointment.public_id}
    agendas = _agendas(type)
    chosen = _chosen_slot(request, agendas)
    if chosen is None:
        return redirect(_week_url(type, **moving))
    agenda, start = chosen
    kept = _choices(request, agendas)
    if request.method == "POST":
        try:
            moved = services.appointment_move(appointment=appointment, start=start, agenda=agenda, actor=request.user)
        except (ValidationError, PermissionDenied) as error:
            if getattr(error, "code", None) == services.SLOT_UNAVAILABLE:
                return _slot_taken(request, type, agenda, start, **kept, **moving)
            messages.error(request, _refusal(error))
            return redirect("appointments:appointment", appointment.public_id)
        messages.success(
            request,
            _("Your appointment is moved: a confirmation is on its way to %(email)s.") % {"email": request.user.email},
        )
        return redirect("appointments:appointment", moved.public_id)
    if not _is_free(type, agenda, start, appointment):
        return _slot_taken(request, type, agenda, start, **kept, **moving)
    context = {"appointment": appointment, "agenda": agenda, "start": start, "end": start + type.duration}
    back = _week_url(type, semaine=monday_of(timezone.localdate(start)), **kept, **moving)
    return render(request, "appointments/move.html", {**context, "now": timezone.now(), "back": back})


@login_required
@require_POST
def alert(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    """Be told when a slot earlier than this appointment's frees up (or no longer)."""
    appointment = _appointment(request, public_id, upcoming=True)
    form = AlertForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("This choice is not valid: please try again."))
        return redirect("appointments:my_appointments")
    try:
        if form.cleaned_data["action"] == AlertForm.REGISTER:
            services.earlier_slot_alert_register(
                appointment=appointment, citizen=request.user, any_agenda=form.cleaned_data["any_agenda"]
            )
            messages.success(request, _("We will tell you if an earlier slot frees up."))
        else:
            services.earlier_slot_alert_delete(appointment=appointment, citizen=request.user)
            messages.success(request, _("You will no longer be told of earlier slots for this appointment."))
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, _refusal(error))
    if form.cleaned_data["retour"] == "detail":
        return redirect("appointments:appointment", appointment.public_id)
    return redirect(reverse("appointments:my_appointments") + f"#rdv-{appointment.public_id}")
