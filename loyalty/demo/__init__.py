"""Demo data for `manage.py seed_demo`: the catalog and people as plain data, and their loaders.

Data modules (`*_data.py`) hold only literals; the other modules load them through the models
and the loyalty services, so the demo history is made by the same rules as real sales.
"""
