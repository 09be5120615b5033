"""The plan PostgreSQL keeps for a prepared statement, for tests of the hot paths' SQL."""

import json
import re
from typing import Any

from django.db import connection, transaction


def generic_plan(sql: str, params: list, *, as_json: bool = False) -> Any:
    """EXPLAIN of `sql` prepared and planned for any parameters (its generic plan, the one a
    prepared statement of the sale runs once PostgreSQL keeps it): the text, or the JSON."""
    numbered = iter(range(1, len(params) + 1))
    prepared = re.sub("%s", lambda _match: f"${next(numbered)}", sql)
    holders = ", ".join(["%s"] * len(params))
    explain = "EXPLAIN (FORMAT JSON)" if as_json else "EXPLAIN"
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL plan_cache_mode = force_generic_plan")
        cursor.execute(f"PREPARE planned AS {prepared}")
        cursor.execute(f"{explain} EXECUTE planned({holders})", params)
        rows = cursor.fetchall()
        cursor.execute("DEALLOCATE planned")
    if as_json:
        [[plan]] = rows
        return json.loads(plan) if isinstance(plan, str) else plan
    return "\n".join(row[0] for row in rows)
