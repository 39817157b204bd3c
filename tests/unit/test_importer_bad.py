"""Bad import files: each gives one clear ``path: message`` (and, in tests/storage,
writes nothing). None may crash the checker (RecursionError, TypeError...)."""

from __future__ import annotations

import pytest

from bot.importer.network_file import parse_network_files
from bot.importer.schema import NetworkFileError
from bot.importer.worker import parse_in_process

ICS = (
    "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\nBEGIN:VEVENT\r\n"
    "UID:e1@example.org\r\nSUMMARY:Big Data\r\n{}\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
)
LONG_CELL = "x" * (128 * 1024)

BAD_FILES: list[tuple[str, bytes, str]] = [
    (
        "deep.yaml",
        b"faq: " + b"[" * 3000 + b"]" * 3000,
        "deep.yaml: nested too deeply (at most 20 levels; line 1)",
    ),
    (
        "deep.yaml",
        b"faq:\n - id: a\n   question: q\n   answer: a\n   keywords: {es: "
        + b"[" * 400
        + b"]" * 400
        + b"}\n",
        "deep.yaml: nested too deeply (at most 20 levels; line 5)",
    ),
    (
        "deep.json",
        b'{"faq": ' + b"[" * 3000 + b"]" * 3000 + b"}",
        "deep.json: nested too deeply (at most 20 levels)",
    ),
    (
        "deep.json",
        b'{"faq": ' + b"[" * 100 + b"]" * 100 + b"}",
        "deep.json: nested too deeply (at most 20 levels)",
    ),
    (
        "faq.csv",
        f"id,question,answer\nhow,{LONG_CELL},yes\n".encode(),
        "faq.csv: line 2, column question: too long (131,072 characters; at most 10,000)",
    ),
    (
        "faq.csv",
        f"id,question,answer\nhow,{LONG_CELL}xx,yes\n".encode(),
        "faq.csv: line 2: a cell is too long (at most 10,000 characters)",
    ),
    (
        "courses.csv",
        b"id,title,title_es\nbig-data,Big Data,Big Data\n",
        "courses.csv: line 1: columns 'title' and 'title_es' both give title; "
        "use either title or title_es, title_pt, title_en",
    ),
    (
        "courses.csv",
        b"id,title_es,id\nbig-data,Big Data,other\n",
        "courses.csv: line 1: column 'id' appears twice",
    ),
    (
        "cal.ics",
        ICS.format("DTSTART;VALUE=DATE:99999999").encode(),
        "cal.ics: events[0].starts: '99999999' is not a valid date or time",
    ),
    (
        "cal.ics",
        ICS.format("DTSTART;TZID=Mars/Olympus:20250101T100000").encode(),
        "events[0].timezone: unknown time zone 'Mars/Olympus'",
    ),
    (
        "cal.ics",
        ICS.format(
            "DTSTART;TZID=America/Montevideo:20250101T100000\r\nRRULE:FREQ=WEEKLY;COUNT=5"
        ).encode(),
        "cal.ics: events[0]: recurring events are not supported; list each occurrence",
    ),
    (
        "cal.ics",
        ICS.format("DTSTART:20250101T100000Z\r\nRDATE:20250108T100000Z").encode(),
        "cal.ics: events[0]: recurring events are not supported; list each occurrence",
    ),
]


@pytest.mark.parametrize(("name", "content", "expected"), BAD_FILES)
def test_bad_file_gives_one_clear_problem(name: str, content: bytes, expected: str) -> None:
    with pytest.raises(NetworkFileError) as caught:
        parse_network_files([(name, content)])
    assert caught.value.errors == [expected]


def test_legal_nesting_and_language_columns_still_pass() -> None:
    csv_file = b"id,title_es,title_pt\nbig-data,Big Data,Big Data\n"
    data = parse_network_files([("courses.csv", csv_file)])
    assert data.courses[0].title == {"es": "Big Data", "pt": "Big Data"}
    ics = ICS.format("DTSTART;TZID=Europe/Madrid:20250101T100000").encode()
    event = parse_network_files([("cal.ics", ics)]).events[0]
    assert event.timezone == "Europe/Madrid" and event.starts_at.hour == 9


def test_the_worker_process_gives_the_same_answers() -> None:
    name, content, expected = BAD_FILES[6]
    with pytest.raises(NetworkFileError) as caught:
        parse_in_process([(name, content)], default_language="es", default_timezone="UTC")
    assert caught.value.errors == [expected]
    good = parse_in_process(
        [("courses.csv", b"id,title\nbig-data,Big Data\n")],
        default_language="es",
        default_timezone="UTC",
    )
    assert good.courses[0].title == {"es": "Big Data"}


def test_checking_has_a_time_cap() -> None:
    files = [("network.yaml", b"version: 1\nfaq: []\n")]
    with pytest.raises(NetworkFileError) as caught:
        parse_in_process(files, default_language="es", default_timezone="UTC", timeout=0.01)
    assert caught.value.errors == [
        "network.yaml: checking took longer than 0.01 s, the limit; split the data into "
        "smaller files (each at most 5 MB and 20,000 records per section)"
    ]
