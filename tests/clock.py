"""The one test clock: a stand-in for ``Services.clock`` (and ``DeliveryEngine(clock=...)``,
``local_bot(clock=...)``), which take any ``Callable[[], datetime]``.

``FakeClock(at)`` is frozen at ``at`` until a test moves it with :meth:`set` or
:meth:`advance`. ``FakeClock()`` follows the real clock, shifted by whatever
:meth:`advance` adds: for tests whose rows are stamped with the real time (the outbox
defaults ``next_attempt_at`` to now) but that must jump past a backoff or a lease.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta


class FakeClock:
    def __init__(self, at: datetime | None = None) -> None:
        if at is not None and at.utcoffset() is None:
            raise ValueError("give the clock an aware datetime (tzinfo=UTC)")
        self._frozen = at
        self._offset = timedelta(0)

    def now(self) -> datetime:
        base = datetime.now(UTC) if self._frozen is None else self._frozen
        return base + self._offset

    __call__ = now  # so the clock itself is the Callable[[], datetime]

    def set(self, at: datetime) -> None:
        """Stop the clock at ``at`` (a following clock stops following the real one)."""
        if at.utcoffset() is None:
            raise ValueError("give the clock an aware datetime (tzinfo=UTC)")
        self._frozen, self._offset = at, timedelta(0)

    def advance(self, delta: timedelta | None = None, **parts: float) -> datetime:
        """Move on by ``delta`` or ``timedelta(**parts)`` (``advance(hours=1)``); the new now."""
        step = (delta or timedelta(0)) + timedelta(**parts)
        if step < timedelta(0):
            raise ValueError("a clock only moves forward; use set() to go back")
        self._offset += step
        return self.now()
