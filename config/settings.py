"""Factmark settings, read from the environment (see README "Configuration").

Development is the default: DEBUG on, SQLite under var/, a throwaway secret key.
FACTMARK_ENV=production turns on the secure defaults and refuses to start without
a real SECRET_KEY.
"""

import sys
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from config.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent

PRODUCTION = env_str("FACTMARK_ENV", "development") == "production"
DEBUG = env_bool("DEBUG", default=not PRODUCTION)

_DEV_SECRET = "dev-only-insecure-key-do-not-use-in-production"
SECRET_KEY = env_str("SECRET_KEY", "" if PRODUCTION else _DEV_SECRET)
if PRODUCTION and (len(SECRET_KEY) < 50 or SECRET_KEY == _DEV_SECRET or len(set(SECRET_KEY)) < 5):
    raise ImproperlyConfigured(
        "FACTMARK_ENV=production needs a real SECRET_KEY (at least 50 random characters), "
        "e.g. python -c 'import secrets; print(secrets.token_urlsafe(64))'."
    )

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost", "testserver", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "template_partials.apps.SimpleAppConfig",
    "django_htmx",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "axes",
    # Background work (source snapshots, archive requests, re-checks): Django's task API through
    # the django-tasks backport, stored in the database and run by `manage.py db_worker`.
    "django_tasks",
    "django_tasks_db",
    "annotate",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "annotate.middleware.DatabaseUnavailableMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # LoginRequiredMiddleware that answers htmx with a 401 + event, and sends `next` to a GET-able page.
    "annotate.session_expiry.SessionAwareLoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Too-large bodies get a 413 before anything parses them (after CSP & co. so the page gets their headers).
    "annotate.middleware.RequestSizeLimitMiddleware",
    # A NUL or lone surrogate in a query string or form is a 400 with a message, never a 500 at the write.
    "annotate.inputguard.BadCharacterMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Axes last, as its docs ask: it turns a locked-out login into a 429 page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

_LOADERS = ["django.template.loaders.filesystem.Loader", "django.template.loaders.app_directories.Loader"]
if not DEBUG:
    # Cache compiled templates outside development.
    _LOADERS = [("django.template.loaders.cached.Loader", _LOADERS)]

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
            "builtins": ["template_partials.templatetags.partials"],
            "loaders": [("template_partials.loader.Loader", _LOADERS)],
        },
    }
]

# Database deadlines, in seconds (0: none). See annotate/dbdeadline.py and README "Configuration".
_MANAGEMENT_COMMAND = Path(sys.argv[0]).name == "manage.py" and len(sys.argv) > 1 and sys.argv[1] != "runserver"
FACTMARK_DB_CONNECT_TIMEOUT = env_int("DB_CONNECT_TIMEOUT", 3)
FACTMARK_DB_STATEMENT_TIMEOUT = (
    env_int("DB_COMMAND_STATEMENT_TIMEOUT", 0) if _MANAGEMENT_COMMAND else env_int("DB_STATEMENT_TIMEOUT", 10)
)
FACTMARK_DB_EXPORT_STATEMENT_TIMEOUT = env_int("DB_EXPORT_STATEMENT_TIMEOUT", 300)
# A little over the statement timeout, so a slow but living server cancels the query itself first.
FACTMARK_DB_ANSWER_TIMEOUT = (
    0 if _MANAGEMENT_COMMAND and not FACTMARK_DB_STATEMENT_TIMEOUT
    else env_int("DB_ANSWER_TIMEOUT", FACTMARK_DB_STATEMENT_TIMEOUT + 5 if FACTMARK_DB_STATEMENT_TIMEOUT else 0)
)
FACTMARK_DB_HEALTH_TIMEOUT = env_int("DB_HEALTH_TIMEOUT", 3)

# SQLite in a git-ignored folder unless DATABASE_URL says otherwise.
(BASE_DIR / "var").mkdir(exist_ok=True)
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'var' / 'factmark.sqlite3'}",
        conn_max_age=env_int("DB_CONN_MAX_AGE", 60),
        # Persistent connections are checked before reuse, so the app serves again
        # by itself once a restarted database answers.
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # IMMEDIATE: writers queue for the lock instead of failing half-way ("database is locked").
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"transaction_mode": "IMMEDIATE", "timeout": 20, "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"}
    )
