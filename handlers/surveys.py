"""Surveys in chat: /survey (a member's open surveys), answering one question at a time with
buttons or typed answers, with progress, Back, Skip and a summary to confirm; for
organizers /newsurvey (a quick one-question poll), /launch, /nudge, /results (with charts)
and /export (CSV and XLSX).

Button data is ``sv:<action>:<response>:<question>[:<choice>]``; every part is checked
against the database (the response must be the member's or their institution's, the
question must be askable now, the choice must exist, the survey must be open), so forged
or stale data gets "no longer valid" and changes nothing. The answers themselves are stored
as they are given: a restart loses nothing and a member can go on days later.
"""

from __future__ import annotations

import html
import logging
import re
import statistics
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from telegram import InputFile, Update
from telegram.ext import (
    Application,
    ApplicationHandlerStop,
    CallbackContext,
    CallbackQueryHandler,
    CommandHandler,
    MessageHandler,
    filters,
)

from bot.app.context import Services, get_services, services_of
from bot.core.audience import AudienceError, parse_selectors
from bot.core.i18n import N_, Translator, format_local_datetime, format_number, format_pct
from bot.core.survey_flow import (
    TYPED_KINDS,
    answer_text,
    answered_of,
    missing_required,
    next_index,
    option_label,
    parse_typed,
    previous_index,
    progress,
    prune_hidden,
    scale_values,
    visible,
)
from bot.jobs.reminders import scheduler_of
from bot.render.charts import bar_chart
from bot.render.commands import CommandSpec, register_command
from bot.render.exports import to_csv, to_xlsx
from handlers.common import (
    Button,
    Context,
    answer_query,
    display_name,
    edit_or_reply,
    refuse_button,
    reply,
    requires_role,
    translator,
)
from handlers.flows import Draft, Flow
from storage import drafts
from storage import surveys as store
from storage.audience import unknown_references
from storage.catalog import pick_text
from storage.models import Event, Member, Question, Role, Survey

log = logging.getLogger(__name__)
DRAFT = "survey"  # which response a member is answering (for typed answers)
POLL_DRAFT = "poll"
POLL_FLOW = Flow(POLL_DRAFT, Draft, role=Role.organizer)  # typed draft: to do
DRAFT_GROUP = -3
SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")
TICK_SECONDS = 5.0

register_command(CommandSpec("survey", N_("Surveys you can answer")))
register_command(CommandSpec("newsurvey", N_("A quick one-question poll"), Role.organizer))
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


# ------------------------------------------------------------------ invitations
def render_invite(
    member: Member, survey: Survey, kind: str, now: datetime, default: str = "es"
) -> dict[str, Any]:
    tr = Translator(member.language)
    title = html.escape(pick_text(survey.title, tr.language, default))
    lines = [
        tr("⏰ Reminder: <b>{title}</b> is waiting for your answers.", title=title)
        if kind == "nudge"
        else tr("📋 <b>{title}</b>", title=title)
    ]
    intro = pick_text(survey.intro, tr.language, default)
    if intro and kind != "nudge":
        lines.append(html.escape(intro))
    if survey.closes_at is not None:
        lines.append(
            tr(
                "Open until {when}.",
                when=format_local_datetime(survey.closes_at, member.timezone, tr.language),
            )
        )
    if survey.respondent == "institution":
        lines.append(
            tr("One answer per institution: any focal point of yours can answer or update it.")
        )
    data = f"sv:go:{survey.id}"
    buttons = [[[tr("▶ Answer"), data]]] if len(data) <= 64 else []
    if not buttons:
        lines.append(tr("Send /survey to answer."))
    return {"parts": ["\n".join(lines)], "parse_mode": "HTML", "buttons": buttons}


def _invite_renderer(svc: Services) -> Any:
    default = svc.settings.default_language
    return lambda m, s, kind, now: render_invite(m, s, kind, now, default)


# ------------------------------------------------------------------ members: /survey
async def survey_command(update: Update, context: Context) -> None:
    svc = get_services(context)
    member, tr = await translator(update, context)
    found = await store.surveys_for(svc.db, member, svc.now())
    if not found:
        await reply(update, context, tr("There is no survey for you to answer right now."))
        return
    default = svc.settings.default_language
    lines = [tr("<b>Your surveys</b>")]
    rows: list[list[Button]] = []
    for item in found:
        title = pick_text(item.survey.title, tr.language, default)
        if item.response is not None and item.response.status == "submitted":
            state = tr("answered ✅ — you can review and change it")
        elif item.answers:
            done, total = answered_of(item.questions, item.answers)
            state = tr("{done} of {total} answered", done=done, total=total)
        else:
            state = tr("not started")
        when = (
            format_local_datetime(item.survey.closes_at, member.timezone, tr.language)
            if item.survey.closes_at
            else "—"
        )
        lines.append(
            f"• <b>{html.escape(title)}</b>: {state}\n  " + tr("Open until {when}.", when=when)
        )
        data = f"sv:go:{item.survey.id}"
        if len(data) <= 64:
            rows.append([(title if len(title) <= 40 else title[:39] + "…", data)])
    await reply(update, context, "\n".join(lines), buttons=rows)


