"""The record checks of bot/importer/checks/, through parse_network_files on small
in-memory YAML, CSV and iCalendar documents: every problem as ``path: message``."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest

from bot.core.records import NetworkData
from bot.importer.network_file import parse_network_files
from bot.importer.schema import NetworkFileError
from bot.render.cards import topic_label

ERROR_LINE = re.compile(r"^(?:[\w.-]+: )?[a-z_]+(?:\[\d+\])?(?:\.[\w-]+(?:\[\d+\])?)*: \S.*$")


def errors_of(*files: tuple[str, bytes]) -> list[str]:
    with pytest.raises(NetworkFileError) as caught:
        parse_network_files(list(files))
    errors = caught.value.errors
    assert errors and all(ERROR_LINE.match(e) for e in errors), errors
    return errors


def yaml_events(*events: str) -> bytes:
    body = "".join(f"  - {e.strip()}\n" for e in events)
    return f"version: 1\nevents:\n{body}".encode()


def event(id_: str, starts: str, zone: str, extra: str = "") -> str:
    lines = [f"id: {id_}", "title: x", f"starts: {starts}", f"timezone: {zone}"]
    lines += [line.strip() for line in extra.strip().splitlines() if line.strip()]
    return "\n    ".join(lines)


def ok(*files: tuple[str, bytes]) -> NetworkData:
    return parse_network_files(list(files))


# ------------------------------------------------------------------ local times
@pytest.mark.parametrize(
    ("starts", "zone", "message"),
    [
        ("2026-09-06T00:30", "America/Santiago", "2026-09-06T00:30 does not exist in"),
        ("2024-10-06T00:15", "America/Asuncion", "2024-10-06T00:15 does not exist in"),
        ("2026-03-29T02:30", "Europe/Madrid", "2026-03-29T02:30 does not exist in"),
        ("2026-04-04T23:30", "America/Santiago", "2026-04-04T23:30 happens twice in"),
        ("2024-03-23T23:30", "America/Asuncion", "2024-03-23T23:30 happens twice in"),
        ("2026-10-25T02:30", "Europe/Madrid", "2026-10-25T02:30 happens twice in"),
    ],
)
def test_daylight_saving_times_are_refused_with_their_path(
    starts: str, zone: str, message: str
) -> None:
    errors = errors_of(("n.yaml", yaml_events(event("e1", starts, zone))))
    assert len(errors) == 1 and errors[0].startswith(f"events[0].starts: {message} {zone}")


def test_an_end_in_a_gap_is_reported_on_ends() -> None:
    bad = event("e1", "2026-03-28T23:00", "Europe/Madrid", "ends: 2026-03-29T02:15")
    assert errors_of(("n.yaml", yaml_events(bad))) == [
        "events[0].ends: 2026-03-29T02:15 does not exist in Europe/Madrid "
        "(the clocks skip that hour)"
    ]


def test_times_next_to_a_gap_are_fine() -> None:
    data = ok(
        (
            "n.yaml",
            yaml_events(
                event("before", "2026-03-29T00:59", "Europe/Madrid"),
                event("after", "2026-03-29T03:00", "Europe/Madrid"),
                event("santiago", "2026-09-06T01:00", "America/Santiago"),
            ),
        )
    )
    starts = {e.id: e.starts_at for e in data.events}
    assert starts == {
        "before": datetime(2026, 3, 28, 23, 59, tzinfo=UTC),
        "after": datetime(2026, 3, 29, 1, 0, tzinfo=UTC),
        "santiago": datetime(2026, 9, 6, 4, 0, tzinfo=UTC),
    }
    assert all(e.ends_at - e.starts_at == timedelta(hours=1) for e in data.events)


def test_a_duration_is_real_time_across_a_clock_change() -> None:
    spring = event("spring", "2026-03-29T01:30", "Europe/Madrid", "duration: 1h")
    autumn = event("autumn", "2026-10-25T01:30", "Europe/Madrid", "duration: 2h")
    data = ok(("n.yaml", yaml_events(spring, autumn)))
    lengths = [e.ends_at - e.starts_at for e in data.events]
    assert lengths == [timedelta(hours=1), timedelta(hours=2)]


def test_a_survey_opening_in_a_gap_is_refused() -> None:
    survey = b"""
version: 1
surveys:
  - id: s1
    title: S
    timezone: Europe/Madrid
    opens: 2026-03-29T02:30
    closes: 2026-03-28
    questions:
      - {id: q, kind: yesno, text: "ok?"}
