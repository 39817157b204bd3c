"""/newsurvey: a quick one-question poll, a flow of :mod:`handlers.flows`. The organizer
sends the question, picks the kind of answer, sends the options (for a choice), when it
closes and who answers, checks the preview and sends it: the poll is a survey of one
question, launched at once."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from telegram import Update

from bot.app.context import BotContext
from bot.core.audience import AudienceError, parse_selectors
from bot.core.enums import Role, SurveyStatus
from bot.core.i18n import N_, format_zoned_datetime
from bot.core.text import fold
from bot.core.timeparse import example_day, local_to_utc, parse_natural
from bot.render.callbacks import surveys as cb
from bot.render.commands import CommandSpec, register_command
from bot.render.surveys import invite_renderer
from handlers.common import (
    Button,
    answer_query,
    display_name,
    edit_or_reply,
    refuse_button,
    reply,
    requires_role,
)
from handlers.flows import Draft, Flow
from storage import surveys as store
from storage.audience import unknown_references
from storage.models import Question, Survey

POLL_DRAFT = "poll"  # the stored draft kind
TEXT, KIND, OPTIONS, CLOSES, AUDIENCE, CONFIRM = (
    "text",
    "kind",
    "options",
    "closes",
    "audience",
    "confirm",
)

register_command(CommandSpec("newsurvey", N_("A quick one-question poll"), Role.organizer))


@dataclass
class PollDraft(Draft):
    step: str = TEXT
    language: str = "es"  # the organizer's: the poll's texts are in it
    text: str = ""
    kind: str = ""  # one of cb.POLL_KINDS
    options: list[str] = field(default_factory=list)
    closes: str = ""  # ISO day or day and time, in the organizer's time zone
    audience: list[str] = field(default_factory=list)


POLL_FLOW = Flow(POLL_DRAFT, PollDraft, role=Role.organizer)


def _cancel_row(ctx: BotContext) -> list[Button]:
    return [(ctx.tr("Cancel"), cb.PollCancel().pack())]


@requires_role(Role.organizer)
async def newsurvey_command(update: Update, ctx: BotContext) -> None:
    await POLL_FLOW.begin(update, ctx, PollDraft(step=TEXT, language=ctx.member.language))
    text = ctx.tr(
        "<b>Quick poll</b>\nSend the question, for example “Which date suits you for the next "
        "videoconference?”"
    )
    await reply(update, ctx, text, buttons=[_cancel_row(ctx)])


def _text(update: Update) -> str | None:
    message = update.effective_message
    return message.text.strip() if message is not None and message.text else None


async def _use_buttons(update: Update, ctx: BotContext) -> None:
    await reply(update, ctx, ctx.tr("Please use the buttons of the last message, or /cancel."))


# ------------------------------------------------------------------ typed steps
@POLL_FLOW.on_message(TEXT)
async def take_question(update: Update, ctx: BotContext, draft: PollDraft) -> None:
    text = _text(update)
    if text is None:
        await _use_buttons(update, ctx)
        return
    if not 5 <= len(text) <= 300:
        await reply(update, ctx, ctx.tr("A question has 5 to 300 characters."))
        return
    draft.text, draft.step = text, KIND
    await POLL_FLOW.save(ctx, draft)
    tr = ctx.tr
    kinds: dict[cb.PollKind, str] = {
        "single": tr("One choice"),
        "multiple": tr("Several choices"),
        "yesno": tr("Yes / no"),
        "scale": tr("Scale 1-5"),
    }
    buttons = [(label, cb.PollKindChosen(kind).pack()) for kind, label in kinds.items()]
    rows = [buttons[:2], buttons[2:], _cancel_row(ctx)]
    await reply(update, ctx, tr("What kind of answer?"), buttons=rows)


@POLL_FLOW.on_message(OPTIONS)
async def take_options(update: Update, ctx: BotContext, draft: PollDraft) -> None:
    text = _text(update)
    if text is None:
        await _use_buttons(update, ctx)
        return
    options = poll_options(text)
    if not 2 <= len(options) <= 10 or any(len(o) > 80 for o in options):
        text = ctx.tr("Send 2 to 10 options, one per line, each under 80 characters.")
        await reply(update, ctx, text)
        return
    twice = repeated(options)
    if twice is not None:
        text = ctx.tr("Each option must be different: “{option}” is there twice.", option=twice)
        await reply(update, ctx, html.escape(text))
        return
    draft.options, draft.step = options, CLOSES
    await POLL_FLOW.save(ctx, draft)
    await _ask_closes(update, ctx)


def poll_options(text: str) -> list[str]:
    """One option a line; a single line is split at commas or semicolons ("Sí, No, Tal
    vez"), as people type on a phone."""
    lines = [line.strip(" -•\t") for line in text.splitlines() if line.strip(" -•\t")]
    if len(lines) == 1:
        parts = [p.strip(" -•\t") for p in re.split(r"[;,]", lines[0])]
        if len([p for p in parts if p]) >= 2:
            return [p for p in parts if p]
    return lines


def repeated(options: list[str]) -> str | None:
    """An option given twice (case and accents aside), if any."""
    seen: set[str] = set()
    for option in options:
        key = fold(option)
        if key in seen:
            return option
        seen.add(key)
    return None


def _today(ctx: BotContext) -> date:
    return ctx.svc.now().astimezone(ZoneInfo(ctx.member.timezone)).date()


def _closing_moment(text: str, now: datetime, zone: str) -> datetime | None:
    """When a typed closing falls, as a wall-clock time in ``zone``: a day as /newevent
    reads them ("mañana", "4 de diciembre", "friday", "2026-12-04", "04/12/2026") closes
    at its end (23:59); with a time ("mañana 18:00"), at that time."""
    local_now = now.astimezone(ZoneInfo(zone))
    read = parse_natural(text, local_now.date())
    if read is None:
        return None
    if read.delta is not None:
        return (local_now + read.delta).replace(tzinfo=None, second=0, microsecond=0)
    return datetime.combine(read.day or local_now.date(), read.clock or time(23, 59))


@POLL_FLOW.on_message(CLOSES)
async def take_closes(update: Update, ctx: BotContext, draft: PollDraft) -> None:
    text = _text(update)
    if text is None:
        await _use_buttons(update, ctx)
        return
    now, zone = ctx.svc.now(), ctx.member.timezone
    moment = _closing_moment(text, now, zone)
    try:
        closes = local_to_utc(moment, zone) if moment is not None else None
    except ValueError:  # a time the clocks skip or repeat that day
        closes = None
    if closes is None or not now < closes <= now + timedelta(days=180):
        example = example_day(now, zone, ctx.tr.locale)
        text = ctx.tr(
            "Write a closing day in the next six months, for example {example}, or a day "
            "and time such as tomorrow 18:00.",
            example=example,
        )
        await reply(update, ctx, text)
        return
    assert moment is not None
    draft.closes, draft.step = moment.isoformat(timespec="minutes"), AUDIENCE
    await POLL_FLOW.save(ctx, draft)
    await _ask_audience(update, ctx)


@POLL_FLOW.on_message(AUDIENCE)
async def take_audience(update: Update, ctx: BotContext, draft: PollDraft) -> None:
    text = _text(update)
    if text is None:
        await _use_buttons(update, ctx)
        return
    try:
        selectors = parse_selectors(text)
    except AudienceError as exc:
        problem = ctx.tr(
            "I don't understand “{selector}”. Use all, country:UY, institution:ID, "
            "language:es, role:organizer or event:ID, separated by commas.",
            selector=html.escape(exc.selector[:60]),
        )
        await reply(update, ctx, problem)
        return
    missing = await unknown_references(ctx.svc.db, selectors)
    if missing:
        text = ctx.tr("These do not exist: {items}", items=html.escape(", ".join(missing)))
        await reply(update, ctx, text)
        return
    draft.audience, draft.step = selectors, CONFIRM
    await POLL_FLOW.save(ctx, draft)
    await _preview(update, ctx, draft)


@POLL_FLOW.on_message(KIND, CONFIRM)
async def use_the_buttons(update: Update, ctx: BotContext, draft: PollDraft) -> None:
    await _use_buttons(update, ctx)


# ------------------------------------------------------------------ questions asked
async def _ask_closes(update: Update, ctx: BotContext) -> None:
    tr = ctx.tr
    labels = {1: tr("In 1 day"), 3: tr("In 3 days"), 7: tr("In a week")}
    days = [(labels[n], cb.PollCloses(n).pack()) for n in cb.CLOSE_DAYS]
    text = tr("When does it close? Press a button or write a date.")
    await reply(update, ctx, text, buttons=[days, _cancel_row(ctx)])


async def _ask_audience(update: Update, ctx: BotContext) -> None:
    text = ctx.tr(
        "Who should answer? Press Everyone, or type selectors such as "
        "<code>country:UY, language:es</code>."
    )
    everyone = [(ctx.tr("Everyone"), cb.PollEveryone().pack())]
    await reply(update, ctx, text, buttons=[everyone, _cancel_row(ctx)])


async def _preview(update: Update, ctx: BotContext, draft: PollDraft) -> None:
    tr = ctx.tr
    lines = [tr("<b>Check the poll</b>"), html.escape(draft.text)]
    lines += [f"• {html.escape(o)}" for o in draft.options]
    closes = format_zoned_datetime(
        _closes_at(draft, ctx.member.timezone), ctx.member.timezone, tr.language
    )
    lines.append(tr("Closes: {day}", day=closes))
    audience = tr("everyone") if draft.audience == ["all"] else ", ".join(draft.audience)
    lines.append(tr("Audience: {audience}", audience=html.escape(audience)))
    buttons = [[(tr("✅ Send the poll"), cb.PollSend().pack()), *_cancel_row(ctx)]]
    await reply(update, ctx, "\n".join(lines), buttons=buttons)


# ------------------------------------------------------------------ buttons
def _data(update: Update) -> str | None:
    return update.callback_query.data if update.callback_query else None


async def _draft_at(update: Update, ctx: BotContext, step: str | None) -> PollDraft | None:
    """The organizer's poll draft, if it is at ``step`` (any step for None); otherwise the
    button is refused and None comes back."""
    draft = await POLL_FLOW.load_pressed(update, ctx)
    if draft is None:
        await refuse_button(update, ctx, "no poll draft for this message")
        return None
    if step is not None and draft.step != step:
        await refuse_button(update, ctx, "poll step does not fit")
        return None
    await answer_query(update)
    return draft


@requires_role(Role.organizer)
async def cancel_button(update: Update, ctx: BotContext) -> None:
    if await _draft_at(update, ctx, None) is None:
        return
    await POLL_FLOW.drop(ctx)
    await edit_or_reply(update, ctx, ctx.tr("Cancelled. Nothing was sent."))


@requires_role(Role.organizer)
async def kind_button(update: Update, ctx: BotContext) -> None:
    data = cb.PollKindChosen.parse(_data(update))
    if data is None:
        await refuse_button(update, ctx, "malformed poll data")
        return
    draft = await _draft_at(update, ctx, KIND)
    if draft is None:
        return
    draft.kind = data.kind
    draft.step = OPTIONS if data.kind in ("single", "multiple") else CLOSES
    await POLL_FLOW.save(ctx, draft)
    if draft.step == OPTIONS:
        await reply(update, ctx, ctx.tr("Send the options, one per line."))
    else:
        await _ask_closes(update, ctx)


@requires_role(Role.organizer)
async def closes_button(update: Update, ctx: BotContext) -> None:
    data = cb.PollCloses.parse(_data(update))
    if data is None:
        await refuse_button(update, ctx, "malformed poll data")
        return
    draft = await _draft_at(update, ctx, CLOSES)
    if draft is None:
        return
    draft.closes = (_today(ctx) + timedelta(days=data.days)).isoformat()
    draft.step = AUDIENCE
    await POLL_FLOW.save(ctx, draft)
    await _ask_audience(update, ctx)


@requires_role(Role.organizer)
async def everyone_button(update: Update, ctx: BotContext) -> None:
    draft = await _draft_at(update, ctx, AUDIENCE)
    if draft is None:
        return
    draft.audience, draft.step = ["all"], CONFIRM
    await POLL_FLOW.save(ctx, draft)
    await _preview(update, ctx, draft)


@requires_role(Role.organizer)
async def send_button(update: Update, ctx: BotContext) -> None:
    draft = await _draft_at(update, ctx, CONFIRM)
    if draft is None:
        return
    await _create_poll(update, ctx, draft)


# ------------------------------------------------------------------ the poll itself
def _closes_at(draft: PollDraft, zone: str) -> datetime:
    """The closing time in the organizer's zone: the time typed, or the end of the
    closing day (23:59) for a day alone (a button's)."""
    if "T" in draft.closes:
        return datetime.fromisoformat(draft.closes).replace(tzinfo=ZoneInfo(zone))
    closes = datetime.combine(date.fromisoformat(draft.closes), time(23, 59))
    return closes.replace(tzinfo=ZoneInfo(zone))


def _poll_records(draft: PollDraft, survey_id: str, ctx: BotContext) -> tuple[Survey, Question]:
    now, language, zone = ctx.svc.now(), draft.language, ctx.member.timezone
    survey = Survey(
        id=survey_id,
        title={language: draft.text[:300]},
        respondent="member",
        audience=draft.audience,
        opens_at=now,
        closes_at=_closes_at(draft, zone),
        timezone=zone,
        status=SurveyStatus.draft,
        auto_open=False,  # launched right below; the opening tick must not race it
        created_by=ctx.member.user_id,
        updated_at=now,
    )
    options = [
        {"id": f"o{i + 1}", "text": {language: text}} for i, text in enumerate(draft.options)
    ]
    scale = draft.kind == "scale"
    question = Question(
        survey_id=survey_id,
        id="q1",
        position=0,
        kind=draft.kind,
        text={language: draft.text[:1000]},
        options=options or None,
        min_value=1 if scale else None,
        max_value=5 if scale else None,
        required=True,
    )
    return survey, question


async def _create_poll(update: Update, ctx: BotContext, draft: PollDraft) -> None:
    svc, member = ctx.svc, ctx.member
    now = svc.now()
    survey_id = f"poll-{now.strftime('%Y%m%d-%H%M%S')}"
    survey, question = _poll_records(draft, survey_id, ctx)
    actor_id, actor_name = member.user_id, display_name(member)
    await store.create_survey(svc.db, survey, [question], actor_id=actor_id, actor_name=actor_name)
    render = invite_renderer(svc.settings.default_language)
    invited = await store.launch(
        svc.db, survey_id, now, render, actor_id=actor_id, actor_name=actor_name
    )
    await POLL_FLOW.drop(ctx)
    if svc.delivery is not None:
        svc.delivery.wake()
    text = ctx.tr.ngettext(
        "Poll sent to {n} member. See the answers with /results {id}.",
        "Poll sent to {n} members. See the answers with /results {id}.",
        invited.count,
        id=survey_id,
    )
    await reply(update, ctx, text)


HANDLERS = (
    (cb.PollCancel, cancel_button),
    (cb.PollKindChosen, kind_button),
    (cb.PollCloses, closes_button),
    (cb.PollEveryone, everyone_button),
    (cb.PollSend, send_button),
)
