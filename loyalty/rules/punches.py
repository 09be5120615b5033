"""Punch-card arithmetic: how a purchase's punches fill the open card and spill onto new ones."""


def split_punches(*, current: int, required: int, quantity: int) -> list[int]:
    """Punches to put on each card, in order: first the open card, then one entry per new card.

    `current` is the punch count of the owner's open card (0 when there is none).
    """
    if required < 1:
        raise ValueError(f"A card needs at least 1 punch to complete, not {required}.")
    if not 0 <= current < required:
        raise ValueError(
            f"An open card holds 0 to {required - 1} punches, not {current}; "
            "a card with all its punches is complete and no longer open."
        )
    if quantity < 0:
        # Returns take punches back through a different rule; they never split across cards.
        raise ValueError(f"A purchase adds a quantity of 0 or more, not {quantity}.")
    # SPEC §3: each qualifying unit is one punch; punches beyond N start the next card.
    chunks: list[int] = []
    room = required - current
    remaining = quantity
    while remaining > 0:
        chunk = min(room, remaining)
        chunks.append(chunk)
        remaining -= chunk
        room = required
    return chunks
