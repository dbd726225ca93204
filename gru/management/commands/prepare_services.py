"""Check that PostgreSQL and Redis answer, say plainly what to start if not, and create the database if missing."""

from typing import Any

import psycopg
import redis
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from psycopg import sql

START_HINT = (
    "Start it with the Debian packages (apt-get install postgresql redis-server) or with "
    "'docker compose up -d db redis', then run 'make run' again."
)


def _server_params() -> dict[str, Any]:
    database = settings.DATABASES["default"]
    return {
        "host": database["HOST"] or None,
        "port": database["PORT"] or None,
        "user": database["USER"] or None,
        "password": database["PASSWORD"] or None,
    }


class Command(BaseCommand):
    help = "Check PostgreSQL and Redis and create the database if it does not exist."

    def handle(self, *args: Any, **options: Any) -> None:
        name = settings.DATABASES["default"]["NAME"]
        try:
            with psycopg.connect(dbname="postgres", autocommit=True, connect_timeout=3, **_server_params()) as conn:
                exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
                if not exists:
                    conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
                    self.stdout.write(f"Created the database {name}.")
        except psycopg.OperationalError as error:
            where = "{host}:{port}".format(**_server_params())
            raise CommandError(f"PostgreSQL does not answer at {where} (DATABASE_URL). {START_HINT}") from error
        try:
            redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=3).ping()
        except redis.RedisError as error:
            raise CommandError(f"Redis does not answer at {settings.REDIS_URL} (REDIS_URL). {START_HINT}") from error
        self.stdout.write("PostgreSQL and Redis answer.")
