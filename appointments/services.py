"""Writes on appointments: booking, cancelling, moving, marking the outcome; earlier-slot alerts and reminders; the
agendas' calendar feed token; the agents' changes to an agenda's opening hours and closures (which never cancel an
appointment already booked: `appointments.slots.appointments_uncovered` lists those left outside the hours).

Every booking or move goes through `_desk_take`: the exclusion constraint on (agenda, desk, time) is what refuses an
overbooked slot (see Appointment), the checks before it only give clear reasons early.

The citizen is told in the transaction of each change (gru.notifications outbox): booked, moved and cancelled
appointments with their calendar event (.ics) attached, reminders 48 hours before, and the citizens waiting for an
earlier slot when a cancellation or a move frees one.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable
from itertools import groupby
from typing import Any

import psycopg
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, IntegrityError, OperationalError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from appointments.calendars import appointment_ics
from appointments.models import (
    ANTS_NUMBER_FORMAT,
    ANTS_NUMBER_PATTERN,
    Agenda,
    Appointment,
    AppointmentQuerySet,
    AppointmentType,
    Closure,
    EarlierSlotAlert,
    OpeningRule,
    new_feed_token,
    opening_rules_overlap_check,
)
from appointments.slots import Slot, slots_for
from gru.models import Membership, Notification
from gru.notifications import notifications_withdraw, notify
from gru.workdays import months_before
from portal.models import HouseholdMember, User
from teleservices.models import Case
from vault.files import CheckedFile
from vault.models import StoredFile
from vault.services import stored_file_create, stored_files_delete_unused

SLOT_UNAVAILABLE = "slot_unavailable"
ICS_NAME = "rendez-vous.ics"


def _slot_unavailable() -> ValidationError:
    return ValidationError(_("This slot is not available any more: please choose another one."), code=SLOT_UNAVAILABLE)


def _is_agent_of(user: User, agenda: Agenda) -> bool:
    return Membership.objects.belongs(user, agenda.department_id)


@transaction.atomic
def appointment_book(
    *,
    type: AppointmentType,
    agenda: Agenda,
    start: datetime.datetime,
    citizen: User,
    booked_by: User | None = None,
    case: Case | None = None,
    member: HouseholdMember | None = None,
    ants_number: str = "",
) -> Appointment:
    """Book the slot of `agenda` starting at `start` for the citizen, or for a `member` of their household, online
    (`booked_by` None) or by an agent of the agenda's department for them; with the number of the ANTS
    pre-application when the type asks for it (required online, agents may leave it for the counter).

    The citizen's row is locked first, so that their bookings are counted one at a time against the type's limit
    (per person: a parent books a passport for each child); then the slot must be one the rules offer (not closed,
    in the booking window) and a desk must be free."""
    _booking_check(type=type, agenda=agenda, citizen=citizen, booked_by=booked_by, case=case)
    _person_check(type=type, citizen=citizen, booked_by=booked_by, member=member, ants_number=ants_number)
    now = timezone.now()
    list(User.objects.select_for_update(no_key=True).filter(pk=citizen.pk).values_list("pk"))
    if type.max_upcoming is not None:
        mine = Appointment.objects.for_citizen(citizen).upcoming(now).filter(type=type, member=member)
        upcoming = mine.count()
        if upcoming >= type.max_upcoming:
            raise ValidationError(
                _("The limit of upcoming appointments of this type (%(limit)s) is reached: move or cancel one."),
                code="limit",
                params={"limit": type.max_upcoming},
            )
    slot = _offered_slot(type=type, agenda=agenda, start=start, now=now, by_agent=booked_by is not None)
    appointment = Appointment(
        type=type,
        agenda=agenda,
        citizen=citizen,
        booked_by=booked_by,
        case=case,
        member=member,
        ants_number=ants_number if type.asks_ants_number else "",
        start=slot.start,
        end=slot.end,
    )
    appointment = _desk_take(appointment, slot)
    appointment_notify(appointment=appointment, event="appointment_confirmed")
    return appointment


def _booking_check(
    *, type: AppointmentType, agenda: Agenda, citizen: User, booked_by: User | None, case: Case | None
) -> None:
    if not (type.is_active and agenda.is_active):
        raise ValidationError(_("This appointment is not offered any more."), code=SLOT_UNAVAILABLE)
    if booked_by is None:
        if type.booking != AppointmentType.Booking.ONLINE:
            raise PermissionDenied(_("This appointment is booked by the department's agents: please contact them."))
        if type.identified_only and not citizen.is_identity_certified:
            raise PermissionDenied(_("This appointment requires an identity certified by FranceConnect."))
    elif not _is_agent_of(booked_by, agenda):
        raise PermissionDenied(_("Only agents of the agenda's department may book on it for a citizen."))
    if case is not None and (
        case.user_id != citizen.pk or (type.teleservice_id is not None and case.teleservice_id != type.teleservice_id)
    ):
        raise ValidationError(_("This request is not the citizen's, or not one this appointment serves."), code="case")


def _person_check(
    *, type: AppointmentType, citizen: User, booked_by: User | None, member: HouseholdMember | None, ants_number: str
) -> None:
    """Whom it is for (the citizen, or a member of their own household: HouseholdMemberQuerySet.others_of) and the
    ANTS pre-application number: in its format, and given when the type asks for it online."""
    if member is not None and not HouseholdMember.objects.others_of(citizen).filter(pk=member.pk).exists():
        raise ValidationError(_("This person is not a member of the citizen's household."), code="member")
    if not type.asks_ants_number:
        return
    if ants_number and not re.fullmatch(ANTS_NUMBER_PATTERN, ants_number):
        raise ValidationError(ANTS_NUMBER_FORMAT, code="ants_number")
    if not ants_number and booked_by is None:
        raise ValidationError(_("Give the number of your ANTS pre-application."), code="ants_number")


def _offered_slot(
    *,
    type: AppointmentType,
    agenda: Agenda,
    start: datetime.datetime,
    now: datetime.datetime,
    by_agent: bool,
    moving: Appointment | None = None,
) -> Slot:
    """The slot starting exactly at `start`, as the rules offer it now with a free desk, or a clear refusal."""
    one_second = datetime.timedelta(seconds=1)
    slots = slots_for(
        type=type, agendas=[agenda], start=start, end=start + one_second, now=now, by_agent=by_agent, moving=moving
    )
    slot = max((slot for slot in slots if slot.start == start), key=lambda slot: slot.capacity, default=None)
    if slot is None:
        raise _slot_unavailable()
    return slot


def _desk_take(appointment: Appointment, slot: Slot, update_fields: list[str] | None = None) -> Appointment:
    """Save the appointment on the first desk of the slot the database accepts, each try in a savepoint.

    The desks looked free a moment ago; a concurrent booking may have taken one since, or hold it uncommitted, in
    which case PostgreSQL waits for that transaction before accepting or refusing this one (see `_desk_contested`)."""
    taken = set(
        Appointment.objects.occupying()
        .overlapping(slot.start, slot.end)
        .filter(agenda=slot.agenda)
        .exclude(pk=appointment.pk)
        .values_list("desk", flat=True)
    )
    for desk in range(slot.capacity):
        if desk in taken:
            continue
        appointment.desk = desk
        try:
            with transaction.atomic():
                if update_fields is None:
                    appointment.save()
                else:
                    appointment.save(update_fields=[*update_fields, "desk", "updated_at"])
        except (IntegrityError, OperationalError) as error:
            if not _desk_contested(error):
                raise
            continue
        return appointment
    raise _slot_unavailable()


def _desk_contested(error: DatabaseError) -> bool:
    """Whether another booking holds the desk: the exclusion constraint refused the row, or PostgreSQL broke the
    deadlock of two bookings that inserted at the same instant and each found the other's row (it aborts one try,
    whose savepoint is rolled back; the other keeps the desk). Any other error is not about the slot."""
    return isinstance(error.__cause__, psycopg.errors.ExclusionViolation | psycopg.errors.DeadlockDetected)


def _locked(appointment: Appointment) -> Appointment:
    """The appointment's row, locked: changes to one appointment happen one at a time."""
    return Appointment.objects.select_for_update(of=("self",)).select_related("type", "agenda").get(pk=appointment.pk)


