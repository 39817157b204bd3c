"""Surveys in the background: opening those whose ``opens`` has come (unless the file held
them as drafts), closing those whose time is up, each one's automatic reminder (once,
claimed in the store so that two bot processes do not both send it), and the feedback
survey of an event once it has ended (through the reminder scheduler)."""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from telegram.ext import Application, CallbackContext

from bot.app.context import Services, services_of
from bot.core.enums import RsvpStatus
from bot.jobs.reminders import scheduler_of
from bot.render.surveys import invite_renderer
from storage import surveys as store
from storage.models import Event
from storage.reminders import attendance
from storage.survey_opening import open_due

log = logging.getLogger(__name__)
TICK_SECONDS = 5.0


async def survey_tick(context: CallbackContext[Any, Any, Any, Any]) -> None:
    """Open the surveys whose time has come (invitations then), close those whose time is
    up; send each one's automatic reminder once."""
    svc = services_of(context.application)
    now = svc.now()
    try:
        render = invite_renderer(svc.settings.default_language)
        woke = False
        for survey_id, invited in await open_due(svc.db, now, render):
            log.info("survey %s opened at its time: %s invited", survey_id, invited)
            woke = woke or invited > 0
        for survey_id in await store.close_due(svc.db, now):
            log.info("survey %s closed", survey_id)
        for survey_id in await store.claim_due_nudges(svc.db, now):
            sent = await store.nudge(svc.db, survey_id, now, render, tag="auto")
            log.info("survey %s: automatic reminder to %s", survey_id, sent)
            woke = woke or sent.count > 0
        if woke and svc.delivery is not None:
            svc.delivery.wake()
    except Exception:
        log.exception("survey tick failed; the next one retries")


async def invite_to_feedback(svc: Services, event: Event, now: datetime) -> int:
    """After an event: its attendees get its feedback survey."""
    if not event.feedback_survey_id:
        return 0
    attending = [
        m.user_id for m, r in await attendance(svc.db, event.id) if r.status == RsvpStatus.yes
    ]
    return await store.invite_members(
        svc.db,
        event.feedback_survey_id,
        attending,
        now,
        invite_renderer(svc.settings.default_language),
        tag=f"feedback-{event.id}",
    )


async def start_survey_jobs(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
    scheduler_of(application).feedback_hook = invite_to_feedback
    if application.job_queue is not None:
        application.job_queue.run_repeating(
            survey_tick, interval=TICK_SECONDS, first=1.0, name="surveys"
        )
