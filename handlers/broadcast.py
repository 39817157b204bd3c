"""Announcements: /broadcast (compose → languages → audience → preview → send or schedule),
/broadcasts, /registergroup, /stats, and the progress message edited while sending.

The draft lives in the database (``storage.drafts``), so a restart mid-composition loses
nothing. Sending goes through the outbox; the progress job edits one message in place.
"""

from __future__ import annotations

import html
import logging
from datetime import datetime
from typing import Any

from telegram import Message, Update
from telegram.error import TelegramError
from telegram.ext import (
    Application,
    ApplicationHandlerStop,
    CallbackQueryHandler,
    CommandHandler,
    MessageHandler,
    filters,
)

from bot.app.context import Services, get_services, services_of
from bot.core.audience import AudienceError, parse_selectors
from bot.core.i18n import (
    LANGUAGE_NAMES,
    LANGUAGES,
    N_,
    Translator,
    format_local_datetime,
    format_number,
)
from bot.messaging.compose import parse_local_time, split_html, text_problem
from bot.render.commands import CommandSpec, register_command
from handlers.common import (
    Button,
    Context,
    answer_query,
    current_member,
    display_name,
    edit_or_reply,
    refuse_button,
    reply,
    requires_role,
    translator,
)
from handlers.flows import Draft, Flow
from storage import broadcasts as store
from storage import drafts
from storage.audience import unknown_references
from storage.institutions import network_countries
from storage.models import Broadcast, Member, Role
from storage.outbox import status_counts

log = logging.getLogger(__name__)
DRAFT = "broadcast"
BROADCAST_FLOW = Flow(DRAFT, Draft, role=Role.organizer)  # typed draft: to do
DRAFT_GROUP = -1  # before questions: a draft waiting for text takes the organizer's message
PROGRESS_INTERVAL = 2.0

register_command(CommandSpec("broadcast", N_("Send an announcement"), Role.organizer))
register_command(
    CommandSpec("broadcasts", N_("Recent and scheduled announcements"), Role.organizer)
)
register_command(CommandSpec("stats", N_("Members by country, language and role"), Role.organizer))
register_command(CommandSpec("registergroup", N_("Let broadcasts reach this group"), Role.admin))


# ---------------------------------------------------------------- draft helpers
def empty_draft() -> dict[str, Any]:
    return {
        "step": "text",
        "texts": {},
        "pending": None,
        "audience": ["all"],
        "attachment": None,
        "scheduled_at": None,
    }


async def _load(context: Context, member: Member) -> dict[str, Any] | None:
    return await drafts.get_draft(get_services(context).db, DRAFT, member.user_id)


async def _save(context: Context, member: Member, draft: dict[str, Any]) -> None:
    await drafts.save_draft(get_services(context).db, DRAFT, member.user_id, draft)


def _language_buttons(tr: Translator) -> list[list[Button]]:
    return [
        [(LANGUAGE_NAMES[code], f"bc:lang:{code}") for code in LANGUAGES],
        [(tr("Cancel"), "bc:cancel")],
    ]


def _audience_label(audience: list[str], tr: Translator) -> str:
    return tr("everyone") if audience == ["all"] else ", ".join(audience)


async def _audience_message(
    update: Update, context: Context, draft: dict[str, Any], tr: Translator, edit: bool
) -> None:
    svc = get_services(context)
    people, groups = await store.count_recipients(svc.db, draft["audience"])
    chosen = set(draft["audience"])
    countries = await network_countries(svc.db)
    from bot.core.i18n import country_name

    rows: list[list[Button]] = [
        [(("✅ " if chosen == {"all"} else "") + tr("Everyone"), "bc:aud:all")]
    ]
    country_buttons = [
        (
            ("✅ " if f"country:{c}" in chosen else "") + country_name(c, tr.language),
            f"bc:aud:country:{c}",
        )
        for c in countries
    ]
    rows += [country_buttons[i : i + 3] for i in range(0, len(country_buttons), 3)]
    rows.append(
        [
            (
                ("✅ " if f"language:{code}" in chosen else "") + LANGUAGE_NAMES[code],
                f"bc:aud:language:{code}",
            )
            for code in LANGUAGES
        ]
    )
    rows.append(
        [
            (
                ("✅ " if "role:organizer" in chosen else "") + tr("Organizers"),
                "bc:aud:role:organizer",
            ),
            (
                ("✅ " if "group:all" in chosen else "") + tr("Registered groups"),
                "bc:aud:group:all",
            ),
        ]
    )
    rows.append([(tr("Preview ▶"), "bc:preview"), (tr("Cancel"), "bc:cancel")])
    text = "\n".join(
        [
            tr("<b>Who should receive it?</b>"),
            tr(
                "Audience: {audience}", audience=html.escape(_audience_label(draft["audience"], tr))
            ),
            tr(
                "Recipients now: {people} people and {groups} groups",
                people=format_number(people, tr.language),
                groups=format_number(groups, tr.language),
            ),
            "",
            tr(
                "Press buttons to combine, or type selectors such as "
                "<code>country:UY, language:es</code> or <code>event:ID</code>."
            ),
        ]
    )
    if edit:
        await edit_or_reply(update, context, text, buttons=rows)
    else:
        await reply(update, context, text, buttons=rows)


