"""Reads of the paper-card import screens: the upload page, a batch's page, the template."""

from loyalty.models import PaperImport, Retailer
from loyalty.models.paper_import import PaperImportState
from loyalty.presentation.text import card_title
from loyalty.rules import paper_cards

from .paper_import import batch_preview, importable_cards


def import_page(*, retailer: Retailer) -> dict:
    cards = [
        (card_title(card.program.name, card.name), card.purchases_required)
        for card in importable_cards(retailer=retailer)
    ]
    batches = PaperImport.objects.filter(retailer=retailer).select_related("uploaded_by")[:20]
    return {"cards": cards, "batches": list(batches), "columns": paper_cards.COLUMNS}


def template_rows(*, retailer: Retailer) -> list[list[str]]:
    card = importable_cards(retailer=retailer).first()
    name = card_title(card.program.name, card.name) if card else "Program card name"
    return paper_cards.template_rows(name)


def batch_page(*, batch: PaperImport) -> dict:
    context: dict = {"batch": batch}
    if batch.state == PaperImportState.PREVIEWED:
        context["preview"] = batch_preview(batch=batch)
    else:
        rows = batch.rows.select_related("owner", "program_card__program")
        context["rows"] = list(rows)
        context["skipped"] = [row for row in context["rows"] if row.skipped_reason]
    return context
