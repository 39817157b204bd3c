"""A member (or a focal point for their institution) answering a survey: /survey lists the
open ones, ▶ Answer starts or goes on, and a typed answer to a number, date or text
question (a step of :data:`~handlers.surveys.progress.SURVEY_FLOW`). The answer buttons are
in :mod:`handlers.surveys.buttons`."""

from __future__ import annotations

import html
import logging

from telegram import Update

from bot.app.context import BotContext
from bot.core.enums import ResponseStatus
from bot.core.i18n import format_zoned_datetime
from bot.core.survey_flow import TYPED_KINDS, answered_of, parse_typed, typed_choice, visible
from bot.render.callbacks import surveys as cb
from bot.render.labels import button_title
from bot.render.surveys import answer_data
from handlers.common import Button, answer_query, display_name, refuse_button, reply
from handlers.surveys.progress import (
    BUTTONS,
    SURVEY_FLOW,
    TYPED,
    SurveyDraft,
    closed,
    current_index,
    resume,
    store_and_go_on,
)
from storage import surveys as store
from storage.audit import record
from storage.institutions import get_institution
from storage.members import get_member
from storage.models import Question

log = logging.getLogger(__name__)


async def survey_command(update: Update, ctx: BotContext) -> None:
    """/survey: the open surveys of the member, with how far they got in each."""
    await ctx.load_member(update)
    tr, member = ctx.tr, ctx.member
    found = await store.surveys_for(ctx.svc.db, member, ctx.svc.now())
    if not found:
        await reply(update, ctx, tr("There is no survey for you to answer right now."))
        return
    lines = [tr("<b>Your surveys</b>")]
    rows: list[list[Button]] = []
    for item in found:
        title = ctx.pick(item.survey.title)
        if item.response is not None and item.response.status == ResponseStatus.submitted:
            state = tr("answered ✅ — you can review and change it")
        elif item.answers:
            done, total = answered_of(item.questions, item.answers)
            state = tr("{done} of {total} answered", done=done, total=total)
        else:
            state = tr("not started")
        when = (
            format_zoned_datetime(item.survey.closes_at, member.timezone, tr.language)
            if item.survey.closes_at
            else "—"
        )
        lines.append(
            f"• <b>{html.escape(title)}</b>: {state}\n  " + tr("Open until {when}.", when=when)
        )
        data = answer_data(item.survey.id)
        if data is not None:
            rows.append([(button_title(title), data)])
    await reply(update, ctx, "\n".join(lines), buttons=rows)


async def go_button(update: Update, ctx: BotContext) -> None:
    """▶ Answer: start or continue answering."""
    await ctx.load_member(update)
    data = cb.OpenSurvey.parse(update.callback_query.data if update.callback_query else None)
    found = await store.get_survey(ctx.svc.db, data.survey_id) if data else None
    if found is None:
        await refuse_button(update, ctx, "unknown survey")
        return
    survey, _ = found
    if not store.is_open(survey, ctx.svc.now()):
        await closed(update, ctx, survey)
        return
    async with ctx.svc.db.session() as session:
        allowed = await store.in_audience(session, survey, ctx.member.user_id)
    if not allowed:
        log.warning(
            "refused survey %s to user %s (outside its audience %s)",
            survey.id,
            ctx.member.user_id,
            survey.audience,
        )
        text = ctx.tr("Sorry, this survey is for another audience.")
        await answer_query(update, text, alert=True)
        return
    await answer_query(update)
    if store.respondent_key(survey, ctx.member) is None:
        await reply(update, ctx, await _not_a_focal_point(ctx))
        return
    response = await store.start_response(ctx.svc.db, survey, ctx.member, ctx.svc.now())
    assert response.id is not None
    state = await store.response_state(ctx.svc.db, response.id)
    assert state is not None
    await _tell_who_answered(update, ctx, state)
    await resume(update, ctx, state, intro=not state.answers)