async def _closed(
    update: Update, context: Context, survey: Survey, member: Member, tr: Translator
) -> None:
    when = (
        format_local_datetime(survey.closes_at, member.timezone, tr.language)
        if survey.closes_at
        else "—"
    )
    text = (
        tr("This survey closed on {when}; answers are no longer accepted.", when=when)
        if survey.closes_at and survey.status != "draft"
        else tr("This survey is not open for answers.")
    )
    if update.callback_query is not None:
        await answer_query(update, text, alert=True)
    else:
        await reply(update, context, text)


async def go_button(update: Update, context: Context) -> None:
    """``sv:go:<survey>``: start or continue answering."""
    svc = get_services(context)
    member, tr = await translator(update, context)
    data = update.callback_query.data if update.callback_query else ""
    survey_id = (data or "")[6:]
    found = await store.get_survey(svc.db, survey_id) if SLUG.match(survey_id) else None
    if found is None:
        await refuse_button(update, context, "unknown survey")
        return
    survey, _ = found
    if not store.is_open(survey, svc.now()):
        await _closed(update, context, survey, member, tr)
        return
    async with svc.db.session() as session:
        allowed = await store.in_audience(session, survey, member.user_id)
    if not allowed:
        await refuse_button(update, context, "survey not for this member")
        return
    if store.respondent_key(survey, member) is None:
        await answer_query(update)
        await reply(
            update,
            context,
            tr(
                "This survey takes one answer per institution. Tell me yours first with "
                "/institution, then press Answer again."
            ),
        )
        return
    await answer_query(update)
    response = await store.start_response(svc.db, survey, member, svc.now())
    assert response.id is not None
    await drafts.save_draft(svc.db, DRAFT, member.user_id, {"response": response.id})
    state = await store.response_state(svc.db, response.id)
    assert state is not None
    default = svc.settings.default_language
    if not state.answers:
        intro = pick_text(survey.intro, tr.language, default)
        title = html.escape(pick_text(survey.title, tr.language, default))
        await reply(
            update, context, f"<b>{title}</b>" + (f"\n{html.escape(intro)}" if intro else "")
        )
    elif survey.respondent == "institution" and any(
        by != member.user_id for by, _ in state.answered_by.values()
    ):
        others = {by for by, _ in state.answered_by.values() if by and by != member.user_id}
        names = await _names(svc, others)
        await reply(
            update,
            context,
            tr(
                "Your institution already has {n} answers (by {names}). You can review and "
                "change them.",
                n=len(state.answers),
                names=html.escape(", ".join(names)),
            ),
        )
    current = _current_index(state)
    if current is None or state.response.status == "submitted":
        await _show_summary(update, context, state, member, tr, edit=False)
    else:
        await _show_question(update, context, state, current, member, tr, edit=False)


async def _names(svc: Services, ids: set[int]) -> list[str]:
    from storage.members import get_member

    names = []
    for user_id in sorted(ids):
        person = await get_member(svc.db, user_id)
        names.append(display_name(person) if person else "?")
    return names


def _current_index(state: store.ResponseState) -> int | None:
    """Where to go on: the saved position, else the first unanswered askable question."""
    ids = [q.id for q in state.questions]
    current = state.response.current_question
    if current in ids and visible(state.questions[ids.index(current)], state.answers):
        return ids.index(current)
    for index, question in enumerate(state.questions):
        if visible(question, state.answers) and question.id not in state.answers:
            return index
    return None


def _question_view(
    state: store.ResponseState, index: int, member: Member, tr: Translator, default: str
) -> tuple[str, list[list[Button]]]:
    question = state.questions[index]
    rid = state.response.id
    position, total = progress(state.questions, state.answers, index)
    text = pick_text(question.text, tr.language, default)
    lines = [f"<b>({position}/{total})</b> {html.escape(text)}"]
    value = state.answers.get(question.id)
    rows: list[list[Button]] = []
    if question.kind == "single":
        rows = [
            [
                (
                    ("🔘 " if value == o["id"] else "")
                    + option_label(question, o["id"], tr.language, default),
                    f"sv:a:{rid}:{index}:{i}",
                )
            ]
            for i, o in enumerate(question.options or [])
        ]
    elif question.kind == "multiple":
        chosen = set(value or [])
        rows = [
            [
                (
                    ("✅ " if o["id"] in chosen else "▫️ ")
                    + option_label(question, o["id"], tr.language, default),
                    f"sv:t:{rid}:{index}:{i}",
                )
            ]
            for i, o in enumerate(question.options or [])
        ]
        rows.append([(tr("Done ▶"), f"sv:d:{rid}:{index}")])
        lines.append(tr("Choose all that apply, then press Done."))
    elif question.kind == "scale":
        steps = scale_values(question)
        rows = [
            [
                (("🔘" if value == n else "") + str(n), f"sv:a:{rid}:{index}:{i}")
                for i, n in enumerate(steps)
            ]
        ]
        lines.append(tr("From {low} (lowest) to {high} (highest).", low=steps[0], high=steps[-1]))
    elif question.kind == "yesno":
        rows = [
            [
                (("🔘 " if value == "yes" else "") + tr("Yes"), f"sv:a:{rid}:{index}:0"),
                (("🔘 " if value == "no" else "") + tr("No"), f"sv:a:{rid}:{index}:1"),
            ]
        ]
    else:
        lines.append(_typed_hint(question, tr))
        if value is not None:
            lines.append(
                tr(
                    "Current answer: {answer}",
                    answer=html.escape(answer_text(question, value, tr, default)),
                )
            )
    if question.id in state.answered_by and state.survey.respondent == "institution":
        by, at = state.answered_by[question.id]
        if by is not None and by != member.user_id:
            lines.append(
                tr(
                    "(answered by another focal point on {when})",
                    when=format_local_datetime(at, member.timezone, tr.language, "short"),
                )
            )
    nav: list[Button] = []
    if previous_index(state.questions, state.answers, index) is not None:
        nav.append((tr("◀ Back"), f"sv:b:{rid}:{index}"))
    if question.kind in TYPED_KINDS and value is not None:
        nav.append((tr("Keep ▶"), f"sv:k:{rid}:{index}"))
    elif not question.required:
        nav.append((tr("Skip ▶"), f"sv:s:{rid}:{index}"))
    if nav:
        rows.append(nav)
    return "\n".join(lines), rows


