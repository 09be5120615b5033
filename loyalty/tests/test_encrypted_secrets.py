"""Secrets at rest (issue 13): Lightspeed tokens and distributors' signing secrets are stored
encrypted, existing rows are encrypted by the migration, and keys rotate."""

import io

import pytest
from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from integrations.lightspeed.models import LightspeedConnection
from loyalty.models import Distributor
from loyalty.models.encrypted import _fernet
from loyalty.tests import factories

TOKENS = ("ls-access-token-123", "ls-refresh-token-456")


def raw(table: str, column: str, pk: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table} WHERE id = %s", [pk])  # noqa: S608
        return cursor.fetchone()[0]


def connect(retailer) -> LightspeedConnection:
    return LightspeedConnection.objects.create(
        retailer=retailer,
        account_id="1",
        api_base="https://api.lightspeedapp.com",
        auth_base="https://cloud.lightspeedapp.com",
        access_token=TOKENS[0],
        refresh_token=TOKENS[1],
    )


def test_tokens_and_signing_secrets_are_stored_encrypted_and_read_back(retailer):
    link = connect(retailer)
    distributor = factories.DistributorFactory(signing_secret="sign-me-please")
    table = LightspeedConnection._meta.db_table
    for column, token in zip(("access_token", "refresh_token"), TOKENS, strict=True):
        stored = raw(table, column, link.pk)
        assert token not in stored and stored.startswith("gAAAAA")
    assert "sign-me-please" not in raw("loyalty_distributor", "signing_secret", distributor.pk)
    link.refresh_from_db()
    assert (link.access_token, link.refresh_token) == TOKENS
    pair = LightspeedConnection.objects.values_list("access_token", "refresh_token").get()
    assert pair == TOKENS
    assert Distributor.objects.get(pk=distributor.pk).signing_secret == "sign-me-please"


def test_a_blank_secret_stays_blank(db):
    distributor = factories.DistributorFactory(signing_secret="")
    assert raw("loyalty_distributor", "signing_secret", distributor.pk) == ""


def test_keys_rotate_newest_first_and_an_unknown_key_says_what_to_do(settings, retailer):
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    settings.FIELD_ENCRYPTION_KEYS = [old]
    link = connect(retailer)
    settings.FIELD_ENCRYPTION_KEYS = [new, old]  # the new key in front: old values still read
    link.refresh_from_db()
    assert link.access_token == TOKENS[0]
    out = io.StringIO()
    call_command("rotate_encryption_keys", stdout=out)
    assert "lightspeed.LightspeedConnection: 1 rows re-encrypted" in out.getvalue()
    settings.FIELD_ENCRYPTION_KEYS = [new]  # the old key retired
    link.refresh_from_db()
    assert (link.access_token, link.refresh_token) == TOKENS
    settings.FIELD_ENCRYPTION_KEYS = [Fernet.generate_key().decode()]
    with pytest.raises(ImproperlyConfigured, match="cannot be decrypted"):
        link.refresh_from_db()
    settings.FIELD_ENCRYPTION_KEYS = ["not-a-key"]
    _fernet.cache_clear()
    with pytest.raises(ImproperlyConfigured, match="must be Fernet keys"):
        link.refresh_from_db()


@pytest.mark.django_db(transaction=True)
def test_the_migration_encrypts_rows_stored_in_plain_text():
    before = [
        ("loyalty", "0009_pos_system_choices_from_settings"),
        ("lightspeed", "0002_connected_by"),
    ]
    after = [("loyalty", "0010_encrypt_secrets"), ("lightspeed", "0003_encrypt_secrets")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old = MigrationExecutor(connection).loader.project_state(before).apps
    retailer = old.get_model("loyalty", "Retailer").objects.create(name="Plain Pets")
    old.get_model("lightspeed", "LightspeedConnection").objects.create(
        retailer=retailer,
        account_id="1",
        api_base="https://api.lightspeedapp.com",
        auth_base="https://cloud.lightspeedapp.com",
        access_token=TOKENS[0],
        refresh_token=TOKENS[1],
    )
    old.get_model("loyalty", "Distributor").objects.create(name="Plain", signing_secret="s3cret")
    executor = MigrationExecutor(connection)
    executor.migrate(after)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
    link = LightspeedConnection.objects.get(retailer__name="Plain Pets")
    assert TOKENS[0] not in raw(LightspeedConnection._meta.db_table, "access_token", link.pk)
    assert (link.access_token, link.refresh_token) == TOKENS
    assert Distributor.objects.get(name="Plain").signing_secret == "s3cret"


def test_production_refuses_to_start_without_its_own_keys():
    import os
    import subprocess
    import sys
    from pathlib import Path

    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("FIELD_ENCRYPTION_KEYS", "DJANGO_SETTINGS_MODULE")
    }
    env |= {
        "DJANGO_SETTINGS_MODULE": "astro_site.settings.production",
        "SECRET_KEY": "x" * 50,
        "DATABASE_URL": "sqlite:///unused.sqlite3",
        "REDIS_URL": "redis://127.0.0.1:1/0",
        "ALLOWED_HOSTS": "astro.example.com",
    }
    started = subprocess.run(  # noqa: S603 - our own interpreter and settings
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=Path(__file__).resolve().parents[2],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert started.returncode != 0
    assert "FIELD_ENCRYPTION_KEYS must be set in production" in started.stderr
