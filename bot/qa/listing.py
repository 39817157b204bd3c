"""Questions answered with a list of records: the records of a time ("eventos de mañana",
"what is on in October", "o que tem na quinta?"), the next ones ("próximos eventos"), the
courses still open for enrolment, and a topic's records in a time ("webinars on green jobs
in May")."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Mapping, Sequence
from datetime import date, datetime, timedelta

from bot.qa.dates import DateSpan
from bot.qa.documents import Hit
from bot.qa.facts import is_free
from bot.qa.index import Doc, concepts_of
from bot.qa.lexicon import COMPILED_INTENTS, GENERIC, LISTING, OPEN
from bot.qa.question import Question
from bot.qa.stopwords import ALL_STOPWORDS
from bot.qa.text import WORD, fold
from bot.qa.timeline import Timeline, modality_of

LISTED = 30  # records of each kind in a listing: "what is on in March" lists the whole month
NEXT_LISTED = 3  # "the next events": the next few
OPEN_REACH = timedelta(days=730)  # "courses open for enrolment": deadlines this far ahead
# Questions on these ask for one record's fact: never answered with a listing.
FACT_INTENTS = frozenset(
    "time link where platform enroll deadline cost certificate duration languages "
    "modality pace provider timezone reminders".split()
)


def plural_kind(q: Question) -> bool:
    """The question names records in the plural ("eventos", "courses", "webinars")."""
    return q.plural


def list_mode(q: Question, rest: str) -> str | None:
    """How the question is answered with a list: ``time`` (the records of its dates),
    ``next`` (the next ones), ``open`` (courses open for enrolment); None: one record."""
    if q.specific or q.procedural or attributes(rest):
        return None  # a topic or an attribute: see filtered_listing
    plural = plural_kind(q)
    # "eventos de mañana", "what is on", "tem algum evento amanhã?": the records of a time
    explicit = plural or q.indefinite or bool(LISTING.search(rest))
    if q.intent in ("enroll", "deadline") and plural and q.kind == "course":
        return "open" if OPEN.search(rest) or q.span is None else None
    if FACT_INTENTS.intersection(q.intents):  # "reminders for the videoconferences?"
        return None
    if q.span is None:
        wants_next = q.intent in (None, "next_event", "topic", "when")
        return "next" if plural and wants_next else None
    # "what does Cinterfor have in April" lists; "where is Cinterfor based" does not.
    return "time" if explicit or (q.kind is None and not q.named) else None


def listing(timeline: Timeline, q: Question, mode: str) -> list[Hit]:
    if mode == "open":
        today = q.now.date()
        span = DateSpan(today, today + OPEN_REACH)
        return timeline.by_time("course", None, None, span, q.now, False, "deadline", LISTED)
    if mode == "next":
        kind = q.kind or "event"
        return timeline.by_time(kind, q.event_kind, q.modality, None, q.now, limit=NEXT_LISTED)
    found = timeline.by_time(
        q.kind or "event", q.event_kind, q.modality, q.span, q.now, q.latest, q.anchor, LISTED
    )
    if q.kind is None:
        found += timeline.by_time(
            "course", None, None, q.span, q.now, q.latest, q.anchor, limit=LISTED
        )
    return within(found, q.span, q.anchor)


def within(found: list[Hit], span: DateSpan | None, anchor: str) -> list[Hit]:
    """The records of the span's own days: "in October" is this (or next) October, other
    years' only if it has none; "on Thursday" is the first Thursday that has something."""
    if span is None:
        return found
    if span.loose:
        strict = [
            h
            for h in found
            if h.doc.days[anchor][0] is not None
            and span.first <= h.doc.days[anchor][0] <= span.last
        ]
        found = strict or found
    if span.weekday is not None and found:
        first_day = min(h.doc.days[anchor][0] for h in found)
        found = [h for h in found if h.doc.days[anchor][0] == first_day]
    return found


