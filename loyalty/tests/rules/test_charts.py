"""Tests for the report charts: time buckets, round axes and bar geometry (SPEC §7)."""

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from loyalty.presentation.charts import (
    DAY,
    WEEK,
    axis_ticks,
    fill_periods,
    grouped_bar_chart,
    nice_step,
    period_label,
    period_starts,
    period_unit,
)


def test_up_to_two_months_is_per_day_and_longer_is_per_week() -> None:
    assert period_unit(date(2026, 1, 1), date(2026, 1, 30)) == DAY
    assert period_unit(date(2026, 1, 1), date(2026, 3, 3)) == DAY  # 62 days
    assert period_unit(date(2026, 1, 1), date(2026, 3, 4)) == WEEK
    assert period_unit(date(2026, 1, 1), date(2026, 12, 31)) == WEEK


def test_periods_cover_the_range_without_gaps() -> None:
    days = period_starts(date(2026, 2, 27), date(2026, 3, 2), DAY)
    assert days == [date(2026, 2, 27), date(2026, 2, 28), date(2026, 3, 1), date(2026, 3, 2)]
    # Weeks start on Monday, like the database's week truncation: Wed Jan 7 is in Jan 5's week.
    weeks = period_starts(date(2026, 1, 7), date(2026, 1, 19), WEEK)
    assert weeks == [date(2026, 1, 5), date(2026, 1, 12), date(2026, 1, 19)]


def test_labels_name_the_day_or_the_week() -> None:
    assert period_label(date(2026, 3, 2), DAY) == "Mar 2, 2026"
    assert period_label(date(2026, 3, 2), WEEK) == "Week of Mar 2, 2026"


def test_missing_periods_count_zero() -> None:
    periods = [date(2026, 1, 1), date(2026, 1, 2), date(2026, 1, 3)]
    assert fill_periods(periods, {date(2026, 1, 2): 7}) == [0, 7, 0]


@pytest.mark.parametrize(
    ("value", "step"), [(0, 1), (0.5, 1), (1, 1), (1.5, 2), (3, 5), (7, 10), (24, 50), (250, 500)]
)
def test_steps_are_one_two_or_five_times_a_power_of_ten(value: float, step: int) -> None:
    assert nice_step(value) == step


def test_the_axis_tops_out_at_a_round_number() -> None:
    assert axis_ticks(0) == [0, 1]
    assert axis_ticks(7) == [0, 2, 4, 6, 8]
    assert axis_ticks(96) == [0, 50, 100]
    assert axis_ticks(100) == [0, 50, 100]


@given(st.integers(min_value=0, max_value=10**7))
def test_the_axis_always_holds_the_largest_value(value: int) -> None:
    ticks = axis_ticks(value)
    assert ticks[0] == 0 and ticks[-1] >= value and len(ticks) <= 7


def chart(punches: list[int], redemptions: list[int]):
    labels = [f"D{n}" for n in range(len(punches))]
    return grouped_bar_chart(
        title="Punches and redemptions per day",
        labels=labels,
        series=[("Punches", punches), ("Redemptions", redemptions)],
    )


def test_bars_are_scaled_to_the_top_of_the_axis() -> None:
    drawn = chart([10, 5, 0], [1, 0, 2])
    tallest = max(drawn.bars, key=lambda bar: bar.height)
    assert tallest.value == 10 and tallest.y == drawn.top  # the axis tops out at 10
    half = next(bar for bar in drawn.bars if bar.value == 5)
    assert half.height == pytest.approx(tallest.height / 2)
    assert all(bar.y + bar.height == pytest.approx(drawn.bottom) for bar in drawn.bars)
    assert [tick.text for tick in drawn.y_ticks] == ["0", "5", "10"]


def test_each_period_has_one_bar_per_series_side_by_side() -> None:
    drawn = chart([3, 4], [1, 2])
    first, second = drawn.bars[0], drawn.bars[1]
    assert (first.series, second.series) == (0, 1)
    assert second.x == pytest.approx(first.x + first.width)
    assert drawn.bars[2].x > second.x + second.width  # a gap before the next period
    assert drawn.bars[-1].x + drawn.bars[-1].width <= drawn.right


def test_the_chart_describes_itself_for_screen_readers_and_the_table() -> None:
    drawn = chart([3, 4], [1, 0])
    assert drawn.summary == "Total over 2 periods: Punches 7, Redemptions 1."
    assert drawn.bars[0].label == "D0, Punches: 3"
    assert drawn.rows == (("D0", (3, 1)), ("D1", (4, 0)))
    assert not drawn.is_empty and chart([0], [0]).is_empty


def test_long_labels_name_periods_in_tooltips_and_the_table() -> None:
    drawn = grouped_bar_chart(
        title="t",
        labels=["Mar 2"],
        long_labels=["Week of Mar 2, 2026"],
        period_name="week",
        series=[("Punches", [4])],
    )
    assert drawn.bars[0].label == "Week of Mar 2, 2026, Punches: 4"
    assert drawn.summary == "Total over 1 week: Punches 4."
    assert drawn.x_ticks[0].text == "Mar 2" and drawn.rows[0][0] == "Week of Mar 2, 2026"


def test_axis_labels_are_thinned_out_to_about_ten() -> None:
    drawn = chart([1] * 53, [0] * 53)
    assert 5 <= len(drawn.x_ticks) <= 10
    assert drawn.x_ticks[0].text == "D0"


def test_a_series_of_the_wrong_length_is_refused() -> None:
    with pytest.raises(ValueError, match="values for 3 periods"):
        grouped_bar_chart(title="t", labels=["a", "b", "c"], series=[("Punches", [1, 2])])