def _transition_refused(appointment: Appointment) -> ValidationError:
    return ValidationError(
        _("This appointment is “%(status)s”: it cannot be changed so."),
        code="transition",
        params={"status": appointment.get_status_display()},
    )


def _transition(appointment: Appointment, status: str, **fields: object) -> Appointment:
    """The one way a status changes: the guard of Appointment.TRANSITIONS, the related fields, saved together."""
    if status not in Appointment.TRANSITIONS[appointment.status]:
        raise _transition_refused(appointment)
    appointment.status = status
    for name, value in fields.items():
        setattr(appointment, name, value)
    appointment.save(update_fields=["status", *fields, "updated_at"])
    return appointment


def _change_allowed(appointment: Appointment, actor: User, now: datetime.datetime) -> bool:
    """Whether the actor may cancel or move it now: the citizen until the type's deadline, an agent of the agenda's
    department at any time. Returns whether the actor acts as an agent."""
    if appointment.citizen_id == actor.pk and now <= appointment.change_deadline:
        return False
    if _is_agent_of(actor, appointment.agenda):
        return True
    if appointment.citizen_id == actor.pk:
        raise ValidationError(
            _("It is too late to change this appointment online: please contact the department."), code="deadline"
        )
    raise PermissionDenied


@transaction.atomic
def appointment_cancel(*, appointment: Appointment, actor: User, reason: str = "") -> Appointment:
    """Cancel: the citizen before the deadline, an agent at any time with a reason (told to the citizen). Its desk
    is free at once; `earlier_slot_alerts_claim` finds whom to tell."""
    now = timezone.now()
    appointment = _locked(appointment)
    by_agent = _change_allowed(appointment, actor, now)
    if by_agent and not reason.strip():
        raise ValidationError(_("Give the reason for cancelling: the citizen will read it."), code="reason")
    appointment = _transition(
        appointment,
        Appointment.Status.CANCELLED,
        cancelled_at=now,
        cancelled_by=actor,
        cancel_reason=reason.strip(),
        sequence=appointment.sequence + 1,
    )
    appointment_notify(appointment=appointment, event="appointment_cancelled", by_agent=by_agent)
    _earlier_slot_tell(agenda=appointment.agenda, start=appointment.start, end=appointment.end, now=now)
    return appointment


