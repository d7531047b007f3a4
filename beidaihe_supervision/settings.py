"""Settings for the Beidaihe enforcement-supervision platform.

One file, configured from the environment (README, "Configuration"). A malformed value
stops start-up with a message naming the variable, so a typo in a deployment never runs
silently on a default.
"""
from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("BEIDAIHE_VAR_DIR", BASE_DIR / "var"))

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name}={raw!r}: expected one of 1/0, true/false, yes/no, on/off")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r}: expected a whole number") from None


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    items = [item.strip() for item in raw.split(",") if item.strip()]
    if not items:
        raise ImproperlyConfigured(f"{name}={raw!r}: expected a comma-separated list")
    return items


DEBUG = env_bool("DJANGO_DEBUG", False)
# Django's own debug pages for a missing page or an error (they list URL patterns and
# settings); off by default, also under DEBUG (core.middleware.PlatformErrorPagesMiddleware).
DEBUG_ERROR_PAGES = env_bool("DJANGO_DEBUG_PAGES", False)

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        # A production start without a key must fail loudly, not sign sessions with a
        # known value. Tests and `make run` set DJANGO_DEBUG or a key explicitly.
        raise ImproperlyConfigured("DJANGO_SECRET_KEY is required when DJANGO_DEBUG=0")
    SECRET_KEY = "django-insecure-local-development-only-not-for-production-use-0123456789"

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "axes",
    "csp",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    # shared pieces
    "core",
    "deadlines",
    "documents",
    "cases",
    # mechanisms (SPEC M1–M15), one app each
    "evidence",  # M13
    "discipline",  # M10
    "transfers",  # M4
    "townships",  # M15
    "meetings",  # M1, M14.1, M14.3
    "dashboard",
    "portal",  # the public site at /public/ (no sign-in)
    "disputes",  # M2, M15.6
    "complaints",  # M3, M15.2, M15.5's assistance
    # approvals/, jointcases/ (issue 20: M14.2, M14.4, M6)
    "approvals",
    "jointcases",
    "infosharing",  # M5 information sharing
    "accountability",  # M8
    "exemption",  # M12
    # M11, W1, W3 (guiding cases, training, information reports)
    "guidingcases",
    "training",
    "inforeports",
    "inspections",  # M7 (inspections app)
    "assessment",  # M9 appraisal, W2 implementation supervision
    # Last: the demo district's year of activity, made through every app's services.
    "demo_district",
]

MIDDLEWARE = [
    # First: with DEBUG on, the platform's own 404/500 pages instead of Django's.
    "core.middleware.PlatformErrorPagesMiddleware",
    "core.middleware.RequestSizeLimitMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "core.middleware.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "core.middleware.SessionIdleTimeoutMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "core.middleware.RequestContextMiddleware",
    "core.middleware.UniqueViolationMiddleware",
    "core.middleware.SignInStepsMiddleware",
    # Last, as django-axes requires: it turns a locked-out login into the lock-out page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "beidaihe_supervision.urls"
WSGI_APPLICATION = "beidaihe_supervision.wsgi.application"

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
                "core.context_processors.navigation",
                "deadlines.context_processors.deadlines",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------
_default_db = f"sqlite:///{VAR_DIR / 'beidaihe.sqlite3'}"
try:
    DATABASES = {
        "default": dj_database_url.parse(
            os.environ.get("DATABASE_URL") or _default_db, conn_max_age=60
        )
    }
except Exception as exc:  # dj-database-url raises several types for a bad URL
    raise ImproperlyConfigured(f"DATABASE_URL is malformed: {exc}") from None
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    # The web server, the worker and beat write to one file: wait for the lock instead
    # of failing with "database is locked".
    DATABASES["default"]["OPTIONS"] = {"timeout": 20, "transaction_mode": "IMMEDIATE"}
    # Covering indexes (INCLUDE) serve the PostgreSQL lists; SQLite ignores the extra
    # columns, which is harmless for the embedded default.
    SILENCED_SYSTEM_CHECKS = ["models.W040"]
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # PostgreSQL's JIT compiles each dashboard aggregate anew and added ~250 ms to a
    # page that takes ~600 ms at a million cases (make bench ARGS=dashboard); an
    # interactive application gains nothing from it.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "core.User"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # Before the password is checked: a user name that must still wait is refused.
    "core.login.LoginDelayBackend",
    "django.contrib.auth.backends.ModelBackend",
]

