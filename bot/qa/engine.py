"""The answerer: from a question to the best course, event or FAQ entry, and what is asked.

:class:`Answerer` holds an :class:`bot.qa.index.Index` of one catalog version. ``ask``
detects the question's language and intent (when, time, link, enroll, deadline, cost,
certificate, topic, next_event, what_is, where, duration, languages, faq), its date words
and the kind of record wanted, scores records in two ways — courses and events on the
question's *specific* words (not "when", "course", "link"), FAQ entries on all of them —
then adds priors: the kind asked for, the intent's usual kind, the dates asked about, and
time (what is coming beats what is long past). ``Result.confident`` says whether the best
record really answers; if not, the question goes to the organizers' unanswered list.
"""

from __future__ import annotations

import bisect
import heapq
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from bot.qa import concepts
from bot.qa.dates import DateSpan, find_date_span
from bot.qa.index import Doc, Index, Speller, normalize_phrases, variants
from bot.qa.lexicon import (
    COMPILED_INTENTS,
    CONCEPT_OF,
    ENDING,
    EVENT_KIND_WORDS,
    FILLERS,
    GENERIC,
    INTENT_PRIORITY,
    KIND_WORDS,
    LATEST,
    LEXICON_WORDS,
    LISTING,
    MODALITY_WORDS,
    PROCEDURAL,
    QUESTION_NOISE,
)
from bot.qa.smalltalk import expand_shorthand, off_topic, small_talk
from bot.qa.text import ALL_STOPWORDS, WORD, detect_language, fold, words

MAX_QUESTION_CHARS = 500
PRIOR_POOL = 300
MAX_EVENT_DAYS = 31  # an event lasts at most this long (the network file's rule)
# Chosen on the tuning set (tests/qa_eval.yaml) by ``bot.qa.evaluation.choose_thresholds``:
# CONFIDENT maximises top-1 accuracy (out-of-scope questions included); CLOSE is the widest
# score gap that still shows buttons mostly when the best is wrong (see that function).
CONFIDENT = 0.45
CLOSE = 0.02
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
# Questions on these ask for one record's fact: never answered with a listing.
FACT_INTENTS = ENTITY_INTENTS - {"topic", "next_event", "when"} | {"timezone", "reminders"}
SOFT_INTENTS = frozenset({"reminders", "timezone", "pace", "provider", "modality"})
LISTED = 10  # records in a listing ("what is on in October")


@dataclass
class Hit:
    doc: Doc
    score: float
    coverage: float

    @property
    def kind(self) -> str:
        return self.doc.kind

    @property
    def id(self) -> str:
        return self.doc.id


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

    @property
    def best(self) -> Hit | None:
        return self.hits[0] if self.hits else None


# ------------------------------------------------------------------ catalog → documents
def _texts(values: dict[str, str] | None) -> list[tuple[str, str]]:
    return [(text, language) for language, text in (values or {}).items() if text]


def course_doc(course: Any) -> Doc:
    doc = Doc("course", course.id, course)
    doc.fields += [(t, lang, 3.0) for t, lang in _texts(course.title)]
    doc.fields += [(t, lang, 1.0) for t, lang in _texts(course.summary)]
    doc.fields += [(" ".join(course.topics or []).replace("-", " "), None, 2.0)]
    if course.provider:
        doc.fields.append((course.provider, None, 0.5))
    if course.starts:
        doc.fields.append((str(course.starts.year), None, 1.0))
    return doc


def event_doc(event: Any) -> Doc:
    doc = Doc("event", event.id, event)
    doc.fields += [(t, lang, 3.0) for t, lang in _texts(event.title)]
    doc.fields += [(t, lang, 1.0) for t, lang in _texts(event.description)]
    if event.location:
        doc.fields.append((event.location, None, 1.5))
    if event.platform:
        doc.fields.append((event.platform, None, 0.5))
    doc.fields.append((str(event.starts_at.year), None, 1.0))
    return doc


