"""Every URL of the project, plus /bench/hello/ (mounted only here, never in the project)."""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from astro_site.urls import urlpatterns as project_urls


def hello(request: HttpRequest) -> HttpResponse:
    """The floor: Django, the middleware and gunicorn, and nothing of Astro's."""
    return HttpResponse("Hello, world", content_type="text/plain")


urlpatterns = [path("bench/hello/", hello, name="bench_hello"), *project_urls]
