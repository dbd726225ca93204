"""Work queued for Celery once a transaction commits, without ever failing the request whose change is committed.

With the broker unreachable the task is not queued and the caller carries on: each kind of queued work has a sweeper
(a beat task) that finds the rows still waiting (a notification to send, a file to scan, a letter to generate or to
send) and queues them again. Tasks are idempotent, so a task queued twice does its work once.
"""

from __future__ import annotations

import logging
from functools import partial
from typing import Any

from celery import Task
from django.db import transaction
from kombu.exceptions import OperationalError
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

BROKER_ERRORS = (OperationalError, RedisError, OSError)


def enqueue(task: Task, **kwargs: Any) -> bool:
    """Queue `task` now, or not at all (no retries: the sweeper retries); returns whether it was queued."""
    try:
        task.apply_async(kwargs=kwargs, retry=False)
    except BROKER_ERRORS as error:
        logger.warning("%s %s not queued (%s): the sweeper will queue it again.", task.name, kwargs, error)
        return False
    return True


def enqueue_on_commit(task: Task, **kwargs: Any) -> None:
    """Queue `task` once the current transaction commits (at once outside a transaction)."""
    transaction.on_commit(partial(enqueue, task, **kwargs))


def enqueue_all(task: Task, name: str, ids: list[int]) -> int:
    """A sweeper's work: queue `task` for each id (as the keyword `name`), stopping at the first the broker refuses
    (the next sweep carries on); returns how many were queued."""
    queued = 0
    for pk in ids:
        if not enqueue(task, **{name: pk}):
            break
        queued += 1
    return queued
