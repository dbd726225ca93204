"""The antivirus client against a real clamd (tests/clamd.py), and against a clamd that is missing, mute or confused:
anything but a clear verdict is AntivirusUnavailable, never clean."""

import io
import socket
import threading
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pikepdf
import pytest

from tests.clamd import (
    EICAR,
    EICAR_BODY_SIGNATURE,
    EICAR_SIGNATURE,
    PDF_SIGNATURE,
    STREAM_MAX_LENGTH,
    infected_pdf,
)
from tests.teleservices.conftest import pdf_bytes
from vault.antivirus import AntivirusUnavailable, ping, scan


@pytest.fixture
def fake_clamd(tmp_path: Path) -> Iterator[Callable[[bytes], str]]:
    """A Unix socket that reads one request and answers with the given bytes, then closes: a confused clamd."""
    threads = []

    def serve(reply: bytes) -> str:
        server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        server.bind(str(tmp_path / "fake.sock"))
        server.listen(1)
        server.settimeout(5)

        def answer_once() -> None:
            with server, server.accept()[0] as connection:
                request = b""
                # Up to the zero-length chunk that ends the stream (or the client leaving).
                while not request.endswith(b"\0\0\0\0") and (data := connection.recv(65536)):
                    request += data
                connection.sendall(reply)

        thread = threading.Thread(target=answer_once)
        thread.start()
        threads.append(thread)
        return str(tmp_path / "fake.sock")

    yield serve
    for thread in threads:
        thread.join(timeout=5)


def _zip(name: str, content: bytes) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(name, content)
    return buffer.getvalue()


def test_eicar_is_found_and_named(clamav_on):
    assert scan(EICAR) in {EICAR_SIGNATURE, EICAR_BODY_SIGNATURE}  # both signatures match; clamd reports the first


def test_eicar_inside_a_zip_is_found(clamav_on):
    assert scan(_zip("documents/facture.txt", EICAR)) in {EICAR_SIGNATURE, EICAR_BODY_SIGNATURE}


def test_eicar_in_the_middle_of_a_larger_file_is_found(clamav_on):
    assert scan(b"%PDF-1.7\n" + b"A" * 100_000 + EICAR + b"B" * 100_000) == EICAR_BODY_SIGNATURE


def test_the_malware_sample_pdf_is_found(clamav_on):
    assert scan(infected_pdf()) == PDF_SIGNATURE


def test_the_malware_sample_is_a_valid_one_page_pdf_identical_on_every_build():
    infected_pdf.cache_clear()
    first = infected_pdf()
    infected_pdf.cache_clear()
    assert infected_pdf() == first
    with pikepdf.open(io.BytesIO(first)) as pdf:
        assert len(pdf.pages) == 1


@pytest.mark.parametrize(
    "content",
    [
        pytest.param(pdf_bytes(), id="another PDF"),
        pytest.param(b"Bonjour\n", id="a short text"),
        pytest.param(b"", id="nothing"),
    ],
)
def test_a_clean_file_is_clean(clamav_on, content):
    assert scan(content) is None


def test_a_stream_over_clamds_limit_is_unavailable_not_clean(clamav_on):
    with pytest.raises(AntivirusUnavailable, match="size limit exceeded"):
        scan(b"\0" * (STREAM_MAX_LENGTH + 1))


def test_a_socket_path_with_nothing_behind_it_is_unavailable(settings, tmp_path):
    settings.CLAMAV_SOCKET = str(tmp_path / "absent.sock")
    with pytest.raises(AntivirusUnavailable, match="did not answer"):
        scan(EICAR)


def test_a_stale_socket_of_a_dead_clamd_is_unavailable(settings, tmp_path):
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as dead:
        dead.bind(str(tmp_path / "dead.sock"))  # the file stays behind, nothing listens on it
    settings.CLAMAV_SOCKET = str(tmp_path / "dead.sock")
    with pytest.raises(AntivirusUnavailable, match="did not answer"):
        scan(EICAR)


def test_a_clamd_that_never_answers_is_unavailable_after_the_timeout(settings, tmp_path):
    settings.CLAMAV_SOCKET, settings.CLAMAV_TIMEOUT = str(tmp_path / "mute.sock"), 0.2
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as mute:
        mute.bind(settings.CLAMAV_SOCKET)
        mute.listen(1)  # connections wait in the backlog, never accepted
        with pytest.raises(AntivirusUnavailable, match="timed out"):
            scan(EICAR)


def test_a_tcp_port_where_nothing_listens_is_unavailable(settings):
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))  # reserved for the test, never listening
        settings.CLAMAV_SOCKET, settings.CLAMAV_HOST, settings.CLAMAV_PORT = "", *closed.getsockname()
        with pytest.raises(AntivirusUnavailable, match="refused"):
            scan(EICAR)


@pytest.mark.parametrize(
    "reply",
    [
        pytest.param(b"INSTREAM size limit exceeded. ERROR\0", id="an error"),
        pytest.param(b"stream: Can't allocate memory ERROR\0", id="an error about the stream"),
        pytest.param(b"stream:  FOUND\0", id="a detection without a name"),
        pytest.param(b"stream: OK", id="a verdict cut before its end"),
        pytest.param(b"", id="nothing"),
    ],
)
def test_a_reply_that_is_not_a_clear_verdict_is_unavailable(settings, fake_clamd, reply):
    settings.CLAMAV_SOCKET = fake_clamd(reply)
    with pytest.raises(AntivirusUnavailable):
        scan(b"Bonjour\n")


def test_ping_is_true_when_clamd_answers(clamav_on):
    assert ping() is True


def test_ping_is_false_when_nothing_listens(settings, tmp_path):
    settings.CLAMAV_SOCKET = str(tmp_path / "absent.sock")
    assert ping() is False
