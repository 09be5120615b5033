"""Settings that work with no environment at all (the README demo); env vars override them."""

from celery.schedules import crontab

from astro_site.env import BASE_DIR, database_config, env, redis_url

SECRET_KEY = env.str("SECRET_KEY", default="insecure-demo-key-only-for-local-use")  # noqa: S105
DEBUG = env.bool("DEBUG", default=True)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
CSRF_FAILURE_VIEW = "loyalty.views.errors.csrf_failure"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "template_partials",
    "axes",
    "csp",
    "loyalty",
    "integrations.lightspeed",
    "integrations.heartland",
    "integrations.lightspeed_x",
    "rest_framework",
    "drf_spectacular",
    # The REST API for fully integrated POS systems (SPEC §5), under /api/v1/.
    "integrations.api_v1",
    # The loopback POS sandbox; its URLs are only mounted when POS_SANDBOX_ENABLED.
    "simulators.lightspeed",
    "simulators.heartland",
    "simulators.lightspeed_x",
    "simulators.distributor",
    # A fully integrated register (Pinogy/Celerant style) that calls /api/v1/ over HTTP.
    "simulators.rest_register",
    # Demo seeding (`manage.py seed_demo`): it may import every app; no app's code imports it.
    "demo",
]
# What the login page lists as demo logins while the sandbox is on (None: nothing).
LOGIN_PAGE_DEMO_LOGINS = "demo.people_data.demo_logins"

MIDDLEWARE = [
    # First: the request id for every log line, and the load balancer's probes answered before
    # host checks and HTTPS redirects (astro_site/health.py).
    "astro_site.logs.RequestIdMiddleware",
    "astro_site.health.HealthCheckMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # A lost database answers 503 with a clear message, never a 500 (astro_site/unavailable.py).
    "astro_site.unavailable.DatabaseUnavailableMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Shared registers: log out after SESSION_IDLE_TIMEOUT without a request (issue 13).
    "loyalty.security.session_idle.SessionIdleTimeoutMiddleware",
    # Each store's own time zone for the request (Retailer/Location.time_zone; issue 13).
    "loyalty.time_zones.StoreTimeZoneMiddleware",
    # Lets a store's Lightspeed X-Series register show Astro in its payment iframe (and only
    # that register); it must sit right before XFrameOptionsMiddleware.
    "integrations.lightspeed_x.framing.RegisterFramingMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # The Content-Security-Policy header on every answer (CONTENT_SECURITY_POLICY below). After
    # the framing middleware in this list, so on the way out it writes the policy first and
    # X-Series' framing then only swaps its frame-ancestors.
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last, as django-axes asks: it answers locked-out logins.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    # Throttled logins (SPEC §8): django-axes counts failures per username and address.
    "axes.backends.AxesStandaloneBackend",
    # Django's ModelBackend reading the user's store with the user (one query less a page).
    "loyalty.security.backends.StoreUserBackend",
    # Still listed so sessions logged in before StoreUserBackend stay logged in.
    "django.contrib.auth.backends.ModelBackend",
]
# Django's database sessions, read through a prepared read (SPEC §9; the same table and rows).
SESSION_ENGINE = "loyalty.security.sessions"
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=10)
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# Issue 13's hardening: address limits, idle sessions, the CSP, keys for encrypted secrets.
from .hardening import *  # noqa: E402, F403

ROOT_URLCONF = "astro_site.urls"
WSGI_APPLICATION = "astro_site.wsgi.application"
ASGI_APPLICATION = "astro_site.asgi.application"

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
                "loyalty.context_processors.membership",
            ],
            # {% partialdef %} everywhere without a {% load %}, as in Django 6 core.
            "builtins": ["template_partials.templatetags.partials"],
        },
    },
    {
        # The per-row fragments of the register's screens (loyalty/presentation/jinja.py).
        "NAME": "jinja2",
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [BASE_DIR / "templates" / "jinja2"],
        "APP_DIRS": False,
        "OPTIONS": {"environment": "loyalty.presentation.jinja.environment"},
    },
]