@transaction.atomic
def appointment_move(
    *, appointment: Appointment, start: datetime.datetime, agenda: Agenda | None = None, actor: User
) -> Appointment:
    """Move to the slot starting at `start` (on another agenda if given), with the same rules as a booking.

    One UPDATE of the appointment's row swaps the slots: if the new one is taken the old one is kept, otherwise the
    old one is free as soon as this commits. The reminder is due again for the new time."""
    now = timezone.now()
    appointment = _locked(appointment)
    if appointment.status != Appointment.Status.BOOKED:
        raise _transition_refused(appointment)
    by_agent = _change_allowed(appointment, actor, now)
    agenda = agenda or appointment.agenda
    booked_by = actor if by_agent else None
    _booking_check(type=appointment.type, agenda=agenda, citizen=appointment.citizen, booked_by=booked_by, case=None)
    slot = _offered_slot(
        type=appointment.type, agenda=agenda, start=start, now=now, by_agent=by_agent, moving=appointment
    )
    freed = (appointment.agenda, appointment.start, appointment.end)
    appointment.agenda, appointment.start, appointment.end = agenda, slot.start, slot.end
    appointment.sequence += 1
    appointment.reminded_at = None
    appointment = _desk_take(appointment, slot, update_fields=["agenda", "start", "end", "sequence", "reminded_at"])
    appointment_notify(appointment=appointment, event="appointment_moved", previous_start=freed[1])
    _earlier_slot_tell(agenda=freed[0], start=freed[1], end=freed[2], now=now, excluding=appointment)
    return appointment


