"""Settings for serving django-helpdesk from PyPI as the bench's peer.

Only what helpdesk needs to run its ticket views and REST API, configured the way a deployment would:
PostgreSQL from ``PEER_DATABASE_URL`` with persistent connections (as ours), DRF token authentication
for the API (a password check per request would cost the peer a PBKDF2 hash each time), no debug,
mail to the dummy backend (helpdesk sends its acknowledgement synchronously; it is rendered, not sent).
"""

from __future__ import annotations

import os
from urllib.parse import urlparse

_url = urlparse(os.environ.get("PEER_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/bench_peer"))

SECRET_KEY = os.environ.get("PEER_SECRET_KEY", "bench-peer-not-secret")
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
SITE_ID = 1

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sites",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "helpdesk",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "peerproject.urls"
WSGI_APPLICATION = "peerproject.wsgi.application"
TEMPLATES = [{
    "BACKEND": "django.template.backends.django.DjangoTemplates",
    "DIRS": [],
    "APP_DIRS": True,
    "OPTIONS": {"context_processors": [
        "django.template.context_processors.request",
        "django.contrib.auth.context_processors.auth",
        "django.contrib.messages.context_processors.messages",
    ]},
}]

DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": _url.path.lstrip("/") or "bench_peer",
        "USER": _url.username or "postgres",
        "PASSWORD": _url.password or "",
        "HOST": _url.hostname or "127.0.0.1",
        "PORT": str(_url.port or 5432),
        "CONN_MAX_AGE": 60,
        "CONN_HEALTH_CHECKS": True,
    }
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["rest_framework.authentication.TokenAuthentication"],
}

LANGUAGE_CODE = "en-us"
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True
STATIC_URL = "/static/"
MEDIA_ROOT = os.environ.get("PEER_MEDIA_ROOT", "/tmp/bench-peer-media")  # noqa: S108 - throwaway bench files
EMAIL_BACKEND = "django.core.mail.backends.dummy.EmailBackend"
DEFAULT_FROM_EMAIL = "helpdesk@example.com"
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "WARNING"}}

HELPDESK_API_ENABLED = True
HELPDESK_KB_ENABLED = True  # its urls.py needs the knowledge-base views imported either way
HELPDESK_SUBMIT_A_TICKET_PUBLIC = False
HELPDESK_TEAMS_MODE_ENABLED = False  # teams need pinax-teams; tickets do not
