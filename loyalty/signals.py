"""Signal receivers: keep every retailer's Sally Pet Owner in place (SPEC §3)."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from .models import Retailer
from .services.owners import ensure_test_owner


@receiver(post_save, sender=Retailer)
def give_new_retailer_sally(sender, instance: Retailer, created: bool, raw: bool, **kwargs) -> None:
    if created and not raw:
        ensure_test_owner(instance)
