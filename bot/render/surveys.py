"""What a member reads when invited to a survey or reminded of it (by /launch, /nudge, a
quick poll, the automatic reminder or an event's feedback survey)."""

from __future__ import annotations

import html
from datetime import datetime
from typing import Any

from bot.core.i18n import Translator, format_zoned_datetime, pick_text
from bot.render.callbacks.base import CallbackTooLong
from bot.render.callbacks.surveys import OpenSurvey
from storage.models import Member, Survey
from storage.surveys import RenderInvite


def answer_data(survey_id: str) -> str | None:
    """The data of the ▶ Answer button; None when the id is too long for a button."""
    try:
        return OpenSurvey(survey_id).pack()
    except (CallbackTooLong, ValueError):
        return None


def render_invite(
    member: Member, survey: Survey, kind: str, now: datetime, default: str = "es"
) -> dict[str, Any]:
    """The outbox payload of an invitation (``kind="invite"``) or reminder (``"nudge"``)."""
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
                when=format_zoned_datetime(survey.closes_at, member.timezone, tr.language),
            )
        )
    if survey.respondent == "institution":
        lines.append(
            tr("One answer per institution: any focal point of yours can answer or update it.")
        )
    data = answer_data(survey.id)
    buttons = [[[tr("▶ Answer"), data]]] if data is not None else []
    if not buttons:
        lines.append(tr("Send /survey to answer."))
    return {"parts": ["\n".join(lines)], "parse_mode": "HTML", "buttons": buttons}


def invite_renderer(default: str) -> RenderInvite:
    """:func:`render_invite` with the network's default language, for the storage calls."""

    def render(member: Member, survey: Survey, kind: str, now: datetime) -> dict[str, Any]:
        return render_invite(member, survey, kind, now, default)

    return render
