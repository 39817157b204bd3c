"""Countries and time zones: a country's main zone, the choices for multi-zone countries,
and resolving what people type (``Europe/Madrid``, ``Madrid``, ``São Paulo``, ``uruguay``)."""

from __future__ import annotations

import zoneinfo
from functools import lru_cache

from babel import Locale
from babel.core import get_global

from bot.core.text import fold_words

# Main zone first; a second entry means the member is asked to choose.
COUNTRY_ZONES: dict[str, tuple[str, ...]] = {
    "AR": ("America/Argentina/Buenos_Aires",),
    "BB": ("America/Barbados",),
    "BO": ("America/La_Paz",),
    "BR": (
        "America/Sao_Paulo",
        "America/Manaus",
        "America/Cuiaba",
        "America/Rio_Branco",
        "America/Noronha",
    ),
    "BZ": ("America/Belize",),
    "CL": ("America/Santiago", "America/Punta_Arenas", "Pacific/Easter"),
    "CO": ("America/Bogota",),
    "CR": ("America/Costa_Rica",),
    "CU": ("America/Havana",),
    "DO": ("America/Santo_Domingo",),
    "EC": ("America/Guayaquil", "Pacific/Galapagos"),
    "ES": ("Europe/Madrid", "Atlantic/Canary"),
    "GT": ("America/Guatemala",),
    "GY": ("America/Guyana",),
    "HN": ("America/Tegucigalpa",),
    "HT": ("America/Port-au-Prince",),
    "JM": ("America/Jamaica",),
    "MX": (
        "America/Mexico_City",
        "America/Cancun",
        "America/Monterrey",
        "America/Chihuahua",
        "America/Hermosillo",
        "America/Mazatlan",
        "America/Tijuana",
    ),
    "NI": ("America/Managua",),
    "PA": ("America/Panama",),
    "PE": ("America/Lima",),
    "PT": ("Europe/Lisbon", "Atlantic/Azores"),
    "PY": ("America/Asuncion",),
    "SR": ("America/Paramaribo",),
    "SV": ("America/El_Salvador",),
    "TT": ("America/Port_of_Spain",),
    "US": ("America/New_York", "America/Chicago", "America/Denver", "America/Los_Angeles"),
    "UY": ("America/Montevideo",),
    "VE": ("America/Caracas",),
    "CH": ("Europe/Zurich",),
    "IT": ("Europe/Rome",),
}


def country_zones(country: str) -> tuple[str, ...]:
    """Zones for a country: curated for the network, else Babel's list, else empty."""
    code = country.upper()
    if code in COUNTRY_ZONES:
        return COUNTRY_ZONES[code]
    zones = get_global("territory_zones").get(code, [])
    return tuple(z for z in zones if is_valid_zone(z))


def is_valid_zone(name: str) -> bool:
    return name in _available_zones()


@lru_cache(maxsize=1)
def _available_zones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


@lru_cache(maxsize=1)
def _zone_aliases() -> dict[str, str]:
    """Folded city and country names (English, Spanish, Portuguese) -> IANA zone."""
    aliases: dict[str, str] = {}
    for zone in sorted(_available_zones()):
        if "/" in zone and not zone.startswith(("Etc/", "SystemV/", "US/")):
            aliases.setdefault(fold_words(zone.rsplit("/", 1)[-1]), zone)
    for lang in ("en", "es", "pt_BR"):
        locale = Locale.parse(lang)
        for zone, data in locale.time_zones.items():
            city = data.get("city") if hasattr(data, "get") else None
            if city and zone in _available_zones():
                aliases.setdefault(fold_words(city), zone)
        for code, zones in COUNTRY_ZONES.items():
            name = locale.territories.get(code)
            if name:
                aliases.setdefault(fold_words(name), zones[0])
    for code, zones in COUNTRY_ZONES.items():
        aliases.setdefault(code.lower(), zones[0])
    return aliases


def resolve_zone(text: str) -> str | None:
    """An IANA zone for what a person typed, or None when nothing fits."""
    candidate = text.strip()
    if not candidate or len(candidate) > 64:
        return None
    if is_valid_zone(candidate):
        return candidate
    # Case-insensitive IANA names ("europe/madrid").
    lowered = {z.lower(): z for z in _available_zones()}
    if candidate.lower() in lowered:
        return lowered[candidate.lower()]
    return _zone_aliases().get(fold_words(candidate))


def city_of(zone: str) -> str:
    return zone.rsplit("/", 1)[-1].replace("_", " ")
