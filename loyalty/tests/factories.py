"""Factories that keep related objects in one retailer (a card's owner and program agree)."""

from decimal import Decimal

import factory

from loyalty import models
from loyalty.rules.upc import gtin_check_digit


def make_upc(n: int) -> str:
    body = f"08{n:09d}"
    return body + str(gtin_check_digit(body))


class RetailerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Retailer

    name = factory.Sequence(lambda n: f"Retailer {n}")


class LocationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Location

    retailer = factory.SubFactory(RetailerFactory)
    name = factory.Sequence(lambda n: f"Store {n}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.User

    username = factory.Sequence(lambda n: f"user{n}")
    retailer = factory.SubFactory(RetailerFactory)
    role = "cashier"
    password = factory.django.Password("pw-for-tests")


class PetOwnerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.PetOwner

    retailer = factory.SubFactory(RetailerFactory)
    first_name = factory.Sequence(lambda n: f"Owner{n}")
    last_name = "Smith"
    email = factory.LazyAttribute(lambda o: f"{o.first_name.lower()}@example.com")
    phone = "(555) 123-4567"


class ManufacturerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Manufacturer

    name = factory.Sequence(lambda n: f"Manufacturer {n}")


class BrandFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Brand

    manufacturer = factory.SubFactory(ManufacturerFactory)
    name = factory.Sequence(lambda n: f"Brand {n}")


class ItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Item

    brand = factory.SubFactory(BrandFactory)
    description = factory.Sequence(lambda n: f"Dog Food {n}")
    size = "25 lb"
    gtin = factory.Sequence(make_upc)
    list_price = Decimal("54.99")


class ProgramFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Program

    kind = "manufacturer"
    name = factory.Sequence(lambda n: f"Program {n}")
    manufacturer = factory.SubFactory(ManufacturerFactory)


class ProgramCardFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.ProgramCard
        skip_postgeneration_save = True

    program = factory.SubFactory(ProgramFactory)
    name = factory.Sequence(lambda n: f"Buy 12 card {n}")
    purchases_required = 12
    free_good_rule = "fixed_list"

    @factory.post_generation
    def items(self, create, extracted, **kwargs):
        """items=[...]: qualifying and redeemable; default: one fresh item."""
        if not create:
            return
        for item in extracted or [ItemFactory()]:
            self.qualifying_items.add(item)
            self.redeemable_items.add(item)


class DistributorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Distributor

    name = factory.Sequence(lambda n: f"Distributor {n}")


class EnrollmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Enrollment

    retailer = factory.SubFactory(RetailerFactory)
    program = factory.SubFactory(ProgramFactory)
    distributor = factory.SubFactory(DistributorFactory)
    account_number = factory.Sequence(lambda n: f"ACCT-{n}")


def enrolled_card(retailer, *, required: int = 12, rule: str = "fixed_list", items=None):
    """A manufacturer program card the retailer is enrolled in (the usual set-up of a test)."""
    card = ProgramCardFactory(purchases_required=required, free_good_rule=rule, items=items)
    EnrollmentFactory(retailer=retailer, program=card.program)
    return card


# --- Cards, visits and purchases: the owner decides the retailer of every row below it. ------


def _refuse_two_retailers(model_class, kwargs: dict, *related: str) -> None:
    """A row whose related rows belong to another retailer is a set-up mistake, never a test."""
    retailer = kwargs["retailer"]
    for name in related:
        other = kwargs.get(name)
        if other is not None and other.retailer_id != retailer.pk:
            raise ValueError(
                f"{model_class.__name__}: the {name} belongs to retailer {other.retailer_id}, "
                f"the row to retailer {retailer.pk}; give rows of one retailer."
            )


class CardFactory(factory.django.DjangoModelFactory):
    """An open card; give the owner and the retailer is the owner's. The default program card is
    a manufacturer program the owner's retailer is enrolled in."""

    class Meta:
        model = models.Card

    owner = factory.SubFactory(PetOwnerFactory)
    retailer = factory.SelfAttribute("owner.retailer")
    program_card = factory.LazyAttribute(lambda card: enrolled_card(card.owner.retailer))

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        _refuse_two_retailers(model_class, kwargs, "owner")
        program = kwargs["program_card"].program
        if program.retailer_id not in (None, kwargs["retailer"].pk):  # another store's program
            raise ValueError(f"Card: the program {program} belongs to another retailer.")
        return super()._create(model_class, *args, **kwargs)


class VisitFactory(factory.django.DjangoModelFactory):
    """An open visit at a location of the owner's retailer. For a visit nobody is on yet, give
    owner=None and the retailer."""

    class Meta:
        model = models.Visit

    owner = factory.SubFactory(PetOwnerFactory)
    retailer = factory.LazyAttribute(
        lambda visit: visit.owner.retailer if visit.owner else RetailerFactory()
    )
    location = factory.SubFactory(LocationFactory, retailer=factory.SelfAttribute("..retailer"))
    pos_sale_id = factory.Sequence(lambda n: f"SALE-{n}")

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        _refuse_two_retailers(model_class, kwargs, "owner", "location", "cashier")
        return super()._create(model_class, *args, **kwargs)


class VisitLineFactory(factory.django.DjangoModelFactory):
    """One sale line of a visit, in the visit's retailer and sale."""

    class Meta:
        model = models.VisitLine

    visit = factory.SubFactory(VisitFactory)
    retailer = factory.SelfAttribute("visit.retailer")
    pos_system = factory.SelfAttribute("visit.pos_system")
    pos_sale_id = factory.SelfAttribute("visit.pos_sale_id")
    pos_line_id = factory.Sequence(lambda n: f"LINE-{n}")
    quantity = 1

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        _refuse_two_retailers(model_class, kwargs, "visit")
        return super()._create(model_class, *args, **kwargs)


class PurchaseFactory(factory.django.DjangoModelFactory):
    """One active punch of a qualifying item. Give the card, or just owner=... for a new card of
    that owner; the retailer is the card's, the location the sale line's when there is one."""

    class Meta:
        model = models.Purchase

    class Params:
        owner = None

    card = factory.Maybe(
        "owner",
        yes_declaration=factory.SubFactory(CardFactory, owner=factory.SelfAttribute("..owner")),
        no_declaration=factory.SubFactory(CardFactory),
    )
    retailer = factory.SelfAttribute("card.retailer")
    item = factory.LazyAttribute(lambda punch: punch.card.program_card.qualifying_items.first())
    visit_line = None
    location = factory.LazyAttribute(
        lambda punch: punch.visit_line.visit.location if punch.visit_line else None
    )

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        _refuse_two_retailers(model_class, kwargs, "card", "visit_line", "location", "cashier")
        return super()._create(model_class, *args, **kwargs)
