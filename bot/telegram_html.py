"""Checks that a text is HTML Telegram accepts (before it is queued for thousands)."""

from __future__ import annotations

import re
from html.parser import HTMLParser

ALLOWED = {
    "b",
    "strong",
    "i",
    "em",
    "u",
    "ins",
    "s",
    "strike",
    "del",
    "span",
    "tg-spoiler",
    "a",
    "code",
    "pre",
    "blockquote",
    "tg-emoji",
}


class _Checker(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.error: str | None = None
        self.text_length = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.error:
            return
        if tag not in ALLOWED:
            self.error = f"unsupported tag <{tag}>"
            return
        if tag == "a" and not dict(attrs).get("href"):
            self.error = "<a> needs an href"
            return
        if tag == "span" and dict(attrs).get("class") != "tg-spoiler":
            self.error = '<span> needs class="tg-spoiler"'
            return
        self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if self.error:
            return
        if not self.stack or self.stack[-1] != tag:
            self.error = f"unexpected </{tag}>"
            return
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        self.text_length += len(data)


def html_error(text: str) -> str | None:
    """None when Telegram would accept ``text`` with parse_mode HTML, else what is wrong."""
    if re.search(r"<(?![a-zA-Z/])", text):
        return "a < that is not a tag must be written &lt;"
    checker = _Checker()
    try:
        checker.feed(text)
        checker.close()
    except Exception as exc:  # HTMLParser is lenient; this is a last resort
        return str(exc)
    if checker.error:
        return checker.error
    if checker.stack:
        return f"<{checker.stack[-1]}> is not closed"
    return None


def visible_length(text: str) -> int:
    checker = _Checker()
    checker.feed(text)
    checker.close()
    return checker.text_length