@transaction.atomic
def appointment_mark(*, appointment: Appointment, outcome: str, actor: User) -> Appointment:
    """An agent of the agenda's department records whether the citizen came: seen from the day of the appointment,
    missed once it has started (either may be corrected)."""
    if outcome not in (Appointment.Status.SEEN, Appointment.Status.NO_SHOW):
        raise ValueError(f"Not an outcome: {outcome}")
    appointment = _locked(appointment)
    if not _is_agent_of(actor, appointment.agenda):
        raise PermissionDenied
    now = timezone.now()
    too_early = (
        now < appointment.start
        if outcome == Appointment.Status.NO_SHOW
        else timezone.localdate(now) < timezone.localdate(appointment.start)
    )
    if too_early:
        raise ValidationError(_("This appointment has not taken place yet."), code="too_early")
    return _transition(appointment, outcome)


def appointments_purge(*, now: datetime.datetime) -> int:
    """Delete the appointments that ended more than APPOINTMENTS_RETENTION_MONTHS ago, with their earlier-slot alerts;
    returns how many went."""
    cutoff = months_before(now, settings.APPOINTMENTS_RETENTION_MONTHS)
    _total, by_model = Appointment.objects.filter(end__lt=cutoff).delete()
    return by_model.get(Appointment._meta.label, 0)


def appointments_due_for_reminder(*, now: datetime.datetime) -> AppointmentQuerySet:
    """Appointments whose reminder is due (48 hours before; never once cancelled), for the notification layer: it
    claims each one with `appointment_reminder_claim` in the transaction that writes its message."""
    return Appointment.objects.due_for_reminder(now).select_related("type", "agenda", "citizen")


def appointment_reminders_send(*, now: datetime.datetime) -> int:
    """Remind the citizens whose appointment is due for it (scheduled task): each one claimed and told in its own
    transaction, so that one failure stops nothing and a cancellation before the claim means no reminder. Returns
    how many were sent."""
    sent = 0
    for pk in appointments_due_for_reminder(now=now).values_list("pk", flat=True):
        with transaction.atomic():
            if not appointment_reminder_claim(appointment=Appointment(pk=pk), now=now):
                continue  # cancelled, moved away or reminded by another worker meanwhile
            appointment = Appointment.objects.select_related("type", "agenda__department", "citizen", "member").get(
                pk=pk
            )
            appointment_notify(appointment=appointment, event="appointment_reminder", calendar=False)
            sent += 1
    return sent


@transaction.atomic
def appointment_reminder_claim(*, appointment: Appointment, now: datetime.datetime) -> bool:
    """Mark the reminder as sent, if it still is due: True once only, however many workers try (a conditional
    update), and never for an appointment cancelled or moved out of the reminder's window meanwhile."""
    due = Appointment.objects.due_for_reminder(now).filter(pk=appointment.pk)
    return due.update(reminded_at=now) == 1


@transaction.atomic
def earlier_slot_alert_register(*, appointment: Appointment, citizen: User, any_agenda: bool) -> EarlierSlotAlert:
    """The citizen asks to hear of an earlier slot than their appointment's, on its agenda or on any agenda of the
    department (asking again changes where)."""
    if appointment.citizen_id != citizen.pk:
        raise PermissionDenied
    if appointment.status != Appointment.Status.BOOKED or appointment.start <= timezone.now():
        raise ValidationError(_("Only an appointment still to come can wait for an earlier slot."), code="past")
    alert, _created = EarlierSlotAlert.objects.update_or_create(
        appointment=appointment, defaults={"any_agenda": any_agenda}
    )
    return alert


@transaction.atomic
def earlier_slot_alert_delete(*, appointment: Appointment, citizen: User) -> None:
    """The citizen no longer wants to hear of earlier slots for this appointment."""
    if appointment.citizen_id != citizen.pk:
        raise PermissionDenied
    EarlierSlotAlert.objects.filter(appointment=appointment).delete()


