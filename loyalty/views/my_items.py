"""My Items/Services (SPEC §2): list, search and edit the codes of the store's custom programs."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from loyalty import access
from loyalty.access import admin_required
from loyalty.errors import DomainError
from loyalty.forms.catalog import ItemForm
from loyalty.models import Item
from loyalty.selectors import catalog as selectors
from loyalty.services.items import delete_item, update_item

PAGE = "loyalty/my_items/items.html"
EDIT_PAGE = "loyalty/my_items/edit.html"


@admin_required
def my_items(request: HttpRequest) -> HttpResponse:
    text = request.GET.get("q", "").strip()
    items = selectors.my_items(retailer=request.user.retailer, text=text)
    page = Paginator(items, 50).get_page(request.GET.get("page"))
    context = {"page": page, "items": selectors.with_programs(page.object_list), "q": text}
    template = f"{PAGE}#item-list" if request.htmx else PAGE
    return render(request, template, context)


def _listed(request: HttpRequest, item: Item) -> Item:
    """The item as the list shows it, with the programs it belongs to."""
    items = selectors.my_items(retailer=request.user.retailer, item_id=item.pk)
    return selectors.with_programs(items)[0]


@admin_required
def my_item_row(request: HttpRequest, item_id: int) -> HttpResponse:
    """Cancel of the inline edit: the row as it was."""
    item = access.get_item_for(request.user, item_id)
    if not request.htmx:
        return redirect("my_items")
    return render(request, f"{PAGE}#item-row", {"item": _listed(request, item)})


@admin_required
@require_http_methods(["GET", "POST"])
def my_item_edit(request: HttpRequest, item_id: int) -> HttpResponse:
    """Edit inline with htmx (the row becomes a form); a plain page without JavaScript."""
    item = access.get_item_for(request.user, item_id)
    if request.method == "GET":
        return _edit_form(request, item, ItemForm.initial_for(item))
    form = ItemForm(request.POST)
    if form.is_valid():
        try:
            update_item(item=item, codes=form.codes(), actor=request.user)
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            return _saved(request, item)
    return _edit_form(request, item, form, status=422)


def _edit_form(request: HttpRequest, item, form: ItemForm, status: int = 200) -> HttpResponse:
    template = f"{PAGE}#item-edit-row" if request.htmx else EDIT_PAGE
    return render(request, template, {"item": item, "form": form}, status=status)


def _saved(request: HttpRequest, item) -> HttpResponse:
    note = f"Saved “{item}”. The next sale matches the new codes."
    if request.htmx:
        context = {"item": _listed(request, item), "saved": note}
        return render(request, f"{PAGE}#item-row", context)
    messages.success(request, note)
    return redirect("my_items")


@admin_required
@require_POST
def my_item_delete(request: HttpRequest, item_id: int) -> HttpResponse:
    """Delete an item no program uses (SPEC §2 My Items/Services); the row goes, or says why not."""
    item = access.get_item_for(request.user, item_id)
    try:
        name = delete_item(item=item, actor=request.user)
    except DomainError as exc:
        if request.htmx:
            context = {"item": _listed(request, item), "row_error": exc.message}
            return render(request, f"{PAGE}#item-row", context, status=422)
        messages.error(request, exc.message)
        return redirect("my_items")
    note = f"Deleted “{name}”."
    if request.htmx:
        return render(request, f"{PAGE}#item-deleted", {"item_id": item_id, "note": note})
    messages.success(request, note)
    return redirect("my_items")
