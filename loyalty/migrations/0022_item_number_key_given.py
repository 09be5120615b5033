"""An index of the item numbers that are given, for the sale's item look-up (SPEC §9, issue 12).

Most items have no item number, so the column's own index holds mostly empty keys, and a
prepared statement's generic plan counts a third of the table for each number it looks up:
PostgreSQL read every item (a sequential scan, 0.3 to 0.7 ms on the bench's 2,000) on every
sale. The look-up says its numbers are not empty, which this partial index matches."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("loyalty", "0021_owner_search_one_text_index"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="item",
            index=models.Index(
                condition=models.Q(("item_number_key", ""), _negated=True),
                fields=["item_number_key"],
                name="item_number_key_given",
            ),
        ),
    ]
