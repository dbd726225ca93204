"""/readyz against real services: PostgreSQL, redis-servers of the tests' own (cache and broker), `celery -A gru
worker` processes, Celery beat (a `celery -A gru beat` process, or its scheduler's code), clamd with a signature
database of a chosen date, and the private file storage on disk.

Starting a `celery -A gru` process loads the whole project (several seconds): this module starts one worker for its
tests, and only the tests of beat itself and of a worker stopping start another process."""

import datetime
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from celery.beat import ScheduleEntry
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.utils import timezone

from gru.celery import app as celery_app
from gru.health import HEARTBEAT_KEY, HeartbeatScheduler, beat_heartbeat, beat_heartbeat_record
from tests.clamd import Clamd, clamd_running
from tests.servers import (
    CELERY_STARTUP_TIMEOUT,
    RedisServer,
    celery_process,
    celery_through,
    stop,
    wait_for,
    worker_answers,
)
from vault import antivirus
from vault.health import signatures_fresh

pytestmark = pytest.mark.django_db

CHECKS = ["database", "cache", "broker", "worker", "scheduler", "antivirus", "storage"]
WORDS = {"ok", "failed", "stale", "disabled"}


@pytest.fixture(scope="module")
def fresh_signatures() -> datetime.datetime:
    return timezone.now().replace(microsecond=0) - datetime.timedelta(hours=1)


@pytest.fixture(scope="module")
def fresh_clamd(tmp_path_factory, fresh_signatures) -> Iterator[Clamd]:
    with clamd_running(tmp_path_factory.mktemp("clamd-fresh"), signatures_date=fresh_signatures) as server:
        yield server


@pytest.fixture(scope="module")
def stale_clamd(tmp_path_factory) -> Iterator[Clamd]:
    published = timezone.now() - datetime.timedelta(days=3)
    with clamd_running(tmp_path_factory.mktemp("clamd-stale"), signatures_date=published) as server:
        yield server


WORKER_OPTIONS = ("--pool=solo", "--without-gossip", "--without-mingle", "--without-heartbeat")


@pytest.fixture(scope="module")
def broker(django_db_setup, tmp_path_factory) -> Iterator[RedisServer]:
    """A Redis of our own, with a `celery -A gru worker` process consuming it, for this module's tests."""
    server = RedisServer()
    server.start()
    try:
        directory = tmp_path_factory.mktemp("readyz-worker")
        with celery_process("worker", *WORKER_OPTIONS, redis_url=server.url, directory=directory):
            with celery_through(server.url):
                wait_for(lambda: worker_answers(celery_app), timeout=CELERY_STARTUP_TIMEOUT, what="the worker")
            yield server
    finally:
        server.stop()


@contextmanager
def _everything_but_celery_on(settings, redis: RedisServer, clamd: Clamd) -> Iterator[None]:
    """Redis at `redis` as cache and broker, clamd at `clamd`."""
    settings.CACHES = {"default": {**settings.CACHES["default"], "LOCATION": redis.url}}
    settings.CLAMAV_ENABLED, settings.CLAMAV_SOCKET = True, clamd.socket
    with celery_through(redis.url):
        yield


@pytest.fixture
def ready(settings, redis_server, fresh_clamd) -> Iterator[RedisServer]:
    """Everything up but Celery: a Redis of the test's own as cache and broker, clamd with signatures an hour old."""
    redis_server.start()
    with _everything_but_celery_on(settings, redis_server, fresh_clamd):
        yield redis_server


@pytest.fixture
def running(settings, broker, fresh_clamd) -> Iterator[RedisServer]:
    """Everything up: also a worker, and beat's heartbeat of a moment ago."""
    with _everything_but_celery_on(settings, broker, fresh_clamd):
        beat_heartbeat_record()
        yield broker


def _readyz(client) -> tuple[int, dict]:
    """The status and the JSON, checked to say nothing but a check's name and a word of ours."""
    response = client.get("/readyz")
    body = response.json()
    assert list(body) == ["status", "checks", "failed"]
    assert list(body["checks"]) == CHECKS
    assert set(body["checks"].values()) <= WORDS
    assert body["failed"] == [name for name in CHECKS if body["checks"][name] in {"failed", "stale"}]
    assert body["status"] == ("failed" if body["failed"] else "ok")
    assert response.status_code == (503 if body["failed"] else 200)
    return response.status_code, body