# A topic's records: those covering this much of the question's words, and nearly as
# much as the best (fixed, so that the answerer's thresholds can be chosen on its results).
TOPIC_COVERAGE = 0.45
PLACES = ("~country-", "~region-")  # the concepts of places (bot.qa.concept_table, lexicon)
INSTITUTION = "~institution"
FILTERED = 20  # "which courses are taught in English": every one, up to this many
LANGUAGE_NAMES = {
    "es": r"espanol|castellano|spanish|espanhol",
    "pt": r"portugues|portuguese",
    "en": r"ingles|english",
}
COURSE_MODALITIES = {
    "blended": r"semipresencial\w*|blended|hibrid[oa]s?|hybrid|mixt[oa]s?",
    "in-person": r"presencial(es)?|presenciais|in person|in-person|face to face|onsite",
    "online": r"online|virtual(es)?|virtuais|a distancia|en linea|remot[oa]s?|remote",
}
FREE = re.compile(
    r"\b(gratis|gratuit[oa]s?|de graca|free|sin costo|sem custo|no cost|sin cargo|sin pagar|"
    r"sem pagar)\b"
)
# "son gratis", "se pagan", "are they free": a question about courses in general
COPULA = re.compile(r"\b(son|sao|es|e|are|is|se pagan|pagan|pagam|pagar|pay|paid|cobran)\b")
COPULA_FREE = re.compile(r"\b(son|sao|es|e|are|is)\s+(gratis|gratuit[oa]s?|free|de graca)\b")
TOPIC = COMPILED_INTENTS["topic"]
CERTIFICATE = COMPILED_INTENTS["certificate"]
COURSE_ONLY = frozenset({"languages", "pace", "cost", "certificate"})  # events have none
WITH_CERTIFICATE = re.compile(r"\b(con|com|with( a)?) certifica\w*|certified courses\b")
STATUSES = {
    "cancelled": r"cancelad[oa]s?|cancelled|canceled|suspendid[oa]s?|suspens[oa]s?",
    "postponed": r"postergad[oa]s?|pospuest[oa]s?|aplazad[oa]s?|adiad[oa]s?|postponed|"
    r"reprogramad[oa]s?|rescheduled",
}
PACES = {
    "self-paced": r"self[- ]paced|own pace|my own pace|autoasistid\w*|autoguiad\w*|"
    r"autoaprendizaje|autoinstrucciona\w*|autoinstruciona\w*|a mi ritmo|no meu ritmo|"
    r"sin tutor|sem tutor|without a tutor",
    "tutored": r"tutorad\w*|tutoriad\w*|tutored|con tutor|com tutor|with a tutor|tutoria",
}


def _first(table: dict[str, str], folded: str) -> str | None:
    # Checked in order: "semipresencial" is blended before "presencial" is in person.
    for value, pattern in table.items():
        if re.search(rf"\b({pattern})\b", folded):
            return value
    return None


def attributes(rest: str) -> dict[str, str]:
    """The course or event attributes a question filters on: teaching language, modality,
    pace, free of charge, certificate, an event's status ("cursos autoasistidos en inglés" →
    pace self-paced, language en; "free courses" → cost free; "eventos cancelados" → status
    cancelled)."""
    found = {}
    for name, table in (("languages", LANGUAGE_NAMES), ("modality", COURSE_MODALITIES)):
        value = _first(table, rest)
        if value:
            found[name] = value
    pace = _first(PACES, rest)
    if pace:
        found["pace"] = pace
    if FREE.search(rest) and _asks_which(rest):
        found["cost"] = "free"
    # "free courses that give a certificate", "cursos con certificado": alongside another
    # attribute, or said as one ("do the courses give a certificate?" asks about courses in
    # general)
    if CERTIFICATE.search(rest) and (found or WITH_CERTIFICATE.search(rest)):
        found["certificate"] = "yes"
    status = _first(STATUSES, rest)  # "eventos cancelados"
    if status:
        found["status"] = status
    return found


def _asks_which(rest: str) -> bool:
    """ "Which courses are free", "free courses": a listing; "are the courses free or paid?",
    "los cursos de Cinterfor son gratis?" ask about courses in general (the FAQ's question)."""
    if LISTING.search(rest):
        return True
    if COPULA_FREE.search(rest):
        return False
    return bool(TOPIC.search(rest) or not COPULA.search(rest))


def _has(hit: Hit, wanted: dict[str, str]) -> bool:
    return _has_doc(hit.doc, wanted)


def _has_doc(doc: Doc, wanted: dict[str, str]) -> bool:
    record = doc.record
    if doc.kind == "event":
        if wanted.keys() & COURSE_ONLY:
            return False
        if "status" in wanted and record.status != wanted["status"]:
            return False
        modality = wanted.get("modality")
        return modality is None or modality_of(record) == modality or modality == "blended"
    if "status" in wanted:
        return False  # courses are not cancelled or postponed
    return all(
        (name != "languages" or value in (record.languages or []))
        and (name != "modality" or record.modality == value)
        and (name != "pace" or record.pace == value)
        and (name != "cost" or is_free(record))
        and (name != "certificate" or bool(record.certificate))
        for name, value in wanted.items()
    )


