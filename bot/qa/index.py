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
from functools import lru_cache
from typing import Any

from rapidfuzz import process
from rapidfuzz.distance import OSA

from bot.qa.lexicon import CONCEPT_OF
from bot.qa.phrases import normalize_phrases
from bot.qa.stopwords import ALL_STOPWORDS
from bot.qa.text import cross_stem, fold_word, snowball, words

K1 = 1.2
B = 0.5
FULL_STRENGTH = 2.0  # a word in a field this heavy (titles, topics) fully counts as matched
CANDIDATES = 2_000  # records found by the rarer words before commoner ones only score them
# Letters that sound alike in Spanish and Portuguese, typed one for the other
SOUNDS_ALIKE = (
    ("z", "s"),
    ("s", "z"),
    ("s", "c"),
    ("k", "qu"),
    ("k", "c"),
    ("v", "b"),
    ("b", "v"),
    ("y", "ll"),
    ("ll", "y"),
    ("x", "ch"),
    ("ss", "s"),
    ("ç", "s"),
)
SHORT_WORD = 6  # shorter words are corrected only for two swapped letters
LONG_WORD = 11  # words this long may have two slips


def _concepts_by_stem() -> dict[str, tuple[str, ...]]:
    by_stem: dict[str, set[str]] = defaultdict(set)
    for word, names in CONCEPT_OF.items():
        if len(word) > 4:
            by_stem[cross_stem(word)].update(names)
    return {stem: tuple(sorted(names)) for stem, names in by_stem.items()}


CONCEPT_OF_STEM = _concepts_by_stem()


# Spanish and Portuguese verb endings → the infinitive's ("cambiamos" → "cambiar",
# "trocaram" → "trocar", "inscribiendo" → "inscribir"), longest first
VERB_ENDINGS = (
    ("iendo", ("er", "ir")),
    ("ieron", ("er", "ir")),
    ("amos", ("ar",)),
    ("emos", ("er",)),
    ("imos", ("ir",)),
    ("aron", ("ar",)),
    ("aram", ("ar",)),
    ("eram", ("er",)),
    ("iram", ("ir",)),
    ("ando", ("ar",)),
    ("endo", ("er",)),
    ("indo", ("ir",)),
)


def concepts_of(folded: str) -> tuple[str, ...]:
    """The concepts a folded word stands for: its own entry in the table, else that of the
    forms it shares a stem with ("laborales" as "laboral", "enfermeras" as "enfermera"), else
    that of its infinitive ("cambiamos" as "cambiar"), so the table need not list every
    plural, gender and person."""
    found = CONCEPT_OF.get(folded)
    if found is None and len(folded) > 4:
        found = CONCEPT_OF_STEM.get(cross_stem(folded))
    if found is None and len(folded) > 6:
        found = _infinitive_concepts(folded)
    return found or ()


def _infinitive_concepts(folded: str) -> tuple[str, ...] | None:
    for ending, infinitives in VERB_ENDINGS:
        if folded.endswith(ending):
            base = folded[: -len(ending)]
            for infinitive in infinitives:
                found = CONCEPT_OF.get(base + infinitive)
                if found is not None:
                    return found
            return None
    return None


@lru_cache(maxsize=500_000)
def variants(word: str, language: str | None) -> frozenset[str]:
    """Index terms of one lower-case word (accents kept) in ``language`` (None: unknown)."""
    folded = fold_word(word)
    terms = {cross_stem(folded)}
    languages = (language,) if language else ("es", "pt", "en")
    for lang in languages:
        terms.add(snowball(word, lang))
    terms.update(concepts_of(folded))
    return frozenset(terms)


PHRASE = "&"  # the start of a phrase's index term


def phrase_words(text: str) -> list[str]:
    """The content words of a phrase, folded."""
    found = [fold_word(word) for word in words(normalize_phrases(text))]
    return sorted({w for w in found if w not in ALL_STOPWORDS and len(w) > 1})


def phrase_term(content: list[str]) -> str:
    """One index term for a phrase of several words ("delete my data", given as its
    :func:`phrase_words`), which a question matches when it has them all, in any order and
    form (:meth:`Index.with_phrases`)."""
    return PHRASE + "+".join(content)


@dataclass
class Doc:
    kind: str  # course | event | faq
    id: str
    record: Any
    fields: list[tuple[str, str | None, float]] = field(default_factory=list)  # text, lang, w
    days: dict[str, tuple[Any, Any]] = field(default_factory=dict)  # anchor → (first, last)
    # index terms given as they are, with their weight (an FAQ keyword said in several
    # words: :func:`phrase_term`)
    terms: list[tuple[str, float]] = field(default_factory=list)

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.id}"


