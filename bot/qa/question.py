"""What a question asks, read from its words: the intent (when, time, link, cost…), the
kind of record wanted, the in-person/online filter, and which words say *what* it is about
(the specific words records are matched on) as opposed to *what is asked* about it."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from bot.qa.dates import DateSpan
from bot.qa.lexicon import (
    COMPILED_INTENTS,
    CONCEPT_OF,
    ENDING,
    EVENT_KIND_WORDS,
    FILLERS,
    GENERIC,
    HOW_IT_WORKS,
    INTENT_PRIORITY,
    KIND_WORDS,
    LATEST,
    LISTING,
    MODALITY_WORDS,
    OPEN,
    PROCEDURAL,
    QUESTION_NOISE,
    SELF,
    STATUS,
    TROUBLE,
)
from bot.qa.stopwords import ALL_STOPWORDS
from bot.qa.text import WORD, fold, words

INDEFINITE = re.compile(
    r"\b(un|una|um|uma|a|an|algun|alguna|algum|alguma|some|any|otro|otra|outro|outra|another)"
    r" (" + "|".join(sorted(KIND_WORDS["course"] | KIND_WORDS["event"])) + r")\b"
)
# Training as a subject ("sobre capacitación", "about training"): no kind of record
TRAINING_TOPIC = re.compile(
    r"\b(?:sobre|acerca de|about|on) (?:la |las |a |as |el |o |os )?"
    r"(capacitacion|capacitaciones|capacitacao|capacitacoes|training|trainings)\b"
)
SOFT_INTENTS = frozenset({"reminders", "timezone", "pace", "provider", "modality"})
# "el curso de X", "the course on X": X is what the question is about
SUBJECT = re.compile(
    r"\b(" + "|".join(sorted(KIND_WORDS["course"] | KIND_WORDS["event"])) + r")"
    r" (?:de|do|da|sobre|on|about|of) (\w+)"
)


@dataclass
class Question:
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
    named: bool = False  # the organisation itself is named ("where is Cinterfor based")
    # ``specific`` with the cues of record facts kept ("reminders", "time zone", "tutored"):
    # what an FAQ entry must cover, since some entries are about those.
    faq_specific: list[str] = field(default_factory=list)
    folded_words: list[str] = field(default_factory=list)  # the content words, folded
    status: bool = False  # "was it cancelled?", "is it still on?"
    intents: tuple[str, ...] = ()  # every fact asked, the main one first
    plural: bool = False  # records named in the plural ("los cursos", "webinars")
    # a kind of record asked for as any one ("quiero un curso para…", "a course on…"), not
    # the one the asker is in ("can she follow the course?")
    indefinite: bool = False
    trouble: bool = False  # "no funciona", "I didn't get the link": an FAQ's

    @property
    def anchor(self) -> str:
        """Which day of a course the question's dates are about."""
        if self.intent == "deadline":
            return "deadline"
        return "end" if self.ending else "start"


def detect_intents(folded: str) -> list[str]:
    """Every intent whose cue is in the question, the main one (by priority) first."""
    found = {name for name, pattern in COMPILED_INTENTS.items() if pattern.search(folded)}
    return [name for name in INTENT_PRIORITY if name in found]


def detect_intent(folded: str) -> str | None:
    found = detect_intents(folded)
    return found[0] if found else None


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


