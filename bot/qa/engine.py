"""The answerer: from a question to the best course, event or FAQ entry, and what is asked.

:class:`Answerer` holds an :class:`bot.qa.index.Index` of one catalog version. ``ask``
detects the question's language and intent (when, time, link, enroll, deadline, cost,
certificate, topic, next_event, what_is, where, duration, languages, faq), its date words
and the kind of record wanted (:mod:`bot.qa.question`), scores records in two ways —
courses and events on the question's *specific* words (not "when", "course", "link"), FAQ
entries on all of them — then adds priors: the kind asked for, the intent's usual kind, the
dates asked about, and time (what is coming beats what is long past; :mod:`bot.qa.timeline`).
``Result.confident`` says whether the best record really answers; if not, the question goes
to the organizers' unanswered list.
"""

from __future__ import annotations

import heapq
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.qa import concepts
from bot.qa.dates import DateSpan, find_date_span
from bot.qa.documents import Catalog, Hit, catalog_docs, concept_sources, faq_subject_terms
from bot.qa.index import Doc, Index, Speller, variants
from bot.qa.language import detect_language
from bot.qa.lexicon import GENERIC, LEXICON_WORDS
from bot.qa.listing import (
    filtered_listing,
    filters_only,
    list_mode,
    listing,
    of_a_place,
    provider_words,
)
from bot.qa.names import Title, holds_all, said_share, title_words
from bot.qa.phrases import JOINED, normalize_phrases
from bot.qa.question import Question, analyse
from bot.qa.smalltalk import expand_shorthand, off_topic, small_talk
from bot.qa.stopwords import ALL_STOPWORDS
from bot.qa.text import WORD, fold
from bot.qa.timeline import Timeline, modality_of

__all__ = ["CLOSE", "CONFIDENT", "LEAD", "LEADING", "Answerer", "Catalog", "Hit", "Result", "sure"]

MAX_QUESTION_CHARS = 500
PRIOR_POOL = 300
# The leading records weighed on how fully the question says their name, and how much a
# name said in full moves one (less than the priors: a tie-breaker).
NAME_POOL = 10
NAME_WEIGHT = 0.05
NAME_TIE = 0.05
# Chosen on the tuning set (tests/qa_eval.yaml) and the development sets (tests/qa_dev and
# ``evaluation.OWN_NETWORK_DIRS``: qa_dev2, qa_dev3, qa_dev4, qa_spent) by
# ``bot.qa.evaluation.choose_thresholds``:
# CONFIDENT maximises top-1 accuracy (out-of-scope questions included); CLOSE is the widest
# score gap that still shows buttons mostly when the best is wrong (see that function).
# A best record below CONFIDENT still answers when it leads clearly: coverage LEADING or
# more and a score LEAD or more above the runner-up's (chosen the same way).
CONFIDENT = 0.35
LEADING = 0.1
LEAD = 0.05
CLOSE = 0.04
# The words saying what is asked ("dónde", "cuándo", "link") weigh this much of their idf
# when FAQ entries are matched: some entries' questions have them, but they are not what
# the question is about (0.3 gives the same results on the tuning and dev sets).
CUE_WEIGHT = 0.5
# A course or event covering this much of the question's specific words is one it names;
# "do we pay for the courses as a member institution?" names none, it asks about courses
# in general (an FAQ entry's question).
WEAK_MATCH = 0.25  # a record covering less of the question's words gains nothing by its kind
NAMED = 0.7  # any value from 0.6 to 0.8 gives the same results on the tuning and dev sets
ENTITY_INTENTS = {
    "when",
    "time",
    "link",
    "enroll",
    "deadline",
    "cost",
    "certificate",
    "duration",
    "languages",
    "where",
    "next_event",
    "topic",
    "platform",
    "modality",
    "pace",
    "provider",
}
COURSE_INTENTS = {
    "enroll",
    "deadline",
    "cost",
    "certificate",
    "duration",
    "languages",
    "topic",
    "modality",
    "pace",
    "provider",
}
EVENT_INTENTS = {"time", "link", "where", "next_event", "platform"}
# The facts only that kind of record has.
KIND_INTENTS = {
    "event": frozenset({"time", "link", "platform"}),
    "course": frozenset({"enroll", "deadline", "cost", "certificate", "pace"}),
}
# What a question on these is about, however it is said ("la hora de otro país" is the
# time zone): FAQ entries on it are matched on the concept too.
INTENT_CONCEPTS = {"timezone": "~timezone", "reminders": "~reminder"}
# The facts stated besides the main one ("when and where").
FACT_INTENTS = ENTITY_INTENTS - {"topic", "next_event"} | {"timezone", "reminders"}


