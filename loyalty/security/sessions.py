"""The session store of every logged-in page: Django's database sessions, read by a prepared
read (SPEC §9).

Django's `SessionStore.load` builds its `get()` anew on each request, about 900 Python calls
for one row. Here the row is read by its key through `PreparedRead` (the SQL compiled once per
process), and the expiry is checked in Python: the clock cannot be a prepared parameter, and
`expire_date > now` is the same rule as Django's filter. An expired or unknown session loads as
an empty one and forgets its key, as Django's does. Saving, creating and deleting stay Django's.
"""

from __future__ import annotations

from django.contrib.sessions.backends import db
from django.contrib.sessions.models import Session
from django.utils import timezone

from loyalty.selectors.prepared import PreparedRead

_SESSION = PreparedRead(
    lambda key: Session.objects.filter(session_key=key).values_list("session_data", "expire_date")
)


class SessionStore(db.SessionStore):
    def load(self) -> dict:
        for data, expires in _SESSION.rows(self.session_key):
            if expires > timezone.now():
                return self.decode(data)
        self._session_key = None
        return {}
