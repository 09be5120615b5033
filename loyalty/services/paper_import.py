"""Paper-card conversion: storing an uploaded file for its preview, and importing its good rows
in one transaction (seed 002, S43). Undo lives in paper_import_undo.py."""

import hashlib
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from loyalty.errors import DomainError
from loyalty.models import (
    AuditEvent,
    Card,
    PaperImport,
    PaperImportRow,
    PetOwner,
    Purchase,
    Retailer,
    User,
)
from loyalty.models.paper_import import PaperImportState
from loyalty.rules.paper_cards import MAX_BYTES, BadFile, card_note, decode, read_file
from loyalty.selectors.paper_import import NewOwner, Preview, RowPlan, batch_preview

from .audit import record_audit
from .punches import CardPunches

# Reading one byte more than allowed is enough to refuse a file that is too big.
UPLOAD_READ_LIMIT = MAX_BYTES + 1
# SPEC §3: converted punches carry the multi-purchase reason the seeds name for it.
PAPER_CARD_REASON = "paper_card"


class PreviewChanged(DomainError):
    """The store changed between the preview and Import: the admin must look again."""


@dataclass(frozen=True)
class ImportResult:
    batch: PaperImport
    already: bool = False


def upload_paper_file(
    *, retailer: Retailer, actor: User, filename: str, data: bytes, create_owners: bool
) -> PaperImport:
    """Keep the file for its preview; a file that cannot be read is refused whole."""
    try:
        text = decode(data)
        read_file(text, today=timezone.localdate())
    except BadFile as exc:
        raise DomainError(str(exc)) from exc
    return PaperImport.objects.create(
        retailer=retailer,
        uploaded_by=actor,
        filename=filename[:255],
        content=text,
        content_sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(),
        create_owners=create_owners,
    )


@transaction.atomic
def import_paper_batch(*, batch: PaperImport, actor: User, fingerprint: str) -> ImportResult:
    """Import every good row of the batch, or nothing: owners created, cards punched (dated
    today: never back-dated), original dates in the card notes, each row audited."""
    batch = PaperImport.objects.select_for_update().get(pk=batch.pk)
    if batch.state == PaperImportState.IMPORTED:
        return ImportResult(batch, already=True)  # a double click or a replayed POST
    if batch.state == PaperImportState.UNDONE:
        raise DomainError("This import was undone. Upload the file again to import it anew.")
    preview = batch_preview(batch=batch)
    if preview.fingerprint != fingerprint:
        raise PreviewChanged("Pet owners or cards changed since this preview: check it again.")
    if not preview.good:
        raise DomainError("No row of this file can be imported: fix the rows listed below.")
    _mark_imported(batch, preview, actor)
    owners = _owners(preview, batch, actor)
    pairs = {(owners[_who(p)].pk, p.program_card.pk) for p in preview.good}  # type: ignore[union-attr]
    before = card_states(pairs)
    rows = _save_rows(batch, preview, owners)
    punched = _punch(preview, rows, owners, actor)
    _write_notes(batch, preview, rows, punched)
    _audit_rows(batch, rows, punched, actor)
    batch.undo_snapshot = {
        "before": before,
        "after": card_states(pairs),
        "owners_created": sorted(o.pk for k, o in owners.items() if k.startswith("new:")),
    }
    batch.save(update_fields=["undo_snapshot"])
    record_audit(
        retailer=batch.retailer,
        actor=actor,
        action="paper_import.imported",
        target=batch,
        data={"rows": batch.imported_rows, "skipped": batch.skipped_rows},
    )
    return ImportResult(batch)


def _mark_imported(batch: PaperImport, preview: Preview, actor: User) -> None:
    batch.state, batch.imported_at, batch.imported_by = (
        PaperImportState.IMPORTED,
        timezone.now(),
        actor,
    )
    batch.imported_rows, batch.skipped_rows = len(preview.good), len(preview.bad)
    try:
        with transaction.atomic():
            batch.save()
    except IntegrityError as exc:
        raise DomainError(
            "This same file is already imported. Undo that import first to import it again."
        ) from exc


def _who(plan: RowPlan) -> str:
    if plan.owner:
        return f"owner:{plan.owner.pk}"
    assert plan.new_owner is not None
    return f"new:{plan.new_owner.key}"


def _owners(preview: Preview, batch: PaperImport, actor: User) -> dict[str, PetOwner]:
    """Every owner of a good row by its plan key, new ones created, all locked in id order."""
    found: dict[str, PetOwner] = {}
    new: dict[str, NewOwner] = {}
    for plan in preview.good:
        if plan.owner:
            found[_who(plan)] = plan.owner
        elif plan.new_owner:
            new[_who(plan)] = plan.new_owner
    for key, person in new.items():
        found[key] = PetOwner.objects.create(
            retailer=batch.retailer,
            first_name=person.first_name,
            last_name=person.last_name,
            email=person.email,
            phone=person.phone,
        )
        record_audit(
            retailer=batch.retailer,
            actor=actor,
            action="owner.created",
            target=found[key],
            data={"paper_import": batch.pk},
        )
    ids = sorted({owner.pk for owner in found.values()})
    locked = {
        o.pk: o for o in PetOwner.objects.select_for_update().filter(pk__in=ids).order_by("pk")
    }
    return {key: locked[owner.pk] for key, owner in found.items()}