@dataclass
class Result:
    question: str
    language: str
    intent: str
    hits: list[Hit] = field(default_factory=list)
    span: DateSpan | None = None
    event_kind: str | None = None
    modality: str | None = None  # in-person | online
    confident: bool = False
    empty: bool = False  # nothing to search for (only emoji or symbols)
    talk: str | None = None  # small talk: greeting | thanks | yesno | bye | digits | symbols
    off_topic: bool = False  # weather, news…: out of the bot's scope
    listing: list[Hit] | None = None  # "what is on in October": the records of that time
    close: bool = False  # the runners-up score close to the best: "Did you mean" buttons
    also: tuple[str, ...] = ()  # other facts asked besides ``intent`` ("when and where")
    list_mode: str | None = None  # time | next | open | filter (see bot.qa.listing)

    @property
    def best(self) -> Hit | None:
        return self.hits[0] if self.hits else None


# ------------------------------------------------------------------ the answerer
class Answerer:
    def __init__(self, catalog: Catalog) -> None:
        entities, faq_docs = catalog_docs(catalog)
        self.learned = concepts.learn(concept_sources(catalog))
        # the organisation's names single out no course or event (lexicon.GENERIC)
        self.entities = Index(entities, self.learned, plain=GENERIC)
        self.faqs = Index(faq_docs, self.learned)
        self.speller = Speller(self.entities.vocabulary | self.faqs.vocabulary | LEXICON_WORDS)
        self._by_key = {doc.key: doc for doc in [*self.entities.docs, *self.faqs.docs]}
        self.timeline = Timeline(self.entities.docs)
        self.providers = provider_words(self.entities.docs)
        self._titles: dict[str, list[Title]] = {}  # record → its titles' words, when first met
        self._faq_subjects = faq_subject_terms(catalog.faqs)

    def hit_for(self, kind: str, record_id: str) -> Hit | None:
        """The record behind an "other candidate" button, if it still exists."""
        doc = self._by_key.get(f"{kind}:{record_id}")
        return None if doc is None else Hit(doc, 1.0, 1.0)

    # -------------------------------------------------------------- analysis
    def _spell(self, text: str) -> str:
        """The question with unknown words replaced by close known ones (typos); numbers,
        punctuation and known words stay as they are."""

        def fix(match: re.Match[str]) -> str:
            word = match.group(0)
            folded = fold(word)
            if folded in ALL_STOPWORDS or folded in LEXICON_WORDS:
                return word
            known = variants(word.lower(), None)
            if any(t in self.entities.idf or t in self.faqs.idf for t in known):
                return word
            return self.speller.correct(folded) or word

        return WORD.sub(fix, normalize_phrases(text))

    def _in_catalog(self, folded: str) -> bool:
        """Whether some course or event is about this word (or its concept)."""
        return any(term in self.entities.idf for term in variants(folded, None))

    def _in_faq(self, folded: str) -> bool:
        """Whether some FAQ entry's question or keywords are about this word (or its
        concept)."""
        return not self._faq_subjects.isdisjoint(variants(folded, None))

    def _names_records(self, number: str) -> bool:
        """Whether some course or event has this number in its words ("46.ª Reunión")."""
        return number in self.entities.postings

    def _query(self, raw_words: Sequence[str], language: str) -> list[frozenset[str]]:
        return [
            variants(word.lower(), language)
            | variants(fold(word), None)
            | frozenset(self.learned.get(fold(word), ()))
            for word in raw_words
        ]

    def _faq_query(
        self, raw_words: Sequence[str], q: Question, said: Sequence[frozenset[str]]
    ) -> list[frozenset[str]]:
        """:meth:`_query` and the concepts ``said`` of what is asked, with the FAQ keywords
        of several words the question says whole (in all its words and those concepts:
        "delete" of "delete my data" may be a cue, not content; a time zone question says
        the "zona" of "zona horaria")."""
        query = self._query(raw_words, q.language) + list(said)
        everything = frozenset().union(*self._query(q.all_words, q.language), *said)
        return self.faqs.with_phrases(query, everything)

    # -------------------------------------------------------------- asking
    def ask(self, question: str, *, language: str, zone: str = "UTC", now: datetime) -> Result:
        text = expand_shorthand(question.strip()[:MAX_QUESTION_CHARS])
        asked_language = detect_language(text, language)
        talk = small_talk(text)
        if talk is not None:
            talk_kind, talk_language = talk
            return Result(
                question,
                talk_language or asked_language,
                "smalltalk",
                empty=talk_kind == "symbols",
                talk=talk_kind,
            )
        outside = off_topic(fold(text), self._in_catalog, self._in_faq)
        today = now.astimezone(ZoneInfo(zone)).date()
        text = self._spell(text)
        folded = fold(text)
        span, rest = find_date_span(folded, today)
        ask, intent = analyse(text, rest, span, asked_language, now, self._names_records)
        if outside and not self._named(ask):
            return Result(question, asked_language, "off_topic", off_topic=True)
        result = Result(
            question,
            asked_language,
            intent or "faq",
            span=span,
            event_kind=ask.event_kind,
            modality=ask.modality,
            also=tuple(i for i in ask.intents[1:] if i in FACT_INTENTS),
        )
        ask.specific = of_a_place(ask)
        mode = list_mode(ask, rest)
        ranked = [] if mode else self._rank(ask)
        if mode:
            listed = listing(self.timeline, ask, mode)
        else:
            listed = filtered_listing(ask, rest, ranked, self.entities.docs, self.providers)
        if mode or listed or filters_only(ask, rest):
            result.listing = listed
            result.list_mode = mode or "filter"
            result.hits = listed[:3]
            result.intent = "list"
            result.confident = True
            return result
        result.hits = ranked[:3]
        best = result.best
        if best is not None:
            result.confident = sure(result.hits, CONFIDENT, LEADING, LEAD)
            result.close = result.confident and _close(result.hits)
            if result.intent == "faq" and best.kind != "faq":
                result.intent = "what_is"
            elif best.kind == "faq":
                result.intent = "faq"
        return result

    def _named(self, q: Question) -> bool:
        """Whether the question names a course or event: two or more specific words, nearly
        all of them one record's ("produção de música" names the music production course;
        "where is the nearest hotel" names none)."""
        if len(q.specific) < 2:
            return False
        return any(hit.kind != "faq" and hit.coverage >= NAMED for hit in self._rank(q)[:3])

    def _rank(self, q: Question) -> list[Hit]:
        pool: list[tuple[float, float, Doc]] = []  # (score, confidence, record)
        if q.specific:
            totals, matched, query_idf = self.entities.score(self._query(q.specific, q.language))
            pool += self._best_of(self.entities, totals, matched, query_idf, None)
        if q.all_words:
            said = [frozenset({INTENT_CONCEPTS[i]}) for i in q.intents if i in INTENT_CONCEPTS]
            # The words saying what is asked ("para qué sirve", "cuándo") count when some
            # entry has them; found in none, they do not make every entry less sure.
            content = set(q.faq_specific)
            faq_query = self._faq_query(q.all_words, q, said)
            terms_of = zip(q.all_words, faq_query, strict=False)
            kept = [
                (word, terms)
                for word, terms in terms_of
                if word in content or self.faqs.term_idf(terms) is not None
            ]
            query = [terms for _, terms in kept] + faq_query[len(q.all_words) :]
            weights = [1.0 if w in content else CUE_WEIGHT for w, _ in kept] + [1.0] * len(said)
            totals, matched, query_idf = self.faqs.score(query, weights=weights)
            confidence: dict[int, float] | None = None
            if q.faq_specific:
                # An FAQ entry answers only if it covers what is specific to the question:
                # "is there a course on astronomy" must not get "how do I enrol".
                _, matched_specific, specific_idf = self.faqs.score(
                    self._faq_query(q.faq_specific, q, said)
                )
                confidence = {i: matched_specific.get(i, 0.0) / specific_idf for i in totals}
            penalty = 0.1 if q.span is not None else 0.0  # FAQ entries have no dates
            pool += [
                (score, sure - penalty, doc)
                for score, sure, doc in self._best_of(
                    self.faqs, totals, matched, query_idf, confidence
                )
            ]
        # Priors (kind, dates, time) move a record by less than 1: only records close to
        # the best on words can end up first, so only those are weighed.
        pool = heapq.nlargest(PRIOR_POOL, pool, key=lambda item: item[0])
        ranked = [Hit(doc, score, sure) for score, sure, doc in pool]
        # "where can I find the link for Thursday's videoconference" asks a dated event's
        # fact, however it is put; "how do I join a videoconference" is a procedure, and
        # "tomorrow's link doesn't work" a trouble
        dated_fact = q.span is not None and q.intent in EVENT_INTENTS and not q.trouble
        by_time = (
            not q.faq_specific
            and not q.named
            and (not q.procedural or dated_fact)
            and (q.intent in EVENT_INTENTS or q.span is not None)
        )
        if by_time:
            # "next videoconference", "link for Thursday", "what is on in October":
            # the records of that time, soonest (or latest) first.
            wanted = q.kind
            if wanted is None and q.intent in EVENT_INTENTS:
                wanted = "event"
            elif wanted is None and q.intent in COURSE_INTENTS:
                wanted = "course"
            timed = self.timeline.by_time(
                wanted, q.event_kind, q.modality, q.span, q.now, q.latest, q.anchor
            )
            keys = {hit.doc.key for hit in timed}
            ranked = [hit for hit in ranked if hit.doc.key not in keys]
            for rank, hit in enumerate(timed):
                hit.score += 0.6 - 0.05 * rank
                ranked.append(hit)
        named = any(hit.kind != "faq" and hit.coverage >= NAMED for hit in ranked)
        titled = self._titled(ranked, q)
        for hit in ranked:
            hit.score += self._priors(hit.doc, q, named, titled, hit.coverage)
        ranked.sort(key=lambda h: h.score, reverse=True)
        return self._by_name(ranked, q)

    def _titles_of(self, doc: Doc) -> list[Title]:
        titles = self._titles.get(doc.key)
        if titles is None:
            titles = self._titles[doc.key] = title_words(doc)
        return titles

    def _titled(self, ranked: Sequence[Hit], q: Question) -> bool:
        """Whether the question is a bare topic of two words or more ("big data") that the
        title of one of the leading courses and events has whole: records on it are asked
        for, not an FAQ entry that shares a concept of it."""
        if q.intent is not None or q.kind is not None or not q.specific:
            return False
        if sum(JOINED.get(fold(word), 1) for word in q.specific) < 2:
            return False
        said = self._query(q.specific, q.language)
        leaders = [hit for hit in ranked[:NAME_POOL] if hit.kind != "faq"]
        return any(holds_all(self._titles_of(hit.doc), said) for hit in leaders)

    def _by_name(self, ranked: list[Hit], q: Question) -> list[Hit]:
        """The leading courses and events moved by how fully the question says their name
        (:mod:`bot.qa.names`): of two that match its words alike, the one it names."""
        if not q.specific or not ranked:
            return ranked
        said = frozenset().union(*self._query(q.specific, q.language))
        leaders = [hit for hit in ranked[:NAME_POOL] if hit.kind != "faq"]
        most = max((hit.coverage for hit in leaders), default=0.0)
        for hit in leaders:
            if hit.coverage >= most - NAME_TIE:  # as well matched on words as the best
                hit.score += NAME_WEIGHT * said_share(self._titles_of(hit.doc), said)
        return sorted(ranked, key=lambda h: h.score, reverse=True)

    @staticmethod
    def _best_of(
        index: Index,
        totals: dict[int, float],
        matched: dict[int, float],
        query_idf: float,
        confidence: dict[int, float] | None,
    ) -> list[tuple[float, float, Doc]]:
        """The best records on words alone: score = 65% coverage of the question's words
        (by idf) + 35% BM25 relative to the best."""
        if not totals or not query_idf:
            return []
        top = max(totals.values()) or 1.0
        scored = [
            (0.65 * matched[i] / query_idf + 0.35 * total / top, i) for i, total in totals.items()
        ]
        best = heapq.nlargest(PRIOR_POOL, scored)
        out = []
        for score, i in best:
            coverage = matched[i] / query_idf
            sure = coverage if confidence is None else min(coverage, confidence[i])
            out.append((score, sure, index.docs[i]))
        return out

    @staticmethod
    def _priors(
        doc: Doc, q: Question, named: bool = True, titled: bool = False, coverage: float = 1.0
    ) -> float:
        """What moves a record besides its words: its kind, dates and time, and the fact
        asked. ``named``: some course or event covers half the question's specific words;
        ``titled``: the question is a bare topic some course's or event's title has whole."""
        bonus = 0.0
        if doc.kind == "faq":
            if titled:
                pass  # "big data": the records on it, not "what is" an FAQ's
            elif q.intent in (None, "what_is") or (q.procedural and not q.specific):
                bonus += 0.15
            elif q.procedural:
                bonus += 0.1
            elif q.specific and q.intent in ENTITY_INTENTS and (named or not q.plural):
                bonus -= 0.12
            # "quiero un curso para trabajar por proyectos" asks for a record; "can she
            # follow the course?", naming none, is about the course one is in (an FAQ's)
            asks_a_record = named or q.indefinite
            if q.kind is not None and q.specific and not (q.procedural or q.plural):
                bonus -= 0.1 if asks_a_record else 0.0
            elif q.plural and not (q.specific and named) and q.intent in ENTITY_INTENTS:
                bonus += 0.15  # "los cursos se pagan?": about courses in general
            return bonus
        kind = _kind_asked(q)
        if kind is not None and kind == q.kind:
            # "how do we present our experience in a webinar": the kind is the procedure's
            # context, unless some record is named
            same = 0.2 if named or not q.procedural else 0.0
            if coverage < WEAK_MATCH:  # "proof I attended a webinar": no webinar is about it
                same = 0.0
            bonus += same if doc.kind == kind else -0.2
        if kind is not None and doc.kind != kind and q.intent in KIND_INTENTS[kind]:
            bonus -= 0.15  # "which platform is the … videoconf on": no course answers
        if doc.kind == "event":
            bonus += _event_priors(doc, q)
        if q.intent in COURSE_INTENTS and doc.kind == "course":
            bonus += 0.05
        first, last = doc.days.get(q.anchor, (None, None))
        if q.span is not None:
            inside = first is not None and last is not None and q.span.overlaps(first, last)
            bonus += 0.35 if inside else -0.2
        first, last = doc.days.get("start", (None, None))
        if first is not None and last is not None:
            today = q.now.date()
            if last >= today:
                ahead = (first - today).days
                bonus += 0.1 if ahead <= 0 else 0.1 * max(0.3, 1 - ahead / 365)
            elif q.intent == "next_event":
                bonus -= 0.4  # "the next one" is never one that is over
            else:
                bonus -= min(0.1, 0.02 * (today - last).days / 365)
        return bonus


