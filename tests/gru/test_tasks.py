"""Every task of ours is bounded in time: a soft limit (the task records its failure) below a hard one (its process is
killed), both below the broker's visibility timeout, past which Redis would hand a task still running to another
worker. A new task without its limits fails here."""

import importlib
import importlib.util

from django.conf import settings

from gru.celery import app

OUR_APPS = ("gru", "portal", "vault", "letters", "teleservices", "appointments", "backoffice")


def _our_tasks():
    """Every task of our apps, as the worker registers them (it imports each app's tasks module)."""
    for name in OUR_APPS:
        if importlib.util.find_spec(f"{name}.tasks") is not None:
            importlib.import_module(f"{name}.tasks")
    return {name: task for name, task in app.tasks.items() if name.split(".")[0] in OUR_APPS}


def test_every_task_of_ours_has_a_soft_time_limit_below_its_hard_one():
    tasks = _our_tasks()
    assert "backoffice.tasks.export_run_task" in tasks and len(tasks) >= 18
    unbounded = {
        name: (task.soft_time_limit, task.time_limit)
        for name, task in tasks.items()
        if not (task.soft_time_limit and task.time_limit and task.soft_time_limit < task.time_limit)
    }
    assert unbounded == {}


def test_every_task_ends_before_the_broker_would_hand_it_to_a_second_worker():
    visibility = settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"]
    too_long = {name: task.time_limit for name, task in _our_tasks().items() if task.time_limit >= visibility}
    assert too_long == {}


def test_tasks_of_other_libraries_get_the_default_limits():
    assert app.conf.task_soft_time_limit == settings.CELERY_TASK_SOFT_TIME_LIMIT == 60
    assert app.conf.task_time_limit == settings.CELERY_TASK_TIME_LIMIT == 90
    assert app.conf.task_acks_late


def test_every_scheduled_task_is_one_of_ours():
    tasks = _our_tasks()
    assert {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()} <= set(tasks)