def faq_doc(faq: Any) -> Doc:
    doc = Doc("faq", faq.id, faq)
    doc.fields += [(t, lang, 3.0) for t, lang in _texts(faq.question)]
    doc.fields += [(t, lang, 0.6) for t, lang in _texts(faq.answer)]
    for language, keywords in (faq.keywords or {}).items():
        doc.fields.append((" ".join(keywords), language, 2.5))
    return doc


@dataclass
class Catalog:
    courses: Sequence[Any]
    events: Sequence[Any]
    faqs: Sequence[Any]
    # "course:<id>" / "faq:<id>" -> other ways to ask for it, (text, language)
    phrasings: Mapping[str, Sequence[tuple[str, str]]] = field(default_factory=dict)


def _concept_sources(catalog: Catalog) -> list[dict[str, set[str]]]:
    """Per record, its words per language: titles, topics, FAQ questions and keywords."""
    sources = [concepts.record_words([c.title], c.topics or ()) for c in catalog.courses]
    sources += [concepts.record_words([e.title]) for e in catalog.events]
    for faq in catalog.faqs:
        keywords = {lang: " ".join(ws) for lang, ws in (faq.keywords or {}).items()}
        sources.append(concepts.record_words([faq.question, keywords]))
    return sources


# ------------------------------------------------------------------ the answerer
class Answerer:
    def __init__(self, catalog: Catalog) -> None:
        entities = [course_doc(c) for c in catalog.courses]
        entities += [event_doc(e) for e in catalog.events if e.status != "cancelled"]
        faq_docs = [faq_doc(f) for f in catalog.faqs]
        for doc in [*entities, *faq_docs]:
            doc.fields += [(t, lang, 3.0) for t, lang in catalog.phrasings.get(doc.key, ())]
        self.learned = concepts.learn(_concept_sources(catalog))
        self.entities = Index(entities, self.learned)
        self.faqs = Index(faq_docs, self.learned)
        self.speller = Speller(self.entities.vocabulary | self.faqs.vocabulary | LEXICON_WORDS)
        self._by_key = {doc.key: doc for doc in [*self.entities.docs, *self.faqs.docs]}
        for doc in self.entities.docs:
            doc.days = {anchor: _days_of(doc, anchor) for anchor in ("start", "end", "deadline")}
        self.events_by_start = sorted(
            (d for d in self.entities.docs if d.kind == "event"),
            key=lambda d: (d.days["start"][0], d.record.starts_at),
        )
        self.event_days = [d.days["start"][0] for d in self.events_by_start]
        self.courses_by: dict[str, tuple[list[Doc], list[date]]] = {}
        for anchor in ("start", "end", "deadline"):
            dated = sorted(
                (
                    d
                    for d in self.entities.docs
                    if d.kind == "course" and d.days[anchor][0] is not None
                ),
                key=lambda d, a=anchor: d.days[a][0],  # type: ignore[misc]
            )
            self.courses_by[anchor] = (dated, [d.days[anchor][0] for d in dated])

    def hit_for(self, kind: str, record_id: str) -> Hit | None:
        """The record behind an "other candidate" button, if it still exists."""
        doc = self._by_key.get(f"{kind}:{record_id}")
        return None if doc is None else Hit(doc, 1.0, 1.0)

    # -------------------------------------------------------------- analysis
    @staticmethod
    def detect_intent(folded: str) -> str | None:
        found = [name for name, pattern in COMPILED_INTENTS.items() if pattern.search(folded)]
        for name in INTENT_PRIORITY:
            if name in found:
                return name
        return None

    @staticmethod
    def kind_hint(tokens: Sequence[str]) -> tuple[str | None, str | None]:
        kind = event_kind = None
        for token in tokens:
            if token in KIND_WORDS["course"]:
                kind = kind or "course"
            elif token in KIND_WORDS["event"]:
                kind = kind or "event"
                for name, names in EVENT_KIND_WORDS.items():
                    if token in names:
                        event_kind = event_kind or name
        return kind, event_kind

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

    def _query(self, raw_words: Sequence[str], language: str) -> list[frozenset[str]]:
        return [
            variants(word.lower(), language)
            | variants(fold(word), None)
            | frozenset(self.learned.get(fold(word), ()))
            for word in raw_words
        ]

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
        if off_topic(fold(text)):
            return Result(question, asked_language, "off_topic", off_topic=True)
        today = now.astimezone(ZoneInfo(zone)).date()
        text = self._spell(text)
        folded = fold(text)
        span, rest = find_date_span(folded, today)
        intent = self.detect_intent(rest)
        kept = set(WORD.findall(rest))
        all_words = [
            w
            for w in words(text)
            if fold(w) not in ALL_STOPWORDS and len(fold(w)) > 1 and fold(w) in kept
        ]
        folded_words = [fold(w) for w in all_words]
        kind, event_kind = self.kind_hint(folded_words)
        modality = next((MODALITY_WORDS[w] for w in folded_words if w in MODALITY_WORDS), None)
        if modality == "in-person" or event_kind is not None:
            kind = kind or "event"
        # The cues of the facts asked of records ("reminders", "time zone", "tutored") stay
        # content: FAQ entries are about them, and they tell records apart.
        cues = _cue_words(rest, exclude=SOFT_INTENTS)
        faq_specific = [w for w in all_words if _is_specific(fold(w), cues)]
        every_cue = cues | _cue_words(rest)
        specific = [w for w in faq_specific if _is_specific(fold(w), every_cue)]
        faq_words = [w for w in all_words if fold(w) not in FILLERS or fold(w) in CONCEPT_OF]
        procedural = bool(PROCEDURAL.search(rest))
        ask = _Question(
            faq_words,
            specific,
            asked_language,
            _ranking_intent(rest, intent, procedural),
            kind,
            event_kind,
            modality,
            span,
            now,
            procedural=procedural,
            latest=bool(LATEST.search(rest)),
            ending=bool(ENDING.search(rest)),
            named=any(fold(w) in GENERIC for w in all_words),
            faq_specific=faq_specific,
        )
        result = Result(
            question,
            asked_language,
            intent or "faq",
            span=span,
            event_kind=event_kind,
            modality=modality,
        )
        if self._lists(ask, rest, folded_words):
            listed = self._listing(ask)
            result.listing = listed
            result.hits = listed[:3]
            result.intent = "list"
            result.confident = True
            return result
        result.hits = self._rank(ask)[:3]
        best = result.best
        if best is not None:
            result.confident = best.coverage >= CONFIDENT
            result.close = result.confident and _close(result.hits)
            if result.intent == "faq" and best.kind != "faq":
                result.intent = "what_is"
            elif best.kind == "faq":
                result.intent = "faq"
        return result

    @staticmethod
    def _lists(q: _Question, rest: str, folded_words: Sequence[str]) -> bool:
        """Whether the question asks for the records of a time ("eventos de mañana", "what
        is on in October") rather than one record's fact."""
        if q.span is None or q.specific or q.named or q.procedural:
            return False
        if q.intent in FACT_INTENTS:
            return False
        plural = any(
            w.endswith("s") and (w in KIND_WORDS["event"] or w in KIND_WORDS["course"])
            for w in folded_words
        )
        return plural or bool(LISTING.search(rest)) or q.kind is None

    def _listing(self, q: _Question) -> list[Hit]:
        wanted = q.kind
        found = self._by_time(
            wanted or "event",
            q.event_kind,
            q.modality,
            q.span,
            q.now,
            q.latest,
            q.anchor,
            limit=LISTED,
        )
        if wanted is None:
            found += self._by_time(
                "course", None, None, q.span, q.now, q.latest, q.anchor, limit=LISTED
            )
        span = q.span
        if span is not None and span.loose:
            # "in October": this (or next) October's records; other years' only if none.
            strict = [
                h
                for h in found
                if h.doc.days[q.anchor][0] is not None
                and span.first <= h.doc.days[q.anchor][0] <= span.last
            ]
            found = strict or found
        return found

    def _rank(self, q: _Question) -> list[Hit]:
        pool: list[tuple[float, float, Doc]] = []  # (score, confidence, record)
        if q.specific:
            totals, matched, query_idf = self.entities.score(self._query(q.specific, q.language))
            pool += self._best_of(self.entities, totals, matched, query_idf, None)
        if q.all_words:
            totals, matched, query_idf = self.faqs.score(self._query(q.all_words, q.language))
            confidence: dict[int, float] | None = None
            if q.faq_specific:
                # An FAQ entry answers only if it covers what is specific to the question:
                # "is there a course on astronomy" must not get "how do I enrol".
                _, matched_specific, specific_idf = self.faqs.score(
                    self._query(q.faq_specific, q.language)
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
        by_time = (
            not q.faq_specific
            and not q.named
            and not q.procedural
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
            timed = self._by_time(
                wanted, q.event_kind, q.modality, q.span, q.now, q.latest, q.anchor
            )
            keys = {hit.doc.key for hit in timed}
            ranked = [hit for hit in ranked if hit.doc.key not in keys]
            for rank, hit in enumerate(timed):
                hit.score += 0.6 - 0.05 * rank
                ranked.append(hit)
        for hit in ranked:
            hit.score += self._priors(hit.doc, q)
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
    def _priors(doc: Doc, q: _Question) -> float:
        bonus = 0.0
        if doc.kind == "faq":
            if q.intent in (None, "what_is") or (q.procedural and not q.specific):
                bonus += 0.15
            elif q.procedural:
                bonus += 0.1
            elif q.specific and q.intent in ENTITY_INTENTS:
                bonus -= 0.12
            return bonus
        if q.kind is not None:
            bonus += 0.2 if doc.kind == q.kind else -0.2
        if q.modality is not None and doc.kind == "event":
            bonus += 0.1 if _modality_of(doc.record) == q.modality else -0.15
        if doc.kind == "event" and q.event_kind is not None:
            bonus += 0.06 if doc.record.kind == q.event_kind else -0.03
        if q.intent in COURSE_INTENTS and doc.kind == "course":
            bonus += 0.05
        if q.intent in EVENT_INTENTS and doc.kind == "event":
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

    def _by_time(
        self,
        kind: str | None,
        event_kind: str | None,
        modality: str | None,
        span: DateSpan | None,
        now: datetime,
        latest: bool = False,
        anchor: str = "start",
        limit: int = 3,
    ) -> list[Hit]:
        """Records by date alone: the next events (or courses) of the kind, in the span.

        The records are walked in date order from where the span (or today) begins, so a
        question costs the same with 100 records or 20,000."""
        found: list[Doc] = []
        if kind in (None, "event"):

            def event_fits(doc: Doc) -> bool:
                event = doc.record
                return (
                    (event_kind is None or event.kind == event_kind)
                    and (modality is None or _modality_of(event) == modality)
                    and (span is not None or event.ends_at >= now)
                )

            found = self._walk(
                self.events_by_start,
                self.event_days,
                "start",
                event_fits,
                span,
                now.date(),
                latest,
                reach=MAX_EVENT_DAYS,
                limit=limit,
            )
        if kind == "course" or (kind is None and not found):
            docs, days = self.courses_by[anchor]
            found = self._walk(
                docs, days, anchor, lambda _doc: True, span, now.date(), latest, 0, limit
            )
        return [Hit(doc, 0.5, 0.6) for doc in found]

    @staticmethod
    def _walk(
        docs: Sequence[Doc],
        days: Sequence[date],
        anchor: str,
        fits: Any,
        span: DateSpan | None,
        today: date,
        latest: bool,
        reach: int,
        limit: int = 3,
    ) -> list[Doc]:
        """Up to three records in date order: in the span (the last ones with ``latest``),
        or the next ones from today; a span without a year ("in October") gives the next
        occurrence first, then past ones, latest first."""

        def inside(doc: Doc) -> bool:
            first, last = doc.days[anchor]
            return span is None or (
                first is not None and last is not None and span.overlaps(first, last)
            )

        start = bisect.bisect_left(
            days,
            (span.first if span is not None and not span.loose else today) - timedelta(days=reach),
        )
        if span is not None and not span.loose:
            chosen = []
            for position in range(start, len(docs)):
                if days[position] > span.last:
                    break
                if fits(docs[position]) and inside(docs[position]):
                    chosen.append(docs[position])
            return chosen[::-1][:limit] if latest else chosen[:limit]
        ahead = []
        for position in range(start, len(docs)):
            doc = docs[position]
            if fits(doc) and inside(doc):
                ahead.append(doc)
                if len(ahead) == limit:
                    break
        if span is None or len(ahead) == limit:
            return ahead
        behind = []
        for position in range(start - 1, -1, -1):
            if fits(docs[position]) and inside(docs[position]):
                behind.append(docs[position])
                if len(ahead) + len(behind) == limit:
                    break
        return ahead + behind


@dataclass
class _Question:
    all_words: list[str]
    specific: list[str]
    language: str
    intent: str | None
    kind: str | None
    event_kind: str | None
    modality: str | None
    span: DateSpan | None
    now: datetime
    procedural: bool = False  # "how do I ...": a procedure, answered by the FAQ
    latest: bool = False  # "the last videoconference this year"
    ending: bool = False  # "which course ends this month": courses by their last day

    @property
    def anchor(self) -> str:
        """Which day of a course the question's dates are about."""
        if self.intent == "deadline":
            return "deadline"
        return "end" if self.ending else "start"

    named: bool = False  # the organisation itself is named ("where is Cinterfor based")
    # ``specific`` with the cues of record facts kept ("reminders", "time zone", "tutored"):
    # what an FAQ entry must cover, since some entries are about those.
    faq_specific: list[str] = field(default_factory=list)


def _ranking_intent(folded: str, intent: str | None, procedural: bool) -> str | None:
    """The intent records are ranked for. A time zone or reminders question ranks as the
    time question it also is ("los horarios salen en mi hora local?" is the FAQ's); "how do
    tutored courses work" is a procedure, not a course's pace."""
    if intent in ("timezone", "reminders"):
        found = [n for n, p in COMPILED_INTENTS.items() if p.search(folded)]
        return next((n for n in INTENT_PRIORITY if n in found and n not in SOFT_INTENTS), None)
    if procedural and intent in SOFT_INTENTS:
        return None
    return intent


def _close(hits: Sequence[Hit]) -> bool:
    """Whether the runner-up is as good an answer as the best (within ``CLOSE``)."""
    if len(hits) < 2:
        return False
    best, second = hits[0], hits[1]
    return second.coverage >= CONFIDENT and best.score - second.score <= CLOSE


def _is_specific(folded: str, cues: set[str]) -> bool:
    """Whether a question word says *what* the question is about."""
    return not (
        folded in QUESTION_NOISE
        or folded in FILLERS
        or folded in GENERIC
        or folded in KIND_WORDS["course"]
        or folded in KIND_WORDS["event"]
        or folded in MODALITY_WORDS
        or folded in cues
        or (folded.isdigit() and len(folded) < 4)
    )


def _days_of(doc: Doc, anchor: str = "start") -> tuple[date | None, date | None]:
    """The days a record is "on": an event's days; for a course one day (a course "in
    October" is one that starts then): its start, its end (``anchor="end"``: "which course
    ends this month") or its enrolment deadline (``anchor="deadline"``)."""
    if doc.kind == "event":
        zone = ZoneInfo(doc.record.timezone)
        first = doc.record.starts_at.astimezone(zone).date()
        last = (doc.record.ends_at - timedelta(seconds=1)).astimezone(zone).date()
        return first, max(first, last)
    if doc.kind == "course":
        course = doc.record
        day = {"end": course.ends, "deadline": course.enroll_by}.get(anchor) or course.starts
        return day, day
    return None, None


def _modality_of(event: Any) -> str:
    return "in-person" if event.location else "online"


def _cue_words(folded_question: str, exclude: frozenset[str] = frozenset()) -> set[str]:
    """The words of every intent cue in the question ("link", "inscribirme", "cuando"):
    they say what is asked, not about what."""
    found: set[str] = set()
    for name, pattern in COMPILED_INTENTS.items():
        if name in exclude:
            continue
        for match in pattern.finditer(folded_question):
            found.update(match.group(0).split())
    return found