"""
    assert errors_of(("s.yaml", survey)) == [
        "surveys[0].opens: 2026-03-29T02:30 does not exist in Europe/Madrid "
        "(the clocks skip that hour)"
    ]


# ------------------------------------------------------------------ other rules
def test_event_rules_each_reported() -> None:
    bad = event(
        "e1",
        "2026-03-01T10:00",
        "America/Montevideo",
        """
        reminders: [soon, 40d]
        audience: [planet:mars]
        duration: 2h
        ends: 2026-03-01T11:00
        join_url: not-a-link
        feedback_survey: Bad Survey
        """,
    )
    assert errors_of(("n.yaml", yaml_events(bad))) == [
        "events[0].duration: give ends or duration, not both",
        "events[0].reminders[0]: 'soon' is not a duration like 90m, 1h30m or 2d",
        "events[0].reminders[1]: at most 30 days before the start",
        "events[0].audience: unknown audience selector 'planet:mars'",
        "events[0].join_url: 'not-a-link' is not an http(s) link",
        "events[0].feedback_survey: 'Bad Survey' is not a valid survey id",
    ]


def test_group_audiences_are_for_broadcasts_only() -> None:
    bad = event("e1", "2026-03-01T10:00", "UTC", "audience: [group:all]")
    assert errors_of(("n.yaml", yaml_events(bad))) == [
        "events[0].audience: group selectors are for broadcasts, not for file audiences"
    ]


def test_event_length_limits() -> None:
    errors = errors_of(
        (
            "n.yaml",
            yaml_events(
                event("same", "2026-03-01T10:00", "UTC", "ends: 2026-03-01T10:00"),
                event("long", "2026-03-01", "UTC", "ends: 2026-04-15"),
                event("mixed", "2026-03-01", "UTC", "ends: 2026-03-02T10:00"),
            ),
        )
    )
    assert errors == [
        "events[0].ends: equals starts",
        "events[1].ends: an event lasts at most 31 days",
        "events[2].ends: a date-only event ends on a date too",
    ]


def test_audiences_are_normalised_and_reminders_sorted() -> None:
    good = event(
        "e1", "2026-03-01T10:00", "UTC", "audience: ['country:uy', all]\n reminders: [1h, 1d, 1h]"
    )
    record = ok(("n.yaml", yaml_events(good))).events[0]
    assert record.audience == ["country:UY"] and record.reminders == [1440, 60]
    assert record.ends_at - record.starts_at == timedelta(hours=1)


def test_institution_and_faq_rules_across_two_files() -> None:
    institutions = b"""
version: 1
institutions:
  - {id: x, acronym: X, name: X, country: uyy, timezone: Mars/Base, languages: [es, fr]}
"""
    faq = b"version: 1\nfaq:\n  - {id: f, question: q}\n"
    assert errors_of(("a.yaml", institutions), ("b.yaml", faq)) == [
        "a.yaml: institutions[0].country: 'uyy' is not an ISO 3166 country code (e.g. UY)",
        "a.yaml: institutions[0].timezone: unknown time zone 'Mars/Base'",
        "a.yaml: institutions[0].languages[1]: unknown language 'fr' (use es, pt or en)",
        "b.yaml: faq[0].answer: is required",
    ]


def test_texts_rules() -> None:
    bad = b"""
version: 1
courses:
  - {id: c1, title: {fr: Titre}}
  - {id: c2, title: {es: "   "}}
