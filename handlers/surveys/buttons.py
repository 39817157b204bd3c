"""The buttons of a question and of the summary (see :mod:`bot.render.callbacks.surveys`).

Every button is checked against the database before anything changes: the response must
be the member's or their institution's, the survey open, the question askable now and the
choice one that exists; otherwise the person hears "no longer valid" (or that the survey
closed) and nothing changes. Once the answers were sent, old question messages change
nothing: only reopening the response from /survey does.
"""

from __future__ import annotations

from typing import Any

from telegram import Update

from bot.app.context import BotContext
from bot.core.enums import ResponseStatus
from bot.core.i18n import format_zoned_datetime
from bot.core.survey_flow import missing_required, previous_index, scale_values, visible
from bot.render.callbacks import surveys as cb
from handlers.common import answer_query, edit_or_reply, refuse_button
from handlers.surveys.progress import (
    SURVEY_FLOW,
    closed,
    dropped,
    go_on,
    show_question,
    store_and_go_on,
)
from storage import surveys as store
from storage.models import Question


def _data(update: Update) -> str | None:
    return update.callback_query.data if update.callback_query else None


async def _pressed(
    update: Update, ctx: BotContext, data: cb.OnQuestion | cb.Send | None
) -> store.ResponseState | None:
    """The response a button is about, if the member may answer it now; otherwise the
    person has been told (no longer valid, or closed) and None comes back."""
    await ctx.load_member(update)
    if data is None:
        await refuse_button(update, ctx, "malformed survey data")
        return None
    state = await store.response_state(ctx.svc.db, data.response_id)
    if state is None or not await store.may_answer(ctx.svc.db, state.response, ctx.member):
        await refuse_button(update, ctx, "survey response of someone else")
        return None
    if not store.is_open(state.survey, ctx.svc.now()):
        await closed(update, ctx, state.survey)
        return None
    if not await _reopened(ctx, state):
        await refuse_button(update, ctx, "survey button of a response already sent")
        return None
    return state


async def _reopened(ctx: BotContext, state: store.ResponseState) -> bool:
    """Whether the buttons of this response may change it: always before it is sent; once
    sent, only after the member reopened it (/survey, ▶ Answer: the summary), never from an
    old question message (except in a one-question poll)."""
    if state.response.status != ResponseStatus.submitted or len(state.questions) == 1:
        return True  # a one-question poll: another tap on its message changes the vote
    draft = await SURVEY_FLOW.load(ctx)
    return draft is not None and draft.response == state.response.id


async def _on_question(
    update: Update, ctx: BotContext, data: cb.OnQuestion | None
) -> tuple[store.ResponseState, Question] | None:
    """As :func:`_pressed`, and the question must be askable now."""
    state = await _pressed(update, ctx, data)
    if state is None or data is None:
        return None
    if data.index >= len(state.questions) or not visible(
        state.questions[data.index], state.answers
    ):
        await refuse_button(update, ctx, "survey question not askable")
        return None
    question = state.questions[data.index]
    if not isinstance(data, cb.Edit) and not _showing(state, question):
        await refuse_button(update, ctx, "survey button of a question no longer showing")
        return None
    return state, question


def _showing(state: store.ResponseState, question: Question) -> bool:
    """Whether the member's screen shows this question now: an older message of another
    question (left above a typed answer's new message) changes nothing. A one-question poll
    is always showing: another tap changes the vote."""
    return len(state.questions) == 1 or state.response.current_question == question.id


# ------------------------------------------------------------------ choosing
def chosen_value(question: Question, choice: int) -> Any:
    """The answer the ``choice``-th button of a single, scale or yes/no question stands
    for; None when there is no such button."""
    options = question.options or []
    if question.kind == "single" and choice < len(options):
        return options[choice]["id"]
    if question.kind == "scale" and choice < len(scale_values(question)):
        return scale_values(question)[choice]
    if question.kind == "yesno" and choice in (0, 1):
        return "yes" if choice == 0 else "no"
    return None


def toggled_value(question: Question, choice: int, current: Any) -> list[str] | None:
    """The options of a multiple-choice question once the ``choice``-th one is toggled."""
    options = question.options or []
    if question.kind != "multiple" or choice >= len(options):
        return None
    option = options[choice]["id"]
    ticked = list(current or [])
    return [o for o in ticked if o != option] if option in ticked else [*ticked, option]


async def choose_button(update: Update, ctx: BotContext) -> None:
    data = cb.Choose.parse(_data(update))
    loaded = await _on_question(update, ctx, data)
    if loaded is None or data is None:
        return
    state, question = loaded
    value = chosen_value(question, data.choice)
    if value is None:
        await refuse_button(update, ctx, "survey choice that does not exist")
        return
    await answer_query(update)
    await store_and_go_on(update, ctx, state, data.index, value, edit=True)


