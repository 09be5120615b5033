"""Views hold no ORM (DESIGN.md, Where things live 3): reads are selectors, writes services.

A source scan over every view module of the project: a queryset method or a model manager in a
view fails here with the file and line, so the rule does not depend on review to hold. The scan
reads names, not types, so a dict's update() counts too: views merge contexts with `|=`.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
VIEW_GLOBS = (
    "loyalty/views/**/*.py",
    "integrations/*/views.py",
    "integrations/*/views/*.py",
    "integrations/*/*_views.py",
    "integrations/lightspeed/connect.py",
)
# The managers a model reaches the database through, and the calls that read or write rows.
MANAGERS = {"objects", "_default_manager", "_base_manager"}
QUERY_CALLS = {"save", "delete", "update", "bulk_create", "filter", "exclude"}


def orm_uses(source: str) -> list[tuple[int, str]]:
    """Each line of `source` that names a model manager or calls a queryset/model method."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Attribute) and node.attr in MANAGERS:
            found.append((node.end_lineno or node.lineno, f".{node.attr}"))
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in QUERY_CALLS
        ):
            found.append((node.func.end_lineno or node.lineno, f".{node.func.attr}("))
    return sorted(set(found))


def view_modules() -> list[Path]:
    paths = {path for pattern in VIEW_GLOBS for path in ROOT.glob(pattern) if path.is_file()}
    return sorted(paths)


def test_the_scan_finds_the_view_modules() -> None:
    names = {path.relative_to(ROOT).as_posix() for path in view_modules()}
    assert {"loyalty/views/owner_admin.py", "loyalty/views/settings.py"} <= names
    assert "integrations/lightspeed/connect.py" in names


@pytest.mark.parametrize("path", view_modules(), ids=lambda path: path.relative_to(ROOT).as_posix())
def test_a_view_module_uses_no_orm(path: Path) -> None:
    uses = orm_uses(path.read_text(encoding="utf-8"))
    where = path.relative_to(ROOT).as_posix()
    assert not uses, "ORM in a view; move it into a selector or a service:\n" + "\n".join(
        f"{where}:{line}: {what}" for line, what in uses
    )


PLANTED = """\
def history(request, owner):
    cards = Card.objects.all()
    open_cards = cards.filter(status="open")
    form.save()
    Purchase.objects.bulk_create(rows)
    cards.exclude(pk=1).update(
        status="redeemed"
    )
    owner.delete()
    return render(request, "page.html", {"cards": selectors.owner_cards(owner=owner)})
"""


def test_the_scan_catches_every_kind_of_orm_use_with_its_line() -> None:
    assert orm_uses(PLANTED) == [
        (2, ".objects"),
        (3, ".filter("),
        (4, ".save("),
        (5, ".bulk_create("),
        (5, ".objects"),
        (6, ".exclude("),
        (6, ".update("),
        (9, ".delete("),
    ]


def test_the_scan_lets_selectors_services_and_forms_through() -> None:
    clean = """\
def owner_page(request, owner_id):
    owner = get_owner_for(request.user, owner_id)
    form = PetOwnerForm(request.POST or None, instance=owner)
    if form.is_valid():
        edit_owner(owner=owner, changes=form.cleaned_data, actor=request.user)
    context = {"owner": owner} | selectors.owner_page(owner=owner)
    return render(request, "page.html", context)
"""
    assert orm_uses(clean) == []
