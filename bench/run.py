"""Throughput and latency of the portal's or the back office's pages, as ratios to bare Django, in one run.

gunicorn (2 sync workers) serves the site with bench.settings on loopback; wrk loads each URL in turn. Usage:
    .venv/bin/python bench/run.py [--duration 10] [--connections 8]
    .venv/bin/python bench/run.py --backoffice [--cases 1000000]
"""

from __future__ import annotations

import argparse
import base64
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
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
# A file key of this run's own, shared with the web processes started below (production refuses to start without).
os.environ.setdefault("FILE_ENCRYPTION_KEYS", f"bench:{base64.urlsafe_b64encode(os.urandom(32)).decode()}")
THREADS = 2
WORKERS = 2
LATENCY_SCRIPT = str(ROOT / "bench/latency.lua")
# The back office's million cases live in their own database, which the portal's runs (which start afresh) keep.
BACKOFFICE_DATABASE = "postgresql://postgres@127.0.0.1:5432/gru_bench_backoffice"


@dataclass
class Result:
    name: str
    path: str
    requests_per_second: float
    errors: int
    p50_ms: float = 0.0
    p95_ms: float = 0.0
    ratio_to_string: float = 0.0
    ratio_to_template: float = 0.0


def session_of(user: Any) -> str:
    """A signed-in session of this user, as the login would leave it: with the second factor passed (TOTP, which the
    demo enrols for agents), what the back office's middleware checks."""
    from allauth.account.internal.flows.login import record_authentication
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.test import RequestFactory

    session = SessionStore()
    session.update({SESSION_KEY: str(user.pk), BACKEND_SESSION_KEY: settings.AUTHENTICATION_BACKENDS[0]})
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    request = RequestFactory().get("/")
    request.session = session
    record_authentication(request, user, "mfa", type="totp")
    session.create()
    return session.session_key or ""


def prepare(drafts: int) -> dict[str, str]:
    """A new database with the demo data, sessions, complete drafts to submit; the cookies and paths wrk needs.

    alice's pages are read with her session; eve submits the drafts (so alice's lists keep their demo size)."""
    from bench.common import setup_database

    setup_database()
    from django.middleware.csrf import _get_new_csrf_string, _mask_cipher_secret

    from appointments.models import AppointmentType
    from portal.models import User
    from teleservices.models import Case, Teleservice

    alice, eve = User.objects.get(email="alice@example.org"), User.objects.get(email="eve@example.org")
    report = Teleservice.objects.get(slug="signalement-voirie")
    answers = {"categorie": "eclairage", "localisation": "Devant le 4 rue des Tilleuls"}
    template = Case(teleservice=report, version=report.current_version, user=eve, data=answers)
    new = Case.objects.bulk_create(
        [Case(**{f: getattr(template, f) for f in ("teleservice", "version", "user", "data")}) for _ in range(drafts)]
    )
    analyse()
    secret = _get_new_csrf_string()
    return {
        "session": session_of(alice),
        "submitter_session": session_of(eve),
        "csrf_secret": secret,
        "csrf_token": _mask_cipher_secret(secret),
        "reference": Case.objects.submitted().filter(user=alice).values_list("reference", flat=True).first() or "",
        "submit_paths": "\n".join(f"/brouillons/{case.public_id}/recapitulatif/" for case in new),
        "submitted_before": str(Case.objects.submitted().count()),
        "appointment_type": AppointmentType.objects.bookable_online().values_list("slug", flat=True).first() or "",
    }