async def toggle_button(update: Update, ctx: BotContext) -> None:
    """Tick or untick an option: save, and show the same question again."""
    data = cb.Toggle.parse(_data(update))
    loaded = await _on_question(update, ctx, data)
    if loaded is None or data is None:
        return
    state, question = loaded
    value = toggled_value(question, data.choice, state.answers.get(question.id))
    if value is None:
        await refuse_button(update, ctx, "survey choice that does not exist")
        return
    await answer_query(update)
    assert state.response.id is not None
    hidden = dropped(state, question.id, value)
    problem = await store.save_answer(
        ctx.svc.db,
        state.response.id,
        question.id,
        value or None,
        member_id=ctx.member.user_id,
        now=ctx.svc.now(),
        current=question.id,
        drop=hidden,
    )
    if problem:
        await closed(update, ctx, state.survey)
        return
    if value:
        state.answers[question.id] = value
    else:
        state.answers.pop(question.id, None)
    for other in hidden:
        state.answers.pop(other, None)
    await show_question(update, ctx, state, data.index, edit=True, saved=True)


async def done_button(update: Update, ctx: BotContext) -> None:
    """Done ▶ under a multiple-choice question."""
    data = cb.Done.parse(_data(update))
    loaded = await _on_question(update, ctx, data)
    if loaded is None or data is None:
        return
    state, question = loaded
    if question.kind != "multiple":
        await refuse_button(update, ctx, "done on a question that is not multiple")
        return
    if question.required and not state.answers.get(question.id):
        await answer_query(update, ctx.tr("Choose at least one option."), alert=True)
        return
    await answer_query(update)
    await go_on(update, ctx, state, data.index, edit=True)


# ------------------------------------------------------------------ moving about
async def skip_button(update: Update, ctx: BotContext) -> None:
    """Skip ▶: leave an optional question unanswered."""
    data = cb.Skip.parse(_data(update))
    loaded = await _on_question(update, ctx, data)
    if loaded is None or data is None:
        return
    state, question = loaded
    if question.required:
        await refuse_button(update, ctx, "skip of a required question")
        return
    await answer_query(update)
    await store_and_go_on(update, ctx, state, data.index, None, edit=True)


async def keep_button(update: Update, ctx: BotContext) -> None:
    """Keep ▶: the typed answer given before stays."""
    data = cb.Keep.parse(_data(update))
    loaded = await _on_question(update, ctx, data)
    if loaded is None or data is None:
        return
    state, question = loaded
    await answer_query(update)
    value = state.answers.get(question.id)
    await store_and_go_on(update, ctx, state, data.index, value, edit=True)


async def back_button(update: Update, ctx: BotContext) -> None:
    """◀ Back: the askable question before this one."""
    data = cb.Back.parse(_data(update))
    loaded = await _on_question(update, ctx, data)
    if loaded is None or data is None:
        return
    state, _ = loaded
    await answer_query(update)
    before = previous_index(state.questions, state.answers, data.index)
    target = before if before is not None else data.index
    await show_question(update, ctx, state, target, edit=True)


async def edit_button(update: Update, ctx: BotContext) -> None:
    """✏️ n on the summary: change that answer."""
    data = cb.Edit.parse(_data(update))
    loaded = await _on_question(update, ctx, data)
    if loaded is None or data is None:
        return
    state, _ = loaded
    await answer_query(update)
    await show_question(update, ctx, state, data.index, edit=True)


async def send_button(update: Update, ctx: BotContext) -> None:
    """✅ Send answers (or Save changes, once sent)."""
    state = await _pressed(update, ctx, cb.Send.parse(_data(update)))
    if state is None:
        return
    tr, member = ctx.tr, ctx.member
    missing = missing_required(state.questions, state.answers)
    if missing:
        await answer_query(update, tr("Some required questions have no answer yet."), alert=True)
        await show_question(update, ctx, state, missing[0], edit=False)
        return
    assert state.response.id is not None
    if await store.submit(ctx.svc.db, state.response.id, ctx.svc.now()):
        await closed(update, ctx, state.survey)
        return
    await answer_query(update)
    await SURVEY_FLOW.drop(ctx)
    text = tr("🙏 Thank you! Your answers were saved.")
    if state.survey.closes_at:
        when = format_zoned_datetime(state.survey.closes_at, member.timezone, tr.language)
        text += "\n" + tr("You can change them until {when} with /survey.", when=when)
    await edit_or_reply(update, ctx, text)


HANDLERS = (
    (cb.Choose, choose_button),
    (cb.Toggle, toggle_button),
    (cb.Done, done_button),
    (cb.Skip, skip_button),
    (cb.Keep, keep_button),
    (cb.Back, back_button),
    (cb.Edit, edit_button),
    (cb.Send, send_button),
)