def _toggle(audience: list[str], selector: str) -> list[str]:
    if selector == "all":
        return ["all"]
    current = [s for s in audience if s != "all"]
    current = [s for s in current if s != selector] if selector in current else [*current, selector]
    return current or ["all"]


# ---------------------------------------------------------------- commands
@requires_role(Role.organizer)
async def broadcast_command(update: Update, context: Context) -> None:
    member, tr = await translator(update, context)
    draft = empty_draft()
    await _save(context, member, draft)
    await reply(
        update,
        context,
        tr(
            "<b>New announcement</b>\nSend me its text (Telegram HTML allowed: <b>bold</b>, "
            "<i>italic</i>, links). You may attach a document or photo with the text as its "
            "caption. You can add other languages next."
        ),
        buttons=[[(tr("Cancel"), "bc:cancel")]],
    )


async def draft_input(update: Update, context: Context) -> None:
    """Text or attachment for a draft that is waiting for one; otherwise not ours."""
    message = update.effective_message
    if message is None or update.effective_user is None:
        return
    member, tr = await translator(update, context)
    if Role(member.role).rank < Role.organizer.rank:
        return
    draft = await _load(context, member)
    if draft is None or draft["step"] not in ("text", "audience", "schedule"):
        return
    if draft["step"] == "text":
        await _take_text(update, context, member, tr, draft)
    elif draft["step"] == "audience":
        await _take_selectors(update, context, member, tr, draft)
    else:
        await _take_schedule(update, context, member, tr, draft)
    raise ApplicationHandlerStop


async def _take_text(
    update: Update, context: Context, member: Member, tr: Translator, draft: dict[str, Any]
) -> None:
    message = update.effective_message
    assert message is not None
    text = composed_html(message)
    if message.document is not None:
        draft["attachment"] = {
            "kind": "document",
            "file_id": message.document.file_id,
            "name": message.document.file_name,
        }
    elif message.photo:
        draft["attachment"] = {"kind": "photo", "file_id": message.photo[-1].file_id, "name": None}
    problem = text_problem(text) if text or not draft["attachment"] else None
    if problem is not None:
        await reply(update, context, _problem_text(problem, tr))
        return
    draft["pending"] = text
    draft["step"] = "lang"
    await _save(context, member, draft)
    await reply(
        update, context, tr("Which language is this text in?"), buttons=_language_buttons(tr)
    )


FORMATTING_ENTITIES = frozenset(
    "bold italic underline strikethrough spoiler code pre text_link blockquote "
    "expandable_blockquote custom_emoji".split()
)


def composed_html(message: Message) -> str:
    """The announcement as Telegram HTML: formatting made with Telegram's own buttons is
    turned into HTML; otherwise the text *is* HTML markup the organizer typed (and is checked
    as such, so ``<b>unclosed`` is refused rather than sent as it stands)."""
    if message.text is not None:
        formatted = any(e.type in FORMATTING_ENTITIES for e in message.entities)
        return message.text_html if formatted else message.text
    if message.caption is not None:
        formatted = any(e.type in FORMATTING_ENTITIES for e in message.caption_entities)
        return message.caption_html if formatted else message.caption
    return ""


def _problem_text(problem: str, tr: Translator) -> str:
    if problem == "empty":
        return tr("The text is empty. Send the announcement's text.")
    if problem == "too long":
        return tr("The text is too long: keep it under 16,000 characters.")
    return tr(
        "Telegram would refuse this HTML ({error}). Fix it and send the text again.",
        error=html.escape(problem.removeprefix("html: ")),
    )