@transaction.atomic
def earlier_slot_alerts_claim(
    *,
    agenda: Agenda,
    start: datetime.datetime,
    end: datetime.datetime,
    now: datetime.datetime | None = None,
    excluding: Appointment | None = None,
) -> list[EarlierSlotAlert]:
    """Whom to tell now that [start, end) freed up on `agenda` (a cancellation, a move): the citizens waiting for a
    slot earlier than their appointment's, of a type now free there at that time, not told in the last day (and
    not the citizen of `excluding`, the appointment that was just moved away from it).

    The returned alerts are marked as told: call this in the transaction that writes their messages (rows already
    being claimed by another transaction are skipped, so nobody is told twice)."""
    now = now or timezone.now()
    due = EarlierSlotAlert.objects.due(now)
    if excluding is not None:
        due = due.exclude(appointment=excluding)
    waiting = (
        due.filter(appointment__start__gt=start)
        .filter(
            Q(appointment__agenda=agenda) | Q(any_agenda=True, appointment__agenda__department=agenda.department_id)
        )
        .select_related("appointment__type", "appointment__citizen")
        .select_for_update(of=("self",), skip_locked=True)
        .order_by("appointment__type_id", "created_at")
    )
    told = []
    for _type_id, alerts in groupby(waiting, key=lambda alert: alert.appointment.type_id):
        alerts_of_type = list(alerts)
        type = alerts_of_type[0].appointment.type
        freed = slots_for(type=type, agendas=[agenda], start=start - type.duration, end=end, now=now)
        freed = [slot for slot in freed if slot.end > start]
        if freed:
            told += [alert for alert in alerts_of_type if alert.appointment.start > freed[0].start]
    EarlierSlotAlert.objects.filter(pk__in=[alert.pk for alert in told]).update(last_alerted_at=now)
    return told


def appointment_notify(
    *, appointment: Appointment, event: str, calendar: bool = True, **context: Any
) -> list[Notification]:
    """Tell the citizen about their appointment (appointments/notifications.py), in the transaction of the change; with
    its calendar event attached (`calendar`), as it is now: a cancelled one tells calendars to remove it."""
    type, agenda, citizen = appointment.type, appointment.agenda, appointment.citizen
    attachments: list[StoredFile] = []
    if calendar:
        checked = CheckedFile(content=appointment_ics(appointment=appointment), mime="text/calendar", name=ICS_NAME)
        attachments.append(stored_file_create(owner=citizen, checked=checked, generated=True))
    if event in ("appointment_cancelled", "appointment_moved"):  # a reminder not sent yet is of the old time
        notifications_withdraw(topic=appointment.topic, events=["appointment_reminder"])
    rows = notify(
        event=event,
        user=citizen,
        context={
            "name": citizen.get_short_name(),
            "label": type.label,
            "start": appointment.start,
            "end": appointment.end,
            "place": agenda.place,
            "address": agenda.address,
            "instructions": type.instructions,
            "to_bring": type.to_bring_items,
            "for_whom": str(appointment.member) if appointment.member_id else "",
            "deadline": appointment.change_deadline,
            "may_change": timezone.now() <= appointment.change_deadline,
            "phone": agenda.department.phone,
            "reason": appointment.cancel_reason,
            **context,
        },
        url=reverse("appointments:appointment", args=[appointment.public_id]),
        attachments=attachments,
        topic=appointment.topic,
    )
    if attachments and not any(row.channel == Notification.Channel.EMAIL for row in rows):
        stored_files_delete_unused(files=attachments)  # no email to carry it (the citizen turned them off)
    return rows


def _earlier_slot_tell(
    *,
    agenda: Agenda,
    start: datetime.datetime,
    end: datetime.datetime,
    now: datetime.datetime,
    excluding: Appointment | None = None,
) -> list[EarlierSlotAlert]:
    """Tell the citizens waiting for an earlier slot that [start, end) freed up on `agenda`, with a link to the
    week of that slot, ready to move their appointment there."""
    alerts = earlier_slot_alerts_claim(agenda=agenda, start=start, end=end, now=now, excluding=excluding)
    week = timezone.localdate(start)
    for alert in alerts:
        waiting = alert.appointment
        query = f"?deplacer={waiting.public_id}&lieu={agenda.pk}&semaine={week.isoformat()}"
        notify(
            event="earlier_slot_available",
            user=waiting.citizen,
            context={
                "name": waiting.citizen.get_short_name(),
                "label": waiting.type.label,
                "freed_on": week,
                "place": agenda.place,
                "current_start": waiting.start,
            },
            url=reverse("appointments:slots", args=[waiting.type.slug]) + query,
        )
    return alerts


