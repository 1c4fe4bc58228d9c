"""Settings shared by every mode. Each integration switches on when its variable is present."""

from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

from opop.settings.env import env_bool, env_int, env_list, env_percent, env_str, mailers_from_env, media_origins

BASE_DIR = Path(__file__).resolve().parent.parent.parent

SECRET_KEY = env_str("SECRET_KEY", "dev-insecure-key-only-for-the-embedded-default")
# Old keys still accepted for signatures while a rotated SECRET_KEY settles in (docs/operations.md).
SECRET_KEY_FALLBACKS = env_list("SECRET_KEY_FALLBACKS")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "django.forms",  # Django's form templates for opop.forms.FormRenderer
    "allauth",
    "allauth.account",
    "django_filters",
    "pgtrigger",  # PostgreSQL triggers declared in models' Meta.triggers, migrated like indexes
    "opop",
    "pesantren",
    "pesantren.samsat",
    "santri",
    "alumni",
    "marketplace",
    "marketplace.halal",
    "marketplace.b2b",
    "reports",
]

MIDDLEWARE = [
    "opop.request_id.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "opop.middleware.PreferredLanguageMiddleware",
    "opop.middleware.RefuseInvalidTextMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
]

ROOT_URLCONF = "opop.urls"
WSGI_APPLICATION = "opop.wsgi.application"
ASGI_APPLICATION = "opop.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "opop.context_processors.navigation",
                "marketplace.context_processors.shopper",
            ],
            "builtins": ["opop.templatetags.opop"],
            # `{% load i18n %}` is Django's library with written strings translated once per language.
            # `{% load static %}` is Django's library with written paths' URLs asked of the storage once.
            "libraries": {"i18n": "opop.templatetags.kept_i18n", "static": "opop.templatetags.kept_static"},
        },
    },
]

# The two template tag labels mapped on purpose to modules of ours (TEMPLATES' "i18n" and "static" above), which
# Django's check reports as second "i18n" and "static" libraries.
SILENCED_SYSTEM_CHECKS = ["templates.W003"]

# Form widgets and labels render through the project's templates (templates/django/forms/ marks required fields).
FORM_RENDERER = "opop.forms.FormRenderer"

# Database: SQLite file by default, anything dj-database-url understands via DATABASE_URL.
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 0),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL and a busy timeout let the dev server and an eager task write at the same time.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Cache and sessions: Redis when REDIS_URL is set, process memory otherwise. Redis is behind short socket
# timeouts and a fault-tolerant backend (opop/cache.py): when Redis refuses or stops answering, every cache
# read is a miss and every write a no-op for BREAKER_SECONDS, so pages still render and cached_db sessions
# fall back to PostgreSQL. No retries: a cache miss is cheaper than waiting.
REDIS_URL = env_str("REDIS_URL")
REDIS_SOCKET_TIMEOUT = float(env_str("REDIS_SOCKET_TIMEOUT", "0.5"))
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "opop.cache.FaultTolerantRedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {
                "socket_connect_timeout": REDIS_SOCKET_TIMEOUT,
                "socket_timeout": REDIS_SOCKET_TIMEOUT,
                "retry": None,
                "BREAKER_SECONDS": env_int("REDIS_BREAKER_SECONDS", 10),
            },
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "opop"}}
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

AUTH_USER_MODEL = "opop.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"

# django-allauth: log in with e-mail, verify it, rate limits on (allauth's defaults, kept explicit).
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = env_str("ACCOUNT_EMAIL_VERIFICATION", "mandatory")
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "20/m/ip",
    "confirm_email": "1/3m/key",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
    "change_password": "5/m/user",
}
# Proxies in front of the app that append to X-Forwarded-For: allauth's per-IP limits then count the real
# client, not the load balancer (which would lock everyone out together). 0: REMOTE_ADDR is the client.
ALLAUTH_TRUSTED_PROXY_COUNT = env_int("ALLAUTH_TRUSTED_PROXY_COUNT", 0)
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[OPOP Jatim] "
ACCOUNT_ADAPTER = "opop.account_adapter.AccountAdapter"  # the portal's name and links in allauth's e-mails
# Sign-up also asks for the display name and phone number (opop.forms.SignupForm.signup saves them).
ACCOUNT_SIGNUP_FORM_CLASS = "opop.forms.SignupForm"

