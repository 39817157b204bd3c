"""Buttons of onboarding and the settings: /start, /settings, /language, /timezone,
/institution and /forgetme.

The wizards keep no draft: the member row is saved at each press, and each button says which
wizard it belongs to (``flow``), so the next question is known from the data alone:
``ob`` first onboarding (language → country → institution → zone), ``sl`` settings: language,
``si`` settings: country → institution → zone, ``sz`` settings: country → zone.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, get_args

from bot.render.callbacks.base import CallbackData

Language = Literal["es", "pt", "en"]
Wizard = Literal["ob", "sl", "si", "sz"]
LanguageWizard = Literal["ob", "sl"]
CountryWizard = Literal["ob", "si", "sz"]
InstitutionWizard = Literal["ob", "si"]
SettingsChoice = Literal["lang", "zone", "inst", "rem", "optout"]
CODES: tuple[Language, ...] = get_args(Language)
OTHER_COUNTRY = "other"


@dataclass(frozen=True)
class ForgetMe(CallbackData, prefix="fm"):
    """The answer to "erase my data?": ``fm:yes`` / ``fm:no``."""

    answer: Literal["yes", "no"]


@dataclass(frozen=True)
class SettingsPressed(CallbackData, prefix="st"):
    """A button of the /settings card: ``st:lang`` …"""

    what: SettingsChoice


@dataclass(frozen=True)
class LanguagePicked(CallbackData, prefix="ol"):
    """``ol:ob:pt``: the language chosen in a wizard."""

    flow: LanguageWizard
    language: Language


@dataclass(frozen=True)
class CountryPicked(CallbackData, prefix="oc"):
    """``oc:si:UY``: the country chosen (``other`` for one not listed)."""

    flow: CountryWizard
    country: str


@dataclass(frozen=True)
class RegionPicked(CallbackData, prefix="og"):
    """``og:sz:005``: show the countries of a region (CLDR code); ``og:sz:`` the regions."""

    flow: CountryWizard
    region: str | None = None


@dataclass(frozen=True)
class InstitutionPicked(CallbackData, prefix="oi"):
    """``oi:ob:utu``: the institution chosen; ``oi:ob:`` is "other / none"."""

    flow: InstitutionWizard
    institution_id: str | None = None


@dataclass(frozen=True)
class ZonePicked(CallbackData, prefix="oz"):
    """``oz:sz:BR:2``: the ``index``-th time zone of ``country``."""

    flow: CountryWizard
    country: str
    index: int
