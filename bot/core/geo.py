"""Countries and time zones: a country's main zone, the choices for multi-zone countries,
and resolving what people type (``Europe/Madrid``, ``Madrid``, ``São Paulo``, ``uruguay``)."""

from __future__ import annotations

import re
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


# Keyboards of countries are grouped past this many (a phone shows about a dozen at once).
KEYBOARD_MAX = 12
# Regions of the network's countries, keyed by their CLDR territory code.
REGIONS: dict[str, tuple[str, ...]] = {
    "005": ("AR", "BO", "BR", "CL", "CO", "EC", "GY", "PE", "PY", "SR", "UY", "VE"),
    "013": ("BZ", "CR", "GT", "HN", "MX", "NI", "PA", "SV"),
    "029": ("BB", "CU", "DO", "HT", "JM", "TT", "BS", "LC", "VC", "GD", "AG", "DM", "KN", "PR"),
    "150": ("ES", "PT", "CH", "IT", "FR", "DE", "BE", "NL", "GB", "IE", "AT"),
    "021": ("US", "CA"),
}
OTHER_REGION = "ZZ"


def region_of(country: str) -> str:
    for region, codes in REGIONS.items():
        if country.upper() in codes:
            return region
    return OTHER_REGION


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


# Capitals and big cities of the network that are not a zone's exemplar city.
CITY_ZONES: dict[str, str] = {
    "brasilia": "America/Sao_Paulo",
    "rio de janeiro": "America/Sao_Paulo",
    "rio": "America/Sao_Paulo",
    "belo horizonte": "America/Sao_Paulo",
    "porto alegre": "America/Sao_Paulo",
    "curitiba": "America/Sao_Paulo",
    "salvador": "America/Bahia",
    "kingston": "America/Jamaica",
    "bridgetown": "America/Barbados",
    "georgetown": "America/Guyana",
    "san jose": "America/Costa_Rica",
    "quito": "America/Guayaquil",
    "san salvador": "America/El_Salvador",
    "praia": "Atlantic/Cape_Verde",
    "sucre": "America/La_Paz",
    "santa cruz": "America/La_Paz",
    "cordoba": "America/Argentina/Cordoba",
    "rosario": "America/Argentina/Buenos_Aires",
    "medellin": "America/Bogota",
    "cali": "America/Bogota",
    "guadalajara": "America/Mexico_City",
    "valparaiso": "America/Santiago",
    "barcelona": "Europe/Madrid",
    "sevilla": "Europe/Madrid",
    "porto": "Europe/Lisbon",
    "ginebra": "Europe/Zurich",
    "genebra": "Europe/Zurich",
    "geneva": "Europe/Zurich",
    "turin": "Europe/Rome",
    "utc": "Etc/UTC",
    "gmt": "Etc/UTC",
    "torino": "Europe/Rome",
}
# "UTC-3", "GMT +3", "utc−03:00": a fixed offset in whole hours.
OFFSET = re.compile(r"^(?:utc|gmt)\s*([+\-−])\s*(\d{1,2})(?::?00)?$")


def canonical_zone(zone: str) -> str:
    """The canonical IANA name of a zone ("Jamaica" → "America/Jamaica")."""
    return str(get_global("zone_aliases").get(zone, zone))


def offset_zone(text: str) -> str | None:
    """``UTC-3`` → ``Etc/GMT+3`` (IANA's sign is reversed), within −12…+14."""
    match = OFFSET.match(text.strip().lower())
    if match is None:
        return None
    hours = int(match[2]) * (-1 if match[1] in "-−" else 1)
    if not -12 <= hours <= 14:
        return None
    return "Etc/UTC" if hours == 0 else f"Etc/GMT{-hours:+d}"


def resolve_zone(text: str) -> str | None:
    """A canonical IANA zone for what a person typed, or None when nothing fits."""
    candidate = text.strip()
    if not candidate or len(candidate) > 64:
        return None
    found = _exact_zone(candidate)
    return canonical_zone(found) if found else None


def _exact_zone(candidate: str) -> str | None:
    if is_valid_zone(candidate) and ("/" in candidate or candidate == "UTC"):
        return candidate
    # Case-insensitive IANA names ("europe/madrid").
    lowered = {z.lower(): z for z in _available_zones()}
    if "/" in candidate and candidate.lower() in lowered:
        return lowered[candidate.lower()]
    offset = offset_zone(candidate)
    if offset is not None:
        return offset
    folded = fold_words(candidate)
    known = CITY_ZONES.get(folded) or _zone_aliases().get(folded)
    if known is not None or is_valid_zone(candidate):
        return known or candidate
    return _fuzzy_zone(folded)


def _fuzzy_zone(folded: str) -> str | None:
    """A slightly misspelt city or country ("Montevido", "Brasilla"), when one fits best."""
    if len(folded) < 4:
        return None
    from rapidfuzz import fuzz, process

    # Only place names: a region alias ("Canada/Atlantic" as "atlantic") would turn
    # "Atlantis" into Halifax.
    cities = {
        a: z for a, z in _zone_aliases().items() if a == fold_words(city_of(canonical_zone(z)))
    }
    names = {**cities, **CITY_ZONES}
    best = process.extract(folded, list(names), scorer=fuzz.ratio, limit=2, score_cutoff=85)
    if not best:
        return None
    if len(best) > 1 and best[1][1] == best[0][1] and names[best[1][0]] != names[best[0][0]]:
        return None  # two places fit as well: better to ask again
    return names[best[0][0]]


def city_of(zone: str) -> str:
    return zone.rsplit("/", 1)[-1].replace("_", " ")
