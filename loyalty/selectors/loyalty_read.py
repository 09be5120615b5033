"""The POS's loyalty read (SPEC §5, §9) as plain rows: the link, the owner and their balance,
cards, point rewards, coupons and offers in one query, however many of each.

The same reads as `loyalty_state` (whose dataclasses the sale's answer and the card page still
use), written as SQL: profiled, Django spent about half of this request compiling the ORM's
six queries anew each time and building model instances, where the POS needs a handful of
columns (issue 12, third pass). Each statement is standard SQL that PostgreSQL and SQLite both
run; every read is scoped by the caller's retailer, as `loyalty_state`'s are."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from django.db import connection
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from loyalty.models.cards import COUNTED_STATES, CardStatus

from .prepared_cursor import preparing_cursor

# The owner the POS customer is linked to in the store: a subselect the parts that read the
# owner's rows share (no link, no rows; PostgreSQL reads it once per part, by its unique index).
LINKED = """(SELECT l.owner_id FROM loyalty_poslink l
   WHERE l.retailer_id = %s AND l.pos_system = %s AND l.pos_customer_id = %s)"""

# The store's active point rewards, by points and name: part 2 here and in the sale's answer
# (sale_read.py); two parameters, the retailer's id and True.
REWARDS_PART = """
  SELECT 2, r.id, r.name, r.description, r.points_required, NULL, NULL, NULL, NULL,
         r.points_required, r.name, NULL, NULL
  FROM loyalty_pointreward r
  WHERE r.retailer_id = %s AND r.is_active = %s"""

# Each part's rows in one statement, told apart by its first column and each in its own order
# (`loyalty_state`'s): part 0 the linked owner (id, first name, last name, owner's retailer id,
# points balance); then cards by program, card, age; rewards by points, name; coupons by
# issue; offers by name. s1 to s4 are only sort keys; `loyalty_read` names the other columns.
# Part 1's NULLs are typed: PostgreSQL takes an untyped NULL column of two parts for text.
LOYALTY_SQL = """
SELECT part, id, a, b, n, m, t, amount, at FROM (
  SELECT 0 AS part, o.id, o.first_name AS a, o.last_name AS b, o.retailer_id AS n,
         COALESCE((SELECT SUM(e.points) FROM loyalty_pointsentry e WHERE e.owner_id = o.id), 0)
           AS m,
         NULL AS t, NULL AS amount, NULL AS at, NULL AS s1, NULL AS s2, NULL AS s3, NULL AS s4
  FROM loyalty_petowner o
  WHERE o.id = {linked}
  UNION ALL
  SELECT 1, c.id, pr.name, pc.name, pc.purchases_required,
         (SELECT COUNT(*) FROM loyalty_purchase p
          WHERE p.card_id = c.id AND p.state IN (%s, %s)),
         c.status, CAST(NULL AS NUMERIC), CAST(NULL AS TIMESTAMP WITH TIME ZONE),
         CAST(NULL AS INTEGER), pr.name, pc.name, c.created_at
  FROM loyalty_card c
  JOIN loyalty_programcard pc ON pc.id = c.program_card_id
  JOIN loyalty_program pr ON pr.id = pc.program_id
  WHERE c.owner_id = {linked} AND c.retailer_id = %s AND c.status NOT IN (%s, %s)
  UNION ALL
{rewards}
  UNION ALL
  SELECT 3, k.id, k.name, k.description, NULL, NULL, k.reward_id, k.amount_off, k.expires_at,
         NULL, NULL, NULL, k.issued_at
  FROM loyalty_coupon k JOIN loyalty_petowner ko ON ko.id = k.owner_id
  WHERE k.owner_id = {linked} AND k.retailer_id = ko.retailer_id AND k.retailer_id = %s
    AND k.redeemed_at IS NULL AND (k.expires_at IS NULL OR k.expires_at > %s)
  UNION ALL
  SELECT 4, f.id, f.name, f.terms, NULL, NULL, f.kind, NULL, f.ends_at,
         NULL, f.name, NULL, NULL
  FROM loyalty_offer f JOIN loyalty_offer_retailers fr ON fr.offer_id = f.id
  WHERE fr.retailer_id = %s AND f.is_active = %s AND f.starts_at <= %s
    AND (f.ends_at IS NULL OR f.ends_at > %s)
) parts
ORDER BY part, s1, s2, s3, s4, id
""".replace("{linked}", LINKED).replace("{rewards}", REWARDS_PART)


@dataclass(frozen=True)
class LinkedOwner:
    owner_id: int
    first_name: str
    last_name: str
    retailer_id: int
    points_balance: int


@dataclass(frozen=True)
class LoyaltyRows:
    """The owner's open and complete cards, the store's active point rewards, the owner's
    available coupons and the offers the store runs now, as tuples of plain values."""

    cards: list[tuple]  # (card id, program, card, purchases required, punches, status)
    rewards: list[tuple]  # (id, name, description, points required)
    coupons: list[tuple]  # (id, name, description, reward id, amount off, expires at)
    offers: list[tuple]  # (id, name, terms, kind, ends at)


def loyalty_read(
    *, retailer_id: int, pos_system: str, pos_customer_id: str, at: datetime | None = None
) -> tuple[LinkedOwner, LoyaltyRows] | None:
    """The owner the POS customer is linked to in this store, with their balance, and
    everything else the loyalty read shows as of `at` (now); None if not linked. One query."""
    now = connection.ops.adapt_datetimefield_value(at or timezone.now())
    link = (retailer_id, pos_system, pos_customer_id)
    params = [
        *link,
        *(str(state) for state in COUNTED_STATES),
        *link,
        retailer_id,
        str(CardStatus.REDEEMED),
        str(CardStatus.EXPIRED),
        *(retailer_id, True),
        *(*link, retailer_id, now),
        *(retailer_id, True, now, now),
    ]
    parts: dict[int, list[tuple]] = {0: [], 1: [], 2: [], 3: [], 4: []}
    # Prepared on PostgreSQL: the statement never changes, and planning it was about half of
    # its database time (prepared_cursor.py).
    with preparing_cursor(connection) as cursor:
        cursor.execute(LOYALTY_SQL, params)
        for part, *row in cursor.fetchall():
            parts[part].append(row)
    if not parts[0]:
        return None
    owner_id, first_name, last_name, owner_retailer_id, balance, *_ = parts[0][0]
    owner = LinkedOwner(owner_id, first_name, last_name, owner_retailer_id, int(balance))
    return owner, LoyaltyRows(
        cards=[(pk, a, b, n, m, t) for pk, a, b, n, m, t, _, _ in parts[1]],
        rewards=[(pk, a, b, n) for pk, a, b, n, *_ in parts[2]],
        coupons=[(pk, a, b, t, amount, at_) for pk, a, b, _, _, t, amount, at_ in parts[3]],
        offers=[(pk, a, b, t, at_) for pk, a, b, _, _, t, _, at_ in parts[4]],
    )


def utc(value) -> datetime | None:
    """A datetime column as read through the cursor, aware in UTC (SQLite gives it naive, or
    as text when it comes through a UNION)."""
    if value is None:
        return None
    if isinstance(value, str):
        value = parse_datetime(value)
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)