@transaction.atomic
def agenda_feed_token_regenerate(*, agenda: Agenda) -> Agenda:
    """A new secret for the agenda's calendar feed: the old address stops working (when it has leaked)."""
    agenda.feed_token = new_feed_token()
    agenda.save(update_fields=["feed_token"])
    return agenda


def _manage_check(actor: User, agenda: Agenda) -> None:
    """Only a manager of the agenda's department, or the agent whose agenda it is, changes its hours and closures."""
    if not Agenda.objects.managed_by(actor).filter(pk=agenda.pk).exists():
        raise PermissionDenied(
            _("Only the department's managers, and the agent whose agenda it is, may change its opening hours.")
        )


def _agenda_lock(agenda: Agenda) -> None:
    """Changes to one agenda's hours happen one at a time, so that two agents cannot add overlapping periods."""
    list(Agenda.objects.select_for_update(no_key=True).filter(pk=agenda.pk).values_list("pk"))


@transaction.atomic
def opening_rule_save(
    *,
    agenda: Agenda,
    actor: User,
    weekdays: list[int],
    start_time: datetime.time,
    end_time: datetime.time,
    valid_from: datetime.date | None,
    valid_until: datetime.date | None,
    capacity: int,
    types: Iterable[AppointmentType],
    rule: OpeningRule | None = None,
) -> OpeningRule:
    """Add an opening period to the agenda, or change one of its own (`rule`); checked again against the agenda's
    other periods under the agenda's lock (`opening_rules_overlap_check`, as in the form). Appointments already
    booked are kept whatever the new hours (see `appointments_uncovered`)."""
    _manage_check(actor, agenda)
    if rule is not None and rule.agenda_id != agenda.pk:
        raise PermissionDenied
    _agenda_lock(agenda)
    rule = rule or OpeningRule(agenda=agenda)
    rule.weekdays, rule.start_time, rule.end_time = sorted(set(weekdays)), start_time, end_time
    rule.valid_from, rule.valid_until, rule.capacity = valid_from, valid_until, capacity
    opening_rules_overlap_check([rule, *OpeningRule.objects.filter(agenda=agenda).exclude(pk=rule.pk)])
    rule.save()
    rule.types.set(types)
    return rule


@transaction.atomic
def opening_rule_delete(*, rule: OpeningRule, actor: User) -> None:
    """Remove an opening period; the appointments booked in it are kept (see `appointments_uncovered`)."""
    _manage_check(actor, rule.agenda)
    rule.delete()


@transaction.atomic
def closure_add(
    *, agenda: Agenda, actor: User, start: datetime.datetime, end: datetime.datetime, reason: str
) -> Closure:
    """Close the agenda from `start` to `end` (training, works…): no slot is offered then; the appointments already
    booked are kept, for the agents to move or cancel (see `appointments_uncovered`)."""
    _manage_check(actor, agenda)
    return Closure.objects.create(agenda=agenda, start=start, end=end, reason=reason.strip())


@transaction.atomic
def closure_delete(*, closure: Closure, actor: User) -> None:
    """Reopen the agenda during one of its closures: the citizens waiting for an earlier slot that the reopened
    time now offers are told, as after a cancellation."""
    if closure.agenda is None:
        raise PermissionDenied  # a department's closure is the administrators'
    agenda = closure.agenda
    _manage_check(actor, agenda)
    now = timezone.now()
    start, end = max(closure.start, now), closure.end
    closure.delete()
    if end > start:
        _earlier_slot_tell(agenda=agenda, start=start, end=end, now=now)
