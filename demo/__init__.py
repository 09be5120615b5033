"""Demo data for `manage.py seed_demo`: the catalog and people as plain data, and their loaders.

The one app allowed to import everything (loyalty, integrations, simulators); the domain never
imports it back, and production does not install it.

Data modules (`*_data.py`) hold only literals; the other modules load them through the models
and the loyalty services, so the demo history is made by the same rules as real sales.
"""
