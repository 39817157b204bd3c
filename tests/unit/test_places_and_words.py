"""Places and words in the reader's language: CLDR exemplar cities, /timezone's capitals,
offsets and canonical zones, language names, the language guess of /broadcast, the /audit
entries, the /broadcasts snippet and counts through ngettext."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.core.geo import REGIONS, canonical_zone, offset_zone, region_of, resolve_zone
from bot.core.i18n import Translator, language_name, language_names, workload, zone_name
from bot.core.langguess import guess_language
from bot.render.audit import audit_page, details_text, entry_block, shorten
from bot.render.broadcasts import audience_text, snippet, stats_text
from bot.render.labels import region_name, survey_status
from storage.broadcasts import Recipients
from storage.models import AuditLog
from storage.stats import MemberStats


@pytest.mark.parametrize(
    ("zone", "language", "shown"),
    [
        ("America/Sao_Paulo", "es", "São Paulo"),
        ("America/Cuiaba", "es", "Cuiabá"),
        ("America/Cancun", "es", "Cancún"),
        ("America/Mexico_City", "es", "Ciudad de México"),
        ("America/Mexico_City", "pt", "Cidade do México"),
        ("America/Montevideo", "pt", "Montevidéu"),
        ("Europe/Madrid", "pt", "Madri"),
        ("America/Mexico_City", "en", "Mexico City"),
        ("Etc/GMT+3", "es", "UTC−3"),
        ("Etc/GMT-1", "en", "UTC+1"),
        ("Etc/UTC", "pt", "UTC"),
    ],
)
def test_zone_names_are_cldr_cities_in_the_readers_language(
    zone: str, language: str, shown: str
) -> None:
    assert zone_name(zone, language) == shown


@pytest.mark.parametrize(
    ("typed", "zone"),
    [
        ("Brasília", "America/Sao_Paulo"),
        ("brasilia", "America/Sao_Paulo"),
        ("Rio de Janeiro", "America/Sao_Paulo"),
        ("Kingston", "America/Jamaica"),
        ("Bridgetown", "America/Barbados"),
        ("Georgetown", "America/Guyana"),
        ("San José", "America/Costa_Rica"),
        ("Quito", "America/Guayaquil"),
        ("San Salvador", "America/El_Salvador"),
        ("Praia", "Atlantic/Cape_Verde"),
        ("Sucre", "America/La_Paz"),
        ("Jamaica", "America/Jamaica"),  # the country, not IANA's alias zone "Jamaica"
        ("US/Eastern", "America/New_York"),
        ("America/Buenos_Aires", "America/Argentina/Buenos_Aires"),
        ("UTC-3", "Etc/GMT+3"),
        ("GMT-3", "Etc/GMT+3"),
        ("utc+1", "Etc/GMT-1"),
        ("UTC −03:00", "Etc/GMT+3"),
        ("Montevido", "America/Montevideo"),  # misspelt: rapidfuzz
        ("Brasilla", "America/Sao_Paulo"),
    ],
)
def test_timezone_understands_capitals_offsets_and_aliases(typed: str, zone: str) -> None:
    assert resolve_zone(typed) == zone


@pytest.mark.parametrize("typed", ["UTC+15", "UTC-13", "GMT+x", "Xyzzy", "Nowhere"])
def test_offsets_out_of_range_and_nonsense(typed: str) -> None:
    assert resolve_zone(typed) is None


def test_canonical_zone_and_offsets() -> None:
    assert canonical_zone("Jamaica") == "America/Jamaica"
    assert canonical_zone("Brazil/East") == "America/Sao_Paulo"
    assert canonical_zone("Europe/Madrid") == "Europe/Madrid"
    assert offset_zone("UTC+0") == "Etc/UTC" and offset_zone("UTC+14") == "Etc/GMT-14"


def test_every_network_country_has_a_region_and_no_region_is_long() -> None:
    from bot.core.geo import COUNTRY_ZONES

    assert all(region_of(code) != "ZZ" for code in COUNTRY_ZONES)
    assert all(len(codes) <= 14 for codes in REGIONS.values())
    assert region_of("FJ") == "ZZ"


@pytest.mark.parametrize(
    ("language", "names"),
    [
        ("es", ["Sudamérica", "Centroamérica y México", "Estados Unidos y Canadá"]),
        ("pt", ["América do Sul", "América Central e México", "Estados Unidos e Canadá"]),
        ("en", ["South America", "Central America and Mexico", "United States and Canada"]),
    ],
)
def test_region_buttons_read_naturally(language: str, names: list[str]) -> None:
    """Not CLDR's "América Setentrional" or "Northern America" for the US and Canada."""
    tr = Translator(language)
    assert [region_name(r, tr) for r in ("005", "013", "021")] == names


def test_language_names_in_the_readers_language() -> None:
    assert language_names(["es", "en"], "es") == "español y inglés"
    assert language_names(["es", "pt"], "pt") == "espanhol e português"
    assert language_names(["es", "pt", "en"], "en") == "Spanish, Portuguese, and English"
    assert language_name("pt", "es") == "portugués"


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("<b>Hola</b> red", "es"),
        ("La próxima reunión de la red será el martes", "es"),
        ("Estimados colegas: les recordamos que mañana hay reunión", "es"),
        ("<b>Olá</b> rede", "pt"),
        ("A próxima reunião da rede será na terça-feira", "pt"),
        ("Convidamos todos para a oficina de formação", "pt"),
        ("Hello network, the next meeting is on Tuesday", "en"),
        ("Join us for the workshop on skills", "en"),
        ("first", None),
        ("Aviso para Uruguay", None),  # "para" is Spanish and Portuguese alike
        ("<a href='https://the.org'>x</a>", None),
    ],
)
def test_language_guess(text: str, language: str | None) -> None:
    assert guess_language(text) == language


