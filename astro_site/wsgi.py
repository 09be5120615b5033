"""WSGI entry point (gunicorn astro_site.wsgi)."""

import gc
import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "astro_site.settings.base")
application = get_wsgi_application()


def _settle() -> None:
    """Load the URLs and views now, then leave everything loaded out of the garbage
    collector's full passes (`gc.freeze`): it lives as long as the worker. Each full pass
    walked all of a worker's 140,000 objects, 80 ms in which a request waited, every few
    hundred requests: a tail the API sale's p99 felt (issue 12)."""
    get_resolver().url_patterns  # noqa: B018 - imports the URLconf, as a first request would
    gc.collect()
    gc.freeze()


_settle()
