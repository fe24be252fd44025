"""Settings come from the environment (django-environ).

With nothing configured the project runs on a local SQLite file and executes Celery tasks in
process, so `make run` needs no services. `DATABASE_URL` and `REDIS_URL` switch to PostgreSQL and
Redis, as in CI and production.
"""

from datetime import timedelta
from pathlib import Path

import environ
from csp.constants import NONCE, NONE, SELF
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)
# The fallback key is only for local development: production refuses to start without one.
SECRET_KEY = env("SECRET_KEY", default="") or (
    "insecure-development-key-change-me" if DEBUG else ""
)
if not SECRET_KEY:
    raise environ.ImproperlyConfigured("Set SECRET_KEY (or DEBUG=1 for local development).")

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    # Before the admin, so that translated fields show in both languages there.
    "modeltranslation",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "axes",
    "csp",
    "knox",
    "rules.apps.AutodiscoverRulesConfig",
    "core",
    "challenges",
    "vendors",
    "evaluation",
    "procurement",
    "opendata",
]

MIDDLEWARE = [
    # First: the arrival time decides whether a submission was on time, before any wait.
    "core.middleware.ArrivalTimeMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Reads only Content-Length; none of the middleware above reads the body, and views (and
    # CSRF's process_view) run after it.
    "core.middleware.RequestBodyLimitMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: it turns a locked-out sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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
                "core.context_processors.municipality",
                "procurement.context_processors.notifications",
            ],
        },
    },
]

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # `make run` has the web server, a worker and beat writing to one file: writers queue for the
    # lock (IMMEDIATE, with a timeout) instead of failing, and readers do not block them (WAL).
    DATABASES["default"].setdefault(
        "OPTIONS",
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL;",
        },
    )
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=0))
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    # First: a locked-out username is refused before any password is checked.
    "core.authentication.LockoutBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Password guessing: after LOGIN_FAILURE_LIMIT failed sign-ins for one username from one client