else:
    # Hard deadlines on a database that stops answering (README "Configuration"): a connect
    # timeout; keepalives and tcp_user_timeout so the kernel drops a dead peer; a server-side
    # statement timeout for pages and API calls (exports set a longer one for their own
    # statement); and a client-side limit on every answer (annotate/pgbackend), which holds
    # even when something still acknowledges the packets. Management commands (migrate,
    # imports, training) get no statement or answer limit unless DB_COMMAND_STATEMENT_TIMEOUT says so.
    _statement = FACTMARK_DB_STATEMENT_TIMEOUT
    DATABASES["default"]["ENGINE"] = "annotate.pgbackend"
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "connect_timeout": FACTMARK_DB_CONNECT_TIMEOUT,
            "keepalives": 1,
            "keepalives_idle": env_int("DB_KEEPALIVES_IDLE", 30),
            "keepalives_interval": 10,
            "keepalives_count": 3,
            "tcp_user_timeout": (FACTMARK_DB_ANSWER_TIMEOUT or 60) * 1000,
            # JIT off: the planner's cost estimates for the dashboard's refresh (a few dozen rows
            # in fact) crossed jit_above_cost and PostgreSQL spent ~750 ms compiling 121
            # functions for a 30 ms statement; an app of short statements gains nothing from it.
            "options": "-c jit=off" + (f" -c statement_timeout={_statement * 1000}" if _statement else ""),
        }
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# The cache holds the API throttling counters, so it must be shared by every web process:
# a per-process (locmem) cache would let each worker count on its own. Redis when given,
# else the database (its table is made by migration 0003, so `migrate` is the whole set-up).
REDIS_URL = env_str("REDIS_URL", "")
FACTMARK_CACHE_TABLE = "factmark_cache"
# seed_demo keeps the generated demo password here (git-ignored), so it stays the same across runs.
FACTMARK_DEMO_PASSWORD_FILE = BASE_DIR / "var" / "demo-password"
# API tokens looked up in that cache first (annotate/tokencache.py, revocation at once):
# on with Redis, where a cache read is cheaper than the query it replaces.
FACTMARK_TOKEN_CACHE = env_bool("FACTMARK_TOKEN_CACHE", bool(REDIS_URL))
if REDIS_URL:
    # Django's Redis backend, sharing one client per pool (annotate/rediscache.py).
    CACHES = {"default": {"BACKEND": "annotate.rediscache.SharedClientRedisCache", "LOCATION": REDIS_URL}}
    # Sessions read from Redis, written to both (the database keeps them across a cache flush):
    # one cheap read instead of a query on every page and htmx request (issue 16).
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": FACTMARK_CACHE_TABLE}}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "project-list"
LOGOUT_REDIRECT_URL = "login"

