"""A member's open surveys, answered as one form: the same responses and answers as the
chat's questions (:mod:`storage.surveys`), so either can resume what the other began.

Who may answer is the chat's rule: inside the survey's audience, and for a one-per-
institution survey only a confirmed focal point, only for their own institution.
"""

from __future__ import annotations

from typing import Any

from aiohttp import web

from bot.core.enums import ResponseStatus
from bot.core.i18n import N_
from bot.core.survey_flow import (
    answered_of,
    missing_required,
    parse_typed,
    prune_hidden,
    scale_values,
    visible,
)
from bot.webapp.api import ApiError, Caller, caller_of, read_json
from bot.webapp.shapes import local_iso
from storage import miniapp
from storage import surveys as store
from storage.models import Question, Response, Survey

KINDS = {"single": "single", "yesno": "single", "multiple": "multi", "scale": "scale"}
KINDS |= {"number": "number", "text": "text", "date": "text"}
OUTSIDE = N_("Sorry, this survey is for another audience.")
NOT_FOCAL = N_("Only the confirmed focal points of an institution answer this survey for it.")
CLOSED = N_("That survey has already closed.")
MISSING = N_("Some required questions have no answer yet.")
NOT_AN_ANSWER = N_("That is not one of the possible answers.")


async def _answerable(caller: Caller, survey_id: str) -> tuple[Survey, list[Question], str]:
    """The survey, its questions and the member's respondent key; else the refusal."""
    found = await store.get_survey(caller.db, survey_id)
    if found is None:
        raise ApiError("not_found", why="unknown survey")
    survey, questions = found
    async with caller.db.session() as session:
        inside = await store.in_audience(session, survey, caller.member.user_id)
    if not inside:
        raise ApiError("forbidden", caller.tr(OUTSIDE), why=f"outside audience of {survey.id}")
    key = store.respondent_key(survey, caller.member)
    if key is None:
        raise ApiError("forbidden", caller.tr(NOT_FOCAL), why="not a confirmed focal point")
    if not store.is_open(survey, caller.now()):
        raise ApiError("conflict", caller.tr(CLOSED), why=f"survey {survey.id} closed")
    return survey, questions, key


def _options(question: Question, caller: Caller) -> list[dict[str, Any]]:
    if question.kind == "yesno":
        return [{"id": "yes", "label": caller.tr("Yes")}, {"id": "no", "label": caller.tr("No")}]
    if question.kind == "scale":
        return [{"id": str(v), "label": str(v)} for v in scale_values(question)]
    return [{"id": o["id"], "label": caller.pick(o.get("text"))} for o in question.options or []]


def _question_json(question: Question, caller: Caller, answers: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": question.id,
        "kind": KINDS.get(question.kind, "text"),
        "input": question.kind,
        "text": caller.pick(question.text),
        "options": _options(question, caller),
        "required": question.required,
        "answer": answers.get(question.id),
        "visible": visible(question, answers),
        "show_if": question.show_if,
        "min": question.min_value,
        "max": question.max_value,
        "unit": question.unit,
        "max_length": question.max_length,
    }


def _form(
    caller: Caller,
    survey: Survey,
    questions: list[Question],
    response: Response | None,
    answers: dict[str, Any],
) -> dict[str, Any]:
    done, total = answered_of(questions, answers)
    return {
        "id": survey.id,
        "title": caller.pick(survey.title),
        "intro": caller.pick(survey.intro) or None,
        "closes_local": local_iso(survey.closes_at, caller.member.timezone),
        "submitted": response is not None and response.status == ResponseStatus.submitted,
        "respondent": survey.respondent,
        "answered": done,
        "total": total,
        "questions": [_question_json(q, caller, answers) for q in questions],
    }


async def list_surveys(request: web.Request) -> web.Response:
    caller = caller_of(request)
    found = await store.surveys_for(caller.db, caller.member, caller.now())
    items = []
    for item in found:
        if store.respondent_key(item.survey, caller.member) is None:
            continue  # a claim is not enough to answer for an institution
        done, total = answered_of(item.questions, item.answers)
        items.append(
            {
                "id": item.survey.id,
                "title": caller.pick(item.survey.title),
                "closes_local": local_iso(item.survey.closes_at, caller.member.timezone),
                "answered": done,
                "total": total,
                "submitted": item.response is not None
                and item.response.status == ResponseStatus.submitted,
            }
        )
    return web.json_response(items)


async def _current(
    caller: Caller, survey: Survey, key: str
) -> tuple[Response | None, dict[str, Any]]:
    response = await miniapp.response_of(caller.db, survey.id, key)
    if response is None or response.id is None:
        return None, {}
    state = await store.response_state(caller.db, response.id)
    return (state.response, state.answers) if state else (None, {})


async def get_form(request: web.Request) -> web.Response:
    caller = caller_of(request)
    survey, questions, key = await _answerable(caller, request.match_info["survey_id"])
    response, answers = await _current(caller, survey, key)
    return web.json_response(_form(caller, survey, questions, response, answers))


