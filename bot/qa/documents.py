"""The catalog as documents for the index: a course, an event or an FAQ entry becomes a
:class:`bot.qa.index.Doc` whose weighted fields are its titles, summaries, topics, place and
keywords in every language they are given; :class:`Hit` is a document found for a question."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from bot.qa import concepts
from bot.qa.index import Doc, phrase_term, phrase_words, variants
from bot.qa.lexicon import CONCEPTS, GENERIC
from bot.qa.text import fold, words

KEYWORD = 2.5  # the weight of an FAQ entry's keywords
KEYWORD_PART = 0.6  # that of a word of a keyword of several (an answer's)


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
class Catalog:
    courses: Sequence[Any]
    events: Sequence[Any]
    faqs: Sequence[Any]
    # "course:<id>" / "faq:<id>" -> other ways to ask for it, (text, language)
    phrasings: Mapping[str, Sequence[tuple[str, str]]] = field(default_factory=dict)
    # an institution's acronym (folded) → its country's code: where a course's provider is
    countries: Mapping[str, str] = field(default_factory=dict)


def provider_countries(institutions: Iterable[Any]) -> dict[str, str]:
    """The network's institutions as :attr:`Catalog.countries` (the organisation's own names
    left out: it runs courses for every country, so its seat tells nothing of them)."""
    return {
        fold(i.acronym): str(i.country).lower()
        for i in institutions
        if i.acronym and i.country and not set(re.split(r"\W+", fold(i.acronym))) & GENERIC
    }


def _provider_places(provider: str, countries: Mapping[str, str]) -> str:
    """The names of the countries of the institutions named as the provider."""
    folded = fold(provider)
    codes = {
        code
        for acronym, code in countries.items()
        if re.search(rf"(?<!\w){re.escape(acronym)}(?!\w)", folded)
    }
    return " ".join(w for code in sorted(codes) for w in CONCEPTS.get(f"country-{code}", ()))


def _texts(values: dict[str, str] | None) -> list[tuple[str, str]]:
    return [(text, language) for language, text in (values or {}).items() if text]


def course_doc(course: Any, countries: Mapping[str, str] | None = None) -> Doc:
    doc = Doc("course", course.id, course)
    doc.fields += [(t, lang, 3.0) for t, lang in _texts(course.title)]
    doc.fields += [(t, lang, 1.0) for t, lang in _texts(course.summary)]
    doc.fields += [(" ".join(course.topics or []).replace("-", " "), None, 2.0)]
    if course.provider:
        doc.fields.append((course.provider, None, 0.5))
        places = _provider_places(course.provider, countries or {})
        if places:  # "cursos de instituciones peruanas"
            doc.fields.append((places, None, 1.5))
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
        content = {keyword: phrase_words(keyword) for keyword in keywords}
        single = [k for k in keywords if len(content[k]) < 2]
        doc.fields.append((" ".join(single), language, KEYWORD))
        # A keyword of several words counts fully only when the question has them all: one
        # of them ("data" of "delete my data") says little of what the entry is about.
        for phrase in (k for k in keywords if len(content[k]) >= 2):
            doc.fields.append((phrase, language, KEYWORD_PART))
            doc.terms.append((phrase_term(content[phrase]), KEYWORD))
    return doc


def catalog_docs(catalog: Catalog) -> tuple[list[Doc], list[Doc]]:
    """Courses and events (cancelled ones too: "was it cancelled?" must find them), and FAQ
    entries, with the other phrasings organizers accepted for them."""
    entities = [course_doc(c, catalog.countries) for c in catalog.courses]
    entities += [event_doc(e) for e in catalog.events]
    faq_docs = [faq_doc(f) for f in catalog.faqs]
    for doc in [*entities, *faq_docs]:
        doc.fields += [(t, lang, 3.0) for t, lang in catalog.phrasings.get(doc.key, ())]
    return entities, faq_docs


def faq_subject_terms(faqs: Sequence[Any]) -> frozenset[str]:
    """The index terms (stems, concepts) of the words of the FAQ entries' questions and
    keywords, in every language."""
    found: set[str] = set()
    for faq in faqs:
        texts = [*(faq.question or {}).values()]
        texts += [k for keywords in (faq.keywords or {}).values() for k in keywords]
        for word in {w for text in texts for w in words(text)}:
            found.update(variants(word, None))
    return frozenset(found)


def concept_sources(catalog: Catalog) -> list[dict[str, set[str]]]:
    """Per record, its words per language: titles, topics, FAQ questions and keywords."""
    sources = [concepts.record_words([c.title], c.topics or ()) for c in catalog.courses]
    sources += [concepts.record_words([e.title]) for e in catalog.events]
    for faq in catalog.faqs:
        keywords = {lang: " ".join(ws) for lang, ws in (faq.keywords or {}).items()}
        sources.append(concepts.record_words([faq.question, keywords]))
    return sources
