"""Pet owner administration: edit an owner, merge two duplicates, the card history (admins)."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from loyalty.access import admin_required, get_owner_for, get_owner_redemption_for
from loyalty.errors import DomainError
from loyalty.forms.messages import ConsentForm
from loyalty.forms.owners import PetOwnerForm
from loyalty.forms.staff import MergeForm, PetFormSet
from loyalty.models import PetOwner
from loyalty.selectors import owners as selectors
from loyalty.selectors.messages import owner_consents
from loyalty.services.merge import check_mergeable, merge_owners, what_moves
from loyalty.services.owners import OWNER_FIELDS, PetChange, edit_owner
from loyalty.services.undo import reselect_redemption, undo_redemption


class _Merged(Exception):
    def __init__(self, owner: PetOwner) -> None:
        self.owner = owner


def _live_owner(request: HttpRequest, owner_id: int) -> PetOwner:
    """The user's owner by id (404 for another store's); a merged one names the owner kept."""
    owner = get_owner_for(request.user, owner_id)
    if owner.merged_into_id:
        raise _Merged(owner)
    return owner


def _to_kept(request: HttpRequest, merged: PetOwner, url_name: str) -> HttpResponse:
    kept = merged.merged_into
    messages.info(request, f"{merged.full_name} was merged into {kept.full_name}.")
    return redirect(url_name, owner_id=kept.pk)


@admin_required
@require_http_methods(["GET", "POST"])
def owner_edit(request: HttpRequest, owner_id: int) -> HttpResponse:
    try:
        owner = _live_owner(request, owner_id)
    except _Merged as merged:
        return _to_kept(request, merged.owner, "owner_edit")
    data = request.POST if request.method == "POST" else None
    form = PetOwnerForm(data, instance=owner, prefix="owner")
    form.fields["marketing_consent"].label = "The owner agreed to receive marketing"
    pets = PetFormSet(data, instance=owner, prefix="pets")
    initial = {"email_consent": owner.email_consent, "sms_consent": owner.sms_consent}
    consents = ConsentForm(data, initial=initial, prefix="consent")
    if data is not None and form.is_valid() and pets.is_valid() and consents.is_valid():
        owner = edit_owner(
            owner=owner,
            changes={name: form.cleaned_data[name] for name in OWNER_FIELDS},
            pets=_pet_changes(pets),
            actor=request.user,
            consents=consents.cleaned_data,
        )
        messages.success(request, f"Saved {owner.full_name}.")
        return redirect(owner.get_absolute_url())
    saved = get_owner_for(request.user, owner_id)
    context = {"owner": saved, "form": form, "pets": pets, "consents": consents}
    context["consent_rows"] = owner_consents(owner=saved)
    status = 422 if data is not None else 200
    return render(request, "loyalty/owner_admin/edit.html", context, status=status)


def _pet_changes(formset) -> list[PetChange]:
    changes = []
    for pet_form in formset.forms:
        if not pet_form.has_changed():
            continue
        data = pet_form.cleaned_data
        pet = data.get("id")
        changes.append(
            PetChange(
                pk=pet.pk if pet else None,
                name=data.get("name", "").strip(),
                species=data.get("species", "").strip(),
                delete=bool(data.get("DELETE")),
            )
        )
    return changes


@admin_required
@require_http_methods(["GET", "POST"])
def owner_merge(request: HttpRequest, owner_id: int) -> HttpResponse:
    """Pick the duplicate, choose who is kept, see what moves, confirm (POST)."""
    try:
        owner = _live_owner(request, owner_id)
    except _Merged as merged:
        return _to_kept(request, merged.owner, "owner_merge")
    if request.method == "POST":
        return _merge(request, owner)
    if "other" not in request.GET:
        return _pick_duplicate(request, owner)
    form = MergeForm(
        {"other": request.GET["other"], "keep": request.GET.get("keep", "this")}, owner=owner
    )
    return _confirm_page(request, owner, form)


def _pick_duplicate(request: HttpRequest, owner: PetOwner) -> HttpResponse:
    text = request.GET.get("q", owner.last_name)
    candidates = [
        candidate
        for candidate in selectors.search_owners(retailer=request.user.retailer, text=text)
        if candidate.pk != owner.pk and not candidate.is_test
    ]
    context = {"owner": owner, "q": text, "candidates": candidates}
    template = "loyalty/owner_admin/merge.html"
    return render(request, f"{template}#candidates" if request.htmx else template, context)


def _confirm_page(
    request: HttpRequest, owner: PetOwner, form: MergeForm, error: str = ""
) -> HttpResponse:
    context = {"owner": owner, "form": form, "error": error}
    if form.is_valid() and not error:
        duplicate, keep = form.pair()
        try:
            check_mergeable(duplicate=duplicate, keep=keep)
        except DomainError as exc:
            context["error"] = exc.message
        else:
            swap = "other" if form.cleaned_data["keep"] == "this" else "this"
            context |= {
                "duplicate": duplicate,
                "keep": keep,
                "moves": what_moves(duplicate),
                "swap_url": f"{reverse('owner_merge', args=[owner.pk])}"
                f"?other={form.cleaned_data['other']}&keep={swap}",
            }
    status = 422 if context["error"] or form.errors else 200
    return render(request, "loyalty/owner_admin/merge_confirm.html", context, status=status)


def _merge(request: HttpRequest, owner: PetOwner) -> HttpResponse:
    form = MergeForm(request.POST, owner=owner)
    if not form.is_valid():
        return _confirm_page(request, owner, form)
    duplicate, keep = form.pair()
    try:
        moved = merge_owners(duplicate=duplicate, keep=keep, actor=request.user)
    except DomainError as exc:
        return _confirm_page(request, owner, form, error=exc.message)
    messages.success(
        request,
        f"Merged {duplicate.full_name} into {keep.full_name}: {moved.cards} card(s), "
        f"{moved.purchases} purchase(s), {moved.points} point(s) and {moved.visits} visit(s) "
        "moved.",
    )
    return redirect(keep.get_absolute_url())


@admin_required
def owner_history(request: HttpRequest, owner_id: int) -> HttpResponse:
    try:
        owner = _live_owner(request, owner_id)
    except _Merged as merged:
        return _to_kept(request, merged.owner, "owner_history")
    context = {"owner": owner, "history": selectors.card_history(owner=owner)}
    return render(request, "loyalty/owner_admin/history.html", context)


@admin_required
@require_POST
def history_correct(request: HttpRequest, owner_id: int, redemption_id: int, action: str):
    """SPEC §3 Undo after Finished: Remove Only reopens the card (punches kept); Remove and
    Reselect swaps the free item. Audited; the distributor gets a correction if it was told."""
    owner = get_owner_for(request.user, owner_id)
    redemption = get_owner_redemption_for(owner, redemption_id)
    anchor = f"{reverse('owner_history', args=[owner.pk])}#history-{redemption.card_id}"
    try:
        if action == "remove":
            result = undo_redemption(redemption=redemption, actor=request.user)
            text = f"Reward {result.redemption.reward_id} removed: the card is complete again."
        elif action == "reselect":
            item = request.POST.get("item", "")
            if not item.isdigit():
                raise DomainError("Choose the item the customer takes instead.")
            result = reselect_redemption(
                redemption=redemption, item_id=int(item), actor=request.user
            )
            text = (
                f"Reward {result.redemption.reward_id} replaced by "
                f"{result.replacement.reward_id}: {result.replacement.item}."
            )
        else:
            raise DomainError("Unknown correction.")
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect(anchor)
    if result.corrections:
        text += " A correction goes to the distributor."
    elif result.withdrawn:
        text += " Its distributor report was not sent yet and never will be."
    messages.success(request, text)
    return redirect(anchor)