"""
    assert errors_of(("c.yaml", bad)) == [
        "courses[0].title.fr: unknown language (use es, pt or en)",
        "courses[1].title.es: must be non-empty text",
    ]


@pytest.mark.xfail(
    strict=True,
    reason="BUG in bot/importer/checks/fields.py (Collector.pydantic): a value that fits neither "
    "branch of a text field's union (str | dict) is reported twice with pydantic's branch "
    "names in the path: 'courses[0].summary.constrained-str: must be text' and "
    "'courses[0].summary.dict[constrained-str,any]: must be a mapping'",
)
def test_a_text_field_of_the_wrong_type_is_one_error_on_its_own_path() -> None:
    bad = b"version: 1\ncourses:\n  - {id: c1, title: {es: ok}, summary: [not, text]}\n"
    assert errors_of(("c.yaml", bad)) == [
        "courses[0].summary: must be text or a map of es/pt/en to text"
    ]


# ------------------------------------------------------------------ CSV and iCalendar
def test_csv_rows_are_checked_like_yaml_records() -> None:
    courses = (
        b"id,title_es,title_pt,starts,ends,topics\n"
        b"c-1,Curso,Curso,2026-05-01,2026-04-01,green-jobs\n"
        b"Bad,Otro,,2026-13-01,,!?!\n"
    )
    assert errors_of(("courses.csv", courses)) == [
        "courses[0].ends: is before starts",
        "courses[1].id: 'Bad' is not a valid id (lowercase letters, digits and -, "
        "starting with a letter or digit, at most 64)",
        "courses[1].starts: '2026-13-01' is not a valid date",
        "courses[1].topics[0]: '!?!' is not a valid topic (like green jobs)",
    ]


def test_csv_values_are_read() -> None:
    courses = (
        b"id,title_es,title_en,languages,certificate,hours\n"
        b'c-1,Curso,Course,es;en,s\xc3\xad,"12,5"\n'
    )
    course = ok(("courses.csv", courses)).courses[0]
    assert course.title == {"es": "Curso", "en": "Course"}
    assert course.languages == ["es", "en"] and course.certificate is True and course.hours == 12.5


def calendar(*events: bytes) -> bytes:
    return (
        b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\n"
        + b"".join(events)
        + b"END:VCALENDAR\r\n"
    )


def vevent(uid: bytes, start: bytes, extra: bytes = b"DURATION:PT1H\r\n") -> bytes:
    return (
        b"BEGIN:VEVENT\r\nUID:"
        + uid
        + b"\r\nSUMMARY:Evento\r\nDTSTART;TZID="
        + start
        + b"\r\n"
        + extra
        + b"END:VEVENT\r\n"
    )


def test_ics_times_in_a_gap_or_overlap_are_refused() -> None:
    ics = calendar(
        vevent(b"gap@x.org", b"Europe/Madrid:20260329T023000"),
        vevent(b"twice@x.org", b"America/Santiago:20260404T233000"),
        vevent(b"fine@x.org", b"America/Asuncion:20260320T100000"),
    )
    assert errors_of(("cal.ics", ics)) == [
        "events[0].starts: 2026-03-29T02:30 does not exist in Europe/Madrid "
        "(the clocks skip that hour)",
        "events[1].starts: 2026-04-04T23:30 happens twice in America/Santiago "
        "(the clocks go back); choose another time",
    ]


def test_ics_events_become_records() -> None:
    ics = calendar(
        vevent(
            b"Taller-Formacion@x.org",
            b"America/Santiago:20260906T100000",
            b"DTEND;TZID=America/Santiago:20260906T113000\r\nSTATUS:CANCELLED\r\n",
        )
    )
    record = ok(("cal.ics", ics)).events[0]
    assert record.id == "taller-formacion" and record.timezone == "America/Santiago"
    assert record.starts_at == datetime(2026, 9, 6, 13, 0, tzinfo=UTC)  # -03 after the change
    assert record.ends_at == datetime(2026, 9, 6, 14, 30, tzinfo=UTC)
    assert record.status == "cancelled" and record.title == {"es": "Evento"}


# ------------------------------------------------------------------ issue 15: files people write
def test_topics_as_people_write_them_and_their_labels() -> None:
    data = parse_network_files(
        [
            (
                "n.yaml",
                b"courses:\n  - {id: c1, title: T, topics: [big data, Industria 4.0, Big-Data]}\n"
                b"topics:\n  - {id: Big Data, text: {es: Datos masivos, en: Big data}}\n",
            )
        ]
    )
    assert data.courses[0].topics == ["big-data", "industria-4-0"]
    assert data.courses[0].topic_names == {"big-data": "big data", "industria-4-0": "Industria 4.0"}
    assert [(t.id, t.text) for t in data.topics] == [
        ("big-data", {"es": "Datos masivos", "en": "Big data"})
    ]


def test_topic_labels_in_the_reader_language_else_as_written() -> None:
    labels = {"big-data": {"es": "Datos masivos", "en": "Big data"}, "msme": {"*": "MSME"}}
    assert topic_label("big-data", "es", labels) == "Datos masivos"
    assert topic_label("big-data", "pt", labels) in ("Datos masivos", "Big data")
    assert topic_label("msme", "pt", labels) == "MSME"
    assert topic_label("industry-4-0", "en", {}) == "industry-4-0"  # as written, not "Industry 4 0"


def test_a_country_code_must_be_a_country() -> None:
    bad = b"institutions:\n  - {id: i1, acronym: I, name: I, country: XX, timezone: UTC}\n"
    assert errors_of(("i.yaml", bad)) == [
        "institutions[0].country: 'XX' is not an ISO 3166 country code (e.g. UY)"
    ]
    good = bad.replace(b"XX", b"uy")
    assert parse_network_files([("i.yaml", good)]).institutions[0].country == "UY"


def test_a_duration_in_minutes_as_a_number() -> None:
    event = (
        b"events:\n  - {id: e1, title: E, starts: 2026-03-01T10:00, timezone: UTC, duration: 60}\n"
    )
    record = parse_network_files([("e.yaml", event)]).events[0]
    assert record.ends_at - record.starts_at == timedelta(minutes=60)