# The password policy (core.passwords; 等保 2.0 level 3): ten characters or more, of three
# classes at least, not the user name. An account an administrator created or reset must
# change its password at the first sign-in (User.password_change_required).
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
     "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "core.passwords.CharacterClassesValidator", "OPTIONS": {"min_classes": 3}},
    {"NAME": "core.passwords.NotUsernameValidator"},
]

# The second factor (core.twofactor, django-otp TOTP with recovery codes): required of the
# justice bureau's supervisors and of administrators, offered to everyone else.
OTP_REQUIRED = env_bool("DJANGO_OTP_REQUIRED", True)
OTP_TOTP_ISSUER = "北戴河区行政执法协调监督平台"

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Failed sign-ins (core.login). Per user name a growing delay, not a lock: after
# LOGIN_FAILURE_LIMIT failures each further one doubles the wait (1 s, 2 s, 4 s …, at most
# LOGIN_DELAY_MAX_SECONDS). Per client address, across user names, django-axes locks the
# address for LOGIN_LOCKOUT_MINUTES after LOGIN_ADDRESS_FAILURE_LIMIT failures.
LOGIN_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
LOGIN_DELAY_MAX_SECONDS = env_int("LOGIN_DELAY_MAX_SECONDS", 300)
AXES_FAILURE_LIMIT = env_int("LOGIN_ADDRESS_FAILURE_LIMIT", 20)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("LOGIN_LOCKOUT_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = ["ip_address"]
# The client's address from the trusted proxy's header when DJANGO_BEHIND_PROXY.
AXES_CLIENT_IP_CALLABLE = "core.login.client_ip"
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# Not reset by a success: an attacker with one account of their own could otherwise sign
# in between guesses and never reach the address limit.
AXES_RESET_ON_SUCCESS = False
AXES_VERBOSE = False

# --- Internationalisation --------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# --- Static and uploaded files -------------------------------------------------------
STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "staticfiles"))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # whitenoise warns of a missing folder
# In production (DJANGO_DEBUG=0) the static files carry their content's hash in their
# names and whitenoise serves them with a far-future cache header; `manage.py
# collectstatic` must have run (README, "Production") — a page naming a file that was not
# collected fails loudly rather than serving a stale copy. `make run` (debugging) serves
# them from the source folders under their plain names, and so do `make test` and
# `make bench`, which set DJANGO_STATIC_MANIFEST=0 deliberately: they never read a
# var/staticfiles collected earlier (core/tests/test_serving.py collects its own).
STATIC_MANIFEST = env_bool("DJANGO_STATIC_MANIFEST", not DEBUG)
STORAGES = {
    # Attachments, issued documents and exports: all under MEDIA_ROOT (one storage root,
    # what `manage.py backup` archives and `restore` unpacks).
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "core.staticfiles.ManifestStaticFilesStorage"
                    if STATIC_MANIFEST else "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = not STATIC_MANIFEST
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
MEDIA_URL = "/media/"  # never served directly: files go through access-checked views

ATTACHMENT_MAX_BYTES = env_int("ATTACHMENT_MAX_MB", 50) * 1024 * 1024
# An office document (a zip) whose entries declare more than this unpacked is refused.
ATTACHMENT_MAX_UNPACKED_BYTES = env_int("ATTACHMENT_MAX_UNPACKED_MB", 200) * 1024 * 1024
FILE_UPLOAD_PERMISSIONS = 0o640
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
# A request whose declared body is larger is refused before it is read
# (core.middleware.RequestSizeLimitMiddleware): the largest file and the form around it.
REQUEST_MAX_BYTES = ATTACHMENT_MAX_BYTES + DATA_UPLOAD_MAX_MEMORY_SIZE

# --- Security ----------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
# A session ends after SESSION_IDLE_MINUTES without a request (core.middleware
# .SessionIdleTimeoutMiddleware) and when the browser closes (a cookie without expiry);
# the stored row is dropped SESSION_COOKIE_AGE after its last write.
SESSION_IDLE_MINUTES = env_int("SESSION_IDLE_MINUTES", 30)
SESSION_COOKIE_AGE = 8 * 60 * 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
X_FRAME_OPTIONS = "DENY"  # previews that embed in our own pages opt in per view
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", not DEBUG)
# A load balancer's health check may speak plain HTTP to a web process.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SESSION_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
# Preloading is a promise to browsers that cannot be taken back quickly: only when asked.
SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", False)
if not SECURE_HSTS_PRELOAD:  # deliberately, above: `check --deploy` need not remind us
    SILENCED_SYSTEM_CHECKS = [*globals().get("SILENCED_SYSTEM_CHECKS", []), "security.W021"]
# Content-Security-Policy (django-csp): scripts from our own static files only — no inline
# script, no eval, no CDN. Inline style attributes stay allowed (Bootstrap's, ECharts'
# markup); data: images for Bootstrap's form icons; the document page frames our own PDFs.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-src": ["'self'"],
        "frame-ancestors": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
    },
}
# Browser features no page of the platform uses (core.middleware.PermissionsPolicyMiddleware).
PERMISSIONS_POLICY = ("accelerometer=(), autoplay=(), camera=(), display-capture=(), "
                      "geolocation=(), gyroscope=(), magnetometer=(), microphone=(), "
                      "midi=(), payment=(), usb=(), xr-spatial-tracking=()")