def analyse(
    text: str,
    rest: str,
    span: DateSpan | None,
    language: str,
    now: datetime,
    known: Callable[[str], bool] = lambda _word: False,
) -> tuple[Question, str | None]:
    """The question (spelling fixed) read into a :class:`Question`; ``rest`` is its folded
    text without the date words. Also returns the intent detected (None: none). A small
    number counts as content when ``known`` says records are named by it ("la 46 reunión")
    and it is not an amount of time ("a las 14 h", "2 días")."""
    # A soft intent's cue right after "el curso de" names the subject ("¿cuánto cuesta el
    # curso de tutoría?" asks a cost, not the pace): it stays specific, and is not asked.
    subject = {m.group(2) for m in SUBJECT.finditer(rest)} - cue_words(rest, exclude=SOFT_INTENTS)
    intents = [i for i in detect_intents(rest) if not _only_subject(i, rest, subject)]
    intent = intents[0] if intents else None
    kept = set(WORD.findall(rest))
    all_words = [
        w
        for w in words(text)
        if fold(w) not in ALL_STOPWORDS and len(fold(w)) > 1 and fold(w) in kept
    ]
    folded_words = [fold(w) for w in all_words]
    # "algo sobre capacitación del personal": training is what it is about, not a course
    about = {m.group(1) for m in TRAINING_TOPIC.finditer(rest)}
    kind, event_kind = kind_hint([w for w in folded_words if w not in about])
    modality = next((MODALITY_WORDS[w] for w in folded_words if _modality_word(w, rest)), None)
    # "el taller presencial": an event; but "¿es presencial o virtual?" asks a record's
    # modality (courses have one too), it does not filter on it.
    if intent == "modality":
        modality = None  # "es virtual o presencial": asked, not a filter
    elif modality == "in-person" or event_kind is not None:
        kind = kind or "event"
    # The cues of the facts asked of records ("reminders", "time zone", "tutored") stay
    # content: FAQ entries are about them, and they tell records apart. A trouble's words
    # ("no me deja", "not working") are not content.
    cues = cue_words(rest, exclude=SOFT_INTENTS)
    trouble = {w for m in TROUBLE.finditer(rest) for w in m.group(0).split()}
    works = {m.group(3) or m.group(5) for m in HOW_IT_WORKS.finditer(rest)}
    cues |= trouble | works
    faq_specific = [w for w in all_words if is_specific(fold(w), cues) or _named_by(w, rest, known)]
    status = [m.group(0) for m in STATUS.finditer(rest)]
    # "agenda", "what is on", "still open": what is asked, not about what
    listing = [m.group(0) for p in (LISTING, OPEN) for m in p.finditer(rest)]
    every_cue = cues | (cue_words(rest) - subject)
    every_cue |= {w for cue in status + listing for w in cue.split()}
    specific = [
        w
        for w in faq_specific
        if (is_specific(fold(w), every_cue) and fold(w) not in SELF) or _named_by(w, rest, known)
    ]
    procedural = bool(PROCEDURAL.search(rest))
    plural = any(
        w.endswith("s") and (w in KIND_WORDS["event"] or w in KIND_WORDS["course"])
        for w in folded_words
    )
    if not specific and kind is not None and not (procedural or plural or SOFT_INTENTS & {intent}):
        specific = _named_by_common_words(all_words, every_cue)
    faq_words = [
        w
        for w in all_words
        if (fold(w) not in FILLERS and fold(w) not in trouble) or fold(w) in CONCEPT_OF
    ]
    question = Question(
        faq_words,
        specific,
        language,
        ranking_intent(rest, intent, procedural),
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
        folded_words=folded_words,
        status=bool(status),
        intents=tuple(intents),
        plural=plural,
        indefinite=bool(INDEFINITE.search(rest)),
        trouble=bool(trouble),
    )
    return question, intent


def _only_subject(intent: str, rest: str, subject: set[str]) -> bool:
    """Whether every cue of this soft intent in the question is the subject's name."""
    if intent not in SOFT_INTENTS or not subject:
        return False
    said = {w for m in COMPILED_INTENTS[intent].finditer(rest) for w in m.group(0).split()}
    return said <= subject


def _named_by_common_words(all_words: Sequence[str], cues: set[str]) -> list[str]:
    """ "la reunión de fin de año de la red", "the network year-end meeting": a record named
    only by words that usually say what is asked or name the organisation; those words,
    when nothing else in the question is content and none of them is the cue of what is
    asked."""
    return [w for w in all_words if fold(w) in QUESTION_NOISE | GENERIC and fold(w) not in cues]


def _modality_word(folded: str, rest: str) -> bool:
    """Whether a word says in person or online: "person" only in "in person" ("our focal
    person left" is about a person)."""
    if folded not in MODALITY_WORDS:
        return False
    return folded != "person" or re.search(r"\bin person\b", rest) is not None


AMOUNT = r"\s*(h|hs|hrs|horas?|hours?|am|pm|min\w*|:|dias?|days?|semanas?|weeks?|%)"


def _named_by(word: str, rest: str, known: Callable[[str], bool]) -> bool:
    if not word.isdigit() or len(word) >= 4 or not known(word):
        return False
    return not re.search(rf"\b{word}{AMOUNT}(\b|$)", rest)


def ranking_intent(folded: str, intent: str | None, procedural: bool) -> str | None:
    """The intent records are ranked for. A time zone or reminders question ranks as the
    time question it also is ("los horarios salen en mi hora local?" is the FAQ's); "how do
    tutored courses work" is a procedure, not a course's pace."""
    if intent in ("timezone", "reminders"):
        found = [n for n, p in COMPILED_INTENTS.items() if p.search(folded)]
        return next((n for n in INTENT_PRIORITY if n in found and n not in SOFT_INTENTS), None)
    if procedural and intent in SOFT_INTENTS:
        return None
    if intent == "link" and COMPILED_INTENTS["enroll"].search(folded):
        return "enroll"  # "el link para inscribirme": the enrolment page, a course's
    return intent


def is_specific(folded: str, cues: set[str]) -> bool:
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


def cue_words(folded_question: str, exclude: frozenset[str] = frozenset()) -> set[str]:
    """The words of every intent cue in the question ("link", "inscribirme", "cuando"):
    they say what is asked, not about what."""
    found: set[str] = set()
    for name, pattern in COMPILED_INTENTS.items():
        if name in exclude:
            continue
        for match in pattern.finditer(folded_question):
            found.update(match.group(0).split())
    return found
