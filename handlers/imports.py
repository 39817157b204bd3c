"""``/import``: an organizer or admin sends network data files (YAML, JSON, CSV, .ics) as a
document with the caption ``/import`` (``/import prune`` removes what the file no longer
lists) and gets the per-section summary, or every problem as ``path: message``."""

from __future__ import annotations

import html
import logging

from telegram import Update
from telegram.error import TelegramError
from telegram.ext import Application, CommandHandler, MessageHandler, filters

from bot.core.i18n import N_, Translator, format_number
from bot.importer.load import run_import
from bot.importer.schema import MAX_FILE_BYTES
from bot.render.commands import CommandSpec, register_command
from handlers.common import Context, display_name, reply, requires_role
from storage.models import Role
from storage.network import SECTION_ORDER, ImportSummary

log = logging.getLogger(__name__)
SHOWN_ERRORS = 30
SECTION_LABELS = {
    "institutions": N_("Institutions"),
    "courses": N_("Courses"),
    "events": N_("Events"),
    "faq": N_("FAQ"),
    "surveys": N_("Surveys"),
    "topics": N_("Topics"),
}

register_command(
    CommandSpec(
        "import",
        N_("Load network data: send the file with the caption /import"),
        Role.organizer,
    )
)


def summary_text(summary: ImportSummary, tr: Translator) -> str:
    lines = [tr("✅ <b>Import done</b>")]
    for section in SECTION_ORDER:
        counts = summary.sections.get(section)
        if counts is None:
            continue
        number = lambda n: format_number(n, tr.language)  # noqa: E731
        line = tr(
            "{section}: {created} created, {updated} updated, {unchanged} unchanged",
            section=tr(SECTION_LABELS[section]),
            created=number(counts.created),
            updated=number(counts.updated),
            unchanged=number(counts.unchanged),
        )
        if counts.deleted:
            line += " " + tr("({deleted} removed)", deleted=number(counts.deleted))
        lines.append(line)
    return "\n".join(lines)


def errors_text(errors: list[str], tr: Translator) -> str:
    lines = [
        tr.ngettext(
            "❌ <b>Nothing was imported</b>: the file has {n} problem.",
            "❌ <b>Nothing was imported</b>: the file has {n} problems.",
            len(errors),
        )
    ]
    lines += [f"• <code>{html.escape(e[:300])}</code>" for e in errors[:SHOWN_ERRORS]]
    if len(errors) > SHOWN_ERRORS:
        lines.append(
            tr("… and {n} more.", n=format_number(len(errors) - SHOWN_ERRORS, tr.language))
        )
    return "\n".join(lines)


@requires_role(Role.organizer)
async def import_document(update: Update, ctx: Context) -> None:
    svc, member, tr = ctx.svc, ctx.member, ctx.tr
    message = update.effective_message
    assert message is not None
    document = message.document
    if document is None:
        await reply(
            update,
            ctx,
            tr("Send the network data file as a document with the caption /import."),
        )
        return
    name = document.file_name or "network.yaml"
    if (document.file_size or 0) > MAX_FILE_BYTES:
        log.warning("refused %s-byte import file from %s", document.file_size, member.user_id)
        await reply(
            update,
            ctx,
            tr(
                "That file is too large ({size} MB). The limit is {limit} MB.",
                size=format_number(round((document.file_size or 0) / 1e6, 1), tr.language),
                limit=MAX_FILE_BYTES // (1024 * 1024),
            ),
        )
        return
    try:
        telegram_file = await document.get_file()
        content = bytes(await telegram_file.download_as_bytearray())
    except TelegramError as exc:
        log.warning("could not download import file %r: %s", name, exc)
        await reply(update, ctx, tr("I could not download that file. Please send it again."))
        return
    prune = "prune" in (message.caption or "").lower().split()[1:]
    outcome = await run_import(
        svc.db,
        [(name, content)],
        default_language=svc.settings.default_language,
        default_timezone=svc.settings.default_timezone,
        prune=prune,
        actor_id=member.user_id,
        actor_name=display_name(member),
        off_loop=True,
    )
    if outcome.summary is None:
        log.warning(
            "refused import %r from %s: %d problems", name, member.user_id, len(outcome.errors)
        )
        await reply(update, ctx, errors_text(outcome.errors, tr))
        return
    log.info("import %r by %s: %s", name, member.user_id, outcome.summary.as_dict())
    await reply(update, ctx, summary_text(outcome.summary, tr))


def register(application: Application) -> None:
    application.add_handler(
        MessageHandler(
            filters.ChatType.PRIVATE & filters.Document.ALL & filters.CaptionRegex(r"^/import\b"),
            import_document,
        )
    )
    application.add_handler(
        CommandHandler("import", import_document, filters=filters.ChatType.PRIVATE)
    )
