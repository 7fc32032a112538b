"""Settings for Factcheck Workbench, read from the environment.

One file for every environment: development defaults are safe only while DEBUG is on, and a
missing or malformed production value fails loudly at start-up instead of at the first request.
"""

import hashlib
import math
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"


def env_bool(name, default=False):
    value = os.environ.get(name, "")
    if value not in ("", "0", "1"):
        raise ImproperlyConfigured(f"{name} must be 0 or 1, not {value!r}")
    return value == "1" if value else default


def env_number(name, default, *, minimum=0, kind=int):
    """The number in environment variable `name` (`default` when unset or empty), at least
    `minimum`; anything else stops start-up with one line naming the variable and its value."""
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    what = "a whole number" if kind is int else "a number"
    try:
        number = kind(value)
    except ValueError:
        number = None
    if number is None or not math.isfinite(number) or number < minimum:
        raise ImproperlyConfigured(f"{name} must be {what} of at least {minimum}, not {value!r}")
    return number


def env_choice(name, default, choices):
    """The value of `name`, one of `choices` (`default` when unset or empty); anything else
    stops start-up with one line naming the variable, its value and the choices."""
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    if value not in choices:
        allowed = " or ".join(repr(choice) for choice in choices)
        raise ImproperlyConfigured(f"{name} must be {allowed}, not {value!r}")
    return value


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", default=False)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off (set DEBUG=1 for dev)")
    SECRET_KEY = "dev-only-insecure-key-never-use-in-production-0123456789abcdef"  # noqa: S105

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "django_tasks_db",
    "rest_framework",
    "drf_spectacular",
    # A second factor: time-based codes from a phone app, and single-use recovery codes.
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "claims",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "factcheck.middleware.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    # Before the CSRF middleware, which reads the body (see claims/middleware.py).
    "claims.middleware.OversizedPostMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # user.is_verified(): whether this session passed the second factor.
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "claims.middleware.HtmxMessagesMiddleware",
    # A session that gave the password but not yet the code reaches only the code page. Last,
    # so that what it answers (or a database error loading the session) passes back through
    # the security headers above.
    "claims.middleware.SecondFactorPendingMiddleware",
]

ROOT_URLCONF = "factcheck.urls"
WSGI_APPLICATION = "factcheck.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "claims.context_processors.navigation",
            ],
            # {% jinja_include %}: the includes Django pages share with the Jinja2 ones.
            "builtins": ["claims.templatetags.jinja_includes"],
        },
    },
    # The claim page's body and the includes every page shares (factcheck/jinja2.py).
    {
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "NAME": "jinja2",
        "DIRS": [BASE_DIR / "templates" / "jinja2"],
        "APP_DIRS": False,
        "OPTIONS": {"environment": "factcheck.jinja2.environment"},
    },
]
# Widgets through Jinja2's copies of Django's widget templates (factcheck/form_rendering.py).
FORM_RENDERER = "factcheck.form_rendering.WidgetRenderer"

# SQLite under var/ unless DATABASE_URL names another database. PostgreSQL goes through
# psycopg 3's connection pool, which replaces persistent connections (CONN_MAX_AGE must be 0).
DATABASE_URL = os.environ.get("DATABASE_URL", "")  # empty means unset
DATABASES = {
    "default": dj_database_url.parse(DATABASE_URL or f"sqlite:///{VAR_DIR / 'factcheck.sqlite3'}")
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Browser tests hit the live server from several threads at once; an in-memory test
    # database would make them share one SQLite connection, which SQLite forbids.
    VAR_DIR.mkdir(exist_ok=True)
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test-factcheck.sqlite3")}
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            # Write-ahead log: readers (a slow client downloading an export) no longer block
            # writers, nor writers readers; NORMAL sync is durable in WAL mode except for the
            # last transactions before a power cut, never corrupting.
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            # A write transaction takes the write lock when it begins. Begun DEFERRED, two
            # transactions that both read and then write fail at once with "database is
            # locked" (SQLite cannot wait for a lock upgrade); IMMEDIATE ones wait their turn.
            "transaction_mode": "IMMEDIATE",
            # Seconds a write waits for the lock before "database is locked": longer than any
            # write transaction here takes, shorter than a client waits for a page.
            "timeout": env_number("SQLITE_BUSY_TIMEOUT", 20.0, kind=float),
        }
    )
