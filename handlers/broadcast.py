"""Announcements: /broadcast (compose → languages → audience → preview → send or schedule),
/broadcasts, /registergroup and /stats.

/broadcast is a flow of :mod:`handlers.flows`: its :class:`BroadcastDraft` lives in the
database, so a restart mid-composition loses nothing; the flow router hands it the typed text,
attachment, selectors and time. Sending goes through the outbox; the progress message is
posted here and then edited by ``bot.jobs.broadcasts``.
"""

from __future__ import annotations

import html
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

from telegram import Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, filters

from bot.core.audience import AudienceError, parse_selectors
from bot.core.enums import BroadcastStatus
from bot.core.geo import OTHER_REGION, REGIONS, region_of
from bot.core.i18n import (
    LANGUAGE_NAMES,
    N_,
    format_local_datetime,
    language_name,
    language_names,
    zone_name,
)
from bot.core.langguess import guess_language
from bot.core.outbound import Button
from bot.core.timeparse import example_moment, natural_moment
from bot.messaging.compose import check_text, composed_html, split_html
from bot.render.broadcasts import (
    audience_rows,
    audience_text,
    is_final,
    listing_line,
    preview_text,
    progress_text,
    snippet,
    stats_text,
)
from bot.render.callbacks.broadcast import (
    TEXT_LANGUAGES,
    AudienceRegion,
    AudienceToggle,
    BroadcastStep,
    ReplaceText,
    StepAction,
    StopBroadcast,
    StopConfirmed,
    TextLanguage,
)
from bot.render.commands import CommandSpec, register_command
from bot.render.refusals import text_refusal
from bot.render.webapp import app_button
from handlers.common import (
    Context,
    answer_query,
    display_name,
    edit_or_reply,
    in_private_chat,
    pressed,
    refuse_button,
    reply,
    requires_role,
)
from handlers.flows import Draft, Flow
from handlers.tickets import feedback_lines
from storage import broadcasts as store
from storage.audience import unknown_references
from storage.institutions import network_countries
from storage.models import Broadcast, Role
from storage.outbox import status_counts
from storage.stats import member_stats

log = logging.getLogger(__name__)

register_command(CommandSpec("broadcast", N_("Send an announcement"), Role.organizer))
register_command(
    CommandSpec("broadcasts", N_("Recent and scheduled announcements"), Role.organizer)
)
register_command(CommandSpec("stats", N_("Members by country, language and role"), Role.organizer))
register_command(CommandSpec("registergroup", N_("Let broadcasts reach this group"), Role.admin))


# ---------------------------------------------------------------- the draft
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

    def attachment_value(self) -> store.Attachment | None:
        a = self.attachment
        return store.Attachment(str(a["kind"]), str(a["file_id"]), a.get("name")) if a else None

    def scheduled(self) -> datetime | None:
        return datetime.fromisoformat(self.scheduled_at) if self.scheduled_at else None


BROADCAST_FLOW = Flow("broadcast", BroadcastDraft, role=Role.organizer)


def _cancel_button(ctx: Context) -> Button:
    return _step_button(ctx.tr("Cancel"), "cancel")


def _step_button(label: str, action: StepAction) -> Button:
    return Button(label, data=BroadcastStep(action).pack())


def _toggle(audience: list[str], selector: str) -> list[str]:
    if selector == "all":
        return ["all"]
    current = [s for s in audience if s != "all"]
    current = [s for s in current if s != selector] if selector in current else [*current, selector]
    return current or ["all"]


async def _audience_message(
    update: Update, ctx: Context, draft: BroadcastDraft, *, edit: bool, region: str | None = None
) -> None:
    """The audience and its toggles (of one ``region``'s countries when there are many)."""
    people, groups = await store.count_recipients(ctx.svc.db, draft.audience)
    text = audience_text(draft.audience, people, groups, ctx.tr)
    countries = await network_countries(ctx.svc.db)
    rows = audience_rows(countries, set(draft.audience), ctx.tr, region)
    rows.append([_step_button(ctx.tr("Preview ▶"), "preview"), _cancel_button(ctx)])
    if edit:
        await edit_or_reply(update, ctx, text, buttons=rows)
    else:
        await reply(update, ctx, text, buttons=rows)


