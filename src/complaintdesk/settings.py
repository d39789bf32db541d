"""Django settings, driven by environment variables.

Every knob is read through the small typed helpers below so that a missing or malformed value
fails loudly at start-up rather than at the first request. Defaults give a working embedded
installation: SQLite under ``./var/``; set ``DATABASE_URL`` for PostgreSQL.
"""

from __future__ import annotations

import ipaddress
import os
import secrets
from pathlib import Path
from typing import Any

import dj_database_url
from django.utils.translation import gettext_lazy as _

PACKAGE_DIR = Path(__file__).resolve().parent


def env_str(name: str, default: str) -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ValueError(f"{name} must be a boolean (1/0, true/false), got {raw!r}")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ValueError(f"{name} must be an integer, got {raw!r}") from exc


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_networks(name: str) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    """A comma list of IP addresses or CIDR networks (``10.0.0.1,192.168.0.0/16,::1``)."""
    networks = []
    for item in env_list(name, []):
        try:
            networks.append(ipaddress.ip_network(item, strict=False))
        except ValueError as exc:
            raise ValueError(f"{name}: {item!r} is not an IP address or network") from exc
    return tuple(networks)


VAR_DIR = Path(env_str("COMPLAINTDESK_VAR_DIR", str(Path.cwd() / "var"))).resolve()
VAR_DIR.mkdir(parents=True, exist_ok=True)
VAR_DIR.chmod(0o700)  # the database, uploads and keys are for the service's own account only
os.umask(0o077)  # every file this process creates (database, uploads, keys, logs) is the owner's only
# keys outside the database (core/keys.py): the blind index of contact data, the audit chain's HMAC
COMPLAINTDESK_KEYS_DIR = Path(env_str("COMPLAINTDESK_KEYS_DIR", str(VAR_DIR / "keys"))).resolve()

PRODUCTION = env_bool("COMPLAINTDESK_PRODUCTION", False)
# the reverse proxies whose X-Forwarded-For is believed (IPs or CIDRs, comma-separated; core/client.py)
COMPLAINTDESK_TRUSTED_PROXIES = env_networks("COMPLAINTDESK_TRUSTED_PROXIES")
DEBUG = env_bool("COMPLAINTDESK_DEBUG", False)


def _secret_key() -> str:
    configured = os.environ.get("COMPLAINTDESK_SECRET_KEY")
    if configured:
        return configured
    if PRODUCTION:
        raise RuntimeError("COMPLAINTDESK_SECRET_KEY must be set in production")
    # Demo and development: a key generated once and kept outside the repository.
    key_file = VAR_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = env_list("COMPLAINTDESK_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("COMPLAINTDESK_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_tasks",
    "django_tasks_db",
    "ninja",  # serves the API docs viewer from its own static files (no CDN)
    "complaintdesk.core",
    "complaintdesk.units",
    "complaintdesk.accounts",
    "complaintdesk.notify",
    "complaintdesk.complaints",
    "complaintdesk.clocks",
    "complaintdesk.resolutions",
    "complaintdesk.followup",
    "complaintdesk.security",
    "complaintdesk.reports",
    "complaintdesk.quality",
    "complaintdesk.integrations",
    "complaintdesk.console",
    "complaintdesk.portal",
    "complaintdesk.transfers",
    "complaintdesk.knowledge",
    "complaintdesk.privacy",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "complaintdesk.core.policies.ActivePolicyPerRequest",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "complaintdesk.security.headers.SecurityHeadersMiddleware",
    "complaintdesk.security.sessions.IdleSessionMiddleware",
    "complaintdesk.security.edges.EdgeGuardMiddleware",
    "complaintdesk.security.idempotency.IdempotencyMiddleware",
    "complaintdesk.accounts.preferences.SignInLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "complaintdesk.urls"
WSGI_APPLICATION = "complaintdesk.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "complaintdesk.accounts.context.navigation",
            ],
        },
    },
]