class Index:
    """Build once per catalog version; ``score`` is read-only and cheap."""

    def __init__(
        self,
        docs: Sequence[Doc],
        learned: dict[str, tuple[str, ...]] | None = None,
        plain: frozenset[str] = frozenset(),
    ) -> None:
        self.docs = list(docs)
        self.learned = learned or {}  # word → concepts learned from the catalog
        # words indexed as themselves only, not as their concepts: in courses and events,
        # "red" (network, or the electrical grid) is no member of the network
        self.plain = plain | {cross_stem(word) for word in plain}
        self.postings: dict[str, dict[int, tuple[float, float]]] = {}  # term → doc → (w, s)
        self.idf: dict[str, float] = {}
        self.vocabulary: set[str] = set()  # folded surface words, for typo correction
        # a term → the phrases one of whose words it is a variant of: (phrase's term, the
        # variants of each of its words)
        self.phrases: dict[str, set[tuple[str, tuple[frozenset[str], ...]]]] = defaultdict(set)
        self._build()
        # A word in more documents than this is only weighed for documents that rarer
        # words of the question already found (it cannot single anything out by itself).
        self.common = max(200, len(self.docs) // 20)
        self.keys = [doc.key for doc in self.docs]

    def _build(self) -> None:
        term_freqs: list[dict[str, float]] = []
        lengths: list[float] = []
        document_frequency: dict[str, int] = defaultdict(int)
        strengths: list[dict[str, float]] = []
        known: dict[tuple[str, str | None], frozenset[str] | None] = {}
        for doc in self.docs:
            freqs: dict[str, float] = defaultdict(float)
            strength: dict[str, float] = defaultdict(float)
            length = 0.0
            for text, language, weight in doc.fields:
                for word in words(normalize_phrases(text)):
                    if (word, language) not in known:
                        known[word, language] = self._word_terms(word, language)
                    terms = known[word, language]
                    if terms is None:
                        continue
                    length += weight
                    for term in terms:
                        freqs[term] += weight
                        if weight > strength[term]:
                            strength[term] = weight
            for term, weight in doc.terms:
                if term.startswith(PHRASE):
                    parts = tuple(variants(w, None) for w in term[len(PHRASE) :].split("+"))
                    for piece in parts:
                        for variant in piece:
                            self.phrases[variant].add((term, parts))
                length += weight
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

    def _word_terms(self, word: str, language: str | None) -> frozenset[str] | None:
        """The index terms of one word of a text in ``language``; None for a stopword."""
        folded = fold_word(word)
        if folded in ALL_STOPWORDS or len(folded) < 2:
            return None
        self.vocabulary.add(folded)
        terms = variants(word, language)
        if folded in self.plain or cross_stem(folded) in self.plain:
            terms = frozenset(t for t in terms if not t.startswith("~"))
        if folded in self.learned:
            terms = terms.union(self.learned[folded])
        if "-" in word:  # "year-end", "self-paced": typed apart too
            for part in word.split("-"):
                if len(part) > 1 and fold_word(part) not in ALL_STOPWORDS:
                    terms = terms.union(variants(part, language))
        return terms

    def with_phrases(
        self, query: Sequence[frozenset[str]], said: frozenset[str]
    ) -> list[frozenset[str]]:
        """``query`` (one set of terms per word) with the term of every indexed phrase whose
        words are all ``said`` (the question's terms) added to each of those words'."""
        if not self.phrases:
            return list(query)
        out = list(query)
        for position, terms in enumerate(query):
            whole = {
                phrase
                for term in terms
                for phrase, parts in self.phrases.get(term, ())
                if all(part & said for part in parts)
            }
            if whole:
                out[position] = terms.union(whole)
        return out

    def term_idf(self, terms: Iterable[str]) -> float | None:
        """The largest idf of a word's terms; a phrase's term (:func:`phrase_term`) says
        where the word weighs fully, not how much it weighs."""
        known = [self.idf[t] for t in terms if t in self.idf and not t.startswith(PHRASE)]
        return max(known) if known else None

    def score(
        self,
        query: Sequence[frozenset[str]],
        unknown_weight: float = 0.75,
        weights: Sequence[float] | None = None,
    ) -> tuple[dict[int, float], dict[int, float], float]:
        """BM25 per doc, matched idf per doc, and the query's total idf.

        ``query`` holds one set of variant terms per question word. A word matched only in
        a light field (a summary) counts for part of its idf in the matched total: it is
        weaker evidence. A word found nowhere counts ``unknown_weight`` × the largest idf.
        ``weights`` (one per word) scale what each found word counts for.
        """
        totals: dict[int, float] = defaultdict(float)
        matched: dict[int, float] = defaultdict(float)
        query_idf = 0.0
        found: list[tuple[int, list[dict[int, tuple[float, float]]], float]] = []
        for position, terms in enumerate(query):
            lists = [self.postings[t] for t in terms if t in self.postings]
            weight = self.term_idf(terms)
            if weight is None:
                query_idf += unknown_weight * self.unknown_idf
                continue
            if weights is not None:
                weight *= weights[position]
            query_idf += weight
            found.append((max(len(p) for p in lists), lists, weight))
        # Rarest words first: they find the candidates. Once there are enough, the commoner
        # words are only looked up for those (they cannot single a record out by themselves).
        found.sort(key=lambda item: item[0])
        for size, lists, weight in found:
            if totals and (size > self.common or len(totals) >= CANDIDATES):
                if len(lists) == 1:  # the usual case, without the loop below
                    postings = lists[0]
                    for index in list(totals):
                        hit = postings.get(index)
                        if hit is not None:
                            totals[index] += hit[0]
                            matched[index] += weight * hit[1]
                    continue
                for index in list(totals):
                    best_value = best_share = 0.0
                    for postings in lists:
                        hit = postings.get(index)
                        if hit is not None:
                            if hit[0] > best_value:
                                best_value = hit[0]
                            if hit[1] > best_share:
                                best_share = hit[1]
                    if best_value:
                        totals[index] += best_value
                        matched[index] += weight * best_share
                continue
            for index, (value, share) in self._best(lists).items():
                totals[index] += value
                matched[index] += weight * share
        return totals, matched, query_idf

    @staticmethod
    def _best(lists: Sequence[dict[int, tuple[float, float]]]) -> dict[int, tuple[float, float]]:
        """Per document, the best of a word's variants (a word never counts twice)."""
        if len(lists) == 1:
            return lists[0]
        ordered = sorted(lists, key=len, reverse=True)
        best = dict(ordered[0])
        for postings in ordered[1:]:
            for index, hit in postings.items():
                current = best.get(index)
                if current is None:
                    best[index] = hit
                elif hit[0] > current[0] or hit[1] > current[1]:
                    best[index] = (
                        hit[0] if hit[0] > current[0] else current[0],
                        hit[1] if hit[1] > current[1] else current[1],
                    )
        return best


class Speller:
    """Typo correction against the catalog's words and the answerer's own lexicon."""

    def __init__(self, vocabulary: Iterable[str]) -> None:
        self.vocabulary = set(vocabulary)
        self._seen: dict[str, str | None] = {}
        self._by_initial: dict[str, list[str]] = defaultdict(list)
        for word in sorted(self.vocabulary):  # ties go the same way on every run
            if word:
                self._by_initial[word[0]].append(word)

    def correct(self, folded: str) -> str | None:
        """A known word close to an unknown one, or None."""
        if folded in self.vocabulary or len(folded) < 4 or folded.isdigit():
            return None
        if folded in self._seen:
            return self._seen[folded]
        if len(self._seen) > 50_000:
            self._seen.clear()
        self._seen[folded] = self._closest(folded)
        return self._seen[folded]

    def _closest(self, folded: str) -> str | None:
        if "h" + folded in self.vocabulary:  # the silent h of Spanish and Portuguese: "acer"
            return "h" + folded
        for typed, said in SOUNDS_ALIKE:  # spelled as it sounds: "curzo", "kiero", "bamos"
            if typed in folded and folded.replace(typed, said) in self.vocabulary:
                return folded.replace(typed, said)
        candidates = [
            w
            for w in self._by_initial.get(folded[0], ())
            if abs(len(w) - len(folded)) <= 2 and w not in ALL_STOPWORDS
        ]
        # One slip (a letter wrong, missing, extra or two swapped: "curriclar", "Industira");
        # two in long words ("aerogeradores"). More is another word, not a typo.
        limit = 2 if len(folded) >= LONG_WORD else 1
        found = process.extractOne(folded, candidates, scorer=OSA.distance, score_cutoff=limit)
        if found is None or not _slip(folded, found[0]):
            return None
        return str(found[0])


def _slip(typed: str, known: str) -> bool:
    """Whether ``typed`` reads as a slip in typing ``known`` rather than another word.

    A short word one letter away from a known one is most often a word of its own that the
    catalog does not use ("clave" / "clase", "salgo" / "salvo", "left" / "let"): only two
    swapped letters count there ("lnik"). A known word with an ending added or dropped is
    another form of it ("minhas", "dicen") or another word ("fabric" / "fabrica"), and
    stems already meet where they should."""
    if typed.startswith(known) or known.startswith(typed):
        return False
    if len(typed) < SHORT_WORD:
        return len(typed) == len(known) and sorted(typed) == sorted(known)
    return True