def _current(hit: Hit, now: datetime) -> bool:
    """Not over yet (and not cancelled): what a member can still take part in."""
    record = hit.doc.record
    if hit.kind == "event":
        return record.status != "cancelled" and record.ends_at >= now
    return record.ends is None or record.ends >= now.date()


def filtered_listing(
    q: Question,
    rest: str,
    ranked: Sequence[Hit],
    docs: Sequence[Doc],
    providers: Mapping[str, Sequence[Doc]] | None = None,
) -> list[Hit]:
    """ "Which courses are taught in English", "self-paced courses", "webinars on green jobs
    in May", "los cursos del INA": the records that have the attributes asked (or match the
    topic's words well enough, or are given by the provider named), in the question's dates;
    for a topic or a provider, a listing only when two or more do."""
    if q.procedural or not (plural_kind(q) or LISTING.search(rest) or "topic" in q.intents):
        return []
    wanted = attributes(rest)
    provided = _provided(q, providers or {})
    if provided:
        pool = [Hit(doc, 0.5, 0.6) for doc in provided]
    elif q.specific:
        best = max((h.coverage for h in ranked if h.kind != "faq"), default=0.0)
        # a place alone ("Caribbean activities"): every record that mentions it
        floor = TOPIC_COVERAGE if _place_only(q) else max(TOPIC_COVERAGE, 0.85 * best)
        pool = [h for h in ranked if h.kind != "faq" and h.coverage >= floor]
    elif wanted:  # the records that have them, any of the catalog's
        pool = [Hit(doc, 0.5, 0.6) for doc in docs if doc.kind != "faq" and _has_doc(doc, wanted)]
    else:
        return []
    kind = q.kind or ("course" if wanted.keys() & COURSE_ONLY else None)
    found = [h for h in pool if (kind is None or h.kind == kind) and _has(h, wanted)]
    if q.span is not None:
        found = [h for h in found if _inside(h, q.span, q.anchor)]
    else:
        found = [h for h in found if _current(h, q.now)] or found
    found = within(sorted(found, key=_start), q.span, q.anchor)
    if q.specific and len(found) < 2:
        return []
    return found[:FILTERED]


def provider_words(docs: Sequence[Doc]) -> dict[str, list[Doc]]:
    """Each word of a course provider's name (folded) → the provider's courses; the
    organisation's own names single out no provider."""
    found: dict[str, list[Doc]] = defaultdict(list)
    for doc in docs:
        provider = getattr(doc.record, "provider", None) if doc.kind == "course" else None
        for word in set(WORD.findall(fold(provider or ""))):
            if len(word) > 1 and word not in GENERIC and word not in ALL_STOPWORDS:
                found[word].append(doc)
    return dict(found)


def _provided(q: Question, providers: Mapping[str, Sequence[Doc]]) -> list[Doc]:
    """The courses of the provider the question's words name, every one of them a word of
    its name ("cursos del INA"); none when another word says what they are about."""
    said = [fold(w) for w in q.specific]
    if not said or any(w not in providers for w in said):
        return []
    keys = set.intersection(*({d.key for d in providers[w]} for w in said))
    return [d for d in providers[said[0]] if d.key in keys]


def of_a_place(q: Question) -> list[str]:
    """The question's specific words without the institution words that say whose records a
    place's are ("cursos de instituciones peruanas" asks for Peru's courses), when it
    names records in the plural."""
    places = [w for w in q.specific if _is_place(w)]
    if not q.plural or not places:
        return q.specific
    return [w for w in q.specific if w in places or INSTITUTION not in concepts_of(fold(w))]


def _is_place(word: str) -> bool:
    return any(c.startswith(PLACES) for c in concepts_of(fold(word)))


def _place_only(q: Question) -> bool:
    """Whether the question's one specific word is a country or a region."""
    return len(q.specific) == 1 and _is_place(q.specific[0])


def filters_only(q: Question, rest: str) -> bool:
    """An attribute listing with nothing else to match ("cursos presenciales"): when no
    record has the attributes, that is the answer."""
    return (
        not q.specific
        and not q.procedural  # "how do tutored courses work" asks how, not which
        and bool(attributes(rest))
        and bool(plural_kind(q) or LISTING.search(rest))
    )


def _inside(hit: Hit, span: DateSpan, anchor: str) -> bool:
    first, last = hit.doc.days.get(anchor, (None, None))
    return first is not None and last is not None and span.overlaps(first, last)


def _start(hit: Hit) -> date:
    return hit.doc.days.get("start", (None, None))[0] or date.max
