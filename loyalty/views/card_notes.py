"""Edit Card Notes on a card: admins and cashiers alike, since converting a paper card at the
counter is a cashier's job (S43); every change is audited."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from loyalty.access import get_card_for, retailer_required
from loyalty.forms.paper_import import CardNotesForm
from loyalty.services.card_notes import edit_card_notes

PAGE = "loyalty/card_notes/card_notes.html"


@retailer_required
@require_http_methods(["GET", "POST"])
def card_notes(request: HttpRequest, card_id: int) -> HttpResponse:
    card = get_card_for(request.user, card_id)
    if request.method == "GET" and request.htmx and request.GET.get("view"):
        return render(request, f"{PAGE}#notes-view", {"card": card, "notes_editable": True})
    form = CardNotesForm(request.POST or None, initial={"notes": card.notes})
    if request.method == "POST" and form.is_valid():
        card = edit_card_notes(card=card, notes=form.cleaned_data["notes"], actor=request.user)
        if request.htmx:
            context = {"card": card, "notes_editable": True, "saved": "Card notes saved."}
            return render(request, f"{PAGE}#notes-view", context)
        messages.success(request, f"Card notes of card {card.card_number} saved.")
        return redirect("owner_detail", owner_id=card.owner_id)
    status = 422 if request.method == "POST" else 200
    template = f"{PAGE}#notes-form" if request.htmx else PAGE
    return render(request, template, {"card": card, "form": form}, status=status)
