"""What the bench scripts share: their database made afresh, and their results written to bench/results/.

Each script puts the repository on sys.path and names its own DATABASE_URL before it imports this (Django reads the
URL when it loads)."""

from __future__ import annotations

import datetime
import io
import json
from pathlib import Path
from typing import Any

import psycopg
from psycopg import sql

ROOT = Path(__file__).resolve().parent.parent


def setup_database(*, fresh: bool = True, demo: bool = True) -> None:
    """The bench database (dropped first when `fresh`), migrated, with the demo data when `demo`."""
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    if fresh:
        database = settings.DATABASES["default"]
        with psycopg.connect(
            host=database["HOST"], port=database["PORT"], user=database["USER"], dbname="postgres", autocommit=True
        ) as admin:
            admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(database["NAME"])))
    call_command("prepare_services", verbosity=0)
    call_command("migrate", verbosity=0)
    if demo:
        call_command("seed_demo", verbosity=0, stdout=io.StringIO())


def results_write(payload: dict[str, Any], prefix: str = "") -> None:
    """The run's results as JSON in bench/results/ (not committed), named `prefix` and the time of the run."""
    folder = ROOT / "bench" / "results"
    folder.mkdir(exist_ok=True)
    stamp = datetime.datetime.now(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")
    (folder / f"{prefix}{stamp}.json").write_text(json.dumps(payload, indent=2))