DATABASES = {"default": database_config()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "loyalty.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = env.str("TIME_ZONE", default="America/Chicago")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
# Without collectstatic (the demo), WhiteNoise serves straight from the app and static folders.
WHITENOISE_USE_FINDERS = True
# Uploaded pictures of custom programs. Production points MEDIA_ROOT at shared storage.
MEDIA_URL = "media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "var" / "media")

EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Astro Loyalty <noreply@astro.local>")
# Where links sent outside the site start (the pet owner's card page in emails and texts).
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")

# Celery: with REDIS_URL a real broker and result backend; without it tasks run in-process so the
# app works with nothing else installed (the demo); `make run` swaps in a folder broker.
REDIS_URL = redis_url()
# `make run` sets this to a folder: its worker and beat then run for real with no Redis (kombu's
# filesystem transport, one machine only; never production).
CELERY_FOLDER_BROKER = env.str("CELERY_FOLDER_BROKER", default="")
CELERY_BROKER_URL = REDIS_URL or ("filesystem://" if CELERY_FOLDER_BROKER else "memory://")
CELERY_RESULT_BACKEND = REDIS_URL or None
CELERY_TASK_ALWAYS_EAGER = env.bool(
    "CELERY_TASK_ALWAYS_EAGER", default=REDIS_URL is None and not CELERY_FOLDER_BROKER
)
CELERY_TASK_EAGER_PROPAGATES = True
# At-least-once delivery: acknowledge after the task ran, one message at a time per process,
# and give a message back if the worker dies under it. Tasks are idempotent (DESIGN.md §6).
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = 60
CELERY_TASK_TIME_LIMIT = 90
# Nothing a cashier or POS does waits on Redis (DESIGN.md): every Redis socket gives up quickly,
# so a dead or frozen Redis costs a request well under a second (the outbox row is already
# saved and the catch-up sends it; caches fail open).
REDIS_CONNECT_TIMEOUT = env.float("REDIS_CONNECT_TIMEOUT", default=0.5)
REDIS_SOCKET_TIMEOUT = env.float("REDIS_SOCKET_TIMEOUT", default=0.5)
CELERY_BROKER_CONNECTION_TIMEOUT = REDIS_CONNECT_TIMEOUT
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": 3600,
    "socket_connect_timeout": REDIS_CONNECT_TIMEOUT,
    "socket_timeout": REDIS_SOCKET_TIMEOUT,
    # A publisher whose connection dropped reconnects once, at once, instead of kombu's default
    # of retrying every 2 s (the worker's own consumer has its own reconnect loop).
    "max_retries": 0,
    "interval_start": 0,
}
CELERY_REDIS_SOCKET_CONNECT_TIMEOUT = REDIS_CONNECT_TIMEOUT
CELERY_REDIS_SOCKET_TIMEOUT = REDIS_SOCKET_TIMEOUT
# No task's return value is read: the outbox row holds each send's state, so publishing a task
# never subscribes to a result in Redis.
CELERY_TASK_IGNORE_RESULT = True
if CELERY_FOLDER_BROKER and not REDIS_URL:
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        # One folder in and out: a single queue shared by the web process and the worker.
        "data_folder_in": f"{CELERY_FOLDER_BROKER}/queue",
        "data_folder_out": f"{CELERY_FOLDER_BROKER}/queue",
        "processed_folder": f"{CELERY_FOLDER_BROKER}/processed",
        "control_folder": f"{CELERY_FOLDER_BROKER}/control",
        "store_processed": False,
    }
CELERY_TIMEZONE = TIME_ZONE
# SPEC §6: the catch-up send of every report still pending, every minute by default.
REPORT_CATCH_UP_SECONDS = env.float("REPORT_CATCH_UP_SECONDS", default=60.0)
# The first retry after a transient failure waits about this long; each next one twice as long.
REPORT_RETRY_BASE_SECONDS = env.float("REPORT_RETRY_BASE_SECONDS", default=10.0)
# /readyz fails once a report has waited this long unsent: workers, beat or the broker are stuck.
READY_MAX_REPORT_AGE_SECONDS = env.float("READY_MAX_REPORT_AGE_SECONDS", default=3600.0)
CELERY_BEAT_SCHEDULE = {
    "catch-up-distributor-reports": {
        "task": "loyalty.tasks.send_due_reports_task",
        "schedule": REPORT_CATCH_UP_SECONDS,
    }
}
# Reconcile every store's books each night (the admin sees the last result on Reconciliation),
# and close the cards past their window every hour (a purchase closes them at once anyway).
CELERY_BEAT_SCHEDULE["reconcile-books-nightly"] = {
    "task": "loyalty.tasks.reconcile_books_task",
    "schedule": crontab(hour=3, minute=30),
}
CELERY_BEAT_SCHEDULE["expire-card-windows"] = {
    "task": "loyalty.tasks.expire_cards_task",
    "schedule": 3600.0,
}
# How reports travel (DESIGN.md §5: an implementation picked by dotted path; tests may use
# "integrations.memory.deliver", the in-memory twin).
DISTRIBUTOR_DELIVERY = "integrations.distributors.delivery.deliver"
# What queues a report's send once its redemption committed (a setting, so the outbox does not
# import the tasks that call it).
DISTRIBUTOR_REPORT_QUEUE = "loyalty.tasks.queue_report_send"

