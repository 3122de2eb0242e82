"""Settings, all from environment variables; a bad value stops start-up with its name."""

import os
import re
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
import pghistory
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def envstr(name: str, default: str) -> str:
    """A string setting; NAME_FILE, when set, names a file holding the value (for secrets)."""
    path = os.environ.get(f"{name}_FILE")
    if path:
        return Path(path).read_text().strip()
    return os.environ.get(name, default)


def envbool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in ("1", "true", "yes", "on"):
        return True
    if value.lower() in ("0", "false", "no", "off"):
        return False
    raise ImproperlyConfigured(f"{name}={value!r}: expected true/false, 1/0, yes/no or on/off")


def envint(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={value!r}: expected a whole number") from None


def envlist(name: str, default: str) -> list[str]:
    return [item.strip() for item in envstr(name, default).split(",") if item.strip()]


def tile_sources(url: str) -> list[str]:
    """Where the browser may fetch tiles of ``url`` from: its origin, ``{s}.`` subdomains as ``*.``."""
    parts = urlsplit(url)
    if not parts.netloc:
        return []  # no tiles, or tiles served by this site: 'self' covers them
    host = re.sub(r"^\{[^}]*\}\.", "*.", parts.netloc)
    if "{" in host:
        raise ImproperlyConfigured(f"MAP_TILES_URL={url!r}: only the first label of its host may be a placeholder")
    return [f"{parts.scheme}://{host}" if parts.scheme else host]


DEBUG = envbool("DEBUG", True)
SECRET_KEY = envstr("SECRET_KEY", "local-development-only-key" if DEBUG else "")
if not SECRET_KEY:
    raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off")
ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must be set when DEBUG is off")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", "")

# In production the site is reached over HTTPS only; TLS usually ends at a reverse proxy,
# which must then set X-Forwarded-Proto (and strip any sent by the client).
HTTPS = envbool("HTTPS", not DEBUG)
BEHIND_TLS_PROXY = envbool("BEHIND_TLS_PROXY", HTTPS)
if BEHIND_TLS_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = HTTPS
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 31_536_000 if HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = envbool("SECURE_HSTS_INCLUDE_SUBDOMAINS", HTTPS)
SECURE_HSTS_PRELOAD = envbool("SECURE_HSTS_PRELOAD", HTTPS)

# Request bodies beyond this are refused before any parsing (a 400), uploads included.
DATA_UPLOAD_MAX_MEMORY_SIZE = envint("DATA_UPLOAD_MAX_MEMORY_SIZE", 5 * 1024 * 1024)
# The largest photograph or document an inspection report carries; a multipart body may be this much
# larger than the limit above.
ATTACHMENT_MAX_BYTES = envint("ATTACHMENT_MAX_BYTES", 20 * 1024 * 1024)