def _options_of(kind: str, value: Any, option_ids: set[str]) -> bool:
    """A multiple-choice answer: distinct ids of the question's options."""
    if kind != "multiple" or not isinstance(value, list):
        return False
    return all(isinstance(v, str) and v in option_ids for v in value) and len(set(value)) == len(
        value
    )


def _step(value: Any) -> int | None:
    """A scale step given as a whole number (or its digits)."""
    if isinstance(value, bool) or not isinstance(value, int | str):
        return None
    return int(value) if str(value).lstrip("-").isdigit() else None


def _checked(question: Question, value: Any, caller: Caller) -> Any:
    """The value to store for ``question`` (None clears it); 400 when it is not an answer."""
    if value is None or value == "" or value == []:
        return None
    kind = question.kind
    option_ids = {o["id"] for o in question.options or []}
    if kind == "single" and isinstance(value, str) and value in option_ids:
        return value
    if kind == "yesno" and value in ("yes", "no"):
        return value
    if _options_of(kind, value, option_ids):
        return [o["id"] for o in question.options or [] if o["id"] in value]
    if kind == "scale" and _step(value) in scale_values(question):
        return _step(value)
    if kind in ("number", "date", "text"):
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            raise ApiError("bad_request", caller.tr(NOT_AN_ANSWER), why=f"{kind} answer type")
        parsed = parse_typed(question, str(value), caller.tr)
        if parsed.problem is not None:
            raise ApiError("bad_request", parsed.problem, why=f"typed {kind} answer refused")
        return parsed.value
    raise ApiError("bad_request", caller.tr(NOT_AN_ANSWER), why=f"{kind} answer refused")


def _wanted(body: dict[str, Any], questions: list[Question], caller: Caller) -> dict[str, Any]:
    answers = body.get("answers", {})
    if not isinstance(answers, dict) or not isinstance(body.get("submit", False), bool):
        raise ApiError("bad_request", why="answers is not an object")
    by_id = {q.id: q for q in questions}
    if set(answers) - set(by_id):
        raise ApiError("bad_request", why="unknown question")
    return {q.id: _checked(q, answers[q.id], caller) for q in questions if q.id in answers}


async def post_answers(request: web.Request) -> web.Response:
    """Store the given answers (all checked first: a refused one changes nothing), then,
    with ``submit``, send the response as the chat's ✅ Send does."""
    caller = caller_of(request)
    body = await read_json(request)
    survey, questions, key = await _answerable(caller, request.match_info["survey_id"])
    claimed = body.get("institution")
    if claimed is not None and f"institution:{claimed}" != key:
        raise ApiError("forbidden", caller.tr(NOT_FOCAL), why=f"answer for institution {claimed}")
    values = _wanted(body, questions, caller)
    response, answers = await _current(caller, survey, key)
    merged = {**answers, **{k: v for k, v in values.items() if v is not None}}
    for cleared in (k for k, v in values.items() if v is None):
        merged.pop(cleared, None)
    hidden = prune_hidden(questions, merged)
    for gone in hidden:
        merged.pop(gone)
    if body.get("submit") and missing_required(questions, merged):
        raise ApiError("bad_request", caller.tr(MISSING), why="required answers missing")
    if response is None:
        response = await store.start_response(caller.db, survey, caller.member, caller.now())
    assert response.id is not None
    if not await store.may_answer(caller.db, response, caller.member):
        raise ApiError("forbidden", caller.tr(NOT_FOCAL), why="response of someone else")
    await _save(caller, response.id, questions, values, merged, hidden)
    if body.get("submit") and await store.submit(caller.db, response.id, caller.now()):
        raise ApiError("conflict", caller.tr(CLOSED), why="closed while submitting")
    response, answers = await _current(caller, survey, key)
    return web.json_response(_form(caller, survey, questions, response, answers))


async def _save(
    caller: Caller,
    response_id: int,
    questions: list[Question],
    values: dict[str, Any],
    merged: dict[str, Any],
    hidden: list[str],
) -> None:
    """One answer at a time with the chat's :func:`storage.surveys.save_answer`; the chat
    goes on at the first question still unanswered."""
    upcoming = next((q.id for q in questions if visible(q, merged) and q.id not in merged), None)
    for position, (question_id, value) in enumerate(values.items()):
        problem = await store.save_answer(
            caller.db,
            response_id,
            question_id,
            None if question_id in hidden else value,
            member_id=caller.member.user_id,
            now=caller.now(),
            current=upcoming,
            drop=hidden if position == len(values) - 1 else (),
        )
        if problem:
            raise ApiError("conflict", caller.tr(CLOSED), why="survey closed")


def add_routes(app: web.Application) -> None:
    app.router.add_get("/app/api/surveys", list_surveys)
    app.router.add_get("/app/api/surveys/{survey_id}", get_form)
    app.router.add_post("/app/api/surveys/{survey_id}/answers", post_answers)
