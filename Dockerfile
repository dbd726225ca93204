# GRU production image: gunicorn serving the portal; the same image runs the Celery worker and beat.
# Python packages come from uv.lock only (uv sync --frozen), as on a developer's machine.
FROM node:20-bookworm-slim AS assets
WORKDIR /build
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --omit=dev

FROM python:3.11-slim-bookworm AS python
ENV UV_PYTHON_DOWNLOADS=never UV_PROJECT_ENVIRONMENT=/app/.venv UV_COMPILE_BYTECODE=1 UV_LINK_MODE=copy \
    PIP_NO_CACHE_DIR=1
WORKDIR /app
COPY requirements-uv.txt ./
RUN python -m pip install --require-hashes --no-deps -r requirements-uv.txt
COPY pyproject.toml uv.lock ./
RUN uv sync --frozen --no-dev --no-cache

FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PATH=/app/.venv/bin:$PATH \
    DJANGO_SETTINGS_MODULE=gru.settings STATIC_ROOT=/app/staticfiles MEDIA_ROOT=/data/media PRIVATE_ROOT=/data/private
# WeasyPrint's libraries (Pango, HarfBuzz) and fonts; libmagic (file types by content); gettext for the catalogues;
# curl for the health checks; the PostgreSQL client for bin/backup and bin/restore.
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b \
       fonts-dejavu-core fonts-liberation gettext curl libmagic1 postgresql-client \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --create-home --uid 1000 gru
WORKDIR /app
COPY --from=python /app/.venv /app/.venv
COPY . .
COPY --from=assets /build/node_modules/htmx.org/dist ./node_modules/htmx.org/dist
RUN python manage.py compilemessages -v 0 --ignore='node_modules/*' --ignore='.venv/*' \
    && DEBUG=false STATICFILES_MANIFEST=true python manage.py collectstatic --no-input -v 0 \
    && mkdir -p /data/media /data/private && chown -R gru:gru /data
USER gru
EXPOSE 8000
# Ready to serve requests: the database, Redis (cache and broker) and the file storage answer. Not the worker, beat or
# the antivirus, which /readyz asks too (for alerts and releases): a stopped beat must not take every web container
# out of the pool.
HEALTHCHECK --interval=30s --timeout=10s --start-period=30s \
    CMD curl -fsS -H "X-Forwarded-Proto: https" \
        "http://127.0.0.1:8000/readyz?check=database&check=cache&check=broker&check=storage" >/dev/null || exit 1
CMD ["sh", "-c", "gunicorn gru.wsgi --bind 0.0.0.0:8000 --workers ${GUNICORN_WORKERS:-3}"]