INSTALLED_APPS = [
    # Before django.contrib.admin: its templates add the audit trail's links to every change form.
    "pghistory.admin",
    # Django's admin on a site that asks writing roles for their second factor.
    "accounts.apps.AdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.gis",
    "rest_framework",
    "knox",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "rest_framework_gis",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "leaflet",
    "pgtrigger",
    "pghistory",
    "zones",
    "tracker",
    "maps",
    "ogc",
    "csp",
    "accounts",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "tracker.languages.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "tracker.middleware.RefusalMiddleware",
    "tracker.api.conditional.DataVersionMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "pghistory.middleware.HistoryMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "tracker.urls"
WSGI_APPLICATION = "tracker.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
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

# The local cluster that `make run` starts; DATABASE_URL points elsewhere. The application connects
# as a role that owns nothing (docs/security.md): it can read and write rows, never change a table,
# drop a trigger or set one aside. Migrations, flush and bundle imports connect as the database's
# owner instead: DATABASE_OWNER (a role name, on the same server and database) with
# DATABASE_OWNER_PASSWORD; without DATABASE_OWNER, the role of DATABASE_URL does everything.
LOCAL_DATABASE_URL = f"postgres://tracker@127.0.0.1:{envint('TRACKER_DB_PORT', 54329)}/tracker"
DATABASE_URL = envstr("DATABASE_URL", "")
DATABASES = {
    "default": dj_database_url.parse(
        DATABASE_URL or LOCAL_DATABASE_URL,
        engine="django.contrib.gis.db.backends.postgis",
        conn_max_age=envint("CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
    # One transaction per request: a write is committed only once its whole answer is ready, so a
    # request that loses the database halfway (a 503) has stored nothing.
    | {"ATOMIC_REQUESTS": True}
}
DATABASE_RUNTIME_ROLE = DATABASES["default"]["USER"]
DATABASE_OWNER = envstr("DATABASE_OWNER", "" if DATABASE_URL else "tracker_owner") or DATABASE_RUNTIME_ROLE
DATABASE_OWNER_PASSWORD = envstr("DATABASE_OWNER_PASSWORD", "")

# The tracker's own Ed25519 private key (PEM, PKCS #8), which signs the ledger's tree heads (docs/ledger.md).
# The default is the demo's published key: the deployment check refuses to serve with it.
LEDGER_KEY_FILE = Path(envstr("TRACKER_LEDGER_KEY_FILE", str(BASE_DIR / "fixtures" / "demo_keys" / "tracker.pem")))
DEMO_KEYS_DIR = BASE_DIR / "fixtures" / "demo_keys"

# A statement of a web request that runs longer than this is cancelled by PostgreSQL and the
# request answers 503 (tracker.middleware), so no request holds a database core for minutes. Set
# on the connection of the web process only, which tracker/wsgi.py marks: imports, checks and
# benchmarks run as management commands and are never cut short.
WEB_STATEMENT_TIMEOUT_MS = envint("WEB_STATEMENT_TIMEOUT_MS", 15_000)
# No just-in-time compilation: the engine's queries run in well under a second, and compiling one
# that the planner overestimates (a few sites where it guessed thousands) takes longer than running it.
DATABASE_OPTIONS = ["-c jit=off"]
if os.environ.get("TRACKER_WEB_PROCESS") == "1":
    DATABASE_OPTIONS.append(f"-c statement_timeout={WEB_STATEMENT_TIMEOUT_MS}")
DATABASES["default"].setdefault("OPTIONS", {})["options"] = " ".join(DATABASE_OPTIONS)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# How long the answer to an API write sent with an Idempotency-Key is kept for the key's retries
# (docs/api.md): a client that lost its answer has this long to retry before the key is forgotten
# and the same key would write again.
IDEMPOTENCY_KEY_HOURS = envint("IDEMPOTENCY_KEY_HOURS", 24)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Lock-out (django-axes): after LOGIN_FAILURE_LIMIT wrong passwords or codes for one username from one
# address, that pair is refused, right password included, until LOGIN_COOLOFF_MINUTES pass without a try.
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]
AXES_FAILURE_LIMIT = envint("LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=envint("LOGIN_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "accounts.lockout.refusal"
AXES_CLIENT_IP_CALLABLE = "accounts.lockout.client_address"
LOGIN_URL = "admin:login"

# Second factor (django-otp): writing roles and superusers confirm a TOTP device and give its code.
OTP_TOTP_ISSUER = "Treaty-compliance tracker"
OTP_ADMIN_HIDE_SENSITIVE_DATA = True  # the admin lists devices without their keys

# API tokens (django-rest-knox): stored as SHA-512 digests, each with an expiry and a scope.
KNOX_TOKEN_MODEL = "accounts.ApiToken"
# knox's migrations create its own token table even when the model is swapped out: nothing would use it.
MIGRATION_MODULES = {"knox": None}
REST_KNOX = {"TOKEN_TTL": timedelta(hours=envint("API_TOKEN_TTL_HOURS", 24))}

# Alerts (tracker/alerts.py, tracker/webhooks.py): the feeds' entry ids, and the webhook worker's rules.
ALERT_TAG_AUTHORITY = envstr("ALERT_TAG_AUTHORITY", "treaty-tracker.localhost")
ALERT_FEED_ENTRIES = envint("ALERT_FEED_ENTRIES", 50)
ALERT_DELIVERY_ATTEMPTS = envint("ALERT_DELIVERY_ATTEMPTS", 12)
ALERT_WORKER_IDLE_SECONDS = envint("ALERT_WORKER_IDLE_SECONDS", 2)
# How often `sign_tree_head --daily` looks whether a day has passed since the last tree head.
TREE_HEAD_WORKER_IDLE_SECONDS = envint("TREE_HEAD_WORKER_IDLE_SECONDS", 60)
# Webhooks to loopback and private addresses are refused (SSRF), except for a local demo or the tests.
ALERT_WEBHOOK_ALLOW_PRIVATE = envbool("ALERT_WEBHOOK_ALLOW_PRIVATE", False)

# The settlement's three languages (docs/glossary.md): pages, messages and command output in each.
# LANGUAGE_CODE is the language of a page or answer that names none, and of the commands' output.
LANGUAGES = [("en-gb", "English"), ("uk", "Українська"), ("ru", "Русский")]
LANGUAGE_CODE = envstr("LANGUAGE_CODE", "en-gb")
if LANGUAGE_CODE not in dict(LANGUAGES):
    raise ImproperlyConfigured(f"LANGUAGE_CODE: {LANGUAGE_CODE!r} is not one of {', '.join(dict(LANGUAGES))}")
# The project's own templates (templates/); each app keeps its catalogue in its own locale/ folder.
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# Base map tiles are optional: empty means no tile layer, so maps work offline.
MAP_TILES_URL = envstr("MAP_TILES_URL", "")
MAP_TILES_ATTRIBUTION = envstr("MAP_TILES_ATTRIBUTION", "")
LEAFLET_CONFIG = {
    "TILES": [("Base map", MAP_TILES_URL, {"attributionPrefix": MAP_TILES_ATTRIBUTION})] if MAP_TILES_URL else [],
    "DEFAULT_CENTER": (49.0, 32.0),
    "DEFAULT_ZOOM": 5,
    "RESET_VIEW": False,
    "NO_GLOBALS": False,
    # Kilometres and metres alone: the treaty's distances are metric (maps/static/maps/leaflet-language.js).
    "SCALE": "metric",
}

# Only this site's own files run as scripts or style pages: nothing inline, no eval, nothing from
# elsewhere. What is inline by design carries this response's nonce: django-leaflet's map set-up, and
# the styles in Swagger UI's and the browsable API's pages (templates/drf_spectacular, templates/rest_framework).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, NONCE],
        "img-src": [SELF, "data:", *tile_sources(MAP_TILES_URL)],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    }
}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "accounts.tokens.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["tracker.api.permissions.ReadsByRole"],
    "DEFAULT_PARSER_CLASSES": [
        "tracker.api.parsers.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "tracker.api.schema.TrackerAutoSchema",
    "DEFAULT_PAGINATION_CLASS": "tracker.api.pagination.Pagination",
    "EXCEPTION_HANDLER": "tracker.api.conflicts.handle",
    "DEFAULT_CONTENT_NEGOTIATION_CLASS": "tracker.api.negotiation.FormatFirst",
    "DEFAULT_THROTTLE_CLASSES": ["tracker.api.throttling.TokenRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"token": envstr("API_TOKEN_RATE", "2000/hour")},
}
# Tree heads asked for on demand (POST /api/ledger/heads/), per user: each may cost the tracker a signature.
TREE_HEAD_RATE = envstr("TREE_HEAD_RATE", "60/hour")

SPECTACULAR_SETTINGS = {
    "TITLE": "Treaty-compliance tracker API",
    "DESCRIPTION": "Zones, ceilings, declared holdings, inspections and breaches, as of any date.",
    "VERSION": "1.0.0",
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "SERVE_INCLUDE_SCHEMA": False,
    "ENUM_NAME_OVERRIDES": {
        "HoldingStatusEnum": "tracker.models.declarations.HoldingStatus",
        "NotificationStatusEnum": "tracker.models.declarations.NotificationStatus",
        "ReportStatusEnum": "tracker.models.inspections.ReportStatus",
        "FindingStateEnum": "tracker.models.concerns.FindingState",
        "ConcernStateEnum": "tracker.models.concerns.ConcernState",
        "InspectionKindEnum": "tracker.models.inspections.InspectionKind",
        "AnswerEnum": "tracker.models.inspection_requests.Answer",
    },
}

# The audit trail is evidence: its event tables refuse UPDATE and DELETE, raw SQL included.
PGHISTORY_APPEND_ONLY = True
# Deletions too: an audit trail between states must show what disappeared.
PGHISTORY_DEFAULT_TRACKERS = (pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())
# The admin's audit trail shows who made each change (the middleware's context) beside the diff.
PGHISTORY_ADMIN_MODEL = "tracker.AuditEvent"
# An event's copies of its record's foreign keys are read through the event's data, never looked up
# by: an index on each would only slow the writes of every event. The record and the context are.
PGHISTORY_FOREIGN_KEY_FIELD = pghistory.ForeignKey(db_index=False)
PGHISTORY_OBJ_FIELD = pghistory.ObjForeignKey(db_index=True)
PGHISTORY_CONTEXT_FIELD = pghistory.ContextForeignKey(db_index=True)
PGHISTORY_ADMIN_CLASS = "tracker.admin.audit.AuditTrailAdmin"

# Debian 12 ships GDAL 3.6; the check asks for 3.9. Spatial references here come from the
# project's own files and validated uploads, not from arbitrary remote paths.
SILENCED_SYSTEM_CHECKS = ["gis.W001"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": envstr("LOG_LEVEL", "INFO")},
}
