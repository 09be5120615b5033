"""Rewrite every encrypted value with the newest of FIELD_ENCRYPTION_KEYS (key rotation).

Put the new key first in FIELD_ENCRYPTION_KEYS (keeping the old ones after it), deploy, run
this once, then remove the old keys. Safe to run again: values already on the newest key are
simply rewritten with it.
"""

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import connection, transaction

from loyalty.models.encrypted import EncryptedTextField, rewrite_columns, rotate_text


class Command(BaseCommand):
    help = "Re-encrypt every stored secret with the first key of FIELD_ENCRYPTION_KEYS."

    def handle(self, *args, **options) -> None:
        for model in apps.get_models():
            columns = [
                field.column
                for field in model._meta.concrete_fields
                if isinstance(field, EncryptedTextField)
            ]
            if not columns:
                continue
            with transaction.atomic():
                count = rewrite_columns(connection, model._meta.db_table, columns, rotate_text)
            label = model._meta.label
            self.stdout.write(f"{label}: {count} rows re-encrypted ({', '.join(columns)}).")
