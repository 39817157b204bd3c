"""The organizers' write endpoints of the Mini App (and the survey export and the zone list).

Every one checks the caller's role like the chat commands do (``Caller.require``), changes
nothing on an error, writes the audit log through the same storage functions as chat, and
reaches people only through the durable outbox. Broadcasts are in :mod:`bot.webapp.compose`,
events in :mod:`bot.webapp.eventforms`.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

from aiohttp import web
from babel.core import get_global
from babel.dates import get_timezone_location

from bot.core.enums import Role
from bot.core.geo import COUNTRY_ZONES, country_zones
from bot.core.i18n import Translator, babel_locale, pick_text
from bot.core.ids import SLUG
from bot.render.exports import build_exports
from bot.render.names import display_name
from bot.render.surveys import invite_renderer
from bot.webapp import compose, eventforms
from bot.webapp.api import ApiError, Caller, bad_field, caller_of, read_json
from storage import surveys as survey_store
from storage.board_nudges import nudge_institutions
from storage.institutions import list_institutions
from storage.models import Survey
from storage.surveys import SurveyProblem

__all__ = ["add_organizer_routes"]

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def add_organizer_routes(app: web.Application) -> None:
    """Register the organizer write routes (and export, time zones) on ``app``."""
    app.router.add_post("/app/api/board/surveys/{id}/nudge", nudge)
    app.router.add_get("/app/api/board/surveys/{id}/export", export)
    app.router.add_get("/app/api/timezones", timezones)
    compose.add_routes(app)
    eventforms.add_routes(app)


async def _survey(request: web.Request, who: Caller) -> Survey:
    survey_id = request.match_info["id"].lower()
    found = await survey_store.get_survey(who.db, survey_id) if SLUG.match(survey_id) else None
    if found is None:
        raise ApiError("not_found", why=f"no survey {survey_id[:64]!r}")
    return found[0]


def _institutions_field(data: dict[str, Any], tr: Translator) -> list[str] | None:
    value = data.get("institutions")
    if value is None:
        return None
    if (
        not isinstance(value, list)
        or len(value) > 1000
        or not all(isinstance(i, str) and SLUG.match(i) for i in value)
    ):
        raise bad_field(tr, "institutions")
    return [str(i) for i in value]


async def nudge(request: web.Request) -> web.Response:
    """Remind the institutions that have not started (each at most once per 12 h)."""
    who = caller_of(request)
    who.require(Role.organizer)
    tr, svc = who.tr, who.svc
    data = await read_json(request)
    wanted = _institutions_field(data, tr)
    survey = await _survey(request, who)
    outcome = await nudge_institutions(
        svc.db,
        survey.id,
        svc.now(),
        invite_renderer(svc.settings.default_language),
        institutions=wanted,
        actor_id=who.member.user_id,
        actor_name=display_name(who.member),
    )
    if outcome.problem is SurveyProblem.unknown:
        raise ApiError("not_found", why=f"no survey {survey.id!r}")
    if outcome.problem is not None:
        raise ApiError("conflict", tr("That survey is not open."))
    if outcome.unknown:
        raise ApiError(
            "bad_request", tr("These do not exist: {items}", items=", ".join(outcome.unknown))
        )
    if outcome.recent and not outcome.reminded:
        raise ApiError("conflict", tr("These institutions were reminded less than 12 hours ago."))
    if outcome.queued and svc.delivery is not None:
        svc.delivery.wake()
    return web.json_response(
        {
            "queued": outcome.queued,
            "institutions": outcome.reminded,
            "skipped": {"recent": outcome.recent, "started": outcome.started},
        }
    )


async def export(request: web.Request) -> web.Response:
    """The survey's responses as CSV or XLSX: the files of /export in chat."""
    who = caller_of(request)
    who.require(Role.organizer)
    tr, svc = who.tr, who.svc
    kind = request.query.get("format", "csv")
    if kind not in ("csv", "xlsx"):
        raise bad_field(tr, "format")
    survey = await _survey(request, who)
    default = svc.settings.default_language
    questions, rows = await survey_store.export_rows(svc.db, survey.id)
    title = pick_text(survey.title, tr.language, default)
    as_csv, as_xlsx = await build_exports(questions, rows, tr, default, title)
    body, content_type = (as_csv, "text/csv") if kind == "csv" else (as_xlsx, XLSX)
    return web.Response(
        body=body,
        content_type=content_type,
        charset="utf-8" if kind == "csv" else None,
        headers={"Content-Disposition": f'attachment; filename="{survey.id}.{kind}"'},
    )


# ------------------------------------------------------------------ time zones
@lru_cache(maxsize=1)
def _zone_countries() -> dict[str, str]:
    countries: dict[str, str] = {}
    for code, zones in COUNTRY_ZONES.items():
        for zone in zones:
            countries.setdefault(zone, code)
    return countries


def zone_country(zone: str) -> str | None:
    known = _zone_countries().get(zone)
    if known is not None:
        return known
    territory = get_global("zone_territories").get(zone)
    return str(territory) if territory and territory != "001" else None


@lru_cache(maxsize=512)
def zone_city(zone: str, language: str) -> str:
    """The CLDR exemplar city of ``zone`` in ``language`` ("San Pablo", "São Paulo")."""
    try:
        return str(
            get_timezone_location(ZoneInfo(zone), locale=babel_locale(language), return_city=True)
        )
    except Exception:
        return zone.rsplit("/", 1)[-1].replace("_", " ")


async def network_zones(who: Caller) -> list[str]:
    """The zones of the network's countries and institutions, and the caller's own."""
    own = who.member.timezone
    institutions = await list_institutions(who.db)
    zones: dict[str, None] = {}
    for country in sorted({i.country for i in institutions if i.country}):
        zones.update(dict.fromkeys(country_zones(country)))
    zones.update(dict.fromkeys(i.timezone for i in institutions if i.timezone))
    if not zones:
        zones.update(dict.fromkeys(z for group in COUNTRY_ZONES.values() for z in group))
    zones[own] = None
    return list(zones)


async def timezones(request: web.Request) -> web.Response:
    who = caller_of(request)
    who.require(Role.organizer)
    language = who.tr.language
    items = [
        {"id": zone, "label": zone_city(zone, language), "country": zone_country(zone)}
        for zone in await network_zones(who)
    ]
    items.sort(key=lambda item: (str(item["country"] or "~"), str(item["label"])))
    return web.json_response(items)
