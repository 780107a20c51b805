"""Django settings, from the environment: nothing secret is in the repository.

``SCORECARD_WEB_HOME`` holds the site's files (default ``out/web``): the SQLite database, the
published versions and a secret key generated on first use (mode 0600) unless
``SCORECARD_SECRET_KEY`` gives one.  ``SCORECARD_DATABASE_URL`` chooses the database
(``sqlite:///path`` or ``postgresql://user:password@host:port/name``); ``SCORECARD_STORE`` the
DuckDB store the figures come from.  Security follows OWASP ASVS level 1: Argon2 password
hashes, login throttling (django-axes), secure and HTTP-only cookies, CSRF on every form, a
Content Security Policy allowing only the site's own scripts and styles, and the other headers
(``web.security``).
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from urllib.parse import unquote, urlsplit

from csp.constants import NONE, SELF

from scorecard.web.secret import secret_key_file

HOME = Path(os.environ.get("SCORECARD_WEB_HOME", "out/web")).resolve()
STORE = Path(os.environ.get("SCORECARD_STORE", "out/demo.duckdb")).resolve()
PUBLISHED = HOME / "published"


def _secret_key() -> str:
    """``SCORECARD_SECRET_KEY``, else the site's key file (``scorecard serve`` writes one), else a
    key for this process alone (a test run, a type check): sessions then end with the process."""
    given = os.environ.get("SCORECARD_SECRET_KEY")
    if given:
        return given
    path = secret_key_file(HOME)
    return path.read_text().strip() if path.is_file() else secrets.token_urlsafe(50)


def database(url: str | None) -> dict[str, object]:
    """Django's DATABASES entry for a ``sqlite:///path`` or ``postgresql://…`` URL."""
    if not url:
        return {"ENGINE": "django.db.backends.sqlite3", "NAME": str(HOME / "web.sqlite3")}
    parts = urlsplit(url)
    if parts.scheme == "sqlite":
        return {"ENGINE": "django.db.backends.sqlite3", "NAME": unquote(parts.path.removeprefix("/")) or ":memory:"}
    if parts.scheme in ("postgres", "postgresql"):
        return {"ENGINE": "django.db.backends.postgresql", "NAME": unquote(parts.path.lstrip("/")),
                "USER": unquote(parts.username or ""), "PASSWORD": unquote(parts.password or ""),
                "HOST": unquote(parts.hostname or ""), "PORT": str(parts.port or "")}
    raise ValueError(f"SCORECARD_DATABASE_URL: unknown database {parts.scheme!r} (use sqlite:/// or postgresql://)")


SECRET_KEY = _secret_key()
DEBUG = os.environ.get("SCORECARD_DEBUG") == "1"
ALLOWED_HOSTS = os.environ.get("SCORECARD_ALLOWED_HOSTS", "localhost,127.0.0.1,testserver").split(",")
# Connections are kept between requests (opening one per request was a third of a public page's time).
DATABASES = {"default": {**database(os.environ.get("SCORECARD_DATABASE_URL")), "CONN_MAX_AGE": 600,
                         "CONN_HEALTH_CHECKS": True}}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

INSTALLED_APPS = [
    "django.contrib.auth", "django.contrib.contenttypes", "django.contrib.sessions", "django.contrib.messages",
    "axes", "scorecard.web.apps.WebConfig",
]
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "scorecard.web.security.SecurityHeaders",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "axes.middleware.AxesMiddleware",
]
ROOT_URLCONF = "scorecard.web.urls"
TEMPLATES = [{
    "BACKEND": "django.template.backends.django.DjangoTemplates", "APP_DIRS": True,
    "OPTIONS": {"context_processors": ["django.template.context_processors.request",
                                       "django.contrib.auth.context_processors.auth",
                                       "django.contrib.messages.context_processors.messages"]},
}]
WSGI_APPLICATION = "scorecard.web.wsgi.application"
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
]
LOGIN_URL = "/workbench/login/"
LOGIN_REDIRECT_URL = "/workbench/"
LOGOUT_REDIRECT_URL = "/"

# Cookies: secure (browsers keep Secure cookies for http://localhost too), HTTP-only, same-site.
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = CSRF_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 8 * 60 * 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if os.environ.get("SCORECARD_HTTPS") == "1":  # behind TLS: tell browsers to stay on it
    SECURE_HSTS_SECONDS = 31_536_000
    SECURE_SSL_REDIRECT = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

CONTENT_SECURITY_POLICY = {"DIRECTIVES": {
    "default-src": [SELF], "script-src": [SELF], "style-src": [SELF], "img-src": [SELF, "data:"],
    "font-src": [SELF], "connect-src": [SELF], "object-src": [NONE], "base-uri": [NONE],
    "frame-ancestors": [NONE], "form-action": [SELF],
}}

AXES_FAILURE_LIMIT = 5  # failed logins for one username from one address before a lock-out
AXES_COOLOFF_TIME = 1  # hour
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False

USE_TZ = True
TIME_ZONE = "Europe/London"
LANGUAGE_CODE = "en-gb"
STATIC_URL = "/static/"
LOGGING = {"version": 1, "disable_existing_loggers": False,
           "handlers": {"console": {"class": "logging.StreamHandler"}},
           "loggers": {"django": {"handlers": ["console"], "level": "WARNING"},
                       "axes": {"handlers": ["console"], "level": "WARNING"}}}
