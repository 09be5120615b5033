"""Messages to pet owners (SPEC §8): the store's message settings and the outbox of messages."""

from django.db import models
from django.db.models import Q

DEFAULT_TEXTS = {
    "one_more": (
        "Hi {first_name}, one more {card} purchase at {store} and your next one is free "
        "({progress}). See your cards: {link}"
    ),
    "reward_ready": (
        "Hi {first_name}, your {card} card at {store} is complete: your free item is waiting. "
        "See your cards: {link}"
    ),
    "visit_summary": (
        "Thanks for visiting {store}, {first_name}. {summary} See your cards: {link}"
    ),
}


class MessageKind(models.TextChoices):
    ONE_MORE = "one_more", "One more to go"
    REWARD_READY = "reward_ready", "Reward ready"
    VISIT_SUMMARY = "visit_summary", "Visit summary"


class Channel(models.TextChoices):
    EMAIL = "email", "Email"
    SMS = "sms", "SMS"


class MessageState(models.TextChoices):
    PENDING = "pending", "Waiting"
    SENDING = "sending", "Sending"
    SENT = "sent", "Sent"
    SKIPPED = "skipped", "Not sent"
    FAILED = "failed", "Failed"


class MessageSettings(models.Model):
    """One row per store; a store without one has the defaults (an unsaved instance)."""

    retailer = models.OneToOneField(
        "loyalty.Retailer", on_delete=models.CASCADE, related_name="message_settings"
    )
    one_more_on = models.BooleanField("Send “one more to go”", default=True)
    reward_ready_on = models.BooleanField("Send “reward ready”", default=True)
    visit_summary_on = models.BooleanField("Send a visit summary after each visit", default=False)
    one_more_text = models.TextField("“One more to go” wording", default=DEFAULT_TEXTS["one_more"])
    reward_ready_text = models.TextField(
        "“Reward ready” wording", default=DEFAULT_TEXTS["reward_ready"]
    )
    visit_summary_text = models.TextField(
        "Visit summary wording", default=DEFAULT_TEXTS["visit_summary"]
    )
    # Both blank: no quiet hours. In the store's time zone; may wrap midnight (21:00-08:00).
    quiet_start = models.TimeField("Quiet hours from", null=True, blank=True)
    quiet_end = models.TimeField("Quiet hours until", null=True, blank=True)
    # SPEC §3: Sally is a test account; her messages go only while the store tests them.
    send_test_messages = models.BooleanField("Send test messages (to Sally)", default=False)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Messages settings of retailer {self.retailer_id}"

    def is_on(self, kind: str) -> bool:
        return bool(getattr(self, f"{kind}_on"))

    def text_for(self, kind: str) -> str:
        return str(getattr(self, f"{kind}_text"))


class OwnerMessage(models.Model):
    """The outbox: written in the transaction of the punch (or visit) that causes it, sent by a
    task after commit; `state` moves pending → sending → sent exactly once."""

    retailer = models.ForeignKey("loyalty.Retailer", on_delete=models.CASCADE, related_name="+")
    owner = models.ForeignKey("loyalty.PetOwner", on_delete=models.CASCADE, related_name="messages")
    card = models.ForeignKey(
        "loyalty.Card", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    visit = models.ForeignKey(
        "loyalty.Visit", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    kind = models.CharField(max_length=20, choices=MessageKind.choices)
    channel = models.CharField(max_length=10, choices=Channel.choices)
    state = models.CharField(
        max_length=10, choices=MessageState.choices, default=MessageState.PENDING
    )
    created_at = models.DateTimeField()
    # Not before this time: quiet hours and retries move it on; the sweep sends what is due.
    due_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)
    opened_at = models.DateTimeField(null=True, blank=True)
    unsubscribed_at = models.DateTimeField(null=True, blank=True)
    recipient = models.CharField(max_length=254, blank=True)
    body = models.TextField(blank=True)
    note = models.CharField(max_length=300, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["state", "due_at"], name="owner_message_due"),
            models.Index(fields=["retailer", "-created_at"], name="owner_message_report"),
        ]
        constraints = [
            # SPEC §8: each message once per card ("one more to go" at most once, ever).
            models.UniqueConstraint(
                fields=["card", "kind"],
                condition=Q(card__isnull=False),
                name="one_message_per_card",
            ),
            models.UniqueConstraint(
                fields=["visit", "kind"],
                condition=Q(visit__isnull=False),
                name="one_message_per_visit",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} to {self.owner_id} ({self.get_state_display()})"
