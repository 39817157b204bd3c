"""Telegram's HTML parse mode (bot.messaging.telegram_html) and entities → HTML."""

from __future__ import annotations

from typing import Any

import pytest
from telegram import MessageEntity, User

from bot.messaging.compose import text_problem
from bot.messaging.entities_html import entities_to_html
from bot.messaging.telegram_html import (
    HTMLEntityError,
    ParsedHTML,
    html_error,
    link_problem,
    parse_html,
    utf16_len,
    visible_length,
)

EMOJI_ID = "5368324170671202286"


def test_documented_tags_make_entities_with_utf16_offsets() -> None:
    markup = (
        '👍 <b>bold <i>both</i></b> <span class="tg-spoiler">s</span> '
        '<a href="https://example.org/?a=1&amp;b=2">link</a> '
        f'<tg-emoji emoji-id="{EMOJI_ID}">🎉</tg-emoji> <code>c</code> '
        '<pre><code class="language-python">p</code></pre> <blockquote expandable>q</blockquote>'
    )
    assert parse_html(markup) == ParsedHTML(
        "👍 bold both s link 🎉 c p q",
        [
            {"type": "bold", "offset": 3, "length": 9},
            {"type": "italic", "offset": 8, "length": 4},
            {"type": "spoiler", "offset": 13, "length": 1},
            {"type": "text_link", "url": "https://example.org/?a=1&b=2", "offset": 15, "length": 4},
            {"type": "custom_emoji", "custom_emoji_id": EMOJI_ID, "offset": 20, "length": 2},
            {"type": "code", "offset": 23, "length": 1},
            {"type": "pre", "language": "python", "offset": 25, "length": 1},
            {"type": "expandable_blockquote", "offset": 27, "length": 1},
        ],
    )


def test_synonyms_case_and_single_quotes() -> None:
    parsed = parse_html("<STRONG>a</STRONG><em>b</em><ins>c</ins><del>d</del><strike>e</strike>")
    assert [e["type"] for e in parsed.entities] == [
        "bold",
        "italic",
        "underline",
        "strikethrough",
        "strikethrough",
    ]
    assert parse_html("<a href='https://x.org' title=\"t\">x</a>").entities == [
        {"type": "text_link", "url": "https://x.org", "offset": 0, "length": 1}
    ]


@pytest.mark.parametrize(
    ("markup", "error"),
    [
        (
            "<a href=https://example.org>x</a>",
            'Value of attribute "href" of tag "a" at byte offset 3 must be in quotes: href="..."',
        ),
        ("<b/>", 'Unsupported start tag "b/" at byte offset 0'),
        ("a<br/>b", 'Unsupported start tag "br/" at byte offset 1'),
        ("<br>", 'Unsupported start tag "br" at byte offset 0'),
        ("ñ<div>x</div>", 'Unsupported start tag "div" at byte offset 2'),
        (
            "5 < 6",
            'Unsupported start tag "" at byte offset 2 (write a < that starts no tag as &lt;)',
        ),
        (
            "<tg-emoji>👍</tg-emoji>",
            'Tag "tg-emoji" at byte offset 0 needs a numeric emoji-id attribute',
        ),
        (
            '<tg-emoji emoji-id="1">ok</tg-emoji>',
            'Tag "tg-emoji" at byte offset 0 must hold one emoji',
        ),
        ("&#xD800;", '"&#xD800;" at byte offset 0 is a UTF-16 surrogate, not a character'),
        ("&#55296;", '"&#55296;" at byte offset 0 is a UTF-16 surrogate, not a character'),
        ("&#x110000;", '"&#x110000;" at byte offset 0 is not a Unicode character'),
        ("&#0;", '"&#0;" at byte offset 0 is not a Unicode character'),
        ("&#X41;", "Write hexadecimal references with a lower-case x (&#x...;) at byte offset 0"),
        ("<b>open", 'Can\'t find end tag corresponding to start tag "b" at byte offset 0'),
        ("<b>x</i>", 'Unmatched end tag at byte offset 4, expected "</b>", found "</i>"'),
        ("<b>x</b >", 'Unmatched end tag at byte offset 4, expected "</b>", found "</b >"'),
        ("x</b>", "Unexpected end tag at byte offset 1"),
        ("<b", "Unclosed start tag at byte offset 0"),
        ('<a href="x', "Unclosed start tag at byte offset 0"),
        ("<b>x</b", "Unclosed end tag at byte offset 4"),
        ("<span>x</span>", 'Tag "span" at byte offset 0 must have class "tg-spoiler"'),
        ('<b class="x"/>', 'Unexpected "/" in start tag "b" at byte offset 12'),
        (
            '<a href="https://a.org"><a href="https://b.org">x</a></a>',
            'Tag "a" at byte offset 24 can\'t be inside "a": a link holds only bold, italic, '
            "underline, strikethrough and spoiler text",
        ),
        (
            '<a href="https://a.org"><code>x</code></a>',
            'Tag "code" at byte offset 24 can\'t be inside "a": a link holds only bold, italic, '
            "underline, strikethrough and spoiler text",
        ),
        (
            "<code><b>x</b></code>",
            'Tag "b" at byte offset 6 can\'t be inside "code": it holds plain text only',
        ),
        (
            "<pre>x<code>y</code></pre>",
            'Tag "code" at byte offset 6 can\'t be inside "pre": it holds plain text, or one '
            '<code class="language-..."> around all of it',
        ),
        (
            '<pre><code class="language-py">x</code>y</pre>',
            "Text after </code> inside <pre> at byte offset 39",
        ),
        (
            "<blockquote>a<blockquote>b</blockquote></blockquote>",
            'Tag "blockquote" at byte offset 13 can\'t be inside "blockquote": block quotations '
            "can't be nested",
        ),
        (
            '<a href="javascript:alert(1)">x</a>',
            'Tag "a" at byte offset 0 needs a usable href: "javascript:" links are not opened by '
            "Telegram (use http://, https:// or tg://)",
        ),
        ('<a href="">x</a>', 'Tag "a" at byte offset 0 needs a usable href: it is empty'),
        ("x\ud800", "Text must be encoded in UTF-8 (it holds a lone surrogate)"),
    ],
)
def test_what_telegram_refuses(markup: str, error: str) -> None:
    assert html_error(markup) == error
    with pytest.raises(HTMLEntityError):
        parse_html(markup)


