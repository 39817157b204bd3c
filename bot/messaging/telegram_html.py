"""Telegram's HTML parse mode: the tags it accepts, turned into plain text and entities.

Used by the Bot API emulator to answer as Telegram does (``can't parse entities`` for broken
markup, entity offsets in UTF-16 code units) and by the broadcast composer to refuse broken
HTML before anything is queued.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any

SIMPLE_TAGS = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "tg-spoiler": "spoiler",
    "code": "code",
    "pre": "pre",
    "blockquote": "blockquote",
}
OTHER_TAGS = {"a", "span", "tg-emoji"}


class HTMLEntityError(ValueError):
    """Telegram would answer ``Bad Request: can't parse entities: ...``."""


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


@dataclass
class _Open:
    tag: str
    entity: dict[str, Any] | None
    start: int


@dataclass
class ParsedHTML:
    text: str
    entities: list[dict[str, Any]] = field(default_factory=list)


class _Parser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.chunks: list[str] = []
        # Not ``self.offset``: HTMLParser keeps its own ``offset`` (the column in the markup)
        # and would overwrite ours, giving entities offsets into the HTML source.
        self.position = 0  # in UTF-16 code units of the plain text, as Telegram counts
        self.stack: list[_Open] = []
        self.entities: list[dict[str, Any]] = []

    def handle_data(self, data: str) -> None:
        self.chunks.append(data)
        self.position += utf16_len(data)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        entity: dict[str, Any] | None
        if tag in SIMPLE_TAGS:
            entity = {"type": SIMPLE_TAGS[tag]}
            if tag == "blockquote" and "expandable" in values:
                entity["type"] = "expandable_blockquote"
            if tag == "code" and self.stack and self.stack[-1].tag == "pre":
                language = (values.get("class") or "").removeprefix("language-")
                pre = self.stack[-1].entity
                if pre is not None and language:
                    pre["language"] = language
                entity = None
        elif tag == "a":
            href = values.get("href")
            if not href:
                raise HTMLEntityError('Can\'t find "href" attribute of the "a" tag')
            entity = {"type": "text_link", "url": href}
        elif tag == "span":
            if values.get("class") != "tg-spoiler":
                raise HTMLEntityError('Tag "span" must have class "tg-spoiler"')
            entity = {"type": "spoiler"}
        elif tag == "tg-emoji":
            entity = {"type": "custom_emoji", "custom_emoji_id": values.get("emoji-id", "")}
        else:
            raise HTMLEntityError(f'Unsupported start tag "{tag}"')
        self.stack.append(_Open(tag, entity, self.position))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "br":
            raise HTMLEntityError('Unsupported start tag "br"')
        self.handle_starttag(tag, attrs)
        self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.stack:
            raise HTMLEntityError(f'Unexpected end tag "{tag}"')
        opened = self.stack.pop()
        if opened.tag != tag:
            raise HTMLEntityError(
                f'Unmatched end tag, expected "</{opened.tag}>", found "</{tag}>"'
            )
        if opened.entity is not None and self.position > opened.start:
            opened.entity["offset"] = opened.start
            opened.entity["length"] = self.position - opened.start
            self.entities.append(opened.entity)


def parse_html(markup: str) -> ParsedHTML:
    """Plain text and entities of a Telegram HTML text; :class:`HTMLEntityError` if broken."""
    parser = _Parser()
    parser.feed(markup)
    if parser.rawdata.startswith("<"):
        # HTMLParser holds back a tag cut off at the end ("see <b") and would give it back
        # as text on close(); Telegram refuses it.
        raise HTMLEntityError(f'Unclosed tag "{parser.rawdata[:20]}"')
    parser.close()
    if parser.stack:
        raise HTMLEntityError(
            f'Can\'t find end tag corresponding to start tag "{parser.stack[-1].tag}"'
        )
    parser.entities.sort(key=lambda e: (e["offset"], -e["length"]))
    return ParsedHTML("".join(parser.chunks), parser.entities)


def html_error(markup: str) -> str | None:
    """None when Telegram would accept ``markup`` with parse_mode HTML; else its complaint."""
    if re.search(r"<(?![a-zA-Z/])", markup):
        return "a < that is not a tag must be written &lt;"
    try:
        parse_html(markup)
    except HTMLEntityError as exc:
        return str(exc)
    return None


def visible_length(markup: str) -> int:
    """Characters a reader sees (what Telegram's 4,096 limit counts)."""
    return len(parse_html(markup).text)
