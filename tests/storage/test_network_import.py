"""Importing the network data file into the store, all or nothing, on SQLite and
PostgreSQL; export → import round-trips. (Moved from tests/unit/test_network_file.py: it
needs databases.)"""

from __future__ import annotations

import yaml
from sqlmodel import func, select

from bot.devtools.sample import SAMPLE_FILE
from bot.importer.load import run_import
from storage.db import Database
from storage.models import Course, Event, Institution, Question, Survey
from storage.network import export_network
from tests.unit.test_network_file import GOOD


async def counts(db: Database) -> dict[str, int]:
    async with db.session() as session:
        result = {}
        for model in (Institution, Course, Event, Survey, Question):
            result[model.__name__] = int(
                (await session.exec(select(func.count()).select_from(model))).one()
            )
        return result


async def do_import(db: Database, *files: tuple[str, bytes], prune: bool = False):  # type: ignore[no-untyped-def]
    return await run_import(
        db,
        list(files),
        default_language="es",
        default_timezone="America/Montevideo",
        prune=prune,
    )


async def test_import_is_all_or_nothing_and_upserts(db: Database) -> None:
    bad = GOOD + b"  - id: broken\n    title: x\n    starts: someday\n    timezone: UTC\n"
    outcome = await do_import(db, ("n.yaml", bad))
    assert not outcome.ok and outcome.errors[0].startswith("events[2].starts:")
    assert (await counts(db))["Event"] == 0 and (await counts(db))["Institution"] == 0

    first = await do_import(db, ("n.yaml", GOOD))
    assert first.summary is not None
    assert first.summary.as_dict()["events"] == {
        "created": 2,
        "updated": 0,
        "unchanged": 0,
        "deleted": 0,
    }
    again = await do_import(db, ("n.yaml", GOOD))
    assert again.summary is not None and again.summary.sections["events"].unchanged == 2

    moved = GOOD.replace(b"2020-03-26T14:00", b"2020-03-26T15:00")
    changed = await do_import(db, ("n.yaml", moved))
    assert changed.summary is not None and changed.summary.moved_events == ["vc-2020-03-26"]
    async with db.session() as session:
        event = await session.get(Event, "vc-2020-03-26")
    assert event is not None and event.revision == 2
    first_start = event.previous_start
    assert first_start is not None and first_start < event.starts_at  # for the move's notice
    assert event.previous_all_day is False  # a time, not a day
    # moved again before members were told, now to a whole day: the notice still says the
    # start they knew, as a time
    whole_day = moved.replace(
        b"starts: 2020-03-26T15:00\n    ends: 2020-03-26T15:30",
        b"starts: 2020-03-27\n    ends: 2020-03-27",
    )
    assert whole_day != moved and (await do_import(db, ("n.yaml", whole_day))).ok
    async with db.session() as session:
        event = await session.get(Event, "vc-2020-03-26")
    assert event is not None and event.revision == 3 and event.all_day
    assert event.previous_start == first_start and event.previous_all_day is False


async def test_references_must_exist(db: Database) -> None:
    ghost = GOOD.replace(b"[country:UY, language:es]", b"[institution:nowhere]")
    outcome = await do_import(db, ("n.yaml", ghost))
    assert outcome.errors == ["events[1].audience: institution:nowhere does not exist"]
    assert (await counts(db))["Event"] == 0


async def test_prune_removes_what_the_file_no_longer_lists(db: Database) -> None:
    await do_import(db, ("n.yaml", GOOD))
    only_one = GOOD.split(b"  - id: tc-46")[0]
    kept = await do_import(db, ("n.yaml", only_one))
    assert kept.summary is not None and (await counts(db))["Event"] == 2
    pruned = await do_import(db, ("n.yaml", only_one), prune=True)
    assert pruned.summary is not None and pruned.summary.sections["events"].deleted == 1
    assert (await counts(db))["Event"] == 1 and (await counts(db))["Institution"] == 1


async def test_export_then_import_round_trips(db: Database) -> None:
    first = await do_import(db, ("network.yaml", SAMPLE_FILE.read_bytes()))
    assert first.summary is not None
    exported = await export_network(db)
    text = yaml.safe_dump(exported, allow_unicode=True, sort_keys=False).encode()
    again = await do_import(db, ("export.yaml", text))
    assert again.summary is not None
    for section, summary in again.summary.sections.items():
        assert summary.created == summary.updated == 0, (section, summary)
    before = await counts(db)
    assert before["Survey"] == 2 and before["Question"] > 5
