"""The organizers' reads: surveys at a glance and per survey (every institution's status,
counts and charts per question), the broadcast history with delivery counts, events with
their RSVP counts. Members get 403, as with the chat's organizer commands.

A survey's board is computed once per version of its responses
(:func:`storage.miniapp.survey_stamp`) and language, then served from memory: fifty
organizers watching a survey of 10,000 responses cost one cheap query each.
"""

from __future__ import annotations

import json
import time
from typing import Any

from aiohttp import web

from bot.core.enums import Role
from bot.core.survey_flow import option_label, scale_values
from bot.messaging.telegram_html import HTMLEntityError, parse_html
from bot.render.broadcasts import status_label
from bot.render.charts import ChartSpec, draw_bar_charts
from bot.webapp.api import ApiError, Caller, caller_of
from bot.webapp.member import events_json
from bot.webapp.shapes import local_iso, utc_iso
from storage import broadcasts, catalog, miniapp
from storage import surveys as store
from storage.models import Question

CHOICE = ("single", "multiple", "yesno", "scale")
SNIPPET = 120
HISTORY = 30
FRESH_SECONDS = 1.0  # how long a board is served before its stamp is read again


def plain_text(telegram_html: str) -> str:
    """A broadcast's text without its Telegram HTML (the page shows text, never HTML)."""
    try:
        return parse_html(telegram_html).text
    except HTMLEntityError:
        return telegram_html


def _staff(request: web.Request) -> Caller:
    caller = caller_of(request)
    caller.require(Role.organizer)
    return caller


# ---------------------------------------------------------------- surveys
async def surveys(request: web.Request) -> web.Response:
    caller = _staff(request)
    zone = caller.member.timezone
    return web.json_response(
        [
            {
                "id": item.survey.id,
                "title": caller.pick(item.survey.title),
                "status": item.survey.status,
                "respondent": item.survey.respondent,
                "responses": item.responses,
                "invited": item.invited,
                "institutions": item.institutions,
                "rate": item.rate,
                "closes_local": local_iso(item.survey.closes_at, zone),
            }
            for item in await miniapp.board_surveys(caller.db)
        ]
    )


def _keys(question: Question) -> list[str]:
    if question.kind in ("single", "multiple"):
        return [o["id"] for o in question.options or []]
    if question.kind == "yesno":
        return ["yes", "no"]
    return [str(n) for n in scale_values(question)]


def _label(question: Question, key: str, caller: Caller) -> str:
    if question.kind in ("single", "multiple"):
        return option_label(question, key, caller.tr.language, caller.settings.default_language)
    if question.kind == "yesno":
        return caller.tr("Yes") if key == "yes" else caller.tr("No")
    return key


def _question_json(item: store.QuestionResult, caller: Caller) -> dict[str, Any]:
    question = item.question
    shape: dict[str, Any] = {
        "id": question.id,
        "text": caller.pick(question.text),
        "kind": question.kind,
        "answered": item.answered,
        "counts": [],
    }
    if question.kind in CHOICE:
        shape["counts"] = [
            {"key": k, "label": _label(question, k, caller), "count": item.counts.get(k, 0)}
            for k in _keys(question)
        ]
    if item.numbers:
        shape["numbers"] = {
            "min": min(item.numbers),
            "max": max(item.numbers),
            "mean": round(sum(item.numbers) / len(item.numbers), 2),
        }
    return shape


async def _board(caller: Caller, survey_id: str, base: str) -> dict[str, Any]:
    result = await store.results(caller.db, survey_id)
    if result is None:
        raise ApiError("not_found", why="unknown survey")
    survey = result.survey
    statuses = await miniapp.institution_statuses(caller.db, survey)
    counts = {"answered": 0, "partial": 0, "not_started": 0}
    for item in statuses:
        counts[item.status] += 1
    questions = [_question_json(q, caller) for q in result.per_question]
    return {
        "id": survey.id,
        "title": caller.pick(survey.title),
        "status": survey.status,
        "respondent": survey.respondent,
        "closes_local": local_iso(survey.closes_at, caller.member.timezone),
        "invited": result.invited,
        "submitted": result.submitted,
        "in_progress": result.in_progress,
        "rate": miniapp.response_rate(result.submitted, result.invited),
        "counts": counts,
        "institutions": [
            {
                "id": s.institution.id,
                "name": caller.pick(s.institution.name) or s.institution.acronym,
                "acronym": s.institution.acronym,
                "country": s.institution.country,
                "status": s.status,
                "last_activity": utc_iso(s.last_activity),
            }
            for s in statuses
        ],
        "questions": questions,
        "chart_urls": {
            q["id"]: f"{base}/charts/{q['id']}.png"
            for q in questions
            if q["counts"] and q["answered"]
        },
    }


