"""Trigram indexes for owner search (SPEC §3, §9): Customer Lookup finds a name, an email or
phone digits anywhere in the text, which a B-tree cannot serve. On PostgreSQL, pg_trgm GIN
indexes on the very expressions Django's icontains/contains lookups compare, so the planner
uses them as they are; on SQLite (the embedded demo) this migration does nothing.

The indexes are built CONCURRENTLY (outside a transaction) so a large table keeps taking
writes while they build. The (retailer, last name, first name) index lets a search that most
owners match read them in name order and stop at its LIMIT. The extension needs a role allowed to create it (as CI's is)."""

from django.db import migrations, models

TABLE = "loyalty_petowner"
# name: indexed expression (icontains compares UPPER(column); contains compares the column).
INDEXES = {
    "loyalty_owner_first_name_trgm": 'UPPER("first_name") gin_trgm_ops',
    "loyalty_owner_last_name_trgm": 'UPPER("last_name") gin_trgm_ops',
    "loyalty_owner_email_trgm": 'UPPER("email_normalized") gin_trgm_ops',
    "loyalty_owner_phone_digits_trgm": '"phone_digits" gin_trgm_ops',
}


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, expression in INDEXES.items():
        schema_editor.execute(
            f"CREATE INDEX CONCURRENTLY IF NOT EXISTS {name} ON {TABLE} USING gin ({expression})"
        )


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {name}")


class Migration(migrations.Migration):
    atomic = False  # CREATE INDEX CONCURRENTLY cannot run inside a transaction

    dependencies = [("loyalty", "0009_pos_system_choices_from_settings")]

    operations = [
        migrations.RunPython(create_indexes, drop_indexes, elidable=False),
        # Name order with the retailer: a search most owners match stops at its LIMIT.
        migrations.RemoveIndex(model_name="petowner", name="loyalty_pet_retaile_7b7cbe_idx"),
        migrations.AddIndex(
            model_name="petowner",
            index=models.Index(
                fields=["retailer", "last_name", "first_name"],
                name="loyalty_pet_retaile_46c2fe_idx",
            ),
        ),
    ]