def test_shorten_never_cuts_a_word() -> None:
    assert shorten("uno dos tres cuatro", 12) == "uno dos…"
    assert shorten("corto", 12) == "corto"


def test_audit_entry_is_readable() -> None:
    tr = Translator("es")
    entry = AuditLog(
        at=datetime(2026, 12, 2, 12, 0, tzinfo=UTC),
        actor_id=1,
        actor_name="Ana",
        action="move event",
        target="webinar-3",
        details={"from": "2026-12-03T13:00:00+00:00", "to": "2026-12-04T13:00:00+00:00"},
    )
    block = entry_block(entry, tr, "America/Montevideo")
    assert block.splitlines()[0] == "<b>evento reprogramado</b> → <code>webinar-3</code>"
    assert "Ana · " in block and "{" not in block and "+00:00" not in block
    assert "de: 3 dic 2026, 10:00 · a: 4 dic 2026, 10:00" in block  # the month named
    grant = AuditLog(action="grant", details={"role": "organizer", "previous": "member"})
    assert "rol: organizador · antes: miembro" in entry_block(grant, tr, "UTC")
    assert "el sistema" in entry_block(grant, tr, "UTC")
    summary = {"summary": {"events": {"created": 3, "updated": 0}}, "prune": False}
    assert details_text(summary, Translator("en"), "UTC") == (
        "summary: events created 3 · remove missing: no"
    )
    long = details_text({"title": "palabra " * 80}, tr, "UTC")
    assert len(long) <= 240 and long.endswith("palabra…")
    assert audit_page([grant], 1, tr, "UTC").startswith("<b>Registro de auditoría</b> (1 entrada)")


def test_snippet_is_plain_escaped_first_words() -> None:
    texts = {"es": "<b>Hola</b> a todos &amp; <i>bienvenidos</i> a la reunión de la red " * 3}
    words = snippet(texts, "pt", "es", limit=40)
    assert words.startswith("Hola a todos &amp; bienvenidos") and words.endswith("…")
    assert "<b>" not in words and len(words) < 50


def test_counts_use_plural_forms() -> None:
    for language, one in (("es", "1 persona y 1 grupo"), ("pt", "1 pessoa e 1 grupo")):
        text = audience_text(["all"], Recipients(1, 1), Translator(language))
        assert one in text and "/pending" not in text
    text = audience_text(["country:UY"], Recipients(1, 2, waiting=2), Translator("en"))
    assert "1 person and 2 groups" in text and "1 people" not in text
    assert "Not included: 2 people whose institution is not confirmed yet (/pending)." in text
    text = audience_text(["country:UY"], Recipients(1, 0, waiting=1), Translator("es"))
    assert "Sin incluir: 1 persona cuya institución aún no está confirmada" in text
    assert workload(1, Translator("es")) == "Carga horaria: 1 hora"
    assert workload(1.5, Translator("pt")) == "Carga horária: 1,5 horas"


def test_stats_roles_and_survey_statuses_are_localized() -> None:
    stats = MemberStats(
        total=2,
        active=2,
        opted_out=0,
        blocked=0,
        by_country=[],
        by_language=[("pt", 2)],
        by_institution=[],
        by_role=[("organizer", 1), ("member", 1)],
    )
    text = stats_text(stats, Translator("es"))
    assert "organizador: 1" in text and "miembro: 1" in text and "portugués: 2" in text
    assert "organizer" not in text
    assert survey_status("open", Translator("pt")) == "aberta"
    assert survey_status("draft", Translator("es")) == "borrador"


def test_audience_keyboard_of_many_countries_goes_by_region() -> None:
    from bot.core.geo import COUNTRY_ZONES
    from bot.render.broadcasts import audience_rows

    tr = Translator("es")
    countries = sorted(COUNTRY_ZONES)  # 33
    top = audience_rows(countries, {"country:UY"}, tr)
    labels = [b.text for row in top for b in row]
    assert len(labels) <= 13 and "🌎 Sudamérica" in labels and "✅ Uruguay" in labels
    assert "🌎 Centroamérica y México" in labels and "Brasil" not in labels
    south = audience_rows(countries, {"country:UY"}, tr, region="005")
    labels = [b.text for row in south for b in row]
    assert "Brasil" in labels and "✅ Uruguay" in labels and "México" not in labels
    assert len(labels) <= 13 and labels[-1] == "◀"
    few = audience_rows(["UY", "BR"], set(), tr)  # few countries: all at once, as before
    assert "Brasil" in [b.text for row in few for b in row]


def test_a_made_up_place_is_not_matched_to_a_region_alias() -> None:
    """ "Atlantis" once became Halifax through the alias Canada/Atlantic."""
    from bot.core.geo import resolve_zone

    assert resolve_zone("Atlantis") is None
    assert resolve_zone("Montevido") == "America/Montevideo"
    assert resolve_zone("kingstn") == "America/Jamaica"
