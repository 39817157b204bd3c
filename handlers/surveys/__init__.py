"""Surveys in chat.

- :mod:`.answering`: /survey (a member's open surveys), ▶ Answer, typed answers;
- :mod:`.buttons`: the buttons of a question and of the summary;
- :mod:`.progress`: showing a question or the summary, storing an answer, the draft that
  says which response a member is answering;
- :mod:`.views`: the texts and buttons of a question and of the summary;
- :mod:`.organizing`: /launch, /nudge, /results, /export;
- :mod:`.polls`: /newsurvey, the quick one-question poll.

Invitations are rendered by :mod:`bot.render.surveys` and the periodic work (opening,
closing,
automatic reminders, feedback surveys) is in :mod:`bot.jobs.surveys`.
"""

from __future__ import annotations

from typing import Any

from telegram.ext import Application, CallbackQueryHandler, CommandHandler, filters

from bot.core.i18n import N_
from bot.render.callbacks import surveys as cb
from bot.render.commands import CommandSpec, register_command
from bot.render.surveys import render_invite
from handlers.surveys import buttons, polls
from handlers.surveys.answering import go_button, survey_command, typed_answer
from handlers.surveys.organizing import (
    export_command,
    launch_button,
    launch_command,
    nudge_command,
    results_command,
)
from handlers.surveys.polls import POLL_DRAFT, POLL_FLOW, PollDraft, newsurvey_command
from handlers.surveys.progress import DRAFT, SURVEY_FLOW, SurveyDraft

__all__ = [
    "DRAFT",
    "POLL_DRAFT",
    "POLL_FLOW",
    "SURVEY_FLOW",
    "PollDraft",
    "SurveyDraft",
    "register",
    "render_invite",
    "typed_answer",
]

register_command(CommandSpec("survey", N_("Surveys you can answer")))


def register(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """Typed text reaches the flows through the router of :mod:`handlers.flows`."""
    private = filters.ChatType.PRIVATE
    application.add_handler(CallbackQueryHandler(go_button, pattern=cb.OpenSurvey.pattern()))
    for data, callback in (*buttons.HANDLERS, *polls.HANDLERS):
        application.add_handler(CallbackQueryHandler(callback, pattern=data.pattern()))
    application.add_handler(CommandHandler("survey", survey_command, filters=private))
    application.add_handler(CommandHandler("newsurvey", newsurvey_command, filters=private))
    application.add_handler(CommandHandler("launch", launch_command))
    application.add_handler(
        CallbackQueryHandler(launch_button, pattern=cb.LaunchConfirmed.pattern())
    )
    application.add_handler(CommandHandler("nudge", nudge_command))
    application.add_handler(CommandHandler("results", results_command))
    application.add_handler(CommandHandler("export", export_command))
