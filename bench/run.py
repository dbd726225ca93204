"""Throughput of the portal's pages as ratios to bare Django, measured in one run on this machine.

gunicorn (2 sync workers) serves the portal with bench.settings on loopback; wrk loads each URL in turn. Usage:
    .venv/bin/python bench/run.py [--duration 10] [--connections 8]
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import asdict, dataclass
from pathlib import Path

import psycopg
from psycopg import sql

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
THREADS = 2


@dataclass
class Result:
    name: str
    path: str
    requests_per_second: float
    errors: int
    ratio_to_string: float = 0.0
    ratio_to_template: float = 0.0


def prepare(drafts: int) -> dict[str, str]:
    """A new database with the demo data, sessions, complete drafts to submit; the cookies and paths wrk needs.

    alice's pages are read with her session; eve submits the drafts (so alice's lists keep their demo size)."""
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.core.management import call_command
    from django.middleware.csrf import _get_new_csrf_string, _mask_cipher_secret

    from portal.models import User
    from teleservices.models import Case, Teleservice

    database = settings.DATABASES["default"]
    with psycopg.connect(
        host=database["HOST"], port=database["PORT"], user=database["USER"], dbname="postgres", autocommit=True
    ) as admin:
        admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(database["NAME"])))
    call_command("prepare_services", verbosity=0)
    call_command("migrate", verbosity=0)
    call_command("seed_demo", verbosity=0)

    def session_of(user: User) -> str:
        session = SessionStore()
        session.update({SESSION_KEY: str(user.pk), BACKEND_SESSION_KEY: settings.AUTHENTICATION_BACKENDS[0]})
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        return session.session_key or ""

    alice, eve = User.objects.get(email="alice@example.org"), User.objects.get(email="eve@example.org")
    report = Teleservice.objects.get(slug="signalement-voirie")
    answers = {"categorie": "eclairage", "localisation": "Devant le 4 rue des Tilleuls"}
    template = Case(teleservice=report, version=report.current_version, user=eve, data=answers)
    new = Case.objects.bulk_create(
        [Case(**{f: getattr(template, f) for f in ("teleservice", "version", "user", "data")}) for _ in range(drafts)]
    )
    secret = _get_new_csrf_string()
    return {
        "session": session_of(alice),
        "submitter_session": session_of(eve),
        "csrf_secret": secret,
        "csrf_token": _mask_cipher_secret(secret),
        "reference": Case.objects.submitted().filter(user=alice).values_list("reference", flat=True).first() or "",
        "submit_paths": "\n".join(f"/brouillons/{case.public_id}/recapitulatif/" for case in new),
        "submitted_before": str(Case.objects.submitted().count()),
    }


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve(port: int) -> subprocess.Popen[bytes]:
    command = [
        str(ROOT / ".venv/bin/gunicorn"),
        "gru.wsgi",
        "-w",
        "2",
        "-b",
        f"127.0.0.1:{port}",
        "--log-level",
        "warning",
    ]
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "bench.settings"}
    server = subprocess.Popen(command, cwd=ROOT, env=environment)  # noqa: S603 (our own command line)
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/bench/ceiling/", timeout=1)  # noqa: S310 (loopback)
            return server
        except OSError:
            time.sleep(0.1)
    server.terminate()
    raise SystemExit("gunicorn did not start")


def load(
    url: str, *, duration: int, connections: int, headers: list[str], script: list[str] | None = None
) -> tuple[float, int]:
    """wrk's requests per second and its count of errors (connection errors and non-2xx/3xx responses)."""
    command = ["wrk", f"-t{THREADS}", f"-c{connections}", f"-d{duration}s", "--latency"]
    for header in headers:
        command += ["-H", header]
    if script:
        command += ["-s", script[0], url, "--", *script[1:]]
    else:
        command.append(url)
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout  # noqa: S603 (wrk, loopback)
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))  # type: ignore[union-attr]
    errors = sum(
        int(n)
        for n in re.findall(
            r"(?:Non-2xx or 3xx responses|errors: connect \d+, read \d+, write \d+, timeout) ?:?\s*(\d+)", output
        )
    )
    return rate, errors


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--duration", type=int, default=10, help="seconds of load per URL")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--drafts", type=int, default=8000, help="drafts prepared for the submission benchmark")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        print("wrk is missing: install it with 'sudo apt-get install wrk'.")
        return 1
    data = prepare(args.drafts)
    cookies = f"Cookie: sessionid={data['session']}"
    submitter = f"Cookie: sessionid={data['submitter_session']}; csrftoken={data['csrf_secret']}"
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as paths:
        paths.write(data["submit_paths"])
    targets = [
        ("ceiling: fixed string", "/bench/ceiling/", [], None),
        ("ceiling: 12 KB template", "/bench/ceiling-template/", [], None),
        ("catalogue (anonymous)", "/demarches/", [], None),
        ("catalogue search (anonymous)", "/demarches/?q=naissance", [], None),
        ("my requests (alice)", "/espace/demandes/", [cookies], None),
        ("request page (alice)", f"/espace/demandes/{data['reference']}/", [cookies], None),
        (
            "case_submit (eve)",
            "/",
            [submitter],
            [str(ROOT / "bench/submit.lua"), paths.name, str(THREADS), data["csrf_token"]],
        ),
    ]
    server = serve(port)
    results = []
    try:
        for name, path, headers, script in targets:
            load(base + path, duration=1, connections=args.connections, headers=headers) if not script else None
            rate, errors = load(
                base + path, duration=args.duration, connections=args.connections, headers=headers, script=script
            )
            results.append(Result(name=name, path=path, requests_per_second=rate, errors=errors))
    finally:
        server.terminate()
        server.wait()
        os.unlink(paths.name)
    from teleservices.models import Case

    submitted = Case.objects.submitted().count() - int(data["submitted_before"])
    string, template = results[0].requests_per_second, results[1].requests_per_second
    for result in results:
        result.ratio_to_string = round(result.requests_per_second / string, 3)
        result.ratio_to_template = round(result.requests_per_second / template, 3)
    report(results, submitted=submitted, duration=args.duration)
    return 0


def report(results: list[Result], *, submitted: int, duration: int) -> None:
    print(f"{'page':34} {'req/s':>9} {'vs string':>10} {'vs 12 KB':>9} {'errors':>7}")
    for r in results:
        ratios = f"{r.ratio_to_string:10.1%} {r.ratio_to_template:9.1%}"
        print(f"{r.name:34} {r.requests_per_second:9.1f} {ratios} {r.errors:7}")
    print(f"case_submit: {submitted} requests submitted in {duration} s ({submitted / duration:.1f}/s).")
    folder = ROOT / "bench" / "results"
    folder.mkdir(exist_ok=True)
    stamp = datetime.datetime.now(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")
    payload = {"results": [asdict(r) for r in results], "submitted": submitted, "duration": duration}
    (folder / f"{stamp}.json").write_text(json.dumps(payload, indent=2))


if __name__ == "__main__":
    raise SystemExit(main())
