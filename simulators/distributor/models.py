"""What the receiver sandbox has received, and how it is set to answer."""

from django.db import models
from django.utils import timezone


class Mode(models.TextChoices):
    UP = "up", "Up: accept reports"
    DOWN = "down", "Down: 503, nothing stored"
    SLOW = "slow", "Slow: wait, then accept"
    ERROR500 = "error500", "Error 500: nothing stored"
    ERROR400 = "error400", "Error 400: refuse the account"


class ReceiverState(models.Model):
    """One row: the mode, and the counts a test reads from another process."""

    mode = models.CharField(max_length=10, choices=Mode.choices, default=Mode.UP)
    delay_seconds = models.FloatField(default=5.0)
    duplicates_refused = models.PositiveIntegerField(default=0)
    # Where the sandbox sends its credit-status answers; empty: this site's own callback.
    callback_url = models.URLField(blank=True)

    def __str__(self) -> str:
        return f"Receiver {self.mode}"

    @classmethod
    def current(cls) -> "ReceiverState":
        state, _ = cls.objects.get_or_create(pk=1)
        return state


class Delivery(models.Model):
    """One report received; `posts` counts every signed POST of its key (repeats included)."""

    idempotency_key = models.CharField(max_length=100, unique=True)
    report_id = models.CharField(max_length=100, blank=True)
    kind = models.CharField(max_length=30, blank=True)
    body = models.JSONField()
    posts = models.PositiveIntegerField(default=1)
    received_at = models.DateTimeField(default=timezone.now)
    # Each credit-status answer the sandbox sent about this claim, and Astro's reply.
    answers = models.JSONField(default=list)

    class Meta:
        ordering = ["-received_at", "-id"]

    def __str__(self) -> str:
        return self.idempotency_key