# ---------------------------------------------------------------- typed steps
@requires_role(Role.organizer)
async def broadcast_command(update: Update, ctx: Context) -> None:
    await BROADCAST_FLOW.save(ctx, BroadcastDraft())
    await reply(
        update,
        ctx,
        ctx.tr(
            "<b>New announcement</b>\nSend me its text (Telegram HTML allowed: <b>bold</b>, "
            "<i>italic</i>, links). You may attach a document or photo with the text as its "
            "caption. You can add other languages next."
        ),
        buttons=[[_cancel_button(ctx)]],
    )


@BROADCAST_FLOW.on_message(Step.text)
async def take_text(update: Update, ctx: Context, draft: BroadcastDraft) -> None:
    message = update.effective_message
    assert message is not None
    text = composed_html(message)
    if message.document is not None:
        draft.attachment = {
            "kind": "document",
            "file_id": message.document.file_id,
            "name": message.document.file_name,
        }
    elif message.photo:
        draft.attachment = {"kind": "photo", "file_id": message.photo[-1].file_id, "name": None}
    problem = check_text(text) if text or not draft.attachment else None
    if problem is not None:
        await reply(update, ctx, text_refusal(problem, ctx.tr))
        return
    draft.pending = text
    draft.step = Step.lang
    await BROADCAST_FLOW.save(ctx, draft)
    await _ask_language(update, ctx, guess_language(text or ""))


async def _ask_language(update: Update, ctx: Context, guess: str | None) -> None:
    """The language buttons, the guessed one first with a tick (one tap to confirm)."""
    tr = ctx.tr
    languages = [Button(LANGUAGE_NAMES[c], data=TextLanguage(c).pack()) for c in TEXT_LANGUAGES]
    rows = [languages, [_cancel_button(ctx)]]
    text = tr("Which language is this text in?")
    if guess in TEXT_LANGUAGES:
        rows.insert(0, [Button("✅ " + LANGUAGE_NAMES[guess], data=TextLanguage(guess).pack())])
        text += "\n" + tr(
            "It looks like {language}: press ✅ to confirm, or choose another.",
            language=language_name(guess, tr.language),
        )
    await reply(update, ctx, text, buttons=rows)


def _problem_text(problem: str, ctx: Context) -> str:
    if problem == "empty":
        return ctx.tr("The text is empty. Send the announcement's text.")
    if problem == "too long":
        return ctx.tr("The text is too long: keep it under 16,000 characters.")
    return ctx.tr(
        "Telegram would refuse this HTML ({error}). Fix it and send the text again.",
        error=html.escape(problem.removeprefix("html: ")),
    )


@BROADCAST_FLOW.on_message(Step.audience)
async def take_selectors(update: Update, ctx: Context, draft: BroadcastDraft) -> None:
    message = update.effective_message
    assert message is not None
    try:
        selectors = parse_selectors(message.text or "")
    except AudienceError as exc:
        await reply(
            update,
            ctx,
            ctx.tr(
                "I don't understand “{selector}”. Use all, country:UY, institution:ID, "
                "language:es, role:organizer, event:ID or group:all, separated by commas.",
                selector=html.escape(exc.selector[:60]),
            ),
        )
        return
    missing = await unknown_references(ctx.svc.db, selectors)
    if missing:
        items = html.escape(", ".join(missing))
        await reply(update, ctx, ctx.tr("These do not exist: {items}", items=items))
        return
    draft.audience = selectors
    await BROADCAST_FLOW.save(ctx, draft)
    await _audience_message(update, ctx, draft, edit=False)


