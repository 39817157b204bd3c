"""Organizers: /launch (open a survey and invite its audience), /nudge (remind those who
have not answered), /results (rates, counts and a chart per choice question) and /export
(every response as CSV and XLSX)."""

from __future__ import annotations

import html
import statistics

from telegram import InputFile, InputMediaPhoto, Update

from bot.app.context import BotContext
from bot.core.enums import Role
from bot.core.i18n import N_, Translator, format_number, format_pct, pick_text
from bot.core.ids import SLUG
from bot.core.survey_flow import option_label, scale_values
from bot.render.callbacks.surveys import LaunchConfirmed
from bot.render.charts import ChartSpec, draw_bar_charts
from bot.render.commands import CommandSpec, register_command
from bot.render.exports import build_exports
from bot.render.labels import country_label, institution_label_of, survey_status
from bot.render.surveys import invite_renderer
from bot.render.webapp import app_button
from handlers.common import (
    answer_query,
    display_name,
    edit_or_reply,
    pressed,
    refuse_button,
    reply,
    requires_role,
)
from storage import surveys as store
from storage.models import Question, Survey
from storage.survey_opening import audience_count
from storage.surveys import SurveyProblem

ALBUM_MAX = 10  # photos in one sendMediaGroup

register_command(
    CommandSpec("launch", N_("Open a survey and invite its audience"), Role.organizer, "SURVEY")
)
register_command(
    CommandSpec("nudge", N_("Remind those who have not answered"), Role.organizer, "SURVEY")
)
register_command(CommandSpec("results", N_("Survey results with charts"), Role.organizer, "SURVEY"))
register_command(
    CommandSpec("export", N_("Survey answers as CSV and XLSX"), Role.organizer, "SURVEY")
)


async def survey_from_args(
    update: Update, ctx: BotContext, usage: str
) -> tuple[Survey, list[Question]] | None:
    """The survey named by the command's argument; without one, the list of surveys."""
    tr = ctx.tr
    if not ctx.args:
        surveys = await store.list_surveys(ctx.svc.db)
        lines = [tr("Usage: {command} SURVEY. Surveys:", command=usage)]
        lines += [
            f"• <code>{s.id}</code> — {html.escape(ctx.pick(s.title))}"
            f" ({survey_status(s.status, tr)})"
            for s in surveys[:30]
        ]
        await reply(update, ctx, "\n".join(lines))
        return None
    survey_id = ctx.args[0].lower()[:64]
    found = await store.get_survey(ctx.svc.db, survey_id) if SLUG.match(survey_id) else None
    if found is None:
        await reply(update, ctx, tr("There is no survey “{id}”.", id=html.escape(survey_id)))
    return found


async def _refused(
    update: Update, ctx: BotContext, survey_id: str, problem: SurveyProblem, closed: str
) -> None:
    """Why a launch or nudge did nothing: the survey is closed, or was deleted meanwhile."""
    if problem is SurveyProblem.unknown:
        await reply(update, ctx, ctx.tr("There is no survey “{id}”.", id=html.escape(survey_id)))
    else:
        await reply(update, ctx, closed)


@requires_role(Role.organizer)
async def launch_command(update: Update, ctx: BotContext) -> None:
    """Asks first, with the number of members the invitation will reach (as /broadcast)."""
    found = await survey_from_args(update, ctx, "/launch")
    if found is None:
        return
    svc, tr, survey = ctx.svc, ctx.tr, found[0]
    if survey.closes_at is not None and survey.closes_at <= svc.now():
        await reply(update, ctx, tr("That survey has already closed."))
        return
    count = await audience_count(svc.db, survey.id)
    text = tr.ngettext(
        "Open <b>{title}</b> and invite {n} member?",
        "Open <b>{title}</b> and invite {n} members?",
        count,
        title=html.escape(ctx.pick(survey.title)),
    )
    buttons = [
        [
            (tr("✅ Open and invite"), LaunchConfirmed(survey.id, True).pack()),
            (tr("Cancel"), LaunchConfirmed(survey.id, False).pack()),
        ]
    ]
    await reply(update, ctx, text, buttons=buttons)


