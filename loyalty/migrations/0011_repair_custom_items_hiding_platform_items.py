"""SPEC §2: a retailer's own item never shadows a platform item. Stores saved custom program
codes that are a manufacturer product's UPC (or item number) before that was refused; this
repairs those rows, keeping every punch.

For each of a store's items whose GTIN or item number is a platform item's: its purchases,
sale lines and redemptions point at the platform item instead (the same product), it leaves the
custom program cards that listed it (such a code is refused there now), the change is written
to the store's audit log, and the duplicate is deleted. Punches stay on the cards they are on.
"""

from django.db import migrations
from django.db.models import Q


def repair(apps, schema_editor=None) -> int:
    """Returns how many of the stores' items were merged into platform items."""
    Item = apps.get_model("loyalty", "Item")
    AuditEvent = apps.get_model("loyalty", "AuditEvent")
    platform = Item.objects.filter(retailer__isnull=True)
    by_gtin = {i.gtin: i for i in platform.exclude(gtin="")}
    by_number = {i.item_number_key: i for i in platform.exclude(item_number_key="")}
    colliding = Item.objects.filter(retailer__isnull=False).filter(
        Q(gtin__in=list(by_gtin)) | Q(item_number_key__in=list(by_number))
    )
    repaired = 0
    for own in colliding.order_by("pk"):
        target = by_gtin.get(own.gtin) if own.gtin else None
        target = target or by_number.get(own.item_number_key)
        if target is None:
            continue
        _merge(apps, own, target, AuditEvent)
        repaired += 1
    return repaired


def _merge(apps, own, target, AuditEvent) -> None:
    Purchase = apps.get_model("loyalty", "Purchase")
    VisitLine = apps.get_model("loyalty", "VisitLine")
    Redemption = apps.get_model("loyalty", "Redemption")
    ProgramCard = apps.get_model("loyalty", "ProgramCard")
    punches = Purchase.objects.filter(item=own).update(item=target)
    VisitLine.objects.filter(item=own).update(item=target)
    Redemption.objects.filter(item=own).update(item=target)
    cards = list(
        ProgramCard.objects.filter(Q(qualifying_items=own) | Q(redeemable_items=own))
        .distinct()
        .values_list("pk", "program__name")
    )
    for card in ProgramCard.objects.filter(pk__in=[pk for pk, _name in cards]):
        card.qualifying_items.remove(own)
        card.redeemable_items.remove(own)
    AuditEvent.objects.create(
        retailer_id=own.retailer_id,
        action="item.merged_into_platform",
        target_type="item",
        target_id=str(target.pk),
        data={
            "code": own.gtin or own.item_number,
            "removed_item": own.description,
            "platform_item": target.description,
            "punches_kept": punches,
            "removed_from_programs": sorted({name for _pk, name in cards}),
        },
    )
    own.delete()


class Migration(migrations.Migration):
    dependencies = [("loyalty", "0010_undo_point_rewards_catalog")]

    operations = [migrations.RunPython(repair, migrations.RunPython.noop)]
