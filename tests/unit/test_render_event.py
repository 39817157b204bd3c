"""An event as a calendar file and as a card, from storage.models objects built in memory
(no database): the right local time for readers in three zones and languages."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import icalendar
import pytest

from bot.core.i18n import Translator
from bot.render.cards import event_card, event_when
from bot.render.ics import event_to_ics
from bot.render.notices import render_notice
from storage.models import Event, Member

START = datetime(2026, 12, 3, 17, 0, tzinfo=UTC)  # 14:00 in Montevideo
NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)


def webinar(**changes: Any) -> Event:
    values: dict[str, Any] = {
        "id": "vc-cert",
        "title": {"es": "Certificación", "pt": "Certificação", "en": "Certification"},
        "description": {"es": "Detalles", "en": "Details"},
        "kind": "webinar",
        "starts_at": START,
        "ends_at": START + timedelta(minutes=90),
        "timezone": "America/Montevideo",
        "platform": "Zoom",
        "join_url": "https://example.org/j/42",
    }
    values.update(changes)
    return Event(**values)


def reader(zone: str, language: str, onboarded: bool = True) -> Member:
    return Member(user_id=1, chat_id=1, language=language, timezone=zone, onboarded=onboarded)


def vevent(data: bytes) -> Any:
    calendar = icalendar.Calendar.from_ical(data)
    events = list(calendar.walk("VEVENT"))
    assert len(events) == 1
    return events[0]


# ------------------------------------------------------------------ iCalendar
def test_ics_is_one_vevent_in_utc_with_a_stable_uid() -> None:
    item = vevent(event_to_ics(webinar(), "pt", NOW, include_link=True))
    start, end = item.get("dtstart"), item.get("dtend")
    assert start.dt == START and start.dt.utcoffset() == timedelta(0)
    assert end.dt == START + timedelta(minutes=90)
    assert "TZID" not in start.params and "TZID" not in end.params  # UTC, written with Z
    assert str(item.get("uid")) == "vc-cert@cinterfor-bot"
    assert item.get("dtstamp").dt == NOW
    assert str(item.get("summary")) == "Certificação"
    assert str(item.get("description")) == "Detalles\n\nhttps://example.org/j/42"  # es fallback
    assert str(item.get("url")) == "https://example.org/j/42"
    assert item.get("status") is None
    assert b"DTSTART:20261203T170000Z" in event_to_ics(webinar(), "pt", NOW, include_link=True)


def test_ics_without_the_link_for_readers_who_may_not_see_it() -> None:
    data = event_to_ics(webinar(), "en", NOW, include_link=False)
    item = vevent(data)
    assert str(item.get("description")) == "Details" and item.get("url") is None
    assert b"example.org" not in data


def test_all_day_ics_uses_dates_in_the_events_own_zone() -> None:
    # 4 to 6 October in Santo Domingo (UTC-4): stored as 04:00 UTC on the 4th to the 7th
    event = webinar(
        id="tc-46",
        all_day=True,
        timezone="America/Santo_Domingo",
        starts_at=datetime(2023, 10, 4, 4, 0, tzinfo=UTC),
        ends_at=datetime(2023, 10, 7, 4, 0, tzinfo=UTC),
        status="cancelled",
        join_url=None,
    )
    data = event_to_ics(event, "es", NOW, include_link=True)
    item = vevent(data)
    assert item.get("dtstart").dt == date(2023, 10, 4)
    assert item.get("dtend").dt == date(2023, 10, 7)  # exclusive, as iCalendar wants
    assert b"DTSTART;VALUE=DATE:20231004" in data
    assert str(item.get("status")) == "CANCELLED"
    assert str(item.get("uid")) == "tc-46@cinterfor-bot"


# ------------------------------------------------------------------ cards
@pytest.mark.parametrize(
    ("zone", "language", "when"),
    [
        (
            "America/Montevideo",
            "es",
            "🗓 jueves, 3 de diciembre de 2026, 14:00 (Montevideo)",
        ),
        (
            "Europe/Madrid",
            "pt",
            "🗓 quinta-feira, 3 de dezembro de 2026, 18:00 (Madri)"
            " · 14:00 em Montevidéu, horário do organizador",
        ),
        (
            "America/Mexico_City",
            "en",
            "🗓 Thursday, December 3, 2026, 11:00\u202fAM (Mexico City)"
            " · 2:00\u202fPM in Montevideo, the organizer's time",
        ),
    ],
)
def test_event_card_shows_the_readers_local_time(zone: str, language: str, when: str) -> None:
    card = event_card(
        webinar(), reader(zone, language), Translator(language), "es", "testbot", visible=True
    )
    lines = card.split("\n")
    assert lines[0] == "<b>" + webinar().title[language] + "</b>"
    assert lines[2] == when
    assert "https://example.org/j/42" in card
    assert lines[-1].endswith("https://t.me/testbot?start=event-vc-cert")


def test_event_card_in_spanish_line_by_line() -> None:
    card = event_card(
        webinar(),
        reader("America/Montevideo", "es"),
        Translator("es"),
        "es",
        "testbot",
        visible=True,
    )
    assert card.split("\n") == [
        "<b>Certificación</b>",
        "Seminario web",
        "🗓 jueves, 3 de diciembre de 2026, 14:00 (Montevideo)",
        "Duración: 1 hora y 30 minutos",
        "Plataforma: Zoom",
        "Enlace: https://example.org/j/42",
        "",
        "Detalles",
        "",
        "Compartir: https://t.me/testbot?start=event-vc-cert",
    ]


def test_event_card_time_follows_each_zones_daylight_saving() -> None:
    # In July Madrid is UTC+2 and Montevideo UTC-3: five hours apart, not four.
    july = webinar(starts_at=datetime(2026, 7, 2, 17, 0, tzinfo=UTC))
    july.ends_at = july.starts_at + timedelta(hours=1)
    when = event_when(july, "Europe/Madrid", Translator("es"))
    assert (
        when
        == "jueves, 2 de julio de 2026, 19:00 (Madrid) · 14:00 en Montevideo, hora del organizador"
    )


def test_event_card_hides_the_link_from_visitors_and_escapes_html() -> None:
    event = webinar(title={"es": "I+D <en> formación & empleo"}, status="cancelled")
    card = event_card(
        event,
        reader("America/Montevideo", "en", onboarded=False),
        Translator("en"),
        "es",
        "b",
        visible=True,
    )
    assert card.startswith("<b>I+D &lt;en&gt; formación &amp; empleo</b>\nWebinar\n")
    assert "⚠️ This event was cancelled." in card
    assert "example.org" not in card and "/start" not in card  # no link to join a cancelled event
    on = webinar(title={"es": "I+D"})
    visitor = reader("America/Montevideo", "en", onboarded=False)
    card = event_card(on, visitor, Translator("en"), "es", "b", visible=True)
    assert "example.org" not in card
    assert "The link is shown to registered members: send /start first." in card
    member = reader("America/Montevideo", "en", onboarded=True)
    assert "example.org" in event_card(on, member, Translator("en"), "es", "b", visible=True)
    assert "example.org" not in event_card(event, member, Translator("en"), "es", "b", visible=True)


def test_all_day_event_card_shows_its_days_in_the_events_zone() -> None:
    event = webinar(
        all_day=True,
        timezone="America/Santo_Domingo",
        starts_at=datetime(2023, 10, 4, 4, 0, tzinfo=UTC),
        ends_at=datetime(2023, 10, 7, 4, 0, tzinfo=UTC),
    )
    # The same days for a reader in Madrid, where 04:00 UTC is already 06:00.
    card = event_card(
        event, reader("Europe/Madrid", "en"), Translator("en"), "es", "b", visible=True
    )
    assert "🗓 Wednesday, October 4, 2023 to Friday, October 6, 2023" in card.split("\n")
    assert "Duration" not in card
    one_day = webinar(
        all_day=True,
        timezone="America/Santo_Domingo",
        starts_at=datetime(2023, 10, 4, 4, 0, tzinfo=UTC),
        ends_at=datetime(2023, 10, 5, 4, 0, tzinfo=UTC),
    )
    assert (
        event_when(one_day, "Asia/Tokyo", Translator("pt")) == "quarta-feira, 4 de outubro de 2023"
    )


# ------------------------------------------------------------------ a move's notice
def test_a_moved_events_notice_says_the_old_start_as_it_was_a_day_or_a_time() -> None:
    """Between an all-day event and a timed one, the old start keeps its own form."""
    madrid = reader("Europe/Madrid", "es")
    midnight = datetime(2026, 12, 3, 3, 0, tzinfo=UTC)  # the 3rd, all day in Montevideo
    was_a_day = webinar(previous_start=midnight, previous_all_day=True)
    text = render_notice(madrid, was_a_day, "moved", NOW, was=midnight)["parts"][0]
    assert "Antes: <s>jueves, 3 de diciembre de 2026</s>" in text  # no "4:00" of Madrid
    was_a_time = webinar(
        starts_at=midnight + timedelta(days=1),
        ends_at=midnight + timedelta(days=2),
        all_day=True,
        previous_start=START,
        previous_all_day=False,
    )
    text = render_notice(madrid, was_a_time, "moved", NOW, was=START)["parts"][0]
    assert "Antes: <s>jueves, 3 de diciembre de 2026, 18:00 (Madrid)</s>" in text
