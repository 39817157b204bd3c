"""A BM25F index over courses, events and FAQ entries in three languages.

Each word of a record is indexed under several *variants*: its Snowball stem in the
language of the text, a cross-language stem (``bot.qa.text.cross_stem``) and the concepts
it belongs to (``~weld`` for soldadura/soldagem/welding). A question word matches a record
through any of its variants; it scores the best one (:meth:`Index.score`), so one word
never counts twice. Per-(term, record) BM25 weights are computed once at build time; a
question costs a few dictionary look-ups per variant.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from rapidfuzz import process
from rapidfuzz.distance import OSA

from bot.qa.lexicon import CONCEPT_OF
from bot.qa.text import ALL_STOPWORDS, cross_stem, fold, snowball, words

K1 = 1.2
B = 0.5
FULL_STRENGTH = 2.0  # a word in a field this heavy (titles, topics) fully counts as matched
PHRASES = (
    ("big data", "bigdata"),
    ("industria 4.0", "industria4"),
    ("industry 4.0", "industria4"),
    ("indústria 4.0", "industria4"),
    ("covid-19", "covid"),
    ("e-learning", "elearning"),
)


def normalize_phrases(text: str) -> str:
    lowered = text.lower()
    for phrase, token in PHRASES:
        lowered = lowered.replace(phrase, token)
    return lowered


def variants(word: str, language: str | None) -> set[str]:
    """Index terms of one lower-case word (accents kept) in ``language`` (None: unknown)."""
    folded = fold(word)
    terms = {cross_stem(folded)}
    languages = (language,) if language else ("es", "pt", "en")
    for lang in languages:
        terms.add(snowball(word, lang))
    terms.update(CONCEPT_OF.get(folded, ()))
    return terms


@dataclass
class Doc:
    kind: str  # course | event | faq
    id: str
    record: Any
    fields: list[tuple[str, str | None, float]] = field(default_factory=list)  # text, lang, w

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.id}"


class Index:
    """Build once per catalog version; ``score`` is read-only and cheap."""

    def __init__(self, docs: Sequence[Doc], extra_vocabulary: Iterable[str] = ()) -> None:
        self.docs = list(docs)
        self.postings: dict[str, dict[int, tuple[float, float]]] = {}  # term → doc → (w, s)
        self.idf: dict[str, float] = {}
        self.vocabulary: set[str] = set()  # folded surface words, for typo correction
        self._build()
        self.vocabulary.update(extra_vocabulary)
        self._vocab_by_initial: dict[str, list[str]] = defaultdict(list)
        for word in self.vocabulary:
            self._vocab_by_initial[word[0]].append(word)

    def _build(self) -> None:
        term_freqs: list[dict[str, float]] = []
        lengths: list[float] = []
        document_frequency: dict[str, int] = defaultdict(int)
        strengths: list[dict[str, float]] = []
        for doc in self.docs:
            freqs: dict[str, float] = defaultdict(float)
            strength: dict[str, float] = defaultdict(float)
            length = 0.0
            for text, language, weight in doc.fields:
                for word in words(normalize_phrases(text)):
                    folded = fold(word)
                    if folded in ALL_STOPWORDS or len(folded) < 2:
                        continue
                    self.vocabulary.add(folded)
                    length += weight
                    for term in variants(word, language):
                        freqs[term] += weight
                        strength[term] = max(strength[term], weight)
            term_freqs.append(freqs)
            strengths.append(strength)
            lengths.append(length)
            for term in freqs:
                document_frequency[term] += 1
        count = max(1, len(self.docs))
        average = (sum(lengths) / count) or 1.0
        for term, df in document_frequency.items():
            self.idf[term] = math.log(1 + (count - df + 0.5) / (df + 0.5))
        for index, freqs in enumerate(term_freqs):
            norm = K1 * (1 - B + B * lengths[index] / average)
            for term, tf in freqs.items():
                weight = self.idf[term] * tf * (K1 + 1) / (tf + norm)
                share = min(1.0, strengths[index][term] / FULL_STRENGTH)
                self.postings.setdefault(term, {})[index] = (weight, share)
        self.unknown_idf = math.log(1 + (count + 0.5) / 0.5)

    def correct(self, folded: str) -> str | None:
        """A known word close to an unknown one (typos), or None."""
        if folded in self.vocabulary or len(folded) < 4 or folded.isdigit():
            return None
        candidates = [
            w for w in self._vocab_by_initial.get(folded[0], ()) if abs(len(w) - len(folded)) <= 2
        ]
        # One slip (a letter wrong, missing, extra or two swapped: "curriclar", "Industira");
        # two in long words ("tripartide"). More is another word, not a typo.
        limit = 2 if len(folded) >= 9 else 1
        found = process.extractOne(folded, candidates, scorer=OSA.distance, score_cutoff=limit)
        return found[0] if found else None

    def term_idf(self, terms: Iterable[str]) -> float | None:
        known = [self.idf[t] for t in terms if t in self.idf]
        return max(known) if known else None

    def score(
        self, query: Sequence[set[str]], allowed: set[str] | None = None
    ) -> tuple[dict[int, float], dict[int, float], float]:
        """BM25 per doc, matched idf per doc, and the query's total idf.

        ``query`` holds one set of variant terms per question word; ``allowed`` limits the
        kinds of records considered. A word matched only in a light field (a summary)
        counts for part of its idf in the matched total: it is weaker evidence.
        """
        totals: dict[int, float] = defaultdict(float)
        matched: dict[int, float] = defaultdict(float)
        query_idf = 0.0
        for terms in query:
            weight = self.term_idf(terms)
            query_idf += weight if weight is not None else 0.75 * self.unknown_idf
            best: dict[int, tuple[float, float]] = {}
            for term in terms:
                for index, (value, share) in self.postings.get(term, {}).items():
                    current = best.get(index)
                    if current is None or value > current[0]:
                        best[index] = (value, max(share, current[1] if current else 0.0))
                    elif share > current[1]:
                        best[index] = (current[0], share)
            for index, (value, share) in best.items():
                if allowed is not None and self.docs[index].kind not in allowed:
                    continue
                totals[index] += value
                matched[index] += (weight or 0.0) * share
        return totals, matched, query_idf
