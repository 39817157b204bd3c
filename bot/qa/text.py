"""Text handling for questions in Spanish, Portuguese and English: folding, tokens and
stems (the language guess is :mod:`bot.qa.language`, the stopwords :mod:`bot.qa.stopwords`).

Two stems are kept for each word: Snowball's stem in the text's own language (so that
``inscribo`` and ``inscripción`` meet) and :func:`cross_stem`, a light suffix folding that
makes the three languages meet (``certificación`` / ``certificação`` / ``certification``
→ ``certificacion``). Accents are folded away everywhere: people type without them.
"""

from __future__ import annotations

import re
from functools import lru_cache

import snowballstemmer

from bot.core.text import fold

LANGUAGES = ("es", "pt", "en")
_STEMMERS = {
    "es": snowballstemmer.stemmer("spanish"),
    "pt": snowballstemmer.stemmer("portuguese"),
    "en": snowballstemmer.stemmer("english"),
}
WORD = re.compile(r"[^\W_]+(?:-[^\W_]+)*", re.UNICODE)


@lru_cache(maxsize=500_000)
def fold_word(word: str) -> str:
    """:func:`fold` for single words, remembered (catalogs repeat their words a lot)."""
    return fold(word)


def words(text: str) -> list[str]:
    """The words of a text, lower case, accents kept (for Snowball)."""
    return [w.lower() for w in WORD.findall(text)]


_CROSS_SUFFIXES: tuple[tuple[str, str], ...] = (
    ("ciones", "cion"),
    ("coes", "cion"),
    ("cions", "cion"),
    ("tions", "cion"),
    ("cion", "cion"),
    ("cao", "cion"),
    ("tion", "cion"),
    ("siones", "sion"),
    ("soes", "sion"),
    ("sions", "sion"),
    ("sao", "sion"),
    ("sion", "sion"),
    ("idades", "idad"),
    ("idade", "idad"),
    ("idad", "idad"),
    ("ities", "idad"),
    ("ity", "idad"),
    ("ncias", "nci"),
    ("ncia", "nci"),
    ("ncies", "nci"),
    ("ncy", "nci"),
    ("nces", "nci"),
    ("nce", "nci"),
    ("mente", "ment"),
    ("ismos", "ism"),
    ("ismo", "ism"),
    ("isms", "ism"),
    ("ism", "ism"),
    ("istas", "ist"),
    ("ista", "ist"),
    ("ists", "ist"),
    ("ist", "ist"),
    ("icas", "ic"),
    ("icos", "ic"),
    ("ica", "ic"),
    ("ico", "ic"),
    ("ical", "ic"),
    ("ivas", "iv"),
    ("ivos", "iv"),
    ("iva", "iv"),
    ("ivo", "iv"),
    ("ives", "iv"),
    ("ive", "iv"),
    ("ales", "al"),
    ("ais", "al"),
    ("agem", "aj"),
    ("aje", "aj"),
    ("age", "aj"),
)


@lru_cache(maxsize=200_000)
def cross_stem(folded: str) -> str:
    """A crude stem shared by the three languages (input already folded)."""
    if len(folded) <= 4 or folded.isdigit():
        return folded
    for suffix, replacement in _CROSS_SUFFIXES:
        if folded.endswith(suffix) and len(folded) - len(suffix) >= 3:
            return folded[: -len(suffix)] + replacement
    stem = folded
    if stem.endswith("es") and len(stem) > 5 and stem[-3] not in "aeiou":
        stem = stem[:-2]
    elif stem.endswith("s") and len(stem) > 4:
        stem = stem[:-1]
    if stem[-1] in "aeo" and len(stem) > 4:
        stem = stem[:-1]
    return stem


@lru_cache(maxsize=200_000)
def snowball(word: str, language: str) -> str:
    """Snowball stem of an accented lower-case word, folded."""
    return fold(_STEMMERS[language].stemWord(word))