def test_readyz_answers_200_with_every_dependency_ok_while_a_worker_and_beat_run(
    client, settings, broker, fresh_clamd, tmp_path
):
    with (
        _everything_but_celery_on(settings, broker, fresh_clamd),
        # No --scheduler: beat uses ours (CELERY_BEAT_SCHEDULER), as bin/run and docker-compose.yml start it.
        celery_process("beat", f"--schedule={tmp_path / 'beat-schedule'}", redis_url=broker.url, directory=tmp_path),
    ):
        wait_for(lambda: beat_heartbeat() is not None, timeout=CELERY_STARTUP_TIMEOUT, what="beat's heartbeat")
        response = client.get("/readyz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": dict.fromkeys(CHECKS, "ok"), "failed": []}
    assert response["Content-Type"] == "application/json"
    assert "no-store" in response["Cache-Control"] and "max-age=0" in response["Cache-Control"]


def test_readyz_answers_503_naming_the_worker_once_it_stops(client, ready, settings, tmp_path):
    settings.READYZ_WORKER_TIMEOUT = 1
    beat_heartbeat_record()
    with celery_process("worker", *WORKER_OPTIONS, redis_url=ready.url, directory=tmp_path) as worker:
        wait_for(lambda: worker_answers(celery_app), timeout=CELERY_STARTUP_TIMEOUT, what="the worker")
        assert _readyz(client)[0] == 200

        stop(worker)
        started = time.monotonic()
        status, body = _readyz(client)
    assert (status, body["failed"], body["checks"]["worker"]) == (503, ["worker"], "failed")
    assert time.monotonic() - started < 3  # READYZ_WORKER_TIMEOUT, not django-health-check's default


def test_readyz_answers_503_naming_the_scheduler_when_beat_has_had_no_job_taken_for_3_minutes(client, running):
    beat_heartbeat_record(at=time.time() - 170)
    assert _readyz(client)[0] == 200

    beat_heartbeat_record(at=time.time() - 190)
    status, body = _readyz(client)
    assert (status, body["failed"], body["checks"]["scheduler"]) == (503, ["scheduler"], "stale")

    cache.delete(HEARTBEAT_KEY)  # beat never ran
    assert _readyz(client)[1]["failed"] == ["scheduler"]


def test_beats_scheduler_records_its_heartbeat_each_time_the_broker_takes_a_job(ready, tmp_path):
    long_ago = time.time() - 3600
    job = ScheduleEntry(
        name="readyz-test", task="celery.accumulate", schedule=datetime.timedelta(minutes=1), app=celery_app
    )

    scheduler = HeartbeatScheduler(app=celery_app, schedule_filename=str(tmp_path / "schedule"))
    assert time.time() - beat_heartbeat() < 5  # the first start records one, giving beat time for its first job
    beat_heartbeat_record(at=long_ago)
    scheduler.close()
    scheduler = HeartbeatScheduler(app=celery_app, schedule_filename=str(tmp_path / "schedule"))
    assert beat_heartbeat() == long_ago  # a restart does not: a beat restarting in a loop goes stale

    with celery_through(RedisServer().url):  # a broker nobody listens on: the job is not taken
        scheduler.apply_entry(job)
    assert beat_heartbeat() == long_ago

    scheduler.apply_entry(job)  # what beat's tick does with a job due
    assert ready.queued() == 1
    assert time.time() - beat_heartbeat() < 5
    scheduler.close()


def test_readyz_answers_503_naming_the_antivirus_when_clamd_is_stopped(client, running, settings, tmp_path_factory):
    published = timezone.now() - datetime.timedelta(hours=1)
    with clamd_running(tmp_path_factory.mktemp("clamd-stopped"), signatures_date=published) as server:
        settings.CLAMAV_SOCKET = server.socket
        assert _readyz(client)[0] == 200

    status, body = _readyz(client)
    assert (status, body["failed"], body["checks"]["antivirus"]) == (503, ["antivirus"], "failed")


def test_readyz_answers_503_naming_the_antivirus_when_its_signatures_are_more_than_48_hours_old(
    client, running, settings, stale_clamd
):
    settings.CLAMAV_SOCKET = stale_clamd.socket
    status, body = _readyz(client)
    assert (status, body["failed"], body["checks"]["antivirus"]) == (503, ["antivirus"], "stale")

    settings.READYZ_SIGNATURES_MAX_HOURS = 4 * 24
    assert _readyz(client)[0] == 200


