"""Splitting at Telegram's limit: textsplit.split_text (plain) and compose.split_html (HTML)."""

from __future__ import annotations

import random

import pytest

from bot.messaging.compose import split_html, text_problem
from bot.messaging.telegram_html import (
    HTMLEntityError,
    html_error,
    parse_html,
    utf16_len,
    visible_length,
)
from bot.messaging.textsplit import split_text

EMOJI = '<tg-emoji emoji-id="5368324170671202286">👍</tg-emoji>'


def _check(parts: list[str], limit: int = 4096) -> None:
    for part in parts:
        assert html_error(part) is None, part[:80]
        assert 0 < visible_length(part) <= limit


def test_a_text_that_fits_is_returned_unchanged() -> None:
    assert split_html("<b>Hola</b> red") == ["<b>Hola</b> red"]
    assert split_html("") == [""]
    assert split_text("") == [""]


def test_a_broadcast_of_only_emoji_is_cut_by_utf16_units() -> None:
    parts = split_html("😀" * 3000)
    assert parts == ["😀" * 2048, "😀" * 952]
    assert [visible_length(p) for p in parts] == [4096, 1904]
    assert split_text("😀" * 3000) == ["😀" * 2048, "😀" * 952]


def test_an_emoji_keeps_its_skin_tone() -> None:
    parts = split_html("a" + "👍🏽" * 1500)
    assert parts == ["a" + "👍🏽" * 1023, "👍🏽" * 477]
    _check(parts)


def test_a_custom_emoji_is_never_cut() -> None:
    assert split_html("x" * 4095 + EMOJI + "y") == ["x" * 4095, EMOJI + "y"]


def test_4096_ampersands_fit_and_a_reference_is_never_cut() -> None:
    assert split_html("&amp;" * 4096) == ["&amp;" * 4096]
    assert split_html("&" * 4096) == ["&" * 4096]  # a bare & is text for Telegram
    assert split_html("&amp;" * 4097) == ["&amp;" * 4096, "&amp;"]
    assert split_html("<b>" + "&lt;" * 4097 + "</b>") == [
        "<b>" + "&lt;" * 4096 + "</b>",
        "<b>&lt;</b>",
    ]


def test_nested_formatting_across_the_cut_is_closed_and_reopened() -> None:
    assert split_html("<b>one <i>two three</i> four</b>", 10) == [
        "<b>one <i>two</i></b>",
        "<b><i>three</i> four</b>",
    ]
    spoiler = '<span class="tg-spoiler">aaaa bbbb</span>'
    assert split_html(f'<a href="https://x.org">{spoiler}</a>', 6) == [
        '<a href="https://x.org"><span class="tg-spoiler">aaaa</span></a>',
        '<a href="https://x.org"><span class="tg-spoiler">bbbb</span></a>',
    ]


def test_a_cut_moves_an_empty_opening_to_the_next_part() -> None:
    assert split_html("aaaabbbb<b>cccc</b>", 8) == ["aaaabbbb", "<b>cccc</b>"]
    assert split_html("<b>aaaa</b>bbbb", 4) == ["<b>aaaa</b>", "bbbb"]
    assert split_html("<b>aaaa</b> bbbb", 6) == ["<b>aaaa</b>", "bbbb"]


def test_code_blocks_keep_their_language_in_every_part() -> None:
    code = "print(1)\n" * 500
    parts = split_html(f'<pre><code class="language-python">{code}</code></pre>')
    assert parts == [
        '<pre><code class="language-python">' + "print(1)\n" * 454 + "print(1)</code></pre>",
        '<pre><code class="language-python">' + "print(1)\n" * 45 + "</code></pre>",
    ]
    assert [parse_html(p).entities[0]["language"] for p in parts] == ["python", "python"]


def test_paragraphs_then_lines_then_spaces() -> None:
    text = "a" * 3000 + "\n\n" + "b" * 500 + "\n" + "c" * 500 + " " + "d" * 500
    assert split_text(text) == ["a" * 3000, "b" * 500 + "\n" + "c" * 500 + " " + "d" * 500]
    text = "a" * 1000 + "\n\n" + "b" * 2500 + "\n" + "c" * 1000
    assert split_text(text) == ["a" * 1000 + "\n\n" + "b" * 2500, "c" * 1000]
    assert split_text("word " * 1000, 4096)[0] == ("word " * 819).strip()


def test_rtl_marks_stay_with_the_text_they_govern() -> None:
    rlm = "\u200f"
    assert split_text("ب" * 9 + rlm + "ب" * 10, 10) == ["ب" * 9, rlm + "ب" * 9, "ب"]
    assert split_text("بَ" * 8, 5) == ["بَبَ"] * 4  # a fatha is never split from its letter
    words = f"{rlm}مرحبا بالعالم " * 600
    parts = split_html(f"<b>{words}</b>")
    _check(parts)
    assert all(parse_html(p).text.startswith(rlm) for p in parts)
    assert " ".join(parse_html(p).text for p in parts) == words  # one space dropped per cut