def _typed_hint(question: Question, tr: Translator) -> str:
    if question.kind == "number":
        unit = f" {question.unit}" if question.unit else ""
        if question.min_value is not None and question.max_value is not None:
            return tr(
                "Write a number between {low} and {high}{unit}.",
                low=format_number(question.min_value, tr.language),
                high=format_number(question.max_value, tr.language),
                unit=unit,
            )
        return tr("Write a number.")
    if question.kind == "date":
        return tr("Write a date such as 2026-12-03.")
    return tr(
        "Write your answer (at most {n} characters).",
        n=format_number(question.max_length or 1000, tr.language),
    )


async def _show_question(
    update: Update,
    context: Context,
    state: store.ResponseState,
    index: int,
    member: Member,
    tr: Translator,
    *,
    edit: bool,
    saved: bool = False,
) -> None:
    """Show a question; unless ``saved`` (stored with the last answer), remember it as
    where the member is."""
    svc = get_services(context)
    assert state.response.id is not None
    if not saved:
        await store.set_current(svc.db, state.response.id, state.questions[index].id, svc.now())
    text, rows = _question_view(state, index, member, tr, svc.settings.default_language)
    if edit:
        await edit_or_reply(update, context, text, buttons=rows)
    else:
        await reply(update, context, text, buttons=rows)


async def _show_summary(
    update: Update,
    context: Context,
    state: store.ResponseState,
    member: Member,
    tr: Translator,
    *,
    edit: bool,
) -> None:
    svc = get_services(context)
    default = svc.settings.default_language
    rid = state.response.id
    title = html.escape(pick_text(state.survey.title, tr.language, default))
    lines = [tr("<b>{title}</b> — your answers:", title=title)]
    rows: list[list[Button]] = []
    edit_buttons: list[Button] = []
    missing = missing_required(state.questions, state.answers)
    for index, question in enumerate(state.questions):
        if not visible(question, state.answers):
            continue
        number = len(edit_buttons) + 1
        text = pick_text(question.text, tr.language, default)
        answer = answer_text(question, state.answers.get(question.id), tr, default)
        flag = " ⚠️" if index in missing else ""
        lines.append(f"{number}. {html.escape(text)}\n   → <i>{html.escape(answer)}</i>{flag}")
        edit_buttons.append((f"✏️ {number}", f"sv:e:{rid}:{index}"))
    rows += [edit_buttons[i : i + 5] for i in range(0, len(edit_buttons), 5)]
    if state.response.status == "submitted":
        lines.append(tr("✅ Sent. You can change any answer until the survey closes."))
    elif missing:
        lines.append(tr("⚠️ Some required questions have no answer yet."))
    rows.append(
        [
            (
                tr("✅ Send answers")
                if state.response.status != "submitted"
                else tr("✅ Save changes"),
                f"sv:ok:{rid}",
            )
        ]
    )
    if edit:
        await edit_or_reply(update, context, "\n".join(lines), buttons=rows)
    else:
        await reply(update, context, "\n".join(lines), buttons=rows)


