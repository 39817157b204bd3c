"""Telegram's HTML parse mode: markup turned into plain text and entities, as Telegram does it.

Used by the Bot API emulator (to answer as Telegram does: ``can't parse entities`` for broken
markup, entity offsets in UTF-16 code units) and by the broadcast composer (to refuse what
Telegram would refuse before anything is queued). It is a hand-written scanner, not
:mod:`html.parser`, because Telegram's parser is not an HTML5 parser: it rejects what browsers
repair (unquoted values, ``<b/>``, ``<br>``) and keeps what browsers decode (``&nbsp;``).

The rules (Bot API "HTML style", and how Telegram's parser behaves where that page is silent;
where we were unsure we refuse, so that nothing accepted here is refused by Telegram):

Tags
  Only ``b strong i em u ins s strike del tg-spoiler span a tg-emoji code pre blockquote``,
  names case-insensitive, every start tag closed by the matching end tag, innermost first.
  Anything else -- ``<br>``, ``<p>``, ``<b/>`` (its name is ``b/``), a ``<`` that starts no
  tag -- is ``Unsupported start tag``. End tags are exactly ``</name>`` (no spaces).
Attributes
  ``name="value"`` or ``name='value'``; no spaces around ``=``; values may hold ``&...;``
  references. An unquoted value (``href=https://x``) is refused. A name without a value is
  allowed (``<blockquote expandable>``). Attributes a tag does not use are ignored.
  ``span`` needs ``class="tg-spoiler"``; ``a`` needs a non-empty ``href`` that is an
  ``http://``, ``https://``, ``tg://`` or ``ton://`` link (or a bare ``host.tld/...``, which
  Telegram reads as ``http://``); ``tg-emoji`` needs a numeric ``emoji-id`` and an emoji as
  its content; ``code`` directly inside ``pre`` may carry ``class="language-x"``.
Character references
  Only ``&lt; &gt; &amp; &quot;`` (the ``;`` may be left off, as Telegram allows) and numeric
  ones (``&#65;``, ``&#x41;``). Any other ``&`` -- ``&nbsp;``, ``AT&T`` -- is kept as the
  reader will see it: literally. A numeric reference must name a Unicode scalar value:
  ``&#0;``, surrogates (``&#xD800;``), values past ``&#x10FFFF;`` and an upper-case
  ``&#X41;`` are refused. A lone ``>`` is kept as text.
Nesting
  Bold, italic, underline, strikethrough and spoiler may contain anything and sit inside
  anything but ``code``/``pre``; a link holds only those (no link in a link, no code in a
  link); ``code``, ``tg-emoji`` and ``pre`` hold plain text only, except that a ``pre`` may
  hold exactly one ``<code class="language-x">`` around all its text; block quotations are
  not nested. (Telegram silently drops what breaks these rules; we say so instead.)
Length
  Measured on the visible text after parsing, in UTF-16 code units (an emoji outside the
  Basic Multilingual Plane counts 2): at most :data:`TEXT_LIMIT` for a message and
  :data:`CAPTION_LIMIT` for a caption (Telegram: "1-4096 characters after entities
  parsing"). Surrounding whitespace is not trimmed here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from string import ascii_letters, digits, hexdigits
from typing import Any
from urllib.parse import urlsplit

from bot.messaging.html_faults import FaultKind, HtmlFault

TEXT_LIMIT = 4096
CAPTION_LIMIT = 1024

FORMATTING = {
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
    "span": "spoiler",
}
KINDS = {
    **dict.fromkeys(FORMATTING, "format"),
    "a": "link",
    "code": "code",
    "pre": "pre",
    "tg-emoji": "emoji",
    "blockquote": "quote",
}
NAMED_REFERENCES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
LINK_SCHEMES = {"http", "https", "tg", "ton"}
_NAME_CHARS = frozenset(ascii_letters + digits + "-_")
_SURROGATE = re.compile("[\ud800-\udfff]")


class HTMLEntityError(ValueError):
    """Telegram would answer ``Bad Request: can't parse entities: ...``; ``fault`` says the
    same for people (the message is Telegram's English, as the emulator must answer)."""

    def __init__(self, message: str, fault: HtmlFault) -> None:
        super().__init__(message)
        self.fault = fault


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


@dataclass
class ParsedHTML:
    text: str
    entities: list[dict[str, Any]] = field(default_factory=list)


@dataclass(frozen=True)
class Chars:
    """Visible text: a run spelled literally, or one character spelled as a reference."""

    text: str
    source: str
    at: int  # index of the first character of ``source`` in the markup


@dataclass(frozen=True)
class Tag:
    name: str  # lower case
    source: str
    closing: bool
    at: int
    attrs: dict[str, str] = field(default_factory=dict, compare=False)


Token = Chars | Tag


def byte_offset(markup: str, at: int) -> int:
    """Where Telegram says an error is: the UTF-8 byte offset of character ``at``."""
    return len(markup[:at].encode("utf-8", "surrogatepass"))


def _error(
    markup: str,
    at: int,
    message: str,
    kind: FaultKind,
    tag: str | None = None,
    other: str | None = None,
) -> HTMLEntityError:
    text = message.replace("{at}", f"at byte offset {byte_offset(markup, at)}")
    return HTMLEntityError(text, HtmlFault(kind, at, tag, other))


# ------------------------------------------------------------------------------ lexing
def tokenize(markup: str) -> list[Token]:
    """The markup as text runs, references and tags; :class:`HTMLEntityError` if malformed.

    Says nothing of nesting: :func:`parse_html` checks that.
    """
    surrogate = _SURROGATE.search(markup)
    if surrogate is not None:
        fault = HtmlFault("encoding", surrogate.start())
        raise HTMLEntityError("Text must be encoded in UTF-8 (it holds a lone surrogate)", fault)
    tokens: list[Token] = []
    run = i = 0
    while i < len(markup):
        char = markup[i]
        if char not in "&<":
            i += 1
            continue
        found = _reference(markup, i) if char == "&" else None
        if char == "&" and found is None:
            i += 1
            continue
        if run < i:
            tokens.append(Chars(markup[run:i], markup[run:i], run))
        if found is not None:
            text, end = found
            tokens.append(Chars(text, markup[i:end], i))
        else:
            tag, end = _tag(markup, i)
            tokens.append(tag)
        run = i = end
    if run < len(markup):
        tokens.append(Chars(markup[run:], markup[run:], run))
    return tokens


def _reference(markup: str, i: int) -> tuple[str, int] | None:
    """The character ``&...`` at ``i`` stands for and where it ends; None if it is literal."""
    if markup.startswith("&#", i):
        return _numeric_reference(markup, i)
    end = i + 1
    while end < len(markup) and markup[end] in ascii_letters:
        end += 1
    char = NAMED_REFERENCES.get(markup[i + 1 : end])
    if char is None:
        return None
    return char, end + 1 if markup.startswith(";", end) else end


def _numeric_reference(markup: str, i: int) -> tuple[str, int] | None:
    start = i + 2
    if markup.startswith("X", start):
        message = "Write hexadecimal references with a lower-case x (&#x...;) {at}"
        raise _error(markup, i, message, "hex-case")
    base, allowed = (16, hexdigits) if markup.startswith("x", start) else (10, digits)
    start += base == 16
    end = start
    while end < len(markup) and markup[end] in allowed:
        end += 1
    if end == start:
        return None  # "&#" followed by no digits is plain text, as in Telegram
    stop = end + 1 if markup.startswith(";", end) else end
    spelled = markup[i:stop]
    value = int(markup[start:end], base) if end - start <= 7 else 0x110000
    if 0xD800 <= value <= 0xDFFF:
        message = f'"{spelled}" {{at}} is a UTF-16 surrogate, not a character'
        raise _error(markup, i, message, "bad-reference", other=spelled)
    if value == 0 or value > 0x10FFFF:
        message = f'"{spelled}" {{at}} is not a Unicode character'
        raise _error(markup, i, message, "bad-reference", other=spelled)
    return chr(value), stop


def decode_references(text: str) -> str:
    """``text`` with its ``&...;`` references replaced, the way attribute values are read."""
    out: list[str] = []
    i = 0
    while (amp := text.find("&", i)) >= 0:
        found = _reference(text, amp)
        out.append(text[i:amp] if found else text[i : amp + 1])
        if found:
            out.append(found[0])
        i = found[1] if found else amp + 1
    out.append(text[i:])
    return "".join(out)


def _tag(markup: str, i: int) -> tuple[Tag, int]:
    if markup.startswith("</", i):
        close = markup.find(">", i)
        if close < 0:
            raise _error(markup, i, "Unclosed end tag {at}", "unclosed-end")
        return Tag(markup[i + 2 : close].lower(), markup[i : close + 1], True, i), close + 1
    end = i + 1
    while end < len(markup) and not markup[end].isspace() and markup[end] != ">":
        end += 1
    name = markup[i + 1 : end].lower()
    if end >= len(markup):
        raise _error(markup, i, "Unclosed start tag {at}", "unclosed-start", name or None)
    if name not in KINDS:
        hint = " (write a < that starts no tag as &lt;)" if not name else ""
        kind: FaultKind = "unsupported-tag" if name else "lone-lt"
        raise _error(markup, i, f'Unsupported start tag "{name}" {{at}}{hint}', kind, name)
    attrs, stop = _attributes(markup, end, name, i)
    return Tag(name, markup[i:stop], False, i, attrs), stop


def _attributes(markup: str, pos: int, tag: str, begin: int) -> tuple[dict[str, str], int]:
    """``name="value"`` pairs from ``pos`` to the ``>`` of the start tag begun at ``begin``."""
    attrs: dict[str, str] = {}
    while True:
        k = pos
        while k < len(markup) and markup[k].isspace():
            k += 1
        if k >= len(markup):
            raise _error(markup, begin, "Unclosed start tag {at}", "unclosed-start", tag)
        if markup[k] == ">":
            return attrs, k + 1
        start = k
        while k < len(markup) and markup[k] in _NAME_CHARS:
            k += 1
        if k == start or start == pos:
            message = f'Unexpected "{markup[start]}" in start tag "{tag}" {{at}}'
            raise _error(markup, start, message, "unexpected-char", tag, markup[start])
        name = markup[start:k].lower()
        if not markup.startswith("=", k):
            attrs.setdefault(name, "")
            pos = k
            continue
        quote = markup[k + 1 : k + 2]
        if quote not in ('"', "'"):
            message = f'Value of attribute "{name}" of tag "{tag}" {{at}} must be in quotes'
            raise _error(markup, start, f'{message}: {name}="..."', "unquoted-value", tag, name)
        close = markup.find(quote, k + 2)
        if close < 0:
            raise _error(markup, begin, "Unclosed start tag {at}", "unclosed-start", tag)
        attrs.setdefault(name, decode_references(markup[k + 2 : close]))
        pos = close + 1


# ----------------------------------------------------------------------------- nesting
@dataclass
class _Open:
    tag: Tag
    kind: str
    start: int  # UTF-16 offset in the text
    entity: dict[str, Any] | None
    content: list[str] = field(default_factory=list)
    children: int = 0


_CONTAINS_NOTHING = "it holds plain text only"
_WHY = {
    "code": _CONTAINS_NOTHING,
    "emoji": _CONTAINS_NOTHING,
    "pre": 'it holds plain text, or one <code class="language-..."> around all of it',
    "link": "a link holds only bold, italic, underline, strikethrough and spoiler text",
    "quote": "block quotations can't be nested",
}


def _refusal(parent: _Open, kind: str, direct: bool) -> str | None:
    """Why an element of ``kind`` can't be opened inside ``parent`` (None: it can)."""
    if parent.kind == "format" or (parent.kind == "quote" and kind != "quote"):
        return None
    if parent.kind == "link" and kind == "format":
        return None
    if parent.kind == "pre" and kind == "code" and direct:
        return None if not parent.content and not parent.children else _WHY["pre"]
    return _WHY[parent.kind]


class _Builder:
    def __init__(self, markup: str) -> None:
        self.markup = markup
        self.chunks: list[str] = []
        self.offset = 0
        self.stack: list[_Open] = []
        self.entities: list[dict[str, Any]] = []

    def text(self, token: Chars) -> None:
        if self.stack and self.stack[-1].kind == "pre" and self.stack[-1].children:
            message = "Text after </code> inside <pre> {at}"
            raise _error(self.markup, token.at, message, "text-after-code", "pre")
        for opened in self.stack:
            opened.content.append(token.text)
        self.chunks.append(token.text)
        self.offset += utf16_len(token.text)

    def open(self, tag: Tag) -> None:
        kind = KINDS[tag.name]
        for depth, parent in enumerate(self.stack):
            why = _refusal(parent, kind, depth == len(self.stack) - 1)
            if why:
                message = f'Tag "{tag.name}" {{at}} can\'t be inside "{parent.tag.name}": {why}'
                raise _error(self.markup, tag.at, message, "bad-nesting", tag.name, parent.tag.name)
        if self.stack:
            self.stack[-1].children += 1
        entity = _entity(tag, kind, self.markup)
        if kind == "code" and self.stack and self.stack[-1].kind == "pre":
            pre = self.stack[-1].entity
            language = tag.attrs.get("class", "").partition("language-")
            if pre is not None and not language[0] and language[2]:
                pre["language"] = language[2]
            entity = None
        self.stack.append(_Open(tag, kind, self.offset, entity))

    def close(self, tag: Tag) -> None:
        if not self.stack:
            raise _error(self.markup, tag.at, "Unexpected end tag {at}", "unexpected-end", tag.name)
        opened = self.stack.pop()
        if opened.tag.name != tag.name:
            expected = f'expected "</{opened.tag.name}>", found "{tag.source}"'
            message = f"Unmatched end tag {{at}}, {expected}"
            raise _error(self.markup, tag.at, message, "unmatched-end", tag.name, opened.tag.name)
        if opened.kind == "emoji" and not looks_like_emoji("".join(opened.content)):
            message = 'Tag "tg-emoji" {at} must hold one emoji'
            raise _error(self.markup, opened.tag.at, message, "emoji-content", "tg-emoji")
        if opened.entity is not None and self.offset > opened.start:
            opened.entity["offset"] = opened.start
            opened.entity["length"] = self.offset - opened.start
            self.entities.append(opened.entity)

    def result(self) -> ParsedHTML:
        if self.stack:
            name = self.stack[-1].tag.name
            raise _error(
                self.markup,
                self.stack[-1].tag.at,
                f'Can\'t find end tag corresponding to start tag "{name}" {{at}}',
                "missing-end",
                name,
            )
        self.entities.sort(key=lambda e: (e["offset"], -e["length"]))
        return ParsedHTML("".join(self.chunks), self.entities)


def _entity(tag: Tag, kind: str, markup: str) -> dict[str, Any] | None:
    """The entity a start tag makes, its attributes checked."""
    attrs = tag.attrs
    if tag.name == "span" and attrs.get("class") != "tg-spoiler":
        message = 'Tag "span" {at} must have class "tg-spoiler"'
        raise _error(markup, tag.at, message, "span-class", "span")
    if kind == "format":
        return {"type": FORMATTING[tag.name]}
    if kind == "link":
        problem = link_problem(attrs.get("href", ""))
        if problem:
            message = f'Tag "a" {{at}} needs a usable href: {problem}'
            raise _error(markup, tag.at, message, "bad-link", "a", attrs.get("href", ""))
        return {"type": "text_link", "url": attrs["href"]}
    if kind == "emoji":
        emoji_id = attrs.get("emoji-id", "")
        if not emoji_id.isascii() or not emoji_id.isdigit():
            message = 'Tag "tg-emoji" {at} needs a numeric emoji-id attribute'
            raise _error(markup, tag.at, message, "emoji-id", "tg-emoji")
        return {"type": "custom_emoji", "custom_emoji_id": emoji_id}
    if kind == "quote":
        return {"type": "expandable_blockquote" if "expandable" in attrs else "blockquote"}
    return {"type": kind}


def link_problem(url: str) -> str | None:
    """Why Telegram would not make ``url`` a link (None: it would)."""
    if not url:
        return "it is empty"
    if any(char.isspace() or ord(char) < 32 for char in url):
        return "a URL can't hold spaces"
    scheme, sep, rest = url.partition(":")
    if not sep or "." in scheme or not re.fullmatch(r"[A-Za-z][A-Za-z0-9+-]*", scheme):
        scheme, rest = "http", "//" + url
    scheme = scheme.lower()
    if scheme not in LINK_SCHEMES:
        return f'"{scheme}:" links are not opened by Telegram (use http://, https:// or tg://)'
    if scheme in {"tg", "ton"}:
        return None if rest.strip("/") else "the link is incomplete"
    try:
        host = urlsplit(f"{scheme}:{rest}").hostname or ""
    except ValueError:
        host = ""
    if not host or ("." not in host and host != "localhost"):
        return f'"{url}" is not a web address'
    return None


def looks_like_emoji(text: str) -> bool:
    """Roughly "one emoji": something, no spaces, no letters, not plain ASCII."""
    return bool(text) and not text.isascii() and not any(c.isspace() or c.isalpha() for c in text)


# ------------------------------------------------------------------------------ public
def build(tokens: list[Token], markup: str) -> ParsedHTML:
    """Check the nesting of ``tokens`` (from :func:`tokenize`) and make text and entities."""
    builder = _Builder(markup)
    for token in tokens:
        if isinstance(token, Chars):
            builder.text(token)
        elif token.closing:
            builder.close(token)
        else:
            builder.open(token)
    return builder.result()


def parse_html(markup: str) -> ParsedHTML:
    """Plain text and entities of a Telegram HTML text; :class:`HTMLEntityError` if broken."""
    return build(tokenize(markup), markup)


def html_error(markup: str) -> str | None:
    """None when Telegram would accept ``markup`` with parse_mode HTML; else its complaint."""
    try:
        parse_html(markup)
    except HTMLEntityError as exc:
        return str(exc)
    return None


def html_fault(markup: str) -> HtmlFault | None:
    """None when Telegram would accept ``markup``; else what is wrong, for people."""
    try:
        parse_html(markup)
    except HTMLEntityError as exc:
        return exc.fault
    return None


def visible_length(markup: str) -> int:
    """UTF-16 code units a reader sees: what Telegram's 4,096 and 1,024 limits count."""
    return utf16_len(parse_html(markup).text)
