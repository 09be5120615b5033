"""What one outbox message says: its wording filled in, its links, the email or the text."""

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.db.models import Sum
from django.urls import reverse
from django.utils.html import escape, linebreaks, urlize

from loyalty.models import MessageSettings, OwnerMessage, PointsEntry, Purchase
from loyalty.models.cards import PurchaseState
from loyalty.models.messages import MessageKind
from loyalty.rules.message_text import render_text
from loyalty.services.card_page import card_page_url

UNSUBSCRIBE_SALT = "astro.messages.unsubscribe"
OPEN_SALT = "astro.messages.open"
SUBJECTS = {
    MessageKind.ONE_MORE: "One more to go at {store}",
    MessageKind.REWARD_READY: "Your reward is ready at {store}",
    MessageKind.VISIT_SUMMARY: "Your visit to {store}",
}
SMS_STOP_LINE = "Reply STOP to opt out."


def absolute(path: str) -> str:
    return f"{settings.SITE_URL.rstrip('/')}{path}"


def unsubscribe_url(message: OwnerMessage) -> str:
    token = signing.dumps(message.pk, salt=UNSUBSCRIBE_SALT)
    return absolute(reverse("message_unsubscribe", args=[token]))


def open_pixel_url(message: OwnerMessage) -> str:
    token = signing.dumps(message.pk, salt=OPEN_SALT)
    return absolute(reverse("message_opened", args=[token]))


def placeholder_values(message: OwnerMessage) -> dict[str, str]:
    owner, values = message.owner, {}
    values["first_name"] = owner.first_name
    values["store"] = message.retailer.name
    values["link"] = card_page_url(owner, base_url=settings.SITE_URL)
    if message.card is not None:
        program_card = message.card.program_card
        required = program_card.purchases_required
        done = required - 1 if message.kind == MessageKind.ONE_MORE else required
        values["card"], values["progress"] = program_card.name, f"{done}/{required}"
    if message.visit_id is not None:
        values["summary"] = visit_summary(message.visit_id)
    return values


def visit_summary(visit_id: int) -> str:
    """A receipt in a sentence: the punches of the visit and the points it earned."""
    punches = Purchase.objects.filter(
        visit_line__visit_id=visit_id, state=PurchaseState.ACTIVE
    ).count()
    points = (
        PointsEntry.objects.filter(visit_id=visit_id).aggregate(total=Sum("points"))["total"] or 0
    )
    parts = [f"{punches} punch{'es' if punches != 1 else ''} on your cards"]
    if points:
        parts.append(f"{points} points")
    return "Today: " + " and ".join(parts) + "."


def message_text(message: OwnerMessage, store: MessageSettings) -> str:
    return render_text(store.text_for(message.kind), placeholder_values(message))


def email_for(message: OwnerMessage, text: str) -> EmailMultiAlternatives:
    """The email, with RFC 8058 one-click unsubscribe and an open-tracking pixel."""
    store_name = message.retailer.name
    unsubscribe = unsubscribe_url(message)
    subject = SUBJECTS[MessageKind(message.kind)].format(store=store_name)
    body = f"{text}\n\nNo more emails from {store_name}: {unsubscribe}\n"
    email = EmailMultiAlternatives(
        subject=subject,
        body=body,
        to=[message.recipient],
        headers={
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
    html = (
        f"{linebreaks(urlize(text, autoescape=True))}"
        f'<p><a href="{escape(unsubscribe)}">No more emails from {escape(store_name)}</a></p>'
        f'<img src="{escape(open_pixel_url(message))}" width="1" height="1" alt="">'
    )
    email.attach_alternative(html, "text/html")
    return email


def sms_text(text: str) -> str:
    return f"{text} {SMS_STOP_LINE}"
