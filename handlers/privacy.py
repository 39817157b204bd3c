"""Privacy: /forgetme (erasure after a confirmation), /mydata (everything kept, as a JSON
file), /privacy (the notice; admins replace it per language with ``/privacy set es ...``)
and the guard that keeps the bot silent toward an erased person until they send /start.
"""

from __future__ import annotations

import html
import json
import logging

from telegram import InputFile, Update
from telegram.ext import (
    Application,
    ApplicationHandlerStop,
    CallbackQueryHandler,
    CommandHandler,
    TypeHandler,
    filters,
)

from bot.core.i18n import LANGUAGES, N_, Translator, normalize_language
from bot.core.outbound import Button
from bot.render.callbacks.onboarding import ForgetMe
from bot.render.commands import CommandSpec, register_command
from handlers.common import (
    Context,
    answer_query,
    audit_refusal,
    edit_or_reply,
    pressed,
    refuse_button,
    reply,
)
from storage import audit, erasure, privacy
from storage.models import Role

log = logging.getLogger(__name__)
ERASED_GROUP = -20  # before the input guard (-10): an erased person gets no answer at all


# ---------------------------------------------------------------- the tombstone guard
ERASED_HINT = N_("Your data was erased. Send /start to the bot to use it again.")


def _is_private_start(update: Update) -> bool:
    message = update.effective_message
    chat = update.effective_chat
    if message is None or chat is None or chat.type != "private" or update.callback_query:
        return False
    first = (message.text or "").split(maxsplit=1)[:1]
    return bool(first) and first[0].split("@")[0] == "/start"


async def erased_guard(update: Update, ctx: Context) -> None:
    """Nothing from an erased person creates a member again, except /start (which lifts
    the tombstone, so onboarding starts from scratch). A button press is acknowledged
    silently, so their Telegram client does not spin; a private message gets one line
    saying how to come back (in their Telegram app's language: nothing of theirs is kept)."""
    user = update.effective_user
    if user is None or not await ctx.erased(update):
        return
    if _is_private_start(update):
        await erasure.clear_tombstone(ctx.svc.db, user.id)
        if ctx.svc.delivery is not None:
            ctx.svc.delivery.unforget(user.id)
        log.info("an erased person came back with /start")
        return
    await answer_query(update)
    chat = update.effective_chat
    typed = update.effective_message is not None and update.callback_query is None
    if typed and chat is not None and chat.type == "private":
        language = normalize_language(user.language_code, ctx.svc.settings.default_language)
        await reply(update, ctx, Translator(language)(ERASED_HINT))
    raise ApplicationHandlerStop


# ---------------------------------------------------------------- /forgetme
async def forgetme_command(update: Update, ctx: Context) -> None:
    await ctx.load_member(update)
    tr = ctx.tr
    await reply(
        update,
        ctx,
        tr("This erases your name, settings, answers to your own surveys and RSVPs. Are you sure?"),
        buttons=[
            [
                Button(tr("Yes, erase my data"), data=ForgetMe("yes").pack()),
                Button(tr("No, keep it"), data=ForgetMe("no").pack()),
            ]
        ],
    )


async def forgetme_button(update: Update, ctx: Context) -> None:
    member = await ctx.load_member(update)
    data = pressed(update, ForgetMe)
    if data is None:
        await refuse_button(update, ctx, "unknown forgetme data")
        return
    await answer_query(update)
    if data.answer == "no":
        await edit_or_reply(update, ctx, ctx.tr("Nothing was erased."))
        return
    if ctx.svc.delivery is not None:  # what this process already holds for them
        ctx.svc.delivery.forget(member.user_id, member.chat_id)
    done = await erasure.erase_member(ctx.svc.db, member.user_id)
    log.info("a member erased their personal data: %s", done.rows)
    await edit_or_reply(
        update,
        ctx,
        ctx.tr(
            "Your personal data has been erased. I will not write to you again; "
            "send /start if you want to start from scratch."
        ),
    )


# ---------------------------------------------------------------- /mydata
async def mydata_command(update: Update, ctx: Context) -> None:
    member = await ctx.load_member(update)
    chat = update.effective_chat
    assert chat is not None
    data = await privacy.export_member(ctx.svc.db, member.user_id)
    body = json.dumps(data, ensure_ascii=False, indent=2, default=str).encode()
    await ctx.bot.send_document(
        chat.id,
        InputFile(body, filename="mydata.json", attach=True),
        caption=ctx.tr("Everything I keep about you."),
    )


# ---------------------------------------------------------------- /privacy
def builtin_notice(tr: Translator, days: int) -> str:
    return tr(
        "<b>Privacy</b>\n"
        "What I keep: your Telegram name and id, your language, time zone, country and "
        "institution, your RSVPs, your survey answers, the questions I could not answer and "
        "the messages I sent you.\n"
        "Why: to send you the network's announcements, reminders and surveys in your language "
        "and time zone, and to improve the answers.\n"
        "Who sees it: the network's organizers and admins; nobody outside the network.\n"
        "How long: while you use the bot; message contents and unanswered questions are "
        "deleted after {days} days.\n"
        "Your rights: /mydata sends you everything I keep, /stop stops all messages and "
        "/forgetme erases your data.",
        days=days,
    )


async def privacy_command(update: Update, ctx: Context) -> None:
    member = await ctx.load_member(update)
    args = ctx.args or []
    if args and args[0].lower() == "set":
        await _set_notice(update, ctx, args[1:])
        return
    custom = await privacy.get_notice(ctx.svc.db, member.language)
    text = (
        html.escape(custom) if custom else builtin_notice(ctx.tr, ctx.svc.settings.retention_days)
    )
    await reply(update, ctx, text)


async def _set_notice(update: Update, ctx: Context, args: list[str]) -> None:
    """``/privacy set es <text>``; without a text, back to the built-in notice."""
    member, tr = ctx.member, ctx.tr
    if Role(member.role).rank < Role.admin.rank:
        await audit_refusal(ctx, member, "/privacy set", Role.admin)
        await reply(update, ctx, tr("Sorry, only admins can do that."))
        return
    if not args or args[0].lower() not in LANGUAGES:
        await reply(update, ctx, tr("Usage: /privacy set es|pt|en TEXT"))
        return
    language = args[0].lower()
    message = update.effective_message
    raw = (message.text or "") if message is not None else ""
    text = raw.split(maxsplit=3)[3].strip() if len(raw.split(maxsplit=3)) > 3 else ""
    await privacy.set_notice(ctx.svc.db, language, text or None)
    await audit.record(
        ctx.svc.db,
        actor_id=member.user_id,
        actor_name=member.first_name,
        action="privacy notice",
        target=language,
    )
    await reply(update, ctx, tr("Privacy notice for {language} saved.", language=language))


def register(application: Application) -> None:
    application.add_handler(TypeHandler(Update, erased_guard), group=ERASED_GROUP)
    private = filters.ChatType.PRIVATE
    application.add_handler(CommandHandler("forgetme", forgetme_command, filters=private))
    application.add_handler(CommandHandler("mydata", mydata_command, filters=private))
    application.add_handler(CommandHandler("privacy", privacy_command, filters=private))
    application.add_handler(CallbackQueryHandler(forgetme_button, pattern=ForgetMe.pattern()))


for _spec in (
    CommandSpec("mydata", N_("Get a file with everything I keep about you")),
    CommandSpec("privacy", N_("What I keep about you, why, and for how long")),
):
    register_command(_spec)