def test_readyz_reports_the_antivirus_disabled_without_failing_when_clamav_is_off(client, running, settings):
    settings.CLAMAV_ENABLED = False
    settings.CLAMAV_SOCKET = "/nonexistent/clamd.sock"
    status, body = _readyz(client)
    assert (status, body["checks"]["antivirus"]) == (200, "disabled")


def test_readyz_answers_503_naming_cache_and_broker_when_redis_is_stopped(client, ready, settings):
    settings.READYZ_WORKER_TIMEOUT = 1
    beat_heartbeat_record()
    assert _readyz(client)[1]["failed"] == ["worker"]  # no worker here; the connections to Redis are made
    ready.stop()

    status, body = _readyz(client)
    # Without Redis, no worker can hear the ping and beat's heartbeat cannot be read either.
    assert (status, body["failed"]) == (503, ["cache", "broker", "worker", "scheduler"])
    assert {body["checks"][name] for name in ("database", "antivirus", "storage")} == {"ok"}
    # No check is left behind, retrying to reach the broker (a thread at every request).
    wait_for(lambda: not [t for t in threading.enumerate() if t.name.startswith("readyz")], what="the checks' end")
    text = client.get("/readyz").content.decode()
    assert str(ready.port) not in text and "127.0.0.1" not in text and "rror" not in text


def test_readyz_answers_503_naming_the_storage_when_no_file_can_be_written(client, running, settings, tmp_path):
    (tmp_path / "a-file").write_text("not a directory")
    private = {**settings.STORAGES["private"], "OPTIONS": {"location": str(tmp_path / "a-file" / "private")}}
    settings.STORAGES = {**settings.STORAGES, "private": private}
    status, body = _readyz(client)
    assert (status, body["failed"], body["checks"]["storage"]) == (503, ["storage"], "failed")
    assert "a-file" not in client.get("/readyz").content.decode()


def test_readyz_writes_nothing_to_the_database_and_sets_no_cookie(client, running, django_assert_num_queries):
    with django_assert_num_queries(0):  # the database check's SELECT 1 runs on a connection of its own
        response = client.get("/readyz")
    assert response.status_code == 200
    assert not response.cookies
    assert not Session.objects.exists()


def test_the_signatures_date_is_read_from_clamds_version_answer(fresh_clamd, fresh_signatures, settings):
    settings.CLAMAV_SOCKET = fresh_clamd.socket
    assert antivirus.signatures_date(antivirus.version(timeout=2)) == fresh_signatures
    assert antivirus.signatures_date("ClamAV 1.4.3/27840/Sun Dec  6 09:24:02 2026") == datetime.datetime(
        2026, 12, 6, 9, 24, 2, tzinfo=datetime.UTC
    )
    assert antivirus.signatures_date("ClamAV 1.4.6") is None  # no official database
    assert antivirus.signatures_date("ClamAV 1.4.6/27840/lundi 6 décembre") is None


def test_signatures_are_fresh_for_less_than_the_limit_and_never_without_a_date():
    now, limit = timezone.now(), datetime.timedelta(hours=48)
    assert signatures_fresh(now - datetime.timedelta(hours=47, minutes=59), now=now, max_age=limit)
    assert not signatures_fresh(now - limit, now=now, max_age=limit)
    assert signatures_fresh(now + datetime.timedelta(hours=1), now=now, max_age=limit)  # clocks a little apart
    assert not signatures_fresh(None, now=now, max_age=limit)


def test_readyz_asked_about_the_scheduler_only_answers_for_it_and_refuses_an_unknown_check(client, running, settings):
    settings.CLAMAV_SOCKET = "/nonexistent/clamd.sock"  # the antivirus is down: not asked, it does not count
    beat_heartbeat_record()

    response = client.get("/readyz?check=scheduler")
    assert (response.status_code, response.json()) == (
        200,
        {"status": "ok", "checks": {"scheduler": "ok"}, "failed": []},
    )

    beat_heartbeat_record(at=time.time() - 600)
    response = client.get("/readyz", {"check": ["scheduler", "worker"]})
    assert response.status_code == 503
    assert response.json()["checks"] == {"worker": "ok", "scheduler": "stale"}

    response = client.get("/readyz?check=sheduler")
    assert response.status_code == 400
    assert "scheduler" in response.content.decode()
