"""Shagym settings. Every knob is an environment variable with a safe default; junk raises ImproperlyConfigured."""

from __future__ import annotations

import datetime as dt
import importlib.util
import ipaddress
import os
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def envbool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false), not {value!r}")


def envint(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be an integer, not {value!r}") from exc


def envlist(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


DEBUG = envbool("SHAGYM_DEBUG", False)
SECRET_KEY = os.environ.get("SHAGYM_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("Set SHAGYM_SECRET_KEY (or SHAGYM_DEBUG=1 for development).")
    SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production"  # nosec B105 # debug only; production refuses it
ALLOWED_HOSTS = envlist("SHAGYM_ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = envlist("SHAGYM_CSRF_TRUSTED_ORIGINS", [])
SITE_URL = os.environ.get("SHAGYM_SITE_URL", "http://127.0.0.1:8000")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "template_partials",
    "ninja",  # the API docs page from our own static files (Swagger UI), not a CDN
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "shagym.accounts",
    "shagym.directory",
    "shagym.complaints",
    "shagym.signatures",
    "shagym.notify",
    "shagym.reports",
    "shagym.documents",
    "shagym.webhooks",
    "shagym.dossier",
    "shagym.security",
    "shagym.api",
    "shagym.portal",
    "shagym.backoffice",
    "shagym.web",
    # After our apps, so shagym/portal/templates/account/ overrides allauth's templates.
    "allauth",
    "allauth.account",
    "allauth.socialaccount",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # The security headers (CSP with its nonce, Permissions-Policy) on every answer, the error pages included.
    "csp.middleware.CSPMiddleware",
    "shagym.security.middleware.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # Before anything reads the body (CSRF reads the form): refuse an over-limit request by its Content-Length.
    "shagym.security.middleware.BodyLimitMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Staff: the second factor before any page, and the session's end after inactivity (shagym.security.twofactor
    # keeps both in the session: no query).
    "shagym.security.middleware.StaffSessionMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # Last, as django-axes requires: it turns a locked-out sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    # First: every sign-in (portal, back office, Django admin) is checked against the one lockout before a password.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]

ROOT_URLCONF = "shagym.urls"
WSGI_APPLICATION = "shagym.wsgi.application"
AUTH_USER_MODEL = "accounts.User"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "shagym.portal.context_processors.portal",
            ],
        },
    },
]

