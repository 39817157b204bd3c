"""Concepts learned from the catalog itself: words that translate each other.

A record's title, summary and FAQ keywords are given in several languages, and its topics
are English slugs. Two words of different languages that keep appearing in the same records'
texts ("soldadura" in the Spanish title, "welding" in the English one) are taken for one
concept, so a question in one language finds records through another's words. The hand-made
table in :mod:`bot.qa.lexicon` stays; this adds what the data shows.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from itertools import combinations

from bot.qa.stopwords import ALL_STOPWORDS
from bot.qa.text import fold_word, words

MAX_RECORDS = 1_000  # enough to learn from; bounds the build time of large catalogs
MIN_TOGETHER = 2  # records a pair must share
MIN_DICE = 0.8  # 2·together / (records of one + records of the other)
MAX_SHARE = 0.2  # words in more records than this share say nothing


def _words(text: str) -> set[str]:
    found = set()
    for word in words(text):
        folded = fold_word(word)
        if len(folded) > 3 and folded not in ALL_STOPWORDS and not folded.isdigit():
            found.add(folded)
    return found


def record_words(
    texts: Sequence[dict[str, str] | None], topics: Iterable[str] = ()
) -> dict[str, set[str]]:
    """A record's content words per language (topic slugs count as English)."""
    by_language: dict[str, set[str]] = {}
    for values in texts:
        for language, text in (values or {}).items():
            if text:
                by_language.setdefault(language, set()).update(_words(text))
    topic_words = _words(" ".join(topics).replace("-", " "))
    if topic_words:
        by_language.setdefault("en", set()).update(topic_words)
    return by_language


def learn(records: Sequence[dict[str, set[str]]]) -> dict[str, tuple[str, ...]]:
    """Word → learned concept tokens (``~l:<word>|<word>``), from per-record word sets."""
    records = [r for r in records[:MAX_RECORDS] if len(r) > 1]
    if not records:
        return {}
    frequency: Counter[tuple[str, str]] = Counter()
    together: Counter[tuple[tuple[str, str], tuple[str, str]]] = Counter()
    for record in records:
        keyed = sorted((language, w) for language, ws in record.items() for w in ws)
        frequency.update(keyed)
        for first, second in combinations(keyed, 2):
            if first[0] != second[0] and first[1] != second[1]:
                together[(first, second)] += 1
    limit = max(MIN_TOGETHER, MAX_SHARE * len(records))
    scored: dict[tuple[tuple[str, str], tuple[str, str]], float] = {}
    best: dict[tuple[tuple[str, str], str], float] = {}  # (word, other language) → best dice
    for (first, second), count in together.items():
        if count < MIN_TOGETHER or frequency[first] > limit or frequency[second] > limit:
            continue
        dice = 2 * count / (frequency[first] + frequency[second])
        if dice < MIN_DICE:
            continue
        scored[(first, second)] = dice
        for word, other in ((first, second[0]), (second, first[0])):
            best[(word, other)] = max(best.get((word, other), 0.0), dice)
    learned: dict[str, set[str]] = {}
    for (first, second), dice in scored.items():
        # Only each other's best partner in the other language: two titles that always
        # come together (two editions of a course) do not make all their words synonyms.
        if dice < best[(first, second[0])] or dice < best[(second, first[0])]:
            continue
        if frequency[first] != frequency[second]:
            continue
        token = f"~l:{min(first[1], second[1])}|{max(first[1], second[1])}"
        learned.setdefault(first[1], set()).add(token)
        learned.setdefault(second[1], set()).add(token)
    return {word: tuple(sorted(tokens)) for word, tokens in learned.items()}
