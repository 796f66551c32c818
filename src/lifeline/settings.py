"""Django settings, read from the environment through small typed helpers that fail loudly.

SQLite under `var/` is the embedded default; `DATABASE_URL` points a headquarters at PostgreSQL.
"""

from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path
from typing import Any

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured


def env_str(name: str, default: str) -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    if raw.lower() in {"1", "true", "yes", "on"}:
        return True
    if raw.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false), got {raw!r}")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be an integer, got {raw!r}") from exc


def env_float(name: str, default: float) -> float:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return float(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be a number, got {raw!r}") from exc


def secret_from_file(path: Path) -> str:
    """The embedded default keeps a generated secret under var/ so restarts keep sessions."""
    if path.exists():
        return path.read_text().strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    value = secrets.token_urlsafe(50)
    path.touch(mode=0o600)
    path.write_text(value)
    return value


def var_dir_private(path: Path) -> Path:
    """var/ holds the database, the name index and medical and protection data: the folder is
    its owner's alone (0700), whatever the umask and however it was made before."""
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    path.chmod(0o700)
    return path


def sqlite_file_private(path: Path) -> Path:
    """The database file (and its WAL and shared-memory files, which SQLite creates with the
    database's own mode) readable and writable by its owner only (0600)."""
    if not path.exists():
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT, 0o600))
    for part in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        if part.exists():
            part.chmod(0o600)
    return path


BASE_DIR = Path(__file__).resolve().parents[2]
VAR_DIR = var_dir_private(Path(env_str("LIFELINE_VAR_DIR", str(BASE_DIR / "var"))))

DEBUG = env_bool("LIFELINE_DEBUG", False)
SECRET_KEY = os.environ.get("SECRET_KEY") or secret_from_file(VAR_DIR / "secret_key")

# This installation's site: a short code; the site row (stable id and name) is created on setup.
LIFELINE_SITE = env_str("LIFELINE_SITE", "desert-base")
LIFELINE_SITE_NAME = env_str("LIFELINE_SITE_NAME", "")

# Threat risk from sightings (routing.risk): a sighting's weight halves every half-life and
# spreads to this many rings of H3 cells around it, each ring getting `falloff` of the one
# inside. An alert is raised when risk climbs within the radius of the camp or within the
# buffer of a mission's route (intel.threats.watch).
LIFELINE_RISK_HALF_LIFE_HOURS = env_float("LIFELINE_RISK_HALF_LIFE_HOURS", 6.0)
LIFELINE_RISK_SPREAD_RINGS = env_int("LIFELINE_RISK_SPREAD_RINGS", 2)
LIFELINE_RISK_FALLOFF = env_float("LIFELINE_RISK_FALLOFF", 0.5)
LIFELINE_RISK_CAMP_RADIUS_M = env_float("LIFELINE_RISK_CAMP_RADIUS_M", 2000.0)
LIFELINE_RISK_ROUTE_BUFFER_M = env_float("LIFELINE_RISK_ROUTE_BUFFER_M", 150.0)
# A route's ends are moved onto the nearest road; an end farther than this is refused (a point
# far off the map would otherwise be snapped into the town).
LIFELINE_ROUTE_MAX_SNAP_M = env_float("LIFELINE_ROUTE_MAX_SNAP_M", 2000.0)

ALLOWED_HOSTS = [
    h.strip() for h in env_str("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]").split(",") if h
]
CSRF_TRUSTED_ORIGINS = [
    o.strip() for o in env_str("CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "csp",
    "axes",
    "lifeline.core",
    "lifeline.alerts",
    "lifeline.people",
    "lifeline.intel",
    "lifeline.care",
    "lifeline.routing",
    "lifeline.missions",
    "lifeline.supplies",
    "lifeline.facilities",
    "lifeline.sync",
    "lifeline.backups",
    "lifeline.web",
    "lifeline.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The language cookie or the browser's Accept-Language; the user's own choice comes after
    # authentication (core.language).
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # no-store on every page, sessions that end when idle, the lockdown answer (core.privacy).
    "lifeline.core.privacy.PrivatePagesMiddleware",
    "lifeline.core.language.UserLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last, so that it sees a view's exception first: a busy database answers 503.
    "lifeline.core.middleware.DatabaseBusyMiddleware",
    # Answers a locked-out sign-in with 429 (django-axes).
    "axes.middleware.AxesMiddleware",
]

# Sign-in throttling (django-axes): after LIFELINE_LOGIN_FAILURES wrong passwords for one
# username from one address, that pair is locked out for LIFELINE_LOGIN_COOLOFF_MINUTES, the
# right password included. Every failure is also in the audit log (core.apps).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_int("LIFELINE_LOGIN_FAILURES", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("LIFELINE_LOGIN_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
AXES_LOCKOUT_CALLABLE = "lifeline.core.middleware.lockout_response"

ROOT_URLCONF = "lifeline.urls"
WSGI_APPLICATION = "lifeline.wsgi.application"

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
                "lifeline.web.context.site_context",
                "lifeline.web.context.menu_context",
            ],
        },
    },
]


