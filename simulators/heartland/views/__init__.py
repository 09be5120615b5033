"""The sandbox's API (api.py, common.py) and its POS register (register.py)."""