# address (sign-in page, admin, HTTP Basic), that pair is locked out for LOGIN_LOCKOUT_MINUTES.
# Attempts during the lockout do not extend it; a successful sign-in clears the count.
AXES_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("LOGIN_LOCKOUT_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_CALLABLE = "core.views.locked_out"
AXES_CLIENT_IP_CALLABLE = "core.throttling.client_ip"
AXES_VERBOSE = False
# Only failures count towards a lockout; successful sign-ins are not logged (nothing needs them).
AXES_DISABLE_ACCESS_LOG = True
# Reverse proxies in front of the site that append the client's address to X-Forwarded-For
# (0: the client connects directly and REMOTE_ADDR is its address).
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
# Attempts to create an account from one client address per hour (0: no limit).
SIGNUP_LIMIT_PER_HOUR = env.int("SIGNUP_LIMIT_PER_HOUR", default=10)
# Residents' input (no account needed): contributions from one client address per window, on one
# challenge and on all of them (0: no limit). The address is kept only as a keyed digest.
INPUT_LIMIT_PER_CHALLENGE = env.int("INPUT_LIMIT_PER_CHALLENGE", default=5)
INPUT_LIMIT_PER_CLIENT = env.int("INPUT_LIMIT_PER_CLIENT", default=20)
INPUT_LIMIT_WINDOW_MINUTES = env.int("INPUT_LIMIT_WINDOW_MINUTES", default=10)
# Requests to follow a challenge by e-mail per client address and hour (0: no limit).
FOLLOW_EMAIL_LIMIT_PER_HOUR = env.int("FOLLOW_EMAIL_LIMIT_PER_HOUR", default=10)
# An e-mail follow not confirmed within this many days is deleted (hourly).
FOLLOW_UNCONFIRMED_DAYS = env.int("FOLLOW_UNCONFIRMED_DAYS", default=7)
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "challenges:board"
LOGOUT_REDIRECT_URL = "challenges:board"

# Language and time. Times are stored in UTC and shown in the municipality's zone.
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("fr", _("French"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
# Content (statements, addenda, answers, themes...) may be written in either official language;
# a reader sees their language, or the other one, marked, when only that one exists.
MODELTRANSLATION_DEFAULT_LANGUAGE = "en"
MODELTRANSLATION_FALLBACK_LANGUAGES = ("en", "fr")
USE_TZ = True
TIME_ZONE = env("MUNICIPALITY_TIME_ZONE", default="America/Moncton")

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# The audit chain's head is published at checkpoints (core.audit_chain): every hour by default,
# each shown once transactions running at its time have committed (the grace).
AUDIT_CHECKPOINT_MINUTES = env.int("AUDIT_CHECKPOINT_MINUTES", default=60)
AUDIT_CHECKPOINT_GRACE_MINUTES = env.int("AUDIT_CHECKPOINT_GRACE_MINUTES", default=5)

# E-mail: EMAIL_URL (e.g. smtp+tls://user:password@mail.example.org:587) or EMAIL_BACKEND. The
# console backend, the development default, writes receipts and sign-up and invitation links
# (their tokens) to the server log: with DEBUG off a real backend must be named, or nothing starts.
CONSOLE_EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
if env("EMAIL_URL", default=""):
    globals().update(env.email_url("EMAIL_URL"))
else:
    EMAIL_BACKEND = env("EMAIL_BACKEND", default=CONSOLE_EMAIL_BACKEND if DEBUG else "")
if not DEBUG and EMAIL_BACKEND in ("", CONSOLE_EMAIL_BACKEND):
    raise environ.ImproperlyConfigured(
        "Set EMAIL_URL (e.g. smtp://mail.example.org:25) or EMAIL_BACKEND to a backend that sends "
        "mail: with DEBUG off the console backend would write sign-up links and receipts to the "
        "server log."
    )
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="procurement@localhost")

# Upload and request size limits: bad input gets a clear 400 or 413, never a crash.
# Largest document a vendor may attach to a proposal (bytes).
VENDOR_DOCUMENT_MAX_BYTES = env.int("VENDOR_DOCUMENT_MAX_BYTES", default=10 * 1024 * 1024)
# Any request whose declared body is larger is refused (413) before it is read: the largest
# document plus room for the form's other fields and the multipart framing.
REQUEST_BODY_MAX_BYTES = env.int(
    "REQUEST_BODY_MAX_BYTES", default=VENDOR_DOCUMENT_MAX_BYTES + 1024 * 1024
)
# Form fields and JSON bodies, files left out (core.parsers applies it to the API too).
DATA_UPLOAD_MAX_MEMORY_SIZE = env.int("DATA_UPLOAD_MAX_MEMORY_SIZE", default=1024 * 1024)
DATA_UPLOAD_MAX_NUMBER_FIELDS = 500
# Uploaded files over this size are streamed to a temporary file instead of memory.
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
if max(VENDOR_DOCUMENT_MAX_BYTES, DATA_UPLOAD_MAX_MEMORY_SIZE) > REQUEST_BODY_MAX_BYTES:
    raise environ.ImproperlyConfigured(
        "REQUEST_BODY_MAX_BYTES must be at least VENDOR_DOCUMENT_MAX_BYTES and "
        "DATA_UPLOAD_MAX_MEMORY_SIZE, or those uploads could never arrive."
    )

# Security. Strict when DEBUG is off (`manage.py check --deploy` is clean).
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if not DEBUG:
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

REDIS_URL = env("REDIS_URL", default="")
# The cache holds only counters (account creation per client): Redis when there is one, so every
# web process counts together; otherwise each process's memory.
CACHES = {
    "default": (
        {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "cache",
        }
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

# Content-Security-Policy (django-csp): everything from this site only, no inline script unless
# it carries the request's nonce (`request.csp_nonce`), no inline style, no plugins, no framing.
# Swagger UI's stylesheet draws its icons from data: URIs.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# Celery. With REDIS_URL: Redis (production, CI, `make worker` / `make beat`). Without it and with
# DEBUG on (`make run`): a folder queue (config/folder_queue.py, kombu's filesystem transport with
# atomic hand-offs), so a real worker and beat run with no other service. Otherwise (DEBUG off,
# no Redis): tasks run in process.
CELERY_LOCAL_FOLDER = Path(env("CELERY_LOCAL_FOLDER", default=str(BASE_DIR / ".celery")))
CELERY_BROKER_TRANSPORT_OPTIONS = {
    # Publishing gives up quickly when the broker is down: the row is in the outbox already.
    "max_retries": 2,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.5,
    # A message taken by a worker that died is handed out again after this long (Redis).
    "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=3600),
}
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    CELERY_TASK_ALWAYS_EAGER = False
elif DEBUG:
    CELERY_BROKER_URL = "folderqueue://"
    CELERY_BROKER_TRANSPORT_OPTIONS |= {
        "data_folder_in": str(CELERY_LOCAL_FOLDER / "queue"),
        "data_folder_out": str(CELERY_LOCAL_FOLDER / "queue"),
        "processed_folder": str(CELERY_LOCAL_FOLDER / "processed"),
        "control_folder": str(CELERY_LOCAL_FOLDER / "control"),
        "store_processed": False,
    }
    CELERY_TASK_ALWAYS_EAGER = False
    for _folder in ("queue", "processed", "control"):
        (CELERY_LOCAL_FOLDER / _folder).mkdir(parents=True, exist_ok=True)
else:
    CELERY_BROKER_URL = "memory://"
    CELERY_TASK_ALWAYS_EAGER = True
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_EAGER_PROPAGATES = True
# Safe failures: a task is acknowledged only when done, handed out again if its worker dies, and a
# worker holds one message at a time, so a crash loses nothing and delays little.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 300
CELERY_TASK_SOFT_TIME_LIMIT = 240
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_TIMEZONE = "UTC"
CELERY_BEAT_SCHEDULE = {
    "chronograph-tick": {"task": "procurement.chronograph_tick", "schedule": 60.0},
    "reminders-deliver": {"task": "procurement.reminders_deliver", "schedule": 60.0},
    "outbox-sweep": {"task": "procurement.outbox_sweep", "schedule": 60.0},
    "follows-unconfirmed-delete": {
        "task": "procurement.follows_unconfirmed_delete",
        "schedule": 3600.0,
    },
}
# A beat message not run within a minute is dropped: the next tick does the same work.
for _entry in CELERY_BEAT_SCHEDULE.values():
    _entry["options"] = {"expires": 55}

# Reminders and notifications (DESIGN.md §4).
# Before each deadline, a reminder this long before it: "7d,2d,1d,2h" (d, h, m units).
REMINDER_OFFSETS = [
    int(value[:-1]) * {"d": 86400, "h": 3600, "m": 60}[value[-1]]
    for value in env.list("REMINDER_OFFSETS", default=["7d", "2d", "1d", "2h"])
]
# Links in emails and calendar entries start with this address.
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000")
# A worker sending an email holds it this long; after a crash another worker may send it again.
NOTIFICATION_EMAIL_LEASE_SECONDS = env.int("NOTIFICATION_EMAIL_LEASE_SECONDS", default=300)
NOTIFICATION_EMAIL_MAX_ATTEMPTS = env.int("NOTIFICATION_EMAIL_MAX_ATTEMPTS", default=8)
# The sweeper leaves fresh rows to the task queued at commit for this long.
NOTIFICATION_OUTBOX_GRACE_SECONDS = env.int("NOTIFICATION_OUTBOX_GRACE_SECONDS", default=60)

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        # Personal API tokens ("Authorization: Token ..."), made on the account page: a hashed
        # lookup, where HTTP Basic pays a full password hash on every request.
        "knox.auth.TokenAuthentication",
        "core.authentication.BasicAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
    # Size-limited (DATA_UPLOAD_MAX_MEMORY_SIZE): DRF's own parsers read bodies of any size.
    "DEFAULT_PARSER_CLASSES": [
        "core.parsers.JSONParser",
        "core.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 20,
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.SearchFilter",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_SCHEMA_CLASS": "core.api.AutoSchema",
    "EXCEPTION_HANDLER": "core.api.exception_handler",
}
# Personal API tokens: their digests are stored in core.ApiToken, which has a name; each token's
# expiry is chosen when it is made (none: until revoked).
KNOX_TOKEN_MODEL = "core.ApiToken"
REST_KNOX = {"TOKEN_TTL": None, "AUTH_HEADER_PREFIX": "Token"}
SPECTACULAR_SETTINGS = {
    "TITLE": "Civic Challenge Procurement API",
    "DESCRIPTION": "Challenges, co-design, questions, addenda and their transitions.",
    "VERSION": "0.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # Several models have a `status` or `kind`; each choice set gets its own readable name.
    "ENUM_NAME_OVERRIDES": {
        "ChallengeStatusEnum": "challenges.models.Challenge.Status",
        "CommunityInputStatusEnum": "challenges.models.CommunityInput.Status",
        "CommunityInputKindEnum": "challenges.models.CommunityInput.Kind",
        "QuestionStatusEnum": "challenges.models.Question.Status",
        "AddendumStatusEnum": "challenges.models.Addendum.Status",
        "EngagementActivityKindEnum": "challenges.models.EngagementActivity.Kind",
        "DocumentKindEnum": "challenges.models.Document.Kind",
        "DocumentAttachedToEnum": "challenges.models.Document.AttachedTo",
        "GovernanceDecisionTopicEnum": "challenges.models.GovernanceDecision.Topic",
        "ContractTermTopicEnum": "procurement.models.ContractTerm.Topic",
        "ProposalStatusEnum": "vendors.models.Proposal.Status",
        "VendorRoleEnum": "vendors.models.VendorMembership.Role",
        "VendorSizeEnum": "vendors.models.VendorOrganization.Size",
        "ProvinceEnum": "vendors.models.Province",
        "CurrencyEnum": "vendors.models.PriceEnvelope.Currency",
        "EvaluationStageEnum": "evaluation.models.Evaluation.Status",
        "PanelAssignmentStatusEnum": "evaluation.models.PanelAssignment.Status",
        "CriterionKindEnum": "evaluation.models.Criterion.Kind",
        "PlanCombinationEnum": "evaluation.models.EvaluationPlan.Combination",
        "TieBreakEnum": "evaluation.models.EvaluationPlan.TieBreak",
        "AwardStatusEnum": "procurement.models.Award.Status",
        "PilotStatusEnum": "procurement.models.Pilot.Status",
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    # django-axes logs every failed sign-in at INFO; its warnings (new failures, lockouts) remain.
    "loggers": {"axes": {"level": "WARNING"}},
}

# The municipality and its procurement rules.
MUNICIPALITY_NAME = env("MUNICIPALITY_NAME", default="City of Riverbend")
CHALLENGE_REFERENCE_PREFIX = env("CHALLENGE_REFERENCE_PREFIX", default="RVB")
# Amounts (budgets, prices, awards) are in this ISO 4217 currency, printed in the reader's locale.
MUNICIPALITY_CURRENCY = env("MUNICIPALITY_CURRENCY", default="CAD")
# The region whose conventions dates and numbers follow in each language (en -> en_CA, fr -> fr_CA).
MUNICIPALITY_REGION = env("MUNICIPALITY_REGION", default="CA")
# Submission deadline at least this many days after publication (and after a dated addendum).
MINIMUM_SUBMISSION_PERIOD_DAYS = env.int("MINIMUM_SUBMISSION_PERIOD_DAYS", default=14)
# A challenge closes this long after its submission deadline, so that every submission that
# reached the server before the deadline has finished first. Keep it longer than the longest a
# request may run (gunicorn's --timeout, the proxy's read timeout).
SUBMISSION_CLOSE_GRACE_SECONDS = env.int("SUBMISSION_CLOSE_GRACE_SECONDS", default=120)
# Co-design evidence needed before review: engagement activities recorded in co-design.
MINIMUM_ENGAGEMENT_ACTIVITIES = env.int("MINIMUM_ENGAGEMENT_ACTIVITIES", default=1)
# Days between telling vendors the award result and making the award final (standstill).
AWARD_STANDSTILL_DAYS = env.int("AWARD_STANDSTILL_DAYS", default=10)
# Open Contracting ID prefix (registered with the OCDS helpdesk) for the open-data releases.
OCDS_OCID_PREFIX = env("OCDS_OCID_PREFIX", default="ocds-rvb000")
# Where the data governance extension's documentation is read (extension.json's documentationUrl),
# e.g. docs/open-data.md in the public repository; empty: the README the app serves beside it.
OCDS_EXTENSION_DOCUMENTATION_URL = env("OCDS_EXTENSION_DOCUMENTATION_URL", default="")
