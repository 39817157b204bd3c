"""Announcements: /broadcast (compose → languages → audience → preview → send or schedule),
/broadcasts, /registergroup and /stats.

/broadcast is a flow of :mod:`handlers.flows`: its :class:`BroadcastDraft` lives in the
database, so a restart mid-composition loses nothing; the flow router hands it the typed text,
attachment, selectors and time. Sending goes through the outbox; the progress message is
posted by :mod:`bot.messaging.broadcast_progress` and then edited by ``bot.jobs.broadcasts``.

The modules: ``draft`` (the draft, its steps and the pieces each step uses), ``composing``
(the texts and their languages), ``audience`` (who it reaches, /registergroup), ``sending``
(preview, send now or schedule, cancel), ``steps`` (the buttons from step to step) and
``overview`` (/broadcasts, /stats).
"""

from __future__ import annotations

from typing import Any

from telegram.ext import Application, CallbackQueryHandler, CommandHandler, filters

from bot.core.i18n import N_
from bot.render.callbacks.broadcast import (
    AudienceRegion,
    AudienceToggle,
    BroadcastStep,
    ReplaceText,
    StopBroadcast,
    StopConfirmed,
    TextLanguage,
)
from bot.render.commands import CommandSpec, register_command
from handlers.broadcast.audience import audience_button, region_button, registergroup_command
from handlers.broadcast.composing import broadcast_command, language_button, replace_button
from handlers.broadcast.draft import BROADCAST_FLOW, BroadcastDraft, Step
from handlers.broadcast.overview import broadcasts_command, stats_command
from handlers.broadcast.sending import stop_button, stop_confirmed
from handlers.broadcast.steps import STEP_ACTIONS, step_button
from storage.models import Role

__all__ = ["BROADCAST_FLOW", "STEP_ACTIONS", "BroadcastDraft", "Step", "register"]

register_command(CommandSpec("broadcast", N_("Send an announcement"), Role.organizer))
register_command(
    CommandSpec("broadcasts", N_("Recent and scheduled announcements"), Role.organizer)
)
register_command(CommandSpec("stats", N_("Members by country, language and role"), Role.organizer))
register_command(CommandSpec("registergroup", N_("Let broadcasts reach this group"), Role.admin))


def register(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """The typed steps are routed by :mod:`handlers.flows`; here the commands and buttons."""
    application.add_handler(
        CommandHandler("broadcast", broadcast_command, filters=filters.ChatType.PRIVATE)
    )
    application.add_handler(CommandHandler("broadcasts", broadcasts_command))
    application.add_handler(CommandHandler("registergroup", registergroup_command))
    application.add_handler(CommandHandler("stats", stats_command))
    for data, callback in (
        (BroadcastStep, step_button),
        (TextLanguage, language_button),
        (AudienceToggle, audience_button),
        (AudienceRegion, region_button),
        (StopBroadcast, stop_button),
        (StopConfirmed, stop_confirmed),
        (ReplaceText, replace_button),
    ):
        application.add_handler(CallbackQueryHandler(callback, pattern=data.pattern()))
