"""The notifications outbox: what we tell citizens by email, text message and in their space, never lost, never sent
twice.

`notify()` writes one row per channel in the transaction of the change it tells about, so that a rolled-back change
tells nothing and a committed one always has its rows. After the commit each row is queued for
`notification_send_task`; when the broker is unreachable nothing fails: the row stays pending and
`notifications_sweep()` (every minute, from beat) queues it again. `notification_send()` locks the row and sends it only
while it is pending and due, so a duplicate or redelivered task finds it sent and does nothing. Failed attempts are
retried by the sweeper after an exponential backoff, then the row is marked failed (see the admin, which queues failed
rows again once the cause is fixed).

The one window left: a worker that dies after the mail server or SMS provider accepted a message but before its
transaction commits leaves the row pending, and it is sent again. Emails carry a Message-ID derived from the row and
text messages its reference, so that the receiving side can recognise the repetition.
"""

from __future__ import annotations

import datetime
import json
import logging
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol
from urllib.parse import urlparse

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import ImproperlyConfigured
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from gru import emails, sms
from gru.models import Notification, Organisation
from gru.queue import enqueue_all, enqueue_on_commit
from gru.tasks import notification_send_task
from gru.workdays import months_before

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 10
RETRY_BASE = datetime.timedelta(minutes=1)
RETRY_MAX = datetime.timedelta(hours=6)
# A pending row is queued again once its task has had this long to run: less, and a busy queue gets duplicates.
SWEEP_GRACE = datetime.timedelta(minutes=5)
SWEEP_BATCH = 1000


class Recipient(Protocol):
    """What notify() reads of the account it tells (portal's User)."""

    email: str
    phone: str
    notify_by_email: bool
    notify_by_sms: bool


class Attachment(Protocol):
    """What an email reads of a file it carries (vault's StoredFile, reached through `Notification.attachments`)."""

    pk: Any
    name: str
    content_type: str

    @property
    def is_available(self) -> bool: ...

    def read(self) -> bytes: ...


@dataclass(frozen=True)
class Event:
    """What one kind of event sends.

    template: the email, `<template>_subject.txt` (also the line shown in the citizen space), `<template>.txt` and
        `<template>.html`.
    space: also a notification in the citizen's space (for those who have an account).
    sms: the template of a text message, for the few short events that cannot wait: sent to those who chose text
        messages and gave a phone number.
    essential: the email goes even to a citizen who turned emails off, because the law or their request depends on
        it (the app declaring the event says why).
    """

    template: str
    space: bool = True
    sms: str = ""
    essential: bool = False


# Every app's events, by name: the app raising them declares them when it starts (events_register).
_events: dict[str, Event] = {}


def events_register(events: Mapping[str, Event]) -> None:
    """Declare the events an app raises, by name, from its AppConfig.ready(): notify() knows no other."""
    for name, event in events.items():
        if _events.setdefault(name, event) != event:
            raise ImproperlyConfigured(f"The notification event {name!r} is declared twice, differently.")


def _event(name: str) -> Event:
    try:
        return _events[name]
    except KeyError:
        raise LookupError(
            f"Unknown notification event {name!r}: the app raising it declares it with events_register()."
        ) from None