def analyse() -> None:
    """The planner's statistics of the freshly seeded tables, as autovacuum keeps them on a live database."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# What a served page queues (notifications, PDF rendering, scans) goes to a Redis database of the bench's own, emptied
# once the server stops: as in production, the web workers queue tasks and the Celery workers run them elsewhere.
BENCH_BROKER = "redis://127.0.0.1:6379/14"


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
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "BENCH_TASKS_EAGER": "false",
        "CELERY_BROKER_URL": BENCH_BROKER,
    }
    server = subprocess.Popen(command, cwd=ROOT, env=environment)  # noqa: S603 (our own command line)
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/bench/ceiling/", timeout=1)  # noqa: S310 (loopback)
            return server
        except OSError:
            time.sleep(0.1)
    server.terminate()
    raise SystemExit("gunicorn did not start")


def stop(server: subprocess.Popen[bytes]) -> None:
    """Stop the server and drop the tasks it queued (nobody runs them: see BENCH_BROKER)."""
    import redis

    server.terminate()
    server.wait()
    redis.Redis.from_url(BENCH_BROKER).flushdb()


def prepare_backoffice(cases: int) -> dict[str, str]:
    """The bench database kept from earlier runs, with at least `cases` submitted cases (seed_bulk writes what is
    missing); bob's session and the reference of a case he instructs."""
    from bench.common import setup_database

    setup_database(fresh=False)
    from django.core.management import call_command

    from portal.models import User
    from teleservices.models import Case

    missing = cases - Case.objects.submitted().count()
    if missing > 0:
        call_command("seed_bulk", cases=missing)
    bob = User.objects.get(email="bob@example.org")
    mine = Case.objects.open().filter(assignee=bob, department__memberships__user=bob)
    return {"session": session_of(bob), "reference": mine.values_list("reference", flat=True).first() or ""}


def page_after(base: str, path: str, cookie: str, pages: int) -> str:
    """The path of the board's page `pages` after this one, following its "next page" links (the keyset cursor)."""
    for _ in range(pages):
        request = urllib.request.Request(base + path, headers={"Cookie": cookie})  # noqa: S310 (loopback)
        with urllib.request.urlopen(request, timeout=120) as response:  # noqa: S310 (loopback)
            html = response.read().decode()
        cursor = re.search(r'href="\?[^"]*apres=([\w-]+)"', html)
        if cursor is None:
            raise SystemExit(f"No next page after {path}: seed more cases.")
        path = f"{path.partition('?')[0]}?apres={cursor.group(1)}"
    return path


def warm_up(url: str, headers: list[str]) -> None:
    """One request, answered before the load starts (a slow page's warm-up must not still hold a worker then)."""
    fields = dict(header.split(": ", 1) for header in headers)
    with urllib.request.urlopen(urllib.request.Request(url, headers=fields), timeout=120):  # noqa: S310 (loopback)
        pass


def load(url: str, *, duration: int, connections: int, headers: list[str], script: list[str] | None = None) -> Result:
    """wrk's requests per second, its count of errors (connection errors and non-2xx/3xx responses) and, with the
    latency script, the median and 95th percentile."""
    command = ["wrk", f"-t{THREADS}", f"-c{connections}", f"-d{duration}s", "--timeout", "60s", "--latency"]
    for header in headers:
        command += ["-H", header]
    script = script or [LATENCY_SCRIPT]
    command += ["-s", script[0], url, "--", *script[1:]]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout  # noqa: S603 (wrk, loopback)
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))  # type: ignore[union-attr]
    errors = sum(
        int(n)
        for n in re.findall(
            r"(?:Non-2xx or 3xx responses|errors: connect \d+, read \d+, write \d+, timeout) ?:?\s*(\d+)", output
        )
    )
    latency = re.search(r"latency_us p50=(\d+) p95=(\d+)", output)
    p50, p95 = (int(latency.group(1)) / 1000, int(latency.group(2)) / 1000) if latency else (0.0, 0.0)
    return Result(name="", path=url, requests_per_second=rate, errors=errors, p50_ms=p50, p95_ms=p95)


CEILINGS = [
    ("ceiling: fixed string", "/bench/ceiling/", [], None),
    ("ceiling: 12 KB template", "/bench/ceiling-template/", [], None),
]


def measure(
    base: str, targets: list[tuple[str, str, list[str], list[str] | None]], *, duration: int, connections: int
) -> list[Result]:
    """Each target loaded in turn (after one warm-up request), with ratios to the two ceilings (the first two)."""
    results = []
    for name, path, headers, script in targets:
        if not script:
            warm_up(base + path, headers)
        result = load(base + path, duration=duration, connections=connections, headers=headers, script=script)
        result.name, result.path = name, path
        results.append(result)
    string, template = results[0].requests_per_second, results[1].requests_per_second
    for result in results:
        result.ratio_to_string = round(result.requests_per_second / string, 3)
        result.ratio_to_template = round(result.requests_per_second / template, 3)
    return results


