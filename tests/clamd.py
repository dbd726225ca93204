"""A real clamd for the tests, on a signature database of our own (never freshclam): the EICAR test string, and a
harmless one-page PDF declared as malware, so that an upload test can send a "malware sample" that is also a valid
document. Each pytest-xdist worker starts its own clamd in its own temporary directory.

clamd_running() starts another one, also with an unsigned daily database (daily.cud) of a given date, which clamd then
reports in its VERSION answer as it would the official one's (the readiness check reads it there)."""

import datetime
import functools
import hashlib
import io
import os
import shutil
import socket
import subprocess
import tarfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pikepdf
import pytest

EICAR = rb"X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"
# The names clamd reports: ".UNOFFICIAL" marks a signature that is not from the ClamAV database.
EICAR_SIGNATURE = "Gru.Test.Eicar.UNOFFICIAL"  # the whole file (.hdb), also inside an archive
EICAR_BODY_SIGNATURE = "Gru.Test.Eicar-Body.UNOFFICIAL"  # the string anywhere in a file (.ndb)
PDF_SIGNATURE = "Gru.Test.Pdf.UNOFFICIAL"  # infected_pdf() (.hdb)
STREAM_MAX_LENGTH = 30 * 1024 * 1024
STARTUP_TIMEOUT = 10  # seconds; clamd starts in about 25 ms on this database


@dataclass(frozen=True)
class Clamd:
    socket: str


@functools.cache
def infected_pdf() -> bytes:
    """A valid one-page PDF, byte-identical on every run, that our clamd reports as malware (by its MD5)."""
    buffer = io.BytesIO()
    with pikepdf.new() as pdf:
        pdf.add_blank_page(page_size=(595, 842))  # A4
        pdf.save(buffer, deterministic_id=True)
    return buffer.getvalue()


@pytest.fixture(scope="session")
def clamd(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Clamd]:
    with clamd_running(tmp_path_factory.mktemp("clamd")) as server:
        yield server


@contextmanager
def clamd_running(directory: Path, *, signatures_date: datetime.datetime | None = None) -> Iterator[Clamd]:
    """A clamd of our own in `directory` (short: a Unix socket's path has at most 107 characters) until the block
    ends; with `signatures_date`, its daily database is of that date. It runs in UTC, so that VERSION gives that date
    as it is."""
    executable = shutil.which("clamd", path=f"{os.environ.get('PATH', '')}:/usr/sbin")
    if executable is None:
        pytest.fail("clamd is missing: apt-get install clamav clamav-daemon (make test does it when run as root)")
    database = _write_database(directory)
    if signatures_date is not None:
        _write_daily(database, signatures_date)
    config = _write_config(directory, database=database)
    output = directory / "clamd.out"
    with output.open("wb") as log:
        process = subprocess.Popen(
            [executable, f"--config-file={config}"],
            stdout=log,
            stderr=subprocess.STDOUT,
            env={**os.environ, "TZ": "UTC"},
        )
    try:
        _wait_for(process, directory / "clamd.sock", output)
        yield Clamd(socket=str(directory / "clamd.sock"))
    finally:
        process.terminate()
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture
def clamav_on(settings, clamd: Clamd) -> Clamd:
    settings.CLAMAV_ENABLED = True
    settings.CLAMAV_SOCKET = clamd.socket
    return clamd


def _write_database(directory: Path) -> Path:
    """A hash signature per sample (.hdb, through sigtool --md5) and EICAR's body anywhere in a file (.ndb)."""
    samples, database = directory / "samples", directory / "database"
    samples.mkdir()
    database.mkdir()
    hashes = []
    for name, content in {"Gru.Test.Eicar": EICAR, "Gru.Test.Pdf": infected_pdf()}.items():
        (samples / name).write_bytes(content)  # sigtool names the signature after the file
        result = subprocess.run(["sigtool", "--md5", name], cwd=samples, capture_output=True, check=True, text=True)
        hashes.append(result.stdout)
    (database / "gru-test.hdb").write_text("".join(hashes))
    (database / "gru-test.ndb").write_text(f"Gru.Test.Eicar-Body:0:*:{EICAR.hex()}\n")
    return database


def _write_daily(database: Path, published: datetime.datetime) -> None:
    """An unsigned database container (.cud, which clamd loads without a digital signature) named daily, as the
    official daily.cvd is, holding one harmless signature: a 512-byte header, then a tar.gz of a .info file (the same
    header, then each file's size and SHA-256) and of that file."""
    stime = int(published.timestamp())
    signatures = f"Gru.Test.Daily:0:*:{b'gru-test-daily-signature'.hex()}\n".encode()
    # ClamAV-VDB:build time:version:signatures:functionality level:MD5:digital signature:builder:publication time
    header = f"ClamAV-VDB:{published:%Y-%m-%d %H-%M}:27840:1:1:{'0' * 32}:unsigned:gru-tests:{stime}"
    info = f"{header}\ndaily.ndb:{len(signatures)}:{hashlib.sha256(signatures).hexdigest()}\n".encode()
    archive = io.BytesIO()
    with tarfile.open(fileobj=archive, mode="w:gz") as tar:
        for name, content in {"daily.info": info, "daily.ndb": signatures}.items():
            member = tarfile.TarInfo(name)
            member.size, member.mtime = len(content), stime
            tar.addfile(member, io.BytesIO(content))
    (database / "daily.cud").write_bytes(header.encode().ljust(512, b" ") + archive.getvalue())


def _write_config(directory: Path, *, database: Path) -> Path:
    """Only a Unix socket (no TCP); no User line, so clamd runs as whoever starts it, root included."""
    config = directory / "clamd.conf"
    config.write_text(
        f"LocalSocket {directory / 'clamd.sock'}\n"
        f"DatabaseDirectory {database}\n"
        f"TemporaryDirectory {directory}\n"
        f"LogFile {directory / 'clamd.log'}\n"
        "Foreground yes\n"
        f"StreamMaxLength {STREAM_MAX_LENGTH}\n"
        f"MaxFileSize {STREAM_MAX_LENGTH}\n"
    )
    return config


def _wait_for(process: subprocess.Popen[bytes], path: Path, output: Path) -> None:
    """Until clamd accepts connections on its socket; a clear failure if it exits or takes too long."""
    deadline = time.monotonic() + STARTUP_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"clamd exited with status {process.returncode}:\n{output.read_text(errors='replace')}")
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as probe:
            if probe.connect_ex(str(path)) == 0:
                return
        time.sleep(0.01)
    pytest.fail(f"clamd did not open {path} within {STARTUP_TIMEOUT} s:\n{output.read_text(errors='replace')}")
