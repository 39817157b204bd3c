"""Events and their reminders: RSVP buttons, the .ics file, /myevents, /reminders on|off;
for organizers /newevent (a guided conversation, :mod:`handlers.events.creating`),
/editevent, /cancelevent, /remind and /attendees (:mod:`handlers.events.editing`).

The modules: ``draft`` (the typed draft and its time checks), ``prompts`` (the question of
each step), ``creating``, ``editing`` and ``rsvp``.
"""

from __future__ import annotations

from telegram.ext import Application, CallbackQueryHandler, CommandHandler, filters

from bot.core.enums import Role
from bot.core.i18n import N_
from bot.render.callbacks.events import (
    CalendarPressed,
    CancelEventPressed,
    EditFieldPicked,
    RsvpPressed,
)
from bot.render.commands import CommandSpec, register_command
from handlers.events.creating import BUTTONS, create, newevent_command
from handlers.events.draft import DRAFT, EVENT_FLOW, MAX_OFFSETS, PLATFORMS, EventDraft
from handlers.events.editing import (
    EDIT_FIELDS,
    attendees_command,
    cancelevent_button,
    cancelevent_command,
    editevent_command,
    editfield_button,
    remind_command,
)
from handlers.events.rsvp import ics_button, myevents_command, reminders_command, rsvp_button

__all__ = [
    "DRAFT",
    "EDIT_FIELDS",
    "EVENT_FLOW",
    "MAX_OFFSETS",
    "PLATFORMS",
    "EventDraft",
    "attendees_command",
    "cancelevent_button",
    "cancelevent_command",
    "create",
    "editevent_command",
    "editfield_button",
    "ics_button",
    "myevents_command",
    "newevent_command",
    "register",
    "remind_command",
    "reminders_command",
    "rsvp_button",
]

register_command(CommandSpec("myevents", N_("Events you said you will attend")))
register_command(CommandSpec("reminders", N_("Event reminders on or off"), usage="on|off"))
register_command(CommandSpec("newevent", N_("Create an event"), Role.organizer))
register_command(CommandSpec("editevent", N_("Change an event"), Role.organizer, "ID"))
register_command(CommandSpec("cancelevent", N_("Cancel an event"), Role.organizer, "ID"))
register_command(CommandSpec("remind", N_("Send an event's reminder now"), Role.organizer, "ID"))
register_command(CommandSpec("attendees", N_("Who attends an event (CSV)"), Role.organizer, "ID"))


def register(application: Application) -> None:
    """The typed answers of the draft go through the flow router (``handlers.flows``)."""
    private = filters.ChatType.PRIVATE
    application.add_handler(CallbackQueryHandler(rsvp_button, pattern=RsvpPressed.pattern()))
    application.add_handler(CallbackQueryHandler(ics_button, pattern=CalendarPressed.pattern()))
    for kind, callback in BUTTONS:
        application.add_handler(CallbackQueryHandler(callback, pattern=kind.pattern()))
    application.add_handler(
        CallbackQueryHandler(editfield_button, pattern=EditFieldPicked.pattern())
    )
    application.add_handler(
        CallbackQueryHandler(cancelevent_button, pattern=CancelEventPressed.pattern())
    )
    application.add_handler(CommandHandler("myevents", myevents_command, filters=private))
    application.add_handler(CommandHandler("reminders", reminders_command, filters=private))
    application.add_handler(CommandHandler("newevent", newevent_command, filters=private))
    application.add_handler(CommandHandler("editevent", editevent_command, filters=private))
    application.add_handler(CommandHandler("cancelevent", cancelevent_command))
    application.add_handler(CommandHandler("remind", remind_command))
    application.add_handler(CommandHandler("attendees", attendees_command))