def notify(
    *,
    event: str,
    user: Recipient | None = None,
    email: str = "",
    context: dict[str, Any],
    url: str = "",
    attachments: Iterable[Attachment] = (),
    topic: str = "",
    hold: datetime.timedelta | None = None,
) -> list[Notification]:
    """Tell `user` (or, without an account, the `email` address) about `event`: one row per channel its definition
    and the user's choices give, queued once the caller's transaction commits. Call it inside that transaction.

    context: plain JSON values (strings, numbers, dates and datetimes, stored as ISO strings) rendered when sent,
        never model instances, which would be read again at an unknown later time.
    url: the page to open, a path of the portal (made absolute in emails and text messages) or a full URL.
    attachments: the files (vault's StoredFile) attached to the email.
    topic: what the rows are about (`"case:12"`, `"appointment:7"`), for notifications_release and
        notifications_withdraw.
    hold: the rows to send wait this long for notifications_release (an attachment still being made), then go as
        they are.
    """
    if not connection.in_atomic_block:
        raise RuntimeError("notify() belongs inside the transaction of the change it tells about.")
    definition = _event(event)
    plain = json.loads(json.dumps(context, cls=DjangoJSONEncoder))
    channels = _channels(definition, user, email)
    if not channels:
        return []
    now = timezone.now()
    subject = _subject(definition.template, plain, url)
    common = {"recipient": user, "event": event, "context": plain, "subject": subject, "url": url, "topic": topic}
    due = now + hold if hold else now
    rows = [
        Notification(channel=channel, address=address, template=template, created_at=now, next_attempt_at=due, **common)
        for channel, address, template in channels
    ]
    for row in rows:
        if row.channel == Notification.Channel.SPACE:  # a row the citizen reads: delivered as soon as written
            row.status, row.sent_at = Notification.Status.SENT, now
    Notification.objects.bulk_create(rows)
    attachment_ids = [attachment.pk for attachment in attachments]  # by id: gru does not import their model
    for row in rows:
        if row.channel == Notification.Channel.EMAIL and attachment_ids:
            row.attachments.set(attachment_ids)
        if row.status == Notification.Status.PENDING and not hold:
            enqueue_on_commit(notification_send_task, notification_id=row.pk)
    return rows


def notifications_release(*, topic: str, event: str, attachments: Iterable[Attachment] = ()) -> int:
    """The held rows of `event` about `topic` go now, their emails with `attachments`; returns how many. Call it in
    the transaction of the change that makes them ready."""
    rows = list(Notification.objects.pending().filter(topic=topic, event=event, attempts=0).select_for_update())
    attachment_ids = [attachment.pk for attachment in attachments]  # by id: gru does not import their model
    for row in rows:
        if row.channel == Notification.Channel.EMAIL:
            row.attachments.add(*attachment_ids)
        row.next_attempt_at = timezone.now()
        row.save(update_fields=["next_attempt_at"])
        enqueue_on_commit(notification_send_task, notification_id=row.pk)
    return len(rows)


def notifications_withdraw(*, topic: str, events: Iterable[str]) -> int:
    """The rows of these events about `topic` not sent yet will never go (what they tell is no longer true: a
    reminder of a cancelled appointment); returns how many."""
    rows = Notification.objects.pending().filter(topic=topic, event__in=list(events))
    return rows.update(status=Notification.Status.WITHDRAWN)


def _channels(definition: Event, user: Recipient | None, email: str) -> list[tuple[str, str, str]]:
    """(channel, address, template) of each row the event gives for this person, as they chose in their profile."""
    channels: list[tuple[str, str, str]] = []
    address = email or (user.email if user is not None else "")
    if address and (user is None or user.notify_by_email or definition.essential):
        channels.append((Notification.Channel.EMAIL, address, definition.template))
    if definition.sms and settings.SMS_ENABLED and user is not None and user.notify_by_sms and user.phone:
        channels.append((Notification.Channel.SMS, user.phone, definition.sms))
    if definition.space and user is not None:
        channels.append((Notification.Channel.SPACE, "", definition.template))
    return channels


def _render_context(context: dict[str, Any], url: str) -> dict[str, Any]:
    """The context templates are rendered with: the organisation, as it is when sent, and the link made absolute."""
    absolute = url if urlparse(url).scheme or not url else settings.SITE_URL + url
    return {"organisation": Organisation.objects.current(), **context, "url": absolute}


def _subject(template: str, context: dict[str, Any], url: str) -> str:
    """In the portal's language, whatever language the agent whose action caused the notification reads."""
    with translation.override(settings.LANGUAGE_CODE):
        subject = emails.email_subject(template=template, context=_render_context(context, url))
    return subject[: Notification._meta.get_field("subject").max_length]


def notification_send(*, notification_id: int, now: datetime.datetime | None = None) -> Notification | None:
    """Send one row through its channel, if it is still pending and due; returns it, or None when there was nothing
    to do (sent or failed already, not due yet, or being sent by another worker this very moment).

    The row stays locked while it is sent, and is marked sent in the same transaction."""
    now = now or timezone.now()
    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update(skip_locked=True).due(now).filter(pk=notification_id).first()
        )
        if notification is None:
            return None
        notification.attempts += 1
        try:
            with translation.override(settings.LANGUAGE_CODE):
                SENDERS[notification.channel](notification)
        except Exception as error:  # noqa: BLE001 - whatever the cause, the row records it and is retried
            _record_failure(notification, error, now)
        else:
            notification.status, notification.sent_at, notification.last_error = Notification.Status.SENT, now, ""
        notification.save(update_fields=["status", "attempts", "last_error", "next_attempt_at", "sent_at"])
    return notification