# Personal data (UU 27/2022): how long programme staff have to process a deletion request, and who answers
# questions about personal data (shown on the privacy notice).
PRIVACY_DELETION_DEADLINE_DAYS = env_int("PRIVACY_DELETION_DEADLINE_DAYS", 30)
PRIVACY_CONTACT_EMAIL = env_str("PRIVACY_CONTACT_EMAIL", "privasi@diskopukm.jatimprov.go.id")
# Each app that keeps personal data names one object here with `export(user) -> dict` and
# `erase(user) -> dict`; the kernel calls them without importing the apps (opop.privacy).
PRIVACY_PROVIDERS = ["marketplace.privacy.PROVIDER", "alumni.privacy.PROVIDER"]

# Language and time: Bahasa Indonesia first, English complete; WIB.
LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Bahasa Indonesia")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Asia/Jakarta"
USE_TZ = True
LANGUAGE_COOKIE_AGE = 60 * 60 * 24 * 365

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Uploaded media on S3-compatible object storage when a bucket is named, so every node sees every file.
AWS_STORAGE_BUCKET_NAME = env_str("AWS_STORAGE_BUCKET_NAME")
if AWS_STORAGE_BUCKET_NAME:
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": AWS_STORAGE_BUCKET_NAME,
            "endpoint_url": env_str("AWS_S3_ENDPOINT_URL"),
            "region_name": env_str("AWS_S3_REGION_NAME", "ap-southeast-3"),
            "access_key": env_str("AWS_ACCESS_KEY_ID"),
            "secret_key": env_str("AWS_SECRET_ACCESS_KEY"),
            "custom_domain": env_str("AWS_S3_CUSTOM_DOMAIN"),
            "file_overwrite": False,
            "default_acl": None,
            "querystring_auth": env_bool("AWS_QUERYSTRING_AUTH", True),
        },
    }
# Content Security Policy, enforced in every mode (dev and tests too, so a page that needs an inline script
# breaks where it is written, not in production). Scripts only from our origin or carrying the request's nonce
# (nonce="{{ csp_nonce }}"); no inline event handlers (static/js/opop.js binds behaviour with addEventListener);
# no inline styles or style attributes (all CSS lives in static/css); images from our origin, data: URIs and the
# object-storage origin when media lives on S3. Security headers that cost nothing over plain HTTP are on in
# every mode; HSTS and secure cookies are in prod.py.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:", *media_origins(STORAGES["default"])],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

