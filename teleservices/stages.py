"""The words citizens read for where their request stands, the same whatever the workflow.

Each workflow names its statuses for its agents (teleservices/workflows.py); citizens are told the stage a status stands
for: every citizen page, email and letter reads it from `stage_of`, here and nowhere else.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import models
from django.utils.translation import pgettext_lazy

if TYPE_CHECKING:
    from teleservices.workflows import Status


class Stage(models.TextChoices):
    RECEIVED = "received", pgettext_lazy("request", "Received")
    IN_PROGRESS = "in_progress", pgettext_lazy("request", "Under review")
    AWAITING_CITIZEN = "awaiting_citizen", pgettext_lazy("request", "Awaiting further information")
    ACCEPTED = "accepted", pgettext_lazy("request", "Accepted")
    REFUSED = "refused", pgettext_lazy("request", "Refused")
    CLOSED = "closed", pgettext_lazy("request", "Closed without further action")
    DONE = "done", pgettext_lazy("request", "Completed")


# The outcome of each final status, by its identifier in the workflows (the standard one and its variants); a final
# status not listed here is "Completed".
FINAL_STAGES = {
    "acceptee": Stage.ACCEPTED,
    "accordee": Stage.ACCEPTED,
    "inscrit": Stage.ACCEPTED,
    "refusee": Stage.REFUSED,
    "classee": Stage.CLOSED,
}


def stage_of(status: Status) -> Stage:
    """The stage a workflow's status stands for, as citizens are told it."""
    if status.is_terminal:
        return FINAL_STAGES.get(status.key, Stage.DONE)
    if status.waits_for_citizen:
        return Stage.AWAITING_CITIZEN
    return Stage.RECEIVED if status.is_initial else Stage.IN_PROGRESS