async def _take_selectors(
    update: Update, context: Context, member: Member, tr: Translator, draft: dict[str, Any]
) -> None:
    message = update.effective_message
    assert message is not None
    try:
        selectors = parse_selectors(message.text or "")
    except AudienceError as exc:
        await reply(
            update,
            context,
            tr(
                "I don't understand “{selector}”. Use all, country:UY, institution:ID, "
                "language:es, role:organizer, event:ID or group:all, separated by commas.",
                selector=html.escape(exc.selector[:60]),
            ),
        )
        return
    missing = await unknown_references(get_services(context).db, selectors)
    if missing:
        await reply(
            update,
            context,
            tr("These do not exist: {items}", items=html.escape(", ".join(missing))),
        )
        return
    draft["audience"] = selectors
    await _save(context, member, draft)
    await _audience_message(update, context, draft, tr, edit=False)


async def _take_schedule(
    update: Update, context: Context, member: Member, tr: Translator, draft: dict[str, Any]
) -> None:
    message = update.effective_message
    assert message is not None
    svc = get_services(context)
    when = parse_local_time(message.text or "", member.timezone)
    if when is None:
        await reply(
            update,
            context,
            tr(
                "I could not read that time. Write it as 2026-12-01 09:00 "
                "(your time zone: {zone}). Times that do not exist or happen twice "
                "because of a clock change are refused.",
                zone=member.timezone,
            ),
        )
        return
    if when <= svc.now():
        await reply(update, context, tr("That time has already passed. Choose a later one."))
        return
    draft["scheduled_at"] = when.isoformat()
    draft["step"] = "preview"
    await _save(context, member, draft)
    await _send_now_or_later(update, context, member, tr, draft)


# ---------------------------------------------------------------- buttons
@requires_role(Role.organizer)
async def broadcast_button(update: Update, context: Context) -> None:
    member, tr = await translator(update, context)
    query = update.callback_query
    assert query is not None and query.data is not None
    parts = query.data.split(":", 2)
    action = parts[1] if len(parts) > 1 else ""
    if action == "stop" and len(parts) == 3:
        await _cancel_broadcast(update, context, member, tr, parts[2])
        return
    draft = await _load(context, member)
    if draft is None:
        await refuse_button(update, context, "no broadcast draft")
        return
    if action == "cancel":
        await answer_query(update)
        await drafts.delete_draft(get_services(context).db, DRAFT, member.user_id)
        await edit_or_reply(update, context, tr("Cancelled. Nothing was sent."))
        return
    if action == "lang" and len(parts) == 3 and parts[2] in LANGUAGES and draft["step"] == "lang":
        await answer_query(update)
        draft["texts"][parts[2]] = draft.pop("pending") or ""
        draft["pending"] = None
        draft["step"] = "more"
        await _save(context, member, draft)
        have = ", ".join(LANGUAGE_NAMES[x] for x in draft["texts"])
        await edit_or_reply(
            update,
            context,
            tr("Texts so far: {languages}. Add another language or go on.", languages=have),
            buttons=[
                [(tr("+ Another language"), "bc:more"), (tr("Audience ▶"), "bc:audience")],
                [(tr("Cancel"), "bc:cancel")],
            ],
        )
        return
    if action == "more" and draft["step"] == "more":
        await answer_query(update)
        draft["step"] = "text"
        await _save(context, member, draft)
        await edit_or_reply(update, context, tr("Send the text in the other language."))
        return
    if action == "audience" and draft["step"] in ("more", "preview"):
        await answer_query(update)
        draft["step"] = "audience"
        await _save(context, member, draft)
        await _audience_message(update, context, draft, tr, edit=True)
        return
    if action == "aud" and len(parts) == 3 and draft["step"] == "audience":
        try:
            selector = parse_selectors(parts[2])[0]
        except AudienceError:
            await refuse_button(update, context, "bad audience selector")
            return
        await answer_query(update)
        draft["audience"] = _toggle(draft["audience"], selector)
        await _save(context, member, draft)
        await _audience_message(update, context, draft, tr, edit=True)
        return
    if action == "preview" and draft["step"] == "audience":
        await answer_query(update)
        draft["step"] = "preview"
        await _save(context, member, draft)
        await _preview(update, context, member, tr, draft)
        return
    if action in ("send", "schedule") and draft["step"] == "preview":
        await answer_query(update)
        if action == "schedule":
            draft["step"] = "schedule"
            await _save(context, member, draft)
            await edit_or_reply(
                update,
                context,
                tr(
                    "When should it go? Write the date and time in your time zone ({zone}), "
                    "for example 2026-12-01 09:00.",
                    zone=member.timezone,
                ),
            )
            return
        draft["scheduled_at"] = None
        await _send_now_or_later(update, context, member, tr, draft)
        return
    await refuse_button(update, context, "broadcast step does not fit")


