"""Paper-card conversion: reading the file, matching owners and cards, importing good rows in one
transaction with the dates in the card notes, and undoing the batch as a whole."""

from datetime import date

import pytest

from loyalty.errors import DomainError
from loyalty.models import AuditEvent, Card, PaperImport, PetOwner, Purchase
from loyalty.models.paper_import import PaperImportState
from loyalty.rules.paper_cards import BadFile, decode, read_file
from loyalty.selectors.owners import owner_cards
from loyalty.selectors.paper_import import batch_preview
from loyalty.selectors.reconcile import reconcile
from loyalty.services.card_notes import edit_card_notes
from loyalty.services.cards import add_purchases
from loyalty.services.paper_import import import_paper_batch, upload_paper_file
from loyalty.services.paper_import_undo import undo_paper_batch
from loyalty.services.redemptions import redeem_card
from loyalty.tests import factories

HEADER = "email,phone,first_name,last_name,program_card,punches,original_dates\n"
TODAY = date(2025, 6, 1)


def test_a_file_that_is_not_utf8_text_is_refused_with_what_to_do():
    with pytest.raises(BadFile, match="CSV UTF-8"):
        decode("email,name\nzoë\n".encode("utf-16"))
    with pytest.raises(BadFile, match="empty"):
        decode(b"  \n")
    assert decode(b"\xef\xbb\xbfemail") == "email"  # Excel's byte-order mark is fine


def test_a_wrong_header_names_what_is_missing_and_unknown():
    with pytest.raises(BadFile, match="missing punches; unknown points"):
        read_file(
            "email,phone,first_name,last_name,program_card,points,original_dates\n", today=TODAY
        )
    with pytest.raises(BadFile, match="no cards"):
        read_file(HEADER + "\n,,,\n", today=TODAY)


def test_each_row_says_what_is_wrong_with_it():
    rows = read_file(
        HEADER
        + "a@x.com,,A,B,Card,five,\n"
        + "a@x.com,,A,B,Card,2,2024-13-01\n"
        + "a@x.com,,A,B,Card,2,2030-01-01\n"
        + "a@x.com,,A,B,Card,1,2024-01-01;2024-02-01\n"
        + ",,,,Card,1,\n"
        + "a@x.com,,A,B,Card,3,03/02/2024; 2024-04-11\n",
        today=TODAY,
    ).rows
    assert [r.number for r in rows] == [2, 3, 4, 5, 6, 7]
    assert "whole number" in rows[0].problem
    assert "Bad date “2024-13-01”" in rows[1].problem
    assert "in the future" in rows[2].problem
    assert "2 dates for 1 punches" in rows[3].problem
    assert "email, phone or name" in rows[4].problem
    assert rows[5].problem == "" and rows[5].dates == (date(2024, 3, 2), date(2024, 4, 11))


@pytest.fixture
def card(retailer):
    program_card = factories.enrolled_card(retailer, required=10)
    program_card.program.name = "Acana Dog"
    program_card.program.save()
    program_card.name = "Large bags"
    program_card.save()
    return program_card


def owner(retailer, first, last, email, phone):
    return factories.PetOwnerFactory(
        retailer=retailer, first_name=first, last_name=last, email=email, phone=phone
    )


def upload(retailer, admin_user, body, create_owners=False):
    return upload_paper_file(
        retailer=retailer,
        actor=admin_user,
        filename="cards.csv",
        data=(HEADER + body).encode(),
        create_owners=create_owners,
    )


def test_owners_match_by_email_then_phone_digits_then_exact_name(retailer, admin_user, card):
    jane = owner(retailer, "Jane", "Doe", "jane@example.com", "(555) 010-0001")
    sam = owner(retailer, "Sam", "Lee", "", "555.010.0002")
    kim = owner(retailer, "Kim", "Park", "", "")
    owner(factories.RetailerFactory(), "Bo", "Ray", "bo@example.com", "5550100009")
    batch = upload(
        retailer,
        admin_user,
        "JANE@example.com,,,,Acana Dog — Large bags,3,\n"
        ",5550100002,,,large bags,2,\n"
        ",,kim,PARK,acana dog large bags,1,\n"
        "bo@example.com,,Bo,Ray,Large bags,1,\n"
        "jane@example.com,,,,No Such Card,1,\n"
        "jane@example.com,,,,Large bags,11,\n",
    )
    plans = batch_preview(batch=batch).plans
    assert [p.owner for p in plans[:3]] == [jane, sam, kim]
    assert "Owner not found" in plans[3].problem  # another store's owner is nobody here
    assert "Unknown program card “No Such Card”" in plans[4].problem
    assert plans[5].problem == "11 punches are more than the card holds (10)."


def test_a_upc_of_a_qualifying_item_names_the_card_and_the_item(retailer, admin_user, card):
    item = card.qualifying_items.get()
    jane = owner(retailer, "Jane", "Doe", "jane@example.com", "5550100001")
    batch = upload(retailer, admin_user, f"jane@example.com,,,,{item.gtin[-12:]},4,\n")
    plan = batch_preview(batch=batch).plans[0]
    assert (plan.owner, plan.program_card, plan.item) == (jane, card, item)


