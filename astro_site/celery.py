"""The Celery app; configuration comes from Django settings (CELERY_* names)."""

import os

from celery import Celery

from astro_site import logs  # noqa: F401 - carries the request id into tasks and their logs

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "astro_site.settings.base")

app = Celery("astro")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
