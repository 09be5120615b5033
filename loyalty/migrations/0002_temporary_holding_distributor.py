"""SPEC §2: the Temporary Holding Distributor exists everywhere, for enrollments whose real
distributor is not listed yet."""

from django.db import migrations

NAME = "Temporary Holding Distributor"


def create(apps, schema_editor):
    Distributor = apps.get_model("loyalty", "Distributor")
    if not Distributor.objects.filter(is_temporary_holding=True).exists():
        Distributor.objects.create(name=NAME, is_temporary_holding=True, delivery_method="hold")


class Migration(migrations.Migration):
    dependencies = [("loyalty", "0001_initial")]

    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