@requires_role(Role.organizer)
async def launch_button(update: Update, ctx: BotContext) -> None:
    data = pressed(update, LaunchConfirmed)
    if data is None:
        await refuse_button(update, ctx, "malformed launch data")
        return
    await answer_query(update)
    svc, member, tr = ctx.svc, ctx.member, ctx.tr
    if not data.confirmed:
        await edit_or_reply(update, ctx, tr("Nothing was changed."))
        return
    outcome = await store.launch(
        svc.db,
        data.survey_id,
        svc.now(),
        invite_renderer(svc.settings.default_language),
        actor_id=member.user_id,
        actor_name=display_name(member),
    )
    if outcome.problem is not None:
        await _refused(
            update, ctx, data.survey_id, outcome.problem, tr("That survey has already closed.")
        )
        return
    if svc.delivery is not None:
        svc.delivery.wake()
    text = tr.ngettext(
        "Survey open: {n} member invited.", "Survey open: {n} members invited.", outcome.count
    )
    await edit_or_reply(update, ctx, text)


@requires_role(Role.organizer)
async def nudge_command(update: Update, ctx: BotContext) -> None:
    found = await survey_from_args(update, ctx, "/nudge")
    if found is None:
        return
    svc, tr = ctx.svc, ctx.tr
    outcome = await store.nudge(
        svc.db,
        found[0].id,
        svc.now(),
        invite_renderer(svc.settings.default_language),
        tag=svc.now().strftime("%Y%m%d%H%M"),
        actor_id=ctx.member.user_id,
    )
    if outcome.problem is not None:
        await _refused(update, ctx, found[0].id, outcome.problem, tr("That survey is not open."))
        return
    if svc.delivery is not None:
        svc.delivery.wake()
    text = tr.ngettext(
        "Reminder queued for {n} member.", "Reminder queued for {n} members.", outcome.count
    )
    await reply(update, ctx, text)


# ------------------------------------------------------------------ /results
def _rate(responded: int, invited: int, tr: Translator) -> str:
    share = format_pct(min(responded / invited, 1.0), tr.language) if invited else "—"
    return (
        f"{format_number(responded, tr.language)}/{format_number(invited, tr.language)} ({share})"
    )


def _rate_lines(result: store.Results, title: str, tr: Translator) -> list[str]:
    unit = tr("institutions") if result.survey.respondent == "institution" else tr("members")
    return [
        f"📊 <b>{html.escape(title)}</b>",
        tr(
            "Response rate: {rate} {unit}",
            rate=_rate(result.submitted, result.invited, tr),
            unit=unit,
        ),
        tr("In progress: {n}", n=format_number(result.in_progress, tr.language)),
        "",
        tr("<b>By country</b>"),
        *[
            f"{html.escape(country_label(c, tr))}: {_rate(r, i, tr)}"
            for c, (r, i) in result.by_country.items()
        ],
        "",
        tr("<b>By institution</b>"),
        *[
            f"{html.escape(institution_label_of(name, tr))}: {_rate(r, i, tr)}"
            for name, (r, i) in list(result.by_institution.items())[:25]
        ],
    ]


def _chart_keys(question: Question) -> list[str]:
    if question.kind in ("single", "multiple"):
        return [o["id"] for o in question.options or []]
    if question.kind == "yesno":
        return ["yes", "no"]
    return [str(n) for n in scale_values(question)]


def _key_label(question: Question, key: str, tr: Translator, default: str) -> str:
    if question.kind in ("single", "multiple"):
        return option_label(question, key, tr.language, default)
    if question.kind == "yesno":
        return tr("Yes") if key == "yes" else tr("No")
    return key


