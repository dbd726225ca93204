"""What citizens are told about their appointments (the events of gru.notifications), declared when the app starts."""

from gru.notifications import Event

EVENTS: dict[str, Event] = {
    "appointment_confirmed": Event("appointments/emails/confirmed"),
    "appointment_moved": Event("appointments/emails/moved"),
    # Essential: cancelled by the department, the citizen would otherwise come for nothing.
    "appointment_cancelled": Event("appointments/emails/cancelled", essential=True),
    "appointment_reminder": Event("appointments/emails/reminder", sms="appointments/sms/reminder.txt"),
    "earlier_slot_available": Event("appointments/emails/earlier_slot"),
}