@pytest.mark.parametrize(
    ("markup", "text"),
    [
        ("a&nbsp;b", "a&nbsp;b"),  # Telegram knows four named references: the rest is shown
        ("AT&T & co", "AT&T & co"),  # a bare & is text
        ("&lt;&gt;&amp;&quot;", '<>&"'),
        ("&lt &amp", "< &"),  # the ; may be left off
        ("&ltx", "&ltx"),  # ... but the name must end there
        ("&#65;&#x42;&#67", "ABC"),
        ("&#x1F600;", "😀"),
        ("&#;&#x;", "&#;&#x;"),
        ("5 > 3", "5 > 3"),
        ("<b></b>x", "x"),  # an empty entity is dropped
    ],
)
def test_references_and_literal_text(markup: str, text: str) -> None:
    assert parse_html(markup).text == text


def test_named_references_are_literal_for_telegram_but_refused_for_organizers() -> None:
    assert html_error("a&nbsp;b") is None
    assert text_problem("a&nbsp;b") == (
        "html: &nbsp; would be shown as typed: Telegram knows only &lt; &gt; &amp; &quot; "
        "(type the character itself or &#160;)"
    )
    assert text_problem("a&amp;nbsp;b") is None  # the organizer means the letters
    assert text_problem("AT&T; &foo;") is None  # not HTML references at all


def test_lengths_are_visible_utf16_units() -> None:
    assert utf16_len("a😀é") == 4
    assert visible_length("<b>" + "&amp;" * 4096 + "</b>") == 4096
    assert visible_length('<tg-emoji emoji-id="1">👍🏽</tg-emoji>') == 4


def test_bolded_3999_characters_with_ampersands_is_one_valid_text() -> None:
    visible = ("Ana & Luis " * 400)[:3999]
    markup = "<b>" + visible.replace("&", "&amp;") + "</b>"
    assert len(markup) > 4096 and visible_length(markup) == 3999
    assert text_problem(markup) is None


@pytest.mark.parametrize(
    ("markup", "problem"),
    [
        ("<b> </b>", "empty"),
        ("   ", "empty"),
        ("<b>" + "x" * 16385 + "</b>", "too long"),
        ("<b>" + "x" * 16384 + "</b>", None),
        ("<i>x</b>", 'html: Unmatched end tag at byte offset 4, expected "</i>", found "</b>"'),
    ],
)
def test_text_problem(markup: str, problem: str | None) -> None:
    assert text_problem(markup) == problem


@pytest.mark.parametrize(
    ("url", "problem"),
    [
        ("https://example.org/a?b=c", None),
        ("tg://user?id=42", None),
        ("t.me/cinterfor", None),
        ("http://localhost:8080/x", None),
        (
            "mailto:a@b.org",
            '"mailto:" links are not opened by Telegram (use http://, https:// or tg://)',
        ),
        ("https://exa mple.org", "a URL can't hold spaces"),
        ("hello", '"hello" is not a web address'),
        ("tg:", "the link is incomplete"),
    ],
)
def test_link_problem(url: str, problem: str | None) -> None:
    assert link_problem(url) == problem


