"""/metrics for Prometheus: closed unless a token or a network opens it; requests by view and status, the outbox's
backlog and the broker's queues measured at scrape time (a real Redis), task runs and antivirus verdicts counted
(a real clamd), and the Celery worker's own port."""

import ipaddress
import os
import subprocess
import sys
import urllib.error
import urllib.request

import pytest
from celery.contrib.testing.worker import start_worker
from django.conf import settings as django_settings
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from prometheus_client.parser import text_string_to_metric_families

from gru.notifications import notify
from gru.queue import enqueue
from gru.tasks import sessions_purge_task
from tests.clamd import EICAR
from tests.servers import celery_through, free_port, wait_for
from tests.teleservices.conftest import pdf_bytes
from vault.files import CheckedFile
from vault.services import stored_file_create, stored_file_scan
from vault.tasks import stored_file_scan_task

TOKEN = "9f2c7e4b1a8d4f0e9c3b5a7d6e1f2a3b"
METRICS = "/metrics"
BEARER = {"Authorization": f"Bearer {TOKEN}"}


def _samples(text: str) -> dict[tuple[str, frozenset], float]:
    return {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def _value(samples: dict, name: str, **labels: str) -> float:
    return samples.get((name, frozenset(labels.items())), 0.0)


@pytest.fixture
def scrape(client, settings):
    """/metrics as Prometheus reads it, with the token: its samples."""
    settings.METRICS_TOKEN = TOKEN

    def scrape() -> dict[tuple[str, frozenset], float]:
        response = client.get(METRICS, headers=BEARER)
        assert response.status_code == 200
        assert response["Content-Type"].startswith("text/plain; version=")
        return _samples(response.content.decode())

    return scrape


def test_metrics_are_closed_when_neither_a_token_nor_networks_are_set(client, db):
    assert (django_settings.METRICS_TOKEN, django_settings.METRICS_ALLOWED_NETWORKS) == ("", [])
    assert client.get(METRICS).status_code == 404
    assert client.get(METRICS, headers={"Authorization": "Bearer "}).status_code == 404


def test_metrics_answer_only_the_right_token(client, db, settings):
    settings.METRICS_TOKEN = TOKEN
    assert client.get(METRICS).status_code == 404
    assert client.get(METRICS, headers={"Authorization": f"Bearer {TOKEN}x"}).status_code == 404
    assert client.get(METRICS, headers={"Authorization": TOKEN}).status_code == 404
    assert client.get(METRICS, headers=BEARER).status_code == 200


def test_metrics_answer_an_allowed_network_reached_directly_but_never_through_a_proxy(client, db, settings):
    settings.METRICS_ALLOWED_NETWORKS = [ipaddress.ip_network("10.0.0.0/8"), ipaddress.ip_network("fd00::/8")]
    assert client.get(METRICS, REMOTE_ADDR="10.1.2.3").status_code == 200
    assert client.get(METRICS, REMOTE_ADDR="::ffff:10.1.2.3").status_code == 200  # gunicorn bound to [::]
    assert client.get(METRICS, REMOTE_ADDR="fd00::9").status_code == 200
    assert client.get(METRICS, REMOTE_ADDR="192.168.1.9").status_code == 404
    assert client.get(METRICS, REMOTE_ADDR="127.0.0.1").status_code == 404
    relayed = client.get(METRICS, REMOTE_ADDR="10.1.2.3", headers={"X-Forwarded-For": "203.0.113.7"})
    assert relayed.status_code == 404  # the proxy's address inside the network: anyone outside would get in


def test_requests_are_counted_by_view_and_status(client, organisation, scrape):
    before = scrape()
    assert client.get(reverse("home")).status_code == 200
    assert client.get("/nulle-part/").status_code == 404
    after = scrape()

    def delta(name: str, **labels: str) -> float:
        return _value(after, name, **labels) - _value(before, name, **labels)

    by_view = "django_http_requests_total_by_view_transport_method_total"
    by_status = "django_http_responses_total_by_status_view_method_total"
    assert delta(by_view, view="home", transport="http", method="GET") == 1
    assert delta(by_status, status="200", view="home", method="GET") == 1
    assert delta(by_status, status="404", view="<unnamed view>", method="GET") == 1
    assert delta("django_http_requests_latency_seconds_by_view_method_count", view="home", method="GET") == 1


def test_the_outbox_backlog_is_measured_by_channel(alice, eve, scrape):
    assert _value(scrape(), "gru_notifications_pending", channel="email") == 0
    with transaction.atomic():  # never committed: the rows wait, as when the broker is down
        for user in (alice, eve):
            notify(event="case_message", user=user, context={"reference": "DEM-2026-ABCDEF"})
    samples = scrape()
    assert _value(samples, "gru_notifications_pending", channel="email") == 2
    assert _value(samples, "gru_notifications_pending", channel="space") == 0  # delivered as soon as written
    assert ("gru_notifications_pending", frozenset({("channel", "sms")})) in samples


def test_the_broker_queue_length_is_measured_and_its_absence_does_not_fail_the_scrape(db, redis_server, scrape):
    with celery_through(redis_server.url):  # not started yet
        assert not any(name == "gru_celery_queue_length" for name, _labels in scrape())
        redis_server.start()
        assert _value(scrape(), "gru_celery_queue_length", queue="celery") == 0
        enqueue(sessions_purge_task)
        enqueue(sessions_purge_task)
        assert redis_server.queued() == 2
        assert _value(scrape(), "gru_celery_queue_length", queue="celery") == 2


def test_a_scrape_writes_nothing_to_the_database_nor_opens_a_session(client, db, scrape):
    scrape()  # the first request of the process loads what it needs
    with CaptureQueriesContext(connection) as queries:
        response = client.get(METRICS, headers=BEARER)
    assert response.status_code == 200 and "Set-Cookie" not in response
    assert [query["sql"].split()[0] for query in queries] == ["SELECT"]  # the outbox's backlog


def test_task_runs_failures_and_retries_are_counted(db, settings, tmp_path, scrape):
    """In eager mode, as the tests run tasks, Celery's signals fire as in a worker."""
    settings.CLAMAV_ENABLED, settings.CLAMAV_SOCKET = True, str(tmp_path / "no-clamd.sock")
    stored = stored_file_create(owner=None, checked=CheckedFile(content=pdf_bytes(), mime="application/pdf", name="a"))
    before = scrape()
    enqueue(sessions_purge_task)
    enqueue(stored_file_scan_task, stored_id=stored.pk)  # clamd does not answer: retried 5 times, then failed
    after = scrape()

    def delta(name: str, **labels: str) -> float:
        return _value(after, name, **labels) - _value(before, name, **labels)

    tasks = "gru_celery_tasks_total"
    assert delta(tasks, task="gru.tasks.sessions_purge_task", outcome="succeeded") == 1
    assert delta(tasks, task="vault.tasks.stored_file_scan_task", outcome="retried") == 5
    assert delta(tasks, task="vault.tasks.stored_file_scan_task", outcome="failed") == 1
    assert delta(tasks, task="vault.tasks.stored_file_scan_task", outcome="succeeded") == 0
    assert delta("gru_antivirus_verdicts_total", verdict="error") == 6


def test_antivirus_verdicts_are_counted_at_each_scan(db, clamav_on, scrape):
    clean = stored_file_create(owner=None, checked=CheckedFile(content=pdf_bytes(), mime="application/pdf", name="a"))
    infected = stored_file_create(owner=None, checked=CheckedFile(content=EICAR, mime="text/plain", name="b"))
    before = scrape()
    stored_file_scan(stored_id=clean.pk)
    stored_file_scan(stored_id=infected.pk)
    stored_file_scan(stored_id=infected.pk)  # scanned already: no verdict
    after = scrape()
    verdicts = "gru_antivirus_verdicts_total"
    assert {
        v: _value(after, verdicts, verdict=v) - _value(before, verdicts, verdict=v) for v in ("clean", "infected")
    } == {
        "clean": 1,
        "infected": 1,
    }


def _worker_scrape(port: int, headers: dict[str, str]) -> tuple[int, str]:
    request = urllib.request.Request(f"http://127.0.0.1:{port}/metrics", headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, ""


@pytest.mark.django_db(transaction=True)  # the worker's thread reads what the test wrote
def test_a_worker_serves_its_counters_on_its_own_port_guarded_as_metrics(settings, redis_server):
    settings.METRICS_TOKEN, settings.METRICS_WORKER_PORT = TOKEN, free_port()
    port = settings.METRICS_WORKER_PORT
    succeeded = (
        "gru_celery_tasks_total",
        frozenset({("task", "gru.tasks.sessions_purge_task"), ("outcome", "succeeded")}),
    )
    redis_server.start()
    with celery_through(redis_server.url) as app:
        with start_worker(app, pool="solo", concurrency=1, perform_ping_check=False, loglevel="WARNING"):
            status, text = _worker_scrape(port, BEARER)
            assert status == 200
            before = _samples(text).get(succeeded, 0.0)
            assert _worker_scrape(port, {})[0] == 404
            enqueue(sessions_purge_task)
            wait_for(lambda: _samples(_worker_scrape(port, BEARER)[1]).get(succeeded, 0.0) == before + 1, what="count")
        with pytest.raises(urllib.error.URLError):  # stopped with the worker
            urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=2)


COUNTING_PROCESS = """
import django

django.setup()
from gru import metrics

metrics.antivirus_verdict("infected")
metrics.antivirus_verdict("infected")
"""


def test_in_multiprocess_mode_metrics_add_up_what_the_other_processes_counted(
    client, db, scrape, monkeypatch, tmp_path
):
    """Another process (a gunicorn worker, a pool process of Celery's) counts in PROMETHEUS_MULTIPROC_DIR."""
    env = {**os.environ, "PROMETHEUS_MULTIPROC_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "gru.settings"}
    subprocess.run(
        [sys.executable, "-c", COUNTING_PROCESS], cwd=django_settings.BASE_DIR, env=env, check=True, timeout=60
    )
    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", str(tmp_path))
    samples = scrape()
    assert _value(samples, "gru_antivirus_verdicts_total", verdict="infected") == 2  # that process's, from its files
    assert _value(samples, "gru_antivirus_verdicts_total", verdict="clean") == 0
    assert _value(samples, "gru_notifications_pending", channel="email") == 0  # measured here, at scrape time