# E-mail: the console unless EMAIL_BACKEND names another backend (SMTP takes the EMAIL_* variables).
MAILERS = mailers_from_env("django.core.mail.backends.console.EmailBackend")
# The site's public address: links in e-mails and generated files are built from it (opop.mail.site_url).
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000")
SITE_NAME = "OPOP Jatim"
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "OPOP Jatim <noreply@opop.jatimprov.go.id>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Celery: a broker URL switches on real workers; without one every task runs eagerly in-process.
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL")
CELERY_TASK_ALWAYS_EAGER = CELERY_BROKER_URL is None
CELERY_TASK_DEFAULT_QUEUE = env_str("CELERY_TASK_DEFAULT_QUEUE", "celery")
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_IGNORE_RESULT = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Short timeouts on every broker connection, so a Redis that refuses or never answers cannot hang a web
# request or a worker: connect within 2 s, any command within 5 s (more than kombu's 1 s BRPOP), and keep
# the TCP connection alive so a half-open one is noticed. Publishing from the web goes through the outbox
# (opop/outbox.py), which uses even shorter timeouts, no retries and a per-process breaker.
CELERY_BROKER_CONNECTION_TIMEOUT = float(env_str("CELERY_BROKER_CONNECTION_TIMEOUT", "2"))
# Redelivery: with acks_late a job is acknowledged when it finishes; a job whose worker died (SIGKILL, OOM, a
# lost node) waits in Redis's `unacked` hash and is handed to another worker once it has been out for
# CELERY_VISIBILITY_TIMEOUT seconds (kombu's default is an hour). Every worker sweeps for such jobs every
# CELERY_UNACKED_RESTORE_SECONDS. So a killed worker's job runs again within 300 + 10 s. The timeout must be
# longer than the longest job may run, or a healthy long job would be handed out twice: every job has a
# hard time limit below it (CELERY_TASK_TIME_LIMIT; the rollups' own limits in CELERY_TASK_ANNOTATIONS).
CELERY_VISIBILITY_TIMEOUT = env_int("CELERY_VISIBILITY_TIMEOUT", 300)
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "socket_connect_timeout": float(env_str("CELERY_BROKER_SOCKET_CONNECT_TIMEOUT", "2")),
    "socket_timeout": float(env_str("CELERY_BROKER_SOCKET_TIMEOUT", "5")),
    "socket_keepalive": True,
    "visibility_timeout": CELERY_VISIBILITY_TIMEOUT,
    "unacked_restore_interval": env_int("CELERY_UNACKED_RESTORE_SECONDS", 10),
    "unacked_restore_throttle": 1,  # sweep on every interval, not every 10th
}
# Time limits per kind of job, all below the visibility timeout. Ordinary jobs (a mail, an order notice, the
# expiry sweep, reminders, the heartbeat, the outbox relay) take well under a second: soft limit 60 s (the job
# gets SoftTimeLimitExceeded and may clean up), hard limit 90 s (the pool process is killed; with
# reject_on_worker_lost the job goes back to the queue). The full rollup and the nightly check took 50 s on the
# province-scale data (bench/results/rollup.md): 200 s soft, 240 s hard.
CELERY_TASK_SOFT_TIME_LIMIT = env_int("CELERY_TASK_SOFT_TIME_LIMIT", 60)
CELERY_TASK_TIME_LIMIT = env_int("CELERY_TASK_TIME_LIMIT", 90)
LONG_JOB_LIMITS = {
    "soft_time_limit": env_int("CELERY_LONG_TASK_SOFT_TIME_LIMIT", 200),
    "time_limit": env_int("CELERY_LONG_TASK_TIME_LIMIT", 240),
}
CELERY_TASK_ANNOTATIONS = {
    "reports.rollup_full": LONG_JOB_LIMITS,
    "reports.rollup_check": LONG_JOB_LIMITS,
    "reports.rollup_incremental": LONG_JOB_LIMITS,
}
CELERY_REDIS_SOCKET_CONNECT_TIMEOUT = CELERY_BROKER_TRANSPORT_OPTIONS["socket_connect_timeout"]
CELERY_REDIS_SOCKET_TIMEOUT = CELERY_BROKER_TRANSPORT_OPTIONS["socket_timeout"]
# The outbox: a task the web could not hand to the broker within OUTBOX_PUBLISH_TIMEOUT seconds is kept in
# the database and re-sent by `outbox_flush` (beat every minute, each worker on start, the web after its next
# successful publish). After a failure a process writes straight to the outbox for OUTBOX_BREAKER_SECONDS.
OUTBOX_PUBLISH_TIMEOUT = float(env_str("OUTBOX_PUBLISH_TIMEOUT", "1"))
OUTBOX_BREAKER_SECONDS = env_int("OUTBOX_BREAKER_SECONDS", 15)
# A stored task nobody has tried to publish yet is left to the process that wrote it for this long (it is
# publishing it right after its commit); after that the relay takes it: that process died before publishing.
OUTBOX_RELAY_GRACE_SECONDS = env_int("OUTBOX_RELAY_GRACE_SECONDS", 30)
# /healthz's probes of the cache and the broker: one round trip each, bounded by this; while a breaker is open
# (a failure moments ago in this process) the probe answers at once without trying.
HEALTHZ_PROBE_TIMEOUT = float(env_str("HEALTHZ_PROBE_TIMEOUT", "0.25"))
# Every periodic job, with why it runs when it does.
CELERY_BEAT_SCHEDULE = {
    # The worker proves it is alive once a minute; /healthz reports how long ago it last did.
    "worker-heartbeat": {"task": "opop.worker_heartbeat", "schedule": float(env_int("WORKER_HEARTBEAT_SECONDS", 60))},
    # The outbox: tasks a web node could not enqueue while the broker was down are re-sent by a worker at most a
    # minute after the broker is back (while it is down there is nowhere to send them, and beat cannot either).
    "opop-outbox-flush": {"task": "opop.outbox_flush", "schedule": 60.0},
    # OPOP Mart: unpaid orders hold stock; every 5 minutes the expired ones are cancelled and the stock released,
    # so a reserved unit is back on sale at most 5 minutes after the payment window closes.
    "marketplace-expire-unpaid-orders": {"task": "marketplace.expire_unpaid_orders", "schedule": 300.0},
    # OPOP Mart: every 15 minutes, delivered orders past MARKETPLACE_AUTOCOMPLETE_DELIVERED_HOURS and shipped ones past
    # MARKETPLACE_AUTOCOMPLETE_SHIPPED_DAYS complete, so an order completes at most 15 minutes after the time its
    # buyer and seller were shown; finding them reads two small partial indexes, so the frequent run is cheap.
    "marketplace-auto-complete-orders": {"task": "marketplace.auto_complete_orders", "schedule": 900.0},
    # OPOP Mart shipping: hourly, parcels the courier said nothing about for 24 hours are asked about (a webhook
    # may have been lost); each is asked at most once a day, so a stuck parcel does not cost a call every hour.
    "marketplace-poll-shipments": {"task": "marketplace.poll_shipments", "schedule": 3600.0},
    # Programme dashboards: every 5 minutes the (month, kabupaten/kota) keys marked dirty by a verified
    # report, a paid order or a Samsat payment are rolled up, so a dashboard is at most 5 minutes behind.
    "reports-rollup-incremental": {"task": "reports.rollup_incremental", "schedule": 300.0},
    # Nightly at 02:00 WIB, when nobody reads the dashboards: a full rebuild checks that the incremental
    # rollup agrees with the facts, logs each difference (reports.rollup.mismatch) and repairs it.
    "reports-rollup-check": {"task": "reports.rollup_check", "schedule": crontab(hour=2, minute=0)},
    # Halal: hourly, businesses are reminded of certificates expiring within 90/30 days and of uncertified food
    # products past the 17 Oct 2026 obligation; each reminder is recorded once, so the frequent run sends nothing twice.
    "halal-send-reminders": {"task": "halal.send_reminders", "schedule": 3600.0},
    # OPOP Mart store balances: daily at 03:30 WIB, after the day has closed and the nightly rollup has run, every
    # store's ledger is checked against its orders and payouts; differences are listed for finance staff by
    # the start of their working day. Re-running a day replaces that day's findings.
    "marketplace-balance-reconcile": {"task": "marketplace.balance_reconcile", "schedule": crontab(hour=3, minute=30)},
}

