"""The Telegram Mini App: a page under ``/app/`` and its JSON API under ``/app/api/``.

Served by the bot's own aiohttp server (the one with ``/healthz`` and ``/metrics``).
Every API call is authenticated by the init data Telegram signs (:mod:`bot.webapp.auth`);
roles and audiences are checked on the server for every call, as in chat.
"""

from __future__ import annotations

from aiohttp import web

from bot.app.context import Services
from bot.webapp import api, organize, pages
from bot.webapp.api import SERVICES

__all__ = ["SERVICES", "setup_webapp"]


def setup_webapp(app: web.Application, services: Services) -> None:
    """Add the Mini App's routes (page, assets, API) to the bot's aiohttp ``app``."""
    app[SERVICES] = services
    pages.add_page_routes(app)
    api.add_api_routes(app)
    organize.add_organizer_routes(app)
