"""Random sequences of purchases, returns and redemptions keep the card invariants (SPEC §3)."""

from django.db.models import Count
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from loyalty.errors import DomainError
from loyalty.models import Card, Purchase, Redemption
from loyalty.models.cards import COUNTED_STATES
from loyalty.services.cards import add_purchases, return_purchase
from loyalty.services.redemptions import redeem_card
from loyalty.tests import factories

REQUIRED = 4

operations = st.lists(
    st.one_of(
        st.tuples(st.just("buy"), st.integers(0, 2), st.integers(0, 9)),
        st.tuples(st.just("return"), st.integers(0, 2), st.just(0)),
        st.tuples(st.just("redeem"), st.integers(0, 2), st.just(0)),
    ),
    max_size=25,
)


class CardInvariants(TestCase):
    @settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(ops=operations)
    def test_invariants_hold_after_any_sequence(self, ops):
        retailer = factories.RetailerFactory()
        owner = factories.PetOwnerFactory(retailer=retailer)
        items = [factories.ItemFactory() for _ in range(3)]
        program_card = factories.enrolled_card(retailer, required=REQUIRED, items=items)
        bought = returned = redeemed = 0
        for op, which, qty in ops:
            item = items[which]
            if op == "buy":
                made = add_purchases(
                    owner=owner, program_card=program_card, quantity=qty, item=item
                )
                bought += len(made)
            elif op == "return":
                result = return_purchase(owner=owner, item=item)
                returned += result.outcome == "returned"
            else:
                complete = Card.objects.filter(owner=owner, status="complete").first()
                if complete is None:
                    continue
                try:
                    redeem_card(card=complete, item_id=item.pk)
                    redeemed += 1
                except DomainError:
                    pass
            self.check_invariants(owner, bought, returned, redeemed)

    def check_invariants(self, owner, bought, returned, redeemed):
        cards = list(Card.objects.filter(owner=owner))
        for card in cards:
            punches = card.purchases.filter(state__in=COUNTED_STATES).count()
            if card.status == "open":
                assert punches < REQUIRED, "an open card never reaches N"
            else:
                assert punches == REQUIRED, "a complete or redeemed card holds exactly N"
        assert sum(card.status == "open" for card in cards) <= 1
        purchases = Purchase.objects.filter(card__owner=owner)
        # No purchase lost or counted twice: every unit bought is one row, returned or not.
        assert purchases.count() == bought
        assert purchases.filter(state="returned").count() == returned
        # Every redemption closed exactly one complete card.
        assert Redemption.objects.filter(card__owner=owner).count() == redeemed
        assert sum(card.status == "redeemed" for card in cards) == redeemed
        per_card = Redemption.objects.values("card").annotate(n=Count("id"))
        assert not per_card.filter(n__gt=1).exists()
