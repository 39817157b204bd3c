"""What is wrong with a Telegram HTML text, for people: the kind of fault, where, which tags.

:mod:`bot.messaging.telegram_html` raises them inside its errors (whose messages stay
Telegram's English, as the emulator must answer); :mod:`bot.render.refusals` words them in
the reader's language.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

FaultKind = Literal[
    "encoding",  # a lone surrogate in the text
    "hex-case",  # &#X41; (Telegram wants a lower-case x)
    "bad-reference",  # &#0;, &#xD800;, past &#x10FFFF;
    "lone-lt",  # a < that starts no tag
    "unsupported-tag",  # <br>, <p>, <b/>...
    "unclosed-start",  # <b with no >
    "unclosed-end",  # </b with no >
    "unexpected-char",  # <a href="x"=...>
    "unquoted-value",  # <a href=https://x>
    "span-class",  # <span> without class="tg-spoiler"
    "bad-link",  # <a> without a usable href
    "emoji-id",  # <tg-emoji> without a numeric emoji-id
    "emoji-content",  # <tg-emoji> holding something else than one emoji
    "bad-nesting",  # a tag inside one that can't hold it (``other``: the outer tag)
    "text-after-code",  # text after </code> inside <pre>
    "unexpected-end",  # </b> with nothing open
    "unmatched-end",  # </i> where </b> was expected (``other``: the expected tag)
    "missing-end",  # <b> never closed
    "part-too-long",  # a part of a long text, cut for sending, still over the limit
]


@dataclass(frozen=True)
class HtmlFault:
    """What is wrong with a markup, for people: the kind of fault, where it is (a character
    index in the markup; None when unknown) and the tags concerned (lower case)."""

    kind: FaultKind
    at: int | None = None
    tag: str | None = None
    other: str | None = None
