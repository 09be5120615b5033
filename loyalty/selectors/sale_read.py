"""What a POS is told right after a sale (SPEC §5): the cards the sale punched with their
punches, the owner's balance, the point rewards and the coupons, in one query.

Written as SQL, in the parts of `loyalty_read.LOYALTY_SQL` (its columns and sort keys; the
point rewards' part is the same text), for the same reason: the ORM's four reads of the same
rows spent their time compiling (issue 12, third pass). The cards are the sale's own (by id);
the rest is read as the sale left it, in the sale's transaction."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime

from django.db import connection
from django.utils import timezone

from loyalty.models.cards import COUNTED_STATES

from .loyalty_read import REWARDS_PART
from .prepared_cursor import preparing_cursor
from .sql_rows import any_of

CARDS_HEAD = """
SELECT part, id, a, b, n, m, t, amount, at FROM (
  SELECT 1 AS part, c.id, pr.name AS a, pc.name AS b, pc.purchases_required AS n,
         (SELECT COUNT(*) FROM loyalty_purchase p
          WHERE p.card_id = c.id AND p.state IN (%s, %s)) AS m,
         c.status AS t, CAST(NULL AS NUMERIC) AS amount,
         CAST(NULL AS TIMESTAMP WITH TIME ZONE) AS at,
         CAST(NULL AS BIGINT) AS s1, pr.name AS s2, pc.name AS s3, c.created_at AS s4
  FROM loyalty_card c
  JOIN loyalty_programcard pc ON pc.id = c.program_card_id
  JOIN loyalty_program pr ON pr.id = pc.program_id
  WHERE c.owner_id = %s AND c.retailer_id = %s AND c.id
"""
# The card ids (sql_rows.any_of) go between the two.
CARDS_TAIL = """
  UNION ALL
{rewards}
  UNION ALL
  SELECT 3, k.id, k.name, k.description, NULL, NULL, k.reward_id, k.amount_off, k.expires_at,
         NULL, NULL, NULL, k.issued_at
  FROM loyalty_coupon k
  WHERE k.owner_id = %s AND k.retailer_id = %s AND k.retailer_id = %s
    AND k.redeemed_at IS NULL AND (k.expires_at IS NULL OR k.expires_at > %s)
  UNION ALL
  SELECT 4, NULL, NULL, NULL, COALESCE(SUM(e.points), 0), NULL, NULL, NULL, NULL,
         NULL, NULL, NULL, NULL
  FROM loyalty_pointsentry e WHERE e.owner_id = %s
) parts
ORDER BY part, s1, s2, s3, s4, id
""".replace("{rewards}", REWARDS_PART)


@dataclass(frozen=True)
class SaleRows:
    cards: list[tuple]  # (card id, program, card, purchases required, punches, status)
    rewards: list[tuple]  # (id, name, description, points required)
    coupons: list[tuple]  # (id, name, description, reward id, amount off, expires at)
    points_balance: int


def sale_rows(
    *,
    retailer_id: int,
    owner_id: int,
    owner_retailer_id: int,
    card_ids: Collection[int],
    at: datetime | None = None,
) -> SaleRows:
    """The sale's cards (in `loyalty_state`'s card order), the store's active point rewards,
    the owner's available coupons and balance. One query."""
    now = connection.ops.adapt_datetimefield_value(at or timezone.now())
    by_card, ids = any_of([int(pk) for pk in card_ids])
    sql = " ".join((CARDS_HEAD, by_card, CARDS_TAIL))
    params = [
        *(str(state) for state in COUNTED_STATES),
        *(owner_id, retailer_id, *ids),
        *(retailer_id, True),
        *(owner_id, owner_retailer_id, retailer_id, now),
        owner_id,
    ]
    parts: dict[int, list[tuple]] = {1: [], 2: [], 3: [], 4: []}
    with preparing_cursor(connection) as cursor:  # prepared on PostgreSQL: planned once
        cursor.execute(sql, params)
        for part, *row in cursor.fetchall():
            parts[part].append(row)
    return SaleRows(
        cards=[(pk, a, b, n, m, t) for pk, a, b, n, m, t, _, _ in parts[1]],
        rewards=[(pk, a, b, n) for pk, a, b, n, *_ in parts[2]],
        coupons=[(pk, a, b, t, amount, at_) for pk, a, b, _, _, t, amount, at_ in parts[3]],
        points_balance=int(parts[4][0][3]),
    )