async def _preview(
    update: Update, context: Context, member: Member, tr: Translator, draft: dict[str, Any]
) -> None:
    svc = get_services(context)
    people, groups = await store.count_recipients(svc.db, draft["audience"])
    if people + groups == 0:
        draft["step"] = "audience"
        await _save(context, member, draft)
        await edit_or_reply(
            update, context, tr("Nobody matches this audience. Choose another one.")
        )
        await _audience_message(update, context, draft, tr, edit=False)
        return
    languages = ", ".join(LANGUAGE_NAMES[x] for x in draft["texts"]) or "—"
    await edit_or_reply(
        update,
        context,
        "\n".join(
            [
                tr(
                    "<b>Preview</b> — this is how members will see it (in their language when you "
                    "wrote one, else {language}):",
                    language=LANGUAGE_NAMES[svc.settings.default_language],
                ),
                tr("Languages: {languages}", languages=languages),
                tr(
                    "Audience: {audience}",
                    audience=html.escape(_audience_label(draft["audience"], tr)),
                ),
                tr(
                    "Recipients: {people} people and {groups} groups",
                    people=format_number(people, tr.language),
                    groups=format_number(groups, tr.language),
                ),
            ]
        ),
    )
    language, text = store.text_for(draft["texts"], member.language, svc.settings.default_language)
    for part in split_html(text) if text else []:
        await reply(update, context, part)
    await reply(
        update,
        context,
        tr("Send it?"),
        buttons=[
            [(tr("✅ Send now"), "bc:send"), (tr("🕒 Schedule"), "bc:schedule")],
            [(tr("Change audience"), "bc:audience"), (tr("Cancel"), "bc:cancel")],
        ],
    )
    _ = language


async def _send_now_or_later(
    update: Update, context: Context, member: Member, tr: Translator, draft: dict[str, Any]
) -> None:
    svc = get_services(context)
    attachment = draft.get("attachment")
    scheduled = datetime.fromisoformat(draft["scheduled_at"]) if draft.get("scheduled_at") else None
    chat = update.effective_chat
    assert chat is not None
    broadcast = await store.create_broadcast(
        svc.db,
        created_by=member.user_id,
        actor_name=display_name(member),
        texts=draft["texts"] or {svc.settings.default_language: ""},
        audience=draft["audience"],
        now=svc.now(),
        default_language=svc.settings.default_language,
        split=split_html,
        attachment=store.Attachment(**attachment) if attachment else None,
        scheduled_at=scheduled,
        progress_chat_id=chat.id,
    )
    await drafts.delete_draft(svc.db, DRAFT, member.user_id)
    if broadcast.status == "scheduled" and scheduled is not None:
        when = format_local_datetime(scheduled, member.timezone, member.language)
        await reply(
            update,
            context,
            tr("Scheduled announcement #{id} for {when}.", id=broadcast.id, when=when),
            buttons=[[(tr("Cancel this announcement"), f"bc:stop:{broadcast.id}")]],
        )
        return
    if svc.delivery is not None:
        svc.delivery.wake()
    await _new_progress_message(context, svc, broadcast, tr)


async def _cancel_broadcast(
    update: Update, context: Context, member: Member, tr: Translator, raw_id: str
) -> None:
    svc = get_services(context)
    if not raw_id.isdigit():
        await refuse_button(update, context, "bad broadcast id")
        return
    await answer_query(update)
    cancelled = await store.cancel_broadcast(
        svc.db, int(raw_id), actor_id=member.user_id, actor_name=display_name(member), now=svc.now()
    )
    if cancelled is None:
        await reply(
            update, context, tr("Announcement #{id} cannot be cancelled any more.", id=raw_id)
        )
        return
    await edit_or_reply(update, context, tr("Announcement #{id} cancelled.", id=raw_id))


