"""API fixtures: a retailer on the Pinogy-style integration, a key for its location, a client."""

import base64
import json

import pytest
from django.core.cache import cache

from integrations.api_v1.credentials import issue_key
from loyalty.tests import factories


class ApiCaller:
    """The Django test client with the POS's credentials and JSON bodies."""

    def __init__(self, client, key: str, username: str = "", basic: bool = False) -> None:
        self.client = client
        if basic:
            token = base64.b64encode(f"{username}:{key}".encode()).decode()
            self.auth = f"Basic {token}"
        else:
            self.auth = f"Api-Key {key}"

    def _send(self, method: str, path: str, data=None, headers=None):
        extra = {"HTTP_AUTHORIZATION": self.auth}
        for name, value in (headers or {}).items():
            extra["HTTP_" + name.upper().replace("-", "_")] = value
        call = getattr(self.client, method)
        if method in ("get", "delete"):
            return call(path, data or {}, **extra)
        return call(path, json.dumps(data), content_type="application/json", **extra)

    def get(self, path, params=None, **kw):
        return self._send("get", path, params, **kw)

    def post(self, path, data, **kw):
        return self._send("post", path, data, **kw)

    def put(self, path, data, **kw):
        return self._send("put", path, data, **kw)

    def delete(self, path, **kw):
        return self._send("delete", path, **kw)


@pytest.fixture(autouse=True)
def _fresh_throttle():
    cache.clear()  # the per-key request budget lives in the cache
    yield
    cache.clear()


@pytest.fixture
def api_retailer(retailer):
    retailer.pos_integration = "pinogy"
    retailer.save()
    return retailer


@pytest.fixture
def issued(api_retailer, location):
    return issue_key(location=location, actor=None)


@pytest.fixture
def api(client, issued):
    return ApiCaller(client, issued.key)


@pytest.fixture
def other_api(db):
    """A second retailer on the API, with its own key: it must see none of the first's data."""
    other = factories.RetailerFactory(name="Rival Pets", pos_integration="celerant")
    location = factories.LocationFactory(retailer=other)
    from django.test import Client

    caller = ApiCaller(Client(), issue_key(location=location, actor=None).key)
    caller.retailer = other
    return caller
