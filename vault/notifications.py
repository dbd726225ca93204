"""What citizens are told about the documents of their vault (the events of gru.notifications), declared when the app
starts."""

from gru.notifications import Event

EVENTS: dict[str, Event] = {
    "document_expiring": Event("vault/emails/document_expiring", sms="vault/sms/document_expiring.txt"),
    "document_refused": Event("vault/emails/document_refused"),
}
