"""The network data file: every rule of shared/specs/network-data.md, all or nothing (the
import into SQLite and PostgreSQL is in tests/storage/test_network_import.py)."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
import yaml

from bot.core.timeparse import format_duration_code, parse_duration
from bot.devtools.sample import SAMPLE_FILE
from bot.importer.network_file import parse_network_files
from bot.importer.schema import NetworkFileError

GOOD = b"""
version: 1
institutions:
  - id: inefop
    acronym: INEFOP
    name: {es: Instituto Nacional de Empleo y Formacion Profesional}
    country: UY
    timezone: America/Montevideo
    languages: [es]
events:
  - id: vc-2020-03-26
    title: {en: "COVID-19: the response of VTIs", es: "COVID-19: la respuesta de las IFP"}
    starts: 2020-03-26T14:00
    ends: 2020-03-26T15:30
    timezone: America/Montevideo
    reminders: [24h, 1h, 0m]
  - id: tc-46
    title: Comision Tecnica
    kind: meeting
    starts: 2023-10-04
    ends: 2023-10-06
    timezone: America/Santo_Domingo
    audience: [country:UY, language:es]
"""


def errors_of(*files: tuple[str, bytes]) -> list[str]:
    with pytest.raises(NetworkFileError) as caught:
        parse_network_files(list(files))
    return caught.value.errors


def test_sample_file_is_valid() -> None:
    data = parse_network_files([("network.yaml", SAMPLE_FILE.read_bytes())])
    assert len(data.institutions) >= 50 and len(data.courses) >= 15
    assert len(data.events) >= 40 and len(data.faq) >= 15 and len(data.surveys) >= 2
    assert b"@" not in SAMPLE_FILE.read_bytes()  # no e-mail addresses


def test_local_times_become_utc_and_dates_make_all_day_events() -> None:
    data = parse_network_files([("n.yaml", GOOD)])
    vc = next(e for e in data.events if e.id == "vc-2020-03-26")
    assert vc.starts_at == datetime(2020, 3, 26, 17, 0, tzinfo=UTC)
    assert vc.ends_at == datetime(2020, 3, 26, 18, 30, tzinfo=UTC)
    assert vc.reminders == [1440, 60, 0] and not vc.all_day
    tc = next(e for e in data.events if e.id == "tc-46")
    assert tc.all_day and tc.starts_at == datetime(2023, 10, 4, 4, 0, tzinfo=UTC)
    assert tc.ends_at == datetime(2023, 10, 7, 4, 0, tzinfo=UTC)  # the day after the last day
    assert tc.audience == ["country:UY", "language:es"]
    assert vc.title["en"].startswith("COVID") and tc.title == {"es": "Comision Tecnica"}


def test_every_problem_is_listed_with_its_path() -> None:
    bad = b"""
version: 1
events:
  - id: ok-1
    title: x
    starts: 2026-03-01T10:00
    timezone: America/Montevideo
  - id: ok-1
    title: duplicate
    starts: 2026-03-01T10:00
    timezone: America/Montevideo
  - id: Bad Id
    title: x
    starts: 2026-03-01T10:00
    timezone: America/Montevido
    colour: red
  - id: backwards
    title: x
    starts: 2026-03-01T10:00
    ends: 2026-03-01T09:00
    timezone: America/Montevideo
  - id: gap
    title: x
    starts: 2026-03-29T02:30
    timezone: Europe/Madrid
  - id: twice
    title: x
    starts: 2026-04-04T23:30
    timezone: America/Santiago
courses:
  - id: c1
    title: {es: x, fr: y}
    hours: many
    modality: underwater
"""
    errors = errors_of(("network.yaml", bad))
    expected = [
        "events[1].id: duplicate id 'ok-1' (first at events[0])",
        "events[2].colour: unknown key",
        "events[2].timezone: unknown time zone 'America/Montevido'",
        "events[3].ends: is before starts",
        "events[4].starts: 2026-03-29T02:30 does not exist in Europe/Madrid",
        "events[5].starts: 2026-04-04T23:30 happens twice in America/Santiago",
        "courses[0].hours: must be a number",
        "courses[0].modality: must be 'online', 'blended' or 'in-person'",
    ]
    for line in expected:
        assert any(e.startswith(line) for e in errors), (line, errors)
    assert any(e.startswith("events[2].id: 'Bad Id' is not a valid id") for e in errors)


def test_survey_rules() -> None:
    bad = b"""