# ------------------------------------------------------------------ answering
async def answer_button(update: Update, context: Context) -> None:
    """``sv:<a|t|d|s|k|b|e|ok>:<response>[:<question>[:<choice>]]``"""
    svc = get_services(context)
    member, tr = await translator(update, context)
    data = update.callback_query.data if update.callback_query else ""
    parts = (data or "").split(":")
    if (
        len(parts) < 3
        or parts[1] not in ("a", "t", "d", "s", "k", "b", "e", "ok")
        or not parts[2].isdigit()
        or not all(p.isdigit() for p in parts[3:])
        or len(parts) > 5
    ):
        await refuse_button(update, context, "malformed survey data")
        return
    action, rid = parts[1], int(parts[2])
    state = await store.response_state(svc.db, rid)
    if state is None or not await store.may_answer(svc.db, state.response, member):
        await refuse_button(update, context, "survey response of someone else")
        return
    if not store.is_open(state.survey, svc.now()):
        await _closed(update, context, state.survey, member, tr)
        return
    await _point_at(svc, member, rid)
    if action == "ok":
        await _submit(update, context, state, member, tr)
        return
    index = int(parts[3]) if len(parts) > 3 else -1
    if not 0 <= index < len(state.questions) or not visible(state.questions[index], state.answers):
        await refuse_button(update, context, "survey question not askable")
        return
    question = state.questions[index]
    choice = int(parts[4]) if len(parts) > 4 else None
    if action in ("e", "b"):
        await answer_query(update)
        target = index if action == "e" else previous_index(state.questions, state.answers, index)
        await _show_question(
            update, context, state, target if target is not None else index, member, tr, edit=True
        )
        return
    if action in ("s", "k"):
        if action == "s" and question.required:
            await refuse_button(update, context, "skip of a required question")
            return
        await answer_query(update)
        value = None if action == "s" else state.answers.get(question.id)
        await _store_and_go_on(update, context, state, index, value, member, tr, edit=True)
        return
    if action == "d":
        if question.kind != "multiple":
            await refuse_button(update, context, "done on a question that is not multiple")
            return
        if question.required and not state.answers.get(question.id):
            await answer_query(update, tr("Choose at least one option."), alert=True)
            return
        await answer_query(update)
        await _go_on(update, context, state, index, member, tr, edit=True)
        return
    value = _choice_value(question, action, choice, state.answers.get(question.id))
    if value is None:
        await refuse_button(update, context, "survey choice that does not exist")
        return
    await answer_query(update)
    if action == "t":  # a toggle: save, and show the same question again
        dropped = _dropped(state, question.id, value)
        problem = await store.save_answer(
            svc.db,
            rid,
            question.id,
            value or None,
            member_id=member.user_id,
            now=svc.now(),
            current=question.id,
            drop=dropped,
        )
        if problem:
            await _closed(update, context, state.survey, member, tr)
            return
        if value:
            state.answers[question.id] = value
        else:
            state.answers.pop(question.id, None)
        for hidden in dropped:
            state.answers.pop(hidden, None)
        await _show_question(update, context, state, index, member, tr, edit=True, saved=True)
        return
    await _store_and_go_on(update, context, state, index, value, member, tr, edit=True)


async def _point_at(svc: Services, member: Member, response_id: int) -> None:
    """Remember which response the member is answering (for typed answers); written only
    when it changes."""
    pointer = await drafts.get_draft(svc.db, DRAFT, member.user_id)
    if not pointer or pointer.get("response") != response_id:
        await drafts.save_draft(svc.db, DRAFT, member.user_id, {"response": response_id})


def _choice_value(question: Question, action: str, choice: int | None, current: Any) -> Any:
    """The answer a button stands for; None when the button cannot exist."""
    if choice is None:
        return None
    if action == "a":
        if question.kind == "single" and 0 <= choice < len(question.options or []):
            return (question.options or [])[choice]["id"]
        if question.kind == "scale" and 0 <= choice < len(scale_values(question)):
            return scale_values(question)[choice]
        if question.kind == "yesno" and choice in (0, 1):
            return "yes" if choice == 0 else "no"
        return None
    if action == "t" and question.kind == "multiple" and 0 <= choice < len(question.options or []):
        option = (question.options or [])[choice]["id"]
        chosen = list(current or [])
        return [o for o in chosen if o != option] if option in chosen else [*chosen, option]
    return None


def _dropped(state: store.ResponseState, question_id: str, value: Any) -> list[str]:
    answers = {**state.answers, question_id: value}
    if value is None or value == []:
        answers.pop(question_id, None)
    return prune_hidden(state.questions, answers)


async def _store_and_go_on(
    update: Update,
    context: Context,
    state: store.ResponseState,
    index: int,
    value: Any,
    member: Member,
    tr: Translator,
    *,
    edit: bool,
) -> None:
    svc = get_services(context)
    question = state.questions[index]
    assert state.response.id is not None
    dropped = _dropped(state, question.id, value)
    # The answer and where the member goes next, in one write; the state stays in memory.
    if value is None or value == []:
        state.answers.pop(question.id, None)
    else:
        state.answers[question.id] = value
        state.answered_by[question.id] = (member.user_id, svc.now())
    for hidden in dropped:
        state.answers.pop(hidden, None)
    following = next_index(state.questions, state.answers, index + 1)
    going_on = state.response.status != "submitted" and following is not None
    problem = await store.save_answer(
        svc.db,
        state.response.id,
        question.id,
        value,
        member_id=member.user_id,
        now=svc.now(),
        current=state.questions[following].id if going_on and following is not None else None,
        drop=dropped,
    )
    if problem:
        await _closed(update, context, state.survey, member, tr)
        return
    if going_on and following is not None:
        await _show_question(update, context, state, following, member, tr, edit=edit, saved=True)
    else:
        await _show_summary(update, context, state, member, tr, edit=edit)


async def _go_on(
    update: Update,
    context: Context,
    state: store.ResponseState,
    index: int,
    member: Member,
    tr: Translator,
    *,
    edit: bool,
) -> None:
    following = next_index(state.questions, state.answers, index + 1)
    if state.response.status == "submitted" or following is None:
        await _show_summary(update, context, state, member, tr, edit=edit)
    else:
        await _show_question(update, context, state, following, member, tr, edit=edit)