# Behind our reverse proxy: trust its X-Forwarded-Proto, and take the client's address
# from the last X-Forwarded-For entry, the one the proxy appended (core.login.client_ip:
# lock-out and audit trail).
BEHIND_PROXY = env_bool("DJANGO_BEHIND_PROXY", False)
if BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# --- E-mail --------------------------------------------------------------------------
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "jdxt@beidaihe.gov.cn")
# The address staff reach the platform at, for links in e-mails.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")
if not SITE_URL.startswith(("http://", "https://")):
    raise ImproperlyConfigured(f"SITE_URL={SITE_URL!r}: expected http(s)://host[:port]")

# How long an API token works after it was issued (core.authentication); a password change
# and the user's DELETE /api/v1/auth/token/ end it earlier.
API_TOKEN_HOURS = env_int("API_TOKEN_HOURS", 8)

# --- REST API --------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "core.authentication.ExpiringTokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_FILTER_BACKENDS": [
        "core.drf.FilterBackend",
        "rest_framework.filters.SearchFilter",
        "core.drf.OrderingFilter",
    ],
    "DEFAULT_PAGINATION_CLASS": "core.drf.Pagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "core.drf.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "北戴河区行政执法协调监督平台 API",
    "DESCRIPTION": "行政执法协调监督平台的接口。认证：会话或 Token（请求头 Authorization: Token <key>）。",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    # The schema and its documentation page describe the whole API: for signed-in users.
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Choice sets whose field names collide across apps ("kind", "status" …): one name each.
    "ENUM_NAME_OVERRIDES": {
        "EvidenceKindEnum": "evidence.models.EvidenceKind",
        "ReferralStatusEnum": "discipline.models.ReferralStatus",
        "CaseStatusEnum": "cases.models.CaseStatus",
        "PartyKindEnum": "cases.models.PartyKind",
        "TransferKindEnum": "transfers.models.TransferKind",
        "TransferStatusEnum": "transfers.models.TransferStatus",
        "CriminalOutcomeEnum": "transfers.models.CriminalOutcome",
        "MaterialTypeEnum": "transfers.models.MaterialType",
        "AssistanceKindEnum": "complaints.models.AssistanceKind",  # complaints (M3): moved from townships
        "AssistanceStatusEnum": "complaints.models.AssistanceStatus",  # complaints (M3): moved from townships
        "ComplaintStatusEnum": "complaints.models.ComplaintStatus",  # complaints (M3): moved from townships
        "ConsultationKindEnum": "townships.models.ConsultationKind",
        "ConsultationTopicEnum": "townships.models.ConsultationTopic",
        "DisputeStatusEnum": "disputes.models.DisputeStatus",  # disputes (M2, M15.6)
        "DisputeKindEnum": "disputes.models.DisputeKind",
        # approvals/, jointcases/ (issue 20)
        "DecisionStatusEnum": "approvals.models.DecisionStatus",
        "SupervisionResultEnum": "approvals.models.Result",
        "OperationStatusEnum": "jointcases.models.OperationStatus",
        "GuidanceTaskStatusEnum": "jointcases.models.TaskStatus",
        "GuidanceTaskKindEnum": "jointcases.models.TaskKind",
        # assessment (M9)
        "AppraisalStatusEnum": "assessment.models.AppraisalStatus",
        "ReportStatusEnum": "assessment.models.ReportStatus",
        "AppraisalGradeEnum": "assessment.models.Grade",
        "OfficerGradeEnum": "assessment.models.OfficerGradeChoice",
    },
}

