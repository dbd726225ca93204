"""A stand-in for the Base Adresse Nationale: a local HTTP server answering /search/ with a recorded answer of the
BAN (tests/portal/data/ban_search.json), slowly or with an error when asked; it keeps the queries it received."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest

RECORDED = (Path(__file__).parent / "portal" / "data" / "ban_search.json").read_bytes()


class Ban(BaseHTTPRequestHandler):
    queries: list[dict[str, list[str]]] = []
    status = 200
    delay = 0.0

    def do_GET(self) -> None:  # noqa: N802 (http.server)
        url = urlparse(self.path)
        type(self).queries.append(parse_qs(url.query))
        time.sleep(self.delay)
        body = RECORDED if url.path == "/search/" and self.status == 200 else b'{"message": "error"}'
        self.send_response(self.status if url.path == "/search/" else 404)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def ban(settings) -> Iterator[type[Ban]]:
    """GEOCODER_URL pointed at the local stand-in (answering at once, 200)."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), Ban)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    Ban.queries, Ban.status, Ban.delay = [], 200, 0.0
    settings.GEOCODER_URL = f"http://127.0.0.1:{server.server_port}"
    settings.GEOCODER_TIMEOUT = 1.0
    yield Ban
    server.shutdown()
    server.server_close()