def _event_priors(doc: Doc, q: Question) -> float:
    """What moves an event besides its words: the modality, kind and status asked, the
    fact asked (a place for "where"), several days for "until what day"."""
    bonus = 0.0
    if q.modality is not None:
        bonus += 0.1 if modality_of(doc.record) == q.modality else -0.15
    first, last = doc.days.get("start", (None, None))
    if q.ending and first is not None and last != first:
        bonus += 0.03  # "until what day is the …": one that lasts several days
    if q.event_kind is not None:
        bonus += 0.06 if doc.record.kind == q.event_kind else -0.03
    if doc.record.status != "scheduled":
        # A cancelled or postponed event answers "was it cancelled?"; otherwise the
        # events that go ahead come first.
        bonus += 0.1 if q.status else -0.15
    if q.intent in EVENT_INTENTS:
        bonus += 0.05
        if q.intent == "where" and doc.record.location:
            bonus += 0.03  # "where is the … meeting": one held somewhere, not online
    return bonus


def _kind_asked(q: Question) -> str | None:
    """The kind of record asked for: the one named, unless the fact asked is only the other
    kind's ("what platform is the distance training observatory on": "training" names the
    event); the one the fact asked is only of, when none is named ("¿da certificado?")."""
    for kind, intents in KIND_INTENTS.items():
        if q.intent in intents and q.kind != kind and not q.procedural:
            return kind
    return q.kind


def sure(hits: Sequence[Hit], confident: float, leading: float, lead: float) -> bool:
    """Whether the best record answers: it covers enough of the question, or it covers a
    fair part and clearly leads the runner-up."""
    if not hits:
        return False
    best = hits[0]
    if best.coverage >= confident:
        return True
    runner_up = hits[1].score if len(hits) > 1 else 0.0
    return best.coverage >= leading and best.score - runner_up >= lead


def _close(hits: Sequence[Hit]) -> bool:
    """Whether the runner-up is as good an answer as the best (within ``CLOSE``)."""
    if len(hits) < 2:
        return False
    best, second = hits[0], hits[1]
    return second.coverage >= CONFIDENT and best.score - second.score <= CLOSE
