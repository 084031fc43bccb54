"""The fact base editor's Django settings (docs/editing.md). Everything it stores is in the database the
assistant already uses: TRACKER_STORE_URL, or make run's SQLite file var/tracker.db
(assistant/knowledge/publications.py)."""

from __future__ import annotations

import os
import secrets

from assistant import ROOT
from assistant.knowledge import publications

RUN_DIR = ROOT / os.environ.get("RUN_DIR", "var")


def _secret_key() -> str:
    """Signs sessions and CSRF tokens: made once per installation, kept beside its data, never in git."""
    if os.environ.get("EDITOR_SECRET_KEY"):
        return os.environ["EDITOR_SECRET_KEY"]
    path = RUN_DIR / "editor-secret-key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w") as file:
            file.write(secrets.token_urlsafe(50))
    return path.read_text().strip()


def _database(url: str) -> dict:
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":  # a relative path is the project folder's, as Rasa's is
        return {"ENGINE": "django.db.backends.sqlite3", "NAME": str(ROOT / parsed.database)}
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": parsed.database,
        "USER": parsed.username or "",
        "PASSWORD": parsed.password or "",
        "HOST": parsed.host or "",
        "PORT": str(parsed.port or ""),
    }


SECRET_KEY = _secret_key()
DEBUG = False
ALLOWED_HOSTS = ["localhost", "127.0.0.1"]
DATABASES = {"default": _database(publications.database_url())}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

INSTALLED_APPS = [
    "editor",  # first: its admin/base_site.html adds to Django's (the editor's styles)
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "simple_history",
    "axes",
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
    "csp.middleware.CSPMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
]
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]
ROOT_URLCONF = "editor.urls"
WSGI_APPLICATION = "editor.wsgi.application"
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
            ]
        },
    }
]

# The editor in the residents' three languages; the browser's choice, or Finnish.
LANGUAGE_CODE = "fi"
LANGUAGES = [("fi", "suomi"), ("sv", "svenska"), ("en", "English")]
USE_I18N = True
TIME_ZONE = "Europe/Helsinki"
USE_TZ = True

STATIC_URL = "/editor/static/"
# The admin's files served by the editor itself, from the installed packages (whitenoise).
WHITENOISE_USE_FINDERS = True

# Sessions end after 8 hours, and when the browser closes.
SESSION_COOKIE_AGE = int(publications.EDITOR_SESSION.total_seconds())
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Strict"
CSRF_COOKIE_SAMESITE = "Strict"
LOGIN_URL = "/editor/login/"

# Five wrong passwords for one account from one address lock it out for 15 minutes (django-axes).
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]

# No inline script and no other origin (django-csp); nosniff (SecurityMiddleware); no framing.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'none'"],
    }
}
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

# The REST channel the preview asks (editor/preview.py): make run's Rasa server, nginx in the cluster.
ASSISTANT_URL = os.environ.get("ASSISTANT_URL", "http://127.0.0.1:5005")

# A publisher may publish their own draft only where this is set (a city with one editor).
EDITOR_SELF_PUBLISH = os.environ.get("EDITOR_SELF_PUBLISH", "") == "1"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
