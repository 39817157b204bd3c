"""Buttons that open the Mini App on the view that helps (an event, a survey's board, a
broadcast's progress). Only with ``WEBAPP_URL`` set, and only for private chats: Telegram
refuses ``web_app`` buttons anywhere else.

The view is named in the query string (``?view=event&id=vc-cert``), not in the fragment:
Telegram puts its launch parameters (``#tgWebAppData=...``) in the fragment.
"""

from __future__ import annotations

from urllib.parse import urlencode

from bot.core.i18n import N_, Translator
from bot.core.outbound import Button

OPEN_APP = N_("Open the app")


def app_url(base: str, view: str | None = None, **ids: str | int) -> str:
    """The Mini App's address, on ``view`` when given."""
    if view is None:
        return base
    query = urlencode({"view": view, **{k: str(v) for k, v in ids.items()}})
    return f"{base}{'&' if '?' in base else '?'}{query}"


def app_button(
    base: str | None, tr: Translator, view: str, *, private: bool = True, **ids: str | int
) -> list[Button]:
    """A row with the "open the app" button; empty without ``WEBAPP_URL`` or outside a
    private chat."""
    if not base or not private:
        return []
    return [Button("📱 " + tr(OPEN_APP), web_app=app_url(base, view, **ids))]
