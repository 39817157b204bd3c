"""Checks for the catalogue records: institutions, topics, courses and FAQ entries."""

from __future__ import annotations

import re

from babel import Locale

from bot.core.i18n import LANGUAGES
from bot.core.ids import SLUG, slugify
from bot.core.records import CourseRecord, FaqRecord, InstitutionRecord, TopicRecord
from bot.core.text import fold
from bot.importer.checks.fields import (
    Collector,
    check_date,
    check_languages,
    check_slug,
    check_texts,
    check_url,
    check_zone,
)
from bot.importer.schema import CourseIn, FaqIn, InstitutionIn, TopicIn

# Babel's territories hold regions (001, 419), the EU and pseudo codes too: a country is two
# letters, and these two-letter codes are not countries.
NOT_COUNTRIES = frozenset({"EU", "EZ", "UN", "QO", "XA", "XB", "ZZ"})


def is_country(code: str) -> bool:
    """An ISO 3166-1 alpha-2 code CLDR knows (``XX`` or ``QQ`` are refused)."""
    return (
        bool(re.fullmatch(r"[A-Z]{2}", code))
        and code not in NOT_COUNTRIES
        and code in Locale("en").territories
    )


def check_institution(
    col: Collector, path: str, raw: InstitutionIn, default: str
) -> InstitutionRecord | None:
    ok = check_slug(col, f"{path}.id", raw.id)
    name = check_texts(col, f"{path}.name", raw.name, default, limit=300)
    country = raw.country.upper()
    if not is_country(country):
        col.add(f"{path}.country", f"'{raw.country}' is not an ISO 3166 country code (e.g. UY)")
        ok = False
    zone = check_zone(col, f"{path}.timezone", raw.timezone)
    languages = check_languages(col, f"{path}.languages", raw.languages)
    if not (ok and name and zone):
        return None
    return InstitutionRecord(raw.id, raw.acronym, name, country, zone, languages)


def _topics(
    col: Collector, path: str, written: list[str | int | float]
) -> tuple[list[str] | None, dict[str, str]]:
    """Topics as people write them ("Big data", "Industria 4.0"): each becomes a slug for
    filtering (big-data, industria-4-0); the written form is kept as its fallback label."""
    slugs: list[str] = []
    names: dict[str, str] = {}
    ok = True
    for index, topic in enumerate(written):
        text = " ".join(str(topic).split())
        slug = slugify(text) if re.search(r"[A-Za-z0-9]", fold(text)) else ""
        if not SLUG.match(slug) or len(text) > 60:
            col.add(f"{path}[{index}]", f"'{topic}' is not a valid topic (like green jobs)")
            ok = False
            continue
        if slug not in slugs:
            slugs.append(slug)
            if text != slug:
                names[slug] = text
    return (slugs if ok else None), names


def check_topic(col: Collector, path: str, raw: TopicIn, default: str) -> TopicRecord | None:
    """A ``topics:`` entry: the id as written in the courses (slugged), a text per language."""
    slug = slugify(raw.id) if re.search(r"[A-Za-z0-9]", fold(raw.id)) else ""
    if not SLUG.match(slug):
        col.add(f"{path}.id", f"'{raw.id}' is not a valid topic (like green jobs)")
        return None
    text = check_texts(col, f"{path}.text", raw.text, default, limit=60)
    return TopicRecord(slug, text) if text else None


def check_course(col: Collector, path: str, raw: CourseIn, default: str) -> CourseRecord | None:
    ok = check_slug(col, f"{path}.id", raw.id)
    title = check_texts(col, f"{path}.title", raw.title, default, limit=300)
    summary = check_texts(col, f"{path}.summary", raw.summary, default, limit=4000, required=False)
    starts = check_date(col, f"{path}.starts", raw.starts)
    ends = check_date(col, f"{path}.ends", raw.ends)
    enroll_by = check_date(col, f"{path}.enroll_by", raw.enroll_by)
    if starts and ends and ends < starts:
        col.add(f"{path}.ends", "is before starts")
        ok = False
    checked, names = _topics(col, f"{path}.topics", raw.topics)
    ok = ok and checked is not None
    topics = checked or []
    url = check_url(col, f"{path}.enroll_url", raw.enroll_url)
    cost = check_texts(col, f"{path}.cost", raw.cost, default, limit=200, required=False)
    if not (ok and title):
        return None
    return CourseRecord(
        raw.id,
        title,
        summary or {},
        topics,
        raw.modality,
        raw.pace,
        check_languages(col, f"{path}.languages", raw.languages),
        starts,
        ends,
        raw.hours,
        enroll_by,
        url,
        cost,
        raw.certificate,
        raw.provider,
        names,
    )


def check_faq(col: Collector, path: str, raw: FaqIn, default: str) -> FaqRecord | None:
    ok = check_slug(col, f"{path}.id", raw.id)
    question = check_texts(col, f"{path}.question", raw.question, default, limit=500)
    answer = check_texts(col, f"{path}.answer", raw.answer, default, limit=4000)
    keywords: dict[str, list[str]] | None = None
    if raw.keywords is not None:
        keywords = {}
        for language, words in raw.keywords.items():
            if language not in LANGUAGES:
                col.add(f"{path}.keywords.{language}", "unknown language (use es, pt or en)")
                ok = False
                continue
            keywords[language] = [w.strip() for w in words if w.strip()][:50]
    if not (ok and question and answer):
        return None
    return FaqRecord(raw.id, question, answer, keywords)
