"""Reads shaped for screens: always scoped by retailer, a fixed number of queries per screen."""

from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet, Sum, prefetch_related_objects

from .models import (
    Card,
    Distributor,
    Item,
    PetOwner,
    ProgramCard,
    Purchase,
    Redemption,
    Retailer,
    Visit,
)
from .models.cards import COUNTED_STATES, CardStatus, LineOutcome, PurchaseState, VisitLine
from .models.owners import phone_digits
from .services.enrollment import distributors_for
from .services.matching import enrolled_program_ids
from .services.points import points_balance
from .services.redemptions import allowed_redeemable, missing_contact_data
from .services.sales import RETURN_STATES


def search_owners(*, retailer: Retailer, text: str, limit: int = 50) -> QuerySet[PetOwner]:
    """SPEC §3: a text in first name, last name or email; a phone by its digits."""
    text = text.strip()
    owners = PetOwner.objects.filter(retailer=retailer, merged_into__isnull=True)
    if not text:
        return owners.order_by("-is_test", "last_name", "first_name")[:limit]
    query = (
        Q(first_name__icontains=text)
        | Q(last_name__icontains=text)
        | Q(email_normalized__icontains=text.lower())
    )
    digits = phone_digits(text)
    if len(digits) >= 3:
        query |= Q(phone_digits__contains=digits)
    return owners.filter(query).order_by("last_name", "first_name")[:limit]


@dataclass(frozen=True)
class CardView:
    card: Card
    punches: int
    required: int

    @property
    def progress(self) -> str:
        return f"{self.punches}/{self.required}"

    @property
    def percent(self) -> int:
        return min(100, round(100 * self.punches / self.required))


def owner_cards(*, owner: PetOwner) -> list[CardView]:
    """The owner's cards, open and complete first, in program order; punches counted in SQL."""
    cards = (
        Card.objects.filter(owner=owner)
        .select_related("program_card__program")
        .annotate(punches=Count("purchases", filter=Q(purchases__state__in=COUNTED_STATES)))
        .order_by("program_card__program__name", "program_card__name", "created_at")
    )
    order = {CardStatus.COMPLETE: 0, CardStatus.OPEN: 1, CardStatus.REDEEMED: 2}
    views = [CardView(c, c.punches, c.program_card.purchases_required) for c in cards]
    return sorted(views, key=lambda v: order[v.card.status])


def card_purchases(*, card: Card) -> QuerySet[Purchase]:
    """Expand Details: every purchase with date, item, quantity, location and sale."""
    return card.purchases.select_related("item", "location", "visit_line", "cashier").order_by(
        "-purchased_at", "-id"
    )


def owner_page(*, owner: PetOwner) -> dict:
    return {
        "owner": owner,
        "cards": owner_cards(owner=owner),
        "points": points_balance(owner),
        "pets": list(owner.pets.all()),
        "recent_points": list(owner.points_entries.order_by("-created_at", "-id")[:10]),
    }


# --- The cashier's checkout and finish screens (SPEC §4) ------------------------------------
# Each screen runs a fixed number of queries whatever the number of lines or cards (pinned by
# tests with 1 and 50 of each).


def _visit_lines(visit: Visit) -> list[VisitLine]:
    return list(
        visit.lines.select_related("item", "program_card__program")
        .prefetch_related(
            Prefetch("purchases", queryset=Purchase.objects.order_by("id"), to_attr="punches")
        )
        .order_by("id")
    )


def _points(owner: PetOwner, visit: Visit) -> dict[str, int]:
    totals = owner.points_entries.aggregate(
        balance=Sum("points"), visit=Sum("points", filter=Q(visit=visit))
    )
    return {"balance": totals["balance"] or 0, "visit": totals["visit"] or 0}


def checkout_summary(*, visit: Visit) -> dict:
    """Today's Purchases, Today's Returns, enroll prompts, cards and points for one visit."""
    lines = _visit_lines(visit)
    purchases = [line for line in lines if line.outcome not in RETURN_STATES]
    unknown = [line for line in purchases if line.outcome == LineOutcome.UNKNOWN]
    enroll = {line.program_card.program for line in unknown if line.program_card_id is not None}
    holding = Distributor.objects.filter(is_temporary_holding=True).first() if enroll else None
    prefetch_related_objects(list(enroll), "distributors")  # one query for every prompt
    return {
        "visit": visit,
        "owner": visit.owner,
        "purchases": purchases,
        "returns": [line for line in lines if line.outcome in RETURN_STATES],
        "enroll_prompts": [
            (program, distributors_for(program, holding=holding))
            for program in sorted(enroll, key=lambda program: program.name)
        ],
        "exception_cards": _exception_cards(visit) if unknown else [],
        "cards": owner_cards(owner=visit.owner),
        "points": _points(visit.owner, visit),
    }


def _exception_cards(visit: Visit) -> list[ProgramCard]:
    """The cards an Unknown Item may be added to by exception: enrolled and own programs."""
    enrolled = enrolled_program_ids(retailer=visit.retailer, location=visit.location)
    return list(
        ProgramCard.objects.filter(program__is_active=True)
        .filter(Q(program_id__in=enrolled) | Q(program__retailer_id=visit.retailer_id))
        .select_related("program")
        .order_by("program__name", "name")
    )


@dataclass(frozen=True)
class RedeemableCard:
    card: Card
    items: list[Item]
    missing: list[str]


def finish_summary(*, visit: Visit) -> dict:
    """The Finish screen: complete cards with what they may redeem, and this visit's rewards."""
    complete = (
        Card.objects.filter(owner=visit.owner, status=CardStatus.COMPLETE)
        .select_related("program_card__program", "owner")
        .prefetch_related(
            "program_card__redeemable_items",
            Prefetch(
                "purchases",
                queryset=Purchase.objects.filter(state=PurchaseState.ACTIVE).select_related("item"),
                to_attr="active_purchases",
            ),
        )
        .order_by("completed_at", "id")
    )
    redeemable = [
        RedeemableCard(
            card,
            allowed_redeemable(
                card=card,
                items=list(card.program_card.redeemable_items.all()),
                purchases=card.active_purchases,
            ),
            missing_contact_data(card),
        )
        for card in complete
    ]
    rewards = (
        Redemption.objects.filter(visit=visit, undone_at__isnull=True)
        .select_related("item", "card__program_card__program")
        .order_by("redeemed_at", "id")
    )
    return {
        "visit": visit,
        "owner": visit.owner,
        "redeemable": redeemable,
        "rewards": list(rewards),
        "cards": owner_cards(owner=visit.owner),
        "points": _points(visit.owner, visit),
    }