# The POS systems a retailer may integrate (SPEC §1: at most one enabled at a time). A POS that
# sends the cashier to Astro ("redirect") names the backend its admin screens use and its
# connection screen (the admin bar's link); a "full" one calls the REST API. Adding a POS is a
# package under integrations/ and an entry here.
POS_SYSTEMS = {
    "lightspeed": {
        "label": "Lightspeed Retail (redirect)",
        "integration": "redirect",
        "backend": "integrations.lightspeed.pos.LightspeedPos",
        "settings_url": "lightspeed_connect",
        "menu_label": "Lightspeed",
    },
    "heartland": {
        "label": "Heartland Retail (redirect)",
        "integration": "redirect",
        "backend": "integrations.heartland.pos.HeartlandPos",
        "settings_url": "heartland_connect",
        "menu_label": "Heartland",
    },
    "lightspeed_x": {
        "label": "Lightspeed X-Series (payment page)",
        "integration": "redirect",
        "backend": "integrations.lightspeed_x.pos.XSeriesPos",
        "settings_url": "lightspeed_x_connect",
        "menu_label": "X-Series",
    },
    "pinogy": {"label": "Pinogy (full integration)", "integration": "full"},
    "celerant": {"label": "Celerant (full integration)", "integration": "full"},
    # Clients of the same REST API (docs/pos-partners.md): PetShop360 works as Pinogy does; Retail
    # Pro Prism through a plugin on the store's own Prism server.
    "petshop360": {"label": "PetShop360 (full integration)", "integration": "full"},
    "retail_pro": {"label": "Retail Pro Prism (full integration, plugin)", "integration": "full"},
}
# Until a store chooses its POS, the Locations screen offers this one's button URL.
DEFAULT_REDIRECT_POS = "lightspeed"
# Where each redirect POS's sales are fetched from (the tests' in-memory twin:
# "integrations.memory.InMemorySaleSource").
POS_SALE_SOURCES = {
    "lightspeed": "integrations.lightspeed.adapter.LightspeedSaleSource",
    "heartland": "integrations.heartland.adapter.HeartlandSaleSource",
    "lightspeed_x": "integrations.lightspeed_x.adapter.XSeriesSaleSource",
}

POS_SANDBOX_ENABLED = env.bool("POS_SANDBOX_ENABLED", default=True)
# The distributor receiver sandbox checks Astro's signature with this shared secret.
DISTRIBUTOR_SANDBOX_SECRET = env.str(
    "DISTRIBUTOR_SANDBOX_SECRET", default="astro-distributor-sandbox-secret"
)

# Lightspeed Retail (R-Series) API client registration. The defaults are the sandbox's demo
# client, so `make run` works with no Lightspeed account; production reads real ones.
LIGHTSPEED_CLIENT_ID = env.str("LIGHTSPEED_CLIENT_ID", default="astro-sandbox-client")
LIGHTSPEED_CLIENT_SECRET = env.str("LIGHTSPEED_CLIENT_SECRET", default="astro-sandbox-secret")
LIGHTSPEED_API_BASE = env.str("LIGHTSPEED_API_BASE", default="https://api.lightspeedapp.com")
LIGHTSPEED_AUTH_BASE = env.str("LIGHTSPEED_AUTH_BASE", default="https://cloud.lightspeedapp.com")
# Where Finished may send the cashier back to: only these hosts (and subdomains), so a stored
# return URL can never become an open redirect.
LIGHTSPEED_RETURN_HOSTS = env.list(
    "LIGHTSPEED_RETURN_HOSTS", default=["lightspeedapp.com", "merchantos.com"]
)