# --------------------------------------------------------------------- entities → HTML
def _round_trip(text: str, entities: list[dict[str, Any]]) -> str:
    markup = entities_to_html(text, entities)
    assert parse_html(markup).text == text
    return markup


def test_entities_with_emoji_offsets_and_escaping() -> None:
    text = "👍 Hola <red> & co 🎉"
    entities = [
        {"type": "bold", "offset": 3, "length": 4},
        {"type": "italic", "offset": 8, "length": 5},
        {"type": "custom_emoji", "offset": 19, "length": 2, "custom_emoji_id": EMOJI_ID},
    ]
    markup = _round_trip(text, entities)
    assert markup == (
        f'👍 <b>Hola</b> <i>&lt;red&gt;</i> &amp; co <tg-emoji emoji-id="{EMOJI_ID}">🎉</tg-emoji>'
    )
    assert parse_html(markup).entities == [
        {"type": "bold", "offset": 3, "length": 4},
        {"type": "italic", "offset": 8, "length": 5},
        {"type": "custom_emoji", "custom_emoji_id": EMOJI_ID, "offset": 19, "length": 2},
    ]


def test_nested_and_overlapping_entities() -> None:
    assert (
        _round_trip(
            "abcdefgh",
            [
                {"type": "bold", "offset": 0, "length": 5},
                {"type": "italic", "offset": 3, "length": 5},
            ],
        )
        == "<b>abc<i>de</i></b><i>fgh</i>"
    )
    assert (
        _round_trip(
            "bold link rest",
            [
                {"type": "bold", "offset": 0, "length": 14},
                {"type": "text_link", "offset": 5, "length": 4, "url": 'https://x.org/?a=1&b="2"'},
                {"type": "underline", "offset": 7, "length": 5},
            ],
        )
        == '<b>bold <a href="https://x.org/?a=1&amp;b=&quot;2&quot;">li<u>nk</u></a><u> re</u>'
        "st</b>"
    )


def test_entities_telegram_html_cannot_nest_are_dropped_inner_first() -> None:
    entities = [
        {"type": "text_link", "offset": 0, "length": 6, "url": "https://a.org"},
        {"type": "text_link", "offset": 2, "length": 2, "url": "https://b.org"},
        {"type": "code", "offset": 4, "length": 2},
        {"type": "blockquote", "offset": 7, "length": 4},
        {"type": "blockquote", "offset": 8, "length": 1},
    ]
    assert _round_trip("abcdef ghij", entities) == (
        '<a href="https://a.org">abcdef</a> <blockquote>ghij</blockquote>'
    )


def test_pre_mention_spoiler_and_plain_entities() -> None:
    entities = [
        {"type": "pre", "offset": 0, "length": 5, "language": "python"},
        {"type": "text_mention", "offset": 6, "length": 3, "user": {"id": 42}},
        {"type": "spoiler", "offset": 10, "length": 2},
        {"type": "url", "offset": 13, "length": 5},
        {"type": "mention", "offset": 19, "length": 3},
        {"type": "expandable_blockquote", "offset": 23, "length": 1},
    ]
    assert _round_trip("x = 1 Ana no t.me/ @ab q", entities) == (
        '<pre><code class="language-python">x = 1</code></pre> '
        '<a href="tg://user?id=42">Ana</a> <tg-spoiler>no</tg-spoiler> t.me/ @ab '
        "<blockquote expandable>q</blockquote>"
    )


def test_offsets_inside_a_surrogate_pair_keep_the_whole_character() -> None:
    assert _round_trip("a😀b", [{"type": "bold", "offset": 2, "length": 1}]) == "a<b>😀</b>b"


def test_telegram_message_entity_objects() -> None:
    user = User(id=7, is_bot=False, first_name="Ana")
    entities = [
        MessageEntity(MessageEntity.BOLD, 0, 3),
        MessageEntity(MessageEntity.TEXT_MENTION, 4, 3, user=user),
        MessageEntity(MessageEntity.CUSTOM_EMOJI, 8, 2, custom_emoji_id=EMOJI_ID),
    ]
    assert entities_to_html("Olá Ana 🎉", entities) == (
        f'<b>Olá</b> <a href="tg://user?id=7">Ana</a> <tg-emoji emoji-id="{EMOJI_ID}">🎉</tg-emoji>'
    )
