"""The /broadcast draft (its steps, kept in the database) and the pieces every step uses."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from telegram import Update

from bot.core.outbound import Button
from bot.render.callbacks.broadcast import BroadcastStep, StepAction
from handlers.common import Context, answer_query, refuse_button
from handlers.flows import Draft, Flow
from storage import broadcasts as store
from storage.models import Broadcast, Role


class Step(StrEnum):
    text = "text"  # waiting for a text (or attachment)
    lang = "lang"  # which language is the text in? (buttons)
    more = "more"  # another language, or the audience (buttons)
    audience = "audience"  # buttons, or typed selectors
    preview = "preview"  # send now or schedule (buttons)
    schedule = "schedule"  # waiting for a typed time


@dataclass
class BroadcastDraft(Draft):
    step: str = Step.text
    texts: dict[str, str] = field(default_factory=dict)  # language -> Telegram HTML
    pending: str | None = None  # the text whose language is asked
    audience: list[str] = field(default_factory=lambda: ["all"])
    attachment: dict[str, str | None] | None = None  # kind, file_id, name
    scheduled_at: str | None = None  # ISO time, UTC
    panel: int = 0  # the message showing the audience buttons (0: none yet)

    def attachment_value(self) -> store.Attachment | None:
        a = self.attachment
        return store.Attachment(str(a["kind"]), str(a["file_id"]), a.get("name")) if a else None

    def scheduled(self) -> datetime | None:
        return datetime.fromisoformat(self.scheduled_at) if self.scheduled_at else None


BROADCAST_FLOW = Flow("broadcast", BroadcastDraft, role=Role.organizer)


def cancel_button(ctx: Context) -> Button:
    return action_button(ctx.tr("Cancel"), "cancel")


def action_button(label: str, action: StepAction) -> Button:
    """A ``bc:<action>`` button (see :data:`handlers.broadcast.steps.STEP_ACTIONS`)."""
    return Button(label, data=BroadcastStep(action).pack())


async def load_for(
    update: Update, ctx: Context, *steps: Step, on_panel: bool = False
) -> BroadcastDraft | None:
    """The draft when its step is one of ``steps`` (and, ``on_panel``, the button is on
    the audience panel showing now); else the button is refused (None)."""
    draft = await BROADCAST_FLOW.load_pressed(update, ctx)
    if draft is None:
        await refuse_button(update, ctx, "no broadcast draft for this message")
        return None
    if steps and draft.step not in steps:
        await refuse_button(update, ctx, "broadcast step does not fit")
        return None
    query = update.callback_query
    pressed_on = query.message.message_id if query is not None and query.message else 0
    if on_panel and draft.panel and pressed_on != draft.panel:
        await refuse_button(update, ctx, "an older audience panel")
        return None
    await answer_query(update)
    return draft


def broadcast_id(broadcast: Broadcast) -> int:
    assert broadcast.id is not None
    return broadcast.id
