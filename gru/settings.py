"""Settings of GRU, read from the environment (see `.env.example`).

Defaults work for local development on a machine with PostgreSQL and Redis; production sets `DEBUG=false`,
`SECRET_KEY`, `ALLOWED_HOSTS` and the rest through environment variables.
"""

import base64
import ipaddress
import os
import warnings
from datetime import timedelta
from pathlib import Path

import environ
from celery.schedules import crontab
from csp.constants import NONCE
from django.utils.translation import gettext_lazy as _

from gru import logs, proxies

BASE_DIR = Path(__file__).resolve().parent.parent

# cryptography 51 deprecates DSA (pyca/cryptography#15597) and pyHanko still imports it (pyhanko/sign/signers/
# pdf_cms.py): quiet where pyHanko triggers it, nowhere else (the tests filter it the same way, in pyproject.toml).
warnings.filterwarnings("ignore", message="DSA is deprecated", module=r"pyhanko(\..*)?$")

env = environ.Env()
if (BASE_DIR / ".env").exists():
    environ.Env.read_env(BASE_DIR / ".env")

DEBUG = env.bool("DEBUG", default=False)
# The default suits development and the tests only: with DEBUG off, no process starts with it (gru/checks.py).
SECRET_KEY = env("SECRET_KEY", default="dev-only-secret-key-change-me-in-production-0123456789abcdef")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000")
# AGPL section 13: users of the portal are offered its source code (the footer links here).
SOURCE_CODE_URL = env("SOURCE_CODE_URL", default="")
# Where to report a vulnerability of this instance (/.well-known/security.txt, RFC 9116; SECURITY.md): mailto: or
# https: addresses of the collectivité's security contact. None: that page answers 404.
SECURITY_CONTACT = env.list("SECURITY_CONTACT", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "django.forms",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "guardian",
    "simple_history",
    "django_htmx",
    "django_structlog",
    "adminsortable2",
    "csp",
    "gru",
    "portal",
    "vault",
    "letters",
    "teleservices",
    "appointments",
    "backoffice",
]

MIDDLEWARE = [
    "django_prometheus.middleware.PrometheusBeforeMiddleware",  # first and last: whole requests are measured
    "gru.middleware.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "gru.middleware.SecurityHeadersMiddleware",  # before WhiteNoise: static files carry them too
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "gru.middleware.RequestSizeLimitMiddleware",  # before anything reads the body
    "gru.middleware.NulByteRefusalMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "gru.middleware.RequestLogMiddleware",  # once the user is known: its id on the lines of the request
    "gru.middleware.SessionIdleTimeoutMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "gru.middleware.SecondFactorRequiredMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "django_prometheus.middleware.PrometheusAfterMiddleware",
]

ROOT_URLCONF = "gru.urls"
WSGI_APPLICATION = "gru.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "gru.context_processors.organisation",
            ],
        },
    },
]
FORM_RENDERER = "gru.forms.GruFormRenderer"

DATABASES = {"default": env.db("DATABASE_URL", default="postgresql://postgres@127.0.0.1:5432/gru")}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# Behind PgBouncer in transaction pooling: true (and CONN_MAX_AGE=0), since a server-side cursor (the exports' rows)
# cannot outlive the transaction that PgBouncer ties to one server connection (docs/DEPLOYMENT.md).
DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = env.bool("DISABLE_SERVER_SIDE_CURSORS", default=False)
DATABASES["default"]["TEST"] = {"NAME": env("TEST_DATABASE_NAME", default="test_gru")}
# Just-in-time compilation costs more than it saves on the board's short queries over a million cases.
DATABASES["default"]["OPTIONS"] = {**DATABASES["default"].get("OPTIONS", {}), "options": "-c jit=off"}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env("REDIS_URL", default="redis://127.0.0.1:6379/0")
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        # Each pytest-xdist worker gets its own key space on the shared Redis.
        "KEY_PREFIX": env("CACHE_KEY_PREFIX", default="gru") + os.environ.get("PYTEST_XDIST_WORKER", ""),
        "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
    }
}

AUTH_USER_MODEL = "portal.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
    "guardian.backends.ObjectPermissionBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "gru.passwords.StrengthValidator"},  # zxcvbn, with common French passwords
]
# A password reset link lasts an hour and works once (its token is bound to the password it replaces); allauth's
# reset by key uses Django's token generator, so this timeout (ACCOUNT_PASSWORD_RESET_BY_CODE_ENABLED stays False).
PASSWORD_RESET_TIMEOUT = 3600
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "portal:space"
LOGOUT_REDIRECT_URL = "home"
# The agents' home, named here so that no app below the back office names it: where agents land once signed in, and
# where the agents' area begins (its paths need a second factor, gru/access.py).
AGENT_HOME_URL = "backoffice:home"