# OPOP Mart: hours a buyer has to pay before the order expires; the gateway's webhook secret; a real
# gateway replaces the sandbox through MARKETPLACE_PAYMENT_PROVIDERS = {"gateway": "dotted.path.Class"}.
MARKETPLACE_PAYMENT_WINDOW_HOURS = env_int("MARKETPLACE_PAYMENT_WINDOW_HOURS", 24)
MARKETPLACE_GATEWAY_SECRET = env_str("MARKETPLACE_GATEWAY_SECRET", SECRET_KEY)
# The courier provider (quotes, booking, tracking; marketplace.shipping.base.Courier) and the secret its tracking
# webhooks are signed with. A real aggregator (RajaOngkir/Biteship style) is another class named here.
MARKETPLACE_COURIER = env_str("MARKETPLACE_COURIER", "marketplace.shipping.sandbox.SandboxCourier")
MARKETPLACE_COURIER_SECRET = env_str("MARKETPLACE_COURIER_SECRET", SECRET_KEY)
# Hours a gateway payment (one virtual account for the whole checkout) stays open; every order of that checkout
# expires with it. Bank transfers keep MARKETPLACE_PAYMENT_WINDOW_HOURS or the store's own expiry.
MARKETPLACE_GATEWAY_PAYMENT_HOURS = env_int("MARKETPLACE_GATEWAY_PAYMENT_HOURS", 24)
# OPOP Mart auto-complete: an order nobody confirms completes this long after it was delivered, or after it was
# shipped without a delivery confirmation; until then the buyer can confirm receipt or open a complaint.
MARKETPLACE_AUTOCOMPLETE_DELIVERED_HOURS = env_int("MARKETPLACE_AUTOCOMPLETE_DELIVERED_HOURS", 48)
MARKETPLACE_AUTOCOMPLETE_SHIPPED_DAYS = env_int("MARKETPLACE_AUTOCOMPLETE_SHIPPED_DAYS", 7)
# Store balances: the platform's fee on each gateway-paid order (percent of goods + shipping, e.g. "2.5"; the fee
# is rounded down to whole rupiah), and the smallest payout a store may request (rupiah).
MARKETPLACE_PLATFORM_FEE_PERCENT = env_percent("MARKETPLACE_PLATFORM_FEE_PERCENT", "0")
MARKETPLACE_PAYOUT_MINIMUM = env_int("MARKETPLACE_PAYOUT_MINIMUM", 50000)

# Logs go to stdout, one line each, with the request id. LOG_FORMAT=json for log shippers (prod default).
LOG_FORMAT = env_str("LOG_FORMAT", "plain")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "opop.request_id.RequestIdFilter"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(request_id)s %(message)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        },
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT, "filters": ["request_id"]},
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

# Samsat OPOP: the biller adapter (the sandbox until a real one is configured), the reversal
# cut-off in WIB on the payment's business day, and how long a pay code from an inquiry lives.
SAMSAT_BILLER = env_str("SAMSAT_BILLER", "pesantren.samsat.biller.sandbox.SandboxBiller")
SAMSAT_REVERSAL_CUTOFF = env_str("SAMSAT_REVERSAL_CUTOFF", "20:00")
SAMSAT_PAY_CODE_MINUTES = env_int("SAMSAT_PAY_CODE_MINUTES", 120)
