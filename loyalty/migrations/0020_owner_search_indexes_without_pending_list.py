"""Owner search's trigram indexes without GIN's pending list (SPEC §9).

With fastupdate on (GIN's default), new owners go to a pending list that every search reads
from end to end until a vacuum merges it: after an import of 100,000 owners a search for one
name took 35 to 50 ms in the last-name index alone, for no match. Owners are added a few at a
time, so each insert may well update the index itself. The pending lists are merged once here.
On SQLite this migration does nothing."""

from django.db import migrations

INDEXES = (
    "loyalty_owner_first_name_trgm",
    "loyalty_owner_last_name_trgm",
    "loyalty_owner_email_trgm",
    "loyalty_owner_phone_digits_trgm",
)


def without_pending_list(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"ALTER INDEX IF EXISTS {name} SET (fastupdate = off)")
        schema_editor.execute(
            f"SELECT gin_clean_pending_list('{name}'::regclass) "
            f"WHERE to_regclass('{name}') IS NOT NULL"
        )


def with_pending_list(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"ALTER INDEX IF EXISTS {name} RESET (fastupdate)")


class Migration(migrations.Migration):
    dependencies = [("loyalty", "0019_owner_messages")]

    operations = [migrations.RunPython(without_pending_list, with_pending_list, elidable=False)]
