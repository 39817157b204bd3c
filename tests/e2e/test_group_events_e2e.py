"""/events in a group chat, read by people who are not members: only events open to all."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from bot.devtools.local import LocalBot
from storage.members import set_role
from storage.models import Event, Role
from tests.e2e.helpers import onboarded
from tests.e2e.test_reminders_e2e import add_event, videoconference


def upcoming(**changes: Any) -> Event:
    """The test videoconference two days from now: this bot runs on the real clock."""
    start = datetime.now(UTC).replace(microsecond=0) + timedelta(days=2)
    return videoconference(starts_at=start, ends_at=start + timedelta(minutes=90), **changes)


async def test_events_in_a_group_list_only_open_events_and_no_ids(bot: LocalBot) -> None:
    await add_event(bot.db, upcoming())
    restricted = upcoming(
        id="vc-senai-only",
        title={"es": "Solo SENAI", "pt": "Só SENAI", "en": "SENAI only"},
        audience=["country:BR"],
    )
    await add_event(bot.db, restricted)
    users = await onboarded(bot, {8801: ("America/Montevideo", "en")})
    organizer = users[8801]
    await set_role(bot.db, 8801, Role.organizer)
    group = bot.emulator.group(chat_id=-100_8800, title="Red", added_by=organizer)

    await organizer.send("/events", chat=group)
    listed = await group.next_message()
    assert "Competency certification" in listed.text
    assert "SENAI only" not in listed.text and "vc-senai-only" not in listed.text
    assert "🆔" not in listed.text  # organizer ids stay in the private chat

    await organizer.send("/events")  # in private, the organizer sees both, with ids
    private = await organizer.next_message()
    assert "SENAI only" in private.text and "vc-senai-only" in private.text


async def test_a_group_list_keeps_its_language_when_someone_else_turns_the_page(
    bot: LocalBot,
) -> None:
    """Ana asks in Spanish; Grace (English, Jamaica) taps ▶: everyone reads the next page in
    Spanish still, each event in its own zone, not Grace's."""
    for n in range(7):
        event = upcoming(id=f"vc-g{n}", title={"es": f"Charla {n}", "en": f"Talk {n}"})
        await add_event(bot.db, event)
    users = await onboarded(
        bot, {8811: ("America/Montevideo", "es"), 8812: ("America/Jamaica", "en")}
    )
    ana, grace = users[8811], users[8812]
    group = bot.emulator.group(chat_id=-100_8810, title="Red", added_by=ana)
    await ana.send("/events", chat=group)
    listed = await group.next_message()
    assert "Próximos eventos" in listed.text and "página 1 de 2" in listed.text
    edits = listed.edits
    await grace.press(listed, "▶")
    await bot.emulator.wait_for(lambda: listed.edits > edits)
    assert "página 2 de 2" in listed.text and "Charla" in listed.text
    assert "Upcoming" not in listed.text and "Talk" not in listed.text
    assert "Jamaica" not in listed.text
