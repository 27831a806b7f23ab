"""The one settings module. Every deployment value comes from the environment.

Variables (defaults are for a developer's machine):
  DEBUG                 "1" to enable debug mode (default "0")
  SECRET_KEY            required when DEBUG is off
  ALLOWED_HOSTS         comma-separated host names (default "localhost,127.0.0.1")
  CSRF_TRUSTED_ORIGINS  comma-separated origins, e.g. "https://rkpk.example.go.id"
  DATABASE_URL          e.g. postgres://user:pass@host:5432/rkpk (default: SQLite file db.sqlite3)
  MEDIA_ROOT            where uploaded and generated files are stored (outside the web root)
  STATIC_ROOT           where `rkpk collectstatic` puts static files
  EMAIL_URL-like values: EMAIL_HOST, EMAIL_PORT, EMAIL_HOST_USER, EMAIL_HOST_PASSWORD,
                        EMAIL_USE_TLS, DEFAULT_FROM_EMAIL; EMAIL_BACKEND (console when DEBUG)
  SECURE_SSL_REDIRECT   "0" to switch off the HTTPS redirect (default on when DEBUG is off)
  TIME_ZONE             default Asia/Jakarta
  RKPK_OWN_ERROR_PAGES  "0" to see Django's technical error pages under DEBUG (default: the
                        application's own 404/403/400/500 pages, in the user's language)
  RKPK_AUDIT_KEY        the audit chain's HMAC key, required when DEBUG is off (32+ characters;
                        kept outside the database: see README, "Audit trail")
  RKPK_AUDIT_OLD_KEYS   comma-separated retired audit keys, still needed to verify old events
  RKPK_AUDIT_ANCHOR_DIR where the audit anchors are appended (default MEDIA_ROOT/audit-anchors)
  CACHE_DIR             the shared cache's folder on one host (default var/cache)
  REDIS_URL             e.g. redis://cache-host:6379/0: the shared cache (sessions, computed page
                        parts) in Redis instead of CACHE_DIR; needed when more than one host
                        serves the site
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = Path(os.environ.get("RKPK_HOME", Path.cwd()))


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)
# Under DEBUG, the application's error pages instead of Django's (rkpk.core.errors).
RKPK_OWN_ERROR_PAGES = env_bool("RKPK_OWN_ERROR_PAGES", True)
# Set by the test suite (conftest.py, Makefile): no secret key needed, plain HTTP, fast hashing.
TESTING = env_bool("RKPK_TESTING", False)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG and not TESTING:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "insecure-development-key-do-not-use-in-production"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    # Before django_tasks_db: its `db_worker` command is replaced by ours (rkpk.core.jobs).
    "rkpk.core",
    "django_tasks",
    "django_tasks_db",
    "template_partials",
    "csp",
    "axes",
    "rules.apps.AutodiscoverRulesConfig",
    "rkpk.organisation",
    "rkpk.procedure",
    "rkpk.plans",
    "rkpk.notifications",
    "rkpk.correspondence",
    "rkpk.analysis",
    "rkpk.meetings",
    "rkpk.ministry",
    "rkpk.dashboard",
    "rkpk.complaints",
    "rkpk.survey",
    "rkpk.site",
    "rkpk.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Serves static files, already compressed (by collectstatic), before anything below.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Compresses pages and JSON, outside everything that writes the body. Django >= 4.2 pads
    # each compressed response with random bytes against BREACH ("Heal the BREACH", Django 4.2
    # release notes, GZipMiddleware); the CSRF token is masked per response besides.
    "rkpk.site.middleware.TextGZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Indonesian unless the user chose English; the browser's language is not asked.
    "rkpk.core.language.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    # Inside the locale middleware (its messages are translated), outside everything that
    # may refuse a request: every answer under /api/v1/ is JSON.
    "rkpk.api.middleware.ApiJsonErrorsMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # The signed-in user's roles, acting roles and unread count: one query per request.
    "rkpk.site.middleware.SignedInBaseMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "rkpk.core.middleware.RequestContextMiddleware",
    # Inside authentication and CSP: the error pages it renders carry the site's layout.
    "rkpk.core.errors.OwnErrorPagesMiddleware",
    # Axes must come last: it turns a locked-out login into its lock-out response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "rkpk.urls"
WSGI_APPLICATION = "rkpk.wsgi.application"

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
                "rkpk.site.context_processors.navigation",
            ],
        },
    }
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{PROJECT_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL and a busy timeout let the web server and the worker share the file.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0

# The shared cache: sessions (read from it before the database) and computed page parts
# (rkpk.core.cache). Files under var/cache, shared by every worker process of the host;
# Redis when REDIS_URL is set, shared by several hosts (each host's own files would log users
# out and serve stale page parts across hosts); one process's memory under the tests.
REDIS_URL = os.environ.get("REDIS_URL", "")
if TESTING:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
elif REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": os.environ.get("CACHE_DIR", str(PROJECT_DIR / "var" / "cache")),
            "OPTIONS": {"MAX_ENTRIES": 20000},
        }
    }
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
# Computed page parts are kept between requests (rkpk.core.cache); off in the tests.
RKPK_PAGE_CACHE = env_bool("RKPK_PAGE_CACHE", not TESTING)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "organisation.User"

# Permissions are the apps' rules, answered by the rules backend alone: neither the axes
# backend (lock-out only) nor the account backend (password log-in) answers permissions.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "rkpk.organisation.backends.AccountBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

if TESTING:
    # Hashing cost is pointless in tests and makes fixtures with many users slow.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Lock-out after repeated failed log-ins (django-axes): per user name and address.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("AXES_COOLOFF_HOURS", "0.25"))  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False

# The default for everyone, whatever the browser asks (rkpk.core.language); English only
# by the user's choice.
LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Indonesian")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["rkpk.formats"]
TIME_ZONE = os.environ.get("TIME_ZONE", "Asia/Jakarta")
USE_I18N = True
USE_TZ = True
# Off so that years and ids print plainly ("2027"); amounts use the `number` and `rupiah`
# filters of rkpk.core.templatetags, which group thousands the Indonesian way.
USE_THOUSAND_SEPARATOR = False

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", PROJECT_DIR / "staticfiles"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or TESTING
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# Uploaded files live outside the web root and are served only through permission-checked views.
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", PROJECT_DIR / "media"))
# No URL route serves MEDIA_URL: files go out only through views that check permissions.
MEDIA_URL = "/media/"
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

# Background work: Django's tasks framework (backport) with the database-backed worker.
TASKS = {
    "default": {
        "BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}

EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "rkpk@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Security. Production runs behind a TLS-terminating reverse proxy.
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 8 * 60 * 60
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not TESTING)
    SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", not TESTING)
    CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", not TESTING)
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        # Style attributes (bar widths) only; no inline <style> or scripts.
        "style-src-attr": ["'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        "axes": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

# The demo organisation's accounts only work on a development machine (DEBUG on).
RKPK_DEMO_LOGIN_REQUIRES_DEBUG = True
# Working days before the submission deadline on which units are reminded (send_reminders).
RKPK_REMINDER_DAYS_BEFORE = int(os.environ.get("RKPK_REMINDER_DAYS_BEFORE", "3"))
# The satisfaction survey (SKM) stays open this many working days after the distribution.
RKPK_SURVEY_DAYS = int(os.environ.get("RKPK_SURVEY_DAYS", "10"))
# Complaints: working days from receipt to the delegation and to the answer (reminders after).
RKPK_COMPLAINT_DELEGATE_DAYS = int(os.environ.get("RKPK_COMPLAINT_DELEGATE_DAYS", "1"))
RKPK_COMPLAINT_ANSWER_DAYS = int(os.environ.get("RKPK_COMPLAINT_ANSWER_DAYS", "5"))
# The place printed above the signatures of documents ("Jakarta, 25 November 2026").
RKPK_DOCUMENT_PLACE = os.environ.get("RKPK_DOCUMENT_PLACE", "Jakarta")
# PAdES signing of issued documents (PEM files). Without them PDFs are issued unsigned
# (development); a certified e-signature service plugs in behind rkpk.correspondence.signing.
RKPK_SIGNING_CERT = os.environ.get("RKPK_SIGNING_CERT", "")
RKPK_SIGNING_KEY = os.environ.get("RKPK_SIGNING_KEY", "")
RKPK_SIGNING_KEY_PASSWORD = os.environ.get("RKPK_SIGNING_KEY_PASSWORD", "")
# The audit chain's HMAC key (rkpk.core.audit). It lives outside the database so that
# someone who can write to the database cannot recompute the chain; lose it and the events
# keyed with it can no longer be verified (README, "Audit trail").
RKPK_AUDIT_KEY = os.environ.get("RKPK_AUDIT_KEY", "")
if not RKPK_AUDIT_KEY:
    if not DEBUG and not TESTING:
        raise ImproperlyConfigured(
            "RKPK_AUDIT_KEY must be set when DEBUG is off: the audit trail is keyed with it. "
            'Generate one with: python -c "import secrets; print(secrets.token_urlsafe(48))" '
            "and keep a copy outside this server (README, 'Audit trail')."
        )
    RKPK_AUDIT_KEY = "insecure-development-audit-key-do-not-use-in-production"
elif len(RKPK_AUDIT_KEY) < 32 and not DEBUG and not TESTING:
    raise ImproperlyConfigured("RKPK_AUDIT_KEY must be at least 32 characters long.")
# Retired keys, after a rotation: events keyed with them are still verified.
RKPK_AUDIT_OLD_KEYS = env_list("RKPK_AUDIT_OLD_KEYS", "")
RKPK_AUDIT_ANCHOR_DIR = os.environ.get("RKPK_AUDIT_ANCHOR_DIR", "")
# Absolute address of the site, for links in e-mails.
RKPK_BASE_URL = os.environ.get("RKPK_BASE_URL", "http://127.0.0.1:8000")
