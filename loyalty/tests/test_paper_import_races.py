"""Double clicks at the same moment on PostgreSQL: Import adds the punches once, Undo takes
them back once, and an import and a sale on the same owner never interleave."""

from loyalty.models import Card, Purchase
from loyalty.selectors.paper_import import batch_preview
from loyalty.services.paper_import import import_paper_batch, upload_paper_file
from loyalty.services.paper_import_undo import undo_paper_batch
from loyalty.tests import factories
from loyalty.tests.races import POSTGRES_ONLY, race
from loyalty.tests.test_paper_import import HEADER

pytestmark = POSTGRES_ONLY


def test_four_imports_and_four_undos_at_once_act_once(retailer, admin_user):
    card = factories.enrolled_card(retailer, required=10)
    for n in range(3):
        factories.PetOwnerFactory(retailer=retailer, email=f"o{n}@example.com", phone=f"55501{n}")
    body = "".join(f"o{n}@example.com,,,,{card.name},4,\n" for n in range(3))
    batch = upload_paper_file(
        retailer=retailer,
        actor=admin_user,
        filename="cards.csv",
        data=(HEADER + body + f"new@example.com,,New,One,{card.name},2,\n").encode(),
        create_owners=True,
    )
    fingerprint = batch_preview(batch=batch).fingerprint
    results = race(
        lambda _i: import_paper_batch(batch=batch, actor=admin_user, fingerprint=fingerprint)
    )
    assert sorted(r.already for r in results) == [False, True, True, True], results
    assert Purchase.objects.filter(paper_import_row__batch=batch).count() == 14
    results = race(lambda _i: undo_paper_batch(batch=batch, actor=admin_user))
    assert sorted(r.already for r in results) == [False, True, True, True], results
    assert not Purchase.objects.exists() and not Card.objects.exists()
