"""The one engine for multi-step conversations (/broadcast, /newevent, polls, typed answers).

A flow is a typed draft (a dataclass with a ``step``), kept in the database so that a
restart or another bot process goes on where the person left off, and a table of the steps
that wait for a typed message. One router takes every private message that is not a
command, finds the member's most recently touched draft whose step waits for a message,
and hands it over; nothing else decides which flow gets the text. ``/cancel`` drops every
draft of the member through the same registry.

Declaring a flow::

    @dataclass
    class PollDraft(Draft):
        step: str = "question"
        question: str = ""

    POLL = Flow("poll", PollDraft, role=Role.organizer, label=N_("the poll"))

    @POLL.on_message("question")
    async def take_question(update: Update, ctx: BotContext, draft: PollDraft) -> None: ...

Buttons of a flow are ordinary callback handlers that ``await POLL.load_pressed(update, ctx)``
(the draft, unless the button is from an earlier run of the flow).
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Awaitable, Callable
from typing import Any, Generic, Self, TypeVar

from telegram import Update
from telegram.ext import (
    Application,
    ApplicationHandlerStop,
    CommandHandler,
    MessageHandler,
    filters,
)

from bot.app.context import BotContext
from bot.core.enums import Role
from bot.core.i18n import N_
from bot.render.commands import CommandSpec, register_command
from handlers.common import reply
from storage import drafts

log = logging.getLogger(__name__)
FLOW_GROUP = -1  # after the input guard (-10), before features and questions (0)
CANCELLED = N_("Cancelled. Nothing was sent.")
NOTHING_TO_CANCEL = N_("There was nothing to cancel.")
SETUP_GOES_ON = N_("Your setup is not finished: press the buttons above, or send /start.")


@dataclasses.dataclass
class Draft:
    """Base of every flow's draft: JSON-compatible fields only (stored as a JSON map)."""

    step: str
    # The message that began this run (the command's): a button on an older message belongs
    # to an earlier run of the flow and changes nothing (0: not known, for older drafts).
    since: int = dataclasses.field(default=0, kw_only=True)

    def to_json(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Self | None:
        """The draft stored as ``data``, or None if it no longer fits this class."""
        names = {f.name for f in dataclasses.fields(cls)}
        try:
            return cls(**{k: v for k, v in data.items() if k in names})
        except TypeError:
            return None


D = TypeVar("D", bound=Draft)
MessageStep = Callable[[Update, BotContext, D], Awaitable[bool | None]]
CancelHook = Callable[[BotContext, D], Awaitable[None]]


class Flow(Generic[D]):
    """One multi-step conversation: its draft type, its message steps, who may run it."""

    def __init__(
        self,
        name: str,
        draft: type[D],
        *,
        role: Role = Role.member,
        label: str = "",
        cancelled: str = CANCELLED,
        paused: str = "",
        kept_by: tuple[str, ...] = (),
    ) -> None:
        if name in FLOWS:
            raise ValueError(f"flow {name!r} declared twice")
        self.name = name
        self.draft_type = draft
        self.role = role
        self.label = label  # N_() text naming what /cancel dropped ("the announcement")
        self.cancelled = cancelled  # N_() text /cancel replies when it drops this flow
        # N_() text: another command than /cancel and ``kept_by`` pauses this flow (drops
        # its draft, saying so), so what the person types next is no longer taken as its
        # answer; "" keeps the draft through other commands
        self.paused = paused
        self.kept_by = kept_by
        self.message_steps: dict[str, MessageStep[D]] = {}
        self.cancel_hook: CancelHook[D] | None = None
        FLOWS[name] = self

    def on_message(self, *steps: str) -> Callable[[MessageStep[D]], MessageStep[D]]:
        """Register the handler of a typed message (or attachment) at these steps; a
        handler returning False lets the message through to the other handlers."""

        def decorate(func: MessageStep[D]) -> MessageStep[D]:
            for step in steps:
                if step in self.message_steps:
                    raise ValueError(f"flow {self.name}: step {step!r} has two handlers")
                self.message_steps[step] = func
            return func

        return decorate

    def on_cancel(self, func: CancelHook[D]) -> CancelHook[D]:
        """Run when /cancel drops this flow's draft (e.g. to tidy the draft's messages)."""
        self.cancel_hook = func
        return func

    def waits_for_text(self, draft: D) -> bool:
        """Whether the draft's step takes typed text (a summary on screen takes none)."""
        return draft.step in self.message_steps

    def decode(self, value: dict[str, Any]) -> D | None:
        return self.draft_type.from_json(value)

    async def load(self, ctx: BotContext) -> D | None:
        value = await drafts.get_draft(ctx.svc.db, self.name, ctx.member.user_id)
        return self.decode(value) if value is not None else None

    async def begin(self, update: Update, ctx: BotContext, draft: D) -> None:
        """Store a new run's draft, stamped with the message that began it."""
        message = update.effective_message
        draft.since = message.message_id if message is not None else 0
        await self.save(ctx, draft)

    async def load_pressed(self, update: Update, ctx: BotContext) -> D | None:
        """The draft a pressed button belongs to; None when there is none, or when the
        button sits on a message older than the draft's run (the Cancel of a finished
        /newevent must not cancel the /editevent begun since)."""
        draft = await self.load(ctx)
        query = update.callback_query
        message = query.message if query is not None else None
        if draft is not None and message is not None and message.message_id < draft.since:
            return None
        return draft

    async def save(self, ctx: BotContext, draft: D) -> None:
        await drafts.save_draft(ctx.svc.db, self.name, ctx.member.user_id, draft.to_json())

    async def drop(self, ctx: BotContext) -> None:
        await drafts.delete_draft(ctx.svc.db, self.name, ctx.member.user_id)

    def allowed(self, ctx: BotContext) -> bool:
        return Role(ctx.member.role).rank >= self.role.rank


FLOWS: dict[str, Flow[Any]] = {}


async def route_message(update: Update, ctx: BotContext) -> None:
    """Give a private message to the flow waiting for one; otherwise let features see it."""
    if update.effective_user is None or update.effective_message is None:
        return
    await ctx.load_member(update)
    waiting = await drafts.drafts_of(ctx.svc.db, ctx.member.user_id, list(FLOWS))
    for kind, value, _ in waiting:
        flow = FLOWS[kind]
        draft = flow.decode(value)
        if draft is None or not flow.allowed(ctx):
            continue
        step = flow.message_steps.get(draft.step)
        if step is not None and await step(update, ctx, draft) is not False:
            raise ApplicationHandlerStop
    return


async def cancel_flows(ctx: BotContext) -> list[Flow[Any]]:
    """Drop every draft of the member (running the flows' cancel hooks); the flows dropped."""
    db, user_id = ctx.svc.db, ctx.member.user_id
    dropped: list[Flow[Any]] = []
    for kind, value, _ in await drafts.drafts_of(db, user_id, list(FLOWS)):
        flow = FLOWS[kind]
        draft = flow.decode(value)
        if flow.cancel_hook is not None and draft is not None:
            await flow.cancel_hook(ctx, draft)
        dropped.append(flow)
    await drafts.delete_drafts(db, user_id, [flow.name for flow in dropped])
    return dropped


async def pause_flows(update: Update, ctx: BotContext) -> None:
    """Another command while a flow that pauses waits for text: the draft is dropped (its
    work is kept where the flow keeps it) and the person told how to go on."""
    message = update.effective_message
    if update.effective_user is None or message is None or not message.text:
        return
    command = message.text.split(maxsplit=1)[0][1:].split("@", 1)[0].lower()
    kinds = [f.name for f in FLOWS.values() if f.paused and command not in ("cancel", *f.kept_by)]
    if not kinds:
        return
    await ctx.load_member(update)
    paused = [
        FLOWS[kind]
        for kind, value, _ in await drafts.drafts_of(ctx.svc.db, ctx.member.user_id, kinds)
        if _waits_for_text(FLOWS[kind], value)
    ]
    if not paused:
        return
    await drafts.delete_drafts(ctx.svc.db, ctx.member.user_id, [flow.name for flow in paused])
    log.info("user %s paused %s with /%s", ctx.member.user_id, [f.name for f in paused], command)
    said = dict.fromkeys(ctx.tr(flow.paused) for flow in paused)
    await reply(update, ctx, "\n".join(said))


def _waits_for_text(flow: Flow[Any], value: dict[str, Any]) -> bool:
    draft = flow.decode(value)
    return draft is not None and flow.waits_for_text(draft)


register_command(CommandSpec("cancel", N_("Cancel what you are composing"), Role.organizer))


async def cancel_command(update: Update, ctx: BotContext) -> None:
    """/cancel: stop whatever the person is in the middle of, in any flow (a member: the
    survey question waiting for a button; listed in the menu for organizers)."""
    await ctx.load_member(update)
    dropped = await cancel_flows(ctx)
    log.info("user %s cancelled %s", ctx.member.user_id, [f.name for f in dropped])
    said = dict.fromkeys(flow.cancelled for flow in dropped) or [NOTHING_TO_CANCEL]
    staff = Role(ctx.member.role).rank > Role.member.rank  # set up by a role, not the wizard
    if not dropped and not ctx.member.onboarded and not staff:  # its buttons are no flow
        said = [NOTHING_TO_CANCEL, SETUP_GOES_ON]
    await reply(update, ctx, "\n".join(ctx.tr(text) for text in said))


def register(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
    application.add_handler(CommandHandler("cancel", cancel_command))
    private = filters.ChatType.PRIVATE & ~filters.COMMAND & ~filters.UpdateType.EDITED
    application.add_handler(MessageHandler(private, route_message), group=FLOW_GROUP)
    commands = filters.ChatType.PRIVATE & filters.COMMAND & ~filters.UpdateType.EDITED
    application.add_handler(MessageHandler(commands, pause_flows), group=FLOW_GROUP)
