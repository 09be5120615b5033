"""The demo programs as plain data: manufacturer programs, distributors and enrollments.

Programs name their items by the keys of `items_data.ITEMS` and `RETAILER_ITEMS` below.
"""

DISTRIBUTOR_REPLACEMENT = "Distributor replacement"

ACANA_TERMS = (
    "Buy 12 bags of Acana dry dog food (4.5 lb, 13 lb or 25 lb) and get the 13th bag of the "
    "same size free. Purchases must be recorded at the time of sale; bags of different sizes "
    "count toward the card but the free bag matches a size purchased. Not valid with other offers."
)
STELLA_TERMS = (
    "Buy 10 Stella & Chewy's frozen raw dinners and get 1 free, up to the value of the least "
    "expensive dinner purchased on the card. Freeze-dried products and Meal Mixers do not qualify."
)
WERUVA_TERMS = (
    "Buy 12 cases (24 cans) of Weruva cat food and get 1 case free: the free case is the recipe "
    "purchased most often on the card. Single cans do not qualify."
)
FROMM_TERMS = (
    "Buy 10 bags of Fromm dog treats and get 1 bag free from the listed treats. The pet owner's "
    "email address is required so Fromm can verify the reward."
)
ORIJEN_TERMS = (
    "Buy 12 bags of Orijen dry cat food and get the 13th bag of the same size free. Available "
    "to stores enrolled through a participating distributor."
)

ACANA_ITEMS = [
    "acana-red-4.5",
    "acana-red-13",
    "acana-red-25",
    "acana-poultry-4.5",
    "acana-poultry-13",
    "acana-poultry-25",
    "acana-fish-13",
    "acana-fish-25",
]
STELLA_ITEMS = ["stella-chicken-6", "stella-chicken-12", "stella-beef-4", "stella-duck-6"]
WERUVA_ITEMS = ["weruva-paw-lickin", "weruva-mideast", "weruva-funk"]
FROMM_ITEMS = ["fromm-pb", "fromm-blueberry", "fromm-cheese"]
ORIJEN_ITEMS = ["orijen-cat-4", "orijen-cat-12", "orijen-fish-cat-4"]

# Manufacturer programs (kind "manufacturer", no retailer). `redeemable` defaults to `items`.
PROGRAMS: list[dict] = [
    {
        "name": "Acana Dog Frequent Buyer",
        "manufacturer": "Champion Petfoods",
        "brand": "Acana",
        "category": "Dry Food",
        "pet_type": "Dog",
        "description": "Acana's frequent buyer program for its dry dog food.",
        "terms": ACANA_TERMS,
        "cards": [
            {
                "name": "Acana Dry Dog Food — Buy 12 Get 1 Free",
                "required": 12,
                "window_months": 18,
                "rule": "same_size",
                "items": ACANA_ITEMS,
            }
        ],
    },
    {
        "name": "Stella & Chewy's Frozen",
        "manufacturer": "Stella & Chewy's",
        "brand": "Stella & Chewy's",
        "category": "Frozen Food",
        "pet_type": "Dog",
        "description": "Frequent buyer card for Stella & Chewy's frozen raw dinners.",
        "terms": STELLA_TERMS,
        "cards": [
            {
                "name": "Buy 10 Frozen Dinners Get 1 Free",
                "required": 10,
                "rule": "lesser_or_equal_value",
                "items": STELLA_ITEMS,
            }
        ],
    },
    {
        "name": "Weruva Cat Food",
        "manufacturer": "Weruva International",
        "brand": "Weruva",
        "category": "Canned Food",
        "pet_type": "Cat",
        "description": "Frequent buyer card for cases of Weruva canned cat food.",
        "terms": WERUVA_TERMS,
        "cards": [
            {
                "name": "Buy 12 Cases Get 1 Free",
                "required": 12,
                "rule": "most_frequent",
                "items": WERUVA_ITEMS,
            }
        ],
    },
    {
        "name": "Fromm Dog Treats",
        "manufacturer": "Fromm Family Foods",
        "brand": "Fromm",
        "category": "Treats",
        "pet_type": "Dog",
        "description": "Frequent buyer card for Fromm dog treats.",
        "terms": FROMM_TERMS,
        "cards": [
            {
                "name": "Fromm Treats — Buy 10 Get 1 Free",
                "required": 10,
                "rule": "fixed_list",
                "requires_email": True,
                "items": FROMM_ITEMS,
                # The free bag comes from the two regular treats, not the larger Pop'etts bag.
                "redeemable": ["fromm-pb", "fromm-blueberry"],
            }
        ],
    },
    {
        # The demo store is not enrolled: checkout can show the enroll prompt.
        "name": "Orijen Cat Frequent Buyer",
        "manufacturer": "Champion Petfoods",
        "brand": "Orijen",
        "category": "Dry Food",
        "pet_type": "Cat",
        "description": "Orijen's frequent buyer program for its dry cat food.",
        "terms": ORIJEN_TERMS,
        "cards": [
            {
                "name": "Orijen Dry Cat Food — Buy 12 Get 1 Free",
                "required": 12,
                "rule": "same_size",
                "items": ORIJEN_ITEMS,
            }
        ],
    },
]

