"""The portal's settings for benchmarks: production-like (DEBUG off), its own database, no mail; tasks run in-process
while a bench prepares its data, and are queued by the served site (BENCH_TASKS_EAGER=false, bench.run.serve)."""

import os

os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("SECURE", "false")
os.environ.setdefault("STATICFILES_MANIFEST", "false")
os.environ.setdefault("DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/gru_bench")
os.environ.setdefault("SECRET_KEY", "benchmarks-only-not-a-secret-0123456789-abcdefghijklmnopqrstuvwxyz")
os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost")

from gru.settings import *  # noqa: E402, F403

ROOT_URLCONF = "bench.urls"
TEMPLATES[0]["DIRS"].append(BASE_DIR / "bench" / "templates")  # noqa: F405
CELERY_TASK_ALWAYS_EAGER = os.environ.get("BENCH_TASKS_EAGER", "true") == "true"
EMAIL_BACKEND = "django.core.mail.backends.dummy.EmailBackend"
LOGGING["root"]["level"] = "WARNING"  # noqa: F405