@BROADCAST_FLOW.on_message(Step.schedule)
async def take_schedule(update: Update, ctx: Context, draft: BroadcastDraft) -> None:
    message = update.effective_message
    assert message is not None
    zone = ctx.member.timezone
    try:
        when = natural_moment(message.text or "", ctx.svc.now(), zone)
    except ValueError:  # the clocks skip or repeat that hour there
        when = None
    if when is None:
        await reply(
            update,
            ctx,
            ctx.tr(
                "I could not read that time. Write it as {example} "
                "(your time zone: {zone}). Times that do not exist or happen twice "
                "because of a clock change are refused.",
                example=example_moment(ctx.svc.now(), zone, ctx.tr.locale),
                zone=zone_name(zone, ctx.tr.language),
            ),
        )
        return
    if when <= ctx.svc.now():
        await reply(update, ctx, ctx.tr("That time has already passed. Choose a later one."))
        return
    draft.scheduled_at = when.isoformat()
    draft.step = Step.preview
    await BROADCAST_FLOW.save(ctx, draft)
    await _send_now_or_later(update, ctx, draft)


# ---------------------------------------------------------------- buttons
ActionHandler = Callable[[Update, Context, BroadcastDraft], Awaitable[None]]


async def _load_for(update: Update, ctx: Context, *steps: Step) -> BroadcastDraft | None:
    """The draft when its step is one of ``steps``; else the button is refused (None)."""
    draft = await BROADCAST_FLOW.load(ctx)
    if draft is None:
        await refuse_button(update, ctx, "no broadcast draft")
        return None
    if steps and draft.step not in steps:
        await refuse_button(update, ctx, "broadcast step does not fit")
        return None
    await answer_query(update)
    return draft


@requires_role(Role.organizer)
async def step_button(update: Update, ctx: Context) -> None:
    """``bc:<action>``: the buttons that move the draft from step to step."""
    data = pressed(update, BroadcastStep)
    if data is None:
        await refuse_button(update, ctx, "malformed broadcast data")
        return
    steps, action = STEP_ACTIONS[data.action]
    draft = await _load_for(update, ctx, *steps)
    if draft is not None:
        await action(update, ctx, draft)


async def _cancel(update: Update, ctx: Context, draft: BroadcastDraft) -> None:
    await BROADCAST_FLOW.drop(ctx)
    await edit_or_reply(update, ctx, ctx.tr("Cancelled. Nothing was sent."))


async def _more(update: Update, ctx: Context, draft: BroadcastDraft) -> None:
    draft.step = Step.text
    await BROADCAST_FLOW.save(ctx, draft)
    await edit_or_reply(update, ctx, ctx.tr("Send the text in the other language."))


async def _to_audience(update: Update, ctx: Context, draft: BroadcastDraft) -> None:
    draft.step = Step.audience
    await BROADCAST_FLOW.save(ctx, draft)
    await _audience_message(update, ctx, draft, edit=True)


async def _to_preview(update: Update, ctx: Context, draft: BroadcastDraft) -> None:
    draft.step = Step.preview
    await BROADCAST_FLOW.save(ctx, draft)
    await _preview(update, ctx, draft)


async def _ask_schedule(update: Update, ctx: Context, draft: BroadcastDraft) -> None:
    draft.step = Step.schedule
    await BROADCAST_FLOW.save(ctx, draft)
    await edit_or_reply(
        update,
        ctx,
        ctx.tr(
            "When should it go? Write the date and time in your time zone ({zone}), "
            "for example {example}.",
            example=example_moment(ctx.svc.now(), ctx.member.timezone, ctx.tr.locale),
            zone=zone_name(ctx.member.timezone, ctx.tr.language),
        ),
    )


async def _send_now(update: Update, ctx: Context, draft: BroadcastDraft) -> None:
    draft.scheduled_at = None
    await _send_now_or_later(update, ctx, draft)


