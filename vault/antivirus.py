"""Ask clamd whether a file carries malware, through its INSTREAM protocol.

Our own client, because the one on PyPI (clamav-client) is GPL-2.0-only, which cannot be combined with our
AGPL-3.0-or-later code, and the protocol is small enough to write here: send `zINSTREAM\\0`, then the content in chunks
each prefixed by its length (4 bytes, big-endian), then a zero-length chunk; clamd answers `stream: OK\\0` or
`stream: <signature> FOUND\\0`.

It fails closed: anything else (clamd down, a timeout, a stream over clamd's StreamMaxLength, which clamd reports by
closing the connection, an ERROR reply) raises AntivirusUnavailable, and the caller keeps the file in quarantine and
retries later. Settings: CLAMAV_SOCKET (a Unix socket; if empty, CLAMAV_HOST and CLAMAV_PORT over TCP) and
CLAMAV_TIMEOUT (seconds allowed for each network operation, the scan included).

PING and VERSION serve the readiness check (vault/health.py), with a shorter timeout of its own: clamd answers, and the
date of its signature database, which VERSION reports.
"""

from __future__ import annotations

import datetime
import socket
import struct

from django.conf import settings

CHUNK_SIZE = 64 * 1024
MAX_REPLY = 4096  # a verdict is one short line: clamd never needs more
_LENGTH = struct.Struct(">I")
_CLEAN = "stream: OK"
_PREFIX, _FOUND = "stream: ", " FOUND"
# The months of C's ctime(), which clamd writes its database date with: English whatever the locale of this process.
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


class AntivirusUnavailable(Exception):
    """clamd could not give a clear verdict: keep the file in quarantine and try again later."""


def scan(content: bytes) -> str | None:
    """The name of the signature found in `content`, or None when it is clean."""
    try:
        with _connect() as connection:
            try:
                _send_stream(connection, content)
            except OSError as error:  # over StreamMaxLength, clamd says so and closes the connection mid-stream
                raise AntivirusUnavailable(
                    f"clamd stopped reading the stream: {_last_words(connection) or error}"
                ) from error
            reply = _read_reply(connection)
    except OSError as error:
        raise AntivirusUnavailable(f"clamd did not answer: {error}") from error
    return _verdict(reply)


def ping(*, timeout: float | None = None) -> bool:
    """Whether clamd answers, for a health check; `timeout` in seconds, CLAMAV_TIMEOUT by default."""
    try:
        with _connect(timeout) as connection:
            connection.sendall(b"zPING\0")
            return _read_reply(connection) == "PONG"
    except (OSError, AntivirusUnavailable):
        return False


def version(*, timeout: float | None = None) -> str:
    """clamd's answer to VERSION, such as `ClamAV 1.4.3/27840/Sun Dec  6 09:24:02 2026`: the engine's version, then
    the version and date of the signature database (missing when clamd has no official database, only ours)."""
    try:
        with _connect(timeout) as connection:
            connection.sendall(b"zVERSION\0")
            return _read_reply(connection)
    except OSError as error:
        raise AntivirusUnavailable(f"clamd did not answer: {error}") from error


def signatures_date(version_reply: str) -> datetime.datetime | None:
    """When the signature database named in a VERSION answer was published, or None without a readable date.

    clamd writes it as C's ctime() does, in clamd's local time without a zone: it is read as UTC (the clamav image
    runs in UTC; a clamd on a French server is off by an hour or two, little against a limit counted in days)."""
    parts = version_reply.split("/", 2)
    if len(parts) != 3:
        return None
    try:
        _weekday, month, day, clock, year = parts[2].split()
        hour, minute, second = (int(value) for value in clock.split(":"))
        return datetime.datetime(
            int(year), _MONTHS.index(month) + 1, int(day), hour, minute, second, tzinfo=datetime.UTC
        )
    except ValueError:  # a field missing or out of range, a month unknown: no date rather than a wrong one
        return None


def _connect(timeout: float | None = None) -> socket.socket:
    if timeout is None:
        timeout = settings.CLAMAV_TIMEOUT
    if not settings.CLAMAV_SOCKET:
        return socket.create_connection((settings.CLAMAV_HOST, settings.CLAMAV_PORT), timeout=timeout)
    connection = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    connection.settimeout(timeout)
    try:
        connection.connect(settings.CLAMAV_SOCKET)
    except OSError:
        connection.close()
        raise
    return connection


def _send_stream(connection: socket.socket, content: bytes) -> None:
    connection.sendall(b"zINSTREAM\0")
    view = memoryview(content)
    for start in range(0, len(view), CHUNK_SIZE):
        chunk = view[start : start + CHUNK_SIZE]
        connection.sendall(_LENGTH.pack(len(chunk)))
        connection.sendall(chunk)
    connection.sendall(_LENGTH.pack(0))


def _read_reply(connection: socket.socket) -> str:
    """clamd's answer, up to the NUL that ends it."""
    reply = b""
    while b"\0" not in reply:
        data = connection.recv(MAX_REPLY)
        if not data:
            raise AntivirusUnavailable(f"clamd closed the connection mid-answer: {reply!r}")
        reply += data
        if len(reply) > MAX_REPLY:
            raise AntivirusUnavailable(f"clamd's answer is too long: {reply[:100]!r}")
    return reply.partition(b"\0")[0].decode(errors="replace").strip()


def _last_words(connection: socket.socket) -> str:
    """What clamd said before closing the connection (such as `INSTREAM size limit exceeded. ERROR`), if anything."""
    try:
        return _read_reply(connection)
    except (OSError, AntivirusUnavailable):
        return ""


def _verdict(reply: str) -> str | None:
    if reply == _CLEAN:
        return None
    signature = reply.removeprefix(_PREFIX).removesuffix(_FOUND).strip()
    if reply.startswith(_PREFIX) and reply.endswith(_FOUND) and signature:  # an empty name would read as clean
        return signature
    raise AntivirusUnavailable(f"clamd answered {reply!r}")