version: 1
surveys:
  - id: s1
    title: Survey
    questions:
      - id: a
        kind: single
        text: Which?
        options: [{id: x, text: X}]
      - id: b
        kind: text
        text: Why?
        show_if: {question: c, in: [x]}
      - id: c
        kind: scale
        text: How much?
        min: 1
        max: 50
      - id: e
        kind: yesno
        text: Fine?
      - id: d
        kind: multiple
        text: Which ones?
        options: [{id: x, text: X}, {id: y, text: Y}]
        show_if: {question: e, in: [maybe]}
"""
    errors = errors_of(("s.yaml", bad))
    assert "surveys[0].questions[0].options: a single question needs at least 2 options" in errors
    assert (
        "surveys[0].questions[1].show_if.question: 'c' is not an earlier question of this survey"
        in errors
    )
    assert any(e.startswith("surveys[0].questions[2].max: a scale goes") for e in errors)
    assert any(e.startswith("surveys[0].questions[4].show_if.in:") for e in errors)


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("n.yaml", b"events: [unclosed", "n.yaml: not valid YAML (line 1)"),
        ("n.yaml", b"just a sentence", "n.yaml: expected a mapping with sections"),
        ("n.yaml", b"", "n.yaml: the file is empty"),
        ("n.json", b"{not json", "n.json: not valid JSON"),
        ("n.yaml", b"\xff\xfe\x00garbage", "n.yaml: not a UTF-8 text file"),
        ("n.yaml", b"version: 2\n", "version: unsupported format version 2"),
        ("n.yaml", b"version: 1\nspeakers: []\n", "speakers: unknown section"),
        ("n.yaml", b"a: &x [1]\nb: *x\n", "n.yaml: not valid YAML (line 2)"),
        ("n.yaml", b"version: 1\nversion: 1\n", "n.yaml: not valid YAML"),
        ("notes.csv", b"id\nx\n", "notes.csv: a CSV file is named after its section"),
        ("cal.ics", b"BEGIN:VCALENDAR\nnot really", "cal.ics: not a valid iCalendar file"),
    ],
)
def test_broken_files(name: str, content: bytes, expected: str) -> None:
    errors = errors_of((name, content))
    assert any(e.startswith(expected) for e in errors), errors


def test_oversize_file_is_refused_before_parsing() -> None:
    errors = errors_of(("big.yaml", b"#" * (50 * 1024 * 1024)))
    assert errors == ["big.yaml: file too large (52.4 MB; the limit is 5 MB)"]


def test_json_csv_and_ics_inputs() -> None:
    as_json = json.dumps(yaml.safe_load(GOOD), default=str)
    courses_csv = (
        "id,title_es,title_pt,topics,languages,starts,ends,certificate,hours\n"
        "big-data,Big Data,Big Data,big-data;skills,es;pt,2022-04-06,2022-07-29,sí,40\n"
    ).encode()
    calendar = (
        b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\nBEGIN:VEVENT\r\n"
        b"UID:vc-2022-05-11@example.org\r\nSUMMARY:Big Data y competencias\r\n"
        b"DTSTART;TZID=America/Montevideo:20220511T140000\r\nDURATION:PT1H30M\r\n"
        b"URL:https://example.org/j/1\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    data = parse_network_files(
        [("n.json", as_json.encode()), ("courses.csv", courses_csv), ("cal.ics", calendar)]
    )
    course = data.courses[0]
    assert course.title == {"es": "Big Data", "pt": "Big Data"}
    assert course.topics == ["big-data", "skills"] and course.languages == ["es", "pt"]
    assert course.certificate is True and course.hours == 40
    ics = next(e for e in data.events if e.id == "vc-2022-05-11")
    assert ics.starts_at == datetime(2022, 5, 11, 17, 0, tzinfo=UTC)
    assert ics.ends_at == datetime(2022, 5, 11, 18, 30, tzinfo=UTC)
    assert ics.join_url == "https://example.org/j/1" and ics.timezone == "America/Montevideo"


def test_durations() -> None:
    assert [parse_duration(x) for x in ("90m", "1h30m", "2d", "0m", "24h")] == [
        90,
        90,
        2880,
        0,
        1440,
    ]
    assert [format_duration_code(m) for m in (90, 2880, 0, 1440)] == ["1h30m", "2d", "0m", "1d"]
    with pytest.raises(ValueError):
        parse_duration("soon")
