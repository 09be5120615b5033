"""Settings that work with no environment at all (the README demo); env vars override them."""

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
    "loyalty",
    "integrations.lightspeed",
    "rest_framework",
    "drf_spectacular",
    # The REST API for fully integrated POS systems (SPEC §5), under /api/v1/.
    "integrations.api_v1",
    # The loopback POS sandbox; its URLs are only mounted when POS_SANDBOX_ENABLED.
    "simulators.lightspeed",
    "simulators.distributor",
    # A fully integrated register (Pinogy/Celerant style) that calls /api/v1/ over HTTP.
    "simulators.rest_register",
    # Demo seeding (`manage.py seed_demo`): it may import every app; no app's code imports it.
    "demo",
]
# What the login page lists as demo logins while the sandbox is on (None: nothing).
LOGIN_PAGE_DEMO_LOGINS = "demo.people_data.demo_logins"

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last, as django-axes asks: it answers locked-out logins.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    # Throttled logins (SPEC §8): django-axes counts failures per username and address.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=10)
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"

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
STATIC_ROOT = BASE_DIR / "staticfiles"
# Without collectstatic (the demo), WhiteNoise serves straight from the app and static folders.
WHITENOISE_USE_FINDERS = True
# Uploaded pictures of custom programs. Production points MEDIA_ROOT at shared storage.
MEDIA_URL = "media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "var" / "media")

EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Astro Loyalty <noreply@astro.local>")

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
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
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
CELERY_BEAT_SCHEDULE = {
    "catch-up-distributor-reports": {
        "task": "loyalty.tasks.send_due_reports_task",
        "schedule": REPORT_CATCH_UP_SECONDS,
    }
}
# How reports travel (DESIGN.md §5: an implementation picked by dotted path; tests may use
# "integrations.memory.deliver", the in-memory twin).
DISTRIBUTOR_DELIVERY = "integrations.distributors.delivery.deliver"
# What queues a report's send once its redemption committed (a setting, so the outbox does not
# import the tasks that call it).
DISTRIBUTOR_REPORT_QUEUE = "loyalty.tasks.queue_report_send"

# The POS systems a retailer may integrate (SPEC §1: at most one enabled at a time). A POS that
# sends the cashier to Astro ("redirect") names the backend its admin screens use; a "full" one
# calls the REST API. Adding a POS is a package under integrations/ and an entry here.
POS_SYSTEMS = {
    "lightspeed": {
        "label": "Lightspeed Retail (redirect)",
        "integration": "redirect",
        "backend": "integrations.lightspeed.pos.LightspeedPos",
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
POS_SALE_SOURCES = {"lightspeed": "integrations.lightspeed.adapter.LightspeedSaleSource"}

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
    "ENUM_NAME_OVERRIDES": {
        "OfferKindEnum": ["bogo", "dollars_off"],
        "DiscountKindEnum": ["free_item", "amount_off"],
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}
