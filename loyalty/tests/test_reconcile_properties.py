"""Random counter days through the real services keep the books reconciled (issue 15): sales,
returns, Add Anyway, exceptions, redemptions, undos, reselects, merges, months passing (card
windows), report deliveries, paper-card imports and their undos, then `reconcile` finds
nothing."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from integrations import memory
from loyalty.errors import DomainError
from loyalty.models import (
    Card,
    DistributorReport,
    PaperImport,
    PetOwner,
    Purchase,
    Redemption,
)
from loyalty.selectors.reconcile import reconcile
from loyalty.tests.books import make_store

which = st.integers(0, 1)
operations = st.lists(
    st.one_of(
        st.tuples(st.just("sale"), which, st.integers(1, 4)),
        st.tuples(st.just("return_item"), which),
        st.tuples(st.just("add_anyway")),
        st.tuples(st.just("exception")),
        st.tuples(st.just("redeem"), which),
        st.tuples(st.just("undo")),
        st.tuples(st.just("reselect")),
        st.tuples(st.just("merge"), which, st.integers(0, 3)),
        st.tuples(st.just("months_pass"), st.integers(1, 19)),
        st.tuples(st.just("deliver")),
        st.tuples(st.just("paper_import"), which, st.integers(1, 3)),
        st.tuples(st.just("undo_import")),
    ),
    max_size=18,
)


class BooksReconcile(TestCase):
    def setUp(self):
        memory.reset()

    @settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(ops=operations)
    def test_any_counter_day_reconciles(self, ops):
        with self.settings(DISTRIBUTOR_DELIVERY="integrations.memory.deliver"):
            store = make_store()
            for name, *args in ops:
                try:
                    getattr(store, name)(*args)
                except DomainError:
                    pass  # a refusal the cashier would see; it changed nothing
            found = reconcile(retailer=store.retailer)
            assert found == [], "\n".join(f"{d.check}: {d.message} {d.rows}" for d in found)

    def test_a_day_with_every_operation_does_what_it_says_and_reconciles(self):
        """The operations the random days draw from really happen (none is silently refused)."""
        with self.settings(DISTRIBUTOR_DELIVERY="integrations.memory.deliver"):
            store = make_store()
            store.sale(0, 3)  # completes a card
            store.add_anyway()  # the same sale again: three more punches
            store.exception()
            store.redeem(0)
            store.deliver()
            store.reselect()  # a cancel-and-replace correction of the sent report
            store.deliver()
            store.undo()  # a cancel of it
            store.return_item(1)  # nothing of item 1 to return
            store.return_item(0)
            store.merge(1, 2)
            store.months_pass(19)
            store.sale(1, 1)
            store.paper_import(0, 1)
            store.undo_import()
            store.paper_import(1, 1)
            store.deliver()
            owner = store.owner
            kinds = set(DistributorReport.objects.values_list("kind", "state"))
            assert {("redemption", "sent"), ("cancel_replace", "sent"), ("cancel", "sent")} <= kinds
            assert (
                Redemption.objects.filter(card__owner=owner, undone_at__isnull=False).count() == 2
            )
            assert Card.objects.filter(owner=owner, status="expired").exists()
            assert Purchase.objects.filter(card__owner=owner, state="returned").count() == 1
            assert Purchase.objects.exclude(exception_reason="").count() == 1
            assert PetOwner.objects.filter(merged_into=owner).count() == 1
            states = list(PaperImport.objects.order_by("pk").values_list("state", flat=True))
            assert states == ["undone", "imported"]
            assert reconcile(retailer=store.retailer) == []
