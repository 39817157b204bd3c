"""Checking the raw records: every problem collected as ``path: message``.

One module per concern: :mod:`.fields` (the collector and the field checks every record
shares), :mod:`.catalog` (institutions, topics, courses, FAQ), :mod:`.events` and
:mod:`.surveys`. The record checks are re-exported here.
"""

from bot.importer.checks.catalog import (
    check_course,
    check_faq,
    check_institution,
    check_topic,
    is_country,
)
from bot.importer.checks.events import check_event
from bot.importer.checks.fields import Collector
from bot.importer.checks.surveys import check_question, check_survey

__all__ = [
    "Collector",
    "check_course",
    "check_event",
    "check_faq",
    "check_institution",
    "check_question",
    "check_survey",
    "check_topic",
    "is_country",
]
