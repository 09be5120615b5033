"""The project's settings as deployed (DEBUG off), with the bench's URLs on top."""

import os

# Measure speed, not the per-key request budget; set before the base settings read it.
os.environ.setdefault("API_KEY_RATE", "100000000/min")
os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("LOG_LEVEL", "ERROR")

from astro_site.settings.base import *  # noqa: E402, F403

ROOT_URLCONF = "bench_site.urls"