async def _not_a_focal_point(ctx: BotContext) -> str:
    """Why a member may not answer an institution survey, and what to do (a claim is not
    enough: only confirmed focal points answer for their institution)."""
    member = ctx.member
    claimed = member.institution_id and await get_institution(ctx.svc.db, member.institution_id)
    if not claimed:
        return ctx.tr(
            "This survey takes one answer per institution. Tell me yours first with "
            "/institution, then press Answer again."
        )
    log.info("member %s: claim to %s not confirmed, institution survey", member.user_id, claimed.id)
    await record(
        ctx.svc.db,
        actor_id=member.user_id,
        action="refused survey",
        target=f"institution:{claimed.id}",
        details={"reason": "claim not confirmed"},
    )
    return ctx.tr(
        "Your claim to speak for {institution} awaits an organizer's confirmation; until then "
        "only its confirmed focal points answer this survey. If your institution sent you an "
        "invitation link, open it to be confirmed at once.",
        institution=html.escape(claimed.acronym),
    )


async def _tell_who_answered(update: Update, ctx: BotContext, state: store.ResponseState) -> None:
    """On a later visit to an institution's response, who else has answered for it (the
    first visit's title and intro head the first question)."""
    survey = state.survey
    if not state.answers:
        return
    me = ctx.member.user_id
    others = {by for by, _ in state.answered_by.values() if by and by != me}
    if survey.respondent != "institution" or not others:
        return
    names = []
    for user_id in sorted(others):
        person = await get_member(ctx.svc.db, user_id)
        names.append(display_name(person) if person else "?")
    text = ctx.tr.ngettext(
        "Your institution already has {n} answer (by {names}). You can review and change it.",
        "Your institution already has {n} answers (by {names}). You can review and change them.",
        len(state.answers),
        names=html.escape(", ".join(names)),
    )
    await reply(update, ctx, text)


def _typed_question(state: store.ResponseState) -> tuple[int, Question] | None:
    """The question the response is on, if it takes a typed answer now."""
    ids = [q.id for q in state.questions]
    current = state.response.current_question
    if current not in ids:
        return None
    index = ids.index(current)
    question = state.questions[index]
    if question.kind not in TYPED_KINDS or not visible(question, state.answers):
        return None
    return index, question


@SURVEY_FLOW.on_message(TYPED)
async def typed_answer(update: Update, ctx: BotContext, draft: SurveyDraft) -> None:
    """A typed answer to the number, date or text question the member is on."""
    message = update.effective_message
    if message is None or not message.text:
        return
    state = await store.response_state(ctx.svc.db, draft.response)
    if state is None or not await store.may_answer(ctx.svc.db, state.response, ctx.member):
        await SURVEY_FLOW.drop(ctx)  # the response is gone: nothing waits for text any more
        return
    if not store.is_open(state.survey, ctx.svc.now()):
        await closed(update, ctx, state.survey)
        return
    on = _typed_question(state)
    if on is None:  # another focal point of the institution moved the response on
        await resume(update, ctx, state)
        return
    index, question = on
    parsed = parse_typed(question, message.text, ctx.tr)
    if parsed.problem is not None:
        log.info("refused typed survey answer from %s: %s", ctx.member.user_id, question.kind)
        await reply(update, ctx, parsed.problem)
        return
    await store_and_go_on(update, ctx, state, index, parsed.value, edit=False)


@SURVEY_FLOW.on_message(BUTTONS)
async def text_for_buttons(update: Update, ctx: BotContext, draft: SurveyDraft) -> bool:
    """Text while a question answered with buttons is showing: a hint to tap one (nothing
    is stored). A response that is gone or closed lets the text through, waiting no more."""
    state = await store.response_state(ctx.svc.db, draft.response)
    if (
        state is None
        or not store.is_open(state.survey, ctx.svc.now())
        or not await store.may_answer(ctx.svc.db, state.response, ctx.member)
    ):
        await SURVEY_FLOW.drop(ctx)
        return False
    current = current_index(state)
    message = update.effective_message
    if current is not None and message is not None and message.text:
        question, default = state.questions[current], ctx.svc.settings.default_language
        value = typed_choice(question, message.text, ctx.tr.language, default)
        if value is not None:  # "4" for the 4 button: taken as the tap, shown anew below
            await store_and_go_on(update, ctx, state, current, value, edit=False)
            return True
    log.info("text from %s while a survey question waits for a button", ctx.member.user_id)
    await reply(update, ctx, ctx.tr("Tap one of the buttons above to answer (or /cancel)."))
    return True
