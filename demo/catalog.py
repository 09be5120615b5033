"""Loading the demo catalog and programs: items, manufacturer and custom programs, distributors,
enrollments. Each loader is keyed on natural keys, so loading twice changes nothing."""

from decimal import Decimal

from django.db import transaction

from loyalty.models import (
    Brand,
    CashBackPlan,
    Distributor,
    Enrollment,
    Item,
    Manufacturer,
    PointReward,
    PrepaidPlan,
    Program,
    ProgramCard,
    Retailer,
)
from loyalty.models.programs import DeliveryMethod, ProgramKind
from loyalty.rules.upc import gtin_check_digit, gtin_key

from .items_data import ITEMS, MANUFACTURERS
from .programs_data import (
    CUSTOM_PROGRAMS,
    DISTRIBUTOR_REPLACEMENT,
    DISTRIBUTORS,
    ENROLLMENTS,
    PROGRAMS,
    RETAILER_ITEMS,
)


def upc(body: str) -> str:
    """The 12-digit UPC-A for an 11-digit body: the body and its GS1 check digit."""
    return body + str(gtin_check_digit(body))


def sale_codes() -> dict[str, tuple[str, str, Decimal]]:
    """Item key: (the code a POS sends, the line description, the price), for demo sales."""
    codes = {
        key: (upc(body), f"{description} {size}".strip(), Decimal(price))
        for key, (_brand, description, size, _category, body, price) in ITEMS.items()
    }
    for key, (number, description, _category, price) in RETAILER_ITEMS.items():
        codes[key] = (number, description, Decimal(price))
    return codes


@transaction.atomic
def load_catalog() -> None:
    """Manufacturers, brands, platform items, manufacturer programs and distributors."""
    brands = _brands()
    items = {key: _platform_item(row, brands) for key, row in ITEMS.items()}
    programs = {spec["name"]: _manufacturer_program(spec, brands, items) for spec in PROGRAMS}
    for name, (temporary, served) in DISTRIBUTORS.items():
        lookup = {"is_temporary_holding": True} if temporary else {"name": name}
        # get_or_create: a delivery method set up later (e.g. for a sandbox) survives a re-run.
        distributor, _ = Distributor.objects.get_or_create(
            **lookup, defaults={"name": name, "delivery_method": DeliveryMethod.HOLD}
        )
        distributor.programs.add(*(programs[program] for program in served))


def _brands() -> dict[str, Brand]:
    brands: dict[str, Brand] = {}
    for manufacturer_name, brand_names in MANUFACTURERS.items():
        manufacturer, _ = Manufacturer.objects.get_or_create(name=manufacturer_name)
        for name in brand_names:
            brands[name], _ = Brand.objects.get_or_create(manufacturer=manufacturer, name=name)
    return brands


def _platform_item(row: tuple, brands: dict[str, Brand]) -> Item:
    brand, description, size, category, body, price = row
    # Looked up by the stored GTIN-14; Item.save() normalises the UPC the same way.
    item, _ = Item.objects.update_or_create(
        retailer=None,
        gtin=gtin_key(upc(body)),
        defaults={
            "brand": brands[brand] if brand else None,
            "description": description,
            "size": size,
            "category": category,
            "list_price": Decimal(price),
        },
    )
    return item


def _manufacturer_program(spec: dict, brands: dict[str, Brand], items: dict[str, Item]) -> Program:
    brand = brands[spec["brand"]]
    program, _ = Program.objects.update_or_create(
        name=spec["name"],
        retailer=None,
        defaults={
            "kind": ProgramKind.MANUFACTURER,
            "manufacturer": brand.manufacturer,
            "brand": brand,
            "category": spec["category"],
            "pet_type": spec["pet_type"],
            "fulfillment_option": DISTRIBUTOR_REPLACEMENT,
            "terms": spec["terms"],
            "description": spec["description"],
        },
    )
    for card in spec["cards"]:
        _program_card(program, card, items)
    return program


def _program_card(program: Program, spec: dict, items: dict[str, Item]) -> ProgramCard:
    card, _ = ProgramCard.objects.update_or_create(
        program=program,
        name=spec["name"],
        defaults={
            "purchases_required": spec["required"],
            "free_good_rule": spec["rule"],
            "requires_email": spec.get("requires_email", False),
            # Card windows: "complete the card within N months of its first punch".
            "completion_window_months": spec.get("window_months"),
        },
    )
    card.qualifying_items.set([items[key] for key in spec["items"]])
    card.redeemable_items.set([items[key] for key in spec.get("redeemable", spec["items"])])
    return card


@transaction.atomic
def load_enrollments(retailers: dict[str, Retailer]) -> None:
    """Whole-account enrollments (location None) with the store's distributor account."""
    for retailer_name, rows in ENROLLMENTS.items():
        for program_name, distributor_name, account in rows:
            Enrollment.objects.get_or_create(
                retailer=retailers[retailer_name],
                location=None,
                program=Program.objects.get(name=program_name, retailer=None),
                defaults={
                    "distributor": Distributor.objects.get(name=distributor_name),
                    "account_number": account,
                },
            )


@transaction.atomic
def load_custom_programs(retailer: Retailer) -> None:
    """The retailer's own items and its Buy X Get Y, Pre-Paid and Cash Back programs."""
    items: dict[str, Item] = {}
    for key, (number, description, category, price) in RETAILER_ITEMS.items():
        items[key], _ = Item.objects.update_or_create(
            retailer=retailer,
            item_number=number,
            defaults={
                "description": description,
                "category": category,
                "list_price": Decimal(price),
            },
        )
    for spec in CUSTOM_PROGRAMS:
        _custom_program(retailer, spec, items)


def _custom_program(retailer: Retailer, spec: dict, items: dict[str, Item]) -> None:
    program, _ = Program.objects.update_or_create(
        name=spec["name"],
        retailer=retailer,
        defaults={
            "kind": spec["kind"],
            "category": spec["category"],
            "pet_type": spec["pet_type"],
            "description": spec["description"],
        },
    )
    if "card" in spec:
        _program_card(program, spec["card"], items)
    if "plan" in spec:
        plan = spec["plan"]
        PrepaidPlan.objects.update_or_create(
            program=program, defaults={**plan, "price": Decimal(plan["price"])}
        )
    if "cash_back" in spec:
        plan = spec["cash_back"]
        CashBackPlan.objects.update_or_create(
            program=program, defaults={**plan, "percent": Decimal(plan["percent"])}
        )


# Point rewards the demo store offers (SPEC §2: thresholds the cashier may redeem).
POINT_REWARDS = [
    ("$5 off any purchase", 250, "Take $5 off in the POS."),
    ("Free bag of treats", 500, "Any treat bag up to $12."),
    ("Free self-wash", 800, "One self-service dog wash."),
]


def load_point_rewards(retailer: Retailer) -> None:
    for name, points, description in POINT_REWARDS:
        PointReward.objects.update_or_create(
            retailer=retailer,
            name=name,
            defaults={"points_required": points, "description": description},
        )
