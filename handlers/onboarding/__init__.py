"""Members and onboarding: /start, /language, /timezone, /institution, /settings, /help,
/stop, with the button wizards behind them (/forgetme is in ``handlers.privacy``).

The wizards (first onboarding: language → country → institution → zone; and the settings'
shorter ones) keep no draft: each press saves the member, and each button's data names its
wizard, so the next question follows from the data alone (``bot.render.callbacks.onboarding``).
Every value in button data is checked again on the server: data that does not fit gets
"This button is no longer valid" and changes nothing.

The modules: ``members`` (saving what a member says, institution claims, the settings card),
``questions`` (the country, institution and zone keyboards), ``deeplinks`` (``/start``
payloads of other features), ``commands`` and ``wizard`` (the buttons).
"""

from __future__ import annotations

from telegram.ext import Application, CallbackQueryHandler, CommandHandler, filters

from bot.render.callbacks.onboarding import (
    CountryPicked,
    InstitutionPicked,
    LanguagePicked,
    RegionPicked,
    SettingsPressed,
    ZonePicked,
)
from handlers.onboarding.commands import (
    help_command,
    institution_command,
    language_command,
    settings_command,
    start,
    stop_command,
    timezone_command,
)
from handlers.onboarding.deeplinks import register_deep_link, wait_for_onboarding
from handlers.onboarding.typed import typed_pick
from handlers.onboarding.wizard import (
    continue_wizard,
    country_picked,
    institution_picked,
    language_picked,
    region_picked,
    settings_button,
    zone_picked,
)

__all__ = [
    "continue_wizard",
    "register",
    "register_deep_link",
    "typed_pick",
    "wait_for_onboarding",
]


def register(application: Application) -> None:
    private = filters.ChatType.PRIVATE
    application.add_handler(CommandHandler("start", start, filters=private))
    application.add_handler(CommandHandler("help", help_command))
    application.add_handler(CommandHandler("settings", settings_command, filters=private))
    application.add_handler(CommandHandler("language", language_command, filters=private))
    application.add_handler(CommandHandler("timezone", timezone_command, filters=private))
    application.add_handler(CommandHandler("institution", institution_command, filters=private))
    application.add_handler(CommandHandler("stop", stop_command, filters=private))
    for data, callback in (
        (SettingsPressed, settings_button),
        (LanguagePicked, language_picked),
        (CountryPicked, country_picked),
        (RegionPicked, region_picked),
        (InstitutionPicked, institution_picked),
        (ZonePicked, zone_picked),
    ):
        application.add_handler(CallbackQueryHandler(callback, pattern=data.pattern()))