# SQLite is the zero-setup default; DATABASE_URL selects PostgreSQL in production.
_default_sqlite = BASE_DIR / "var" / "shagym.sqlite3"
DATABASES = {
    # Production keeps a process's connection for a minute (checked before reuse): opening one per request costs a
    # PostgreSQL backend start, more than most of our pages take. Behind PgBouncer the same holds.
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{_default_sqlite}"),
        conn_max_age=envint("SHAGYM_DB_CONN_MAX_AGE", 0 if DEBUG else 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # IMMEDIATE takes the write lock at BEGIN, so two writers queue instead of failing with "database is locked"
    # halfway through a transaction; the timeout is how long they queue.
    DATABASES["default"]["OPTIONS"] = {"transaction_mode": "IMMEDIATE", "timeout": 20}
    # The test database is a file, not memory: in a shared in-memory database a second writer is refused at once
    # ("table is locked") instead of waiting its turn, so concurrency tests could not race as production does.
    DATABASES["default"]["TEST"] = {"NAME": str(BASE_DIR / "var" / "test.sqlite3")}
# Behind PgBouncer in transaction pooling (deploy/pgbouncer), a connection to the server is ours only for one
# transaction: a cursor held open across transactions (Django's .iterator() outside a transaction makes a WITH HOLD
# cursor) would land on another client's connection, so Django must fetch in chunks instead. Prepared statements have
# the same problem; Django's psycopg 3 backend does not make any (prepare_threshold is None) unless
# OPTIONS["prepare_threshold"] is set, which this setting refuses. The session's time zone is the one SET Django may
# send; PgBouncer replays it on every server connection it hands us (it tracks TimeZone), and none is sent when the
# role's default is UTC (ALTER ROLE shagym SET timezone TO 'UTC', as deploy/README says).
SHAGYM_DB_PGBOUNCER = envbool("SHAGYM_DB_PGBOUNCER", False)
if SHAGYM_DB_PGBOUNCER:
    if DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        raise ImproperlyConfigured("SHAGYM_DB_PGBOUNCER=1 needs DATABASE_URL to point at PostgreSQL (through PgBouncer).")
    if DATABASES["default"].get("OPTIONS", {}).get("prepare_threshold") is not None:
        raise ImproperlyConfigured("SHAGYM_DB_PGBOUNCER=1: prepared statements do not survive transaction pooling.")
    DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = True
# A read replica for the reports (shagym.reports: the fact rows and monthly tallies read by the dashboards, the ranking,
# the exports and the open data). Everything else, and every read inside a transaction, stays on the primary
# (shagym.dbrouter). Off unless set; the tests use it as a mirror of the primary.
DATABASE_REPLICA_URL = os.environ.get("DATABASE_REPLICA_URL", "")
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = dj_database_url.parse(
        DATABASE_REPLICA_URL,
        conn_max_age=DATABASES["default"]["CONN_MAX_AGE"],
        conn_health_checks=True,
    )
    if DATABASES["replica"]["ENGINE"] != DATABASES["default"]["ENGINE"]:
        raise ImproperlyConfigured("DATABASE_REPLICA_URL must be the same kind of database as DATABASE_URL.")
    if SHAGYM_DB_PGBOUNCER:
        DATABASES["replica"]["DISABLE_SERVER_SIDE_CURSORS"] = True
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["shagym.dbrouter.ReportsReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Kazakh is the first language; Russian second; English for international staff.
LANGUAGE_CODE = "kk"
LANGUAGES = [("kk", _("Kazakh")), ("ru", _("Russian")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "shagym" / "locale"]
TIME_ZONE = "Asia/Almaty"  # RULES §19: the whole country uses UTC+5 since 1 March 2024.
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
# collectstatic writes here; in production nginx serves /static/ from this folder (deploy/nginx/shagym.conf).
STATIC_ROOT = Path(os.environ.get("SHAGYM_STATIC_ROOT", BASE_DIR / "var" / "static"))
STORAGES: dict[str, dict[str, Any]] = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": os.environ.get(
            "SHAGYM_STATICFILES_STORAGE", "whitenoise.storage.CompressedManifestStaticFilesStorage"
        ),
        # The static files are public and nginx serves them as its own user: readable by everyone, unlike uploads
        # (FILE_UPLOAD_PERMISSIONS below, which collectstatic would otherwise apply to them too).
        "OPTIONS": {"file_permissions_mode": 0o644, "directory_permissions_mode": 0o755},
    },
}
if DEBUG:
    STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"
MEDIA_ROOT = Path(os.environ.get("SHAGYM_MEDIA_ROOT", BASE_DIR / "var" / "media"))
# Media: the attachments, the letters the worker prints, the API's uploads and the complaint form's drafts. With several
# application servers they must be on one store every server reaches: a shared folder (`file`, SHAGYM_MEDIA_ROOT on
# NFS or the like) or an S3-compatible bucket (`s3`, through django-storages). Either way nothing is served from it
# directly: every file goes out through a view that asks the access door (shagym.complaints.access), so the bucket
# stays private (no ACL on the objects, no public links).
SHAGYM_MEDIA_STORAGE = os.environ.get("SHAGYM_MEDIA_STORAGE", "file")
if SHAGYM_MEDIA_STORAGE not in {"file", "s3"}:
    raise ImproperlyConfigured(f"SHAGYM_MEDIA_STORAGE must be 'file' or 's3', not {SHAGYM_MEDIA_STORAGE!r}")
if SHAGYM_MEDIA_STORAGE == "s3":
    if not (importlib.util.find_spec("storages") and importlib.util.find_spec("boto3")):
        raise ImproperlyConfigured("SHAGYM_MEDIA_STORAGE=s3 needs django-storages and boto3: install requirements-s3.lock.")
    _bucket = os.environ.get("SHAGYM_S3_BUCKET", "")
    if not _bucket:
        raise ImproperlyConfigured("SHAGYM_MEDIA_STORAGE=s3: set SHAGYM_S3_BUCKET.")
    _addressing = os.environ.get("SHAGYM_S3_ADDRESSING_STYLE", "") or None
    if _addressing not in {None, "auto", "path", "virtual"}:
        raise ImproperlyConfigured(
            f"SHAGYM_S3_ADDRESSING_STYLE must be 'auto', 'path' or 'virtual', not {_addressing!r}")
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": _bucket,
            # An S3-compatible store (MinIO, Ceph, a provider in Kazakhstan: personal data stays in the country, Law
            # "On personal data and its protection" Art. 12(2)); empty for AWS itself.
            "endpoint_url": os.environ.get("SHAGYM_S3_ENDPOINT_URL", "") or None,
            "region_name": os.environ.get("SHAGYM_S3_REGION", "") or None,
            # Empty: boto3's own chain (AWS_ACCESS_KEY_ID..., an instance role).
            "access_key": os.environ.get("SHAGYM_S3_ACCESS_KEY_ID", "") or None,
            "secret_key": os.environ.get("SHAGYM_S3_SECRET_ACCESS_KEY", "") or None,
            "location": os.environ.get("SHAGYM_S3_PREFIX", "").strip("/"),
            "addressing_style": _addressing,
            "signature_version": "s3v4",
            # Private objects; a link, if one were ever made, expires in five minutes.
            "default_acl": None,
            "querystring_auth": True,
            "querystring_expire": 300,
            # A name already taken gets a suffix, as on a disk: a file is never replaced under a record that points
            # at it.
            "file_overwrite": False,
        },
    }

# The cache holds the rate-limit counters, the calendar's version, the navigation counts and (with Redis) the
# sessions. In production it must be shared by every process: Redis (SHAGYM_CACHE=redis, SHAGYM_REDIS_URL; no
# database round trip) or the database (run `manage.py createcachetable` once); in development, in memory.
_cache = os.environ.get("SHAGYM_CACHE", "memory" if DEBUG else "database")
if _cache not in {"memory", "database", "redis"}:
    raise ImproperlyConfigured(f"SHAGYM_CACHE must be 'memory', 'database' or 'redis', not {_cache!r}")