async def _submit(
    update: Update, context: Context, state: store.ResponseState, member: Member, tr: Translator
) -> None:
    svc = get_services(context)
    missing = missing_required(state.questions, state.answers)
    if missing:
        await answer_query(update, tr("Some required questions have no answer yet."), alert=True)
        await _show_question(update, context, state, missing[0], member, tr, edit=False)
        return
    assert state.response.id is not None
    problem = await store.submit(svc.db, state.response.id, svc.now())
    if problem:
        await _closed(update, context, state.survey, member, tr)
        return
    await answer_query(update)
    await drafts.delete_draft(svc.db, DRAFT, member.user_id)
    when = (
        format_local_datetime(state.survey.closes_at, member.timezone, tr.language)
        if state.survey.closes_at
        else None
    )
    text = tr("🙏 Thank you! Your answers were saved.")
    if when:
        text += "\n" + tr("You can change them until {when} with /survey.", when=when)
    await edit_or_reply(update, context, text)


async def typed_answer(update: Update, context: Context) -> None:
    """A typed answer to the number, date or text question a member is on; otherwise the
    text is not ours (it may be a question for the answerer)."""
    message = update.effective_message
    if message is None or not message.text or update.effective_user is None:
        return
    svc = get_services(context)
    member, tr = await translator(update, context)
    pointer = await drafts.get_draft(svc.db, DRAFT, member.user_id)
    if not pointer:
        return
    state = await store.response_state(svc.db, int(pointer.get("response", 0)))
    if state is None or not await store.may_answer(svc.db, state.response, member):
        return
    ids = [q.id for q in state.questions]
    current = state.response.current_question
    if current not in ids:
        return
    index = ids.index(current)
    question = state.questions[index]
    if question.kind not in TYPED_KINDS or not visible(question, state.answers):
        return
    if not store.is_open(state.survey, svc.now()):
        await _closed(update, context, state.survey, member, tr)
        raise ApplicationHandlerStop
    parsed = parse_typed(question, message.text, tr)
    if parsed.problem is not None:
        log.info("refused typed survey answer from %s: %s", member.user_id, question.kind)
        await reply(update, context, parsed.problem)
        raise ApplicationHandlerStop
    await _store_and_go_on(update, context, state, index, parsed.value, member, tr, edit=False)
    raise ApplicationHandlerStop


# ------------------------------------------------------------------ organizers
async def _survey_from_args(
    update: Update, context: Context, tr: Translator, usage: str
) -> tuple[Survey, list[Question]] | None:
    svc = get_services(context)
    if not context.args:
        surveys = await store.list_surveys(svc.db)
        lines = [tr("Usage: {command} SURVEY. Surveys:", command=usage)]
        lines += [
            f"• <code>{s.id}</code> — {html.escape(pick_text(s.title, tr.language, svc.settings.default_language))} ({s.status})"  # noqa: E501
            for s in surveys[:30]
        ]
        await reply(update, context, "\n".join(lines))
        return None
    survey_id = context.args[0].lower()[:64]
    found = await store.get_survey(svc.db, survey_id) if SLUG.match(survey_id) else None
    if found is None:
        await reply(update, context, tr("There is no survey “{id}”.", id=html.escape(survey_id)))
    return found


@requires_role(Role.organizer)
async def launch_command(update: Update, context: Context) -> None:
    svc = get_services(context)
    member, tr = await translator(update, context)
    found = await _survey_from_args(update, context, tr, "/launch")
    if found is None:
        return
    survey, _ = found
    outcome = await store.launch(
        svc.db,
        survey.id,
        svc.now(),
        _invite_renderer(svc),
        actor_id=member.user_id,
        actor_name=display_name(member),
    )
    if outcome == "closed":
        await reply(update, context, tr("That survey has already closed."))
        return
    if svc.delivery is not None:
        svc.delivery.wake()
    await reply(
        update,
        context,
        tr.ngettext(
            "Survey open: {n} member invited.", "Survey open: {n} members invited.", int(outcome)
        ),
    )


@requires_role(Role.organizer)
async def nudge_command(update: Update, context: Context) -> None:
    svc = get_services(context)
    member, tr = await translator(update, context)
    found = await _survey_from_args(update, context, tr, "/nudge")
    if found is None:
        return
    outcome = await store.nudge(
        svc.db,
        found[0].id,
        svc.now(),
        _invite_renderer(svc),
        tag=svc.now().strftime("%Y%m%d%H%M"),
        actor_id=member.user_id,
    )
    if outcome == "closed":
        await reply(update, context, tr("That survey is not open."))
        return
    if svc.delivery is not None:
        svc.delivery.wake()
    await reply(
        update,
        context,
        tr.ngettext(
            "Reminder queued for {n} member.", "Reminder queued for {n} members.", int(outcome)
        ),
    )


def _rate(responded: int, invited: int, tr: Translator) -> str:
    share = format_pct(responded / invited, tr.language) if invited else "—"
    return (
        f"{format_number(responded, tr.language)}/{format_number(invited, tr.language)} ({share})"
    )


