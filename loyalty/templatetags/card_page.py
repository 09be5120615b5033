"""{% card_page_link owner as link %}: the owner's card page address, "" when it is off."""

from django import template

from loyalty.services.card_page import card_page_url

register = template.Library()


@register.simple_tag
def card_page_link(owner) -> str:
    return card_page_url(owner)
