"""Signal receivers: keep every retailer's Sally Pet Owner in place (SPEC §3)."""

from django.contrib.auth.signals import user_logged_in
from django.db.models.signals import post_save
from django.dispatch import receiver

from .models import Retailer
from .security.session_idle import start_idle_clock
from .services.owners import ensure_test_owner
from .time_zones import remember_zone_at_login


@receiver(post_save, sender=Retailer)
def give_new_retailer_sally(sender, instance: Retailer, created: bool, raw: bool, **kwargs) -> None:
    if created and not raw:
        ensure_test_owner(instance)


user_logged_in.connect(start_idle_clock, dispatch_uid="loyalty-start-idle-clock")
user_logged_in.connect(remember_zone_at_login, dispatch_uid="loyalty-remember-store-zone")
