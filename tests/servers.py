"""Real servers for the tests of the notifications outbox and of readiness: a Redis broker that a test stops and starts
again, an SMTP server (aiosmtpd) that keeps what it receives, Celery sending through that broker with eager mode off,
and `celery -A gru worker` and `beat` processes on it."""

import email
import email.header
import email.message
import os
import random
import shutil
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import kombu.pools
import pytest
import redis
from aiosmtpd.controller import Controller
from celery import Celery
from django.conf import settings
from django.db import connection

from gru.celery import app as celery_app

STARTUP_TIMEOUT = 10  # seconds; redis-server starts in a few milliseconds
# Seconds for a `celery -A gru` process to load Django and the whole project (several on a busy machine).
CELERY_STARTUP_TIMEOUT = 60


def free_port() -> int:
    """A TCP port of 127.0.0.1 that nobody listens on, below the ephemeral range (32768–60999) the system gives to
    outgoing connections, so that it stays free until the server binds it."""
    for _ in range(200):
        port = random.randint(20000, 32000)
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError("no free TCP port found")


def wait_for(condition: Callable[[], bool], *, timeout: float = STARTUP_TIMEOUT, what: str) -> None:
    end = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > end:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.02)


class RedisServer:
    """A redis-server of our own on a free port, without persistence: stopping it loses its queues, as a restart
    of a production Redis without persistence would."""

    def __init__(self) -> None:
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.client = redis.Redis(port=self.port, socket_connect_timeout=1)
        self._process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        executable = shutil.which("redis-server")
        if executable is None:
            pytest.fail("redis-server is missing: apt-get install redis-server (make test does it as root)")
        command = [executable, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
        self._process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_for(self._answers, what="redis-server")

    def stop(self) -> None:
        if self._process is not None:
            self._process.terminate()
            self._process.wait(timeout=10)
            self._process = None

    def queued(self, queue: str = "celery") -> int:
        return int(self.client.llen(queue))

    def _answers(self) -> bool:
        try:
            return bool(self.client.ping())
        except redis.ConnectionError:
            return False


@pytest.fixture
def redis_server() -> Iterator[RedisServer]:
    """A Redis of our own, not started yet."""
    server = RedisServer()
    yield server
    server.stop()


class Mailbox:
    """aiosmtpd handler: every message the SMTP server accepts, parsed."""

    def __init__(self) -> None:
        self.messages: list[email.message.Message] = []
        self._lock = threading.Lock()

    async def handle_DATA(self, server: object, session: object, envelope: object) -> str:  # noqa: N802 (aiosmtpd)
        with self._lock:
            self.messages.append(email.message_from_bytes(envelope.content))  # type: ignore[attr-defined]
        return "250 Message accepted"

    def subjects(self) -> list[str]:
        with self._lock:
            return [str(email.header.make_header(email.header.decode_header(m["Subject"]))) for m in self.messages]


@pytest.fixture
def smtp_server(settings) -> Iterator[Mailbox]:
    """A real SMTP server on 127.0.0.1, and Django sending to it (pytest-django forces the locmem backend)."""
    mailbox = Mailbox()
    controller = Controller(mailbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", controller.port
    settings.EMAIL_USE_TLS, settings.EMAIL_HOST_USER, settings.EMAIL_HOST_PASSWORD = False, "", ""
    yield mailbox
    controller.stop()


@contextmanager
def celery_through(broker_url: str) -> Iterator[Celery]:
    """Celery as in production until the block ends: tasks are sent to the broker at `broker_url`, not run inline."""
    conf = celery_app.conf
    saved = conf.broker_url, conf.task_always_eager
    conf.broker_url, conf.task_always_eager = broker_url, False
    _forget_connections()
    try:
        yield celery_app
    finally:
        conf.broker_url, conf.task_always_eager = saved
        _forget_connections()


def _forget_connections() -> None:
    """Close the connection pools of the previous broker and forget them, as a forked worker does: the app's, and the
    one its remote control (control.ping) keeps apart, which would otherwise publish to the previous broker, retrying
    forever."""
    kombu.pools.reset()
    celery_app._after_fork()
    celery_app.control.mailbox.__dict__.pop("producer_pool", None)


def worker_answers(app: Celery) -> bool:
    """Whether a worker answers a ping through the broker (which a worker may not hear for a moment after starting)."""
    return bool(app.control.ping(timeout=0.5, limit=1))


@contextmanager
def celery_process(*arguments: str, redis_url: str, directory: Path) -> Iterator[subprocess.Popen[bytes]]:
    """`celery -A gru <arguments>` as production runs it, in a process of its own until the block ends (or stop()),
    with the Redis at `redis_url` as broker and cache (in the key space of the test's cache), the test database, and
    `directory` for its files and its output (<command>.log). Started, not ready: wait for what it does."""
    database = connection.settings_dict
    environment = {key: value for key, value in os.environ.items() if key != "PYTEST_XDIST_WORKER"} | {
        "REDIS_URL": redis_url,
        "CELERY_BROKER_URL": redis_url,
        "CACHE_KEY_PREFIX": settings.CACHES["default"]["KEY_PREFIX"],
        "DATABASE_URL": f"postgresql://{database['USER']}:{database['PASSWORD']}@{database['HOST']}:{database['PORT']}"
        f"/{database['NAME']}",
        "PRIVATE_ROOT": str(directory / "private"),
        "MEDIA_ROOT": str(directory / "media"),
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "CELERY_SKIP_CHECKS": "true",  # the system checks have tests of their own: here they would only slow the start
    }
    command = [str(Path(sys.executable).with_name("celery")), "-A", "gru", *arguments]
    with (directory / f"{arguments[0]}.log").open("wb") as output:
        process = subprocess.Popen(
            command, cwd=settings.BASE_DIR, env=environment, stdout=output, stderr=subprocess.STDOUT
        )
    try:
        yield process
    finally:
        stop(process)


def stop(process: subprocess.Popen[bytes]) -> None:
    """Stop a process as its supervisor would (SIGTERM: Celery's warm shutdown), killing it if it lingers."""
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
