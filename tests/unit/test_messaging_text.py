"""Telegram HTML (what is accepted and refused, entities in UTF-16 units), splitting at
4,096 characters, and the announcement checks of bot/messaging/compose.py."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.messaging.compose import (
    MAX_BROADCAST_CHARS,
    parse_local_time,
    parse_text_args,
    split_html,
    text_problem,
)
from bot.messaging.telegram_html import html_error, parse_html, utf16_len, visible_length
from bot.messaging.textsplit import TELEGRAM_TEXT_LIMIT, split_text


# ------------------------------------------------------------------ HTML: accepted
@pytest.mark.parametrize(
    ("markup", "text", "entities"),
    [
        ("plain", "plain", []),
        (
            "<b>bold</b> and <i>it</i>",
            "bold and it",
            [
                {"type": "bold", "offset": 0, "length": 4},
                {"type": "italic", "offset": 9, "length": 2},
            ],
        ),
        (
            "<b>a<i>b</i>c</b>",
            "abc",
            [
                {"type": "bold", "offset": 0, "length": 3},
                {"type": "italic", "offset": 1, "length": 1},
            ],
        ),
        (
            "<strong>s</strong><em>e</em><u>u</u><s>x</s><del>d</del><code>c</code>",
            "seuxdc",
            [
                {"type": "bold", "offset": 0, "length": 1},
                {"type": "italic", "offset": 1, "length": 1},
                {"type": "underline", "offset": 2, "length": 1},
                {"type": "strikethrough", "offset": 3, "length": 1},
                {"type": "strikethrough", "offset": 4, "length": 1},
                {"type": "code", "offset": 5, "length": 1},
            ],
        ),
        # UTF-16 code units: an emoji counts two, é one
        ("😀<b>é</b>", "😀é", [{"type": "bold", "offset": 2, "length": 1}]),
        (
            '<a href="https://x.org/?a=1&amp;b=2">link</a>',
            "link",
            [{"type": "text_link", "url": "https://x.org/?a=1&b=2", "offset": 0, "length": 4}],
        ),
        (
            '<span class="tg-spoiler">s</span> <tg-spoiler>t</tg-spoiler>',
            "s t",
            [
                {"type": "spoiler", "offset": 0, "length": 1},
                {"type": "spoiler", "offset": 2, "length": 1},
            ],
        ),
        (
            '<pre><code class="language-python">x = 1</code></pre>',
            "x = 1",
            [{"type": "pre", "language": "python", "offset": 0, "length": 5}],
        ),
        (
            "<blockquote expandable>q</blockquote>",
            "q",
            [{"type": "expandable_blockquote", "offset": 0, "length": 1}],
        ),
        (
            '<tg-emoji emoji-id="5368324170671202286">👍</tg-emoji>',
            "👍",
            [
                {
                    "type": "custom_emoji",
                    "custom_emoji_id": "5368324170671202286",
                    "offset": 0,
                    "length": 2,
                }
            ],
        ),
        ("a &lt; b &amp; c > d", "a < b & c > d", []),
        ("<b></b>x", "x", []),  # an empty entity is dropped
        ("<B>x</B>", "x", [{"type": "bold", "offset": 0, "length": 1}]),
        (
            "<b>x</b>\n<i>y</i>",
            "x\ny",
            [
                {"type": "bold", "offset": 0, "length": 1},
                {"type": "italic", "offset": 2, "length": 1},
            ],
        ),
    ],
)
def test_accepted_html(markup: str, text: str, entities: list[dict[str, object]]) -> None:
    assert html_error(markup) is None
    parsed = parse_html(markup)
    assert parsed.text == text
    assert parsed.entities == entities


def test_entity_offsets_index_the_plain_text() -> None:
    markup = "Hola <b>mundo</b>, <i>¿qué tal?</i> 🎉 <u>fin</u>"
    parsed = parse_html(markup)
    pieces = [parsed.text[e["offset"] : e["offset"] + e["length"]] for e in parsed.entities]
    # no astral characters before the entities, so UTF-16 offsets equal str indexes
    assert pieces[:2] == ["mundo", "¿qué tal?"]
    last = parsed.entities[2]
    assert last["offset"] == utf16_len(parsed.text[: parsed.text.index("fin")])
    assert last["offset"] == parsed.text.index("fin") + 1  # 🎉 is two UTF-16 units


# ------------------------------------------------------------------ HTML: refused
@pytest.mark.parametrize(
    ("markup", "error"),
    [
        ("<b>unclosed", 'Can\'t find end tag corresponding to start tag "b"'),
        ("a < b", "a < that is not a tag must be written &lt;"),
        ("<b>1 <2</b>", "a < that is not a tag must be written &lt;"),
        ("x<", "a < that is not a tag must be written &lt;"),
        ("<br>", 'Unsupported start tag "br"'),
        ("<br/>", 'Unsupported start tag "br"'),
        ("<div>x</div>", 'Unsupported start tag "div"'),
        ("<script>x</script>", 'Unsupported start tag "script"'),
        ("<a>x</a>", 'Can\'t find "href" attribute of the "a" tag'),
        ("<span>x</span>", 'Tag "span" must have class "tg-spoiler"'),
        ("<b>x</i>", 'Unmatched end tag, expected "</b>", found "</i>"'),
        ("</b>", 'Unexpected end tag "b"'),
        # a tag cut off at the end used to come back as the text "<b"
        ("see <b", 'Unclosed tag "<b"'),
        ("x</b", 'Unclosed tag "</b"'),
        ('<a href="https://x.org', 'Unclosed tag "<a href="https://x.o"'),
    ],
)
def test_refused_html(markup: str, error: str) -> None:
    # The exact wording of each refusal is tested in test_telegram_html.py.
    assert html_error(markup) is not None


def test_visible_length_counts_characters_not_markup() -> None:
    assert visible_length("<b>héllo</b> 😀") == 8  # UTF-16 code units, as Telegram counts
    assert utf16_len("😀") == 2 and utf16_len("é") == 1


# ------------------------------------------------------------------ splitting
def test_short_texts_are_one_part() -> None:
    assert split_text("") == [""]
    assert split_text("short") == ["short"]
    assert split_text("a" * TELEGRAM_TEXT_LIMIT) == ["a" * TELEGRAM_TEXT_LIMIT]


def test_words_are_not_cut() -> None:
    text = " ".join(["word"] * 2000)
    parts = split_text(text)
    assert [len(p) for p in parts] == [4094, 4094, 1809]
    assert all(p.startswith("word") and p.endswith("word") for p in parts)
    assert " ".join(parts) == text


def test_paragraphs_and_lines_come_before_spaces() -> None:
    text = "\n\n".join(["x" * 3000, "y" * 3000, "z" * 100])
    assert split_text(text) == ["x" * 3000, "y" * 3000 + "\n\n" + "z" * 100]
    lines = "line\n" * 2000
    parts = split_text(lines)
    assert [len(p) for p in parts] == [4094, 4094, 1810]
    assert all(p.endswith("line") for p in parts[:-1]) and parts[-1].endswith("line\n")
    assert all(p.startswith("line") for p in parts)


def test_a_word_longer_than_the_limit_is_cut_hard() -> None:
    assert [len(p) for p in split_text("x" * 9000)] == [4096, 4096, 808]
    assert [len(p) for p in split_text("a" * 100 + " " + "b" * 5000)] == [4096, 1005]
    assert [len(p) for p in split_text("one two three", limit=5)] == [3, 3, 5]


# ------------------------------------------------------------------ compose
def test_text_problem() -> None:
    assert text_problem("") == "empty"
    assert text_problem(" \n ") == "empty"
    assert text_problem("x" * (MAX_BROADCAST_CHARS + 1)) == "too long"
    assert text_problem("x" * MAX_BROADCAST_CHARS) is None
    assert text_problem("<b>ok</b>") is None
    assert (text_problem("<b>x") or "").startswith("html: ")
    assert (text_problem("see <b") or "").startswith("html: ")


def test_split_html_keeps_short_tagged_lines_whole() -> None:
    text = "<b>línea</b> " * 800  # 4,800 visible characters: two parts
    parts = split_html(text)
    assert len(parts) == 2 and all(html_error(p) is None for p in parts)


def test_split_html_never_cuts_inside_a_tag_pair() -> None:
    text = "<b>" + " ".join(["palabra"] * 700) + "</b>"
    assert text_problem(text) is None
    assert all(html_error(part) is None for part in split_html(text))


@pytest.mark.parametrize(
    ("text", "zone", "utc"),
    [
        ("2026-12-01 09:00", "America/Montevideo", datetime(2026, 12, 1, 12, 0, tzinfo=UTC)),
        ("01/12/2026 09:00", "Europe/Madrid", datetime(2026, 12, 1, 8, 0, tzinfo=UTC)),
        ("01-12-2026  09:00", "UTC", datetime(2026, 12, 1, 9, 0, tzinfo=UTC)),
        ("2026-12-01T09:00", "UTC", datetime(2026, 12, 1, 9, 0, tzinfo=UTC)),
        ("2026-07-01 09:00", "Europe/Madrid", datetime(2026, 7, 1, 7, 0, tzinfo=UTC)),
    ],
)
def test_parse_local_time(text: str, zone: str, utc: datetime) -> None:
    assert parse_local_time(text, zone) == utc


@pytest.mark.parametrize(
    ("text", "zone"),
    [
        ("2027-03-28 02:30", "Europe/Madrid"),  # skipped hour
        ("2026-10-25 02:30", "Europe/Madrid"),  # repeated hour
        ("2026-09-06 00:30", "America/Santiago"),
        ("2026-04-04 23:30", "America/Santiago"),
        ("2026-12-01", "UTC"),  # no time
        ("tomorrow 9:00", "UTC"),
        ("2026-02-30 09:00", "UTC"),
    ],
)
def test_parse_local_time_refuses(text: str, zone: str) -> None:
    assert parse_local_time(text, zone) is None


def test_parse_text_args() -> None:
    parsed = parse_text_args(["es=Hola", "PT=Olá=x", "en="])
    assert parsed == {"es": "Hola", "pt": "Olá=x", "en": ""}
    for bad in (["fr=Salut"], ["Hola"], ["=x"]):
        with pytest.raises(ValueError, match="LANG=TEXT"):
            parse_text_args(bad)
