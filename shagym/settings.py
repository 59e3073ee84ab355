"""Shagym settings. Every knob is an environment variable with a safe default; junk raises ImproperlyConfigured."""

from __future__ import annotations

import os
from pathlib import Path

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
    SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production"
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
    "django_tasks",
    "django_tasks_db",
    "shagym.accounts",
    "shagym.directory",
    "shagym.complaints",
    "shagym.documents",
    "shagym.portal",
    "shagym.backoffice",
    "shagym.web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "shagym.urls"
WSGI_APPLICATION = "shagym.wsgi.application"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "staff-home"

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
            ],
        },
    },
]

# SQLite is the zero-setup default; DATABASE_URL selects PostgreSQL in production.
_default_sqlite = BASE_DIR / "var" / "shagym.sqlite3"
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{_default_sqlite}"), conn_max_age=envint("SHAGYM_DB_CONN_MAX_AGE", 0)
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # IMMEDIATE takes the write lock at BEGIN, so two writers queue instead of failing with "database is locked"
    # halfway through a transaction; the timeout is how long they queue.
    DATABASES["default"]["OPTIONS"] = {"transaction_mode": "IMMEDIATE", "timeout": 20}
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
STATIC_ROOT = BASE_DIR / "var" / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": os.environ.get(
            "SHAGYM_STATICFILES_STORAGE", "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
if DEBUG:
    STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"
MEDIA_ROOT = Path(os.environ.get("SHAGYM_MEDIA_ROOT", BASE_DIR / "var" / "media"))

# Background work: Django's Tasks API with the database backend, so nothing but the database is needed.
TASKS = {"default": {"BACKEND": os.environ.get("SHAGYM_TASKS_BACKEND", "django_tasks_db.DatabaseBackend")}}

EMAIL_BACKEND = os.environ.get("SHAGYM_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("SHAGYM_FROM_EMAIL", "shagym@localhost")

SESSION_COOKIE_SECURE = envbool("SHAGYM_SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("SHAGYM_LOG_LEVEL", "INFO")},
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
# RULES §4 (АППК 64(6)): the "reasonable term" to supply missing content, in working days.
SHAGYM_CONTENT_FIX_DAYS = envint("SHAGYM_CONTENT_FIX_DAYS", 5)
# RULES §7 (АППК 92): filing term, in months from the day the applicant learned of the act.
SHAGYM_FILING_TERM_MONTHS = envint("SHAGYM_FILING_TERM_MONTHS", 3)

for _name in ("SHAGYM_MAX_EXTENSION_DAYS", "SHAGYM_NOTICE_DAYS", "SHAGYM_CONTENT_FIX_DAYS"):
    if globals()[_name] < 1:
        raise ImproperlyConfigured(f"{_name} must be at least 1")