# The claim page's hand-written reads (claims/rows.py) are prepared once per connection on
# PostgreSQL. 0 for a transaction-pooling PgBouncer older than 1.21, which cannot keep them.
PREPARED_STATEMENTS = env_bool("PREPARED_STATEMENTS", default=True)
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
        "min_size": 1,
        "max_size": 8,
        # Fail a request after a few seconds without a connection (a clean 503, see
        # factcheck/views.py) instead of psycopg's 30; and retry a lost server on a short
        # cycle so the pool is back within seconds of PostgreSQL (its back-off otherwise
        # grows towards minutes).
        "timeout": env_number("DATABASE_POOL_TIMEOUT", 5.0, kind=float),
        "reconnect_timeout": 5.0,
    }
    DATABASES["default"]["OPTIONS"].setdefault("connect_timeout", 5)
    if PREPARED_STATEMENTS:
        # Prepare on first use what a cursor binding values on the server runs: only the
        # hand-written reads use one (claims/rows.py). Django's own cursors bind on the
        # client and are never prepared; Django turns preparing off (None) by default.
        DATABASES["default"]["OPTIONS"].setdefault("prepare_threshold", 0)
    # With a pool this makes psycopg test each connection as it leaves the pool (one empty
    # round trip), so connections broken by a database restart are replaced, never used.
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Behind a reverse proxy, the META key of the header it sets to the client's address (e.g.
# HTTP_X_REAL_IP), for log-in throttling per address (claims/access/throttling.py).
CLIENT_ADDRESS_HEADER = os.environ.get("CLIENT_ADDRESS_HEADER", "")
LOGIN_URL = "login"
# How long a rendered page may be reused while the database shows no change
# (claims/listing/page_cache.py); 0 renders every request afresh. Writes cannot leave a kept
# page stale (it is kept under the data version), but time can: a capture whose worker died
# shows as interrupted once JOB_STALE_AFTER has passed, with no write, and a kept page shows
# it up to this much later.
PAGE_CACHE_SECONDS = env_number("PAGE_CACHE_SECONDS", 60)
# Kept pages and counts are files under CACHE_DIR, shared by every server process on the
# machine: a reload that lands on another gunicorn worker reuses the page the first one drew,
# where a per-process cache made each of the workers draw it once more. The directory is
# readable by the server's user only (Django makes it 0700 and each file 0600); deleting an
# investigation empties it. CACHE=memory keeps them in each process's memory instead.
CACHE = env_choice("CACHE", "files", ("files", "memory"))
CACHE_DIR = Path(os.environ.get("CACHE_DIR") or VAR_DIR / "cache")
if CACHE == "files":
    CACHES = {
        "default": {
            "BACKEND": "factcheck.file_cache.FileCache",
            "LOCATION": CACHE_DIR,
            # Keys name the database and the secret key, so that two servers on one checkout
            # (the SQLite demo and a PostgreSQL deployment) never take each other's pages:
            # data versions (claims/listing/data_version.py) count per database, and a kept
            # page's CSRF placeholder is derived from the secret key.
            "KEY_PREFIX": hashlib.sha256(
                repr(
                    [DATABASES["default"].get(part) for part in ("ENGINE", "NAME", "HOST", "PORT")]
                    + [SECRET_KEY]
                ).encode()
            ).hexdigest()[:16],
            # Each new entry past this many removes a third of them (Django culls at random).
            "OPTIONS": {"MAX_ENTRIES": env_number("CACHE_MAX_ENTRIES", 5000, minimum=100)},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
LOGIN_REDIRECT_URL = "claims:investigation-list"
LOGOUT_REDIRECT_URL = "login"
# Who may create an investigation from the home page: "everyone" logged in, or "staff" only
# (an installation run by one organisation that opens investigations for its teams).
INVESTIGATION_CREATION = env_choice("INVESTIGATION_CREATION", "everyone", ("everyone", "staff"))
# How long an emailed invitation to an investigation stays valid.
INVITE_MAX_AGE_DAYS = env_number("INVITE_MAX_AGE_DAYS", 7, minimum=1)
# The workbench's own address, for links in email the task worker sends (notifications),
# where no request tells it.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")
# Invitations and password resets leave by email (Django's MAILERS). Development prints them
# on the console; production sends through SMTP unless EMAIL_BACKEND names another backend.
# Tests get locmem from Django's test set-up.
if os.environ.get("EMAIL_BACKEND") or not DEBUG:
    _smtp = "django.core.mail.backends.smtp.EmailBackend"
    _mail_backend = os.environ.get("EMAIL_BACKEND") or _smtp
    _mail_options = {}
    if _mail_backend == _smtp:
        _mail_options = {
            "host": os.environ.get("EMAIL_HOST", "localhost"),
            "port": env_number("EMAIL_PORT", 25, minimum=1),
            "username": os.environ.get("EMAIL_HOST_USER", ""),
            "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
            "use_tls": env_bool("EMAIL_USE_TLS", default=False),
        }
    MAILERS = {"default": {"BACKEND": _mail_backend, "OPTIONS": _mail_options}}
else:
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "factcheck@localhost")

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = VAR_DIR / "staticfiles"
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Hashed names let browsers cache static files forever; in DEBUG the plain storage
    # spares developers a collectstatic after every CSS change.
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# Content Security Policy: everything from our own origin, no inline script or style.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
    "base-uri": [CSP.NONE],
    "object-src": [CSP.NONE],
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
# Database sessions, loaded in one query with the data version kept pages are keyed on.
SESSION_ENGINE = "claims.listing.sessions"
# Pages carry the CSRF token themselves (hx-headers on <body>); no script reads the cookie.
CSRF_COOKIE_HTTPONLY = True
# Browser features the workbench never uses, refused to every origin (factcheck/middleware.py).
PERMISSIONS_POLICY: dict[str, list[str]] = {
    feature: []
    for feature in [
        "accelerometer",
        "camera",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "payment",
        "usb",
    ]
}

# Production transport security, on unless DEBUG (a proxy terminating TLS sets the header).
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_number("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

# Source texts are pasted into a form; the default 2.5 MB request cap would cut long reports.
# The paste form posts multipart, so a text travels as its UTF-8 bytes: 12 MB carry about 12
# million characters of English, 6 million of Cyrillic. A larger post gets the form back with
# a message (claims.middleware.OversizedPostMiddleware), never a bare 400.
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024
SOURCE_TEXT_MAX_CHARS = 10_000_000
# Texts up to this many characters are extracted inside the request (well under a second);
# longer ones go to the task worker and the reader shows progress.
EXTRACTION_INLINE_MAX_CHARS = env_number("EXTRACTION_INLINE_MAX_CHARS", 100_000)

# A background job (capture, extraction of a long source, PDF or bundle) pending or running
# this many seconds, with no live task in the queue, has lost its worker and counts as
# interrupted (claims/jobs.py). It must exceed the longest job: captures stop after
# CAPTURE_TOTAL_TIMEOUT, a 10-million-character source is read in well under a minute
# (benchmarks/results/extraction.json), and a PDF takes about 0.055 s per claim and 0.01 s per
# citation (claims/reporting/report_files.py): 30 minutes covers 20,000 claims with three
# citations each.
# CAPTURE_STALE_AFTER is its former name, still read.
JOB_STALE_AFTER = env_number(
    "JOB_STALE_AFTER", env_number("CAPTURE_STALE_AFTER", 30.0 * 60, kind=float), kind=float
)
# PDF and bundle whose estimated build time (claims/reporting/report_files.py) exceeds this
# many seconds are built by the task worker instead of inside the request: well under
# gunicorn's 30 s timeout, leaving room for a slower or busier machine than the one measured.
REPORT_INLINE_SECONDS = env_number("REPORT_INLINE_SECONDS", 8.0, kind=float)
# Report files one person may have waiting or being built at once.
REPORT_FILES_PER_USER = env_number("REPORT_FILES_PER_USER", 3, minimum=1)

# Background work (evidence capture) goes through Django's tasks framework. The database
# backend keeps the queue in the project's own database; `manage.py db_worker` runs it
# (`make run` starts one beside the development server). Tests switch to the immediate backend.
TASKS = {
    "default": {
        "BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}

# Evidence capture (claims/evidence/archiving.py). The guard refuses every address that is not
# globally routable, loopback included; only the tests let their local page server through.
CAPTURE_CONNECT_TIMEOUT = env_number("CAPTURE_CONNECT_TIMEOUT", 5.0, kind=float)
CAPTURE_READ_TIMEOUT = env_number("CAPTURE_READ_TIMEOUT", 15.0, kind=float)
CAPTURE_TOTAL_TIMEOUT = env_number("CAPTURE_TOTAL_TIMEOUT", 60.0, kind=float)
CAPTURE_MAX_BYTES = env_number("CAPTURE_MAX_BYTES", 15 * 1024 * 1024, minimum=1)
CAPTURE_MAX_REDIRECTS = 5
# Uploaded source files (claims/sources/importing.py); a .docx may unpack to at most this
# many bytes.
SOURCE_UPLOAD_MAX_BYTES = env_number("SOURCE_UPLOAD_MAX_BYTES", 15 * 1024 * 1024, minimum=1)
SOURCE_UNPACKED_MAX_BYTES = 100 * 1024 * 1024
# Files cited as evidence (claims/evidence/files.py): PDFs, recordings and videos up to
# EVIDENCE_MAX_BYTES, pictures up to EVIDENCE_IMAGE_MAX_BYTES (each is decoded whole in memory
# to make its thumbnail and clean copy), and no picture over EVIDENCE_MAX_PIXELS, checked from
# its header before any pixel is decoded (decompression bombs).
EVIDENCE_MAX_BYTES = env_number("EVIDENCE_MAX_BYTES", 200 * 1024 * 1024, minimum=1)
EVIDENCE_IMAGE_MAX_BYTES = env_number("EVIDENCE_IMAGE_MAX_BYTES", 30 * 1024 * 1024, minimum=1)
EVIDENCE_MAX_PIXELS = env_number("EVIDENCE_MAX_PIXELS", 50_000_000, minimum=1)
# Scans and photos are read by Tesseract in the task worker (claims/sources/recognition.py),
# about 1-3 s a page on one core: OCR_MAX_PAGES keeps a scan well inside JOB_STALE_AFTER.
# OCR_LANGUAGES are Tesseract's language packs ("eng+rus+kaz": Debian's tesseract-ocr-eng,
# -rus and -kaz); a pack the machine lacks is left out (recognition.languages()). Words read
# with a confidence under OCR_DOUBTFUL_BELOW (0-100) are marked in the reader. OCR_MAX_PIXELS
# refuses decompression bombs before anything is stored.
OCR_LANGUAGES = os.environ.get("OCR_LANGUAGES", "eng+rus+kaz")
OCR_MAX_PAGES = env_number("OCR_MAX_PAGES", 50, minimum=1)
OCR_MAX_PIXELS = env_number("OCR_MAX_PIXELS", 60_000_000, minimum=1)
OCR_DOUBTFUL_BELOW = env_number("OCR_DOUBTFUL_BELOW", 60, minimum=0)
# Zips from outside (import_investigation, verify_report) are read a chunk at a time within
# these bounds (claims/sources/unpacking.py): entries, bytes one entry may inflate to, bytes in all.
# Only the investigation data or a report is held in memory, so one entry's limit is also
# about the largest of those; attached files and archived pages are streamed.
ZIP_MAX_ENTRIES = env_number("ZIP_MAX_ENTRIES", 200_000, minimum=1)
ZIP_MAX_ENTRY_BYTES = env_number("ZIP_MAX_ENTRY_BYTES", 512 * 1024 * 1024, minimum=1)
ZIP_MAX_TOTAL_BYTES = env_number("ZIP_MAX_TOTAL_BYTES", 4 * 1024 * 1024 * 1024, minimum=1)

# The REST API under /api/v1/ (claims/api/): personal tokens only (no session, so no CSRF),
# JSON in and out, cursor pages, a request budget per token.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["claims.api.authentication.BearerTokenAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": [
        "rest_framework.permissions.IsAuthenticated",
        "claims.api.authentication.WritesNeedReadWriteToken",
    ],
    "DEFAULT_THROTTLE_CLASSES": ["claims.api.throttling.TokenRateThrottle"],
    # No browsable API: its pages use inline scripts (refused by our CSP) and session log-in.
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    # JSON bodies; adding a source also takes a file (multipart), see claims/api/views.py.
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Factcheck Workbench API",
    "DESCRIPTION": "Investigations, sources, claims, evidence, verdicts, comments and reports. "
    "Send a personal token as `Authorization: Bearer <token>`.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
}
# Requests one token may make (DRF's rate syntax: number/second|minute|hour|day). Counted in
# the default cache, so per process unless a shared cache is configured.
API_THROTTLE_RATE = os.environ.get("API_THROTTLE_RATE", "600/minute")

LOG_LEVEL = os.environ.get("LOG_LEVEL", "WARNING")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # A 403 is logged as one line with its reason, without the traceback of a crash.
    "filters": {
        "one_line_forbidden": {"()": "factcheck.logfilters.OneLineForbidden"},
        "require_debug_false": {"()": "django.utils.log.RequireDebugFalse"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler"},
        "mail_admins": {
            "class": "django.utils.log.AdminEmailHandler",
            "level": "ERROR",
            "filters": ["require_debug_false"],
        },
    },
    "loggers": {
        # Django's default gives "django" a console handler of its own as well, so every line
        # it logs was printed twice in development. Here it reaches the root handler only, and
        # keeps Django's mail to ADMINS on errors in production.
        "django": {"handlers": ["mail_admins"], "level": "INFO" if DEBUG else LOG_LEVEL},
        "django.request": {"filters": ["one_line_forbidden"]},
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
}

# The issuer a phone app shows beside the account's one-time codes.
OTP_TOTP_ISSUER = os.environ.get("OTP_TOTP_ISSUER", "Factcheck Workbench")