# action -> (the steps it fits, what it does); no steps: any step
STEP_ACTIONS: dict[StepAction, tuple[tuple[Step, ...], ActionHandler]] = {
    "cancel": ((), _cancel),
    "more": ((Step.more,), _more),
    "audience": ((Step.more, Step.preview), _to_audience),
    "preview": ((Step.audience,), _to_preview),
    "send": ((Step.preview,), _send_now),
    "schedule": ((Step.preview,), _ask_schedule),
}


@requires_role(Role.organizer)
async def language_button(update: Update, ctx: Context) -> None:
    """``bcl:<language>``: the language of the text just sent."""
    data = pressed(update, TextLanguage)
    if data is None:
        await refuse_button(update, ctx, "malformed broadcast language")
        return
    draft = await _load_for(update, ctx, Step.lang)
    if draft is None:
        return
    if data.language in draft.texts:  # would silently replace a text: ask first
        await _warn_replace(update, ctx, draft, data.language)
        return
    await _set_text(update, ctx, draft, data.language)


async def _warn_replace(update: Update, ctx: Context, draft: BroadcastDraft, code: str) -> None:
    tr = ctx.tr
    others = [
        Button(LANGUAGE_NAMES[c], data=TextLanguage(c).pack())
        for c in TEXT_LANGUAGES
        if c not in draft.texts
    ]
    rows = [[Button(tr("Replace it"), data=ReplaceText(code).pack())]]  # type: ignore[arg-type]
    if others:
        rows.append(others)
    rows.append([_cancel_button(ctx)])
    text = tr(
        "There is already a text in {language}. Replace it with this one, "
        "or choose the language this one is in.",
        language=language_name(code, tr.language),
    )
    await edit_or_reply(update, ctx, text, buttons=rows)


@requires_role(Role.organizer)
async def replace_button(update: Update, ctx: Context) -> None:
    """``bcr:<language>``: yes, the new text replaces the one in that language."""
    data = pressed(update, ReplaceText)
    if data is None:
        await refuse_button(update, ctx, "malformed broadcast language")
        return
    draft = await _load_for(update, ctx, Step.lang)
    if draft is not None:
        await _set_text(update, ctx, draft, data.language)


async def _set_text(update: Update, ctx: Context, draft: BroadcastDraft, code: str) -> None:
    draft.texts[code] = draft.pending or ""
    draft.pending = None
    draft.step = Step.more
    await BROADCAST_FLOW.save(ctx, draft)
    await edit_or_reply(
        update,
        ctx,
        ctx.tr(
            "Texts so far: {languages}. Add another language or go on.",
            languages=language_names(draft.texts, ctx.tr.language),
        ),
        buttons=[
            [
                _step_button(ctx.tr("+ Another language"), "more"),
                _step_button(ctx.tr("Audience ▶"), "audience"),
            ],
            [_cancel_button(ctx)],
        ],
    )


@requires_role(Role.organizer)
async def region_button(update: Update, ctx: Context) -> None:
    """``bcg:<region>``: the audience keyboard shows that region's countries (or the regions)."""
    data = pressed(update, AudienceRegion)
    if data is None or (data.region is not None and data.region not in (*REGIONS, OTHER_REGION)):
        await refuse_button(update, ctx, "bad audience region")
        return
    draft = await _load_for(update, ctx, Step.audience)
    if draft is None:
        return
    await _audience_message(update, ctx, draft, edit=True, region=data.region)


@requires_role(Role.organizer)
async def audience_button(update: Update, ctx: Context) -> None:
    """``bca:<kind>:<value>``: add or remove one selector of the audience."""
    data = pressed(update, AudienceToggle)
    try:
        selector = parse_selectors([data.selector])[0] if data is not None else None
    except AudienceError:
        selector = None
    if selector is None:
        await refuse_button(update, ctx, "bad audience selector")
        return
    draft = await _load_for(update, ctx, Step.audience)
    if draft is None:
        return
    draft.audience = _toggle(draft.audience, selector)
    await BROADCAST_FLOW.save(ctx, draft)
    region = region_of(selector[8:]) if selector.startswith("country:") else None
    await _audience_message(update, ctx, draft, edit=True, region=region)