# The reverse proxies in front of the portal (gru/proxies.py): how many append to X-Forwarded-For (1 behind one load
# balancer), or their networks (CIDR, comma-separated), whose X-Forwarded-For alone is believed. 0: none, REMOTE_ADDR
# is the client — behind a proxy every citizen would then share its address, and its limits.
TRUSTED_PROXIES = proxies.trusted_proxies_parse(env("TRUSTED_PROXIES", default="0"))

# Sessions live in the database, read through the Redis cache; they end after SESSION_IDLE_MINUTES without activity.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
SESSION_IDLE_MINUTES = env.int("SESSION_IDLE_MINUTES", default=30)
# Agents' and administrators' sessions (gru.middleware.SessionIdleTimeoutMiddleware): idle time, and whole lifetime
# from the sign-in whatever the activity. An idle time above SESSION_IDLE_MINUTES is cut short by the cookie's age.
STAFF_SESSION_IDLE_MINUTES = env.int("STAFF_SESSION_IDLE_MINUTES", default=30)
STAFF_SESSION_MAX_HOURS = env.int("STAFF_SESSION_MAX_HOURS", default=10)
SESSION_COOKIE_AGE = SESSION_IDLE_MINUTES * 60
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# django-allauth: email as login, mandatory verification, no account enumeration, throttled logins.
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = ""
# "Your password has been changed" and the like, written in templates/account/email/.
ACCOUNT_EMAIL_NOTIFICATIONS = True
ACCOUNT_SIGNUP_FORM_CLASS = "portal.forms.SignupForm"
ACCOUNT_FORMS = {"login": "portal.account_forms.LoginForm"}
ACCOUNT_ADAPTER = "portal.adapters.AccountAdapter"
ACCOUNT_RATE_LIMITS = {
    # Failed sign-ins (portal/lockouts.py), counted by the client's address (TRUSTED_PROXIES): 10 a minute from one
    # address whatever the account; 5 in 5 minutes for one account from one address lock the account there only
    # (allauth's second-factor step counts per account). "login_failed_account": one account from every address, high
    # enough for no citizen to reach it alone, low enough to slow a guessing spread over many addresses. A locked
    # account's holder is emailed a link that unlocks it for them.
    "login_failed": "10/m/ip,5/5m/key",
    "login_failed_account": "50/h/key",
    "login": "30/m/ip",
    "signup": "20/m/ip",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
    "confirm_email": "1/3m/key",
    "change_password": "5/m/user",
    "manage_email": "10/m/user",
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes", "webauthn"]
MFA_PASSKEY_LOGIN_ENABLED = False
MFA_TOTP_ISSUER = env("MFA_TOTP_ISSUER", default="GRU")
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = DEBUG

# FranceConnect (OpenID Connect, v2: signed userinfo, nonce, eidas1).
FRANCECONNECT_ENABLED = env.bool("FRANCECONNECT_ENABLED", default=False)
FRANCECONNECT_ISSUER = env("FRANCECONNECT_ISSUER", default="")
FRANCECONNECT_CLIENT_ID = env("FRANCECONNECT_CLIENT_ID", default="")
FRANCECONNECT_CLIENT_SECRET = env("FRANCECONNECT_CLIENT_SECRET", default="")
FRANCECONNECT_ACR = env("FRANCECONNECT_ACR", default="eidas1")

ANONYMOUS_USER_NAME = None  # django-guardian: no anonymous user row.
GUARDIAN_MONKEY_PATCH_USER = False

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("French")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = env("STATIC_ROOT", default=str(BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static", ("vendor/htmx", BASE_DIR / "node_modules" / "htmx.org" / "dist")]
MEDIA_ROOT = env("MEDIA_ROOT", default=str(BASE_DIR / "var" / "media"))
# Hashed, compressed static files (after collectstatic) unless developing or testing.
STATICFILES_MANIFEST = env.bool("STATICFILES_MANIFEST", default=not DEBUG)
# Citizens' files: never under a public URL, served only by permission-checked views.
PRIVATE_ROOT = env("PRIVATE_ROOT", default=str(BASE_DIR / "var" / "private"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "private": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": PRIVATE_ROOT}},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if STATICFILES_MANIFEST
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = not STATICFILES_MANIFEST
# Production with several web and worker machines: an S3-compatible object store (django-storages) for citizens' files,
# and for the media (the collectivité's logo, served by a view) under S3_MEDIA_LOCATION of the same bucket, so that no
# process keeps a file on its own disk.
if env("PRIVATE_STORAGE", default="local") == "s3":
    S3_OPTIONS = {
        "bucket_name": env("S3_BUCKET"),
        "endpoint_url": env("S3_ENDPOINT_URL", default=None),
        "region_name": env("S3_REGION", default=None),
        "access_key": env("S3_ACCESS_KEY"),
        "secret_key": env("S3_SECRET_KEY"),
        "default_acl": "private",
        "file_overwrite": False,
    }
    STORAGES["private"] = {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": S3_OPTIONS}
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {**S3_OPTIONS, "location": env("S3_MEDIA_LOCATION", default="media")},
    }
# Citizens' files and the agents' exports are encrypted at rest (AES-256-GCM): "id:key" pairs, keys of 32 bytes in
# URL-safe base64, the first one encrypting new files, the others only reading older ones until `manage.py
# files_reencrypt` has rewritten them (exports are not: they are purged after a day).
# Without them (development and the tests), a published key: the one development machines derived from the default
# SECRET_KEY so far, so their files still open; with DEBUG off, no process starts with it (gru/checks.py).
FILE_ENCRYPTION_DEVELOPMENT_KEY = base64.urlsafe_b64decode("VEXELdqkP2wdxHNtKJTmixG98xLMsld6ETyUR6V7aII=")
FILE_ENCRYPTION_KEYS = {
    key_id: base64.urlsafe_b64decode(key)
    for key_id, key in (pair.split(":", 1) for pair in env.list("FILE_ENCRYPTION_KEYS", default=[]))
} or {"dev": FILE_ENCRYPTION_DEVELOPMENT_KEY}
# Uploads: a file above FILE_UPLOAD_MAX_MEMORY_SIZE is written to a temporary file (in FILE_UPLOAD_TEMP_DIR, the
# system's by default) as it arrives, not held in memory; a request carries at most DATA_UPLOAD_MAX_NUMBER_FILES
# files and DATA_UPLOAD_MAX_MEMORY_SIZE of other fields (a French 400 page beyond: gru.views.bad_request), and
# UPLOAD_MAX_REQUEST_SIZE in all, refused before it is read (gru.middleware.RequestSizeLimitMiddleware, a 413).
FILE_UPLOAD_MAX_MEMORY_SIZE = env.int("FILE_UPLOAD_MAX_MEMORY_SIZE", default=1024 * 1024)
FILE_UPLOAD_TEMP_DIR = env("FILE_UPLOAD_TEMP_DIR", default="") or None
DATA_UPLOAD_MAX_NUMBER_FILES = env.int("DATA_UPLOAD_MAX_NUMBER_FILES", default=20)
DATA_UPLOAD_MAX_MEMORY_SIZE = env.int("DATA_UPLOAD_MAX_MEMORY_SIZE", default=2 * 1024 * 1024)
UPLOAD_MAX_REQUEST_SIZE = env.int("UPLOAD_MAX_REQUEST_SIZE", default=50 * 1024 * 1024)
# What the files of a household (its members' with an account, or a citizen's alone) may take in all, in bytes:
# uploads beyond are refused with a French message (vault.services.storage_quota_check).
HOUSEHOLD_STORAGE_QUOTA = env.int("HOUSEHOLD_STORAGE_QUOTA", default=500 * 1024 * 1024)
# Antivirus: uploads stay in quarantine until ClamAV's daemon finds them clean (a Unix socket, or host and port).
CLAMAV_ENABLED = env.bool("CLAMAV_ENABLED", default=False)
CLAMAV_SOCKET = env("CLAMAV_SOCKET", default="/run/clamav/clamd.ctl")
CLAMAV_HOST = env("CLAMAV_HOST", default="127.0.0.1")
CLAMAV_PORT = env.int("CLAMAV_PORT", default=3310)
CLAMAV_TIMEOUT = env.int("CLAMAV_TIMEOUT", default=30)

# Letters carrying a decision or an attestation are signed (PAdES) with this PKCS#12 certificate and key; empty: they
# are produced unsigned, and the admin says so. An RFC 3161 time-stamping authority is asked for a timestamp when set.
LETTER_SIGNING_P12 = env("LETTER_SIGNING_P12", default="")
LETTER_SIGNING_PASSWORD = env("LETTER_SIGNING_PASSWORD", default="")
LETTER_TSA_URL = env("LETTER_TSA_URL", default="")

EMAIL_BACKEND = env(
    "EMAIL_BACKEND",
    default="django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env("EMAIL_HOST", default="127.0.0.1")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="GRU <ne-pas-repondre@example.org>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Seconds: a mail server that stops answering fails the attempt (retried later) instead of holding a worker.
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=30)

# Text messages (gru.sms): the console in development, a JSON-over-HTTPS provider in production.
SMS_ENABLED = env.bool("SMS_ENABLED", default=False)
SMS_BACKEND = env("SMS_BACKEND", default="gru.sms.ConsoleBackend" if DEBUG else "gru.sms.HttpBackend")
SMS_API_URL = env("SMS_API_URL", default="")
SMS_API_KEY = env("SMS_API_KEY", default="")
SMS_SENDER = env("SMS_SENDER", default="")
SMS_TIMEOUT = env.int("SMS_TIMEOUT", default=10)

# Address suggestions (portal/geocoder.py): the Base Adresse Nationale, or a self-hosted addok with the same API;
# empty: none (the citizen types the address by hand, as when the geocoder does not answer).
GEOCODER_URL = env("GEOCODER_URL", default="https://api-adresse.data.gouv.fr")
GEOCODER_TIMEOUT = env.float("GEOCODER_TIMEOUT", default=2.0)  # seconds; slower: no suggestions this time
GEOCODER_CACHE_SECONDS = env.int("GEOCODER_CACHE_SECONDS", default=24 * 3600)
GEOCODER_RATE_PER_MINUTE = env.int("GEOCODER_RATE_PER_MINUTE", default=30)  # lookups of one session

# Security headers. HTTPS-only settings follow SECURE (on by default when DEBUG is off).
SECURE = env.bool("SECURE", default=not DEBUG)
SECURE_SSL_REDIRECT = SECURE
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if SECURE else None
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000 if SECURE else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE
SECURE_HSTS_PRELOAD = SECURE
# Prometheus scrapes /metrics over the private network, in plain HTTP (see METRICS_ALLOWED_NETWORKS).
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$", r"^metrics$"]
SESSION_COOKIE_SECURE = SECURE
CSRF_COOKIE_SECURE = SECURE
LANGUAGE_COOKIE_SECURE = SECURE
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Set by gru.middleware.SecurityHeadersMiddleware: the browser features no page uses, refused to every page and what
# it embeds (Permissions-Policy; passkeys keep their default, this origin only); and no page, file or static asset
# loaded by another site (Cross-Origin-Resource-Policy).
PERMISSIONS_POLICY_REFUSED = [
    "accelerometer",
    "camera",
    "display-capture",
    "geolocation",
    "gyroscope",
    "hid",
    "magnetometer",
    "microphone",
    "midi",
    "payment",
    "serial",
    "usb",
    "xr-spatial-tracking",
]
CROSS_ORIGIN_RESOURCE_POLICY = "same-origin"
# Signing out of a FranceConnect session posts the logout form, whose answer redirects to the provider's end-session
# endpoint: form-action allows that one origin (scheme://host:port of the issuer), and only when FranceConnect is on.
_franceconnect_origins = ["/".join(FRANCECONNECT_ISSUER.split("/")[:3])] if FRANCECONNECT_ENABLED else []
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'", NONCE],
        "style-src": ["'self'", NONCE],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'", *_franceconnect_origins],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

CELERY_BROKER_URL = env("CELERY_BROKER_URL", default=REDIS_URL)
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_TASK_ACKS_LATE = True
# Seconds. Every task of ours sets its own limits (tests/gru/test_tasks.py checks it), below the broker's visibility
# timeout; these cover any other task. At the soft limit the task gets SoftTimeLimitExceeded (an Exception: the row it
# works on records the failure), at the hard limit the worker kills the process running it.
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=60)
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=90)
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Queueing a task tries the broker twice at once, then gives up (instead of retrying for seconds while a citizen's
# request waits): what could not be queued is queued again by the sweepers (notifications, antivirus scans).
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.2,
    "socket_connect_timeout": 2,
    # Seconds before Redis hands a task a worker took but has not acknowledged (CELERY_TASK_ACKS_LATE) to another
    # worker: longer than any task's hard time limit, so that a task still running is never run twice at once.
    "visibility_timeout": 3600,
}
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE = {
    "purge-access-log-past-retention": {
        "task": "gru.tasks.access_log_purge_task",
        "schedule": crontab(minute=47, hour=2),
    },
    "purge-notifications-past-retention": {
        "task": "gru.tasks.notifications_purge_task",
        "schedule": crontab(minute=52, hour=2),
    },
    "purge-appointments-past-retention": {
        "task": "appointments.tasks.appointments_purge_task",
        "schedule": crontab(minute=57, hour=2),
    },
    "purge-expired-sessions": {
        "task": "gru.tasks.sessions_purge_task",
        "schedule": crontab(minute=17, hour=3),
    },
    "purge-expired-household-invitations": {
        "task": "portal.tasks.invitations_purge_task",
        "schedule": crontab(minute=27, hour=3),
    },
    "apply-silence-when-deadlines-pass": {
        "task": "backoffice.tasks.silence_apply_task",
        "schedule": crontab(minute=17, hour=6),
    },
    "remind-expiring-drafts": {
        "task": "teleservices.tasks.drafts_remind_task",
        "schedule": crontab(minute=7, hour=9),
    },
    "purge-expired-drafts": {
        "task": "teleservices.tasks.drafts_purge_task",
        "schedule": crontab(minute=37, hour=3),
    },
    "remind-documents-about-to-expire": {
        "task": "vault.tasks.documents_remind_expiry_task",
        "schedule": crontab(minute=57, hour=9),
    },
    "scan-files-still-in-quarantine": {
        "task": "vault.tasks.stored_files_scan_pending_task",
        "schedule": crontab(minute="*/10"),
    },
    "delete-uploads-kept-for-forms-never-sent-again": {
        "task": "vault.tasks.stored_files_held_purge_task",
        "schedule": crontab(minute=23),
    },
    "render-letters-whose-generation-was-lost": {
        "task": "letters.tasks.letters_render_stale_task",
        "schedule": crontab(minute="5-59/10"),
    },
    "send-letters-whose-sending-was-lost": {
        "task": "letters.tasks.case_letters_send_stale_task",
        "schedule": crontab(minute="7-59/10"),
    },
    "make-answers-copies-whose-task-was-lost": {
        "task": "teleservices.tasks.case_answers_copies_stale_task",
        "schedule": crontab(minute="9-59/10"),
    },
    "run-exports-whose-task-was-lost": {
        "task": "backoffice.tasks.exports_run_stale_task",
        "schedule": crontab(minute="3-59/10"),
    },
    "purge-exports-of-more-than-a-day": {
        "task": "backoffice.tasks.exports_purge_task",
        "schedule": crontab(minute=47),
    },
    "remind-appointments-48-hours-before": {
        "task": "appointments.tasks.appointment_reminders_task",
        "schedule": crontab(minute="*/10"),
    },
    "queue-notifications-whose-task-was-lost": {
        "task": "gru.tasks.notifications_sweep_task",
        "schedule": crontab(),  # every minute
    },
}
# Readiness, /readyz (gru.health; /healthz stays the cheap liveness check). Beat records a heartbeat in the cache each
# time the broker takes one of its jobs (its scheduler is ours by default: no --scheduler option needed); with a job
# every minute above, a heartbeat older than READYZ_SCHEDULER_MAX_AGE seconds means beat is not doing its work.
CELERY_BEAT_SCHEDULER = "gru.health:HeartbeatScheduler"
READYZ_SCHEDULER_MAX_AGE = env.int("READYZ_SCHEDULER_MAX_AGE", default=180)
# Seconds a Celery worker has to answer the readiness ping (through the broker).
READYZ_WORKER_TIMEOUT = env.float("READYZ_WORKER_TIMEOUT", default=3)
# With CLAMAV_ENABLED: the antivirus is ready while its signatures (freshclam's updates) are younger than this.
READYZ_SIGNATURES_MAX_HOURS = env.int("READYZ_SIGNATURES_MAX_HOURS", default=48)

# The access log (gru.access_log): months its rows are kept (at least 1: the database keeps the last month), and
# whether citizens read the names of the agents who read their data, or only their departments.
ACCESS_LOG_RETENTION_MONTHS = max(1, env.int("ACCESS_LOG_RETENTION_MONTHS", default=12))
ACCESS_LOG_SHOWS_AGENT_NAMES = env.bool("ACCESS_LOG_SHOWS_AGENT_NAMES", default=False)

# Other retention periods, in months: notifications once done with (sent, failed, withdrawn: the outbox's rows and
# the citizen space's), and appointments after they ended. Sessions end with SESSION_COOKIE_AGE (purged nightly).
NOTIFICATIONS_RETENTION_MONTHS = env.int("NOTIFICATIONS_RETENTION_MONTHS", default=12)
APPOINTMENTS_RETENTION_MONTHS = env.int("APPOINTMENTS_RETENTION_MONTHS", default=12)

HOUSEHOLD_INVITATION_VALIDITY = timedelta(days=env.int("HOUSEHOLD_INVITATION_DAYS", default=14))
# Regional public holidays on top of France's (deadlines, appointments): "57" (or "6AE") for Alsace-Moselle, "971"…
PUBLIC_HOLIDAYS_SUBDIVISION = env("PUBLIC_HOLIDAYS_SUBDIVISION", default="")

DEMO_PASSWORD = env("DEMO_PASSWORD", default="Beaulieu-demo-2026")
DEMO_TOTP_SECRET = env("DEMO_TOTP_SECRET", default="JBSWY3DPEHPK3PXPGRUDEMOBEAULIEU2")

# Observability (gru.logs, gru.metrics). Logs: every line, Django's, Celery's and ours, in one format: JSON lines with
# LOG_FORMAT=json (for a log collector), readable text otherwise ("text"). Each line of a request, and of the tasks it
# queued, carries its request_id, returned as X-Request-ID (the reverse proxy's, when it sends a well-formed one); no
# email address, name, file name nor IP address (see gru.logs).
LOG_FORMAT = env("LOG_FORMAT", default="text")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"structured": {"()": "gru.logs.formatter", "output": LOG_FORMAT}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "structured"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {
        # Without handlers of their own (Django's console in DEBUG, its mails to ADMINS): through the root's, once.
        "django": {"handlers": [], "level": "INFO", "propagate": True},
        "django.server": {"handlers": [], "level": "INFO", "propagate": True},
        "django.db.backends": {"level": "WARNING"},
        "pikepdf": {"level": "WARNING"},
        # WeasyPrint's steps, at every letter; its errors (a PDF/UA rule broken) stay on "weasyprint".
        "weasyprint.progress": {"level": "WARNING"},
    },
}
logs.configure_structlog()
DJANGO_STRUCTLOG_CELERY_ENABLED = True  # the request's context goes in the headers of the tasks it queues
# Not the IP address (personal data): the reverse proxy's access log keeps it, beside the same X-Request-ID.
DJANGO_STRUCTLOG_IP_LOGGING_ENABLED = False
DJANGO_STRUCTLOG_TRUST_UPSTREAM_REQUEST_ID = True  # checked, or made, by gru.middleware.RequestIdMiddleware first

# Errors to Sentry (or a compatible service: GlitchTip…) when SENTRY_DSN is set, without personal data; tracing off
# unless SENTRY_TRACES_SAMPLE_RATE (0 to 1) is set.
SENTRY_DSN = env("SENTRY_DSN", default="")
SENTRY_ENVIRONMENT = env("SENTRY_ENVIRONMENT", default="")
SENTRY_TRACES_SAMPLE_RATE = env.float("SENTRY_TRACES_SAMPLE_RATE", default=0.0)
logs.sentry_init(dsn=SENTRY_DSN, environment=SENTRY_ENVIRONMENT, traces_sample_rate=SENTRY_TRACES_SAMPLE_RATE)

# Metrics for Prometheus at /metrics, never public: only with "Authorization: Bearer <METRICS_TOKEN>", or straight from
# an address of METRICS_ALLOWED_NETWORKS (CIDR, comma-separated; never the reverse proxy's); with neither, a 404.
# Counters of several processes: PROMETHEUS_MULTIPROC_DIR (an environment variable of prometheus_client, an emptied
# directory shared by gunicorn and the worker), and/or the worker's own port, METRICS_WORKER_PORT (see gru.metrics).
METRICS_TOKEN = env("METRICS_TOKEN", default="")
METRICS_ALLOWED_NETWORKS = [
    ipaddress.ip_network(network, strict=False) for network in env.list("METRICS_ALLOWED_NETWORKS", default=[])
]
METRICS_WORKER_PORT = env.int("METRICS_WORKER_PORT", default=0)  # 0: the worker serves no metrics
METRICS_WORKER_ADDRESS = env("METRICS_WORKER_ADDRESS", default="127.0.0.1")
