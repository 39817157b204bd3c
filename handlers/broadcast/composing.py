"""Composing an announcement: /broadcast, its texts (one a language) and the attachment."""

from __future__ import annotations

from telegram import Update

from bot.core.i18n import LANGUAGE_NAMES, language_name, language_names
from bot.core.langguess import guess_language
from bot.core.outbound import Button
from bot.messaging.compose import check_text, composed_html
from bot.render.callbacks.broadcast import TEXT_LANGUAGES, ReplaceText, TextLanguage
from bot.render.refusals import text_refusal
from handlers.broadcast.draft import (
    BROADCAST_FLOW,
    BroadcastDraft,
    Step,
    action_button,
    cancel_button,
    load_for,
)
from handlers.common import Context, edit_or_reply, pressed, refuse_button, reply, requires_role
from storage.models import Role


@requires_role(Role.organizer)
async def broadcast_command(update: Update, ctx: Context) -> None:
    await BROADCAST_FLOW.begin(update, ctx, BroadcastDraft())
    await reply(
        update,
        ctx,
        ctx.tr(
            "<b>New announcement</b>\nSend me its text (Telegram HTML allowed: <b>bold</b>, "
            "<i>italic</i>, links). You may attach a document or photo with the text as its "
            "caption. You can add other languages next."
        ),
        buttons=[[cancel_button(ctx)]],
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
    others = [c for c in TEXT_LANGUAGES if c != guess]  # the guessed one once, ticked, first
    languages = [Button(LANGUAGE_NAMES[c], data=TextLanguage(c).pack()) for c in others]
    rows = [languages, [cancel_button(ctx)]]
    text = tr("Which language is this text in?")
    if guess in TEXT_LANGUAGES:
        rows.insert(0, [Button("✅ " + LANGUAGE_NAMES[guess], data=TextLanguage(guess).pack())])
        text += "\n" + tr(
            "It looks like {language}: press ✅ to confirm, or choose another.",
            language=language_name(guess, tr.language),
        )
    await reply(update, ctx, text, buttons=rows)


@requires_role(Role.organizer)
async def language_button(update: Update, ctx: Context) -> None:
    """``bcl:<language>``: the language of the text just sent."""
    data = pressed(update, TextLanguage)
    if data is None:
        await refuse_button(update, ctx, "malformed broadcast language")
        return
    draft = await load_for(update, ctx, Step.lang)
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
    rows.append([cancel_button(ctx)])
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
    draft = await load_for(update, ctx, Step.lang)
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
                action_button(ctx.tr("+ Another language"), "more"),
                action_button(ctx.tr("Audience ▶"), "audience"),
            ],
            [cancel_button(ctx)],
        ],
    )