async def _cached_board(caller: Caller, survey_id: str) -> bytes:
    """The board as JSON: recomputed when the survey's stamp changes, the stamp itself
    read at most once a second (a board is at most that much behind the answers)."""
    fresh_key = ("webapp-board-checked", survey_id, caller.tr.language)
    checked = caller.db.memo.get(fresh_key)
    clock = time.monotonic()
    if checked is not None and clock - checked[0] < FRESH_SECONDS:
        return bytes(checked[1])
    stamp = await miniapp.survey_stamp(caller.db, survey_id)
    if stamp is None:
        raise ApiError("not_found", why="unknown survey")
    key = ("webapp-board", survey_id, stamp, caller.tr.language)
    body = caller.db.memo.get(key)
    if body is None:
        base = f"/app/api/board/surveys/{survey_id}"
        body = json.dumps(await _board(caller, survey_id, base)).encode()
        caller.db.remember(key, body)
    assert isinstance(body, bytes)
    caller.db.remember(fresh_key, (clock, body))
    return body


async def survey_board(request: web.Request) -> web.Response:
    caller = _staff(request)
    survey_id = request.match_info["survey_id"]
    body = await _cached_board(caller, survey_id)
    return web.Response(body=body, content_type="application/json")


async def chart(request: web.Request) -> web.Response:
    """One question's bar chart as a PNG (drawn once per version of the answers)."""
    caller = _staff(request)
    survey_id, question_id = request.match_info["survey_id"], request.match_info["question_id"]
    board = json.loads(await _cached_board(caller, survey_id))
    question = next((q for q in board["questions"] if q["id"] == question_id), None)
    if question is None or not question["counts"]:
        raise ApiError("not_found", why="no chart for that question")
    key = ("webapp-chart", survey_id, question_id, json.dumps(question, sort_keys=True))
    png = caller.db.memo.get(key)
    if png is None:
        labels = [c["label"] for c in question["counts"]]
        values = [c["count"] for c in question["counts"]]
        spec = ChartSpec(question["text"], labels, values, axis_label=caller.tr("answers"))
        png = (await draw_bar_charts([spec]))[0]
        caller.db.remember(key, png)
    return web.Response(body=png, content_type="image/png")


# ---------------------------------------------------------------- broadcasts
async def broadcast_history(request: web.Request) -> web.Response:
    caller = _staff(request)
    zone = caller.member.timezone
    found = await broadcasts.recent_broadcasts(caller.db, limit=HISTORY)
    deliveries = await miniapp.broadcast_deliveries(caller.db, [b.id for b in found if b.id])
    items = []
    for item in found:
        assert item.id is not None
        counts = deliveries.get(item.id, miniapp.DeliveryCounts())
        text = plain_text(caller.pick(item.texts))
        items.append(
            {
                "id": item.id,
                "snippet": text[:SNIPPET] + ("…" if len(text) > SNIPPET else ""),
                "status": item.status,
                "status_label": status_label(item.status, caller.tr),
                "recipients": item.recipients,
                "audience": item.audience,
                "created_local": local_iso(item.created_at, zone),
                "send_at_local": local_iso(item.scheduled_at, zone),
                "finished_local": local_iso(item.finished_at, zone),
                "counts": {
                    "queued": counts.queued,
                    "sent": counts.sent,
                    "blocked": counts.blocked,
                    "failed": counts.failed,
                },
                "failures": [{"reason": r, "count": n} for r, n in counts.failures],
            }
        )
    return web.json_response(items)


# ---------------------------------------------------------------- events
async def board_events(request: web.Request) -> web.Response:
    caller = _staff(request)
    past = request.query.get("past", "") in ("1", "true", "yes")
    found = await catalog.list_events(caller.db, caller.now(), past=past, limit=100)
    found.sort(key=lambda e: (e.starts_at, e.id))
    counts = await miniapp.rsvp_counts(caller.db, [e.id for e in found])
    shaped = await events_json(caller, found)
    for item in shaped:
        item["counts"] = counts[item["id"]]
    return web.json_response(shaped)


def add_routes(app: web.Application) -> None:
    app.router.add_get("/app/api/board/surveys", surveys)
    app.router.add_get("/app/api/board/surveys/{survey_id}", survey_board)
    app.router.add_get("/app/api/board/surveys/{survey_id}/charts/{question_id}.png", chart)
    app.router.add_get("/app/api/broadcasts", broadcast_history)
    app.router.add_get("/app/api/board/events", board_events)
