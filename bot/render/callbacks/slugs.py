"""Slug ids in buttons: short enough for every layout, whatever the id's length.

Ids are slugs of up to 64 characters (``bot.core.ids.SLUG``), and an imported iCalendar
UID easily gives one that long, but no button can carry 64 characters plus a prefix within
Telegram's 64 bytes, and events have no numeric surrogate key. So an id of up to
:data:`VERBATIM_MAX` characters goes in as it is (readable in logs), and a longer one as
``~`` and its base-64 form (57 characters at most: ``rv:<id>:y`` then stays at 62 bytes).
Every id has exactly one form, and a form that is not the canonical one reads as None.
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING, Any, ClassVar, Self

from bot.core.ids import SLUG
from bot.render.callbacks.base import CallbackData

VERBATIM_MAX = 56
MARK = "~"
_SLUG_CHARS = "-0123456789abcdefghijklmnopqrstuvwxyz"  # digit 0 is unused (bijective)
_DIGITS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_"
_BASE = len(_SLUG_CHARS) + 1


def to_ref(slug: str) -> str:
    """The form of ``slug`` that goes into a button."""
    if not SLUG.match(slug):
        raise ValueError(f"{slug!r} is not a slug")
    if len(slug) <= VERBATIM_MAX:
        return slug
    number = 0
    for char in reversed(slug):
        number = number * _BASE + _SLUG_CHARS.index(char) + 1
    digits = []
    while number:
        number, digit = divmod(number, len(_DIGITS))
        digits.append(_DIGITS[digit])
    return MARK + "".join(digits)


def from_ref(ref: str) -> str | None:
    """The slug a button's ``ref`` stands for, or None when it is not a canonical form."""
    if not ref.startswith(MARK):
        return ref if SLUG.match(ref) and len(ref) <= VERBATIM_MAX else None
    if not 1 < len(ref) <= 60 or any(c not in _DIGITS for c in ref[1:]):
        return None
    number = 0
    for char in reversed(ref[1:]):
        number = number * len(_DIGITS) + _DIGITS.index(char)
    chars = []
    while number:
        number, digit = divmod(number, _BASE)
        if digit == 0:
            return None
        chars.append(_SLUG_CHARS[digit - 1])
    slug = "".join(chars)
    return slug if len(slug) > VERBATIM_MAX and to_ref(slug) == ref else None


# mypy sees the mixin as callback data; at run time it stays out of the prefix registry.
_Base: Any = CallbackData if TYPE_CHECKING else object


class SlugFields(_Base):
    """Mixin for callback data whose ``SLUG_FIELDS`` hold slug ids (``str`` or ``str | None``).

    List it before :class:`CallbackData`: ``class X(SlugFields, CallbackData, prefix=...)``.
    """

    SLUG_FIELDS: ClassVar[tuple[str, ...]] = ()

    def pack(self) -> str:
        refs = {n: _map(getattr(self, n), to_ref) for n in self.SLUG_FIELDS}
        return CallbackData.pack(dataclasses.replace(self, **refs))

    @classmethod
    def parse(cls, data: str | None) -> Self | None:
        found = super().parse(data)
        if found is None:
            return None
        values = {n: _map(getattr(found, n), from_ref) for n in cls.SLUG_FIELDS}
        if any(values[n] is None and getattr(found, n) is not None for n in values):
            return None
        return dataclasses.replace(found, **values)


def _map(value: str | None, convert: Any) -> str | None:
    return None if value is None else convert(value)