def test_two_owners_with_the_same_email_are_named_not_guessed(retailer, admin_user, card):
    owner(retailer, "Jane", "Doe", "jane@example.com", "5550100001")
    owner(retailer, "Janet", "Doe", "jane@example.com", "5550100002")
    batch = upload(retailer, admin_user, "jane@example.com,,,,Large bags,1,\n")
    assert "2 pet owners have the email" in batch_preview(batch=batch).plans[0].problem


def run(batch, admin_user):
    return import_paper_batch(
        batch=batch, actor=admin_user, fingerprint=batch_preview(batch=batch).fingerprint
    )


def test_import_punches_today_keeps_dates_in_notes_and_audits_each_row(retailer, admin_user, card):
    jane = owner(retailer, "Jane", "Doe", "jane@example.com", "5550100001")
    add_purchases(owner=jane, program_card=card, quantity=7)
    batch = upload(
        retailer,
        admin_user,
        "jane@example.com,,,,Large bags,5,2024-03-02;2024-04-11\n"
        ",,Sam,Lee,Large bags,2,\n"
        "new@example.com,,New,Person,Large bags,2,\n",
        create_owners=True,
    )
    preview = batch_preview(batch=batch)
    assert [p.after for p in preview.good] == ["1 complete card, 2/10", "2/10"]
    run(batch, admin_user)
    batch.refresh_from_db()
    assert (batch.state, batch.imported_rows, batch.skipped_rows) == ("imported", 2, 1)
    cards = Card.objects.filter(owner=jane).order_by("pk")
    assert [c.status for c in cards] == ["complete", "open"]
    assert "originally dated 2024-03-02, 2024-04-11" in cards[0].notes
    assert cards[1].notes == cards[0].notes
    imported = Purchase.objects.filter(paper_import_row__batch=batch)
    assert imported.count() == 7
    assert {p.multi_purchase_reason for p in imported} == {"paper_card"}
    assert all(p.purchased_at.date() != date(2024, 3, 2) for p in imported)  # never back-dated
    new = PetOwner.objects.get(email="new@example.com")
    assert new.cards.get().notes.endswith("2 punches, no dates given.")
    rows = AuditEvent.objects.filter(action="paper_import.row")
    assert sorted(len(e.data["purchase_ids"]) for e in rows) == [2, 5]
    assert AuditEvent.objects.filter(action="paper_import.imported", target_id=batch.pk).exists()


def test_import_twice_adds_nothing_and_a_changed_preview_is_refused(retailer, admin_user, card):
    jane = owner(retailer, "Jane", "Doe", "jane@example.com", "5550100001")
    batch = upload(retailer, admin_user, "jane@example.com,,,,Large bags,3,\n")
    stale = batch_preview(batch=batch).fingerprint
    add_purchases(owner=jane, program_card=card, quantity=1)  # the card changed since
    with pytest.raises(DomainError, match="changed since this preview"):
        import_paper_batch(batch=batch, actor=admin_user, fingerprint=stale)
    assert not Purchase.objects.filter(paper_import_row__isnull=False).exists()
    run(batch, admin_user)
    assert run(batch, admin_user).already
    assert Purchase.objects.filter(paper_import_row__isnull=False).count() == 3
    again = upload(retailer, admin_user, "jane@example.com,,,,Large bags,3,\n")
    with pytest.raises(DomainError, match="already imported"):
        run(again, admin_user)