# Heartland Retail (formerly Springboard Retail): each account has its own host (docs/heartland.md
# §1); an admin connects with a per-user API token. The POS frames the UI extension from the
# account's host, and Finished may return to an admin's Return to POS URL under these hosts.
HEARTLAND_API_BASE = env.str(
    "HEARTLAND_API_BASE", default="https://{subdomain}.retail.heartland.us/api"
)
HEARTLAND_FRAME_ANCESTORS = env.list(
    "HEARTLAND_FRAME_ANCESTORS", default=["https://*.retail.heartland.us"]
)
HEARTLAND_RETURN_HOSTS = env.list("HEARTLAND_RETURN_HOSTS", default=["retail.heartland.us"])
# Lightspeed Retail X-Series (formerly Vend). The client defaults are the sandbox's demo app;
# production reads the app registered with Lightspeed. Each store lives at
# https://{domain_prefix}.retail.lightspeed.app; the API version is date-based and each version
# is supported for at least 12 months (x-series-api.lightspeedhq.com docs/versioning-strategy).
LIGHTSPEED_X_CLIENT_ID = env.str("LIGHTSPEED_X_CLIENT_ID", default="astro-x-sandbox-client")
LIGHTSPEED_X_CLIENT_SECRET = env.str("LIGHTSPEED_X_CLIENT_SECRET", default="astro-x-sandbox-secret")
LIGHTSPEED_X_API_VERSION = env.str("LIGHTSPEED_X_API_VERSION", default="2026-04")
LIGHTSPEED_X_CONNECT_URL = env.str(
    "LIGHTSPEED_X_CONNECT_URL", default="https://secure.retail.lightspeed.app/connect"
)
LIGHTSPEED_X_STORE_URL = "https://{domain_prefix}.retail.lightspeed.app"
# Before a cashier logs in, Astro's pages may be framed by these register origins only.
LIGHTSPEED_X_FRAME_ANCESTORS = env.list(
    "LIGHTSPEED_X_FRAME_ANCESTORS", default=["https://*.retail.lightspeed.app"]
)
# Sales the register showed Astro before Lightspeed saved them are asked about again.
CELERY_BEAT_SCHEDULE["confirm-xseries-waiting-sales"] = {
    "task": "integrations.lightspeed_x.tasks.confirm_waiting_sales_task",
    "schedule": 300.0,
}

# The POS REST API (SPEC §5): API-key or Basic auth per location, JSON in and out, errors with
# a code and a message, a request budget per key.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "integrations.api_v1.auth.ApiKeyAuthentication",
        "integrations.api_v1.auth.BasicApiKeyAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_THROTTLE_CLASSES": ["integrations.api_v1.auth.ApiKeyThrottle"],
    "DEFAULT_THROTTLE_RATES": {"api_key": env.str("API_KEY_RATE", default="1200/min")},
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["integrations.api_v1.parsers.StrictJSONParser"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "integrations.api_v1.errors.api_exception_handler",
    "UNAUTHENTICATED_USER": None,
    "COERCE_DECIMAL_TO_STRING": True,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Astro Loyalty POS API",
    "DESCRIPTION": (
        "For point-of-sale systems fully integrated with Astro Loyalty: link customers, post "
        "finalized sales, read loyalty state, redeem rewards. Authenticate with "
        "`Authorization: Api-Key <key>` or HTTP Basic (API username and key)."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    # The pos_customer_id rule and the links between operations (issue 13).
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "integrations.api_v1.schema_links.add_links",
    ],
    "ENUM_NAME_OVERRIDES": {
        "OfferKindEnum": ["bogo", "dollars_off"],
        "DiscountKindEnum": ["free_item", "amount_off"],
    },
}

# Every line with its time, level and request id (astro_site/logs.py); LOG_FORMAT=json gives one
# JSON object per line (production's default).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "astro_site.logs.RequestIdFilter"}},
    "formatters": {
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
        "json": {"()": "astro_site.logs.JsonFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_id"],
            "formatter": env.str("LOG_FORMAT", default="text"),
        }
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}

# Error tracking (astro_site/sentry.py): off unless SENTRY_DSN is set; secrets are scrubbed.
SENTRY_DSN = env.str("SENTRY_DSN", default="")
if SENTRY_DSN:
    from astro_site.sentry import init_sentry

    init_sentry(
        SENTRY_DSN,
        environment=env.str("SENTRY_ENVIRONMENT", default="production"),
        release=env.str("SENTRY_RELEASE", default=""),
    )

# Messages to pet owners (SPEC §8): email through EMAIL_BACKEND, texts through SMS_BACKEND
# (integrations/sms: console for the demo, locmem for tests, Twilio in production). Links in
# messages start with SITE_URL.
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")
SMS_BACKEND = env.str("SMS_BACKEND", default="integrations.sms.backends.ConsoleSmsBackend")
TWILIO_ACCOUNT_SID = env.str("TWILIO_ACCOUNT_SID", default="")
TWILIO_AUTH_TOKEN = env.str("TWILIO_AUTH_TOKEN", default="")
TWILIO_FROM_NUMBER = env.str("TWILIO_FROM_NUMBER", default="")
TWILIO_API_BASE = env.str("TWILIO_API_BASE", default="https://api.twilio.com")
# The sweep sends what waited (quiet hours, a lost task, a retry), every minute by default.
MESSAGES_SWEEP_SECONDS = env.float("MESSAGES_SWEEP_SECONDS", default=60.0)
CELERY_BEAT_SCHEDULE["send-due-owner-messages"] = {
    "task": "loyalty.tasks.send_due_messages_task",
    "schedule": MESSAGES_SWEEP_SECONDS,
}
# What queues an owner's messages once the punches behind them committed (see above).
OWNER_MESSAGE_QUEUE = "loyalty.tasks.queue_owner_messages"
