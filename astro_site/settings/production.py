"""Production settings: refuse to start without real secrets, HTTPS everywhere, no sandboxes."""

from django.core.exceptions import ImproperlyConfigured

from astro_site.env import database_config, env

from .base import *  # noqa: F403


def _required(name: str) -> str:
    value = env.str(name, default="")
    if not value:
        raise ImproperlyConfigured(f"{name} must be set in production.")
    return value


DEBUG = False
SECRET_KEY = _required("SECRET_KEY")
DATABASES = {"default": database_config(default=_required("DATABASE_URL"))}
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS")
# Links in emails and texts: the site's first host over HTTPS unless SITE_URL says otherwise.
SITE_URL = env.str(
    "SITE_URL", default=f"https://{ALLOWED_HOSTS[0].lstrip('.')}" if ALLOWED_HOSTS else ""
)
REDIS_URL = _required("REDIS_URL")
# Never derived from SECRET_KEY here: rotating one must not make the stored secrets unreadable.
FIELD_ENCRYPTION_KEYS = [key.strip() for key in _required("FIELD_ENCRYPTION_KEYS").split(",")]
CELERY_BROKER_URL = REDIS_URL
CELERY_RESULT_BACKEND = REDIS_URL
CELERY_TASK_ALWAYS_EAGER = False
# One cache for every web process, so the API's per-key request budget holds across workers.
# It fails open (astro_site/cache.py): with Redis down a request runs without it.
CACHES = {
    "default": {
        "BACKEND": "astro_site.cache.FailOpenRedisCache",
        "LOCATION": REDIS_URL,
        "OPTIONS": {
            "socket_connect_timeout": REDIS_CONNECT_TIMEOUT,  # noqa: F405
            "socket_timeout": REDIS_SOCKET_TIMEOUT,  # noqa: F405
        },
    }
}
POS_SANDBOX_ENABLED = False
# Neither the demo nor the loopback sandboxes are installed, so no code path can reach them.
INSTALLED_APPS = [
    app
    for app in INSTALLED_APPS  # noqa: F405
    if app != "demo" and not app.startswith("simulators.")
]
LOGIN_PAGE_DEMO_LOGINS = None
# One JSON object per log line, for the log collector.
LOGGING["handlers"]["console"]["formatter"] = env.str("LOG_FORMAT", default="json")  # noqa: F405
# Never the sandbox's demo client: blank until the real registration is configured.
LIGHTSPEED_CLIENT_ID = env.str("LIGHTSPEED_CLIENT_ID", default="")
LIGHTSPEED_CLIENT_SECRET = env.str("LIGHTSPEED_CLIENT_SECRET", default="")
LIGHTSPEED_X_CLIENT_ID = env.str("LIGHTSPEED_X_CLIENT_ID", default="")
LIGHTSPEED_X_CLIENT_SECRET = env.str("LIGHTSPEED_X_CLIENT_SECRET", default="")

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
