"""What applicants are told about their requests (the events of gru.notifications), declared when the app starts."""

from gru.notifications import Event

EVENTS: dict[str, Event] = {
    # Essential: the acknowledgement of a request (accusé de réception, Code des relations entre le public et
    # l'administration, L112-3: it gives the reference and the deadline).
    "case_received": Event("teleservices/emails/acknowledgement", essential=True),
    "case_status_changed": Event("teleservices/emails/status_changed"),
    # Essential: the request waits for their answer, its deadline paused.
    "case_information_requested": Event(
        "teleservices/emails/information_requested", sms="teleservices/sms/information_requested.txt", essential=True
    ),
    "case_message": Event("teleservices/emails/new_message"),
    "case_letter": Event("teleservices/emails/letter"),
    "draft_expiring": Event("teleservices/emails/draft_reminder"),
    # Essential: the citizen is in front of the agent at the counter, waiting for it.
    "counter_consent_code": Event(
        "teleservices/emails/counter_consent", sms="teleservices/sms/counter_consent.txt", essential=True
    ),
}