def retry_delay(attempts: int) -> datetime.timedelta:
    """How long after its `attempts`-th failure a row is tried again: doubling from a minute, at most six hours."""
    return min(RETRY_BASE * 2 ** (attempts - 1), RETRY_MAX)


def _record_failure(notification: Notification, error: Exception, now: datetime.datetime) -> None:
    notification.last_error = f"{type(error).__name__}: {error}"[:2000]
    if notification.attempts >= MAX_ATTEMPTS:
        notification.status = Notification.Status.FAILED
        logger.error("Notification %s failed %s times, given up: %s", notification.pk, MAX_ATTEMPTS, error)
    else:
        notification.next_attempt_at = now + retry_delay(notification.attempts)
        logger.warning("Notification %s not sent (attempt %s): %s", notification.pk, notification.attempts, error)


class AttachmentNotReady(Exception):
    """An attached file is still being scanned by the antivirus (or was found infected): the email waits."""


def _send_email(notification: Notification) -> None:
    files: list[Attachment] = list(notification.attachments.all())
    if not all(f.is_available for f in files):
        raise AttachmentNotReady("an attachment is not available (antivirus)")
    message = emails.email_message(
        template=notification.template,
        context=_render_context(notification.context, notification.url),
        subject=notification.subject,
        to=[notification.address],
        attachments=[(f.name, f.read(), f.content_type) for f in files],
        headers={"Message-ID": f"<notification-{notification.pk}@{urlparse(settings.SITE_URL).hostname}>"},
    )
    message.send()


def _send_sms(notification: Notification) -> None:
    body = render_to_string(notification.template, _render_context(notification.context, notification.url))
    sms.sms_send(to=notification.address, body=" ".join(body.split()), reference=f"notification-{notification.pk}")


SENDERS: dict[str, Callable[[Notification], None]] = {
    Notification.Channel.EMAIL: _send_email,
    Notification.Channel.SMS: _send_sms,
}


def notifications_sweep(*, now: datetime.datetime) -> int:
    """Queue again the pending rows that are due and have waited longer than the grace period: their task was lost
    (the broker was down at the commit, restarted, or a worker was killed), or they wait for a retry. Stops at the
    first row the broker refuses: the next sweep carries on. Returns how many were queued."""
    due = Notification.objects.due(now - SWEEP_GRACE).order_by("next_attempt_at")
    return enqueue_all(notification_send_task, "notification_id", list(due.values_list("pk", flat=True)[:SWEEP_BATCH]))


def notifications_purge(*, now: datetime.datetime) -> int:
    """Delete the rows older than NOTIFICATIONS_RETENTION_MONTHS that are done with (sent, failed or withdrawn): the
    outbox's and what citizens read in their space. A file an email carried stays with whoever owns it. Returns how
    many rows went."""
    cutoff = months_before(now, settings.NOTIFICATIONS_RETENTION_MONTHS)
    done = Notification.objects.exclude(status=Notification.Status.PENDING).filter(created_at__lt=cutoff)
    _total, by_model = done.delete()
    return by_model.get(Notification._meta.label, 0)


@transaction.atomic
def notifications_retry(*, notifications: models.QuerySet[Notification]) -> int:
    """Give failed rows a new series of attempts (once the mail server or the address is fixed); returns how many."""
    failed = list(notifications.filter(status=Notification.Status.FAILED).values_list("pk", flat=True))
    Notification.objects.filter(pk__in=failed).update(
        status=Notification.Status.PENDING, attempts=0, next_attempt_at=timezone.now()
    )
    for notification_id in failed:
        enqueue_on_commit(notification_send_task, notification_id=notification_id)
    return len(failed)


@transaction.atomic
def notifications_mark_read(*, user: AbstractBaseUser, notifications: Iterable[Notification]) -> int:
    """The citizen has seen these notifications of their space; returns how many were unread."""
    ids = [n.pk for n in notifications if n.read_at is None]
    return Notification.objects.in_space_of(user).unread().filter(pk__in=ids).update(read_at=timezone.now())
