"""The callback data codec.

Telegram gives a button at most 64 bytes of ``callback_data`` and sends back whatever the
client puts there: a forged or stale value must never reach ``int()`` or an index. So data
is declared, not split by hand::

    @dataclass(frozen=True)
    class RsvpPressed(CallbackData, prefix="rv"):
        event_id: str
        answer: Literal["yes", "maybe", "no"]

    RsvpPressed("webinar-1", "yes").pack()   # "rv:webinar-1:yes"
    RsvpPressed.parse("rv:webinar-1:yes")    # RsvpPressed(event_id="webinar-1", answer="yes")
    RsvpPressed.parse("rv:x:¿")              # None

A prefix may have several parts (``prefix="sv:go"``) so that one feature's buttons share a
family of data; no prefix may begin another one part by part (``sv`` and ``sv:go`` would
both read ``sv:go:x``). A subclass may check its fields in ``__post_init__``: a
``ValueError`` there makes ``parse`` give None (and ``pack`` of a bad value impossible).

Fields are ``str`` (no ``:``), ``int`` (64-bit), ``bool`` (``1``/``0``), a ``StrEnum``, a
``Literal`` of strings, or any of them ``| None`` (packed as an empty part). ``pack`` fails
loudly (:class:`CallbackTooLong`) past 64 bytes of UTF-8, so an over-long button is a bug
seen in tests, never a button silently dropped.
"""

from __future__ import annotations

import dataclasses
import re
import types
import typing
from enum import Enum
from typing import Any, ClassVar, Literal, Self, Union, get_args, get_origin

MAX_BYTES = 64
SEP = ":"
_INT = re.compile(r"-?[0-9]{1,19}")  # ASCII only: int() also reads "٣"
_INT64 = 2**63
_PREFIXES: dict[str, type[CallbackData]] = {}


class CallbackTooLong(ValueError):
    """Packed data over Telegram's 64-byte limit (a programming error: shorten the ids)."""


@dataclasses.dataclass(frozen=True)
class CallbackData:
    """Base of every callback data class; subclasses give ``prefix=`` and their fields."""

    PREFIX: ClassVar[str] = ""

    def __init_subclass__(cls, prefix: str = "", **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if not prefix or "" in prefix.split(SEP):
            raise TypeError(f"{cls.__name__}: give a prefix without empty parts")
        if prefix in _PREFIXES and _PREFIXES[prefix].__qualname__ != cls.__qualname__:
            raise TypeError(f"callback prefix {prefix!r} is used twice")
        for other in _PREFIXES:
            if other != prefix and _begins(prefix, other):
                raise TypeError(f"callback prefixes {prefix!r} and {other!r} overlap")
        cls.PREFIX = prefix
        _PREFIXES[prefix] = cls

    def pack(self) -> str:
        parts = [self.PREFIX]
        for name, kind in _field_kinds(type(self)):
            parts.append(_encode(getattr(self, name), kind, name))
        data = SEP.join(parts)
        if len(data.encode("utf-8")) > MAX_BYTES:
            raise CallbackTooLong(f"{data!r} is over {MAX_BYTES} bytes")
        return data

    @classmethod
    def parse(cls, data: str | None) -> Self | None:
        """The instance ``data`` encodes, or None when it is not exactly this class's data."""
        if not data or len(data.encode("utf-8")) > MAX_BYTES:
            return None
        parts = data.split(SEP)
        head = cls.PREFIX.split(SEP)
        kinds = _field_kinds(cls)
        if parts[: len(head)] != head or len(parts) != len(kinds) + len(head):
            return None
        values: dict[str, Any] = {}
        for (name, kind), raw in zip(kinds, parts[len(head) :], strict=True):
            ok, value = _decode(raw, kind)
            if not ok:
                return None
            values[name] = value
        try:
            return cls(**values)
        except ValueError:  # refused by the subclass's own check
            return None

    @classmethod
    def pattern(cls) -> str:
        """The regular expression for ``CallbackQueryHandler(pattern=...)``."""
        return rf"^{re.escape(cls.PREFIX)}(?:{SEP}|$)"


def _begins(one: str, other: str) -> bool:
    """Whether one prefix is the other's first parts (either way round)."""
    a, b = one.split(SEP), other.split(SEP)
    shorter = min(len(a), len(b))
    return a[:shorter] == b[:shorter]


def registered_prefixes() -> dict[str, type[CallbackData]]:
    return dict(_PREFIXES)


# ------------------------------------------------------------------ field kinds
@dataclasses.dataclass(frozen=True)
class _Kind:
    base: Any  # str, int, bool, an Enum class, or a tuple of Literal choices
    optional: bool


_KINDS: dict[type, tuple[tuple[str, _Kind], ...]] = {}


def _field_kinds(cls: type[CallbackData]) -> tuple[tuple[str, _Kind], ...]:
    kinds = _KINDS.get(cls)
    if kinds is None:
        hints = typing.get_type_hints(cls)
        kinds = tuple((f.name, _kind_of(hints[f.name], cls)) for f in dataclasses.fields(cls))
        _KINDS[cls] = kinds
    return kinds


def _kind_of(hint: Any, cls: type) -> _Kind:
    optional = False
    if get_origin(hint) in (Union, types.UnionType):
        args = [a for a in get_args(hint) if a is not type(None)]
        if len(args) != 1 or len(get_args(hint)) != 2:
            raise TypeError(f"{cls.__name__}: unsupported field type {hint!r}")
        hint, optional = args[0], True
    if get_origin(hint) is Literal:
        choices = get_args(hint)
        if not all(isinstance(c, str) for c in choices):
            raise TypeError(f"{cls.__name__}: Literal fields take strings")
        return _Kind(tuple(choices), optional)
    if hint in (str, int, bool) or (isinstance(hint, type) and issubclass(hint, Enum)):
        return _Kind(hint, optional)
    raise TypeError(f"{cls.__name__}: unsupported field type {hint!r}")


def _encode(value: Any, kind: _Kind, name: str) -> str:
    if value is None:
        if not kind.optional:
            raise ValueError(f"{name} may not be None")
        return ""
    if kind.base is bool:
        return "1" if value else "0"
    if kind.base is int and not -_INT64 <= value < _INT64:
        raise ValueError(f"{name}={value} is outside the 64-bit range parse() accepts")
    text = str(value.value if isinstance(value, Enum) else value)
    if SEP in text:
        raise ValueError(f"{name}={text!r} contains '{SEP}'")
    if kind.optional and text == "":
        raise ValueError(f"{name}: an empty value would read back as None")
    return text


def _decode(raw: str, kind: _Kind) -> tuple[bool, Any]:
    if raw == "" and kind.optional:
        return True, None
    base = kind.base
    if isinstance(base, tuple):
        return (raw in base), raw
    if base is str:
        return True, raw
    if base is bool:
        return (raw in ("0", "1")), raw == "1"
    if base is int:
        if not _INT.fullmatch(raw):
            return False, None
        number = int(raw)
        return (-_INT64 <= number < _INT64), number
    try:
        return True, base(raw)
    except ValueError:
        return False, None
