"""/audit as text: one block per entry (what, on what, who, when in the reader's zone) and
its details as readable words, never a Python dict, never cut in the middle of a word."""

from __future__ import annotations

import html
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from bot.core.i18n import N_, Translator, format_local_datetime, format_number, zone_name
from bot.render.labels import shorten
from bot.render.members import role_label
from storage.models import AuditLog, Role

ACTIONS: dict[str, str] = {
    "broadcast": N_("announcement"),
    "cancel broadcast": N_("announcement cancelled"),
    "cancel event": N_("event cancelled"),
    "claim": N_("institution claimed"),
    "edit event": N_("event edited"),
    "grant": N_("role given"),
    "revoke": N_("role taken away"),
    "import": N_("data file imported"),
    "invite created": N_("invitation link created"),
    "invite revoked": N_("invitation links withdrawn"),
    "invite used": N_("invitation link used"),
    "launch survey": N_("survey opened"),
    "new event": N_("event created"),
    "move event": N_("event moved"),
    "new survey": N_("survey created"),
    "nudge survey": N_("survey reminder"),
    "privacy notice": N_("privacy notice"),
    "refused claim": N_("claim refused"),
    "refused survey": N_("survey refused"),
    "refused in group": N_("refused in a group"),
    "refused role": N_("command refused (role)"),
    "register group": N_("group registered"),
    "remind": N_("event reminder"),
}
KEYS: dict[str, str] = {
    "audience": N_("audience"),
    "chat": N_("chat"),
    "count": N_("how many"),
    "expires_at": N_("expires"),
    "fields": N_("fields"),
    "from": N_("from"),
    "to": N_("to"),
    "institution": N_("institution"),
    "invite": N_("invitation"),
    "invited": N_("invited"),
    "languages": N_("languages"),
    "previous": N_("before"),
    "reason": N_("reason"),
    "recipients": N_("recipients"),
    "reminded": N_("reminded"),
    "role": N_("role"),
    "scheduled_at": N_("scheduled for"),
    "starts_at": N_("starts"),
    "summary": N_("summary"),
    "title": N_("title"),
    # an import's summary: sections and what happened to their records
    "institutions": N_("institutions"),
    "courses": N_("courses"),
    "events": N_("events"),
    "faq": N_("FAQ"),
    "surveys": N_("surveys"),
    "topics": N_("topics"),
    "created": N_("created"),
    "updated": N_("updated"),
    "unchanged": N_("unchanged"),
    "deleted": N_("deleted"),
    "prune": N_("remove missing"),
}
LISTED_TARGETS = frozenset({"import"})  # targets that are a list of KEYS ("courses, events")
DETAILS_LIMIT = 240


def action_label(action: str, tr: Translator) -> str:
    if action in ACTIONS:
        return tr(ACTIONS[action])
    return action  # an action this list does not name yet: as stored


def _value(value: Any, tr: Translator, zone: str) -> str:
    if isinstance(value, bool):
        return tr("yes") if value else tr("no")
    if isinstance(value, int | float):
        return format_number(value, tr.language)
    if isinstance(value, list | tuple):
        return ", ".join(_value(v, tr, zone) for v in value) or "—"
    if isinstance(value, dict):
        parts = (f"{_key(k, tr)} {_value(v, tr, zone)}" for k, v in value.items() if v)
        return "; ".join(parts) or "—"
    if value is None:
        return "—"
    text = str(value)
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return text
    if moment.tzinfo is None or len(text) < 16:
        return text
    return format_local_datetime(moment, zone, tr.language, fmt="medium_short")


def _role(value: Any, tr: Translator) -> str | None:
    try:
        return role_label(Role(str(value)), tr)
    except ValueError:
        return None


def _shown(key: str, value: Any, tr: Translator, zone: str) -> str:
    role = _role(value, tr) if key in ("role", "previous") else None
    return role or _value(value, tr, zone)


def _key(key: str, tr: Translator) -> str:
    return tr(KEYS[key]) if key in KEYS else key.replace("_", " ")


def details_text(details: dict[str, Any] | None, tr: Translator, zone: str) -> str:
    """``{"from": "2026-…", "to": "2026-…"}`` → "from 3/12/26 10:00 · to 4/12/26 10:00"."""
    if not details:
        return ""
    parts = [
        f"{_key(k, tr)}: {_shown(k, v, tr, zone)}" for k, v in details.items() if v is not None
    ]
    return shorten(" · ".join(parts), DETAILS_LIMIT)


def entry_block(entry: AuditLog, tr: Translator, zone: str) -> str:
    """One entry: "<b>event moved</b> → webinar-3", then who and when, then the details."""
    when = format_local_datetime(entry.at, zone, tr.language, fmt="medium_short")
    who = entry.actor_name or (str(entry.actor_id) if entry.actor_id else tr("the system"))
    head = f"<b>{html.escape(action_label(entry.action, tr))}</b>"
    if entry.target:
        target = entry.target
        if entry.action in LISTED_TARGETS:
            target = ", ".join(_key(part.strip(), tr) for part in target.split(","))
        head += f" → <code>{html.escape(shorten(target, 80))}</code>"
    lines = [head, f"{html.escape(shorten(who, 60))} · {when}"]
    details = details_text(entry.details, tr, zone)
    if details:
        lines.append(f"<i>{html.escape(details)}</i>")
    return "\n".join(lines)


def audit_page(entries: Sequence[AuditLog], total: int, tr: Translator, zone: str) -> str:
    head = tr.ngettext("<b>Audit log</b> ({n} entry)", "<b>Audit log</b> ({n} entries)", total)
    head += "\n" + tr("Times in {zone}.", zone=html.escape(zone_name(zone, tr.language)))
    return "\n\n".join([head, *(entry_block(e, tr, zone) for e in entries)])
