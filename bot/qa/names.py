"""How fully a question says a course's or event's name: the share of the title's own words
(not the organisation's names, kinds of record, years or stopwords) the question has.

Two records a question matches equally well on words are told apart by their names: "la
reunión de la comisión técnica" says all of one title ("Reunión de la Comisión Técnica") and
two words of five of another ("Comité técnico de calidad de la formación profesional").
"""

from __future__ import annotations

from collections.abc import Iterable

from bot.qa.index import Doc, variants
from bot.qa.lexicon import GENERIC, KIND_WORDS
from bot.qa.phrases import normalize_phrases
from bot.qa.stopwords import ALL_STOPWORDS
from bot.qa.text import fold_word, words

NAMING = KIND_WORDS["course"] | KIND_WORDS["event"] | GENERIC

MIN_SAID = 2
Title = tuple[frozenset[str], ...]  # one set of index terms per word of a title


def title_words(doc: Doc) -> list[Title]:
    """The doc's titles (one per language), each as its words' index terms."""
    titles = getattr(doc.record, "title", None) or {}
    found = []
    for language, text in titles.items():
        terms = [_terms(word, language) for word in words(normalize_phrases(text or ""))]
        kept = tuple(t for t in terms if t)
        if kept:
            found.append(kept)
    return found


def _terms(word: str, language: str) -> frozenset[str]:
    folded = fold_word(word)
    if folded in ALL_STOPWORDS or folded in NAMING or len(folded) < 2 or folded.isdigit():
        return frozenset()
    terms = variants(word, language)
    for part in word.split("-") if "-" in word else ():
        if len(part) > 1 and fold_word(part) not in ALL_STOPWORDS:
            terms |= variants(part, language)
    return terms


def said_share(titles: Iterable[Title], said: frozenset[str]) -> float:
    """The largest share of one title's words the question has; 0 when it has fewer than
    two words of every title (one word names nothing: "focal point" is a meeting's title and
    what an FAQ entry is about)."""
    best = 0.0
    for title in titles:
        count = sum(bool(terms & said) for terms in title)
        if count >= MIN_SAID:
            best = max(best, count / len(title))
    return best


def holds_all(titles: Iterable[Title], said: Iterable[frozenset[str]]) -> bool:
    """Whether one title has every word the question says (each as its terms, concepts left
    out: "data" is not said by "Big Data", which "big data" says whole)."""
    literal = [frozenset(t for t in terms if not t.startswith("~")) for terms in said]
    return any(all(any(terms & word for word in title) for terms in literal) for title in titles)