# --- Celery --------------------------------------------------------------------------
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL and not REDIS_URL.startswith(("redis://", "rediss://", "unix://")):
    raise ImproperlyConfigured(f"REDIS_URL={REDIS_URL!r}: expected redis://host:port/db")
CELERY_TASK_SOFT_TIME_LIMIT = 30 * 60
CELERY_TASK_TIME_LIMIT = 35 * 60
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    # Longer than the longest task (the hard time limit), so a task still running is
    # never handed to a second worker.
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": CELERY_TASK_TIME_LIMIT + 600}
else:
    _celery_dir = VAR_DIR / "celery"
    for _sub in ("queue", "processed", "control"):
        (_celery_dir / _sub).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_celery_dir / "queue"),
        "data_folder_out": str(_celery_dir / "queue"),
        "processed_folder": str(_celery_dir / "processed"),
        "store_processed": False,
        # The broadcast exchanges' table: kombu's default is ./control, in whatever folder
        # the process started in.
        "control_folder": str(_celery_dir / "control"),
    }
CELERY_TASK_IGNORE_RESULT = True
CELERY_RESULT_BACKEND = None
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
# Beat schedules only while it holds the beat lock (core/beat.py): a second beat started by
# mistake stands by, and takes over this many seconds at most after the first one dies.
CELERY_BEAT_SCHEDULER = "core.beat:LockedScheduler"
BEAT_LOCK_SECONDS = env_int("BEAT_LOCK_SECONDS", 30)
if BEAT_LOCK_SECONDS < 3:
    raise ImproperlyConfigured(f"BEAT_LOCK_SECONDS={BEAT_LOCK_SECONDS}: expected at least 3")
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", False)

# The one place for periodic schedules. Each entry says why it runs when it does.
CELERY_BEAT_SCHEDULE: dict[str, dict] = {
    # Background Excel exports are kept EXPORT_KEEP_DAYS days; once a day is often
    # enough to keep the media folder from growing.
    "export-prune": {"task": "core.tasks.export_prune", "schedule": timedelta(hours=24)},
    # The deadline sweep: reminders one working day before due, at due, and the overdue
    # escalation. Every minute (DEADLINE_SWEEP_SECONDS), so a 24-hour limit is reminded
    # within a minute of its moment; each tick claims its rows, so overlapping ticks never
    # remind twice.
    "deadlines-sweep": {"task": "deadlines.tasks.sweep",
                        "schedule": timedelta(seconds=env_int("DEADLINE_SWEEP_SECONDS", 60))},
    # The e-mail outbox: a notification whose e-mail could not be queued after its commit
    # (broker down) or ran out of retries is sent from here, until the server accepts it.
    "notifications-email-outbox": {"task": "deadlines.tasks.notifications_email_outbox",
                                   "schedule": timedelta(minutes=5)},
    # Recurring duties (M5.3, M1.2, M14.1, W3, M9.7, M9.6, M11.2): open the current
    # period's rows. Hourly rather than at midnight only, so a beat that was down at the
    # turn of a month still opens them the same day; opening is idempotent.
    "deadlines-recurring": {"task": "deadlines.tasks.recurring_open",
                            "schedule": timedelta(hours=1)},
    # The dashboard's tallies are recounted by the services and the sweep as rows change;
    # once a day every tally is recounted from scratch, repairing a recount lost to a
    # process that died between a commit and its recount.
    "tallies-rebuild": {"task": "core.tasks.tallies_rebuild", "schedule": timedelta(hours=24)},
    # An attachment's file and a document's PDF are written before their transaction
    # commits; when it rolls back, the file stays with no row. Daily, for files a day old.
    "attachments-orphans": {"task": "core.tasks.attachment_orphans_prune",
                            "schedule": timedelta(hours=24)},
    "documents-orphans": {"task": "documents.tasks.orphan_files_prune",
                          "schedule": timedelta(hours=24)},
    # The audit trail's hash chain (core.audit_chain): events are sealed within a minute of
    # their commit, and the whole chain is verified nightly — a break is reported to the
    # administrators at once.
    "audit-seal": {"task": "core.tasks.audit_seal", "schedule": timedelta(minutes=1)},
    # infosharing (M5.4): the previous year's statistics are asked for in January, due by
    # 31 January; daily, idempotent (one request per year), so a beat down on 1 January
    # still asks the same week.
    "infosharing-annual-statistics": {"task": "infosharing.tasks.annual_statistics_request",
                                      "schedule": timedelta(hours=24)},
    "audit-verify": {"task": "core.tasks.audit_verify", "schedule": crontab(hour=2, minute=30)},
    # inspections app — M7.3 big-data monitoring: the lead rules over the day's data, at night
    # when the tables are quiet (set-based INSERT … SELECT, one statement per rule).
    "inspections-leads": {"task": "inspections.tasks.leads_compute", "schedule": crontab(hour=1, minute=30)},
}

