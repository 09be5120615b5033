"""The one-INSERT write (loyalty/selectors/sql_rows.py) stores what the ORM's own save stores,
and takes the id of a row saved after it was assigned, as bulk_create does."""

import datetime
from decimal import Decimal

import pytest
from django.db.models import signals

from loyalty.models import Card, PetOwner, Purchase, Retailer, Visit, VisitLine
from loyalty.models.cards import LineOutcome, VisitState
from loyalty.selectors.sql_rows import insert, loaded, new
from loyalty.tests import factories

pytestmark = pytest.mark.django_db


def stored(visit: Visit) -> dict:
    row = Visit.objects.filter(pk=visit.pk).values().get()
    del row["id"]
    return row


def test_a_row_written_in_one_insert_reads_back_as_the_orms_own_save():
    owner = factories.PetOwnerFactory()
    location = factories.LocationFactory(retailer=owner.retailer)
    fields = {
        "retailer": owner.retailer,
        "owner": owner,
        "location": location,
        "cashier": None,
        "pos_system": "pinogy",
        "pos_sale_id": "S-1 'quoted' é",
        "state": VisitState.FINISHED,  # an enum member, not a plain str
        "subtotal": Decimal("10.5"),
        "total": 12,  # an int for a decimal column
        "pos_customer_id": "",
    }
    ours, django_s = Visit(**fields), Visit.objects.create(**fields)
    insert([ours])
    assert ours.pk is not None and ours.pk != django_s.pk
    assert ours._state.adding is False
    mine, theirs = stored(ours), stored(django_s)
    assert abs(mine.pop("created_at") - theirs.pop("created_at")).total_seconds() < 60
    assert mine == theirs
    assert mine["total"] == Decimal("12.00") and mine["state"] == "finished"


def test_a_punch_takes_the_id_of_a_card_saved_after_it_was_given():
    owner = factories.PetOwnerFactory()
    program_card = factories.enrolled_card(owner.retailer)
    card = Card(retailer=owner.retailer, owner=owner, program_card=program_card)
    punches = [Purchase(retailer=owner.retailer, card=card) for _ in range(2)]
    Card.objects.bulk_create([card])  # the card gets its id only now
    insert(punches)
    assert list(card.purchases.values_list("pk", flat=True).order_by("pk")) == [
        punch.pk for punch in punches
    ]


def test_a_punch_on_a_card_never_saved_is_refused_and_nothing_is_written():
    owner = factories.PetOwnerFactory()
    card = Card(
        retailer=owner.retailer, owner=owner, program_card=factories.enrolled_card(owner.retailer)
    )
    with pytest.raises(ValueError, match="card of a Purchase is not saved"):
        insert([Purchase(retailer=owner.retailer, card=card)])
    assert not Purchase.objects.exists()


def test_a_row_read_by_hand_is_the_instance_the_orm_would_load():
    card = factories.CardFactory()
    names = [field.attname for field in Card._meta.concrete_fields]
    row = Card.objects.filter(pk=card.pk).values_list(*names).get()
    ours, orms = loaded(Card, names, row, "default"), Card.objects.get(pk=card.pk)
    assert type(ours) is Card and ours._state.adding is False and ours._state.db == "default"
    assert {n: getattr(ours, n) for n in names} == {n: getattr(orms, n) for n in names}
    assert ours.owner == card.owner and ours.get_deferred_fields() == set()
    ours.notes = "saved as an update"
    ours.save()
    assert Card.objects.count() == 1
    assert Card.objects.get(pk=card.pk).notes == "saved as an update"


def test_a_column_left_out_is_deferred_as_the_orm_defers_it():
    card = factories.CardFactory(notes="kept")
    ours = loaded(Card, ["id", "owner_id"], (card.pk, card.owner_id), "default")
    orms = Card.objects.only("id", "owner").get()
    assert ours.get_deferred_fields() == orms.get_deferred_fields()
    assert ours.notes == "kept"  # read when first asked for, as a deferred field is


def test_a_model_with_an_init_receiver_is_built_through_its_init():
    seen = []

    def receiver(sender, instance, **kwargs):
        seen.append(instance)

    card = factories.CardFactory()
    signals.post_init.connect(receiver, sender=Card)
    try:
        ours = loaded(Card, ["id", "owner_id"], (card.pk, card.owner_id), "default")
    finally:
        signals.post_init.disconnect(receiver, sender=Card)
    assert seen == [ours]


def test_rows_of_awkward_text_in_one_insert_read_back_as_written():
    owner = factories.PetOwnerFactory()
    texts = ['say "hi"', "back\\slash", "{braces, commas}", "NULL", "", "é ☃ \t", "'", 'a\\"b']
    visits = [
        Visit(retailer=owner.retailer, owner=owner, pos_system="pinogy", pos_sale_id=text)
        for text in texts
    ]
    visits[1].cashier_id = None  # a NULL id among the ids
    insert(visits)
    stored_ids = Visit.objects.filter(pk__in=[v.pk for v in visits]).order_by("pk")
    assert [v.pos_sale_id for v in stored_ids] == texts
    assert {v.owner_id for v in stored_ids} == {owner.pk}


