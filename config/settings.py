"""Open Doors settings: one file, read from environment variables.

Every variable is documented in `.env.example` and in the README. The defaults are
the embedded first-run shape (SQLite, a filesystem Celery broker under `var/`,
emails printed to the console); production sets DATABASE_URL, REDIS_URL and SMTP.
"""

from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from config.env import envbool, envint, envlist, envstr, secret_key_problem

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(envstr("VAR_DIR", str(BASE_DIR / "var")))

DEBUG = envbool("DEBUG", True)
SECRET_KEY = envstr("SECRET_KEY", "")
# The key signs the no-login links in reminder emails: production refuses a guessable one.
if not DEBUG and (problem := secret_key_problem(SECRET_KEY)):
    raise ImproperlyConfigured(problem)
SECRET_KEY = SECRET_KEY or "dev-only-insecure-key-do-not-use-in-production"

ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", [])
# Absolute address of this site, used for links inside emails (no request there).
SITE_URL = envstr("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
SITE_NAME = "Open Doors"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_htmx",
    "axes",
    "csp",
    "accounts",
    "applications",
    "goals",
    "followups",
    "dashboard",
    "capture",
    "watch",
    "mydata",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Before anything reads the body (sessions, CSRF): size and charset checks.
    "config.request_limits.RequestLimitsMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    # Before the CSRF check, which would answer an over-long pasted email with a bare 400.
    "capture.middleware.TooBigPasteMiddleware",
    "mydata.middleware.BodyLimitMiddleware",  # before CSRF, which reads the whole body
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "accounts.middleware.UserTimezoneMiddleware",
    # Last, as django-axes asks: it must see the outcome of authentication.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        envstr("DATABASE_URL", f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
        conn_max_age=envint("DATABASE_CONN_MAX_AGE", 0, minimum=0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Several processes (web, worker, beat) share one SQLite file: wait for locks
    # instead of failing at once, and let readers run beside a writer.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL;",
    }
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Short OLTP queries run once per page: JIT compiling them costs more than it saves.
    # Server options from the URL (?options=...) still apply, after this one.
    pg_options = DATABASES["default"].setdefault("OPTIONS", {})
    pg_options["options"] = " ".join(filter(None, ("-c jit=off", pg_options.get("options"))))
    # The same few queries run on every page with other values: with the values sent apart
    # from the statement (server-side binding), psycopg prepares a statement the connection
    # has run DATABASE_PREPARE_THRESHOLD times, and PostgreSQL stops planning it again and
    # again (the dashboard's plans cost more than running them). 0 turns preparing off, as
    # a transaction-mode connection pooler (PgBouncer before 1.21) requires.
    prepare_threshold = envint("DATABASE_PREPARE_THRESHOLD", 2, minimum=0)
    if prepare_threshold:
        pg_options.setdefault("server_side_binding", True)
        pg_options.setdefault("prepare_threshold", prepare_threshold)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

# Failed-login throttling (accounts/throttling.py): a username is locked only together with
# the address it failed from, so nobody can lock the owner out from elsewhere; one address
# trying many usernames meets a separate, higher limit. A failure during a lock does not
# extend it.
AXES_HANDLER = "accounts.throttling.LoginThrottle"
AXES_FAILURE_LIMIT = envint("AXES_FAILURE_LIMIT", 5, minimum=1)
LOGIN_FAILURES_PER_ADDRESS = envint("LOGIN_FAILURES_PER_ADDRESS", 30, minimum=1)
AXES_COOLOFF_TIME = envint("AXES_COOLOFF_MINUTES", 15, minimum=1) / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_RESET_ON_SUCCESS = True
# How many reverse proxies of your own stand in front of the app (docker-compose: 0, gunicorn
# is reached directly; behind one nginx/Caddy that sets X-Forwarded-For: 1). The address of a
# person is then the one the outermost proxy saw, never a header the client wrote.
TRUSTED_PROXIES = envint("TRUSTED_PROXIES", 0, minimum=0)
AXES_CLIENT_IP_CALLABLE = "accounts.throttling.client_address"
# Sign-up and password reset send an email each: at most this many per hour from one
# address, and to one email address (accounts/ratelimit.py; counted in the cache).
RATE_LIMIT_WINDOW_SECONDS = 3600
RATE_LIMITS = {
    "signup": {
        "address": envint("SIGNUPS_PER_ADDRESS_PER_HOUR", 10, minimum=1),
        "email": envint("SIGNUPS_PER_EMAIL_PER_HOUR", 3, minimum=1),
    },
    "password_reset": {
        "address": envint("PASSWORD_RESETS_PER_ADDRESS_PER_HOUR", 10, minimum=1),
        "email": envint("PASSWORD_RESETS_PER_EMAIL_PER_HOUR", 3, minimum=1),
    },
}
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(envstr("STATIC_ROOT", str(VAR_DIR / "staticfiles")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# A request body over this is refused outright (the largest note is far below it).
DATA_UPLOAD_MAX_MEMORY_SIZE = envint("DATA_UPLOAD_MAX_MEMORY_SIZE", 512 * 1024, minimum=1024)
# Uploaded files are kept in memory up to this, then spooled to a temporary file...
FILE_UPLOAD_MAX_MEMORY_SIZE = envint("FILE_UPLOAD_MAX_MEMORY_SIZE", 512 * 1024, minimum=1024)
# ...and the whole body, files included, is refused above this before it is parsed
# (config/request_limits.py); DATA_UPLOAD_MAX_MEMORY_SIZE alone does not count files. Well
# above the largest uploads the app takes (a 5 MB .eml, a 5 MB import), so those pages can
# still say in their own words why a 20 or 50 MB one is refused.
REQUEST_BODY_MAX_SIZE = envint("REQUEST_BODY_MAX_SIZE", 64 * 1024 * 1024, minimum=1024)

# --- Email -------------------------------------------------------------------
EMAIL_BACKEND = envstr("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = envstr("EMAIL_HOST", "localhost")
EMAIL_PORT = envint("EMAIL_PORT", 25, minimum=1)
EMAIL_HOST_USER = envstr("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = envstr("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = envbool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = envbool("EMAIL_USE_SSL", False)
# A hung SMTP server must not hold a worker forever: the row keeps the retry.
EMAIL_TIMEOUT = envint("EMAIL_TIMEOUT", 10, minimum=1)
DEFAULT_FROM_EMAIL = envstr("DEFAULT_FROM_EMAIL", "Open Doors <reminders@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Celery --------------------------------------------------------------------
# The database is the source of truth and the broker only a doorbell, so losing a
# broker message costs at most one minute: the next tick finds the same due rows.
REDIS_URL = envstr("REDIS_URL", "")
BROKER_DIR = VAR_DIR / "broker"
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
else:
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(BROKER_DIR / "queue"),
        "data_folder_out": str(BROKER_DIR / "queue"),
        "control_folder": str(BROKER_DIR / "control"),
        "store_processed": False,
    }
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_TIME_LIMIT = envint("CELERY_TASK_TIME_LIMIT", 300, minimum=10)
CELERY_TASK_SOFT_TIME_LIMIT = CELERY_TASK_TIME_LIMIT - 5
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = "UTC"
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
# How often beat rings the dispatch doorbell. A tick that waited in the queue for most of an
# interval is stale (the next one covers it), so its expiry follows the interval.
DISPATCH_INTERVAL_SECONDS = envint("DISPATCH_INTERVAL_SECONDS", 60, minimum=2)
DISPATCH_TICK_EXPIRES = max(DISPATCH_INTERVAL_SECONDS - 5, DISPATCH_INTERVAL_SECONDS * 0.8)
# How many dispatchers work through a backlog at once: the tick plus helpers on the worker's
# other pool processes. Set it to the worker's --concurrency (docker-compose.yml: 2).
DISPATCH_CONCURRENCY = envint("DISPATCH_CONCURRENCY", 1, minimum=1)
# A pending follow-up whose deadline passed more than this many days ago leaves "Due now" for
# the dashboard's collapsed "Missed" list: a thank-you a week late does more harm than good.
MISSED_GRACE_DAYS = envint("MISSED_GRACE_DAYS", 3, minimum=0)
CELERY_BEAT_SCHEDULE = {
    "dispatch-reminders": {
        "task": "followups.tasks.dispatch",
        "schedule": float(DISPATCH_INTERVAL_SECONDS),
        "options": {"expires": DISPATCH_TICK_EXPIRES},
    },
    # Watched job boards, once a day (each board at most once a day: watch.services).
    "check-job-boards": {
        "task": "watch.tasks.check_boards",
        "schedule": 24 * 60 * 60.0,
        "options": {"expires": 60 * 60},
    },
}
# Tests only: "host:port" addresses the board fetcher may reach over plain http on loopback.
# Never set in production (it is not read from the environment).
BOARD_FETCH_TEST_ALLOW: list[str] = []

# --- Capture from email (docs/CAPTURE.md) ----------------------------------------------
# Fernet keys for mailbox passwords, newest first; empty derives one from SECRET_KEY.
CAPTURE_ENCRYPTION_KEYS = envlist("CAPTURE_ENCRYPTION_KEYS", [])
# People type the mail server's name: only public addresses and IMAP ports, unless the
# operator runs a mail server on their own network.
CAPTURE_IMAP_ALLOW_PRIVATE = envbool("CAPTURE_IMAP_ALLOW_PRIVATE", False)
CAPTURE_IMAP_PORTS = [int(port) for port in envlist("CAPTURE_IMAP_PORTS", ["143", "993"])]
CAPTURE_IMAP_TIMEOUT = envint("CAPTURE_IMAP_TIMEOUT", 20, minimum=1)
# A CA bundle for a mail server with its own certificate authority (empty: the system's).
CAPTURE_IMAP_CAFILE = envstr("CAPTURE_IMAP_CAFILE", "")
CAPTURE_POLL_INTERVAL_SECONDS = envint("CAPTURE_POLL_INTERVAL_SECONDS", 300, minimum=30)
# The poll has its own queue and time limit, so a slow mail server never holds up dispatch.
CAPTURE_POLL_TIME_LIMIT = envint("CAPTURE_POLL_TIME_LIMIT", 120, minimum=10)
CELERY_TASK_ROUTES = {"capture.tasks.poll_mailboxes": {"queue": "capture"}}
CELERY_BEAT_SCHEDULE["poll-mailboxes"] = {
    "task": "capture.tasks.poll_mailboxes",
    "schedule": float(CAPTURE_POLL_INTERVAL_SECONDS),
    "options": {"expires": CAPTURE_POLL_INTERVAL_SECONDS - 10, "queue": "capture"},
}

# --- Caches ----------------------------------------------------------------------
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# How long the dashboard keeps a person's rendered cards (docs/ENGINE.md, "The card cache"):
# any change to their data shows at once (a new cards stamp); the clock moving on (a
# follow-up falling due) shows within this many seconds. 0 renders every visit afresh.
DASHBOARD_CACHE_SECONDS = envint("DASHBOARD_CACHE_SECONDS", 60, minimum=0)

# --- Security (production values come from the environment) ------------------------
SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", not DEBUG)
SESSION_COOKIE_SECURE = envbool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = envbool("CSRF_COOKIE_SECURE", not DEBUG)
SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = envbool("SECURE_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
SECURE_HSTS_PRELOAD = envbool("SECURE_HSTS_PRELOAD", not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Content-Security-Policy (django-csp): scripts, styles, images and fonts from this site only,
# nothing inline (htmx is told not to inject its indicator style: templates/base.html), no
# plugins, no framing, forms post only here.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        # Bootstrap draws its small icons (menu, close, checks) as data: SVGs.
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
if envbool("USE_X_FORWARDED_PROTO", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": envstr("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}