@requires_role(Role.organizer)
async def results_command(update: Update, context: Context) -> None:
    svc = get_services(context)
    _, tr = await translator(update, context)
    found = await _survey_from_args(update, context, tr, "/results")
    if found is None:
        return
    result = await store.results(svc.db, found[0].id)
    assert result is not None
    default = svc.settings.default_language
    from bot.core.i18n import country_name

    title = html.escape(pick_text(result.survey.title, tr.language, default))
    unit = tr("institutions") if result.survey.respondent == "institution" else tr("members")
    lines = [
        f"📊 <b>{title}</b>",
        tr(
            "Response rate: {rate} {unit}",
            rate=_rate(result.submitted, result.invited, tr),
            unit=unit,
        ),
        tr("In progress: {n}", n=format_number(result.in_progress, tr.language)),
        "",
        tr("<b>By country</b>"),
        *[
            f"{html.escape(country_name(c, tr.language) if c != '-' else '—')}: {_rate(r, i, tr)}"
            for c, (r, i) in result.by_country.items()
        ],
        "",
        tr("<b>By institution</b>"),
        *[
            f"{html.escape(name)}: {_rate(r, i, tr)}"
            for name, (r, i) in list(result.by_institution.items())[:25]
        ],
    ]
    charts: list[tuple[bytes, str]] = []
    for number, item in enumerate(result.per_question, start=1):
        question = item.question
        text = pick_text(question.text, tr.language, default)
        lines += [
            "",
            f"<b>{number}. {html.escape(text)}</b> "
            + tr("({n} answers)", n=format_number(item.answered, tr.language)),
        ]
        if question.kind in ("single", "multiple", "yesno", "scale"):
            keys = _chart_keys(question)
            labels = [_key_label(question, k, tr, default) for k in keys]
            counts = [item.counts.get(k, 0) for k in keys]
            for label, count in zip(labels, counts, strict=True):
                share = format_pct(count / item.answered, tr.language) if item.answered else "—"
                lines.append(
                    f"   {html.escape(label)}: {format_number(count, tr.language)} ({share})"
                )
            if item.answered:
                png, _ = bar_chart(text, labels, counts, axis_label=tr("answers"))
                charts.append((png, f"{number}. {text}"[:1000]))
        if item.numbers:
            lines.append(
                "   "
                + tr(
                    "mean {mean} · median {median}",
                    mean=format_number(round(statistics.mean(item.numbers), 2), tr.language),
                    median=format_number(statistics.median(item.numbers), tr.language),
                )
            )
        recent_distinct = list(dict.fromkeys(reversed(item.texts)))[:3]
        for sample in reversed(recent_distinct):
            lines.append(f"   “{html.escape(sample[:200])}”")
    await reply(update, context, "\n".join(lines))
    chat = update.effective_chat
    assert chat is not None
    for png, caption in charts:
        await context.bot.send_photo(chat.id, InputFile(png, filename="chart.png"), caption=caption)


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


@requires_role(Role.organizer)
async def export_command(update: Update, context: Context) -> None:
    svc = get_services(context)
    _, tr = await translator(update, context)
    found = await _survey_from_args(update, context, tr, "/export")
    if found is None:
        return
    survey = found[0]
    questions, rows = await store.export_rows(svc.db, survey.id)
    default = svc.settings.default_language
    chat = update.effective_chat
    assert chat is not None
    title = pick_text(survey.title, tr.language, default)
    await context.bot.send_document(
        chat.id,
        InputFile(to_csv(questions, rows, tr, default), filename=f"{survey.id}.csv"),
        caption=tr("{n} responses", n=format_number(len(rows), tr.language)),
    )
    await context.bot.send_document(
        chat.id,
        InputFile(to_xlsx(questions, rows, tr, default, title), filename=f"{survey.id}.xlsx"),
    )


# ------------------------------------------------------------------ /newsurvey (quick poll)
POLL_KINDS = ("single", "multiple", "yesno", "scale")


@requires_role(Role.organizer)
async def newsurvey_command(update: Update, context: Context) -> None:
    member, tr = await translator(update, context)
    await drafts.save_draft(
        get_services(context).db,
        POLL_DRAFT,
        member.user_id,
        {"step": "text", "language": member.language},
    )
    await reply(
        update,
        context,
        tr(
            "<b>Quick poll</b>\nSend the question, for example “Which date suits you for the next "
            "videoconference?”"
        ),
        buttons=[[(tr("Cancel"), "np:cancel")]],
    )


