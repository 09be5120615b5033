"""The receiver's endpoint alone, at its project URL (see standalone_settings.py)."""

from django.urls import include, path

from . import views

receiver = ([path("reports/", views.receive, name="receive")], "distributor_sandbox")
urlpatterns = [path("sandbox/distributor/", include(receiver))]
