"""The send budget's 429 scopes: one chat's 429 holds that chat; several at once hold bulk
only, and replies to people keep going."""

from __future__ import annotations

import asyncio

from bot.messaging.ratelimit import SendBudget


class FakeClock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


async def take(budget: SendBudget, chat_id: int, *, bulk: bool) -> bool:
    """True when a place for the send is free right away."""
    try:
        async with asyncio.timeout(0.1):
            async with budget.slot(chat_id, bulk=bulk):
                return True
    except TimeoutError:
        return False


async def test_a_chat_429_holds_that_chat_only() -> None:
    clock = FakeClock()
    budget = SendBudget(clock=clock)
    assert budget.flooded(1, 5.0) == "chat"
    assert not await take(budget, 1, bulk=False)
    assert not await take(budget, 1, bulk=True)
    assert await take(budget, 2, bulk=False)
    assert await take(budget, 3, bulk=True)
    clock.now += 5.1
    assert await take(budget, 1, bulk=False)


async def test_429s_for_several_chats_hold_bulk_but_not_replies() -> None:
    clock = FakeClock()
    budget = SendBudget(clock=clock)
    assert budget.flooded(1, 5.0) == "chat"
    assert budget.flooded(2, 5.0) == "chat"
    assert budget.flooded(3, 5.0) == "bot"
    assert not await take(budget, 9, bulk=True)
    assert await take(budget, 9, bulk=False)  # a person's reply still goes
    clock.now += 5.1
    assert await take(budget, 9, bulk=True)


async def test_a_429_without_a_chat_is_bot_wide() -> None:
    budget = SendBudget(clock=FakeClock())
    assert budget.flooded(None, 2.0) == "bot"
    assert not await take(budget, 4, bulk=True)
    assert await take(budget, 4, bulk=False)
