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
