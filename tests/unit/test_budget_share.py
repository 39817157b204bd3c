"""SendBudget as one replica's part of the bot's budget: its share can shrink and grow, and
a chat another replica holds (the chat gate) gives the place back and waits its turn."""

from __future__ import annotations

import asyncio

from bot.messaging.ratelimit import Limits, SendBudget


async def test_a_smaller_share_admits_fewer_sends() -> None:
    budget = SendBudget(Limits(overall_per_second=30, reply_headroom=0))
    budget.set_share(2, 0)
    admitted: list[int] = []

    async def send(chat: int) -> None:
        async with budget.slot(chat, bulk=False):
            admitted.append(chat)

    tasks = [asyncio.create_task(send(chat)) for chat in range(1, 6)]
    await asyncio.sleep(0.3)
    assert len(admitted) == 2  # the others wait a window
    budget.set_share(30, 0)
    await asyncio.wait_for(asyncio.gather(*tasks), 3)
    assert sorted(admitted) == [1, 2, 3, 4, 5]


async def test_share_zero_holds_everything() -> None:
    budget = SendBudget()
    budget.set_share(0, 0)
    sent = asyncio.Event()

    async def send() -> None:
        async with budget.slot(7, bulk=False):
            sent.set()

    task = asyncio.create_task(send())
    await asyncio.sleep(0.3)
    assert not sent.is_set()
    budget.set_share(30, 1)
    await asyncio.wait_for(task, 2)


async def test_a_chat_held_elsewhere_waits_and_frees_its_place() -> None:
    budget = SendBudget()
    answers = [0.2, 0.0]
    asked: list[tuple[int, float]] = []

    async def gate(chat_id: int, span: float) -> float:
        asked.append((chat_id, span))
        return answers.pop(0)

    budget.chat_gate = gate
    loop = asyncio.get_running_loop()
    start = loop.time()
    async with budget.slot(-100, bulk=True):
        waited = loop.time() - start
        assert budget._overall.in_flight == 1  # the place given back was not kept twice
    assert waited >= 0.2
    assert asked == [(-100, 3.0), (-100, 3.0)]  # a group: 20 a minute, one every 3 s
    assert budget._overall.used(loop.time()) == 1


async def test_the_chat_is_taken_before_a_place_is_held() -> None:
    """The database statement that takes the chat does not occupy the window: a place
    held through it lengthened every send by the statement (2-3 replicas lost 1-1.5 msg/s)."""
    budget = SendBudget()
    held_during_gate: list[int] = []

    async def gate(chat_id: int, span: float) -> float:
        held_during_gate.append(budget._overall.in_flight)
        await asyncio.sleep(0.01)
        return 0.0

    budget.chat_gate = gate
    async with budget.slot(7, bulk=True):
        assert budget._overall.in_flight == 1
    assert held_during_gate == [0]


async def test_a_long_local_wait_takes_the_chat_again() -> None:
    """A bulk pause after the chat was taken: its mark may have run out, so it is taken
    again before the send."""
    budget = SendBudget()
    asked: list[int] = []

    async def gate(chat_id: int, span: float) -> float:
        asked.append(chat_id)
        return 0.0

    budget.chat_gate = gate
    budget.pause(0.3)
    async with budget.slot(7, bulk=True):
        pass
    assert len(asked) >= 2
