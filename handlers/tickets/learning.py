"""What /unanswered and /stats add for tickets: similar unanswered questions grouped with
their counts, a one-tap suggestion to attach a phrasing to an existing FAQ entry or course,
learned FAQ entries still missing a language, and the helpful / not helpful figures."""

from __future__ import annotations

import html
from collections.abc import Sequence
from datetime import datetime

from rapidfuzz import fuzz
from telegram import Update

from bot.core.enums import Role
from bot.core.outbound import Button
from bot.qa.engine import Answerer
from bot.qa.reply import title_of
from bot.render.callbacks import CallbackTooLong
from bot.render.callbacks.questions import HitKind
from bot.render.callbacks.tickets import AcceptPhrasing
from bot.render.labels import BUTTON_CHARS, button_title, intent_label
from handlers.common import Context, answer_query, pressed, refuse_button, requires_role
from storage import learning
from storage import questions as question_store
from storage.models import UnansweredQuestion

SIMILAR = 82  # rapidfuzz token_set_ratio from which two questions count as one
LANGUAGES = ("es", "pt", "en")


def group_similar(
    rows: Sequence[UnansweredQuestion],
) -> list[tuple[UnansweredQuestion, int, int]]:
    """(representative, total count, how many phrasings), most asked first."""
    groups: list[list[UnansweredQuestion]] = []
    for row in rows:
        for group in groups:
            if fuzz.token_set_ratio(row.normalized, group[0].normalized) >= SIMILAR:
                group.append(row)
                break
        else:
            groups.append([row])
    found = [(g[0], sum(r.count for r in g), len(g)) for g in groups]
    return sorted(found, key=lambda item: -item[1])


def suggestion(
    answerer: Answerer,
    row: UnansweredQuestion,
    language: str,
    default: str,
    now: datetime,
    asked: int = 1,
) -> Button | None:
    """Attach this question to the record the answerer thought closest (not confident);
    ``asked``: how often it (and the questions like it) was asked, shown when more than once."""
    result = answerer.ask(row.text, language=row.language, now=now)
    best = result.best
    if best is None or best.kind not in ("faq", "course") or row.id is None:
        return None
    try:
        data = AcceptPhrasing(row.id, HitKind[best.kind], best.id).pack()
    except CallbackTooLong:
        return None
    title = title_of(best, language, default)
    suffix = f" ({asked}×)" if asked > 1 else ""
    label = "➕ " + button_title(title, BUTTON_CHARS - 4 - len(suffix)) + suffix
    return Button(label, data=data)


def suggestions(
    answerer: Answerer,
    rows: Sequence[UnansweredQuestion],
    language: str,
    default: str,
    now: datetime,
) -> list[list[Button]]:
    """One button per group of similar questions (the most asked five), with how often the
    group was asked; never two buttons for the same entry."""
    buttons: list[list[Button]] = []
    offered: set[str] = set()
    for row, total, _ in group_similar(rows)[:5]:
        button = suggestion(answerer, row, language, default, now, total)
        target = (button.data or "").rsplit(":", 2)[-2:] if button is not None else []
        if button is not None and ":".join(target) not in offered:
            offered.add(":".join(target))
            buttons.append([button])
    return buttons


async def unanswered_extras(
    ctx: Context, answerer: Answerer
) -> tuple[list[str], list[list[Button]]]:
    """Lines and buttons /unanswered shows after its list."""
    tr, svc = ctx.tr, ctx.svc
    rows = await question_store.list_unanswered(svc.db, 50)
    lines: list[str] = []
    buttons: list[list[Button]] = []
    grouped = [g for g in group_similar(rows) if g[2] > 1]
    if grouped:
        lines += ["", tr("<b>Similar questions</b> (asked in total, phrasings)")]
        for row, total, phrasings in grouped[:10]:
            lines.append(f"• {total}× / {phrasings} — “{html.escape(row.text[:120])}”")
    buttons = suggestions(answerer, rows, tr.language, svc.settings.default_language, svc.now())
    if buttons:
        lines += ["", tr("Tap to attach a question to the entry it should find:")]
    missing = await learning.missing_languages(svc.db, LANGUAGES)
    if missing:
        lines += ["", tr("<b>FAQ entries missing a language</b> (/faq ID LANG question | answer)")]
        lines += [f"• <code>{html.escape(i)}</code>: {', '.join(langs)}" for i, langs in missing]
    return lines, buttons


@requires_role(Role.organizer)
async def accept_pressed(update: Update, ctx: Context) -> None:
    """``tk:alt:<question>:<kind>:<record>``: the question becomes another phrasing."""
    data = pressed(update, AcceptPhrasing)
    row = await question_store.get_unanswered(ctx.svc.db, data.question_id) if data else None
    if data is None or row is None:
        await refuse_button(update, ctx, "phrasing of a question that is gone")
        return
    svc = ctx.svc
    await learning.add_phrasing(
        svc.db,
        data.kind.name,
        data.record_id,
        row.language,
        row.text,
        ctx.member.user_id,
        svc.now(),
    )
    await answer_query(update, ctx.tr("Saved."))


async def feedback_lines(ctx: Context) -> list[str]:
    """The helpful / not helpful figures per FAQ entry and per intent, for /stats."""
    per_faq, per_intent = await learning.feedback_counts(ctx.svc.db)
    if not per_faq and not per_intent:
        return []
    lines = ["", ctx.tr("<b>Answers rated</b> (👍 helpful / 👎 not helpful)")]
    lines += [
        f"• FAQ {html.escape(v.key)}: 👍 {v.helpful} / 👎 {v.unhelpful}" for v in per_faq[:15]
    ]
    lines += [
        f"• {html.escape(intent_label(v.key, ctx.tr))}: 👍 {v.helpful} / 👎 {v.unhelpful}"
        for v in per_intent[:15]
    ]
    return lines