# --- Excel exports (core.exports) ----------------------------------------------------
# Up to this many rows an export streams straight to the browser; more are written by a
# Celery task while the page shows its progress. Finished files are kept this many days.
EXPORT_SYNC_MAX_ROWS = env_int("EXPORT_SYNC_MAX_ROWS", 10_000)
EXPORT_KEEP_DAYS = env_int("EXPORT_KEEP_DAYS", 7)

# --- Deadlines (SPEC, "Deadlines"; national rules) -----------------------------------
# The length of each time-limit rule (deadlines.rules: what each code is, and its unit).
# The bureau changes a number here, not in code. Rules whose due is written in a document
# (ordered transfer, rectification, resolution feedback, assistance reply) and the
# recurring duties (due at the end of their period) have no length.
DEADLINE_RULES: dict[str, int] = {
    "township_transfer": 3,  # working days, M15.1
    "township_transfer_urgent": 24,  # hours, M15.1
    "discipline_referral": 10,  # working days, M10.3
    "transfer_acceptance": 3,  # working days to accept or return a transfer, M4.2
    "criminal_transfer_decision": 3,  # days: the head decides on a criminal transfer (decree 310)
    "criminal_transfer_send": 24,  # hours from approval to the police (decree 310)
    "police_filing_decision": 3,  # days for the police to decide on filing (decree 310)
    "reconsideration_answer": 3,  # days to answer a reconsideration request (decree 310)
    "reconsideration_request": 3,  # days to ask for it after the refusal (decree 310 art. 9)
    "approval_claim": 2,  # working days to claim a pushed approval (M14.2)
    "publicity_licensing_penalty": 7,  # working days, 国办发〔2018〕118号
    "publicity_other": 20,  # working days, 国办发〔2018〕118号
    # disputes (M2, M15.6): the bureau's own limits, not national rules.
    "dispute_acceptance": 5,  # working days to accept or refuse an application, M2.1
    "dispute_confirmation": 5,  # working days for each party to confirm the agreement, M2.1
    "dispute_ruling": 20,  # working days asked of the district government to rule, M2.4
    # complaints (M3): 市场监督管理投诉举报处理暂行办法 — accept or refuse within 7
    # working days of receipt; handle within 60 days of acceptance (extendable once by
    # the unit's head); verify a report within 15 working days; answer within 5 working
    # days of the result.
    "complaint_acceptance": 7,
    "complaint_handling": 60,
    "report_verification": 15,
    "complaint_answer": 5,
    # approvals/ (M14.2): after claiming, the department feeds its supervision back.
    "approval_feedback": 20,  # working days
    # infosharing
    "info_query_answer": 5,  # working days to answer another agency's query, M5.5
    # accountability/: the time an agency has to determine the fault once a proceeding
    # is opened (M8.3).
    "accountability_determination": 30,  # working days
}

