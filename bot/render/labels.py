"""Words for stored codes in the reader's language (a survey's status, a region), and the one
way a title is shortened to fit a button or a line."""

from __future__ import annotations

from babel import Locale
from babel.lists import format_list

from bot.core.enums import SurveyStatus
from bot.core.geo import OTHER_REGION, REGIONS, region_of
from bot.core.i18n import N_, Translator, country_name

BUTTON_CHARS = 40  # a title on a button: about what a phone shows on one line


def shorten(text: str, limit: int) -> str:
    """At most ``limit`` characters, cut at a word boundary with "…"."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if " " in cut:
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:") + "…"


def button_title(title: str, limit: int = BUTTON_CHARS) -> str:
    """A title as a button shows it: whole, or shortened with "…" (never cut silently)."""
    return shorten(" ".join(title.split()), limit)


SURVEY_STATUS: dict[str, str] = {
    SurveyStatus.draft: N_("draft"),
    SurveyStatus.open: N_("open"),
    SurveyStatus.closed: N_("closed"),
}


def survey_status(status: str, tr: Translator) -> str:
    return tr(SURVEY_STATUS[status]) if status in SURVEY_STATUS else status


def region_name(region: str, tr: Translator) -> str:
    """CLDR's name of a region ("Sudamérica", "Caribe"); Central America with Mexico, and
    Northern America as its two countries (CLDR's "América Setentrional", "Northern America"
    read oddly on a button)."""
    if region == OTHER_REGION:
        return tr("Elsewhere")
    if region == "021":
        return format_list(
            [country_name(c, tr.language) for c in REGIONS[region]], locale=tr.locale
        )
    name = Locale.parse(tr.locale).territories.get(region, region)
    if region == "013":
        return format_list([name, country_name("MX", tr.language)], locale=tr.locale)
    return name


def regions_of(codes: set[str] | list[str]) -> list[str]:
    """The regions that hold any of ``codes``, in a fixed order."""
    return [r for r in (*REGIONS, OTHER_REGION) if any(region_of(c) == r for c in codes)]


# What a rated answer was about (the answerer's intents), as /stats lists the votes.
INTENT_LABELS = {
    "when": N_("questions on dates"),
    "time": N_("questions on times"),
    "timezone": N_("questions on time zones"),
    "link": N_("questions on links"),
    "enroll": N_("questions on enrolment"),
    "deadline": N_("questions on deadlines"),
    "cost": N_("questions on costs"),
    "certificate": N_("questions on certificates"),
    "duration": N_("questions on length"),
    "languages": N_("questions on languages"),
    "where": N_("questions on places"),
    "next_event": N_("questions on the next event"),
    "topic": N_("questions on topics"),
    "platform": N_("questions on platforms"),
    "modality": N_("questions on modality"),
    "pace": N_("questions on pace"),
    "provider": N_("questions on providers"),
    "reminders": N_("questions on reminders"),
    "what_is": N_("questions on what something is"),
}


OTHER_QUESTIONS = N_("other questions")


def intent_label(intent: str, tr: Translator) -> str:
    """The kind of question an answer was rated on; "other questions" for one not named."""
    return tr(INTENT_LABELS.get(intent, OTHER_QUESTIONS))


UNKNOWN = "-"  # how counts by country or institution key those whose one is not known


def country_label(code: str, tr: Translator) -> str:
    """A country of a count by country: its name, or that it is not known."""
    return tr("country not given") if code == UNKNOWN else country_name(code, tr.language)


def institution_label_of(name: str, tr: Translator) -> str:
    """An institution of a count by institution: its acronym, or that it is not known."""
    return tr("institution not given") if name == UNKNOWN else name