# ---------------------------------------------------------------- progress
def progress_bar(done: int, total: int, width: int = 10) -> str:
    filled = round(width * done / total) if total else width
    return "▓" * filled + "░" * (width - filled)


def progress_text(
    broadcast: Broadcast, counts: dict[str, int], rate: float, tr: Translator, final: bool
) -> str:
    total = broadcast.recipients or sum(counts.values())
    sent = counts.get("sent", 0)
    blocked = counts.get("blocked", 0)
    failed = counts.get("failed", 0) + counts.get("cancelled", 0)
    done = sent + blocked + failed
    number = lambda n: format_number(n, tr.language)  # noqa: E731
    if final:
        return "\n".join(
            [
                tr("📣 <b>Announcement #{id} finished</b>", id=broadcast.id),
                tr("Delivered: {n}", n=number(sent)),
                tr("Blocked the bot: {n}", n=number(blocked)),
                tr("Failed: {n}", n=number(failed)),
            ]
        )
    return "\n".join(
        [
            tr("📣 <b>Announcement #{id}</b> is being sent", id=broadcast.id),
            f"{progress_bar(done, total)} "
            + tr(
                "{done}/{total} · {rate} msg/s · {blocked} blocked",
                done=number(done),
                total=number(total),
                rate=number(round(rate, 1)),
                blocked=number(blocked),
            ),
        ]
    )


async def _new_progress_message(
    context: Any, svc: Services, broadcast: Broadcast, tr: Translator
) -> None:
    if broadcast.progress_chat_id is None:
        return
    counts = await status_counts(svc.db, broadcast.id)
    final = broadcast.status == "done"
    message = await context.bot.send_message(
        broadcast.progress_chat_id,
        progress_text(broadcast, counts, 0.0, tr, final),
        parse_mode="HTML",
    )
    assert broadcast.id is not None
    await store.set_progress_message(svc.db, broadcast.id, message.message_id)


async def progress_tick(context: Any) -> None:
    """Start due scheduled broadcasts; edit progress messages; close drained broadcasts."""
    svc = services_of(context.application)
    now = svc.now()
    rates = svc.broadcast_rates
    for started in await store.start_due_broadcasts(
        svc.db, now, svc.settings.default_language, split_html
    ):
        if svc.delivery is not None:
            svc.delivery.wake()
        creator = await _creator_translator(svc, started)
        await _new_progress_message(context, svc, started, creator)
    for broadcast in await store.active_broadcasts(svc.db):
        assert broadcast.id is not None
        counts = await status_counts(svc.db, broadcast.id)
        sent = counts.get("sent", 0)
        clock = now.timestamp()
        last_time, last_sent = rates.get(broadcast.id, (clock, sent))
        rate = (sent - last_sent) / (clock - last_time) if clock > last_time else 0.0
        rates[broadcast.id] = (clock, sent)
        final = await store.mark_done_if_drained(svc.db, broadcast.id, now)
        await _edit_progress(context, svc, broadcast, counts, rate, final)
        if final:
            rates.pop(broadcast.id, None)


async def _creator_translator(svc: Services, broadcast: Broadcast) -> Translator:
    from storage.members import get_member

    creator = await get_member(svc.db, broadcast.created_by)
    return Translator(creator.language if creator else svc.settings.default_language)


async def _edit_progress(
    context: Any,
    svc: Services,
    broadcast: Broadcast,
    counts: dict[str, int],
    rate: float,
    final: bool,
) -> None:
    if broadcast.progress_chat_id is None or broadcast.progress_message_id is None:
        return
    tr = await _creator_translator(svc, broadcast)
    try:
        await context.bot.edit_message_text(
            progress_text(broadcast, counts, rate, tr, final),
            chat_id=broadcast.progress_chat_id,
            message_id=broadcast.progress_message_id,
            parse_mode="HTML",
        )
    except TelegramError as exc:
        if "not modified" not in str(exc).lower():
            log.info("could not edit progress of broadcast %s: %s", broadcast.id, exc)


async def start_progress_job(application: Application) -> None:
    if application.job_queue is not None:
        application.job_queue.run_repeating(
            progress_tick, interval=PROGRESS_INTERVAL, first=0.5, name="broadcast-progress"
        )


