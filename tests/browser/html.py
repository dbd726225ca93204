"""Valid HTML on every page of the browser tests, checked by the Nu HTML Checker (vnu, the W3C's validator).

`DocumentCollector` records, as the browser receives them, the HTML documents of a browser context: every navigation
response of type document (pages and frames, error pages included) and every response to htmx (a request with the
`HX-Request` header); a partial one, with no doctype, is checked inside a minimal document of its own
(`<!DOCTYPE html>`, `<title>`, the fragment in `<body>`) on the same lines as the fragment.

`HtmlChecker` is vnu as a service of the test process (one per xdist worker, the `html_checker` fixture): Java starts
slowly (2 to 3 s), so it starts once, in the background while the first test runs, and then checks each document in
milliseconds over HTTP on 127.0.0.1. Its `errors` are one line per error, `URL:line: message [source around it]`;
vnu's warnings are not errors. The `page` fixture checks the documents of each test at its teardown
(`assert_valid_html`). vnu is the npm package vnu-jar (a development dependency: `npm ci`) and needs Java
(`apt-get install default-jre-headless`): without either, the browser tests fail saying so, they never skip.
"""

from __future__ import annotations

import http.client
import json
import shutil
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import BrowserContext, Error, Response

VNU_JAR = Path(__file__).resolve().parents[2] / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
# The client compiler only and the serial collector: vnu starts faster and takes less of the two cores of CI; vnu
# needs a thread stack of 512k at least.
JAVA_OPTIONS = ["-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xss4m"]
STARTUP_TIMEOUT = 60  # seconds
FRAGMENT_OPENING = '<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8"><title>htmx</title></head><body>'
FRAGMENT_CLOSING = "\n</body></html>\n"


@dataclass(frozen=True)
class Document:
    url: str
    html: str
    fragment: bool = False  # an htmx partial response: a part of a page, not a document

    def source(self) -> str:
        """What vnu checks: the document, or the fragment in a minimal document (on the lines of the fragment)."""
        return f"{FRAGMENT_OPENING}{self.html}{FRAGMENT_CLOSING}" if self.fragment else self.html


class DocumentCollector:
    """The HTML documents and htmx partials that the pages of a browser context receive, error pages included
    (redirects have no body; responses that are not HTML, such as PDF, and the browser's own pages are left out)."""

    def __init__(self, context: BrowserContext) -> None:
        self._context = context
        self._documents: list[Document] = []
        self._reading = 0
        context.on("response", self._on_response)

    def _on_response(self, response: Response) -> None:
        request = response.request
        htmx = request.headers.get("hx-request") == "true"
        if not (htmx or request.resource_type == "document") or 300 <= response.status < 400:
            return
        if not response.url.startswith(("http://", "https://")):
            return
        if not response.headers.get("content-type", "").startswith("text/html"):
            return
        # Read at once: the browser drops the body of a document once its page has gone on to another.
        self._reading += 1
        try:
            html = response.text()
            # htmx may be given a whole page too (an error page, or one it selects a part of): a document.
            fragment = htmx and html.lstrip()[:9].lower() != "<!doctype"
            self._documents.append(Document(url=response.url, html=html, fragment=fragment))
        except Error:  # the page went on before the body arrived (an interrupted navigation): nothing was shown
            pass
        finally:
            self._reading -= 1

    def documents(self) -> list[Document]:
        """The documents received so far, once the bodies still on their way have arrived: before the context is
        closed (a test may end as soon as its last page has loaded, before its body is read)."""
        deadline = time.monotonic() + 30
        while self._reading and self._context.pages and time.monotonic() < deadline:
            self._context.pages[0].wait_for_timeout(20)  # lets the browser's events, and the readings, go on
        assert self._reading == 0, f"{self._reading} document(s) still being received at the end of the test"
        return list(self._documents)


def java_and_vnu() -> list[str]:
    """The command that runs vnu's checker service, or the failure of the test saying what to install."""
    java = shutil.which("java")
    if java is None:
        pytest.fail(
            "The Nu HTML Checker of the browser tests needs Java: apt-get install default-jre-headless", pytrace=False
        )
    if not VNU_JAR.is_file():
        pytest.fail(f"The Nu HTML Checker of the browser tests is missing ({VNU_JAR}): npm ci", pytrace=False)
    return [java, *JAVA_OPTIONS, "-Dnu.validator.servlet.bind-address=127.0.0.1", "-cp", str(VNU_JAR)]


class HtmlChecker:
    """vnu's checker service on a free port of 127.0.0.1, started at once and waited for at the first check."""

    def __init__(self) -> None:
        command = java_and_vnu()
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.log = tempfile.TemporaryFile()
        self.process = subprocess.Popen(
            [*command, "nu.validator.servlet.Main", str(self.port)], stdout=self.log, stderr=subprocess.STDOUT
        )
        self.ready = False

    def _request(self, method: str, path: str, body: bytes | None = None) -> tuple[int, bytes]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        try:
            headers = {"User-Agent": "gru-browser-tests"}  # the service refuses requests without one
            if body is not None:
                headers["Content-Type"] = "text/html; charset=utf-8"
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            return response.status, response.read()
        finally:
            connection.close()

    def _wait(self) -> None:
        deadline, status = time.monotonic() + STARTUP_TIMEOUT, None
        while not self.ready:
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.log.seek(0)
                output = self.log.read().decode(errors="replace")
                raise AssertionError(
                    f"The Nu HTML Checker did not start (exit code {self.process.poll()}, answer {status}):\n{output}"
                )
            try:
                status = self._request("GET", "/")[0]
                self.ready = status == 200
            except OSError:
                pass
            if not self.ready:
                time.sleep(0.1)

    def errors(self, documents: list[Document]) -> list[str]:
        """vnu's errors on the documents, `URL:line: message [extract]` each; a document seen twice is checked once."""
        self._wait()
        errors = []
        for document in dict.fromkeys(documents):
            status, answer = self._request("POST", "/?out=json&level=error", document.source().encode())
            if status != 200:
                raise AssertionError(f"The Nu HTML Checker answered {status} on {document.url}: {answer[:500]!r}")
            where = f"{document.url} (htmx)" if document.fragment else document.url
            for message in json.loads(answer)["messages"]:
                if message["type"] != "info":  # "error", or "non-document-error"; "info" are warnings
                    extract = " ".join(message.get("extract", "").split())  # the source around the error
                    errors.append(f"{where}:{message.get('lastLine', '?')}: {message['message']} [{extract}]")
        return list(dict.fromkeys(errors))

    def close(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.log.close()


def assert_valid_html(checker: HtmlChecker, documents: list[Document]) -> None:
    """vnu finds no error in any of the documents."""
    errors = checker.errors(documents)
    assert errors == [], f"{len(errors)} HTML error(s) found by the Nu HTML Checker:\n" + "\n".join(errors)
