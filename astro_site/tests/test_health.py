"""/healthz and /readyz as a load balancer calls them: plain HTTP, from an address."""

from datetime import timedelta

import pytest
from django.utils import timezone

from loyalty.models import DistributorReport
from loyalty.tests.test_report_screen import make_report


@pytest.fixture
def probe(client):
    """A probe comes over http:// to the node's own address, which ALLOWED_HOSTS never lists."""

    def get(path: str, **extra):
        return client.get(path, HTTP_HOST="10.1.2.3:8000", **extra)

    return get


@pytest.mark.django_db
def test_healthz_answers_without_touching_the_database(probe, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = probe("/healthz")
    assert response.status_code == 200 and response.json() == {"status": "ok"}
    assert response["Cache-Control"] == "no-store"


@pytest.mark.django_db
def test_readyz_checks_the_database_redis_and_the_report_queue(probe, settings):
    settings.REDIS_URL = None  # the embedded demo: no Redis to ask
    response = probe("/readyz")
    assert response.status_code == 200, response.content
    checks = response.json()["checks"]
    assert checks["database"]["ok"] and checks["redis"]["ok"] and checks["reports"]["ok"]
    assert checks["reports"]["oldest_pending_seconds"] == 0


@pytest.mark.django_db
def test_readyz_is_503_when_redis_does_not_answer(probe, settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens there
    response = probe("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable" and not body["checks"]["redis"]["ok"]
    assert "ConnectionError" in body["checks"]["redis"]["error"]
    assert body["checks"]["database"]["ok"]


def pending_report(retailer, *, age: timedelta, method: str = "https") -> DistributorReport:
    report = make_report(retailer)
    report.distributor.delivery_method = method
    report.distributor.save()
    DistributorReport.objects.filter(pk=report.pk).update(created_at=timezone.now() - age)
    return report


@pytest.mark.django_db
def test_readyz_is_503_once_a_report_waited_longer_than_the_limit(probe, settings, retailer):
    settings.REDIS_URL = None
    settings.READY_MAX_REPORT_AGE_SECONDS = 600
    pending_report(retailer, age=timedelta(minutes=5))
    assert probe("/readyz").status_code == 200
    pending_report(retailer, age=timedelta(minutes=15))
    response = probe("/readyz")
    assert response.status_code == 503
    reports = response.json()["checks"]["reports"]
    assert not reports["ok"] and 899 <= reports["oldest_pending_seconds"] <= 905
    assert reports["limit_seconds"] == 600


@pytest.mark.django_db
def test_a_report_held_for_a_distributor_without_delivery_does_not_count(probe, settings, retailer):
    settings.REDIS_URL = None
    settings.READY_MAX_REPORT_AGE_SECONDS = 600
    pending_report(retailer, age=timedelta(days=3), method="hold")
    assert probe("/readyz").status_code == 200


@pytest.mark.django_db
def test_the_probes_skip_the_https_redirect_of_production(probe, settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.REDIS_URL = None
    assert probe("/healthz").status_code == 200
    assert probe("/readyz").status_code == 200
    assert probe("/login/").status_code == 400  # any other page still checks the host
