"""Typed outgoing messages: what the outbox stores and what handlers put under a text.

A :class:`Button` is either a callback button (``data``: packed callback data), a link
(``url``) or a button that opens the Mini App (``web_app``: its https address; Telegram
allows these in private chats only), exactly one of them. An :class:`OutboundMessage` is
one delivery: text parts sent in order, optionally a document or photo first (the text as
its caption when it fits), and buttons on the last message.

The outbox keeps the JSON format it always had, so rows queued before this module existed
are read the same::

    {"parts": ["..."], "parse_mode": "HTML",
     "buttons": [[["Join", "url:https://..."], ["Yes", "rv:..."]]],
     "document": "<file_id>" | "photo": "<file_id>", "silent": true, "no_preview": true,
     "thread": <forum topic id>, "reply_to": <message id>}

(``"text"`` instead of ``"parts"`` is still read; ``url:`` marks a link in stored buttons,
``webapp:`` a Mini App button.)
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

URL_MARK = "url:"  # stored buttons: [text, "url:<link>"] is a link, [text, data] a callback
WEBAPP_MARK = "webapp:"  # [text, "webapp:<https address>"] opens the Mini App


@dataclass(frozen=True)
class Button:
    """A callback button ``Button("Yes", data=Pressed(...).pack())``, a link (``url=``) or
    a Mini App button (``web_app=``)."""

    text: str
    data: str | None = None
    url: str | None = None
    web_app: str | None = None

    def __post_init__(self) -> None:
        if [self.data, self.url, self.web_app].count(None) != 2:
            raise ValueError(f"button {self.text!r}: give exactly one of data, url and web_app")
        if self.data is not None and self.data.startswith((URL_MARK, WEBAPP_MARK)):
            raise ValueError(f"button {self.text!r}: callback data may not start with a mark")

    def to_json(self) -> list[str]:
        """The stored shape: ``[text, data]``, ``[text, "url:<link>"]`` or
        ``[text, "webapp:<address>"]``."""
        if self.web_app is not None:
            return [self.text, WEBAPP_MARK + self.web_app]
        return [self.text, self.data if self.data is not None else URL_MARK + str(self.url)]

    @classmethod
    def of(cls, cell: Button | Sequence[str]) -> Button:
        """A button from itself or from the stored / legacy ``(text, data)`` pair."""
        if isinstance(cell, Button):
            return cell
        text, data = cell
        if data.startswith(URL_MARK):
            return cls(str(text), url=data[len(URL_MARK) :])
        if data.startswith(WEBAPP_MARK):
            return cls(str(text), web_app=data[len(WEBAPP_MARK) :])
        return cls(str(text), data=str(data))


def button_rows(rows: Sequence[Sequence[Button | Sequence[str]]] | None) -> list[list[Button]]:
    """Rows of buttons from buttons or stored / legacy pairs (empty rows dropped)."""
    return [[Button.of(cell) for cell in row] for row in rows or [] if row]


@dataclass(frozen=True)
class OutboundMessage:
    """One delivery as the outbox stores it (see the module docstring for the JSON)."""

    parts: list[str]
    parse_mode: str | None = "HTML"
    buttons: list[list[Button]] = field(default_factory=list)
    document: str | None = None  # Telegram file_id
    photo: str | None = None  # Telegram file_id
    silent: bool = False
    # No link preview: a join link's card (a meeting platform's page) tells nothing the
    # text does not, and takes half the screen of a reminder.
    no_preview: bool = False
    thread: int | None = None  # the forum topic it goes to (a ticket's, in a forum inbox)
    reply_to: int | None = None  # the message it answers in that chat (a ticket's post)

    def __post_init__(self) -> None:
        if self.document is not None and self.photo is not None:
            raise ValueError("a message carries a document or a photo, not both")

    @property
    def media(self) -> tuple[str, str] | None:
        """``("document" | "photo", file_id)`` when a file goes first."""
        if self.document is not None:
            return "document", self.document
        if self.photo is not None:
            return "photo", self.photo
        return None

    def to_payload(self) -> dict[str, Any]:
        payload: dict[str, Any] = {"parts": list(self.parts), "parse_mode": self.parse_mode}
        if self.buttons:
            payload["buttons"] = [[b.to_json() for b in row] for row in self.buttons]
        if self.document is not None:
            payload["document"] = self.document
        if self.photo is not None:
            payload["photo"] = self.photo
        if self.silent:
            payload["silent"] = True
        if self.no_preview:
            payload["no_preview"] = True
        if self.thread is not None:
            payload["thread"] = self.thread
        if self.reply_to is not None:
            payload["reply_to"] = self.reply_to
        return payload

    @classmethod
    def from_payload(cls, payload: Mapping[str, Any]) -> OutboundMessage:
        parts = payload.get("parts") or [payload.get("text", "")]
        return cls(
            parts=[str(p) for p in parts],
            parse_mode=payload.get("parse_mode", "HTML"),
            buttons=button_rows(payload.get("buttons")),
            document=payload.get("document") or None,
            photo=None if payload.get("document") else payload.get("photo") or None,
            silent=bool(payload.get("silent")),
            no_preview=bool(payload.get("no_preview")),
            thread=_number(payload.get("thread")),
            reply_to=_number(payload.get("reply_to")),
        )


def _number(value: Any) -> int | None:
    return int(value) if value is not None else None
