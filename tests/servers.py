"""Real servers for the tests of the notifications outbox: a Redis broker that a test stops and starts again, an SMTP
server (aiosmtpd) that keeps what it receives, and Celery sending through that broker with eager mode off."""

import email
import email.header
import email.message
import random
import shutil
import socket
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import pytest
import redis
from aiosmtpd.controller import Controller
from celery import Celery

from gru.celery import app as celery_app

STARTUP_TIMEOUT = 10  # seconds; redis-server starts in a few milliseconds


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
    celery_app._after_fork()  # forget the connection pools of the previous broker (what a forked worker does)
    try:
        yield celery_app
    finally:
        conf.broker_url, conf.task_always_eager = saved
        celery_app._after_fork()
