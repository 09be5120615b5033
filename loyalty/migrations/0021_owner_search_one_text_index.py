"""Owner search's name and email parts in one trigram index (SPEC §9, issue 12).

A search reads each trigram's posting list in every index it asks: with a name's, a last
name's and an email's index, a text such as "Bench54321" (a prefix most owners share) read
three long lists where one would do, about 2 ms of PostgreSQL's CPU each on 100,000 owners.
One index over `first name, last name, email` (upper-cased, as icontains compares them) finds
the candidates once; the search still checks each field on its own (loyalty/selectors/
owners.py), so a text spanning two fields finds nothing it did not find before. The phone
digits keep their own index. The per-field indexes go: nothing else reads them, and every new
or changed owner wrote all three. On SQLite this migration does nothing."""

from django.db import migrations

TABLE = "loyalty_petowner"
TEXT_INDEX = "loyalty_owner_text_trgm"
# The expression the search compares (OWNER_TEXT in loyalty/selectors/owners.py).
TEXT = "UPPER(first_name::text || ' ' || last_name::text || ' ' || email_normalized::text)"
FIELD_INDEXES = {
    "loyalty_owner_first_name_trgm": 'UPPER("first_name")',
    "loyalty_owner_last_name_trgm": 'UPPER("last_name")',
    "loyalty_owner_email_trgm": 'UPPER("email_normalized")',
}


def _create(schema_editor, name: str, expression: str) -> None:
    # Without GIN's pending list, as migration 0020 set the others.
    schema_editor.execute(
        f"CREATE INDEX CONCURRENTLY IF NOT EXISTS {name} ON {TABLE} "
        f"USING gin (({expression}) gin_trgm_ops) WITH (fastupdate = off)"
    )


def one_text_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    _create(schema_editor, TEXT_INDEX, TEXT)
    for name in FIELD_INDEXES:
        schema_editor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {name}")


def field_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, expression in FIELD_INDEXES.items():
        _create(schema_editor, name, expression)
    schema_editor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {TEXT_INDEX}")


class Migration(migrations.Migration):
    atomic = False  # CREATE INDEX CONCURRENTLY cannot run inside a transaction

    dependencies = [("loyalty", "0020_owner_search_indexes_without_pending_list")]

    operations = [migrations.RunPython(one_text_index, field_indexes, elidable=False)]
