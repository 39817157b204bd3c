"""Telegram message entities turned into Telegram HTML that :func:`parse_html` reads back.

An organizer who formats an announcement with Telegram's own buttons sends text plus
entities; the announcement is stored and sent as HTML. The conversion must give back exactly
what they saw:

- offsets and lengths are UTF-16 code units (an emoji outside the BMP is 2), mapped to
  Python characters; an entity ending inside a surrogate pair keeps the whole character;
- ``<``, ``>`` and ``&`` in the text are escaped (so a typed ``&nbsp;`` stays visible);
- entities may nest and even overlap (bold over half a link): the text is cut where any
  entity starts or ends, and tags are closed and reopened at those cuts so the HTML nests;
- what Telegram's HTML can't nest is resolved as Telegram does, by dropping the inner one:
  a block quotation inside another, a link inside a link, code/pre/custom emoji inside a
  link or inside each other;
- entities HTML has no tag for (mentions, hashtags, URLs, e-mails, phone numbers, commands,
  date_time) stay plain text: Telegram finds the automatic ones again when it is sent.
"""

from __future__ import annotations

import bisect
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import Any

from bot.messaging.telegram_html import looks_like_emoji, utf16_len

_SIMPLE = {
    "bold": "b",
    "italic": "i",
    "underline": "u",
    "strikethrough": "s",
    "spoiler": "tg-spoiler",
}
# Outer before inner: quotations, then links and formatting (by where they start), then
# the entities that hold plain text only.
_LAYER = {"quote": 0, "link": 1, "format": 1, "leaf": 2}
_RANK = ["blockquote", "text_link", "bold", "italic", "underline", "strikethrough", "spoiler"]


@dataclass(frozen=True)
class _Span:
    start: int  # Python character indexes
    end: int
    kind: str  # quote | link | format | leaf
    rank: int
    open: str
    close: str
    order: int


def escape_text(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def escape_attribute(value: str) -> str:
    return escape_text(value).replace('"', "&quot;")


def _get(entity: Any, name: str) -> Any:
    """A field of an entity given as a Bot API dict or as a ``telegram.MessageEntity``."""
    if isinstance(entity, Mapping):
        return entity.get(name)
    return getattr(entity, name, None)


def _tags(entity: Any) -> tuple[str, str, str] | None:
    """Kind, start tag and end tag of an entity (None: no HTML for it)."""
    kind = str(_get(entity, "type") or "")
    if kind in _SIMPLE:
        return "format", f"<{_SIMPLE[kind]}>", f"</{_SIMPLE[kind]}>"
    if kind in ("blockquote", "expandable_blockquote"):
        attribute = " expandable" if kind == "expandable_blockquote" else ""
        return "quote", f"<blockquote{attribute}>", "</blockquote>"
    if kind == "text_link" and _get(entity, "url"):
        return "link", f'<a href="{escape_attribute(str(_get(entity, "url")))}">', "</a>"
    user = _get(entity, "user")
    user_id = _get(user, "id") if user is not None else None
    if kind == "text_mention" and user_id is not None:
        return "link", f'<a href="tg://user?id={int(user_id)}">', "</a>"
    if kind == "code":
        return "leaf", "<code>", "</code>"
    if kind == "pre":
        language = _get(entity, "language")
        if language:
            return (
                "leaf",
                f'<pre><code class="language-{escape_attribute(language)}">',
                ("</code></pre>"),
            )
        return "leaf", "<pre>", "</pre>"
    emoji_id = str(_get(entity, "custom_emoji_id") or "")
    if kind == "custom_emoji" and emoji_id.isascii() and emoji_id.isdigit():
        return "leaf", f'<tg-emoji emoji-id="{emoji_id}">', "</tg-emoji>"
    return None


def _spans(text: str, entities: Sequence[Any]) -> list[_Span]:
    positions = [0]
    for char in text:
        positions.append(positions[-1] + utf16_len(char))
    spans = []
    for order, entity in enumerate(entities):
        tags = _tags(entity)
        offset, length = int(_get(entity, "offset") or 0), int(_get(entity, "length") or 0)
        if tags is None or length <= 0:
            continue
        start = max(0, bisect.bisect_right(positions, offset) - 1)
        end = min(len(text), bisect.bisect_left(positions, offset + length))
        kind = str(_get(entity, "type"))
        if end <= start or (kind == "custom_emoji" and not looks_like_emoji(text[start:end])):
            continue
        rank = _RANK.index(kind) if kind in _RANK else len(_RANK)
        spans.append(_Span(start, end, tags[0], rank, tags[1], tags[2], order))
    return spans


def _nested(active: list[_Span]) -> list[_Span]:
    """The entities covering one stretch of text, outermost first, minus what can't nest."""
    chosen: list[_Span] = []
    seen: set[str] = set()
    for span in sorted(active, key=lambda s: (_LAYER[s.kind], s.start, -s.end, s.rank, s.order)):
        if span.kind != "format" and span.kind in seen:
            continue  # no quote in a quote, no link in a link, one leaf at most
        if span.kind == "leaf" and "link" in seen:
            continue  # a link holds formatting only
        seen.add(span.kind)
        chosen.append(span)
    return chosen


def entities_to_html(text: str, entities: Sequence[Any]) -> str:
    """``text`` with its formatting ``entities`` (Bot API dicts or ``MessageEntity``) as HTML."""
    spans = _spans(text, entities)
    bounds = sorted({0, len(text), *(s.start for s in spans), *(s.end for s in spans)})
    out: list[str] = []
    stack: list[_Span] = []
    for start, end in pairwise(bounds):
        wanted = _nested([s for s in spans if s.start <= start and end <= s.end])
        keep = 0
        while keep < min(len(stack), len(wanted)) and stack[keep] == wanted[keep]:
            keep += 1
        out.extend(span.close for span in reversed(stack[keep:]))
        out.extend(span.open for span in wanted[keep:])
        stack = wanted
        out.append(escape_text(text[start:end]))
    out.extend(span.close for span in reversed(stack))
    return "".join(out)