SHAGYM_REDIS_URL = os.environ.get("SHAGYM_REDIS_URL", "redis://127.0.0.1:6379/0")
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    if _cache == "memory"
    else {"BACKEND": "shagym.redis_cache.SharedClientRedisCache", "LOCATION": SHAGYM_REDIS_URL}
    if _cache == "redis"
    else {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "shagym_cache"}
}
# Sessions hold the signed-in user and the complaint form's answers (personal data: never in a cookie). With Redis
# they are read from it (no database round trip) and written through to the database, so a restart of Redis or of
# an application server loses none.
SESSION_ENGINE = (
    "django.contrib.sessions.backends.cached_db" if _cache == "redis" else "django.contrib.sessions.backends.db"
)

# Background work: Django's Tasks API with the database backend, so nothing but the database is needed.
TASKS = {"default": {"BACKEND": os.environ.get("SHAGYM_TASKS_BACKEND", "django_tasks_db.DatabaseBackend")}}
# The events' outbox (shagym.complaints.events): each event's publication is a task row committed with the event, and
# the worker hands it to the subscribers (notices, documents, webhooks, reports): one commit per action, nothing lost
# in a crash. Off in development (the process that acted publishes after commit, so a page shows the talon and the
# notices at once even without a worker). It needs the database task backend.
SHAGYM_EVENTS_OUTBOX = envbool("SHAGYM_EVENTS_OUTBOX", not DEBUG)
if SHAGYM_EVENTS_OUTBOX and TASKS["default"]["BACKEND"] != "django_tasks_db.DatabaseBackend":
    raise ImproperlyConfigured("SHAGYM_EVENTS_OUTBOX needs SHAGYM_TASKS_BACKEND=django_tasks_db.DatabaseBackend")

# In development every e-mail (sign-up, password reset, notices) lands readable in one folder, var/mail/.
EMAIL_BACKEND = os.environ.get(
    "SHAGYM_EMAIL_BACKEND",
    "shagym.notify.mailbox.ReadableFileBackend" if DEBUG else "django.core.mail.backends.console.EmailBackend",
)
SHAGYM_MAIL_DIR = Path(os.environ.get("SHAGYM_MAIL_DIR", BASE_DIR / "var" / "mail"))
DEFAULT_FROM_EMAIL = os.environ.get("SHAGYM_FROM_EMAIL", "shagym@localhost")

