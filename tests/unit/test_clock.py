"""The shared test clock (tests/clock.py)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest

from tests.clock import FakeClock

START = datetime(2026, 12, 3, 17, 0, tzinfo=UTC)


def test_a_frozen_clock_moves_only_when_told() -> None:
    clock = FakeClock(START)
    assert clock.now() == clock() == START
    assert clock.advance(hours=1, minutes=30) == START + timedelta(minutes=90)
    assert clock.advance(timedelta(days=1)) == START + timedelta(days=1, minutes=90)
    clock.set(START - timedelta(days=3))  # set() may go back
    assert clock() == START - timedelta(days=3)


def test_a_following_clock_tracks_real_time_plus_the_offset() -> None:
    clock = FakeClock()
    before = datetime.now(UTC)
    clock.advance(minutes=10)
    shifted = clock()
    assert before + timedelta(minutes=10) <= shifted <= datetime.now(UTC) + timedelta(minutes=10)
    clock.set(START)
    assert clock() == START  # set() stops it


def test_it_is_a_services_clock() -> None:
    as_callable: Callable[[], datetime] = FakeClock(START)  # Services.clock's type
    assert as_callable() == START


def test_naive_times_and_going_back_are_refused() -> None:
    with pytest.raises(ValueError, match="aware"):
        FakeClock(datetime(2026, 1, 1))
    clock = FakeClock(START)
    with pytest.raises(ValueError, match="aware"):
        clock.set(datetime(2026, 1, 1))
    with pytest.raises(ValueError, match="forward"):
        clock.advance(minutes=-1)
    assert clock() == START
