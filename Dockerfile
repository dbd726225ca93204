# GRU production image: gunicorn serving the portal; the same image runs the Celery worker and beat.
FROM node:20-bookworm-slim AS assets
WORKDIR /build
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --omit=dev

FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 \
    DJANGO_SETTINGS_MODULE=gru.settings STATIC_ROOT=/app/staticfiles MEDIA_ROOT=/data/media
# WeasyPrint's libraries (Pango, HarfBuzz) and fonts; gettext for the translation catalogues.
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b \
       fonts-dejavu-core fonts-liberation gettext curl libmagic1 \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --create-home --uid 1000 gru
WORKDIR /app
COPY pyproject.toml README.md LICENSE ./
RUN pip install --upgrade pip && pip install .
COPY . .
COPY --from=assets /build/node_modules/htmx.org/dist ./node_modules/htmx.org/dist
RUN python manage.py compilemessages -v 0 --ignore='node_modules/*' \
    && DEBUG=false STATICFILES_MANIFEST=true python manage.py collectstatic --no-input -v 0 \
    && mkdir -p /data/media && chown -R gru:gru /data
USER gru
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s CMD curl -fsS -H "X-Forwarded-Proto: https" http://127.0.0.1:8000/healthz || exit 1
CMD ["sh", "-c", "gunicorn gru.wsgi --bind 0.0.0.0:8000 --workers ${GUNICORN_WORKERS:-3} --access-logfile -"]