async def _preview(update: Update, ctx: Context, draft: BroadcastDraft) -> None:
    """The summary, the text as a member will read it, and "Send it?"."""
    svc, tr = ctx.svc, ctx.tr
    people, groups = await store.count_recipients(svc.db, draft.audience)
    if people + groups == 0:
        draft.step = Step.audience
        await BROADCAST_FLOW.save(ctx, draft)
        await edit_or_reply(update, ctx, tr("Nobody matches this audience. Choose another one."))
        await _audience_message(update, ctx, draft, edit=False)
        return
    default = svc.settings.default_language
    summary = preview_text(draft.texts, draft.audience, people, groups, default, tr)
    await edit_or_reply(update, ctx, summary)
    _, text = store.text_for(draft.texts, ctx.member.language, default)
    for part in split_html(text) if text else []:
        await reply(update, ctx, part)
    buttons = [
        [_step_button(tr("✅ Send now"), "send"), _step_button(tr("🕒 Schedule"), "schedule")],
        [_step_button(tr("Change audience"), "audience"), _cancel_button(ctx)],
    ]
    await reply(update, ctx, tr("Send it?"), buttons=buttons)


async def _send_now_or_later(update: Update, ctx: Context, draft: BroadcastDraft) -> None:
    svc, member = ctx.svc, ctx.member
    chat = update.effective_chat
    assert chat is not None
    scheduled = draft.scheduled()
    broadcast = await store.create_broadcast(
        svc.db,
        created_by=member.user_id,
        actor_name=display_name(member),
        texts=draft.texts or {svc.settings.default_language: ""},
        audience=draft.audience,
        now=svc.now(),
        default_language=svc.settings.default_language,
        split=split_html,
        attachment=draft.attachment_value(),
        scheduled_at=scheduled,
        progress_chat_id=chat.id,
    )
    await BROADCAST_FLOW.drop(ctx)
    if broadcast.status == BroadcastStatus.scheduled and scheduled is not None:
        when = format_local_datetime(scheduled, member.timezone, member.language)
        stop = StopBroadcast(_id(broadcast)).pack()
        await reply(
            update,
            ctx,
            ctx.tr("Scheduled announcement #{id} for {when}.", id=broadcast.id, when=when),
            buttons=[[Button(ctx.tr("Cancel this announcement"), data=stop)]],
        )
        return
    if svc.delivery is not None:
        svc.delivery.wake()
    await _post_progress(update, ctx, broadcast)


async def _post_progress(update: Update, ctx: Context, broadcast: Broadcast) -> None:
    """The progress message, edited from now on by the progress job."""
    counts = await status_counts(ctx.svc.db, _id(broadcast))
    text = progress_text(broadcast, counts, 0.0, ctx.tr, is_final(broadcast))
    row = app_button(
        ctx.svc.settings.webapp_url,
        ctx.tr,
        "broadcasts",
        private=in_private_chat(update),
        id=_id(broadcast),
    )
    ctx.svc.progress_shown[_id(broadcast)] = text  # the first edit must differ from it
    message = await reply(update, ctx, text, buttons=[row] if row else None)
    await store.set_progress_message(ctx.svc.db, _id(broadcast), message.message_id)


def _id(broadcast: Broadcast) -> int:
    assert broadcast.id is not None
    return broadcast.id