def card_states(pairs: set[tuple[int, int]]) -> dict[str, dict[str, Any]]:
    """Every card of these (owner, program card) pairs as Undo compares and restores it."""
    owner_ids = {owner for owner, _card in pairs}
    cards = Card.objects.filter(owner_id__in=owner_ids).prefetch_related("purchases", "redemptions")
    states = {}
    for card in cards.order_by("pk"):
        if (card.owner_id, card.program_card_id) not in pairs:
            continue
        states[str(card.pk)] = {
            "owner": card.owner_id,
            "program_card": card.program_card_id,
            "status": card.status,
            "completed_at": card.completed_at.isoformat() if card.completed_at else None,
            "notes": card.notes,
            "purchases": sorted([p.pk, p.state] for p in card.purchases.all()),
            "redemptions": len(card.redemptions.all()),
        }
    return states


def _save_rows(
    batch: PaperImport, preview: Preview, owners: dict[str, PetOwner]
) -> dict[int, PaperImportRow]:
    rows = []
    for plan in preview.plans:
        owner = owners[_who(plan)] if plan.ok else None
        rows.append(
            PaperImportRow(
                batch=batch,
                row_number=plan.row.number,
                owner=owner,
                owner_name=(owner.full_name if owner else plan.owner_label)[:200],
                owner_created=bool(plan.ok and plan.new_owner),
                program_card=plan.program_card if plan.ok else None,
                punches=plan.row.punches,
                original_dates=[day.isoformat() for day in plan.row.dates],
                skipped_reason=plan.problem[:300],
            )
        )
    return {row.row_number: row for row in PaperImportRow.objects.bulk_create(rows)}


def _punch(
    preview: Preview, rows: dict[int, PaperImportRow], owners: dict[str, PetOwner], actor: User
) -> dict[int, list[Purchase]]:
    """Each owner's rows through CardPunches (SPEC §3: N completes a card, the rest spill)."""
    by_owner: dict[str, list[RowPlan]] = defaultdict(list)
    for plan in preview.good:
        by_owner[_who(plan)].append(plan)
    now, punched = timezone.now(), defaultdict(list)
    numbers = {row.pk: number for number, row in rows.items()}
    for key, plans in by_owner.items():
        cards = {plan.program_card.pk for plan in plans}  # type: ignore[union-attr]
        punches = CardPunches(owner=owners[key], program_card_ids=cards, locked=True)
        for plan in plans:
            assert plan.program_card is not None
            punches.punch(
                program_card=plan.program_card,
                quantity=plan.row.punches,
                purchase=_template(plan, rows[plan.row.number], actor, now),
            )
        for purchase in punches.save():
            punched[numbers[purchase.paper_import_row_id or 0]].append(purchase)
    return punched


def _template(plan: RowPlan, row: PaperImportRow, actor: User, now: datetime) -> Purchase:
    item = plan.item
    return Purchase(
        retailer_id=row.batch.retailer_id,
        item=item,
        # A paper card says no price; the item's list price stands in (Lesser or Equal Value).
        unit_price=item.list_price if item else None,
        cashier=actor,
        purchased_at=now,
        multi_purchase_reason=PAPER_CARD_REASON,
        paper_import_row=row,
    )


def _write_notes(
    batch: PaperImport,
    preview: Preview,
    rows: dict[int, PaperImportRow],
    punched: dict[int, list[Purchase]],
) -> None:
    """S43: the original dates go in each card's notes, after what the notes said already."""
    today = timezone.localdate()
    added: dict[int, list[str]] = defaultdict(list)
    for plan in preview.good:
        note = card_note(
            batch_id=batch.pk,
            row=plan.row.number,
            punches=plan.row.punches,
            dates=plan.row.dates,
            on=today,
        )
        for card_id in dict.fromkeys(p.card_id for p in punched[plan.row.number]):
            added[card_id].append(note)
    for card_id, notes in Card.objects.filter(pk__in=added).values_list("pk", "notes"):
        text = "\n".join([notes, *added[card_id]] if notes else added[card_id])
        Card.objects.filter(pk=card_id).update(notes=text)


def _audit_rows(
    batch: PaperImport,
    rows: dict[int, PaperImportRow],
    punched: dict[int, list[Purchase]],
    actor: User,
) -> None:
    """One audit entry per imported row, naming its purchases: their provenance."""
    AuditEvent.objects.bulk_create(
        AuditEvent(
            retailer=batch.retailer,
            actor=actor,
            action="paper_import.row",
            target_type="paperimportrow",
            target_id=str(row.pk),
            data={
                "batch": batch.pk,
                "row": number,
                "owner": row.owner_id,
                "card_ids": sorted({p.card_id for p in punched[number]}),
                "purchase_ids": [p.pk for p in punched[number]],
            },
        )
        for number, row in rows.items()
        if not row.skipped_reason
    )
