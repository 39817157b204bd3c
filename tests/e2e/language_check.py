"""A checker for replies in the wrong language: frequent function and interface words of one
language that must not occur in replies in another.

The words are chosen so that none of them is also a word of the reply's own language ("no"
is Spanish and English, "link" is Portuguese too, "a" and "as" are everywhere). Before the
words are read, what is not the bot's prose is taken out: URLs, commands, @names, ids,
command syntax (``on|off``), and the content of the network data file (course titles,
institution names: those are the file's words, not the bot's).
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from dataclasses import dataclass

ENGLISH = frozenset(
    """the and with your you this that these from is are was were will would have has
    please send open closed yes page of to for events courses survey surveys settings
    language zone all none next back cancel join share date organizer member people
    answers draft scheduled sent today tomorrow at on in by or an it be can what which
    who when there here more only button user name institution choose here now new
    upcoming past reminder reminders attend maybe can't don't i'll i'm you're""".split()
)
SPANISH = frozenset(
    """el la los las del que y para por una es su tu tus sus está hoy mañana evento
    eventos curso cursos encuesta encuestas sí hola gracias enviar ver hasta usted
    puedes tienes aquí también ningún ninguna elige toca escribe""".split()
)
PORTUGUESE = frozenset(
    """você não uma hoje amanhã pesquisa pesquisas até seu sua em escolha escreva olá
    obrigado""".split()
)
# The words that must not occur in each reply language.
FOREIGN: dict[str, frozenset[str]] = {
    "es": ENGLISH | PORTUGUESE,
    "pt": ENGLISH
    | frozenset("el los las del y hasta usted mañana encuesta aquí hoy puedes tienes".split())
    | frozenset("elige toca escribe".split()),
    "en": SPANISH | PORTUGUESE,
}
URL = re.compile(r"(?:https?://|t\.me/|www\.)\S+")
# A command with the words typed after it as shown (/reminders on, /events past).
COMMAND = re.compile(r"/[a-z_]+(?: (?:on|off|past|es|pt|en)\b)?")
HANDLE = re.compile(r"@\w+")
# What is typed as shown: on|off, es|pt|en, selectors (institution:ID, country:UY).
SYNTAX = re.compile(r"\S+(?:\|\S+)+|\bes, pt\b|\b[a-z]+:\S+")
TAG = re.compile(r"<[^>]+>")
WORD = re.compile(r"[^\W\d_]+(?:['-][^\W\d_]+)*")  # recebê-los is one word
# Proper names that hold a foreign word (the name is the same in every language).
NAMES = ("El Salvador",)


@dataclass(frozen=True)
class Leak:
    language: str
    word: str
    text: str


def prose(text: str, data: Iterable[str] = ()) -> str:
    """The bot's own words of ``text``: without URLs, commands, names and data strings."""
    text = html.unescape(TAG.sub(" ", text))
    for value in data:  # longest first, so a title goes before the words inside it
        if value in text:
            text = text.replace(value, " ")
    for name in NAMES:
        text = text.replace(name, " ")
    for pattern in (URL, COMMAND, HANDLE, SYNTAX):
        text = pattern.sub(" ", text)
    return text.replace("’", "'")


def leaks(language: str, text: str, data: Iterable[str] = ()) -> list[Leak]:
    """The foreign words in a reply meant for ``language``."""
    foreign = FOREIGN[language]
    found = []
    for word in WORD.findall(prose(text, data)):
        if word.lower() in foreign:
            found.append(Leak(language, word.lower(), text))
    return found


def data_strings(value: object) -> list[str]:
    """Every text of the network data file (nested dicts and lists), longest first."""
    found: set[str] = set()

    def walk(item: object) -> None:
        if isinstance(item, str):
            if " " in item.strip():  # titles, names, answers; not keywords like "reminders"
                found.add(item)
        elif isinstance(item, dict):
            for inner in item.values():
                walk(inner)
        elif isinstance(item, list):
            for inner in item:
                walk(inner)

    walk(value)
    return sorted(found, key=len, reverse=True)
