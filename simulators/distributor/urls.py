"""Receiver sandbox URLs (mounted at /sandbox/distributor/ when the sandboxes are on)."""

from django.urls import path

from . import views

app_name = "distributor_sandbox"

urlpatterns = [
    path("", views.home, name="home"),
    path("reports/", views.receive, name="receive"),
    path("answer/", views.answer, name="answer"),
]
