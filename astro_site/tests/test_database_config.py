"""The app's PostgreSQL connections: the planner's page cost, and the setting that leaves it."""

import pytest
from django.db import connection

from astro_site.env import database_config


def test_postgresql_connections_price_a_random_read_as_memory_does(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/astro")
    monkeypatch.delenv("DB_RANDOM_PAGE_COST", raising=False)
    assert database_config()["OPTIONS"]["options"] == "-c random_page_cost=1.1"
    monkeypatch.setenv("DB_RANDOM_PAGE_COST", "")  # the server's own setting
    assert "options" not in database_config()["OPTIONS"]
    monkeypatch.setenv("DATABASE_URL", "sqlite:///demo.sqlite3")
    assert "options" not in database_config().get("OPTIONS", {})


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's setting (CI runs this)")
def test_the_test_database_connection_plans_with_that_cost():
    with connection.cursor() as cursor:
        cursor.execute("SHOW random_page_cost")
        assert cursor.fetchone()[0] == "1.1"