def database_config() -> dict[str, Any]:
    url = os.environ.get("DATABASE_URL", "")
    if url:
        config: dict[str, Any] = dict(dj_database_url.parse(url, conn_max_age=60))
        return config
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    # Encrypted at rest (SQLCipher, keyed from the site's key: core.keys); its own file, so
    # that switching it on never meets a plain database. `make run` switches it on.
    encrypted = env_bool("LIFELINE_ENCRYPTED", False)
    name = "lifeline-encrypted.sqlite3" if encrypted else "lifeline.sqlite3"
    return {
        "ENGINE": "lifeline.core.sqlcipher" if encrypted else "django.db.backends.sqlite3",
        "NAME": str(sqlite_file_private(VAR_DIR / name)),
        "OPTIONS": {
            # IMMEDIATE takes the write lock at BEGIN, so concurrent writers queue on the
            # busy timeout instead of failing when a read transaction tries to upgrade.
            "transaction_mode": "IMMEDIATE",
            "timeout": 30,
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
            ),
        },
    }


DATABASES = {"default": database_config()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

# The languages of the camps: English, French and Arabic (right to left). LIFELINE_LANGUAGE is
# the site's default; each user's own choice, then the browser's, win over it.
LANGUAGES = [("en", "English"), ("fr", "Français"), ("ar", "العربية")]
LANGUAGE_CODE = env_str("LIFELINE_LANGUAGE", "en")
if LANGUAGE_CODE not in {code for code, _name in LANGUAGES}:
    raise ImproperlyConfigured(
        f"LIFELINE_LANGUAGE must be one of en, fr, ar, got {LANGUAGE_CODE!r}"
    )
LOCALE_PATHS = [Path(__file__).resolve().parent / "locale"]
# Pages in Arabic write numbers, dates and durations in Western digits (0123456789, what most
# phones type) unless the site asks for Arabic-Indic ones (٠١٢٣٤٥٦٧٨٩).
LIFELINE_ARABIC_DIGITS = env_bool("LIFELINE_ARABIC_DIGITS", False)
TIME_ZONE = env_str("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
# WhiteNoise warns on every request while collectstatic has not made this folder yet.
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
MEDIA_URL = "/media/"
# Backups (lifeline.backups): where they go (a folder or a USB stick), else var/backups; the
# site's key file (lifeline.core.keys), else var/keys/site.key: keep it off the laptop's disk
# (a USB stick the commander carries) so that the data and its key are not taken together.
LIFELINE_BACKUP_DIR = env_str("LIFELINE_BACKUP_DIR", "")
LIFELINE_KEY_FILE = env_str("LIFELINE_KEY_FILE", "")
MEDIA_ROOT = VAR_DIR / "media"
# Media are encrypted at rest whenever the database is (lifeline.core.media).
LIFELINE_MEDIA_ENCRYPTED = env_bool("LIFELINE_ENCRYPTED", False)
STORAGES = {
    # Photos and other uploads, sealed with the site's key when the database is encrypted.
    "default": {"BACKEND": "lifeline.core.media.SiteMediaStorage"},
    # Compressed but not hashed: pages render without a collectstatic manifest (tests, first run).
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
# Tests and `make run` before collectstatic: serve straight from the app folders.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

LOGIN_URL = "web:login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "web:login"

# Request bodies above this size are refused with 413 before anything is parsed.
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("LIFELINE_MAX_BODY_BYTES", 2 * 1024 * 1024)
FILE_UPLOAD_MAX_MEMORY_SIZE = DATA_UPLOAD_MAX_MEMORY_SIZE

# The CLI believes `--user NAME` without a password only where this is set: the operator's
# account on a camp laptop (which can read the database file anyway). Elsewhere, `lifeline
# login` or LIFELINE_TOKEN.
LIFELINE_CLI_TRUST_USER = env_bool("LIFELINE_CLI_TRUST_USER", False)
# An API token (and the CLI's, from `lifeline login`) works this long after it was issued.
LIFELINE_TOKEN_HOURS = env_int("LIFELINE_TOKEN_HOURS", 7 * 24)
# A session lasts a shift, not a fortnight (Django's default): a laptop left signed in at the
# registration desk is signed out by the next morning.
SESSION_COOKIE_AGE = env_int("LIFELINE_SESSION_HOURS", 12) * 3600
SESSION_COOKIE_HTTPONLY = True
# A session ends after this long without a request (a phone left on a table).
LIFELINE_SESSION_IDLE_MINUTES = env_int("LIFELINE_SESSION_IDLE_MINUTES", 60)
SESSION_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
# A camp laptop serves plain HTTP on its own network; behind TLS, set LIFELINE_HTTPS=1.
LIFELINE_HTTPS = env_bool("LIFELINE_HTTPS", False)
SESSION_COOKIE_SECURE = LIFELINE_HTTPS
CSRF_COOKIE_SECURE = LIFELINE_HTTPS
SECURE_SSL_REDIRECT = LIFELINE_HTTPS
SECURE_HSTS_SECONDS = 31536000 if LIFELINE_HTTPS else 0

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "lifeline.core.tokens.ExpiringTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "lifeline.core.api.Pagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "lifeline.core.api.exception_handler",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"]
    + (["rest_framework.renderers.BrowsableAPIRenderer"] if DEBUG else []),
}

# Content-Security-Policy (django-csp): scripts, styles, images and connections from this
# server only; no inline script or style, no frames, no plugins. Pages pass data to their
# scripts in data-* attributes or json_script.
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

# The API's schema and docs list every endpoint and field: signed-in callers only, unless an
# installation chooses to publish them.
LIFELINE_API_DOCS_PUBLIC = env_bool("LIFELINE_API_DOCS_PUBLIC", False)

SPECTACULAR_SETTINGS = {
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "lifeline.core.schema_hooks.error_responses_complete",
    ],
    "SERVE_PERMISSIONS": [
        "rest_framework.permissions.AllowAny"
        if LIFELINE_API_DOCS_PUBLIC
        else "rest_framework.permissions.IsAuthenticated"
    ],
    "TITLE": "Lifeline API",
    "DESCRIPTION": "Field operations for survivor camps and rescue teams.",
    "VERSION": "0.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # One name per choice set, whatever the field is called (`condition`, `conditions`).
    "ENUM_NAME_OVERRIDES": {
        "ConditionEnum": "lifeline.people.models.Condition",
        "StatusEnum": "lifeline.people.models.Status",
        "SexEnum": "lifeline.people.models.Sex",
        "MissionKindEnum": "lifeline.missions.models.MissionKind",
        "MissionStateEnum": "lifeline.missions.models.StateChoices",
        "PointKindEnum": "lifeline.missions.models.PointKind",
        "MemberRoleEnum": "lifeline.missions.models.MemberRole",
        "CheckInStatusEnum": "lifeline.missions.models.CheckInStatus",
        "VehicleStatusEnum": "lifeline.missions.models.VehicleStatus",
        "ReportKindEnum": "lifeline.intel.models.ReportKind",
        "HostileGroupStatusEnum": "lifeline.intel.models.GroupStatus",
        "SightingSourceEnum": "lifeline.intel.models.SightingSource",
        "WatchSeenEnum": "lifeline.intel.models.WatchSeen",
        "CaseKindEnum": "lifeline.people.models.CaseKind",
        "CaseStatusEnum": "lifeline.people.models.CaseStatus",
        "TracingStatusEnum": "lifeline.people.models.TracingStatus",
        "TracingMatchStatusEnum": "lifeline.people.models.TracingMatchStatus",
        "ItemCategoryEnum": "lifeline.supplies.models.Category",
        "LocationKindEnum": "lifeline.supplies.models.LocationKind",
        "MovementKindEnum": "lifeline.supplies.models.MovementKind",
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LIFELINE_LOG_LEVEL", "WARNING")},
}
