"""The per-key request budget's memory: requests counted per sixtieth of the window.

DRF's `SimpleRateThrottle` keeps the time of every request of the window in one cache value,
read and written whole on every request: at a few hundred requests a second a key's list grows
to tens of thousands of floats, pickled both ways (about 2 ms a request with Redis, SPEC §9).
Counting per sixtieth of the window keeps at most 61 (step, count) pairs, whatever the rate.
A request counts for at least one whole window and at most a sixtieth more, so the budget is
never more generous than DRF's: at most N requests in any window."""

from __future__ import annotations

STEPS = 60  # steps per window: 1 s of a minute, 1 min of an hour


def step_of(now: float, duration: float) -> int:
    return int(now * STEPS // duration)


def in_window(history: list, *, step: int) -> list[tuple[int, int]]:
    """The (step, count) pairs, oldest first, still counted at `step`."""
    return [(at, count) for at, count in history if at >= step - STEPS]


def counted(history: list[tuple[int, int]]) -> int:
    return sum(count for _, count in history)


def with_request(history: list[tuple[int, int]], step: int) -> list[tuple[int, int]]:
    """The history with one more request at `step` (the newest step is last)."""
    if history and history[-1][0] == step:
        return [*history[:-1], (step, history[-1][1] + 1)]
    return [*history, (step, 1)]


def kept_for(duration: float) -> int:
    """Seconds the cache keeps a history: its oldest step is counted a window and a step."""
    return int(duration * (STEPS + 1) / STEPS) + 1


def wait_seconds(
    history: list[tuple[int, int]], *, now: float, duration: float, budget: int
) -> float | None:
    """The wait before the next request, spread over the requests the budget has left, as
    DRF's `SimpleRateThrottle.wait` spreads it: until the oldest step stops counting."""
    if history:
        remaining = (history[0][0] + STEPS + 1) * duration / STEPS - now
    else:
        remaining = duration
    available = budget - counted(history) + 1
    if available <= 0:
        return None
    return remaining / float(available)