async def poll_input(update: Update, context: Context) -> None:
    message = update.effective_message
    if message is None or not message.text or update.effective_user is None:
        return
    svc = get_services(context)
    member, tr = await translator(update, context)
    if Role(member.role).rank < Role.organizer.rank:
        return
    draft = await drafts.get_draft(svc.db, POLL_DRAFT, member.user_id)
    if draft is None:
        return
    text = message.text.strip()
    step = draft["step"]
    if step == "text":
        if not 5 <= len(text) <= 300:
            await reply(update, context, tr("A question has 5 to 300 characters."))
            raise ApplicationHandlerStop
        draft.update(text=text, step="kind")
        await drafts.save_draft(svc.db, POLL_DRAFT, member.user_id, draft)
        await reply(
            update,
            context,
            tr("What kind of answer?"),
            buttons=[
                [(tr("One choice"), "np:kind:single"), (tr("Several choices"), "np:kind:multiple")],
                [(tr("Yes / no"), "np:kind:yesno"), (tr("Scale 1-5"), "np:kind:scale")],
                [(tr("Cancel"), "np:cancel")],
            ],
        )
    elif step == "options":
        options = [line.strip(" -•\t") for line in text.splitlines() if line.strip(" -•\t")]
        if not 2 <= len(options) <= 10 or any(len(o) > 80 for o in options):
            await reply(
                update, context, tr("Send 2 to 10 options, one per line, each under 80 characters.")
            )
            raise ApplicationHandlerStop
        draft.update(options=options, step="closes")
        await drafts.save_draft(svc.db, POLL_DRAFT, member.user_id, draft)
        await _ask_closes(update, context, tr)
    elif step == "closes":
        day = None
        for pattern in ("%Y-%m-%d", "%d/%m/%Y"):
            try:
                day = datetime.strptime(text, pattern).date()
            except ValueError:
                continue
        today = svc.now().astimezone(ZoneInfo(member.timezone)).date()
        if day is None or not today < day <= today + timedelta(days=180):
            await reply(
                update,
                context,
                tr("Write a closing date in the next six months, such as 2026-12-03."),
            )
            raise ApplicationHandlerStop
        draft.update(closes=day.isoformat(), step="audience")
        await drafts.save_draft(svc.db, POLL_DRAFT, member.user_id, draft)
        await _ask_audience(update, context, tr)
    elif step == "audience":
        try:
            selectors = parse_selectors(text)
        except AudienceError as exc:
            await reply(
                update,
                context,
                tr(
                    "I don't understand “{selector}”. Use all, country:UY, institution:ID, "
                    "language:es, role:organizer or event:ID, separated by commas.",
                    selector=html.escape(exc.selector[:60]),
                ),
            )
            raise ApplicationHandlerStop from None
        missing = await unknown_references(svc.db, selectors)
        if missing:
            await reply(
                update,
                context,
                tr("These do not exist: {items}", items=html.escape(", ".join(missing))),
            )
            raise ApplicationHandlerStop
        draft.update(audience=selectors, step="confirm")
        await drafts.save_draft(svc.db, POLL_DRAFT, member.user_id, draft)
        await _poll_preview(update, context, draft, member, tr)
    else:
        await reply(update, context, tr("Please use the buttons of the last message, or /cancel."))
    raise ApplicationHandlerStop


async def _ask_closes(update: Update, context: Context, tr: Translator) -> None:
    await reply(
        update,
        context,
        tr("When does it close? Press a button or write a date."),
        buttons=[
            [
                (tr("In 1 day"), "np:close:1"),
                (tr("In 3 days"), "np:close:3"),
                (tr("In a week"), "np:close:7"),
            ],
            [(tr("Cancel"), "np:cancel")],
        ],
    )


async def _ask_audience(update: Update, context: Context, tr: Translator) -> None:
    await reply(
        update,
        context,
        tr(
            "Who should answer? Press Everyone, or type selectors such as "
            "<code>country:UY, language:es</code>."
        ),
        buttons=[[(tr("Everyone"), "np:aud")], [(tr("Cancel"), "np:cancel")]],
    )


async def _poll_preview(
    update: Update, context: Context, draft: dict[str, Any], member: Member, tr: Translator
) -> None:
    lines = [tr("<b>Check the poll</b>"), html.escape(draft["text"])]
    lines += [f"• {html.escape(o)}" for o in draft.get("options") or []]
    lines.append(tr("Closes: {day}", day=draft["closes"]))
    audience = tr("everyone") if draft["audience"] == ["all"] else ", ".join(draft["audience"])
    lines.append(tr("Audience: {audience}", audience=html.escape(audience)))
    await reply(
        update,
        context,
        "\n".join(lines),
        buttons=[[(tr("✅ Send the poll"), "np:send"), (tr("Cancel"), "np:cancel")]],
    )


@requires_role(Role.organizer)
async def poll_button(update: Update, context: Context) -> None:
    svc = get_services(context)
    member, tr = await translator(update, context)
    data = update.callback_query.data if update.callback_query else ""
    parts = (data or "").split(":")
    draft = await drafts.get_draft(svc.db, POLL_DRAFT, member.user_id)
    if draft is None:
        await refuse_button(update, context, "no poll draft")
        return
    action = parts[1] if len(parts) > 1 else ""
    if action == "cancel":
        await answer_query(update)
        await drafts.delete_draft(svc.db, POLL_DRAFT, member.user_id)
        await edit_or_reply(update, context, tr("Cancelled. Nothing was sent."))
        return
    if action == "kind" and draft["step"] == "kind" and len(parts) == 3 and parts[2] in POLL_KINDS:
        await answer_query(update)
        draft["kind"] = parts[2]
        draft["step"] = "options" if parts[2] in ("single", "multiple") else "closes"
        await drafts.save_draft(svc.db, POLL_DRAFT, member.user_id, draft)
        if draft["step"] == "options":
            await reply(update, context, tr("Send the options, one per line."))
        else:
            await _ask_closes(update, context, tr)
        return
    if (
        action == "close"
        and draft["step"] == "closes"
        and len(parts) == 3
        and parts[2] in ("1", "3", "7")
    ):
        await answer_query(update)
        today = svc.now().astimezone(ZoneInfo(member.timezone)).date()
        draft.update(closes=(today + timedelta(days=int(parts[2]))).isoformat(), step="audience")
        await drafts.save_draft(svc.db, POLL_DRAFT, member.user_id, draft)
        await _ask_audience(update, context, tr)
        return
    if action == "aud" and draft["step"] == "audience":
        await answer_query(update)
        draft.update(audience=["all"], step="confirm")
        await drafts.save_draft(svc.db, POLL_DRAFT, member.user_id, draft)
        await _poll_preview(update, context, draft, member, tr)
        return
    if action == "send" and draft["step"] == "confirm":
        await answer_query(update)
        await _create_poll(update, context, draft, member, tr)
        return
    await refuse_button(update, context, "poll step does not fit")