def test_five_parts_of_4096_bold_characters_with_a_link_in_each() -> None:
    paragraphs = []
    for k in range(1, 6):
        link = f'<a href="https://example.org/{k}">enlace {k}</a>'
        tail = "z" * (4096 - 2000 - len(f"enlace {k}") - 1)
        paragraphs.append("palabra " * 250 + link + " " + tail)
    parts = split_html("<b>" + "\n".join(paragraphs) + "</b>")
    assert parts == [f"<b>{p}</b>" for p in paragraphs]
    assert [visible_length(p) for p in parts] == [4096] * 5
    for k, part in enumerate(parts, 1):
        assert parse_html(part).entities == [
            {"type": "bold", "offset": 0, "length": 4096},
            {"type": "text_link", "url": f"https://example.org/{k}", "offset": 2000, "length": 8},
        ]


@pytest.mark.parametrize(
    ("markup", "error"),
    [
        (
            "<a href=https://x.org>x</a>",
            'Value of attribute "href" of tag "a" at byte offset 3 must be in quotes: href="..."',
        ),
        ("<b/>", 'Unsupported start tag "b/" at byte offset 0'),
        (
            "<tg-emoji>👍</tg-emoji>",
            'Tag "tg-emoji" at byte offset 0 needs a numeric emoji-id attribute',
        ),
        ("&#xD800;", '"&#xD800;" at byte offset 0 is a UTF-16 surrogate, not a character'),
    ],
)
def test_bad_markup_is_refused_before_anything_is_split(markup: str, error: str) -> None:
    with pytest.raises(HTMLEntityError, match="^" + error.replace("(", r"\(").replace(")", r"\)")):
        split_html(markup * 2000)
    assert text_problem(markup) == f"html: {error}"


def test_nbsp_is_literal_for_the_splitter_but_refused_for_organizers() -> None:
    assert split_html("a&nbsp;b") == ["a&nbsp;b"]
    assert text_problem("a&nbsp;b") is not None


def test_a_long_bold_announcement_is_split_and_every_part_is_valid() -> None:
    visible = "Aviso & novedades de la red. " * 1000  # 29,000 characters, & included
    markup = "<b>" + visible.replace("&", "&amp;") + "</b>"
    assert text_problem(markup) == "too long"
    markup = "<b>" + visible[:16000].replace("&", "&amp;") + "</b>"
    assert text_problem(markup) is None
    parts = split_html(markup)
    _check(parts)
    assert len(parts) == 4
    assert " ".join(parse_html(p).text for p in parts) == visible[:16000]


# ------------------------------------------------------------ generated markup, seeded
WORDS = ["palabra", "&amp;", "&lt;b&gt;", "😀", "👍🏽", "ação", "\u200fمرحبا", "x", "&#x1F389;"]
FORMAT_TAGS = ["b", "i", "u", "s", "tg-spoiler", 'span class="tg-spoiler"']


def _words(rng: random.Random) -> str:
    return "".join(rng.choice(WORDS) + rng.choice([" ", " ", "\n", "\n\n", ""]) for _ in range(8))


def _markup(rng: random.Random, depth: int, in_link: bool = False, in_quote: bool = False) -> str:
    """Random valid Telegram HTML: formatting, links, code, pre, quotes and custom emoji."""
    pieces = []
    for _ in range(rng.randint(1, 4)):
        choice = rng.randrange(9) if depth else 0
        if choice <= 2:
            pieces.append(_words(rng))
        elif choice <= 4:
            tag = rng.choice(FORMAT_TAGS)
            inner = _markup(rng, depth - 1, in_link, in_quote)
            pieces.append(f"<{tag}>{inner}</{tag.split()[0]}>")
        elif choice == 5 and not in_link:
            inner = _markup(rng, depth - 1, True, in_quote)
            pieces.append(f'<a href="https://example.org/{rng.randrange(99)}">{inner}</a>')
        elif choice == 6 and not in_link:
            code = _words(rng).replace("\n", " ") + "a"
            pieces.append(rng.choice([f"<code>{code}</code>", f"<pre>{code}</pre>"]))
            pieces.append(f'<pre><code class="language-py">{code}</code></pre>')
        elif choice == 7 and not in_quote and not in_link:
            pieces.append(f"<blockquote>{_markup(rng, depth - 1, in_link, True)}</blockquote>")
        elif not in_link:
            pieces.append(f"{EMOJI}")
    return "".join(pieces)


def _styled(markup: str) -> list[tuple[str, frozenset[tuple[str, str]]]]:
    """Every visible non-space character with the entities covering it."""
    parsed = parse_html(markup)
    out = []
    offset = 0
    for char in parsed.text:
        covering = frozenset(
            (e["type"], str(e.get("url") or e.get("language") or e.get("custom_emoji_id") or ""))
            for e in parsed.entities
            if e["offset"] <= offset < e["offset"] + e["length"]
        )
        if not char.isspace():
            out.append((char, covering))
        offset += utf16_len(char)
    return out


@pytest.mark.parametrize("seed", range(40))
def test_generated_markup_splits_into_valid_parts_keeping_every_character_and_style(
    seed: int,
) -> None:
    rng = random.Random(seed)
    markup = "".join(_markup(rng, 4) for _ in range(6))
    assert html_error(markup) is None
    limit = rng.choice([12, 40, 100, 333])
    parts = split_html(markup, limit)
    _check(parts, limit)
    assert [c for p in parts for c in _styled(p)] == _styled(markup)
    if visible_length(markup) > limit:
        assert len(parts) > 1