# Connections are kept between requests (each web worker keeps one for this many seconds and checks it
# before reuse): no connect, authentication or SQLite PRAGMAs per request.
COMPLAINTDESK_CONN_MAX_AGE = env_int("COMPLAINTDESK_CONN_MAX_AGE", 60)


def _databases() -> dict[str, Any]:
    url = os.environ.get("DATABASE_URL", "")
    if url:
        db: dict[str, Any] = dict(dj_database_url.parse(url, conn_max_age=COMPLAINTDESK_CONN_MAX_AGE,
                                                        conn_health_checks=True))
        if db["ENGINE"] == "django.db.backends.postgresql":
            db.setdefault("TEST", {})["NAME"] = env_str(
                "COMPLAINTDESK_TEST_DB", f"test_{db.get('NAME') or 'complaintdesk'}"
            )
            return {"default": db}
        if db["ENGINE"] != "django.db.backends.sqlite3":
            raise ValueError("DATABASE_URL must point to PostgreSQL or SQLite")
        name = db["NAME"]
    else:
        name = str(VAR_DIR / "complaintdesk.sqlite3")
    return {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": name,
            "CONN_MAX_AGE": COMPLAINTDESK_CONN_MAX_AGE,
            "CONN_HEALTH_CHECKS": True,
            "OPTIONS": {
                # One writer at a time, taken at BEGIN so that two writers never deadlock
                # upgrading a read lock; readers keep reading under WAL.
                "transaction_mode": "IMMEDIATE",
                "timeout": 30,
                "init_command": (
                    "PRAGMA journal_mode=WAL;PRAGMA synchronous=NORMAL;PRAGMA foreign_keys=ON;"
                ),
            },
            # A file (not memory) so that worker processes started by tests see the data.
            "TEST": {"NAME": str(VAR_DIR / "test.sqlite3")},
        }
    }


DATABASES = _databases()


def _reports_database() -> dict[str, Any] | None:
    """``COMPLAINTDESK_REPORTS_DATABASE_URL``: a read-only replica of the main database that the
    reports read from (core/dbrouter.py; docs/operations.md, "Scaling out")."""
    url = os.environ.get("COMPLAINTDESK_REPORTS_DATABASE_URL", "")
    if not url:
        return None
    db: dict[str, Any] = dict(dj_database_url.parse(url, conn_max_age=COMPLAINTDESK_CONN_MAX_AGE,
                                                    conn_health_checks=True))
    db["TEST"] = {"MIRROR": "default"}  # under test, the replica is the test database itself
    return db


if (_reports := _reports_database()) is not None:
    DATABASES["reports"] = _reports
