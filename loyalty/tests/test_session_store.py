"""The session store (loyalty/security/sessions.py) loads what Django's database store loads."""

from datetime import timedelta

import pytest
from django.contrib.sessions.backends.db import SessionStore as DjangoStore
from django.contrib.sessions.models import Session
from django.utils import timezone

from loyalty.security.sessions import SessionStore


@pytest.mark.django_db
def test_a_live_session_loads_as_djangos_store_loads_it():
    stored = SessionStore()
    stored["idle_last_seen"] = 123
    stored.save()
    for _ in range(2):  # the second read runs the SQL kept from the first
        assert SessionStore(stored.session_key).load() == {"idle_last_seen": 123}
        assert DjangoStore(stored.session_key).load() == {"idle_last_seen": 123}


@pytest.mark.django_db
def test_an_expired_or_unknown_session_is_not_loaded_and_forgets_its_key():
    stored = SessionStore()
    stored["idle_last_seen"] = 123
    stored.save()
    Session.objects.filter(pk=stored.session_key).update(
        expire_date=timezone.now() - timedelta(seconds=1)
    )
    for key in (stored.session_key, "no-such-session-key"):
        session = SessionStore(key)
        assert session.load() == {} == DjangoStore(key).load()
        assert session.session_key is None


@pytest.mark.django_db
def test_a_text_argument_is_a_parameter_of_the_prepared_sql():
    from loyalty.selectors.prepared import PreparedRead

    read = PreparedRead(lambda key: Session.objects.filter(pk=key).values_list("session_key"))
    assert read.rows("abcdefgh12345678") == []