# inspections app — M7.3: each monitoring rule's threshold (inspections/leads.py): days past
# the deadline before a lead is raised, or for penalty_not_transferred the amount (yuan) from
# which a penalty suggests a suspected crime to be transferred (M4.3).
INSPECTION_LEAD_THRESHOLDS: dict[str, float] = {
    "publicity_late": 0,
    "penalty_not_transferred": 50_000,
    "closed_unconfirmed_evidence": 0,
    "referral_overdue": 0,
    "transfer_unanswered": 0,
    "township_transfer_late": 0,
}
# The deadline and attachment scopes follow the kinds of record their rows point at, read
# from the tables at most this often per process (core/kinds.py); 0 follows every kind.
SCOPE_KINDS_SECONDS = float(os.environ.get("SCOPE_KINDS_SECONDS", "60"))
# The dashboard's statements are built once per viewer, period and day and sent again on
# every view (core/prepared.py); off, every view builds them anew (the same figures).
PREPARED_QUERIES = env_bool("PREPARED_QUERIES", True)
# A builder that derives a value from the time now (or reads one while building) is an
# error rather than a statement left unkept (the test suite).
PREPARED_QUERIES_STRICT = env_bool("PREPARED_QUERIES_STRICT", False)
# Decree 310 (国务院令第310号) periods may be counted in "days" (natural days from the
# next day; an end on a holiday moves to the next working day — the decree's default)
# or "working_days"; a rule not named here keeps the unit of its definition.
DEADLINE_UNITS: dict[str, str] = {
    "criminal_transfer_decision": "days",
    "police_filing_decision": "days",
    "reconsideration_answer": "days",
    "reconsideration_request": "days",
}

# complaints (M3): the public portal's online form and status page, per client address
# (core.login.client_ip) within a sliding hour — submissions, and look-ups of a 查询码.
PUBLIC_COMPLAINTS_PER_HOUR = env_int("PUBLIC_COMPLAINTS_PER_HOUR", 5)
PUBLIC_TRACKS_PER_HOUR = env_int("PUBLIC_TRACKS_PER_HOUR", 30)
# guidingcases / training / inforeports (M11.4, W1, W3): the yearly and monthly figures
# a unit is held to; below them the pages and the dashboard show a shortfall.
GUIDING_CASES_PER_YEAR = env_int("GUIDING_CASES_PER_YEAR", 3)  # M11.4 一般不少于3件
TRAINING_HOURS_PER_YEAR = env_int("TRAINING_HOURS_PER_YEAR", 40)  # W1: hours per officer
INFO_REPORTS_PER_MONTH = env_int("INFO_REPORTS_PER_MONTH", 2)  # W3 每月不少于2篇
# --- assessment (M9): the grade a unit's total earns (M9.4) — at least this many points
# out of 100 for 优秀, 良好, 合格; below the last, 不合格.
ASSESSMENT_GRADE_THRESHOLDS: dict[str, float] = {"excellent": 90, "good": 80, "pass": 60}
# Points taken off an indicator per reconsideration reversed or lawsuit lost (M9.3 依法化解
# 社会矛盾纠纷), down to zero.
ASSESSMENT_REVERSAL_DEDUCTION = 2

# --- Official documents --------------------------------------------------------------
# Directory with the bureau's licensed standard fonts (方正小标宋, 仿宋_GB2312 …); when a
# face is missing there, the open Debian fonts stand in (documents app).
FONT_DIR = os.environ.get("FONT_DIR", "")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"weasyprint": {"level": "ERROR"}, "fontTools": {"level": "ERROR"}},
}

# The demo district's year of activity (demo_district/year.py): the share of its cases
# made, in per cent (100: some three hundred cases; the tests load a tenth of it).
DEMO_YEAR_SCALE = env_int("DEMO_YEAR_PERCENT", 100) / 100

# /healthz (core/health.py): beat counts as down when the deadline sweep it starts every
# minute last finished longer ago than this; which check failed is told only to these
# client addresses (the host itself), never to an outsider.
HEALTH_SWEEP_MAX_AGE_SECONDS = env_int("HEALTH_SWEEP_MAX_AGE_SECONDS", 300)
HEALTH_DETAIL_ADDRESSES = env_list("HEALTH_DETAIL_ADDRESSES", ["127.0.0.1", "::1"])