DATABASE_ROUTERS = ["complaintdesk.core.dbrouter.ReportsRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# log-in throttling per account and per address (accounts/throttle.py)
AUTHENTICATION_BACKENDS = ["complaintdesk.accounts.throttle.ThrottledModelBackend"]
COMPLAINTDESK_LOGIN_MAX_FAILURES = env_int("COMPLAINTDESK_LOGIN_MAX_FAILURES", 5)
COMPLAINTDESK_LOGIN_MAX_FAILURES_ADDRESS = env_int("COMPLAINTDESK_LOGIN_MAX_FAILURES_ADDRESS", 20)
COMPLAINTDESK_LOGIN_WINDOW_MINUTES = env_int("COMPLAINTDESK_LOGIN_WINDOW_MINUTES", 15)
COMPLAINTDESK_LOGIN_LOCKOUT_MINUTES = env_int("COMPLAINTDESK_LOGIN_LOCKOUT_MINUTES", 15)
# a session ends after this long without a request from the person (security/sessions.py renews it)
SESSION_COOKIE_AGE = env_int("COMPLAINTDESK_SESSION_IDLE_MINUTES", 30) * 60
# API tokens expire after this many days unless created with another lifetime
COMPLAINTDESK_TOKEN_DAYS = env_int("COMPLAINTDESK_TOKEN_DAYS", 90)
MESSAGE_TAGS = {40: "danger"}  # messages.ERROR → Bootstrap's alert-danger
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = env_str("COMPLAINTDESK_LANGUAGE", "zh-hans")
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = env_str("COMPLAINTDESK_TIME_ZONE", "Asia/Shanghai")
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = not PRODUCTION
MEDIA_ROOT = VAR_DIR / "uploads"
FILE_UPLOAD_PERMISSIONS = 0o600
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o700
MEDIA_URL = "/uploads/"
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

SESSION_COOKIE_SECURE = PRODUCTION
CSRF_COOKIE_SECURE = PRODUCTION
SESSION_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
if PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env_int("COMPLAINTDESK_HSTS_SECONDS", 365 * 24 * 3600)

TASKS = {
    "default": {
        "BACKEND": env_str("COMPLAINTDESK_TASK_BACKEND", "django_tasks_db.DatabaseBackend"),
        # default: what must not wait (messages, webhooks…); bulk: imports and large exports, run by
        # a process of their own beside each worker (complaintdesk/worker.py)
        "QUEUES": ["default", "bulk"],
    }
}

EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
# the report of an import's refused rows (personal data) is deleted this many days after the import
COMPLAINTDESK_IMPORT_REPORT_DAYS = env_int("COMPLAINTDESK_IMPORT_REPORT_DAYS", 30)
# an export of a list or queue with more rows is written by the worker with a progress bar (docs/reports.md)
COMPLAINTDESK_EXPORT_STREAM_LIMIT = env_int("COMPLAINTDESK_EXPORT_STREAM_LIMIT", 20000)
# the file of a large export is deleted this many days after it was written (the job stays)
COMPLAINTDESK_EXPORT_FILE_DAYS = env_int("COMPLAINTDESK_EXPORT_FILE_DAYS", 7)
EMAIL_HOST = env_str("COMPLAINTDESK_SMTP_HOST", "127.0.0.1")
EMAIL_PORT = env_int("COMPLAINTDESK_SMTP_PORT", 25)
EMAIL_TIMEOUT = 10
DEFAULT_FROM_EMAIL = env_str("COMPLAINTDESK_MAIL_FROM", "complaintdesk@localhost")

# Outbound message transports per channel: "console" writes the message to the worker's
# standard output (the demo), "smtp" sends e-mail through EMAIL_HOST.
COMPLAINTDESK_TRANSPORTS = {
    "sms": env_str("COMPLAINTDESK_TRANSPORT_SMS", "console"),
    "email": env_str("COMPLAINTDESK_TRANSPORT_EMAIL", "console"),
}
# Doors in and out (docs/integrations.md): the SMS gateway ("http_sms" transport), delivery retries,
# the mail intake (SMTP listener, IMAP mailbox) and webhook retries.
COMPLAINTDESK_SMS_GATEWAY = {
    "URL": env_str("COMPLAINTDESK_SMS_GATEWAY_URL", ""),
    "USER": env_str("COMPLAINTDESK_SMS_GATEWAY_USER", ""),
    "PASSWORD": env_str("COMPLAINTDESK_SMS_GATEWAY_PASSWORD", ""),
    "TOKEN": env_str("COMPLAINTDESK_SMS_GATEWAY_TOKEN", ""),
    "SENDER": env_str("COMPLAINTDESK_SMS_GATEWAY_SENDER", ""),
    "TEMPLATE": env_str("COMPLAINTDESK_SMS_GATEWAY_TEMPLATE", '{"to": "{to}", "text": "{text}", "client_ref": "{id}"}'),
    "TIMEOUT": env_str("COMPLAINTDESK_SMS_GATEWAY_TIMEOUT", "10"),
}
COMPLAINTDESK_DELIVERY_ATTEMPTS = env_int("COMPLAINTDESK_DELIVERY_ATTEMPTS", 5)
COMPLAINTDESK_DELIVERY_BACKOFF = env_int("COMPLAINTDESK_DELIVERY_BACKOFF", 30)  # seconds, doubled per attempt
COMPLAINTDESK_MAIL_LISTEN = env_str("COMPLAINTDESK_MAIL_LISTEN", "")  # host:port; the worker serves it when set
COMPLAINTDESK_MAIL_OWNER = env_str("COMPLAINTDESK_MAIL_OWNER", "")  # the user who owns complaints from mail
# the unit (code) that receives complaints from mail; empty: the owner's home unit (head office by default)
COMPLAINTDESK_MAIL_UNIT = env_str("COMPLAINTDESK_MAIL_UNIT", "")
# JSON: {"category": …, "reason_codes": […], "targets": […]} given to complaints that arrive by mail
COMPLAINTDESK_MAIL_CLASSIFICATION = env_str("COMPLAINTDESK_MAIL_CLASSIFICATION", "")
COMPLAINTDESK_MAIL_CHANNEL = env_str("COMPLAINTDESK_MAIL_CHANNEL", "email")
COMPLAINTDESK_IMAP = {
    "HOST": env_str("COMPLAINTDESK_IMAP_HOST", ""),
    "PORT": env_str("COMPLAINTDESK_IMAP_PORT", "993"),
    "USER": env_str("COMPLAINTDESK_IMAP_USER", ""),
    "PASSWORD": env_str("COMPLAINTDESK_IMAP_PASSWORD", ""),
    "MAILBOX": env_str("COMPLAINTDESK_IMAP_MAILBOX", "INBOX"),
    "SSL": env_str("COMPLAINTDESK_IMAP_SSL", "1"),
    "STARTTLS": env_str("COMPLAINTDESK_IMAP_STARTTLS", "0"),
}
COMPLAINTDESK_IMAP_INTERVAL = env_int("COMPLAINTDESK_IMAP_INTERVAL", 60)
COMPLAINTDESK_WEBHOOK_ATTEMPTS = env_int("COMPLAINTDESK_WEBHOOK_ATTEMPTS", 6)
COMPLAINTDESK_WEBHOOK_BACKOFF = env_int("COMPLAINTDESK_WEBHOOK_BACKOFF", 30)
# The public portal (docs/portal.md): customers' files live outside static and served files.
COMPLAINTDESK_ATTACHMENT_DIR = Path(env_str("COMPLAINTDESK_ATTACHMENT_DIR", str(VAR_DIR / "attachments"))).resolve()
COMPLAINTDESK_PORTAL = {
    "upload_max_bytes": env_int("COMPLAINTDESK_UPLOAD_MAX_BYTES", 5 * 1024 * 1024),
    "upload_max_files": env_int("COMPLAINTDESK_UPLOAD_MAX_FILES", 5),
    "code_valid_minutes": env_int("COMPLAINTDESK_CODE_VALID_MINUTES", 10),
    "code_attempts": env_int("COMPLAINTDESK_CODE_ATTEMPTS", 5),
    "session_minutes": env_int("COMPLAINTDESK_PORTAL_SESSION_MINUTES", 30),
    "limit_per_address": env_int("COMPLAINTDESK_PORTAL_LIMIT_PER_ADDRESS", 30),
    "limit_per_phone": env_int("COMPLAINTDESK_PORTAL_LIMIT_PER_PHONE", 5),
}
COMPLAINTDESK_POLICY = env_str("COMPLAINTDESK_POLICY", "phone_maker")
COMPLAINTDESK_CALENDAR_DIR = Path(
    env_str("COMPLAINTDESK_CALENDAR_DIR", str(VAR_DIR / "calendars"))
).resolve()

LOGGING: dict[str, Any] = {
    "version": 1,
    "disable_existing_loggers": False,
    # the process id tells a worker's lines from its bulk process's (one log: complaintdesk/worker.py)
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s [%(process)d] %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("COMPLAINTDESK_LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "django_tasks_db": {"level": "WARNING"},
    },
}
COMPLAINTDESK_CALENDAR_DIR.mkdir(parents=True, exist_ok=True)
