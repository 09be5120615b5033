"""One tenancy gate (DESIGN.md §2): every object a request names by id is looked up in
loyalty/access.py, web and API alike. This test reads the source, so a new view, form or
service that looks an object up by itself fails here before it can leak another store's row."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# Where request data turns into objects: views, forms, services and selectors of the product.
CHECKED = ["loyalty", "integrations"]
GATE = ROOT / "loyalty" / "access.py"


def _sources() -> list[Path]:
    files = []
    for top in CHECKED:
        for path in (ROOT / top).rglob("*.py"):
            parts = set(path.relative_to(ROOT).parts)
            if parts & {"tests", "migrations", "management"} or path == GATE:
                continue
            files.append(path)
    return files


def _lookups_by_raw_id(tree: ast.AST) -> list[int]:
    """Lines that call get_object_or_404, or `<Model>.objects....get(pk=<not an attribute>)`.

    `X.objects.select_for_update().get(pk=owner.pk)` re-reads (and locks) an object that already
    passed the gate, so a keyword given as `something.attribute` is allowed; a bare name or a
    subscript is an id straight from the request."""
    lines = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        if isinstance(func, ast.Name) and func.id == "get_object_or_404":
            lines.append(node.lineno)
        elif (
            isinstance(func, ast.Attribute)
            and func.attr == "get"
            and "objects" in ast.unparse(func.value)
        ):
            for keyword in node.keywords:
                if keyword.arg in ("pk", "id") and not isinstance(keyword.value, ast.Attribute):
                    lines.append(node.lineno)
    return lines


def test_the_checked_tree_is_the_real_one():
    """Guard against the scan silently checking nothing."""
    names = {path.name for path in _sources()}
    assert {"checkout.py", "views.py", "redemptions.py"} <= names


@pytest.mark.parametrize("path", _sources(), ids=lambda p: str(p.relative_to(ROOT)))
def test_no_lookup_by_id_outside_the_gate(path: Path):
    tree = ast.parse(path.read_text(), filename=str(path))
    found = _lookups_by_raw_id(tree)
    assert not found, (
        f"{path.relative_to(ROOT)} looks objects up by id on lines {found}: add a "
        "get_<thing>_for(user, id) to loyalty/access.py and call that instead."
    )


def test_the_scan_finds_a_lookup_that_bypasses_the_gate():
    """The detector itself: both ways of reading a raw id are caught, a locked re-read is not."""
    bad = ast.parse(
        "get_object_or_404(Card, pk=card_id)\n"
        "Card.objects.select_related('owner').get(pk=request.POST['card'])\n"
    )
    fine = ast.parse("Card.objects.select_for_update().get(pk=card.pk)\n")
    assert _lookups_by_raw_id(bad) == [1, 2]
    assert _lookups_by_raw_id(fine) == []