SESSION_COOKIE_SECURE = envbool("SHAGYM_SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

# Behind a reverse proxy (deploy/nginx/shagym.conf): the addresses of the proxies in front of the application, IPs or
# networks, comma-separated. Only a request that comes from one of them may say who the client is (X-Forwarded-For)
# and that it came over HTTPS (X-Forwarded-Proto); from anyone else both headers are dropped before any view reads
# them (shagym.proxy). The client's address counts the wrong access codes of the status check, the API's requests
# per address and allauth's sign-in attempts. Empty: the application faces the clients itself.
SHAGYM_TRUSTED_PROXIES = envlist("SHAGYM_TRUSTED_PROXIES", [])
for _proxy in SHAGYM_TRUSTED_PROXIES:
    try:
        ipaddress.ip_network(_proxy, strict=False)
    except ValueError as exc:
        raise ImproperlyConfigured(f"SHAGYM_TRUSTED_PROXIES: {_proxy!r} is not an IP address or network") from exc
if SHAGYM_TRUSTED_PROXIES:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# First, so that nothing reads the headers before they are checked.
MIDDLEWARE.insert(0, "shagym.proxy.ProxyHeadersMiddleware")

# ---- Security (shagym.security): issue 13. README, section "Security". ----

# HTTPS in production: every http:// request is redirected, browsers are told to come back only by https (HSTS),
# and cookies travel only over TLS. Behind a reverse proxy that ends TLS, list it in SHAGYM_TRUSTED_PROXIES (above)
# and make it set X-Forwarded-Proto, or every request looks like http and is redirected.
SECURE_SSL_REDIRECT = envbool("SHAGYM_SSL_REDIRECT", not DEBUG)
SECURE_HSTS_SECONDS = envint("SHAGYM_HSTS_SECONDS", 0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = envbool("SHAGYM_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = envbool("SHAGYM_HSTS_PRELOAD", True)
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
# The browser features no page of ours uses are switched off for every page (shagym.security.middleware).
SHAGYM_PERMISSIONS_POLICY = (
    "accelerometer=(), autoplay=(), camera=(), display-capture=(), encrypted-media=(), fullscreen=(self), "
    "geolocation=(), gyroscope=(), magnetometer=(), microphone=(), midi=(), payment=(), usb=(), "
    "interest-cohort=(), browsing-topics=()"
)

# Content-Security-Policy (django-csp): only our own scripts, styles, images and fonts; an inline script or style
# runs only with the page's nonce; no plugin, no framing, forms post only to us (and to the eGov sign-in if on).
_csp_form_action = ["'self'"]
if os.environ.get("SHAGYM_EGOV_OIDC_SERVER_URL"):
    _egov = urlsplit(os.environ["SHAGYM_EGOV_OIDC_SERVER_URL"])
    _csp_form_action.append(f"{_egov.scheme}://{_egov.netloc}")
from csp.constants import NONCE  # noqa: E402

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'", NONCE],
        "style-src": ["'self'", NONCE],
        # data: for the images Swagger UI (the API docs) draws from its own stylesheet
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "frame-ancestors": ["'none'"],
        "form-action": _csp_form_action,
    },
}

# Request bodies. A request whose Content-Length is over the limit is refused with 413 and a translated page before
# a byte of it is read (shagym.security.middleware.BodyLimitMiddleware; the API answers a problem of its own). A
# form with files may carry the attachments allowed at once, each at its limit, and 1 MB for the rest; any other
# request SHAGYM_MAX_BODY_KB. Django's own limits hold behind it: form fields in memory, files over 2.5 MB go to a
# temporary file, at most 1000 fields and the files allowed.
SHAGYM_MAX_BODY_KB = envint("SHAGYM_MAX_BODY_KB", 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = SHAGYM_MAX_BODY_KB * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_NUMBER_FIELDS = 1000
FILE_UPLOAD_PERMISSIONS = 0o640
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o750

# The one lockout for every sign-in (django-axes): the portal and back office (allauth), the Django admin, the
# second factor and API keys. SHAGYM_LOGIN_ATTEMPTS wrong tries for one account from one address lock that pair for
# SHAGYM_LOGIN_LOCKOUT_MINUTES (each new try during the lockout starts it again); someone who knows only a user
# name cannot lock its holder out from elsewhere. An administrator unlocks: Admin → Users → "Unlock sign-in", or
# `manage.py unlock <username>`.
SHAGYM_LOGIN_ATTEMPTS = envint("SHAGYM_LOGIN_ATTEMPTS", 5)
SHAGYM_LOGIN_LOCKOUT_MINUTES = envint("SHAGYM_LOGIN_LOCKOUT_MINUTES", 15)
AXES_FAILURE_LIMIT = SHAGYM_LOGIN_ATTEMPTS
AXES_COOLOFF_TIME = dt.timedelta(minutes=SHAGYM_LOGIN_LOCKOUT_MINUTES)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_CALLABLE = "shagym.security.lockout.username"
AXES_LOCKOUT_CALLABLE = "shagym.security.lockout.lockout_response"
AXES_CLIENT_IP_CALLABLE = "shagym.security.lockout.client_address"
# A password alone is not a success when a second factor is owed: shagym.security.twofactor clears the failures
# once the sign-in is complete.
AXES_RESET_ON_SUCCESS = False
AXES_VERBOSE = False
AXES_SENSITIVE_PARAMETERS = ["password", "password1", "password2", "token", "otp_token"]
# allauth's own login limiter would answer first (and only on its own form): the one lockout above replaces it.
ACCOUNT_RATE_LIMITS = False

# Two-factor sign-in (django-otp, TOTP with recovery codes) for staff: required for the roles listed (an
# administrator includes a superuser), optional for the others, who may turn it on themselves.
SHAGYM_2FA_REQUIRED_ROLES = envlist("SHAGYM_2FA_REQUIRED_ROLES", ["head", "inspector", "administrator"])
# The one-command demo: in DEBUG only, the demo users (names beginning with "demo-") need no second factor (they
# may still turn it on). Refused outside DEBUG.
SHAGYM_DEMO_WAIVE_2FA = envbool("SHAGYM_DEMO_WAIVE_2FA", False)
if SHAGYM_DEMO_WAIVE_2FA and not DEBUG:
    raise ImproperlyConfigured("SHAGYM_DEMO_WAIVE_2FA is for the demo: it needs SHAGYM_DEBUG=1.")
OTP_TOTP_ISSUER = os.environ.get("SHAGYM_2FA_ISSUER", "Shagym")
# A staff session ends after this many minutes without a request (applicants keep Django's default session).
SHAGYM_STAFF_IDLE_MINUTES = envint("SHAGYM_STAFF_IDLE_MINUTES", 30)

for _name in ("SHAGYM_MAX_BODY_KB", "SHAGYM_LOGIN_ATTEMPTS", "SHAGYM_LOGIN_LOCKOUT_MINUTES",
              "SHAGYM_STAFF_IDLE_MINUTES"):
    if globals()[_name] < 1:
        raise ImproperlyConfigured(f"{_name} must be at least 1")
if SECURE_HSTS_SECONDS < 0:
    raise ImproperlyConfigured("SHAGYM_HSTS_SECONDS must be 0 or more")
_unknown_roles = set(SHAGYM_2FA_REQUIRED_ROLES) - {"clerk", "head", "executor", "inspector", "administrator"}
if _unknown_roles:
    raise ImproperlyConfigured(f"SHAGYM_2FA_REQUIRED_ROLES: unknown roles {sorted(_unknown_roles)}")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("SHAGYM_LOG_LEVEL", "INFO")},
    # PDF rendering is chatty at INFO.
    "loggers": {"weasyprint": {"level": "WARNING"}, "fontTools": {"level": "WARNING"}},
}

# ---- Legal parameters (RULES.md). Each is configuration, with its legal reference, so a lawyer can check it. ----

