"""A paper-card file waiting on the demo store's Paper Cards screen, ready to preview and import."""

from loyalty.models import PaperImport, PetOwner, Retailer, User
from loyalty.rules.paper_cards import COLUMNS
from loyalty.services.paper_import import upload_paper_file

ACANA = "Acana Dry Dog Food — Buy 12 Get 1 Free"
WASH = "Buy 8 Washes Get 1 Free"
FILENAME = "paper-cards-sample.csv"


def sample_csv(retailer: Retailer) -> str:
    """Six of the store's owners (by email, phone or name), one new customer, two bad lines."""
    owners = list(
        PetOwner.objects.filter(retailer=retailer, is_test=False).order_by("last_name", "pk")[:6]
    )
    lines = [",".join(COLUMNS)]
    for n, owner in enumerate(owners):
        if n < 3:
            who = f"{owner.email},,{owner.first_name},{owner.last_name}"
        elif n < 5 and owner.phone:
            who = f",{owner.phone},,"
        elif n < 5:
            who = f"{owner.email},,,"
        else:
            who = f",,{owner.first_name},{owner.last_name}"
        card = ACANA if n % 2 == 0 else WASH
        lines.append(f"{who},{card},{2 + n % 3},2024-0{1 + n}-15;2024-0{2 + n}-03")
    lines.append(f"robin.hart@example.com,(555) 010-7788,Robin,Hart,{ACANA},4,2024-05-20")
    lines.append("pat@example.com,,Pat,Quinn,Blue Buffalo Puppy,3,")  # not a card of this store
    lines.append(f",,Alex,Nobody,{WASH},12,")  # more punches than the card holds
    return "\n".join(lines) + "\n"


def load_paper_sample(retailer: Retailer, admin: User) -> None:
    """Once per store: the sample file, uploaded and previewed but not imported."""
    if PaperImport.objects.filter(retailer=retailer, filename=FILENAME).exists():
        return
    upload_paper_file(
        retailer=retailer,
        actor=admin,
        filename=FILENAME,
        data=sample_csv(retailer).encode("utf-8"),
        create_owners=True,
    )
