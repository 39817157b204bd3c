"""Splitting texts at Telegram's 4,096-character limit without cutting words, lines or markup.

Both splitters count what Telegram counts: visible characters in UTF-16 code units (an emoji
outside the Basic Multilingual Plane is 2). A part is cut at the last paragraph break, else
line break, else space in the second half of the allowance; failing those, at the limit but
never inside a character cluster (a flag, an emoji with its modifier or joiner, a letter with
its combining accent, a direction mark with what it governs). The whitespace at a cut is
dropped.

:func:`split_markup` works on Telegram HTML: it never cuts inside a tag, a character
reference or a ``tg-emoji``; it closes the tags still open at the end of a part and opens
them again, as written, at the start of the next, so every part is valid on its own.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from bot.messaging.telegram_html import Chars, Tag, build, tokenize, utf16_len

TELEGRAM_TEXT_LIMIT = 4096
SEPARATORS = ("\n\n", "\n", " ")


@dataclass(frozen=True)
class _Atom:
    """One visible character (``char``) or one tag (``tag``), and how the markup spells it."""

    source: str
    char: str = ""
    tag: Tag | None = None


Stacks = list[tuple[int, ...]]  # before each atom: the atom indexes of the tags still open


def split_text(text: str, limit: int = TELEGRAM_TEXT_LIMIT) -> list[str]:
    """Chunks of plain text of at most ``limit`` UTF-16 code units (see the module).

    Markup is counted and cut as plain characters: for HTML use :func:`split_markup`.
    """
    if utf16_len(text) <= limit:
        return [text]
    atoms = [_Atom(char, char) for char in text]
    return _split(atoms, [()] * (len(atoms) + 1), limit)


def split_markup(markup: str, limit: int = TELEGRAM_TEXT_LIMIT) -> list[str]:
    """Parts of Telegram HTML, each valid and at most ``limit`` visible code units.

    Raises :class:`~bot.messaging.telegram_html.HTMLEntityError` if ``markup`` is not valid
    and must be split (a short text is returned as it is: its visible length cannot be more
    than its own length, and callers that need it checked check it).
    """
    if utf16_len(markup) <= limit:
        return [markup]
    tokens = tokenize(markup)
    parsed = build(tokens, markup)
    if utf16_len(parsed.text) <= limit:
        return [markup]
    atoms: list[_Atom] = []
    for token in tokens:
        if isinstance(token, Chars) and token.source != token.text:
            atoms.append(_Atom(token.source, token.text))  # a reference: one character
        elif isinstance(token, Chars):
            atoms.extend(_Atom(char, char) for char in token.text)
        else:
            atoms.append(_Atom(token.source, tag=token))
    return _split(atoms, _stacks(atoms), limit)


def _stacks(atoms: list[_Atom]) -> Stacks:
    stacks: Stacks = [()]
    for index, atom in enumerate(atoms):
        stack = stacks[-1]
        if atom.tag is not None:
            stack = stack[:-1] if atom.tag.closing else (*stack, index)
        stacks.append(stack)
    return stacks


def _split(atoms: list[_Atom], stacks: Stacks, limit: int) -> list[str]:
    parts: list[str] = []
    start = 0
    while start < len(atoms):
        window = _window(atoms, start, limit)
        if not window or window[-1] == len(atoms):
            stop = resume = len(atoms)
        else:
            stop, resume = _cut(atoms, stacks, start, window, limit)
        source, visible = _render(atoms, stacks, start, stop)
        if visible.strip():
            parts.append(source)
        start = resume
    return parts


def _window(atoms: list[_Atom], start: int, limit: int) -> list[int]:
    """Indexes of the visible atoms that fit from ``start``, then the first that does not
    (or ``len(atoms)`` when everything fits)."""
    used = 0
    chars: list[int] = []
    for index in range(start, len(atoms)):
        char = atoms[index].char
        if not char:
            continue
        used += utf16_len(char)
        chars.append(index)
        if used > limit:
            return chars
    chars.append(len(atoms))
    return chars


def _cut(
    atoms: list[_Atom], stacks: Stacks, start: int, window: list[int], limit: int
) -> tuple[int, int]:
    """Where the part begun at ``start`` ends, and where the next one begins."""
    # The first character that does not fit may be the best place to cut: it is dropped.
    visible = "".join(atoms[i].char for i in window)
    widths = [0]
    for char in visible:
        widths.append(widths[-1] + utf16_len(char))
    for separator in SEPARATORS:
        found = visible.rfind(separator)
        if found > 0 and widths[found] >= limit // 2:
            stop = resume = window[found]
            while stop > start and (atoms[stop - 1].char.isspace() or _opens(atoms[stop - 1])):
                stop -= 1
            while resume < len(atoms) and not _shown(atoms[resume]):
                resume += 1
            return stop, resume
    return _hard_cut(atoms, stacks, start, window)


def _hard_cut(atoms: list[_Atom], stacks: Stacks, start: int, window: list[int]) -> tuple[int, int]:
    """A cut at the limit, moved back out of a character cluster or a custom emoji."""
    j = len(window) - 1
    while j > 1 and _glued(atoms[window[j - 1]].char, atoms[window[j]].char):
        j -= 1
    cut = window[j]
    emoji = [i for i in stacks[cut] if _name(atoms[i]) == "tg-emoji"]
    if emoji and emoji[0] > start:
        cut = emoji[0]
    stop = resume = cut
    while stop > start and _opens(atoms[stop - 1]):
        stop -= 1
    while resume < len(atoms) and _closes(atoms[resume]):
        resume += 1
    if stop <= start:  # nothing can be moved back: cut where the limit falls
        stop = resume = window[-1]
    return stop, resume


def _opens(atom: _Atom) -> bool:
    return atom.tag is not None and not atom.tag.closing


def _closes(atom: _Atom) -> bool:
    return atom.tag is not None and atom.tag.closing


def _shown(atom: _Atom) -> bool:
    return bool(atom.char) and not atom.char.isspace()


_JOINED_AFTER = {"\u200d", "\u200e", "\u200f", "\u061c"}  # joiner; LRM, RLM, ALM


def _glued(before: str, after: str) -> bool:
    """Whether cutting between two characters would break what a reader sees as one."""
    if unicodedata.category(after) in {"Mn", "Mc", "Me"} or after in {"\u200d", "\u20e3"}:
        return True
    if "\ufe00" <= after <= "\ufe0f" or "\U0001f3fb" <= after <= "\U0001f3ff":
        return True  # variation selectors, skin tones
    if "\U000e0020" <= after <= "\U000e007f":
        return True  # tag characters of subdivision flags
    if before in _JOINED_AFTER or "\u202a" <= before <= "\u202e" or "\u2066" <= before <= "\u2069":
        return True  # a joiner or a direction mark belongs with what follows
    regional = "\U0001f1e6", "\U0001f1ff"
    return regional[0] <= before <= regional[1] and regional[0] <= after <= regional[1]


def _render(atoms: list[_Atom], stacks: Stacks, start: int, stop: int) -> tuple[str, str]:
    """The source of ``atoms[start:stop]`` with its open tags reopened and closed, and the
    text a reader sees."""
    reopened = "".join(atoms[i].source for i in stacks[start])
    body = "".join(atom.source for atom in atoms[start:stop])
    closed = "".join(f"</{_name(atoms[i])}>" for i in reversed(stacks[stop]))
    return reopened + body + closed, "".join(atom.char for atom in atoms[start:stop])


def _name(atom: _Atom) -> str:
    return atom.tag.name if atom.tag is not None else ""