# RULES §16, Civil Code Art. 173: day 1 of a term is the first working day after the registration day.
SHAGYM_DAY_ONE_AFTER_REGISTRATION = envbool("SHAGYM_DAY_ONE_AFTER_REGISTRATION", True)
# RULES §14, Law "On public services" Art. 25(4): the body kinds that may extend the review term.
# Providers and the State Corporation are not listed in the Law.
SHAGYM_EXTENSION_BODY_KINDS = envlist(
    "SHAGYM_EXTENSION_BODY_KINDS", ["quality_authority", "central", "local_executive", "akim"]
)
# RULES §14: at most 10 working days.
SHAGYM_MAX_EXTENSION_DAYS = envint("SHAGYM_MAX_EXTENSION_DAYS", 10)
# RULES §8, §9, §14, §21 (АППК 65, 91(4), 95; Law Art. 25(4)): 3 working days to forward, redirect, or send a notice.
SHAGYM_NOTICE_DAYS = envint("SHAGYM_NOTICE_DAYS", 3)
# RULES §10 (seed 004: "the head appoints the responsible executor"): the rules do not forbid the head to take the
# review himself, as a body without executors must; set 0 where the body's regulations reserve it to executors.
SHAGYM_HEAD_MAY_REVIEW = envbool("SHAGYM_HEAD_MAY_REVIEW", True)
# RULES §4 (АППК 64(6)): the "reasonable term" to supply missing content, in working days.
SHAGYM_CONTENT_FIX_DAYS = envint("SHAGYM_CONTENT_FIX_DAYS", 5)
# RULES §7 (АППК 92): filing term, in months from the day the applicant learned of the act.
SHAGYM_FILING_TERM_MONTHS = envint("SHAGYM_FILING_TERM_MONTHS", 3)

for _name in ("SHAGYM_MAX_EXTENSION_DAYS", "SHAGYM_NOTICE_DAYS", "SHAGYM_CONTENT_FIX_DAYS"):
    if globals()[_name] < 1:
        raise ImproperlyConfigured(f"{_name} must be at least 1")

# ---- Portal and accounts (shagym.portal) ----

