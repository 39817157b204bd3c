"""Issue 15, pure parts: the organizer's time only when it differs, short event ids, the
plural of the import's problems."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from bot.core.i18n import Translator
from bot.core.ids import SHORT_ID_CHARS, SLUG, short_id
from bot.render.cards import event_when
from handlers.imports import errors_text
from storage.models import Event

START = datetime(2026, 12, 3, 17, 0, tzinfo=UTC)


def event(zone: str) -> Event:
    return Event(
        id="e",
        title={"es": "E"},
        starts_at=START,
        ends_at=START + timedelta(hours=1),
        timezone=zone,
    )


def test_the_time_is_shown_once_when_the_zones_read_the_same() -> None:
    tr = Translator("es")
    same = event_when(event("America/Montevideo"), "America/Montevideo", tr)
    assert same.count("14:00") == 1 and "organizador" not in same
    neighbour = event_when(event("America/Montevideo"), "America/Sao_Paulo", tr)
    assert neighbour.count("14:00") == 1  # same offset at that moment: no repetition
    other = event_when(event("America/Montevideo"), "Europe/Madrid", tr)
    assert "18:00" in other and "14:00" in other


def test_short_ids_say_nothing_of_the_date() -> None:
    made = {short_id("Jornada de formación dual sobre competencias 2026") for _ in range(50)}
    assert len(made) > 40  # a random suffix
    for made_id in made:
        assert SLUG.match(made_id) and len(made_id) <= SHORT_ID_CHARS
        assert made_id.startswith("jornada-de-")
        assert not re.search(r"20\d\d", made_id)
    assert len(short_id("x" * 80)) <= SHORT_ID_CHARS
    assert SLUG.match(short_id("¿?"))


def test_one_problem_is_singular() -> None:
    assert "the file has 1 problem." in errors_text(["a: b"], Translator("en"))
    assert "the file has 2 problems." in errors_text(["a: b", "c: d"], Translator("en"))
    assert "1 problema." in errors_text(["a: b"], Translator("es"))
