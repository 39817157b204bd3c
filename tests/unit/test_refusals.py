"""Bad HTML refused in the reader's language: every fault Telegram's parser can find has a
kind and a place, and its wording is valid Telegram HTML with no English left in es/pt;
the one shortening helper of buttons; a ticket answer kept as text with its links."""

from __future__ import annotations

import html
import re
from typing import get_args

import pytest

from bot.core.i18n import Translator
from bot.messaging.compose import TextProblem, check_text, readable_text, text_problem
from bot.messaging.html_faults import FaultKind, HtmlFault
from bot.messaging.telegram_html import HTMLEntityError, parse_html
from bot.render.labels import button_title, shorten
from bot.render.refusals import REASONS, text_refusal
from tests.e2e.language_check import leaks

SAMPLES: dict[str, str] = {
    "encoding": "a\ud800b",
    "hex-case": "&#X41;",
    "bad-reference": "&#0;",
    "lone-lt": "a < b",
    "unsupported-tag": "x<br>",
    "unclosed-start": "<b",
    "unclosed-end": "<b>x</b",
    "unexpected-char": '<a href="https://x.org"=>x</a>',
    "unquoted-value": "<a href=https://x.org>x</a>",
    "span-class": "<span>x</span>",
    "bad-link": '<a href="ftp://x.org">x</a>',
    "emoji-id": '<tg-emoji emoji-id="x">👍</tg-emoji>',
    "emoji-content": '<tg-emoji emoji-id="1">ab</tg-emoji>',
    "bad-nesting": "<code><b>x</b></code>",
    "text-after-code": '<pre><code class="language-py">x</code>y</pre>',
    "unexpected-end": "x</b>",
    "unmatched-end": "<b>x</i>",
    "missing-end": "<b>x",
}


def test_every_fault_kind_has_a_sample_and_words() -> None:
    kinds = set(get_args(FaultKind))
    assert set(REASONS) == kinds
    assert set(SAMPLES) == kinds - {"part-too-long"}  # made by splitting, not by parsing


@pytest.mark.parametrize("kind", sorted(SAMPLES))
def test_the_parser_says_what_and_where(kind: str) -> None:
    markup = SAMPLES[kind]
    with pytest.raises(HTMLEntityError) as raised:
        parse_html(markup)
    fault = raised.value.fault
    assert fault.kind == kind and fault.at is not None and 0 <= fault.at < len(markup)
    assert "byte offset" in str(raised.value) or kind == "encoding"  # Telegram's own words


@pytest.mark.parametrize("language", ["es", "pt", "en"])
@pytest.mark.parametrize("kind", sorted(SAMPLES))
def test_each_refusal_is_valid_html_in_the_reader_language(kind: str, language: str) -> None:
    problem = check_text(SAMPLES[kind])
    assert problem is not None and problem.kind == "html" and problem.fault is not None
    assert problem.fault.kind == kind
    tr = Translator(language)
    refusal = text_refusal(problem, tr)
    parse_html(refusal)  # the reply itself is sent as HTML: Telegram must take it
    assert "byte offset" not in refusal and "Unsupported" not in refusal
    assert not leaks(language, refusal), leaks(language, refusal)
    plain = text_refusal(problem, tr, as_html=False)  # the Mini App shows it as text
    assert plain == html.unescape(re.sub("</?code>", "", refusal))  # the same words


def test_the_place_is_a_line_and_a_character_of_the_text() -> None:
    problem = check_text("Hola\nred <br> y más")
    assert problem is not None and (problem.line, problem.column) == (2, 5)
    assert problem.fault == HtmlFault("unsupported-tag", 9, "br")
    words = text_refusal(problem, Translator("pt"))
    assert "linha 2, caractere 5" in words and "<code>&lt;br&gt;</code>" in words
    assert text_problem("Hola\nred <br> y más") == problem.english  # the CLI keeps English
    part = TextProblem("html", "html: part", HtmlFault("part-too-long"))
    assert "(" not in text_refusal(part, Translator("es"))  # no place to give


def test_named_references_are_explained_in_the_language() -> None:
    problem = check_text("a&nbsp;b")
    assert problem is not None and problem.kind == "reference"
    assert problem.reference == "&nbsp;" and problem.char == "\xa0"
    words = text_refusal(problem, Translator("es"))
    assert "&amp;nbsp;" in words and "se mostraría tal cual" in words and "U+00A0" in words
    parse_html(words)


def test_button_titles_are_shortened_with_an_ellipsis() -> None:
    assert button_title("Short one") == "Short one"
    title = "Videoconferencia regional sobre certificación de competencias laborales"
    label = button_title(title)
    assert label == "Videoconferencia regional sobre…" and len(label) <= 40
    assert button_title("x" * 60).endswith("…") and len(button_title("x" * 60)) == 40
    assert button_title("a  b\n c") == "a b c"  # one line on a button
    assert shorten("uno, dos, tres", 10) == "uno…"


def test_a_text_kept_without_markup_keeps_its_links() -> None:
    assert readable_text('Ver <a href="https://x.org/a">las reglas</a>.') == (
        "Ver las reglas (https://x.org/a)."
    )
    assert readable_text('<a href="https://x.org">https://x.org</a>') == "https://x.org"
    assert readable_text("<b>Sí</b> 🐶 &amp; <i>más</i>") == "Sí 🐶 & más"
    two = '<a href="https://a.org">😀 a</a> y <a href="https://b.org">b</a>'
    assert readable_text(two) == "😀 a (https://a.org) y b (https://b.org)"
    assert readable_text("<b>roto") == "<b>roto"  # refused markup stays as it is
