"""The Mini App's JSON API under ``/app/api/`` (every call authenticated, see auth.py)."""

from __future__ import annotations

from aiohttp import web


def add_api_routes(app: web.Application) -> None:
    """Register the API routes on ``app``."""
