"""The receiver sandbox served on its own, as a distributor runs its endpoint: the project's
settings with only the receiver's URL (at the path it has in the project) and none of Astro's
middleware (sessions, CSRF, log-in limits, store time zones, CSP), which a distributor's server
does not run. bench/drain_reports.py serves it so that draining a backlog measures Astro's
sending and a receiver's real work (check the signature, persist each report once by its
Idempotency-Key), not Astro's own middleware on the far side.

    DJANGO_SETTINGS_MODULE=simulators.distributor.standalone_settings gunicorn astro_site.wsgi
"""

from astro_site.settings.base import *  # noqa: F403

ROOT_URLCONF = "simulators.distributor.standalone_urls"
MIDDLEWARE: list[str] = []