# Applicants sign up with e-mail and password and must verify the e-mail (django-allauth); staff sign in with their
# username (demo-clerk) or e-mail, and go to the back office (shagym.portal.accounts).
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "cabinet"
ACCOUNT_ADAPTER = "shagym.portal.accounts.AccountAdapter"
ACCOUNT_FORMS = {"login": "shagym.portal.accounts.LoginForm"}
ACCOUNT_LOGIN_METHODS = {"email", "username"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGOUT_REDIRECT_URL = "home"
ACCOUNT_EMAIL_SUBJECT_PREFIX = _("Shagym: ")  # translated: the e-mail goes out in the language of the page
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "http" if DEBUG else "https"
ACCOUNT_PRESERVE_USERNAME_CASING = False

# The national eGov identity service, as an OpenID Connect provider. Off unless its client id is set; it needs
# `requests` and `PyJWT` (django-allauth[socialaccount]).
SHAGYM_EGOV_OIDC_CLIENT_ID = os.environ.get("SHAGYM_EGOV_OIDC_CLIENT_ID", "")
SOCIALACCOUNT_PROVIDERS: dict = {}
SOCIALACCOUNT_EMAIL_VERIFICATION = "none"  # eGov has verified the person; the e-mail it gives is taken as it is
if SHAGYM_EGOV_OIDC_CLIENT_ID:
    _oidc_server = os.environ.get("SHAGYM_EGOV_OIDC_SERVER_URL", "")
    _oidc_secret = os.environ.get("SHAGYM_EGOV_OIDC_SECRET", "")
    if not _oidc_server or not _oidc_secret:
        raise ImproperlyConfigured(
            "SHAGYM_EGOV_OIDC_CLIENT_ID is set: set SHAGYM_EGOV_OIDC_SERVER_URL and SHAGYM_EGOV_OIDC_SECRET too."
        )
    try:
        import jwt  # noqa: F401
        import requests  # noqa: F401
    except ImportError as exc:
        raise ImproperlyConfigured("The eGov OpenID Connect login needs django-allauth[socialaccount].") from exc
    INSTALLED_APPS.append("allauth.socialaccount.providers.openid_connect")
    _OIDC_CLIENT_AUTH = "client_secret_post"  # how the client authenticates at the token endpoint (not a secret)
    SOCIALACCOUNT_PROVIDERS["openid_connect"] = {
        "OAUTH_PKCE_ENABLED": True,
        "APPS": [
            {
                "provider_id": "egov",
                "name": os.environ.get("SHAGYM_EGOV_OIDC_NAME", "eGov"),
                "client_id": SHAGYM_EGOV_OIDC_CLIENT_ID,
                "secret": _oidc_secret,
                "settings": {"server_url": _oidc_server, "token_auth_method": _OIDC_CLIENT_AUTH},
            }
        ],
    }


# Attachments to a complaint: PDF, JPEG or PNG, checked by their content (shagym.portal.uploads).
SHAGYM_ATTACHMENT_MAX_FILES = envint("SHAGYM_ATTACHMENT_MAX_FILES", 5)
SHAGYM_ATTACHMENT_MAX_MB = envint("SHAGYM_ATTACHMENT_MAX_MB", 10)
# Django refuses (400) a form with more files than one batch of attachments may hold.
DATA_UPLOAD_MAX_NUMBER_FILES = SHAGYM_ATTACHMENT_MAX_FILES
# Status check by number and access code, wrong attempts allowed in the window: for one number from one client
# address; for one number from all addresses (much higher, so that someone who knows only a number cannot lock its
# holder out); from one address for all numbers (against trying many numbers). Counted atomically in the database.
SHAGYM_STATUS_CHECK_ATTEMPTS = envint("SHAGYM_STATUS_CHECK_ATTEMPTS", 5)
SHAGYM_STATUS_CHECK_NUMBER_ATTEMPTS = envint("SHAGYM_STATUS_CHECK_NUMBER_ATTEMPTS", 100)
SHAGYM_STATUS_CHECK_ADDRESS_ATTEMPTS = envint("SHAGYM_STATUS_CHECK_ADDRESS_ATTEMPTS", 30)
SHAGYM_STATUS_CHECK_WINDOW_SECONDS = envint("SHAGYM_STATUS_CHECK_WINDOW_SECONDS", 15 * 60)
# RULES §23 (АППК 136): the applicant may go to court within 1 month of receiving the answer.
SHAGYM_COURT_TERM_MONTHS = envint("SHAGYM_COURT_TERM_MONTHS", 1)

for _name in ("SHAGYM_ATTACHMENT_MAX_FILES", "SHAGYM_ATTACHMENT_MAX_MB", "SHAGYM_STATUS_CHECK_ATTEMPTS",
              "SHAGYM_STATUS_CHECK_NUMBER_ATTEMPTS", "SHAGYM_STATUS_CHECK_ADDRESS_ATTEMPTS",
              "SHAGYM_STATUS_CHECK_WINDOW_SECONDS", "SHAGYM_COURT_TERM_MONTHS"):
    if globals()[_name] < 1:
        raise ImproperlyConfigured(f"{_name} must be at least 1")

# ---- Notifications (shagym.notify) ----
# Issue 6: messages to applicants and staff, the deadline sweep, and the SMS gateway.

# E-mail goes through EMAIL_BACKEND above; in production set SHAGYM_EMAIL_BACKEND to
# django.core.mail.backends.smtp.EmailBackend and name the SMTP server here.
EMAIL_HOST = os.environ.get("SHAGYM_EMAIL_HOST", "localhost")
EMAIL_PORT = envint("SHAGYM_EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("SHAGYM_EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("SHAGYM_EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = envbool("SHAGYM_EMAIL_USE_TLS", False)
EMAIL_USE_SSL = envbool("SHAGYM_EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = envint("SHAGYM_EMAIL_TIMEOUT", 30)
if EMAIL_USE_TLS and EMAIL_USE_SSL:
    raise ImproperlyConfigured("Set only one of SHAGYM_EMAIL_USE_TLS (STARTTLS, 587) and SHAGYM_EMAIL_USE_SSL (465).")
if EMAIL_TIMEOUT < 1:
    raise ImproperlyConfigured("SHAGYM_EMAIL_TIMEOUT must be at least 1")

# The SMS gateway: a dotted path to a class with send(*, to, text) -> id. The default writes each SMS as a file in
# SHAGYM_SMS_DIR (development); shagym.notify.gateways.HttpSmsGateway posts to a provider's HTTP API (production).
SHAGYM_SMS_GATEWAY = os.environ.get("SHAGYM_SMS_GATEWAY", "shagym.notify.gateways.FileSmsGateway")
SHAGYM_SMS_DIR = Path(os.environ.get("SHAGYM_SMS_DIR", BASE_DIR / "var" / "sms"))
SHAGYM_SMS_HTTP_URL = os.environ.get("SHAGYM_SMS_HTTP_URL", "")
SHAGYM_SMS_HTTP_TOKEN = os.environ.get("SHAGYM_SMS_HTTP_TOKEN", "")
SHAGYM_SMS_SENDER = os.environ.get("SHAGYM_SMS_SENDER", "Shagym")
SHAGYM_SMS_TIMEOUT = envint("SHAGYM_SMS_TIMEOUT", 10)
# The applicant messages that also go by SMS when the complaint gives a mobile number; the others use SMS only when
# the e-mail fails. The legal notices (RULES §9, §14, §21), the decision and the deemed refusal are in by default.
SHAGYM_NOTIFY_SMS_KINDS = envlist(
    "SHAGYM_NOTIFY_SMS_KINDS",
    ["registered", "forwarded", "satisfied", "redirected", "content_requested", "returned", "extended", "decided",
     "left_without_consideration", "deemed_refused"],
)
# Retries: the first after SHAGYM_NOTIFY_RETRY_SECONDS, each next one 4 times later; after SHAGYM_NOTIFY_MAX_ATTEMPTS
# failed tries the channel counts as failed and the message falls back to the next channel.
SHAGYM_NOTIFY_MAX_ATTEMPTS = envint("SHAGYM_NOTIFY_MAX_ATTEMPTS", 5)
SHAGYM_NOTIFY_RETRY_SECONDS = envint("SHAGYM_NOTIFY_RETRY_SECONDS", 60)
# A delivery claimed by a worker this long ago and never finished is sent again (the worker died).
SHAGYM_NOTIFY_STALE_SECONDS = envint("SHAGYM_NOTIFY_STALE_SECONDS", 600)
# The most items one sweep step handles; the next sweep goes on from there.
SHAGYM_NOTIFY_BATCH = envint("SHAGYM_NOTIFY_BATCH", 500)
# The worker puts a sweep on the queue this often (seconds).
SHAGYM_SWEEP_INTERVAL = envint("SHAGYM_SWEEP_INTERVAL", 300)
# The heads' daily digest goes out from this hour (Almaty time) on working days.
SHAGYM_DIGEST_HOUR = envint("SHAGYM_DIGEST_HOUR", 9)

for _name in ("SHAGYM_SMS_TIMEOUT", "SHAGYM_NOTIFY_MAX_ATTEMPTS", "SHAGYM_NOTIFY_RETRY_SECONDS",
              "SHAGYM_NOTIFY_STALE_SECONDS", "SHAGYM_NOTIFY_BATCH", "SHAGYM_SWEEP_INTERVAL"):
    if globals()[_name] < 1:
        raise ImproperlyConfigured(f"{_name} must be at least 1")
if not 0 <= SHAGYM_DIGEST_HOUR <= 23:
    raise ImproperlyConfigured("SHAGYM_DIGEST_HOUR must be an hour from 0 to 23")


# ---- API v1, webhooks and Open311 (shagym.api, shagym.webhooks): issue 11 ----
# Operational limits, not legal parameters: they protect the service and its partners. 0 turns a rate limit off.

# Requests per window per API key, and per client address (REMOTE_ADDR; behind nginx the client's own, from
# X-Forwarded-For as SHAGYM_TRUSTED_PROXIES allows); over it, 429 with Retry-After.
SHAGYM_API_RATE_PER_KEY = envint("SHAGYM_API_RATE_PER_KEY", 1200)
SHAGYM_API_RATE_PER_ADDRESS = envint("SHAGYM_API_RATE_PER_ADDRESS", 600)
SHAGYM_API_RATE_WINDOW_SECONDS = envint("SHAGYM_API_RATE_WINDOW_SECONDS", 60)
# The largest JSON body taken (KB); an upload may carry one attachment (SHAGYM_ATTACHMENT_MAX_MB). Over it, 413.
SHAGYM_API_MAX_BODY_KB = envint("SHAGYM_API_MAX_BODY_KB", 256)
# A new API key expires after this many days unless the administrator sets another date (0: never).
SHAGYM_API_KEY_DAYS = envint("SHAGYM_API_KEY_DAYS", 365)
# The first answer to a POST is kept this many hours for retries with its Idempotency-Key (a retry after that files
# again); a file uploaded on its own and not bound to a complaint within SHAGYM_API_UPLOAD_HOURS is removed. The
# worker's sweep removes both (shagym.api.housekeeping).
SHAGYM_API_IDEMPOTENCY_HOURS = envint("SHAGYM_API_IDEMPOTENCY_HOURS", 72)
SHAGYM_API_UPLOAD_HOURS = envint("SHAGYM_API_UPLOAD_HOURS", 24)
# Webhooks: attempts per event and subscription, the first retry after SHAGYM_WEBHOOK_RETRY_SECONDS and each next
# one 4 times later (at most a day); a subscription is disabled after SHAGYM_WEBHOOK_DISABLE_AFTER failed attempts
# in a row, and its contact e-mail is told.
SHAGYM_WEBHOOK_MAX_ATTEMPTS = envint("SHAGYM_WEBHOOK_MAX_ATTEMPTS", 8)
SHAGYM_WEBHOOK_RETRY_SECONDS = envint("SHAGYM_WEBHOOK_RETRY_SECONDS", 30)
SHAGYM_WEBHOOK_DISABLE_AFTER = envint("SHAGYM_WEBHOOK_DISABLE_AFTER", 40)
SHAGYM_WEBHOOK_TIMEOUT = envint("SHAGYM_WEBHOOK_TIMEOUT", 10)
# A worker's claim on a delivery older than this is put back on the queue (the worker died while sending).
SHAGYM_WEBHOOK_STALE_SECONDS = envint("SHAGYM_WEBHOOK_STALE_SECONDS", 600)
# Receivers must be https in production, and never on a private, loopback or link-local address (the server would
# otherwise post into its own network); development may allow both.
SHAGYM_WEBHOOK_REQUIRE_HTTPS = envbool("SHAGYM_WEBHOOK_REQUIRE_HTTPS", not DEBUG)
SHAGYM_WEBHOOK_ALLOW_PRIVATE = envbool("SHAGYM_WEBHOOK_ALLOW_PRIVATE", False)

for _name in ("SHAGYM_API_RATE_WINDOW_SECONDS", "SHAGYM_API_MAX_BODY_KB", "SHAGYM_API_IDEMPOTENCY_HOURS",
              "SHAGYM_API_UPLOAD_HOURS", "SHAGYM_WEBHOOK_MAX_ATTEMPTS",
              "SHAGYM_WEBHOOK_RETRY_SECONDS", "SHAGYM_WEBHOOK_DISABLE_AFTER", "SHAGYM_WEBHOOK_TIMEOUT",
              "SHAGYM_WEBHOOK_STALE_SECONDS"):
    if globals()[_name] < 1:
        raise ImproperlyConfigured(f"{_name} must be at least 1")
for _name in ("SHAGYM_API_RATE_PER_KEY", "SHAGYM_API_RATE_PER_ADDRESS", "SHAGYM_API_KEY_DAYS"):
    if globals()[_name] < 0:
        raise ImproperlyConfigured(f"{_name} must be 0 or more")
# The body limit and the per-address rate limit act before the API's views (after the language is chosen, so the
# problem is in the caller's language).
MIDDLEWARE.insert(MIDDLEWARE.index("django.middleware.locale.LocaleMiddleware") + 1,
                  "shagym.api.limits.ApiGuardMiddleware")


# ---- Reports, exports and open data (shagym.reports): issue 12 ----
# A body is ranked only with at least this many complaints whose term has come in the period (answered, or overdue):
# a handful of complaints says little about how a body serves applicants (its figures are still shown, unranked).
SHAGYM_REPORTS_RANK_MIN = envint("SHAGYM_REPORTS_RANK_MIN", 20)
# Open data: counts from 1 to this number less one are shown as "<N" (statistical disclosure control).
SHAGYM_OPEN_DATA_MIN_COUNT = envint("SHAGYM_OPEN_DATA_MIN_COUNT", 5)
# The licence line of the open data, and the address of its text.
SHAGYM_OPEN_DATA_LICENCE = os.environ.get("SHAGYM_OPEN_DATA_LICENCE", "CC BY 4.0")
SHAGYM_OPEN_DATA_LICENCE_URL = os.environ.get("SHAGYM_OPEN_DATA_LICENCE_URL",
                                              "https://creativecommons.org/licenses/by/4.0/")
for _name in ("SHAGYM_REPORTS_RANK_MIN", "SHAGYM_OPEN_DATA_MIN_COUNT"):
    if globals()[_name] < 1:
        raise ImproperlyConfigured(f"{_name} must be at least 1")
# --- Electronic signatures and sealed documents (shagym.signatures, shagym.documents.seal) ---
# Law "On electronic document and electronic digital signature" Art. 7, 10: a signed electronic document equals a
# signed paper one when the signature is verified with the signer's valid certificate.
# The certification centres we trust: a directory of their root and intermediate certificates (PEM or DER), e.g.
# НУЦ РК's root_rsa, root_gost, nca_rsa, nca_gost (and their 2022 successors). Development: the demo CA.
PKI_DEMO_DIR = BASE_DIR / "var" / "pki"
SHAGYM_TRUST_DIR = os.environ.get("SHAGYM_TRUST_DIR", str(PKI_DEMO_DIR / "trust") if DEBUG else "")
SHAGYM_REVOCATION_TIMEOUT = envint("SHAGYM_REVOCATION_TIMEOUT", 5)  # seconds for an OCSP responder or a CRL
# GOST 34.310 signatures are verified by an NCANode server (v3 HTTP API); empty: recorded as not verifiable here.
SHAGYM_NCANODE_URL = os.environ.get("SHAGYM_NCANODE_URL", "")
SHAGYM_NCANODE_TIMEOUT = envint("SHAGYM_NCANODE_TIMEOUT", 15)
SHAGYM_GOST_VERIFIER = os.environ.get("SHAGYM_GOST_VERIFIER", "shagym.signatures.ncanode.NCANodeVerifier")
# RULES §3 (АППК Art. 93; the seeds: "подпись услугополучателя"): a complaint carries the applicant's signature.
# On the portal: "required" (the seeds; default) or "optional" (АППК Art. 64: the account identifies the applicant).
# A paper complaint is signed on paper; the clerk's intake records it.
SHAGYM_APPLICANT_SIGNATURE = os.environ.get("SHAGYM_APPLICANT_SIGNATURE", "required")
# RULES §23 (АППК Art. 101): the answer is a legal act signed by the head: "required" (default) or "optional"
# (the head signs in the system without an EDS; the seal still marks the document as the body's).
SHAGYM_ANSWER_SIGNATURE = os.environ.get("SHAGYM_ANSWER_SIGNATURE", "required")
for _name in ("SHAGYM_APPLICANT_SIGNATURE", "SHAGYM_ANSWER_SIGNATURE"):
    if globals()[_name] not in {"required", "optional"}:
        raise ImproperlyConfigured(f"{_name} must be 'required' or 'optional', not {globals()[_name]!r}")
# Where the page finds NCALayer (its documented address); the demo's test double listens on ws:// instead.
SHAGYM_NCALAYER_URL = os.environ.get("SHAGYM_NCALAYER_URL", "wss://127.0.0.1:13579")
# (The signing pages' script talks to NCALayer: shagym.security.middleware adds its origin to the CSP's connect-src.)
# Every PDF we issue is sealed (PAdES) with the issuing body's key: <organisation key>.p12 in SHAGYM_SEAL_DIR,
# its password in SHAGYM_SEAL_PASSWORD_<KEY> (upper case, "-" as "_") or SHAGYM_SEAL_PASSWORD; a body without a
# seal of its own uses the operator's, "operator.p12". Development: the demo seals made by load_demo.
SHAGYM_SEAL_DIR = os.environ.get("SHAGYM_SEAL_DIR", str(PKI_DEMO_DIR / "seals") if DEBUG else "")
SHAGYM_SEAL_PASSWORD = os.environ.get("SHAGYM_SEAL_PASSWORD", "demo-seal" if DEBUG else "")