def _question_lines(
    number: int, item: store.QuestionResult, tr: Translator, default: str
) -> tuple[list[str], tuple[ChartSpec, str] | None]:
    """One question's counts (and its chart with caption), mean and median, and the latest
    texts."""
    question = item.question
    text = pick_text(question.text, tr.language, default)
    lines = [
        "",
        f"<b>{number}. {html.escape(text)}</b> "
        + tr.ngettext("({n} answer)", "({n} answers)", item.answered),
    ]
    chart = None
    if question.kind in ("single", "multiple", "yesno", "scale"):
        keys = _chart_keys(question)
        labels = [_key_label(question, k, tr, default) for k in keys]
        counts = [item.counts.get(k, 0) for k in keys]
        for label, count in zip(labels, counts, strict=True):
            share = format_pct(count / item.answered, tr.language) if item.answered else "—"
            lines.append(f"   {html.escape(label)}: {format_number(count, tr.language)} ({share})")
        if item.answered:
            spec = ChartSpec(text, labels, counts, axis_label=tr("answers"))
            chart = (spec, f"{number}. {text}"[:1000])
    if item.numbers:
        mean = format_number(round(statistics.mean(item.numbers), 2), tr.language)
        median = format_number(statistics.median(item.numbers), tr.language)
        lines.append("   " + tr("mean {mean} · median {median}", mean=mean, median=median))
    recent_distinct = list(dict.fromkeys(reversed(item.texts)))[:3]
    lines += [f"   “{html.escape(sample[:200])}”" for sample in reversed(recent_distinct)]
    return lines, chart


@requires_role(Role.organizer)
async def results_command(update: Update, ctx: BotContext) -> None:
    found = await survey_from_args(update, ctx, "/results")
    if found is None:
        return
    result = await store.results(ctx.svc.db, found[0].id)
    assert result is not None
    tr, default = ctx.tr, ctx.svc.settings.default_language
    lines = _rate_lines(result, ctx.pick(result.survey.title), tr)
    charts: list[tuple[ChartSpec, str]] = []
    for number, item in enumerate(result.per_question, start=1):
        more, chart = _question_lines(number, item, tr, default)
        lines += more
        if chart is not None:
            charts.append(chart)
    row = app_button(ctx.svc.settings.webapp_url, tr, "survey", id=result.survey.id)
    await reply(update, ctx, "\n".join(lines), buttons=[row] if row else None)
    chat = update.effective_chat
    assert chat is not None
    pngs = await draw_bar_charts([spec for spec, _ in charts], tr.language)  # worker thread
    await send_album(
        ctx, chat.id, [(png, caption) for png, (_, caption) in zip(pngs, charts, strict=True)]
    )


async def send_album(ctx: BotContext, chat_id: int, photos: list[tuple[bytes, str]]) -> None:
    """The charts as one album (sendMediaGroup takes 2-10; one chart goes alone)."""
    for start in range(0, len(photos), ALBUM_MAX):
        chunk = photos[start : start + ALBUM_MAX]
        if len(chunk) == 1:
            png, caption = chunk[0]
            await ctx.bot.send_photo(chat_id, InputFile(png, filename="chart.png"), caption=caption)
            continue
        media = [
            InputMediaPhoto(png, caption=caption, filename=f"chart{n}.png")
            for n, (png, caption) in enumerate(chunk, start=start + 1)
        ]
        await ctx.bot.send_media_group(chat_id, media)


@requires_role(Role.organizer)
async def export_command(update: Update, ctx: BotContext) -> None:
    found = await survey_from_args(update, ctx, "/export")
    if found is None:
        return
    survey = found[0]
    tr, default = ctx.tr, ctx.svc.settings.default_language
    questions, rows = await store.export_rows(ctx.svc.db, survey.id)
    chat = update.effective_chat
    assert chat is not None
    as_csv, as_xlsx = await build_exports(  # in a worker thread
        questions, rows, tr, default, ctx.pick(survey.title)
    )
    await ctx.bot.send_document(
        chat.id,
        InputFile(as_csv, filename=f"{survey.id}.csv"),
        caption=tr.ngettext("{n} response", "{n} responses", len(rows)),
    )
    await ctx.bot.send_document(chat.id, InputFile(as_xlsx, filename=f"{survey.id}.xlsx"))
