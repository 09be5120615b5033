"""The only place that reads the process environment (12-factor settings)."""

from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
# A developer may keep their variables in .env (git-ignored); the real environment wins.
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEFAULT_SQLITE_URL = f"sqlite:///{BASE_DIR / 'db.sqlite3'}"


def database_config(default: str = DEFAULT_SQLITE_URL) -> dict:
    """DATABASE_URL as Django's DATABASES['default'], with sensible connection settings."""
    config = env.db_url("DATABASE_URL", default=default)
    if config["ENGINE"].endswith("postgresql"):
        # Persistent connections with a health check: cheap requests, no stale sockets.
        config.setdefault("CONN_MAX_AGE", env.int("DB_CONN_MAX_AGE", default=60))
        config["CONN_HEALTH_CHECKS"] = True
        # A database that does not answer fails the request within seconds (a 503), never a
        # hang until gunicorn's timeout. libpq's least is 2 s.
        options = config.setdefault("OPTIONS", {})
        options.setdefault("connect_timeout", env.int("DB_CONNECT_TIMEOUT", default=2))
        # Server-side prepared statements for the prepared reads only (selectors/prepared.py
        # asks for them by name; Django's own cursors bind on the client and prepare nothing,
        # whatever this number): None, Django's default, would turn them off.
        options.setdefault("prepare_threshold", 1_000_000_000)
        # The planner's price of a random page read: PostgreSQL's default (4) is a spinning
        # disk's; with the tables in memory it made the sale's and the checkout's joins read
        # whole catalog tables (items, brands, program cards) instead of a few rows by index
        # (docs/decisions.md, issue 12). Empty: the server's own setting.
        if page_cost := env.str("DB_RANDOM_PAGE_COST", default="1.1"):
            options.setdefault("options", f"-c random_page_cost={float(page_cost)}")
    if config["ENGINE"].endswith("sqlite3"):
        # The demo runs web, worker and beat against one file: wait for locks instead of failing.
        config.setdefault("OPTIONS", {})["timeout"] = 20
    return config


def redis_url() -> str | None:
    """REDIS_URL, or None when the app runs embedded (tasks in-process, no broker)."""
    return env.str("REDIS_URL", default="") or None
