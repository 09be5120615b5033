"""Top-level URLs."""

from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from loyalty.views.login import LoginView

admin.site.site_header = "Astro platform administration"
# A database lost outside a view is a 503 with a clear message too (astro_site/unavailable.py).
handler500 = "astro_site.unavailable.server_error"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("login/", LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    # The REST API for fully integrated POS systems (SPEC §5).
    path("api/v1/", include("integrations.api_v1.urls")),
]

# The loopback POS sandbox for the demo and tests; never mounted in production (DESIGN.md).
if settings.POS_SANDBOX_ENABLED:
    urlpatterns.append(path("sandbox/lightspeed/", include("simulators.lightspeed.urls")))
    urlpatterns.append(path("sandbox/distributor/", include("simulators.distributor.urls")))
    urlpatterns.append(path("sandbox/heartland/", include("simulators.heartland.urls")))
    urlpatterns.append(path("sandbox/lightspeed-x/", include("simulators.lightspeed_x.urls")))
    urlpatterns.append(path("sandbox/rest-register/", include("simulators.rest_register.urls")))

# Uploaded program pictures; in production the web server or storage serves MEDIA_URL.
if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

urlpatterns.append(path("", include("integrations.lightspeed.urls")))
urlpatterns.append(path("", include("integrations.heartland.urls")))
urlpatterns.append(path("", include("integrations.lightspeed_x.urls")))
urlpatterns.append(path("", include("integrations.api_v1.settings_urls")))
# SPEC §6: distributors answer a claim (credited/declined) at a signed callback.
urlpatterns.append(path("", include("integrations.distributors.urls")))
urlpatterns.append(path("", include("loyalty.urls")))