def test_a_failure_half_way_leaves_nothing_behind(retailer, admin_user, card, monkeypatch):
    owner(retailer, "Jane", "Doe", "jane@example.com", "5550100001")
    batch = upload(
        retailer,
        admin_user,
        "jane@example.com,,,,Large bags,3,\nx@y.com,,X,Y,Large bags,1,\n",
        create_owners=True,
    )
    from loyalty.services import paper_import

    def boom(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(paper_import, "_write_notes", boom)
    with pytest.raises(RuntimeError):
        run(batch, admin_user)
    batch.refresh_from_db()
    assert batch.state == "previewed"
    assert not Purchase.objects.exists() and not PetOwner.objects.filter(email="x@y.com").exists()


def page(owner_obj):
    return [
        (v.card.pk, v.card.status, v.progress, v.card.notes) for v in owner_cards(owner=owner_obj)
    ]


def test_undo_restores_the_cards_exactly_and_is_idempotent(retailer, admin_user, card):
    jane = owner(retailer, "Jane", "Doe", "jane@example.com", "5550100001")
    add_purchases(owner=jane, program_card=card, quantity=7)
    edit_card_notes(card=jane.cards.get(), notes="Gold customer", actor=admin_user)
    before = page(jane)
    batch = upload(
        retailer,
        admin_user,
        "jane@example.com,,,,Large bags,5,\nnew@example.com,,New,Person,Large bags,2,\n",
        create_owners=True,
    )
    run(batch, admin_user)
    assert page(jane) != before
    result = undo_paper_batch(batch=batch, actor=admin_user)
    assert result.owners_removed == 1
    assert page(jane) == before
    assert not PetOwner.objects.filter(email="new@example.com").exists()
    assert not Purchase.objects.filter(paper_import_row__isnull=False).exists()
    assert undo_paper_batch(batch=batch, actor=admin_user).already
    assert PaperImport.objects.get(pk=batch.pk).state == PaperImportState.UNDONE
    assert AuditEvent.objects.filter(action="paper_import.undone").count() == 1


def test_undo_is_refused_once_a_card_of_the_batch_was_redeemed(retailer, admin_user, card):
    jane = owner(retailer, "Jane", "Doe", "jane@example.com", "5550100001")
    batch = upload(retailer, admin_user, "jane@example.com,,,,Large bags,10,\n")
    run(batch, admin_user)
    complete = jane.cards.get()
    redeem_card(card=complete, item_id=card.redeemable_items.get().pk, cashier=admin_user)
    with pytest.raises(DomainError, match=f"card {complete.card_number} of Jane Doe was redeemed"):
        undo_paper_batch(batch=batch, actor=admin_user)
    assert Purchase.objects.filter(paper_import_row__batch=batch).count() == 10


def test_an_owner_created_by_the_import_with_other_history_is_kept(retailer, admin_user, card):
    other = factories.enrolled_card(retailer, required=5)
    batch = upload(retailer, admin_user, "new@example.com,,New,Person,Large bags,2,\n", True)
    run(batch, admin_user)
    new = PetOwner.objects.get(email="new@example.com")
    add_purchases(owner=new, program_card=other, quantity=1)
    result = undo_paper_batch(batch=batch, actor=admin_user)
    assert (result.owners_removed, result.owners_kept) == (0, 1)
    assert [c.program_card for c in new.cards.all()] == [other]


def test_a_later_import_on_the_same_card_must_be_undone_first(retailer, admin_user, card):
    owner(retailer, "Jane", "Doe", "jane@example.com", "5550100001")
    first = upload(retailer, admin_user, "jane@example.com,,,,Large bags,2,\n")
    run(first, admin_user)
    second = upload(retailer, admin_user, "jane@example.com,,,,Large bags,3,\n")
    run(second, admin_user)
    with pytest.raises(DomainError, match=f"Undo import {second.pk} first"):
        undo_paper_batch(batch=first, actor=admin_user)
    undo_paper_batch(batch=second, actor=admin_user)
    undo_paper_batch(batch=first, actor=admin_user)
    assert not Card.objects.exists()


def test_an_undone_batch_is_not_imported_again_and_a_preview_has_nothing_to_undo(
    retailer, admin_user, card
):
    owner(retailer, "Jane", "Doe", "jane@example.com", "5550100001")
    batch = upload(retailer, admin_user, "jane@example.com,,,,Large bags,2,\n")
    with pytest.raises(DomainError, match="nothing to undo"):
        undo_paper_batch(batch=batch, actor=admin_user)
    fingerprint = batch_preview(batch=batch).fingerprint
    import_paper_batch(batch=batch, actor=admin_user, fingerprint=fingerprint)
    undo_paper_batch(batch=batch, actor=admin_user)
    with pytest.raises(DomainError, match="was undone"):
        import_paper_batch(batch=batch, actor=admin_user, fingerprint=fingerprint)
    assert not Purchase.objects.exists()


def test_undo_is_refused_after_a_sale_punched_a_card_of_the_batch(retailer, admin_user, card):
    jane = owner(retailer, "Jane", "Doe", "jane@example.com", "5550100001")
    batch = upload(retailer, admin_user, "jane@example.com,,,,Large bags,4,\n")
    run(batch, admin_user)
    add_purchases(owner=jane, program_card=card, quantity=1)
    with pytest.raises(DomainError, match="Correct those cards by hand"):
        undo_paper_batch(batch=batch, actor=admin_user)
    assert jane.cards.get().purchases.count() == 5
    assert PaperImport.objects.get(pk=batch.pk).state == PaperImportState.IMPORTED


def test_imported_punches_reconcile_and_one_of_an_undone_batch_is_named(retailer, admin_user, card):
    """reconcile accepts a punch of a standing, audited import; an undone batch explains none."""
    jane = owner(retailer, "Jane", "Doe", "jane@example.com", "5550100001")
    batch = upload(retailer, admin_user, "jane@example.com,,,,Large bags,4,2024-03-02\n")
    run(batch, admin_user)
    assert reconcile(retailer=retailer) == []
    undo_paper_batch(batch=batch, actor=admin_user)
    assert reconcile(retailer=retailer) == []
    stray = factories.PurchaseFactory(
        card=factories.CardFactory(owner=jane, program_card=card),
        paper_import_row=batch.rows.get(),
    )
    [found] = reconcile(retailer=retailer)
    assert (found.check, found.rows["purchase"]) == ("purchase_provenance", [stray.pk])
