"""Text messages, through the backend SMS_BACKEND names (a dotted path), as Django does for emails: the console in
development, a list in memory for tests, a JSON-over-HTTPS provider in production."""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass

import requests
from django.conf import settings
from django.utils.module_loading import import_string


@dataclass(frozen=True)
class Sms:
    to: str  # E.164, +33612345678
    body: str
    reference: str  # ours, unique per message: the provider may use it to drop a repetition


class BaseBackend:
    def send(self, message: Sms) -> None:
        """Hand the message to the provider; raises when it was not accepted (the outbox tries again later)."""
        raise NotImplementedError


class ConsoleBackend(BaseBackend):
    """Development: the message is written to the standard output."""

    def send(self, message: Sms) -> None:
        sys.stdout.write(f"SMS to {message.to} ({message.reference}):\n{message.body}\n")
        sys.stdout.flush()


outbox: list[Sms] = []


class LocmemBackend(BaseBackend):
    """Tests: the messages are kept in `gru.sms.outbox` (emptied by the tests' fixture)."""

    def send(self, message: Sms) -> None:
        outbox.append(message)


class HttpBackend(BaseBackend):
    """A provider taking JSON over HTTPS: POST {"from", "to", "text", "reference"} to SMS_API_URL with SMS_API_KEY
    as a bearer token. Any answer but a 2xx is an error, as is no answer within SMS_TIMEOUT seconds."""

    def send(self, message: Sms) -> None:
        response = requests.post(
            settings.SMS_API_URL,
            json={"from": settings.SMS_SENDER, "to": message.to, "text": message.body, "reference": message.reference},
            headers={"Authorization": f"Bearer {settings.SMS_API_KEY}"},
            timeout=settings.SMS_TIMEOUT,
        )
        response.raise_for_status()


# Typography the GSM alphabet lacks: one such character turns a message of 160 characters into one of 70 (UCS-2).
GUILLEMETS = re.compile(r"«\s*|\s*»")
GSM_EQUIVALENTS = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "\u00a0": " ", "\u202f": " "})


def sms_send(*, to: str, body: str, reference: str) -> None:
    backend: BaseBackend = import_string(settings.SMS_BACKEND)()
    body = GUILLEMETS.sub('"', body).translate(GSM_EQUIVALENTS)
    backend.send(Sms(to=to, body=body, reference=reference))