# ---------------------------------------------------------------- lists and stats
@requires_role(Role.organizer)
async def broadcasts_command(update: Update, context: Context) -> None:
    svc = get_services(context)
    member, tr = await translator(update, context)
    recent = await store.recent_broadcasts(svc.db, 10)
    if not recent:
        await reply(update, context, tr("No announcements yet. Send /broadcast to write one."))
        return
    lines = [tr("<b>Recent announcements</b>")]
    rows: list[list[Button]] = []
    for item in recent:
        assert item.id is not None
        counts = await status_counts(svc.db, item.id)
        when = item.scheduled_at or item.created_at
        label = format_local_datetime(when, member.timezone, member.language, fmt="short")
        lines.append(
            tr(
                "#{id} · {status} · {when} · {sent}/{total} delivered, {blocked} blocked, "
                "{failed} failed",
                id=item.id,
                status=_status_label(item.status, tr),
                when=label,
                sent=counts.get("sent", 0),
                total=item.recipients,
                blocked=counts.get("blocked", 0),
                failed=counts.get("failed", 0),
            )
        )
        if item.status == "scheduled":
            rows.append([(tr("Cancel #{id}", id=item.id), f"bc:stop:{item.id}")])
    await reply(update, context, "\n".join(lines), buttons=rows or None)


def _status_label(status: str, tr: Translator) -> str:
    labels = {
        "scheduled": N_("scheduled"),
        "sending": N_("sending"),
        "done": N_("sent"),
        "cancelled": N_("cancelled"),
        "draft": N_("draft"),
    }
    return tr(labels.get(status, status))


@requires_role(Role.admin)
async def registergroup_command(update: Update, context: Context) -> None:
    member, tr = await translator(update, context)
    chat = update.effective_chat
    assert chat is not None
    if chat.type == "private":
        await reply(
            update,
            context,
            tr("Send /registergroup inside the group you want to register, after adding me to it."),
        )
        return
    group = await store.register_group(
        get_services(context).db, chat.id, chat.title or "", member.user_id
    )
    await reply(
        update,
        context,
        tr(
            "This group is registered: announcements to “group:all” or “group:{id}” reach it.",
            id=group.chat_id,
        ),
    )


@requires_role(Role.organizer)
async def stats_command(update: Update, context: Context) -> None:
    from bot.core.i18n import country_name
    from storage.stats import member_stats

    svc = get_services(context)
    _, tr = await translator(update, context)
    stats = await member_stats(svc.db)
    number = lambda n: format_number(n, tr.language)  # noqa: E731
    lines = [
        tr("<b>Members</b>: {total}", total=number(stats.total)),
        tr(
            "Active: {active} · opted out: {opted_out} · blocked the bot: {blocked}",
            active=number(stats.active),
            opted_out=number(stats.opted_out),
            blocked=number(stats.blocked),
        ),
        "",
        tr("<b>By country</b>"),
        *[
            f"{html.escape(country_name(c, tr.language) if c != '-' else '—')}: {number(n)}"
            for c, n in stats.by_country
        ],
        "",
        tr("<b>By language</b>"),
        *[f"{LANGUAGE_NAMES.get(c, c)}: {number(n)}" for c, n in stats.by_language],
        "",
        tr("<b>By institution</b>"),
        *[f"{html.escape(c)}: {number(n)}" for c, n in stats.by_institution[:15]],
        "",
        tr("<b>By role</b>"),
        *[f"{html.escape(c)}: {number(n)}" for c, n in stats.by_role],
    ]
    await reply(update, context, "\n".join(lines))


def register(application: Application) -> None:
    application.add_handler(
        MessageHandler(
            filters.ChatType.PRIVATE
            & ((filters.TEXT & ~filters.COMMAND) | filters.Document.ALL | filters.PHOTO),
            draft_input,
        ),
        group=DRAFT_GROUP,
    )
    application.add_handler(
        CommandHandler("broadcast", broadcast_command, filters=filters.ChatType.PRIVATE)
    )
    application.add_handler(CommandHandler("broadcasts", broadcasts_command))
    application.add_handler(CommandHandler("registergroup", registergroup_command))
    application.add_handler(CommandHandler("stats", stats_command))
    application.add_handler(CallbackQueryHandler(broadcast_button, pattern=r"^bc:"))


__all__ = ["current_member", "register", "start_progress_job"]
