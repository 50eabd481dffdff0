"""Settings for the county budgets site, read from the environment.

SQLite in the project folder unless DATABASE_URL names another database
(postgres://user:password@host:5432/name for the real deployment).
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF

BASE_DIR = Path(__file__).resolve().parent.parent


def _env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


DEBUG = _env_bool("DEBUG", False)
# Development, the tests and management commands may run on this public key; a server may not:
# config/wsgi.py refuses to start with it when DEBUG is off, and `check --deploy` flags it.
INSECURE_KEY = "django-insecure-public-development-key-set-SECRET_KEY-in-production"
SECRET_KEY = os.environ.get("SECRET_KEY") or INSECURE_KEY

ALLOWED_HOSTS = [h.strip() for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h]
CSRF_TRUSTED_ORIGINS = [o.strip() for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "django_filters",
    "django_tasks",
    "config.apps.BackgroundTasks",  # django_tasks_db, named in both languages
    "config.apps.SignInThrottling",  # axes, named in both languages
    "budgets",
    "ingest",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "config.middleware.RejectNulMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into its lockout page.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    # First, so a locked-out user+IP is refused before the password is even checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

ROOT_URLCONF = "config.urls"

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
            ],
        },
    },
]

WSGI_APPLICATION = "config.wsgi.application"

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
    )
}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# The indexes' INCLUDE columns save PostgreSQL a read of the row; SQLite, which has no such
# columns, indexes the key columns alone, which is what its queries use (budgets.models).
# Without this, `migrate` on SQLite (`make run`) warned of it for every such model.
SILENCED_SYSTEM_CHECKS = ["models.W040"]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
# Chart.js comes from the npm registry (package.json); collectstatic serves its dist/
# folder as static/chartjs/ so no copy of the library lives in the repository.
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("chartjs", BASE_DIR / "node_modules" / "chart.js" / "dist"),
    ("pdfjs", BASE_DIR / "node_modules" / "pdfjs-dist" / "build"),
    ("pdfjs-web", BASE_DIR / "node_modules" / "pdfjs-dist" / "web"),
    # The character maps of Chinese fonts a PDF names without embedding them (宋体 and the
    # like), and the standard 14 fonts: pdf.js fetches them while it draws such a page.
    ("pdfjs-cmaps", BASE_DIR / "node_modules" / "pdfjs-dist" / "cmaps"),
    ("pdfjs-fonts", BASE_DIR / "node_modules" / "pdfjs-dist" / "standard_fonts"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
MEDIA_URL = "media/"

# Uploaded disclosures are parsed in the background by `manage.py db_worker` (django-tasks
# with its database backend; docs/decisions.md), so a 40-page PDF never holds a web worker.
# `make run` and docker-compose start the worker; tests run tasks at once (ImmediateBackend).
TASKS = {
    "default": {
        "BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}
# The largest file (or zip) the admin upload takes, and the largest upload request (all its
# files together): both are enforced while the body streams in (ingest.upload_handlers), and a
# request from anyone but signed-in staff is refused before its body is read.
UPLOAD_MAX_BYTES = int(os.environ.get("UPLOAD_MAX_BYTES", 50 * 1024 * 1024))
UPLOAD_REQUEST_MAX_BYTES = int(os.environ.get("UPLOAD_REQUEST_MAX_BYTES", 200 * 1024 * 1024))
FILE_UPLOAD_HANDLERS = [
    "ingest.upload_handlers.LimitedUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
# Uploads above 2.5 MB go to a temporary file, not memory; the form fields beside the files (and
# any body that is not a file upload) may hold no more than this; more than this many files in
# one form is refused by Django before the view runs.
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_NUMBER_FILES = 200
# One parse runs in a child process stopped after PARSE_TIMEOUT_SECONDS and limited to
# PARSE_MEMORY_MB of address space (ingest.tasks). A document still "parsing" PARSE_STALE_SECONDS
# after that deadline lost its worker: it is queued once more, then marked failed (ingest.recovery).
PARSE_TIMEOUT_SECONDS = float(os.environ.get("PARSE_TIMEOUT_SECONDS", 120))
PARSE_MEMORY_MB = int(os.environ.get("PARSE_MEMORY_MB", 1024))
PARSE_STALE_SECONDS = float(os.environ.get("PARSE_STALE_SECONDS", 60))

# Bounds on one disclosure, checked by the readers and the parser before the work they guard
# (ingest/bounds.py; docs/decisions.md says why these numbers). A file beyond one is refused
# with a message that names the bound, never sent on to the database.
# The largest amount (in 万元) a figure may be: far above any county department's budget, and
# below the 10 integer digits DecimalField(max_digits=16, decimal_places=6) holds.
PARSE_MAX_AMOUNT = os.environ.get("PARSE_MAX_AMOUNT", "1000000000")
# A run of more digits is not a figure (an account number, garbage): it is read as text.
PARSE_MAX_DIGITS = int(os.environ.get("PARSE_MAX_DIGITS", 20))
PARSE_MAX_LINE_CHARS = int(os.environ.get("PARSE_MAX_LINE_CHARS", 20_000))
# A text file (web pages have the same 20 MB of their own): the largest disclosure is a few hundred KB.
PARSE_MAX_TEXT_BYTES = int(os.environ.get("PARSE_MAX_TEXT_BYTES", 20 * 1024 * 1024))
# Lines of text, table rows and paragraphs of one document (Word, Excel, PDF and web pages alike).
PARSE_MAX_ROWS = int(os.environ.get("PARSE_MAX_ROWS", 50_000))
PARSE_MAX_CELLS_PER_ROW = int(os.environ.get("PARSE_MAX_CELLS_PER_ROW", 500))
PARSE_MAX_PAGES = int(os.environ.get("PARSE_MAX_PAGES", 1_000))
# Rows × columns of one Excel sheet's used range, and merged ranges per sheet.
PARSE_MAX_SHEET_CELLS = int(os.environ.get("PARSE_MAX_SHEET_CELLS", 2_000_000))
PARSE_MAX_MERGED_RANGES = int(os.environ.get("PARSE_MAX_MERGED_RANGES", 20_000))
# What the zip inside a .docx/.xlsx, or a PDF's compressed streams, may inflate to, and how many
# parts an Office file's zip may hold.
PARSE_MAX_INFLATED_BYTES = int(os.environ.get("PARSE_MAX_INFLATED_BYTES", 256 * 1024 * 1024))
PARSE_MAX_OFFICE_PARTS = int(os.environ.get("PARSE_MAX_OFFICE_PARTS", 5_000))
# Text stored in an indexed column (a line item's name, an indicator's project): PostgreSQL's
# b-tree index row holds about 2,700 bytes, and a Chinese character takes 3.
PARSE_MAX_INDEXED_CHARS = int(os.environ.get("PARSE_MAX_INDEXED_CHARS", 500))

# Content-Security-Policy (django-csp): scripts, styles, fonts and images from our own static
# files only, no inline code; chart data sits in json_script blocks, which are not scripts.
# Chart PNG downloads are data: URLs, hence img-src data:.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# Admin sign-in throttling (django-axes): after AXES_FAILURE_LIMIT wrong passwords for one user
# name from one address, that pair is locked out for the cool-off time. AXES_ENABLED=0 turns it
# off (a test of many logins, say).
AXES_ENABLED = _env_bool("AXES_ENABLED", True)
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", 5))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("AXES_COOLOFF_MINUTES", 15)))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "admin/locked_out.html"

# HTTPS=1 for a deployment served over HTTPS (behind a proxy that sets X-Forwarded-Proto):
# redirect plain HTTP, tell browsers to stay on HTTPS (HSTS), send cookies only over HTTPS.
HTTPS = _env_bool("HTTPS", False)
if HTTPS:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = True
    SECURE_HSTS_SECONDS = int(os.environ.get("HSTS_SECONDS", 365 * 24 * 3600))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
