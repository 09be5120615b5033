"""Text columns encrypted at rest (issue 13): POS tokens and distributors' signing secrets.

cryptography's MultiFernet (AES-128-CBC with an HMAC-SHA256, the maintained recipe for this)
over FIELD_ENCRYPTION_KEYS, newest first: values are written with the first key and read with
any of them, so a new key is put in front, `manage.py rotate_encryption_keys` rewrites every
value with it, and then the old key can go. A database dump alone no longer hands out the
store's Lightspeed account or lets anyone sign reports as Astro.

Blank stays blank (no secret is no secret). Such a column can only be compared as a whole
value after decryption, so nothing filters on one.
"""

from __future__ import annotations

import base64
import hashlib
from functools import lru_cache
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django import forms
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models


def configured_keys() -> tuple[str, ...]:
    """FIELD_ENCRYPTION_KEYS, or one key derived from SECRET_KEY where none is set (the demo
    and tests; production refuses to start without its own keys)."""
    keys = tuple(key for key in settings.FIELD_ENCRYPTION_KEYS if key)
    if keys:
        return keys
    digest = hashlib.sha256(b"astro-field-encryption:" + settings.SECRET_KEY.encode()).digest()
    return (base64.urlsafe_b64encode(digest).decode(),)


@lru_cache(maxsize=4)
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    try:
        return MultiFernet([Fernet(key) for key in keys])
    except ValueError as exc:
        raise ImproperlyConfigured(
            "FIELD_ENCRYPTION_KEYS must be Fernet keys (32 url-safe base64 bytes each); make "
            "one with: python -c 'from cryptography.fernet import Fernet; "
            "print(Fernet.generate_key().decode())'"
        ) from exc


def fernet() -> MultiFernet:
    return _fernet(configured_keys())


def encrypt_text(value: str) -> str:
    return fernet().encrypt(value.encode()).decode() if value else value


def decrypt_text(token: str) -> str:
    if not token:
        return token
    try:
        return fernet().decrypt(token.encode()).decode()
    except InvalidToken:
        raise ImproperlyConfigured(
            "A stored secret cannot be decrypted with any key in FIELD_ENCRYPTION_KEYS: was "
            "the key it was written with removed before `manage.py rotate_encryption_keys`?"
        ) from None


def rotate_text(token: str) -> str:
    """The same value written with the newest key."""
    return fernet().rotate(token.encode()).decode() if token else token


class EncryptedTextField(models.TextField):
    """A str in Python, a Fernet token in the database."""

    def from_db_value(self, value: str | None, expression, connection) -> str | None:
        return None if value is None else decrypt_text(value)

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        return None if value is None else encrypt_text(value)

    def formfield(self, **kwargs):
        # A one-line secret, not a text area (the TextField default).
        return super().formfield(**{"widget": forms.TextInput, **kwargs})


def rewrite_columns(connection, table: str, columns: list[str], change) -> int:
    """Pass every non-blank value of `columns` through `change` (encrypt_text for existing
    rows, decrypt_text to go back, rotate_text for a new key), by raw SQL so the field's own
    conversion does not run on values that are not tokens yet. Rows are locked while they are
    rewritten, so a Lightspeed token refresh in between is never overwritten. Returns the
    number of rows."""
    quote = connection.ops.quote_name
    names = ", ".join(quote(column) for column in columns)
    assignments = ", ".join(f"{quote(column)} = %s" for column in columns)
    lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id, {names} FROM {quote(table)}{lock}")  # noqa: S608 - our names
        rows = cursor.fetchall()
        for pk, *values in rows:
            cursor.execute(
                f"UPDATE {quote(table)} SET {assignments} WHERE id = %s",  # noqa: S608
                [change(value) if value else value for value in values] + [pk],
            )
    return len(rows)