@requires_role(Role.organizer)
async def stop_button(update: Update, ctx: Context) -> None:
    """``bcx:<id>``: ask before cancelling a scheduled announcement."""
    data = pressed(update, StopBroadcast)
    if data is None or data.broadcast_id <= 0:
        await refuse_button(update, ctx, "bad broadcast id")
        return
    await answer_query(update)
    tr, number = ctx.tr, data.broadcast_id
    found = await store.get_broadcast(ctx.svc.db, number)
    if found is None or found.status not in (BroadcastStatus.scheduled, BroadcastStatus.sending):
        await reply(update, ctx, tr("Announcement #{id} cannot be cancelled any more.", id=number))
        return
    words = snippet(found.texts or {}, tr.language, ctx.svc.settings.default_language)
    text = tr("Cancel announcement #{id}?", id=number)
    rows = [
        [
            Button(tr("Yes, cancel it"), data=StopConfirmed(number, True).pack()),
            Button(tr("No, keep it scheduled"), data=StopConfirmed(number, False).pack()),
        ]
    ]
    await edit_or_reply(update, ctx, text + (f"\n“{words}”" if words else ""), buttons=rows)


@requires_role(Role.organizer)
async def stop_confirmed(update: Update, ctx: Context) -> None:
    """``bcy:<id>:<1|0>``: cancel the scheduled announcement (or the unsent rest), or keep it."""
    data = pressed(update, StopConfirmed)
    if data is None or data.broadcast_id <= 0:
        await refuse_button(update, ctx, "bad broadcast id")
        return
    await answer_query(update)
    if not data.cancel:
        text = ctx.tr("Announcement #{id} stays scheduled.", id=data.broadcast_id)
        await edit_or_reply(update, ctx, text)
        return
    member = ctx.member
    cancelled = await store.cancel_broadcast(
        ctx.svc.db,
        data.broadcast_id,
        actor_id=member.user_id,
        actor_name=display_name(member),
        now=ctx.svc.now(),
    )
    if cancelled is None:
        text = ctx.tr("Announcement #{id} cannot be cancelled any more.", id=data.broadcast_id)
        await reply(update, ctx, text)
        return
    await edit_or_reply(update, ctx, ctx.tr("Announcement #{id} cancelled.", id=data.broadcast_id))


# ---------------------------------------------------------------- lists and stats
@requires_role(Role.organizer)
async def broadcasts_command(update: Update, ctx: Context) -> None:
    recent = await store.recent_broadcasts(ctx.svc.db, 10)
    if not recent:
        await reply(update, ctx, ctx.tr("No announcements yet. Send /broadcast to write one."))
        return
    lines = [ctx.tr("<b>Recent announcements</b>")]
    rows: list[list[Button]] = []
    for item in recent:
        counts = await status_counts(ctx.svc.db, _id(item))
        lines.append(listing_line(item, counts, ctx.tr, ctx.member.timezone))
        if item.status == BroadcastStatus.scheduled:
            label = ctx.tr("Cancel #{id}", id=item.id)
            rows.append([Button(label, data=StopBroadcast(_id(item)).pack())])
    await reply(update, ctx, "\n".join(lines), buttons=rows or None)


@requires_role(Role.admin, in_groups=True)
async def registergroup_command(update: Update, ctx: Context) -> None:
    chat = update.effective_chat
    assert chat is not None
    if chat.type == "private":
        await reply(
            update,
            ctx,
            ctx.tr(
                "Send /registergroup inside the group you want to register, after adding me to it."
            ),
        )
        return
    group = await store.register_group(ctx.svc.db, chat.id, chat.title or "", ctx.member.user_id)
    await reply(
        update,
        ctx,
        ctx.tr(
            "This group is registered: announcements to “group:all” or “group:{id}” reach it.",
            id=group.chat_id,
        ),
    )


@requires_role(Role.organizer)
async def stats_command(update: Update, ctx: Context) -> None:
    text = stats_text(await member_stats(ctx.svc.db), ctx.tr)
    await reply(update, ctx, "\n".join([text, *await feedback_lines(ctx)]))


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


__all__ = ["BROADCAST_FLOW", "register"]
