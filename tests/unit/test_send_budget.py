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


async def take(budget: SendBudget, chat_id: int, *, bulk: bool, within: float = 0.1) -> bool:
    """True when a place for the send is free right away (within ``within`` seconds)."""
    try:
        async with asyncio.timeout(within):
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


async def test_a_reply_held_by_its_own_chat_does_not_stop_bulk() -> None:
    """The second reply to one chat waits a second for that chat's limit; broadcasts to
    other chats go on meanwhile (they used to stop until it went: a survey launch whose
    members tapped 'Answer' crawled at 1-2 invitations a second)."""
    clock = FakeClock()
    budget = SendBudget(clock=clock)
    assert await take(budget, 1, bulk=False)  # the chat's one place this second
    held = asyncio.ensure_future(take(budget, 1, bulk=False))
    await asyncio.sleep(0.01)
    assert budget.replies_waiting == 0
    assert await take(budget, 2, bulk=True)
    assert not await held  # still held by its chat's window


async def test_a_reply_held_by_the_bot_wide_window_makes_bulk_step_aside() -> None:
    clock = FakeClock()
    budget = SendBudget(clock=clock)
    for chat in range(100, 130):  # the whole second's budget
        assert await take(budget, chat, bulk=False)
    held = asyncio.ensure_future(take(budget, 1, bulk=False, within=1.0))
    await asyncio.sleep(0.01)
    assert budget.replies_waiting == 1
    bulk = asyncio.ensure_future(take(budget, 2, bulk=True, within=1.0))
    await asyncio.sleep(0.01)
    clock.now += 1.01  # the window frees up: the reply goes first
    done, _ = await asyncio.wait({held, bulk}, return_when=asyncio.FIRST_COMPLETED)
    assert done == {held} and held.result()
    assert await bulk


async def test_a_reply_held_by_its_chat_still_goes_before_bulk_to_that_chat() -> None:
    """Replies to a person go before bulk to that person (an organizer who is also in the
    audience reads 'sent to N members' before the announcement)."""
    clock = FakeClock()
    budget = SendBudget(clock=clock)
    assert await take(budget, 1, bulk=False)
    bulk = asyncio.ensure_future(take(budget, 1, bulk=True, within=1.0))  # waits first
    await asyncio.sleep(0.01)
    held = asyncio.ensure_future(take(budget, 1, bulk=False, within=1.0))
    await asyncio.sleep(0.01)
    clock.now += 1.01  # the chat's window frees up: the reply goes first
    budget._changed.set()  # both wake at once, bulk first in line
    done, _ = await asyncio.wait({held, bulk}, return_when=asyncio.FIRST_COMPLETED)
    assert done == {held} and held.result()
