"""The question of each step of the event draft (one function per step) and the preview."""

from __future__ import annotations

import html
from collections.abc import Callable
from datetime import date

from telegram import Update

from bot.app.context import BotContext
from bot.core.i18n import (
    LANGUAGE_NAMES,
    LANGUAGES,
    format_day,
    format_duration,
    language_name,
    language_names,
    zone_name,
)
from bot.core.i18n import format_local_datetime as local_datetime
from bot.core.timeparse import example_day, format_duration_code
from bot.render.broadcasts import audience_label
from bot.render.callbacks.events import (
    AudiencePicked,
    DraftAction,
    DraftPressed,
    DurationPicked,
    PlatformPicked,
    RemindersPicked,
    TitleLanguagePicked,
)
from handlers.common import Button, reply
from handlers.events.draft import DAY_CHOICES, DURATIONS, PLATFORMS, EventDraft, times

Rows = list[list[Button]]
Prompt = Callable[[EventDraft, BotContext], tuple[str, Rows]]
DURATION_LABELS = {30: "30 min", 60: "1 h", 90: "1 h 30", 120: "2 h"}


def action(text: str, what: DraftAction) -> Button:
    return (text, DraftPressed(what).pack())


def cancel_row(ctx: BotContext) -> list[Button]:
    return [action(ctx.tr("Cancel"), DraftAction.cancel)]


def _title(draft: EventDraft, ctx: BotContext) -> tuple[str, Rows]:
    if draft.editing:
        return _new_title(draft, ctx), [cancel_row(ctx)]
    text = ctx.tr(
        "<b>New event</b>\nSend its title. You can add the title in other languages next."
    )
    return text, [cancel_row(ctx)]


def _new_title(draft: EventDraft, ctx: BotContext) -> str:
    """The edit's title prompt: the titles held, as one in another language is kept."""
    held = [
        f"• {language_name(code, ctx.tr.language)}: {html.escape(title)}"
        for code, title in draft.titles.items()
    ]
    text = ctx.tr(
        "Send the new title. It replaces the title in the language you choose next; "
        "the titles in other languages stay as they are:"
    )
    return "\n".join([text, *held])


def _title_language(draft: EventDraft, ctx: BotContext) -> tuple[str, Rows]:
    languages = [(LANGUAGE_NAMES[c], TitleLanguagePicked(c).pack()) for c in LANGUAGES]  # type: ignore[arg-type]
    return ctx.tr("Which language is this title in?"), [languages, cancel_row(ctx)]


def _title_more(draft: EventDraft, ctx: BotContext) -> tuple[str, Rows]:
    have = language_names(draft.titles, ctx.tr.language)
    choices = [
        action(ctx.tr("+ Another language"), DraftAction.more),
        action(ctx.tr("Next ▶"), DraftAction.next),
    ]
    return ctx.tr("Titles so far: {languages}.", languages=have), [choices, cancel_row(ctx)]


def _date(draft: EventDraft, ctx: BotContext) -> tuple[str, Rows]:
    example = example_day(ctx.svc.now(), draft.zone, ctx.tr.locale)
    text = ctx.tr("On what date? For example {example}, or tomorrow at 10.", example=example)
    return text, [cancel_row(ctx)]


def _time(draft: EventDraft, ctx: BotContext) -> tuple[str, Rows]:
    text = ctx.tr("At what time does it start? Write it as 14:00 — or press “All day”.")
    return text, [[action(ctx.tr("All day"), DraftAction.all_day)], cancel_row(ctx)]


def _zone(draft: EventDraft, ctx: BotContext) -> tuple[str, Rows]:
    if draft.time is None:  # all day: there is no time to place, only the day
        text = ctx.tr(
            "In which time zone is the event held? Press the button, or write another zone "
            "(Europe/Madrid, or a city: São Paulo)."
        )
        return text, [
            [action(zone_name(draft.zone, ctx.tr.language), DraftAction.zone)],
            cancel_row(ctx),
        ]
    text = ctx.tr(
        "In which time zone is that time? Press the button, or write another zone "
        "(Europe/Madrid, or a city: São Paulo)."
    )
    return text, [
        [action(zone_name(draft.zone, ctx.tr.language), DraftAction.zone)],
        cancel_row(ctx),
    ]


def _duration(draft: EventDraft, ctx: BotContext) -> tuple[str, Rows]:
    if draft.time is None:
        days = [(str(n), DurationPicked(n, days=True).pack()) for n in DAY_CHOICES]
        return ctx.tr("How many days does it last? Write a number."), [days, cancel_row(ctx)]
    lengths = [(DURATION_LABELS[m], DurationPicked(m, days=False).pack()) for m in DURATIONS]
    text = ctx.tr("How long does it last? Press a button or write it as 90m or 1h30m.")
    return text, [lengths, cancel_row(ctx)]


