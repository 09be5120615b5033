"""The 503 answers for a lost database, in each form a caller reads (the real outage is
test_outages.py on PostgreSQL; these run everywhere)."""

import json

import pytest
from django.db import OperationalError
from django.test import RequestFactory

from astro_site.unavailable import DatabaseUnavailableMiddleware, server_error

LOST = OperationalError("connection to server at 127.0.0.1 failed: Connection refused")


@pytest.fixture
def middleware():
    return DatabaseUnavailableMiddleware(lambda request: None)


@pytest.mark.django_db
def test_a_screen_gets_the_503_page(middleware, django_assert_num_queries):
    with django_assert_num_queries(0):  # rendering it must not need the database
        response = middleware.process_exception(RequestFactory().get("/owners/"), LOST)
    assert response.status_code == 503 and response["Retry-After"] == "5"
    page = response.content.decode()
    assert "Astro is briefly unavailable" in page and "Nothing was saved" in page


def test_an_htmx_request_gets_one_line_for_the_alert_bar(middleware):
    request = RequestFactory().post("/visits/1/redeem/", HTTP_HX_REQUEST="true")
    response = middleware.process_exception(request, LOST)
    assert response.status_code == 503 and response["Content-Type"].startswith("text/plain")
    assert response.content.decode().startswith("Astro cannot reach its database")


def test_the_api_gets_its_json_error_shape(middleware):
    response = middleware.process_exception(RequestFactory().get("/api/v1/docs/"), LOST)
    body = json.loads(response.content)
    assert response.status_code == 503 and set(body) == {"code", "message"}
    assert body["code"] == "database_unavailable"


def test_other_errors_are_left_to_django(middleware):
    assert middleware.process_exception(RequestFactory().get("/"), ValueError("bug")) is None


def test_a_database_lost_in_a_middleware_is_a_503_too():
    request = RequestFactory().get("/owners/")
    try:
        raise LOST
    except OperationalError:
        response = server_error(request)  # Django calls handler500 inside its except block
    assert response.status_code == 503
    try:
        raise ValueError("a bug")
    except ValueError:
        assert server_error(request).status_code == 500
