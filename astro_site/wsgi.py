"""WSGI entry point (gunicorn astro_site.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "astro_site.settings.base")
application = get_wsgi_application()
