"""Translations (gettext catalogs in ``locales/``) and locale-aware formatting with Babel.

Catalogs are read from the ``.po`` files and compiled in memory on first use, so a plain
``pip install .`` speaks all three languages with no compile step to remember.
Message ids are English; placeholders use ``str.format`` names (``{name}``).
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from functools import cache
from pathlib import Path
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import format_date, format_datetime, format_time, format_timedelta
from babel.lists import format_list
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal, format_percent
from babel.support import NullTranslations, Translations
from babel.units import format_unit

LANGUAGES: tuple[str, ...] = ("es", "pt", "en")
LANGUAGE_NAMES = {"es": "Español", "pt": "Português", "en": "English"}
LOCALES_DIR = Path(__file__).resolve().parents[2] / "locales"
DOMAIN = "messages"
# Babel locale used for formatting: the network's Portuguese speakers are mostly in Brazil.
BABEL_LOCALES = {"es": "es", "pt": "pt_BR", "en": "en"}


def N_(message: str) -> str:
    """Mark a string for extraction without translating it now."""
    return message


def normalize_language(code: str | None, default: str = "es") -> str:
    """Map a Telegram ``language_code`` such as ``pt-br`` to one of our languages."""
    if code:
        base = code.strip().lower().replace("_", "-").split("-")[0]
        if base in LANGUAGES:
            return base
    return default if default in LANGUAGES else "es"


@cache
def translations(language: str) -> NullTranslations:
    """The compiled catalog for ``language`` (an empty one if it does not exist)."""
    po_path = LOCALES_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"
    if not po_path.exists():
        return NullTranslations()
    with po_path.open("rb") as handle:
        catalog = read_po(handle, locale=language, domain=DOMAIN)
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    buffer.seek(0)
    return Translations(fp=buffer, domain=DOMAIN)


class Translator:
    """``_ = Translator("pt")``; ``_("Hello {name}", name="Ana")``."""

    def __init__(self, language: str) -> None:
        self.language = language if language in LANGUAGES else "es"
        self._t = translations(self.language)

    def __call__(self, message: str, **values: object) -> str:
        text = self._t.gettext(message)
        return text.format(**values) if values else text

    def ngettext(self, singular: str, plural: str, n: int, **values: object) -> str:
        text = self._t.ngettext(singular, plural, n)
        return text.format(n=format_number(n, self.language), **values)

    @property
    def locale(self) -> str:
        return BABEL_LOCALES[self.language]


def workload(hours: float, tr: Translator) -> str:
    """ "Workload: 1 hour", "Workload: 40 hours", "Carga horaria: 1,5 horas"."""
    count = int(hours) if float(hours).is_integer() else 2  # a fraction reads as plural
    text = tr._t.ngettext("Workload: {hours} hour", "Workload: {hours} hours", count)
    return text.format(hours=format_number(hours, tr.language))


def babel_locale(language: str) -> str:
    return BABEL_LOCALES.get(language, "es")


def format_number(value: float, language: str) -> str:
    return format_decimal(value, locale=babel_locale(language))


def format_pct(value: float, language: str) -> str:
    return format_percent(value, locale=babel_locale(language))


def format_local_datetime(
    moment: datetime, zone: str, language: str, fmt: str = "full_short"
) -> str:
    """A UTC datetime shown in ``zone`` for a reader of ``language``.

    ``full_short`` gives e.g. "jueves, 26 de marzo de 2020, 18:00", ``medium_short``
    "26 mar 2020, 18:00" (a list's dates: short, with the month named, never 3/26/20).
    """
    tz = ZoneInfo(zone)
    locale = babel_locale(language)
    if fmt in ("full_short", "medium_short"):
        day = format_date(moment.astimezone(tz), format=fmt.split("_")[0], locale=locale)
        clock = format_time(moment, format="short", tzinfo=tz, locale=locale)
        return f"{day}, {clock}"
    return format_datetime(moment, format=fmt, tzinfo=tz, locale=locale)


def format_zoned_datetime(moment: datetime, zone: str, language: str) -> str:
    """:func:`format_local_datetime` with the zone named ("…, 18:00 (Montevideo)"): a
    deadline read by people in 28 countries says whose clock it is."""
    return f"{format_local_datetime(moment, zone, language)} ({zone_name(zone, language)})"


def format_local_time(moment: datetime, zone: str, language: str) -> str:
    return format_time(moment, format="short", tzinfo=ZoneInfo(zone), locale=babel_locale(language))


def format_day(day: date, language: str, fmt: str = "long") -> str:
    return format_date(day, format=fmt, locale=babel_locale(language))


def format_duration(delta: timedelta, language: str) -> str:
    """Exact to the minute: "1 hour and 30 minutes", "1 hora y 30 minutos", "2 dias"."""
    locale = babel_locale(language)
    minutes = round(delta.total_seconds() / 60)
    if minutes <= 0 or minutes % 1440 == 0:
        return format_timedelta(delta, threshold=1.1, format="long", locale=locale)
    hours, rest = divmod(minutes, 60)
    parts = []
    if hours:
        parts.append(format_unit(hours, "duration-hour", length="long", locale=locale))
    if rest:
        parts.append(format_unit(rest, "duration-minute", length="long", locale=locale))
    return format_list(parts, locale=locale)


def zone_label(zone: str, language: str) -> str:
    """A readable name for an IANA zone, e.g. "hora de Uruguay" / "Montevideo"."""
    from babel.dates import get_timezone_location

    try:
        return get_timezone_location(ZoneInfo(zone), locale=babel_locale(language))
    except Exception:
        return zone


def zone_name(zone: str, language: str) -> str:
    """The zone as its CLDR exemplar city in the reader's language ("Ciudad de México",
    "Montevidéu"); ``Etc/GMT+3`` as "UTC−3" (the IANA sign is the other way round)."""
    from babel.dates import get_timezone_location

    if zone.startswith("Etc/GMT") and zone[7:]:
        hours = -int(zone[7:])
        return f"UTC{'+' if hours > 0 else '−'}{abs(hours)}"
    if zone in ("UTC", "Etc/UTC", "Etc/GMT"):
        return "UTC"
    try:
        city = get_timezone_location(
            ZoneInfo(zone), locale=babel_locale(language), return_city=True
        )
    except Exception:
        city = ""
    return city or zone.rsplit("/", 1)[-1].replace("_", " ")


def language_name(code: str, language: str) -> str:
    """A language's name in the reader's language ("portugués", "inglês", "Spanish")."""
    name = Locale.parse(babel_locale(language)).languages.get(code)
    return name or LANGUAGE_NAMES.get(code, code)


def language_names(codes: Iterable[str], language: str) -> str:
    """ "español e inglés": a list of language names in the reader's language."""
    names = [language_name(c, language) for c in codes]
    return format_list(names, locale=babel_locale(language)) if names else ""


def country_name(code: str, language: str) -> str:
    return Locale.parse(babel_locale(language)).territories.get(code.upper(), code.upper())


def pick_text(texts: dict[str, str] | None, language: str, default: str = "es") -> str:
    """The reader's language, else the default language, else whichever exists."""
    if not texts:
        return ""
    return texts.get(language) or texts.get(default) or next(iter(texts.values()), "")