async def _create_poll(
    update: Update, context: Context, draft: dict[str, Any], member: Member, tr: Translator
) -> None:
    svc = get_services(context)
    now = svc.now()
    language = draft["language"]
    zone = member.timezone
    closes = datetime.combine(date.fromisoformat(draft["closes"]), time(23, 59)).replace(
        tzinfo=ZoneInfo(zone)
    )
    survey_id = f"poll-{now.strftime('%Y%m%d-%H%M%S')}"
    survey = Survey(
        id=survey_id,
        title={language: draft["text"][:300]},
        respondent="member",
        audience=draft["audience"],
        opens_at=now,
        closes_at=closes,
        timezone=zone,
        status="draft",
        created_by=member.user_id,
        updated_at=now,
    )
    kind = draft["kind"]
    options = [
        {"id": f"o{i + 1}", "text": {language: text}}
        for i, text in enumerate(draft.get("options") or [])
    ]
    question = Question(
        survey_id=survey_id,
        id="q1",
        position=0,
        kind=kind,
        text={language: draft["text"][:1000]},
        options=options or None,
        min_value=1 if kind == "scale" else None,
        max_value=5 if kind == "scale" else None,
        required=True,
    )
    await store.create_survey(
        svc.db, survey, [question], actor_id=member.user_id, actor_name=display_name(member)
    )
    invited = await store.launch(
        svc.db,
        survey_id,
        now,
        _invite_renderer(svc),
        actor_id=member.user_id,
        actor_name=display_name(member),
    )
    await drafts.delete_draft(svc.db, POLL_DRAFT, member.user_id)
    if svc.delivery is not None:
        svc.delivery.wake()
    await reply(
        update,
        context,
        tr.ngettext(
            "Poll sent to {n} member. See the answers with /results {id}.",
            "Poll sent to {n} members. See the answers with /results {id}.",
            int(invited),
            id=survey_id,
        ),
    )


# ------------------------------------------------------------------ background work
async def survey_tick(context: CallbackContext[Any, Any, Any, Any]) -> None:
    """Close surveys whose time is up; send each one's automatic reminder once."""
    svc = services_of(context.application)
    now = svc.now()
    try:
        for survey_id in await store.close_due(svc.db, now):
            log.info("survey %s closed", survey_id)
        woke = False
        for survey_id in await store.claim_due_nudges(svc.db, now):
            sent = await store.nudge(svc.db, survey_id, now, _invite_renderer(svc), tag="auto")
            log.info("survey %s: automatic reminder to %s", survey_id, sent)
            woke = woke or (isinstance(sent, int) and sent > 0)
        if woke and svc.delivery is not None:
            svc.delivery.wake()
    except Exception:
        log.exception("survey tick failed; the next one retries")


async def invite_to_feedback(svc: Services, event: Event, now: datetime) -> int:
    """After an event: its attendees get its feedback survey."""
    from storage.reminders import attendance

    attending = [m.user_id for m, r in await attendance(svc.db, event.id) if r.status == "yes"]
    if not event.feedback_survey_id:
        return 0
    return await store.invite_members(
        svc.db,
        event.feedback_survey_id,
        attending,
        now,
        _invite_renderer(svc),
        tag=f"feedback-{event.id}",
    )


async def start_survey_jobs(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
    scheduler_of(application).feedback_hook = invite_to_feedback
    if application.job_queue is not None:
        application.job_queue.run_repeating(
            survey_tick, interval=TICK_SECONDS, first=1.0, name="surveys"
        )


def register(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
    private = filters.ChatType.PRIVATE
    text = private & filters.TEXT & ~filters.COMMAND
    application.add_handler(MessageHandler(text, typed_answer), group=DRAFT_GROUP)
    application.add_handler(MessageHandler(text, poll_input), group=DRAFT_GROUP - 1)
    application.add_handler(CallbackQueryHandler(go_button, pattern=r"^sv:go:"))
    application.add_handler(CallbackQueryHandler(answer_button, pattern=r"^sv:"))
    application.add_handler(CallbackQueryHandler(poll_button, pattern=r"^np:"))
    application.add_handler(CommandHandler("survey", survey_command, filters=private))
    application.add_handler(CommandHandler("newsurvey", newsurvey_command, filters=private))
    application.add_handler(CommandHandler("launch", launch_command))
    application.add_handler(CommandHandler("nudge", nudge_command))
    application.add_handler(CommandHandler("results", results_command))
    application.add_handler(CommandHandler("export", export_command))