def portal(args: argparse.Namespace) -> dict[str, Any]:
    data = prepare(args.drafts)
    cookies = f"Cookie: sessionid={data['session']}"
    submitter = f"Cookie: sessionid={data['submitter_session']}; csrftoken={data['csrf_secret']}"
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as paths:
        paths.write(data["submit_paths"])
    targets = [
        *CEILINGS,
        ("catalogue (anonymous)", "/demarches/", [], None),
        ("catalogue search (anonymous)", "/demarches/?q=naissance", [], None),
        ("my requests (alice)", "/espace/demandes/", [cookies], None),
        ("request page (alice)", f"/espace/demandes/{data['reference']}/", [cookies], None),
        ("my documents (alice)", "/espace/documents/", [cookies], None),
        ("my letters (alice)", "/espace/courriers/", [cookies], None),
        ("appointment types (anonymous)", "/rendez-vous/", [], None),
        ("week of slots (alice)", f"/rendez-vous/{data['appointment_type']}/", [cookies], None),
        ("my appointments (alice)", "/espace/rendez-vous/", [cookies], None),
        (
            "case_submit (eve)",
            "/",
            [submitter],
            [str(ROOT / "bench/submit.lua"), paths.name, str(THREADS), data["csrf_token"]],
        ),
    ]
    server = serve(port)
    try:
        results = measure(base, targets, duration=args.duration, connections=args.connections or 8)
    finally:
        stop(server)
        os.unlink(paths.name)
    from teleservices.models import Case

    submitted = Case.objects.submitted().count() - int(data["submitted_before"])
    report(results)
    print(f"case_submit: {submitted} requests submitted in {args.duration} s ({submitted / args.duration:.1f}/s).")
    return {"results": [asdict(r) for r in results], "submitted": submitted, "duration": args.duration}


def backoffice(args: argparse.Namespace) -> dict[str, Any]:
    """bob's board ("Mon service", first and 50th page), a search and a case page, with `--cases` in the database.

    One connection per gunicorn worker by default: the latencies are then those of one agent's request, not of a
    queue of them."""
    data = prepare_backoffice(args.cases)
    cookie = f"sessionid={data['session']}"
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = serve(port)
    try:
        fiftieth = page_after(base, "/agents/", cookie, 49)
        targets = [
            *CEILINGS,
            ('board "Mon service", page 1 (bob)', "/agents/", [f"Cookie: {cookie}"], None),
            ('board "Mon service", page 50 (bob)', fiftieth, [f"Cookie: {cookie}"], None),
            ("board search ?q=martin (bob)", "/agents/?q=martin", [f"Cookie: {cookie}"], None),
            ("case page (bob)", f"/agents/dossiers/{data['reference']}/", [f"Cookie: {cookie}"], None),
        ]
        results = measure(base, targets, duration=args.duration, connections=args.connections or WORKERS)
    finally:
        stop(server)
    from teleservices.models import Case

    cases = Case.objects.submitted().count()
    report(results)
    print(f"{cases} submitted cases in the database.")
    return {"results": [asdict(r) for r in results], "cases": cases, "duration": args.duration}


def main() -> int:
    from bench.common import results_write

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--duration", type=int, default=10, help="seconds of load per URL")
    parser.add_argument("--connections", type=int, help="8 for the portal, one per worker for the back office")
    parser.add_argument("--drafts", type=int, default=8000, help="drafts prepared for the submission benchmark")
    parser.add_argument("--backoffice", action="store_true", help="measure the back office instead of the portal")
    parser.add_argument("--cases", type=int, default=1_000_000, help="cases in the database (back office)")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        print("wrk is missing: install it with 'sudo apt-get install wrk'.")
        return 1
    if args.backoffice:
        os.environ.setdefault("DATABASE_URL", BACKOFFICE_DATABASE)
    payload = backoffice(args) if args.backoffice else portal(args)
    results_write(payload)
    return 0


def report(results: list[Result]) -> None:
    print(f"{'page':38} {'req/s':>9} {'vs string':>10} {'vs 12 KB':>9} {'p50 ms':>8} {'p95 ms':>8} {'errors':>7}")
    for r in results:
        ratios = f"{r.ratio_to_string:10.1%} {r.ratio_to_template:9.1%}"
        latency = f"{r.p50_ms:8.1f} {r.p95_ms:8.1f}" if r.p95_ms else f"{'–':>8} {'–':>8}"
        print(f"{r.name:38} {r.requests_per_second:9.1f} {ratios} {latency} {r.errors:7}")


if __name__ == "__main__":
    raise SystemExit(main())
