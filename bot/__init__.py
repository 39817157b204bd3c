"""The ILO/Cinterfor network coordination bot: wiring (config, application, CLI, delivery
engine, scheduler, Bot API emulator, i18n)."""

import os

# python-telegram-bot 22 announces that RetryAfter.retry_after and similar attributes become
# timedelta; this code reads both forms, so it opts in now (no deprecation noise). It must be
# set before telegram is imported, and this package is imported first.
os.environ.setdefault("PTB_TIMEDELTA", "1")
