"""The card page's signed token (SPEC §8): the owner's id and key, signed with SECRET_KEY, so a
tampered link is refused before any query reads the database."""

from django.core import signing

# A salt of its own: no other signed value of the site can be replayed as a card link.
_SIGNER = signing.Signer(salt="loyalty.card_page", sep=".")


def card_token(*, owner_id: int, key: str) -> str:
    """`<owner id>.<key>.<signature>`: what the card page's URL carries."""
    return _SIGNER.sign(f"{owner_id}.{key}")


def read_card_token(token: str) -> tuple[int, str] | None:
    """(owner id, key) of a token signed here; None for a tampered or malformed one."""
    try:
        value = _SIGNER.unsign(token)
    except signing.BadSignature:
        return None
    owner_id, _, key = value.partition(".")
    if not (owner_id.isascii() and owner_id.isdigit()) or not key:
        return None
    return int(owner_id), key
