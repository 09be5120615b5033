"""The site's URLs plus the POS API settings screen, as the project mounts them."""

from django.urls import include, path

from astro_site.urls import urlpatterns as site_urls

urlpatterns = [path("", include("integrations.api_v1.settings_urls")), *site_urls]
