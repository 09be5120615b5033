"""The demo's people as plain data: accounts and logins, name lists, and what owners buy.

The passwords are public on purpose: they are printed by `seed_demo` and in the README.
"""

DEMO_RETAILER = "Demo Pet Supply"
OTHER_RETAILER = "Other Pet Shop"

# retailer: [(location name, address, POS shop id)]; the first is the users' home location.
LOCATIONS: dict[str, list[tuple[str, str, str]]] = {
    DEMO_RETAILER: [
        ("Main Street", "214 Main Street, Springfield, IL 62701", "1"),
        ("Riverside", "88 Riverside Drive, Springfield, IL 62704", "2"),
    ],
    OTHER_RETAILER: [("Downtown", "5 Market Square, Peoria, IL 61602", "1")],
}

# login key (as in the --json output): (username, password, retailer or None, role)
LOGINS: dict[str, tuple[str, str, str | None, str]] = {
    "admin": ("demo-admin", "astro-admin-demo", DEMO_RETAILER, "admin"),
    "cashier": ("demo-cashier", "astro-cashier-demo", DEMO_RETAILER, "cashier"),
    "platform": ("platform", "astro-platform-demo", None, ""),
    "other_admin": ("other-admin", "astro-other-demo", OTHER_RETAILER, "admin"),
}


def demo_logins() -> list[tuple[str, str, str]]:
    """(who, username, password) of the demo store's logins, for the demo's login page."""
    return [
        ("Cashier", *LOGINS["cashier"][:2]),
        ("Store admin", *LOGINS["admin"][:2]),
        # The Lightspeed X-Series demo store (demo/lightspeed_x_sandbox.py).
        ("X-Series store cashier", "xseries-cashier", "astro-xseries-cashier-demo"),
    ]


FIRST_NAMES = [
    "Maria", "James", "Priya", "Daniel", "Keisha", "Tom", "Aiko", "Luis", "Hannah", "Omar",
    "Grace", "Ethan", "Fatima", "Noah", "Olivia", "Mateo", "Chloe", "Samuel", "Zoe", "Marcus",
    "Emily", "Ravi", "Sofia", "Ben", "Nadia", "Caleb", "Lena", "Isaac", "Mei", "Jordan",
]  # fmt: skip
LAST_NAMES = [
    "Lopez", "Carter", "Patel", "Kim", "Johnson", "Nguyen", "Okafor", "Schmidt", "Rossi",
    "Murphy", "Hernandez", "Walker", "Cohen", "Tanaka", "Brooks", "Alvarez", "Fischer",
    "Reyes", "Bennett", "Singh", "Kowalski", "Price", "Duarte", "Hughes", "Larsen",
]  # fmt: skip
EMAIL_DOMAINS = ["example.com", "example.net", "example.org"]
AREA_CODES = ["217", "309", "312"]
DOG_NAMES = [
    "Biscuit", "Luna", "Max", "Daisy", "Cooper", "Rosie", "Tucker", "Bella", "Murphy", "Pepper",
    "Scout", "Maple", "Bear", "Ziggy", "Hazel", "Otis",
]  # fmt: skip
CAT_NAMES = [
    "Mochi", "Oliver", "Cleo", "Simba", "Nala", "Pickles", "Felix", "Juniper", "Tigger", "Olive",
    "Miso", "Salem",
]  # fmt: skip
STREETS = [
    "Maple Ave", "Oak St", "N Main St", "Lincoln Blvd", "Cedar Ln", "W Monroe St", "Walnut St",
    "S Grand Ave", "Elm Ct", "Spring Creek Rd",
]  # fmt: skip
# (city, state, postal code): towns near the demo stores.
CITIES = [
    ("Springfield", "IL", "62701"),
    ("Springfield", "IL", "62704"),
    ("Chatham", "IL", "62629"),
    ("Rochester", "IL", "62563"),
    ("Sherman", "IL", "62684"),
]

# What owners buy, by item key (items_data.ITEMS or programs_data.RETAILER_ITEMS).
DOG_FAVOURITES = [
    "acana-red-13", "acana-red-25", "acana-poultry-4.5", "acana-poultry-25", "acana-fish-13",
    "stella-beef-4", "stella-duck-6", "fromm-pb", "fromm-cheese", "wash-full",
]  # fmt: skip
CAT_FAVOURITES = ["weruva-paw-lickin", "weruva-mideast", "weruva-funk", "orijen-cat-4"]
EXTRAS = [
    "kong-m", "kong-l", "poop-bags", "catnip-mouse", "acana-red-2", "stella-mixers",
    "fromm-blueberry", "weruva-can",
]  # fmt: skip
# The other store is enrolled in Acana only and has no dog wash.
OTHER_DOG_FAVOURITES = ["acana-red-13", "acana-poultry-25", "acana-fish-13"]

# The first owners follow a script so the demo always has complete cards to show:
# (species of the first pet, item, visits, quantity per visit, visit that redeems the complete
# card or 0). The first owner completes Acana on visit 12 and takes the free bag on visit 13.
SCRIPTED_OWNERS: list[tuple[str, str, int, int, int]] = [
    ("Dog", "acana-red-25", 14, 1, 13),
    ("Dog", "stella-chicken-6", 6, 2, 0),
    ("Dog", "wash-full", 9, 1, 0),
    ("Cat", "weruva-paw-lickin", 7, 2, 0),
]

# Sally Pet Owner's visits: (days ago, [(item, quantity)]) -> Acana 5/12, a complete Frozen card.
SALLY_VISITS: list[tuple[int, list[tuple[str, int]]]] = [
    (150, [("acana-poultry-13", 1), ("stella-chicken-6", 4)]),
    (118, [("acana-poultry-13", 1), ("poop-bags", 1)]),
    (87, [("acana-poultry-13", 1), ("stella-beef-4", 3)]),
    (55, [("acana-poultry-13", 1), ("kong-m", 1)]),
    (21, [("acana-poultry-13", 1), ("stella-chicken-6", 3)]),
]

# How many generated owners each store gets, and the seed that makes them the same every time.
OWNER_COUNTS = {DEMO_RETAILER: 36, OTHER_RETAILER: 3}
SEED = 20250601