# Password guessing: five failures per username and address lock that pair for an hour.
AXES_ENABLED = env_bool("AXES_ENABLED", True)
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = 1  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_IPWARE_PROXY_COUNT = env_int("AXES_PROXY_COUNT", 0)

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG and env_bool("STATIC_MANIFEST", True)
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# Request size: an article is at most 2 MB of text; a form or JSON body a little more.
FACTMARK_MAX_ARTICLE_BYTES = env_int("FACTMARK_MAX_ARTICLE_BYTES", 2_000_000)
DATA_UPLOAD_MAX_MEMORY_SIZE = FACTMARK_MAX_ARTICLE_BYTES + 500_000
FILE_UPLOAD_MAX_MEMORY_SIZE = FACTMARK_MAX_ARTICLE_BYTES + 500_000
# URL import refuses hosts on private, loopback and link-local addresses (the app must
# not become a way into the newsroom's network); intranet installs can allow them.
FACTMARK_IMPORT_ALLOW_PRIVATE = env_bool("FACTMARK_IMPORT_ALLOW_PRIVATE", False)
# Every URL fetch (import, source snapshots): one total deadline for DNS, connect, headers and
# body, and at most this many in flight per process (more are refused with a clear message).
FACTMARK_FETCH_TIMEOUT = env_int("FACTMARK_FETCH_TIMEOUT", 10)
FACTMARK_FETCH_CONCURRENCY = env_int("FACTMARK_FETCH_CONCURRENCY", 4)
# Tests only: host name -> address of a local test server, trusted as checked. Never from the environment.
FACTMARK_FETCH_TEST_HOSTS: dict[str, str] = {}
# Tasks: the database backend in production and development (`manage.py db_worker` runs them);
# FACTMARK_TASKS_IMMEDIATE=1 runs each task inside the request instead (tests, tiny installs).
TASKS = {
    "default": {
        "BACKEND": "django_tasks.backends.immediate.ImmediateBackend"
        if env_bool("FACTMARK_TASKS_IMMEDIATE", False)
        else "django_tasks_db.DatabaseBackend"
    }
}
# Sources: snapshot on attach, re-check interval of the scheduled task, Save Page Now (off by default:
# many newsrooms run behind firewalls; SAVEPAGENOW_ACCESS_KEY/SECRET_KEY authenticate when set).
FACTMARK_SOURCE_MAX_BYTES = env_int("FACTMARK_SOURCE_MAX_BYTES", 5_000_000)
FACTMARK_RECHECK_EVERY_HOURS = env_int("FACTMARK_RECHECK_EVERY_HOURS", 24)
FACTMARK_RECHECK_OLDER_THAN_DAYS = env_int("FACTMARK_RECHECK_OLDER_THAN_DAYS", 7)
FACTMARK_ARCHIVE_ENABLED = env_bool("FACTMARK_ARCHIVE_ENABLED", False)
FACTMARK_ARCHIVE_TIMEOUT = env_int("FACTMARK_ARCHIVE_TIMEOUT", 120)
FACTMARK_ORGANIZATION = env_str("FACTMARK_ORGANIZATION", "Factmark demo newsroom")
FACTMARK_PUBLIC_URL = env_str("FACTMARK_PUBLIC_URL", "")

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # DRF's Token scheme against hashed tokens (annotate/models/tokens.py).
        "annotate.api.auth.HashedTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
        # No credentials: counted per address before permissions refuse (annotate/api/throttling.py).
        "annotate.api.throttling.AnonymousThrottle",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "annotate.api.pagination.StableCursorPagination",
    "PAGE_SIZE": 100,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "annotate.api.errors.exception_handler",
    # The standard parsers, plus a 400 for a NUL or lone surrogate anywhere in the body.
    "DEFAULT_PARSER_CLASSES": [
        "annotate.inputguard.JSONParser",
        "annotate.inputguard.FormParser",
        "annotate.inputguard.MultiPartParser",
    ],
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.AnonRateThrottle",
        "rest_framework.throttling.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env_str("API_THROTTLE_ANON", "60/min"),
        # Requests with a bad token or no credentials, per address, counted before auth fails.
        "unauthenticated": env_str("API_THROTTLE_UNAUTHENTICATED", env_str("API_THROTTLE_ANON", "60/min")),
        "user": env_str("API_THROTTLE_USER", "10000/min"),
    },
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Factmark API",
    "DESCRIPTION": "Fact-checking annotations: articles, claims, verdicts, sources and their exports.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # The schemes clients use; AnonymousThrottle is an authenticator only to count early, not a scheme.
    "AUTHENTICATION_WHITELIST": [
        "annotate.api.auth.HashedTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    # Desk memory's match decision shares the field name "decision" with suggestions'.
    "ENUM_NAME_OVERRIDES": {"MatchDecisionEnum": ["confirmed", "dismissed"], "SuggestionDecisionEnum": ["accepted", "dismissed"]},
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "annotate.api.schema_hooks.document_list_errors",
    ],
}

# Content-Security-Policy: no inline script or style anywhere (htmx is told not to
# inject its indicator styles; see base.html). JSON-LD blocks are data, not script,
# and browsers do not execute them, so they need no exception.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "connect-src": [SELF],
        "font-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False  # htmx reads the token from the page, not the cookie; kept default
SESSION_COOKIE_SAMESITE = "Lax"

if PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31_536_000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
}

# Notification e-mail (annotate/notify.py): printed to the console in development; in
# production set EMAIL_BACKEND (e.g. django.core.mail.backends.smtp.EmailBackend) and the
# EMAIL_HOST / EMAIL_PORT / EMAIL_HOST_USER / EMAIL_HOST_PASSWORD / EMAIL_USE_TLS below.
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend" if PRODUCTION else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "factmark@localhost")
