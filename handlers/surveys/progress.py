"""Where a member is in a response: showing a question or the summary (and remembering
which, so that typed text goes to the right place), storing an answer and going on.

Which response a member is answering, and whether their screen waits for a typed answer,
is the draft of :data:`SURVEY_FLOW`. The flow router hands the member's text to the typed
answer step only while a number, date or text question is showing, so other text still
reaches the question answerer.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from telegram import Update

from bot.app.context import BotContext
from bot.core.enums import ResponseStatus
from bot.core.i18n import N_
from bot.core.survey_flow import TYPED_KINDS, next_index, prune_hidden, visible
from handlers.common import answer_query, reply, show_screen
from handlers.flows import Draft, Flow
from handlers.surveys.views import (
    View,
    closed_text,
    question_view,
    recorded_note,
    summary_view,
)
from storage import surveys as store
from storage.models import Survey

DRAFT = "survey"  # the stored draft kind: which response a member is answering
TYPED = "typed"  # a number, date or text question is showing: text is the answer
BUTTONS = "buttons"  # a question answered with buttons is showing
SUMMARY = "summary"  # the summary is showing


@dataclass
class SurveyDraft(Draft):
    """The response a member is answering; ``step`` is what their screen waits for."""

    step: str = TYPED  # drafts stored before steps existed served typed answers only
    response: int = 0
    screen: int = 0  # the message showing the response now (0: not known)


OTHER_PAUSED = N_(
    "⏸ The survey you were answering is paused; your answers are kept. Send /survey to go "
    "back to it."
)
SURVEY_FLOW = Flow(
    DRAFT,
    SurveyDraft,
    # each answer is stored as it is given, and answers already sent stay sent
    cancelled=N_("Stopped. The answers you gave are kept: /survey to go on or change them."),
    # another command pauses it: what is typed next is a question again, not an answer
    paused=N_("⏸ Survey paused; your answers are kept. Send /survey to go on."),
    kept_by=("survey",),
)


async def show(
    update: Update,
    ctx: BotContext,
    view: View,
    *,
    edit: bool,
    response: int,
    step: str | None,
) -> None:
    """Show a screen of a response: the pressed message edited, or a new message. The
    response's screen shown before loses its buttons (a typed answer leaves it behind, and a
    tap on it would answer again). The draft remembers the response, the ``step`` and the
    screen, written only when one changes; with no step nothing waits for this response."""
    before = await SURVEY_FLOW.load(ctx)
    same = before is not None and before.response == response
    if before is not None and not same and step is not None and SURVEY_FLOW.waits_for_text(before):
        # another response takes the draft over (a poll opened half-way through a survey)
        await reply(update, ctx, ctx.tr(OTHER_PAUSED))
    text, rows = view
    replacing = before.screen if before is not None and same else 0
    shown = await show_screen(update, ctx, text, buttons=rows, edit=edit, replacing=replacing)
    if step is None:  # another response's draft (a survey half answered) stays
        if same:
            await SURVEY_FLOW.drop(ctx)
        return
    # a screen without buttons has none to take off later
    wanted = SurveyDraft(step=step, response=response, screen=shown if rows else 0)
    if before != wanted:
        await SURVEY_FLOW.save(ctx, wanted)


async def show_question(
    update: Update,
    ctx: BotContext,
    state: store.ResponseState,
    index: int,
    *,
    edit: bool,
    saved: bool = False,
    intro: bool = False,
) -> None:
    """Show a question (under the survey's intro with ``intro``); unless ``saved`` (stored
    with the last answer), remember it as where the member is."""
    svc = ctx.svc
    assert state.response.id is not None
    question = state.questions[index]
    if not saved:
        await store.set_current(svc.db, state.response.id, question.id, svc.now())
    step = TYPED if question.kind in TYPED_KINDS else BUTTONS
    default = svc.settings.default_language
    view = question_view(state, index, ctx.member, ctx.tr, default, intro=intro)
    await show(update, ctx, view, edit=edit, response=state.response.id, step=step)


async def show_summary(
    update: Update, ctx: BotContext, state: store.ResponseState, *, edit: bool
) -> None:
    assert state.response.id is not None
    view = summary_view(state, ctx.tr, ctx.svc.settings.default_language)
    await show(update, ctx, view, edit=edit, response=state.response.id, step=SUMMARY)


async def closed(update: Update, ctx: BotContext, survey: Survey) -> None:
    """Tell the member the survey takes no answers (an alert for a button)."""
    text = closed_text(survey, ctx.member, ctx.tr)
    if update.callback_query is not None:
        await answer_query(update, text, alert=True)
    else:
        await reply(update, ctx, text)


def current_index(state: store.ResponseState) -> int | None:
    """Where to go on: the saved position, else the first unanswered askable question."""
    ids = [q.id for q in state.questions]
    current = state.response.current_question
    if current in ids and visible(state.questions[ids.index(current)], state.answers):
        return ids.index(current)
    for index, question in enumerate(state.questions):
        if visible(question, state.answers) and question.id not in state.answers:
            return index
    return None


async def resume(
    update: Update, ctx: BotContext, state: store.ResponseState, *, intro: bool = False
) -> None:
    """Show where the member goes on (with the survey's intro on a first visit); the
    summary when done or once sent."""
    current = current_index(state)
    if one_question(state) and state.response.status == ResponseStatus.submitted:
        await show_recorded(update, ctx, state, edit=False)
    elif current is None or state.response.status == ResponseStatus.submitted:
        await show_summary(update, ctx, state, edit=False)
    else:
        await show_question(update, ctx, state, current, edit=False, intro=intro)


def following(state: store.ResponseState, index: int) -> int | None:
    """The question after ``index`` to go on to; None for the summary (at the end, and
    always once the answers were sent: a change goes back to the summary)."""
    if state.response.status == ResponseStatus.submitted:
        return None
    return next_index(state.questions, state.answers, index + 1)


async def go_on(
    update: Update, ctx: BotContext, state: store.ResponseState, index: int, *, edit: bool
) -> None:
    """Show what comes after question ``index`` (nothing to store)."""
    after = following(state, index)
    if after is None and one_question(state):
        await submit_at_once(update, ctx, state, edit=edit)
    elif after is None:
        await show_summary(update, ctx, state, edit=edit)
    else:
        await show_question(update, ctx, state, after, edit=edit)


def one_question(state: store.ResponseState) -> bool:
    """A survey of one question (a quick poll): its answer is sent at once, no review."""
    return len(state.questions) == 1


async def submit_at_once(
    update: Update, ctx: BotContext, state: store.ResponseState, *, edit: bool
) -> None:
    """Send the answer of a one-question survey as soon as it is given, then say so."""
    assert state.response.id is not None
    if await store.submit(ctx.svc.db, state.response.id, ctx.svc.now()):
        await closed(update, ctx, state.survey)
        return
    state.response.status = ResponseStatus.submitted
    await show_recorded(update, ctx, state, edit=edit)


async def show_recorded(
    update: Update, ctx: BotContext, state: store.ResponseState, *, edit: bool
) -> None:
    """The question again, with its answer marked and a note that it counts: a button
    question changes with another tap; a typed one through /survey."""
    assert state.response.id is not None
    question = state.questions[0]
    default = ctx.svc.settings.default_language
    note = recorded_note(state.survey, question, ctx.member, ctx.tr)
    view: View = (note, [])
    if question.kind not in TYPED_KINDS:
        text, rows = question_view(state, 0, ctx.member, ctx.tr, default)
        view = (f"{text}\n\n{note}", rows)
    # no step: nothing waits for text, a later message is not an answer
    await show(update, ctx, view, edit=edit, response=state.response.id, step=None)


def dropped(state: store.ResponseState, question_id: str, value: Any) -> list[str]:
    """The answers that this one would hide (their ``show_if`` no longer holds)."""
    answers = {**state.answers, question_id: value}
    if value is None or value == []:
        answers.pop(question_id, None)
    return prune_hidden(state.questions, answers)


def _apply(ctx: BotContext, state: store.ResponseState, question_id: str, value: Any) -> list[str]:
    """Put the member's answer into the state in memory; the answers it hides, dropped."""
    hidden = dropped(state, question_id, value)
    if value is None or value == []:
        state.answers.pop(question_id, None)
    else:
        state.answers[question_id] = value
        state.answered_by[question_id] = (ctx.member.user_id, ctx.svc.now())
    for other in hidden:
        state.answers.pop(other, None)
    return hidden


async def store_and_go_on(
    update: Update,
    ctx: BotContext,
    state: store.ResponseState,
    index: int,
    value: Any,
    *,
    edit: bool,
) -> None:
    """Store the answer to question ``index`` and where the member goes next, in one write
    (the state stays in memory), then show it."""
    svc, member = ctx.svc, ctx.member
    question = state.questions[index]
    assert state.response.id is not None
    hidden = _apply(ctx, state, question.id, value)
    after = following(state, index)
    problem = await store.save_answer(
        svc.db,
        state.response.id,
        question.id,
        value,
        member_id=member.user_id,
        now=svc.now(),
        current=state.questions[after].id if after is not None else None,
        drop=hidden,
    )
    if problem:
        await closed(update, ctx, state.survey)
    elif after is not None:
        await show_question(update, ctx, state, after, edit=edit, saved=True)
    elif one_question(state):
        await submit_at_once(update, ctx, state, edit=edit)
    else:
        await show_summary(update, ctx, state, edit=edit)
