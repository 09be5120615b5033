# Each existing owner gets a key of their own (an AddField default would give them all one);
# a merged-away owner gets none, so their link never works.

import secrets

from django.db import migrations, models

import loyalty.models.owners


def give_keys(apps, schema_editor):
    PetOwner = apps.get_model("loyalty", "PetOwner")
    batch = []
    for owner in PetOwner.objects.filter(merged_into__isnull=True).only("pk").iterator():
        owner.card_key = secrets.token_urlsafe(12)
        batch.append(owner)
        if len(batch) == 1000:
            PetOwner.objects.bulk_update(batch, ["card_key"])
            batch = []
    PetOwner.objects.bulk_update(batch, ["card_key"])


class Migration(migrations.Migration):
    dependencies = [
        ("loyalty", "0017_distributor_credit_status"),
    ]

    operations = [
        migrations.AddField(
            model_name="retailer",
            name="logo",
            field=models.ImageField(blank=True, upload_to="logos/"),
        ),
        migrations.AddField(
            model_name="petowner",
            name="card_key",
            field=models.CharField(blank=True, default="", editable=False, max_length=32),
        ),
        migrations.RunPython(give_keys, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="petowner",
            name="card_key",
            field=models.CharField(
                blank=True,
                default=loyalty.models.owners.new_card_key,
                editable=False,
                max_length=32,
            ),
        ),
    ]
