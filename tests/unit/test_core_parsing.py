"""bot/core parsers: audience selectors, durations, local times across daylight-saving
changes, ISO stamps, text folding, slugs and zones."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from bot.core.audience import AudienceError, parse_selectors
from bot.core.geo import city_of, country_zones, resolve_zone
from bot.core.ids import SLUG, slugify
from bot.core.text import fold, fold_words
from bot.core.timeparse import (
    format_duration_code,
    known_zone,
    local_to_utc,
    parse_date_only,
    parse_duration,
    parse_stamp,
)


# ------------------------------------------------------------------ audience
@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("all", ["all"]),
        (" ALL ", ["all"]),
        ("Country:uy , LANGUAGE:ES", ["country:UY", "language:es"]),
        ("institution:INEFOP, role:Organizer", ["institution:inefop", "role:organizer"]),
        ("country:uy, country:UY, country:br", ["country:UY", "country:BR"]),  # dupes, in order
        ("all, country:uy", ["country:UY"]),  # "all" ANDed with a kind adds nothing
        ("event:vc-2026-12-03,", ["event:vc-2026-12-03"]),  # a trailing comma
        ("group:-100123456789", ["group:-100123456789"]),
        ("group:all", ["group:all"]),
        (["country:uy", " language:pt "], ["country:UY", "language:pt"]),
    ],
)
def test_selectors_are_normalised(typed: str | list[str], expected: list[str]) -> None:
    assert parse_selectors(typed) == expected


def test_all_twice_is_still_everybody() -> None:
    # It used to drop every "all" when there was more than one item, leaving [].
    assert parse_selectors(["all", "all"]) == ["all"]
    assert parse_selectors("all, ALL") == ["all"]


def test_group_selectors_are_case_insensitive_like_the_others() -> None:
    assert parse_selectors("group:ALL") == ["group:all"]


@pytest.mark.parametrize(
    ("typed", "culprit"),
    [
        ("country:URY", "country:URY"),
        ("country:u1", "country:u1"),
        ("planet:mars", "planet:mars"),
        ("country", "country"),
        ("country:", "country:"),
        ("language:fr", "language:fr"),
        ("role:boss", "role:boss"),
        ("institution:-x", "institution:-x"),
        ("institution:" + "a" * 65, "institution:" + "a" * 65),
        ("group:5", "group:5"),  # group chats have negative ids
        ("group:-١٢٣", "group:-١٢٣"),  # other scripts' digits are not an id
        ("all, country:uy, kind:x", "kind:x"),  # the first bad item is named
    ],
)
def test_bad_selectors_name_the_bad_item(typed: str, culprit: str) -> None:
    with pytest.raises(AudienceError) as caught:
        parse_selectors(typed)
    assert caught.value.selector == culprit


@pytest.mark.parametrize("typed", ["", " , ", []])
def test_nothing_is_not_an_audience(typed: str | list[str]) -> None:
    with pytest.raises(AudienceError):
        parse_selectors(typed)


# ------------------------------------------------------------------ durations
@pytest.mark.parametrize(
    ("text", "minutes"),
    [
        ("90m", 90),
        ("1h30m", 90),
        ("2d", 2880),
        ("0m", 0),
        ("24h", 1440),
        (" 1H 30M ", 90),
        ("1d2h3m", 1563),
    ],
)
def test_parse_duration(text: str, minutes: int) -> None:
    assert parse_duration(text) == minutes


@pytest.mark.parametrize("text", ["", "h", "90", "1m1h", "-5m", "1.5h", "soon", "٣m", "３h"])
def test_parse_duration_refuses(text: str) -> None:
    with pytest.raises(ValueError, match="is not a duration"):
        parse_duration(text)


@pytest.mark.parametrize(
    ("minutes", "code"),
    [(0, "0m"), (1, "1m"), (60, "1h"), (61, "1h1m"), (1440, "1d"), (2970, "2d1h30m")],
)
def test_duration_codes_both_ways(minutes: int, code: str) -> None:
    assert format_duration_code(minutes) == code
    assert parse_duration(code) == minutes


def test_every_duration_code_reads_back() -> None:
    assert all(parse_duration(format_duration_code(m)) == m for m in range(0, 3 * 1440, 7))


# ------------------------------------------------------------------ local times
@pytest.mark.parametrize(
    ("naive", "zone", "utc"),
    [
        (datetime(2026, 4, 5, 0, 30), "America/Santiago", datetime(2026, 4, 5, 4, 30)),
        (datetime(2026, 9, 6, 1, 0), "America/Santiago", datetime(2026, 9, 6, 4, 0)),
        (datetime(2026, 9, 5, 23, 59), "America/Santiago", datetime(2026, 9, 6, 3, 59)),
        (datetime(2024, 10, 6, 1, 0), "America/Asuncion", datetime(2024, 10, 6, 4, 0)),
        (datetime(2024, 3, 24, 0, 0), "America/Asuncion", datetime(2024, 3, 24, 4, 0)),
        (datetime(2026, 3, 29, 1, 59), "Europe/Madrid", datetime(2026, 3, 29, 0, 59)),
        (datetime(2026, 3, 29, 3, 0), "Europe/Madrid", datetime(2026, 3, 29, 1, 0)),
        (datetime(2026, 10, 25, 3, 0), "Europe/Madrid", datetime(2026, 10, 25, 2, 0)),
        (datetime(2026, 7, 1, 12, 0), "Europe/Madrid", datetime(2026, 7, 1, 10, 0)),
        (datetime(2026, 12, 3, 14, 0), "America/Montevideo", datetime(2026, 12, 3, 17, 0)),
    ],
)
def test_local_to_utc(naive: datetime, zone: str, utc: datetime) -> None:
    result = local_to_utc(naive, zone)
    assert result == utc.replace(tzinfo=UTC) and result.utcoffset() is not None


@pytest.mark.parametrize(
    ("naive", "zone"),
    [
        (datetime(2026, 9, 6, 0, 30), "America/Santiago"),  # 00:00 -> 01:00
        (datetime(2024, 10, 6, 0, 15), "America/Asuncion"),
        (datetime(2026, 3, 29, 2, 30), "Europe/Madrid"),  # 02:00 -> 03:00
        (datetime(2026, 3, 29, 2, 0), "Europe/Madrid"),
    ],
)
def test_times_in_a_gap_do_not_exist(naive: datetime, zone: str) -> None:
    with pytest.raises(ValueError, match=f"does not exist in {zone}.*skip"):
        local_to_utc(naive, zone)


@pytest.mark.parametrize(
    ("naive", "zone"),
    [
        (datetime(2026, 4, 4, 23, 30), "America/Santiago"),  # 24:00 -> 23:00
        (datetime(2026, 4, 4, 23, 0), "America/Santiago"),
        (datetime(2024, 3, 23, 23, 30), "America/Asuncion"),
        (datetime(2026, 10, 25, 2, 30), "Europe/Madrid"),  # 03:00 -> 02:00
    ],
)
def test_times_in_an_overlap_are_ambiguous(naive: datetime, zone: str) -> None:
    with pytest.raises(ValueError, match=f"happens twice in {zone}"):
        local_to_utc(naive, zone)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2023-10-04", date(2023, 10, 4)),
        (" 2023-10-04 ", date(2023, 10, 4)),
        ("2020-03-26T14:00", datetime(2020, 3, 26, 14, 0)),
        ("2020-03-26 14:00", datetime(2020, 3, 26, 14, 0)),
        ("2020-03-26T14:00:30", datetime(2020, 3, 26, 14, 0, 30)),
        (date(2023, 10, 4), date(2023, 10, 4)),  # YAML gives dates already parsed
        (datetime(2020, 3, 26, 14, 0), datetime(2020, 3, 26, 14, 0)),
    ],
)
def test_parse_stamp(value: object, expected: date | datetime) -> None:
    result = parse_stamp(value)
    assert result == expected and type(result) is type(expected)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("2023-02-30", "is not a valid date"),
        ("2023-10-04T25:00", "is not a valid date and time"),
        ("2023-10-04T14:00Z", "without a UTC offset"),
        ("2023-10-04T14:00+02:00", "without a UTC offset"),
        (datetime(2020, 3, 26, 14, 0, tzinfo=UTC), "without a UTC offset"),
        ("yesterday", "is not an ISO 8601 date"),
        ("04/10/2023", "is not an ISO 8601 date"),
        (20231004, "is not an ISO 8601 date"),
    ],
)
def test_parse_stamp_refuses(value: object, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_stamp(value)


def test_parse_date_only_refuses_a_time() -> None:
    assert parse_date_only("2023-05-15") == date(2023, 5, 15)
    with pytest.raises(ValueError, match="without a time"):
        parse_date_only("2023-05-15T10:00")


def test_known_zone() -> None:
    assert known_zone("UTC") and known_zone("Europe/Madrid") and known_zone("America/Asuncion")
    assert not any(known_zone(z) for z in ("", "Madrid", "Europe/Nowhere", "EST5EDT", "../x"))


# ------------------------------------------------------------------ text, ids
@pytest.mark.parametrize(
    ("text", "folded", "words"),
    [
        ("Formação", "formacao", "formacao"),
        ("ÁRBOL", "arbol", "arbol"),
        ("Ñandú", "nandu", "nandu"),
        ("São_Paulo", "sao_paulo", "sao paulo"),
        ("  Ciudad-de  México ", "  ciudad-de  mexico ", "ciudad de mexico"),
        ("ﬁnanças", "financas", "financas"),  # compatibility forms too (NFKD)
    ],
)
def test_fold_and_fold_words(text: str, folded: str, words: str) -> None:
    assert fold(text) == folded
    assert fold_words(text) == words


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        ("Hello World!", "hello-world"),
        ("Formação Profissional", "formacao-profissional"),
        ("Certificación de competencias", "certificacion-de-competencias"),
        ("  --COVID-19: la respuesta--  ", "covid-19-la-respuesta"),
        ("---", "event"),
        ("", "event"),
        ("日本語", "event"),
    ],
)
def test_slugify(title: str, slug: str) -> None:
    assert slugify(title) == slug
    assert SLUG.match(slug)


def test_slugify_keeps_ids_within_64_characters_without_a_trailing_dash() -> None:
    assert slugify("a" * 70) == "a" * 64
    long = slugify("ab-" * 30)
    assert len(long) <= 64 and not long.endswith("-") and SLUG.match(long)


@pytest.mark.parametrize(
    "value", ["abc\n", "Abc", "-abc", "a b", "a_b", "ação", "a" * 65, "", "abc\n\n"]
)
def test_slug_rule_refuses(value: str) -> None:
    assert SLUG.match(value) is None


# ------------------------------------------------------------------ zones
@pytest.mark.parametrize(
    ("typed", "zone"),
    [
        ("Europe/Madrid", "Europe/Madrid"),
        ("europe/madrid", "Europe/Madrid"),
        ("Madrid", "Europe/Madrid"),
        ("São Paulo", "America/Sao_Paulo"),
        ("Sao Paulo", "America/Sao_Paulo"),
        ("sao_paulo", "America/Sao_Paulo"),
        ("Bogotá", "America/Bogota"),
        ("Bogota", "America/Bogota"),
        ("Asunción", "America/Asuncion"),
        ("Assunção", "America/Asuncion"),
        ("Ciudad de México", "America/Mexico_City"),
        ("Mexico City", "America/Mexico_City"),
        ("Buenos Aires", "America/Argentina/Buenos_Aires"),
        ("Lisboa", "Europe/Lisbon"),
        ("uruguay", "America/Montevideo"),
        ("Uruguai", "America/Montevideo"),
        ("UY", "America/Montevideo"),
        ("España", "Europe/Madrid"),
        ("Brasil", "America/Sao_Paulo"),
    ],
)
def test_resolve_zone(typed: str, zone: str) -> None:
    assert resolve_zone(typed) == zone


@pytest.mark.parametrize("typed", ["", "  ", "Nowhere", "Mars/Olympus", "x" * 65])
def test_resolve_zone_gives_none(typed: str) -> None:
    assert resolve_zone(typed) is None


def test_country_zones() -> None:
    assert country_zones("uy") == ("America/Montevideo",)
    assert country_zones("CL") == ("America/Santiago", "America/Punta_Arenas", "Pacific/Easter")
    assert country_zones("BR")[0] == "America/Sao_Paulo" and len(country_zones("BR")) == 5
    assert country_zones("FR") == ("Europe/Paris",)  # not curated: from Babel
    assert country_zones("XX") == ()


def test_city_of() -> None:
    assert city_of("America/Argentina/Buenos_Aires") == "Buenos Aires"
    assert city_of("America/Port-au-Prince") == "Port-au-Prince"
    assert city_of("UTC") == "UTC"
