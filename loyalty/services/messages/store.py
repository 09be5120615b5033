"""Writes of the store's Messages settings (SPEC §8), audited like every settings change."""

from django.db import transaction

from loyalty.models import MessageSettings, Retailer, User
from loyalty.services.audit import record_audit

MESSAGE_SETTINGS_FIELDS = (
    "one_more_on",
    "one_more_text",
    "reward_ready_on",
    "reward_ready_text",
    "visit_summary_on",
    "visit_summary_text",
    "quiet_start",
    "quiet_end",
    "send_test_messages",
)


@transaction.atomic
def save_message_settings(*, retailer: Retailer, values: dict, actor: User) -> MessageSettings:
    store, _created = MessageSettings.objects.select_for_update().get_or_create(retailer=retailer)
    for name in MESSAGE_SETTINGS_FIELDS:
        setattr(store, name, values[name])
    store.save()
    record_audit(
        retailer=retailer,
        actor=actor,
        action="settings.messages_changed",
        target=retailer,
        data={name: str(values[name]) for name in MESSAGE_SETTINGS_FIELDS},
    )
    return store