def test_a_model_with_a_file_field_is_built_as_the_orm_builds_it():
    retailer = factories.RetailerFactory()
    Retailer.objects.filter(pk=retailer.pk).update(logo="logos/paws.png")
    names = [field.attname for field in Retailer._meta.concrete_fields]
    row = Retailer.objects.filter(pk=retailer.pk).values_list(*names).get()
    ours = loaded(Retailer, names, row, "default")
    assert ours.logo.name == "logos/paws.png" and ours.logo.instance is ours


def attributes(row) -> dict:
    values = {field.attname: getattr(row, field.attname) for field in type(row)._meta.fields}
    return {**values, "cached": dict(row._state.fields_cache), "adding": row._state.adding}


def test_a_new_row_is_the_instance_its_init_makes():
    owner = factories.PetOwnerFactory()
    fields = {"retailer": owner.retailer, "owner": owner, "pos_system": "pinogy", "cashier": None}
    ours, inits = new(Visit, **fields), Visit(**fields)
    mine, theirs = attributes(ours), attributes(inits)
    assert abs(mine.pop("created_at") - theirs.pop("created_at")).total_seconds() < 60
    assert mine == theirs and type(ours) is Visit
    assert mine["state"] == VisitState.OPEN and mine["cashier_id"] is None  # defaults
    assert ours.owner is owner  # cached, as the descriptor caches it
    by_id = new(Visit, retailer_id=owner.retailer_id, owner_id=owner.pk)
    assert by_id.owner == owner and by_id.retailer_id == owner.retailer_id


def test_a_new_row_saves_and_takes_a_card_saved_after_it_was_given():
    owner = factories.PetOwnerFactory()
    card = new(
        Card,
        retailer=owner.retailer,
        owner=owner,
        program_card=factories.enrolled_card(owner.retailer),
    )
    punch = new(Purchase, retailer=owner.retailer, card=card)
    assert punch.card_id is None and punch.card is card
    card.save()
    insert([punch])
    assert list(card.purchases.all()) == [punch] and Card.objects.get().owner == owner


def test_a_new_row_of_an_unknown_keyword_is_refused_as_its_init_refuses_it():
    with pytest.raises(TypeError, match="unexpected keyword"):
        new(Visit, colour="red")


def test_a_new_row_of_a_model_with_an_init_receiver_is_built_through_its_init():
    seen = []

    def receiver(sender, instance, **kwargs):
        seen.append(instance)

    signals.post_init.connect(receiver, sender=Visit)
    try:
        ours = new(Visit, pos_system="pinogy")
    finally:
        signals.post_init.disconnect(receiver, sender=Visit)
    assert seen == [ours]


def stored_rows(model, rows) -> list[dict]:
    stored_values = model.objects.filter(pk__in=[row.pk for row in rows]).order_by("pk").values()
    return [
        {k: v for k, v in row.items() if k not in ("id", "created_at")} for row in stored_values
    ]


def test_rows_of_every_kind_of_value_in_one_insert_read_back_as_bulk_create_stores_them():
    owner = factories.PetOwnerFactory()
    visit = factories.VisitFactory(owner=owner, retailer=owner.retailer)
    zone = datetime.timezone(datetime.timedelta(hours=-6))
    consented = datetime.datetime(2026, 3, 1, 9, 30, 0, 123456, tzinfo=zone)

    def lines(third_price):
        values = [
            (["080408700009"], Decimal("19.99"), LineOutcome.PUNCHED),
            (['say "hi"', "back\\slash", "{a,b}", "é ☃"], None, LineOutcome.UNKNOWN),
            ({"nested": [1, None, True]}, third_price, "returned"),  # a plain str
            ([], Decimal("-0.50"), LineOutcome.PUNCHED),
        ]
        return [
            VisitLine(retailer=owner.retailer, visit=visit, pos_line_id=f"{third_price}-{n}",
                      quantity=n, codes=codes, unit_price=price, outcome=outcome)
            for n, (codes, price, outcome) in enumerate(values)
        ]  # fmt: skip

    def owners(tag: str):
        return [
            PetOwner(retailer=owner.retailer, first_name=f"{tag}{n}", last_name="Row",
                     marketing_consent=bool(n % 2), email_consent_at=at, sms_consent=n == 2)
            for n, at in enumerate([consented, None, consented.astimezone(datetime.UTC)])
        ]  # fmt: skip

    for third_price in (Decimal("12.5"), 12):  # an int for a decimal: through the field
        ours, orms = lines(third_price), lines(third_price)
        for row in orms:
            row.pos_line_id += "-orm"
        insert(ours)
        VisitLine.objects.bulk_create(orms)
        theirs = stored_rows(VisitLine, orms)
        for row in theirs:
            row["pos_line_id"] = row["pos_line_id"].removesuffix("-orm")
        assert stored_rows(VisitLine, ours) == theirs
        assert theirs[2]["unit_price"] == Decimal(third_price)
        assert theirs[1]["codes"][1] == "back\\slash"
    ours_owners, orm_owners = owners("A"), owners("B")
    insert(ours_owners)
    PetOwner.objects.bulk_create(orm_owners)
    mine = stored_rows(PetOwner, ours_owners)
    for row in mine:
        row["first_name"] = row["first_name"].replace("A", "B")
    same = ("first_name", "marketing_consent", "email_consent_at", "sms_consent", "retailer_id")
    assert [{k: row[k] for k in same} for row in mine] == [
        {k: row[k] for k in same} for row in stored_rows(PetOwner, orm_owners)
    ]
    assert mine[0]["email_consent_at"] == consented and mine[1]["email_consent_at"] is None
