"""Threads released at the same moment, for the tests that show a rule holds under a race on
PostgreSQL (SQLite serialises writes and cannot show one)."""

import threading
from collections.abc import Callable

import pytest
from django.db import connection

# For a module whose tests all race: transactional, PostgreSQL only.
POSTGRES_ONLY = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="row locks need PostgreSQL (CI runs this)"
    ),
]


def race(work: Callable[[int], object], threads: int = 4) -> list:
    """Run work(i) in `threads` threads released at once; return each result or exception."""
    barrier = threading.Barrier(threads)
    results: list = [None] * threads

    def run(i: int) -> None:
        try:
            barrier.wait(timeout=10)
            results[i] = work(i)
        except Exception as exc:  # noqa: BLE001 - the test inspects what each thread got
            results[i] = exc
        finally:
            connection.close()  # each thread has its own connection; leave none open

    workers = [threading.Thread(target=run, args=(i,)) for i in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=30)
    return results
