"""Stored states shown to people: the words for a survey's status in the reader's language."""

from __future__ import annotations

from bot.core.enums import SurveyStatus
from bot.core.i18n import N_, Translator

SURVEY_STATUS: dict[str, str] = {
    SurveyStatus.draft: N_("draft"),
    SurveyStatus.open: N_("open"),
    SurveyStatus.closed: N_("closed"),
}


def survey_status(status: str, tr: Translator) -> str:
    return tr(SURVEY_STATUS[status]) if status in SURVEY_STATUS else status