PHILLIPS = "Phillips Pet Food & Supplies"
ANIMAL_SUPPLY = "Animal Supply Company"
TEMPORARY_HOLDING = "Temporary Holding Distributor"
ALL_PROGRAMS = [program["name"] for program in PROGRAMS]

# name: (is the temporary holding distributor, programs it serves)
DISTRIBUTORS: dict[str, tuple[bool, list[str]]] = {
    PHILLIPS: (
        False,
        [
            "Acana Dog Frequent Buyer",
            "Stella & Chewy's Frozen",
            "Fromm Dog Treats",
            "Orijen Cat Frequent Buyer",
        ],
    ),
    ANIMAL_SUPPLY: (
        False,
        [
            "Acana Dog Frequent Buyer",
            "Stella & Chewy's Frozen",
            "Weruva Cat Food",
            "Orijen Cat Frequent Buyer",
        ],
    ),
    # The placeholder a store picks when its distributor is not listed: it can hold any program.
    TEMPORARY_HOLDING: (True, ALL_PROGRAMS),
}

# retailer: [(program, distributor, account number)], whole-account enrollments.
ENROLLMENTS: dict[str, list[tuple[str, str, str]]] = {
    "Demo Pet Supply": [
        ("Acana Dog Frequent Buyer", PHILLIPS, "PP-104233"),
        ("Stella & Chewy's Frozen", PHILLIPS, "PP-104233"),
        ("Fromm Dog Treats", PHILLIPS, "PP-104233"),
        ("Weruva Cat Food", ANIMAL_SUPPLY, "ASC-558172"),
    ],
    "Other Pet Shop": [
        ("Acana Dog Frequent Buyer", ANIMAL_SUPPLY, "ASC-209814"),
    ],
}

# The demo retailer's own items (no UPC: the POS rings them by item number).
# key: (item number, description, category, list price)
RETAILER_ITEMS: dict[str, tuple[str, str, str, str]] = {
    "wash-full": ("WASH-FULL", "Full-service dog wash", "Grooming", "35.00"),
}

# Custom programs of the demo retailer: a Buy X Get Y card, a pre-paid plan and a cash back plan.
CUSTOM_PROGRAMS: list[dict] = [
    {
        "kind": "buy_x_get_y",
        "name": "Dog Wash Club — Buy 8 Washes Get 1 Free",
        "category": "Grooming",
        "pet_type": "Dog",
        "description": "Every full-service wash counts; the 9th wash is on us.",
        "card": {
            "name": "Buy 8 Washes Get 1 Free",
            "required": 8,
            "rule": "fixed_list",
            "items": ["wash-full"],
        },
    },
    {
        "kind": "prepaid",
        "name": "Nail Trim 5-Pack",
        "category": "Grooming",
        "pet_type": "Dog",
        "description": "Pay for 5 nail trims up front and get a 6th free.",
        "plan": {
            "visits": 5,
            "bonus_visits": 1,
            "price": "60.00",
            "visit_description": "One nail trim",
        },
    },
    {
        "kind": "cash_back",
        "name": "Treat Bar Cash Back",
        "category": "Treats",
        "pet_type": "",
        "description": "5% back on treat bar purchases once you have made 5 of them.",
        "cash_back": {"percent": "5.00", "purchases_required": 5, "basis": "subtotal"},
    },
]