def _platform(draft: EventDraft, ctx: BotContext) -> tuple[str, Rows]:
    named = [(p, PlatformPicked(p).pack()) for p in PLATFORMS]  # type: ignore[arg-type]
    others = [
        (ctx.tr("In person"), PlatformPicked("-").pack()),
        (ctx.tr("Other (type it)"), PlatformPicked("?").pack()),
    ]
    return ctx.tr("Where does it happen?"), [named, others, cancel_row(ctx)]


def _platform_name(draft: EventDraft, ctx: BotContext) -> tuple[str, Rows]:
    return ctx.tr("Write the name of the platform."), [cancel_row(ctx)]


def _location(draft: EventDraft, ctx: BotContext) -> tuple[str, Rows]:
    return ctx.tr("Where? Write the place, for example “Montevideo, Uruguay”."), [cancel_row(ctx)]


def _link(draft: EventDraft, ctx: BotContext) -> tuple[str, Rows]:
    text = ctx.tr("Send the join link (https://…), or skip.")
    return text, [[action(ctx.tr("Skip"), DraftAction.no_link)], cancel_row(ctx)]


def _audience(draft: EventDraft, ctx: BotContext) -> tuple[str, Rows]:
    text = ctx.tr(
        "Who is it for? Press a button, or type selectors such as "
        "<code>country:UY, language:es</code>."
    )
    rows = [
        [(ctx.tr("Everyone"), AudiencePicked("all").pack())],
        [(ctx.tr("Only those who confirm"), AudiencePicked("rsvp").pack())],
        cancel_row(ctx),
    ]
    return text, rows


def _reminders(draft: EventDraft, ctx: BotContext) -> tuple[str, Rows]:
    if draft.link:
        text = ctx.tr(
            "When should I remind people? Press a button or write offsets such as "
            "24h, 1h, 10m. A “starting now” message with the link always goes at the start."
        )
    else:  # in person, or no link: the message at the start has nothing to join
        text = ctx.tr(
            "When should I remind people? Press a button or write offsets such as "
            "24h, 1h, 10m. A “starting now” message always goes at the start."
        )
    rows = [
        [
            (ctx.tr("24 h and 1 h before"), RemindersPicked("24h,1h").pack()),
            (ctx.tr("1 h before"), RemindersPicked("1h").pack()),
        ],
        [(ctx.tr("Only at the start"), RemindersPicked("0m").pack())],
        cancel_row(ctx),
    ]
    return text, rows


def _audience_label(draft: EventDraft, ctx: BotContext) -> str:
    if draft.audience == ["rsvp"]:
        return ctx.tr("only those who confirm")
    return audience_label(draft.audience, ctx.tr)


def _preview(draft: EventDraft, ctx: BotContext) -> tuple[str, Rows]:
    tr = ctx.tr
    start, end, all_day = times(draft)
    assert draft.date is not None
    when = (
        format_day(date.fromisoformat(draft.date), tr.language, "full")
        if all_day
        else local_datetime(start, draft.zone, tr.language)
    )
    lines = [
        tr("<b>Check the event</b>"),
        " / ".join(html.escape(t) for t in draft.titles.values()),
        tr(
            "When: {when} ({zone})", when=when, zone=html.escape(zone_name(draft.zone, tr.language))
        ),
        tr("Duration: {duration}", duration=format_duration(end - start, tr.language)),
    ]
    if draft.platform:
        lines.append(tr("Platform: {platform}", platform=html.escape(draft.platform)))
    if draft.location:
        lines.append(tr("Place: {place}", place=html.escape(draft.location)))
    if draft.link:
        lines.append(tr("Link: {url}", url=html.escape(draft.link)))
    lines.append(tr("Audience: {audience}", audience=html.escape(_audience_label(draft, ctx))))
    offsets = draft.reminders
    if offsets is None:
        offsets = list(ctx.svc.settings.default_reminders)
    shown = ", ".join(format_duration_code(m) for m in offsets if m) or "—"
    lines.append(tr("Reminders: {offsets} before, and at the start", offsets=shown))
    buttons = [
        action(tr("✅ Create"), DraftAction.create),
        action(tr("Cancel"), DraftAction.cancel),
    ]
    return "\n".join(lines), [buttons]


PROMPTS: dict[str, Prompt] = {
    "title": _title,
    "title-lang": _title_language,
    "title-more": _title_more,
    "date": _date,
    "time": _time,
    "zone": _zone,
    "duration": _duration,
    "platform": _platform,
    "platform-name": _platform_name,
    "location": _location,
    "link": _link,
    "audience": _audience,
    "reminders": _reminders,
    "confirm": _preview,
}


async def ask(update: Update, ctx: BotContext, draft: EventDraft) -> None:
    """Ask for the draft's current step (nothing for a step without a question)."""
    prompt = PROMPTS.get(draft.step)
    if prompt is not None:
        text, rows = prompt(draft, ctx)
        await reply(update, ctx, text, buttons=rows)
