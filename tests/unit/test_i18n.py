"""Catalogs: every message translated in es, pt and en with the same placeholders, and the
template up to date with the code."""

from __future__ import annotations

import re
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from bot.core.i18n import LANGUAGES, LOCALES_DIR, Translator, format_local_datetime

ROOT = Path(__file__).resolve().parents[2]
PLACEHOLDER = re.compile(r"\{(\w*)\}")


def _catalog(language: str):  # type: ignore[no-untyped-def]
    with (LOCALES_DIR / language / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        return read_po(handle, locale=language)


def _template_ids() -> set[str]:
    with (LOCALES_DIR / "messages.pot").open("rb") as handle:
        return {m.id for m in read_po(handle) if m.id and isinstance(m.id, str)}


def test_template_matches_the_code(tmp_path: Path) -> None:
    out = tmp_path / "fresh.pot"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "babel.messages.frontend",
            "extract",
            "-F",
            str(LOCALES_DIR / "babel.cfg"),
            "-k",
            "tr",
            "-k",
            "N_",
            "-k",
            "ngettext:1,2",
            "--no-location",
            "-o",
            str(out),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
        cwd=ROOT,
    )
    with out.open("rb") as handle:
        fresh = {m.id for m in read_po(handle) if m.id and isinstance(m.id, str)}
    missing = fresh - _template_ids()
    assert not missing, f"run `make i18n-extract`; not in messages.pot: {sorted(missing)[:10]}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_message_is_translated_with_same_placeholders(language: str) -> None:
    catalog = _catalog(language)
    by_id = {m.id: m for m in catalog if m.id}
    problems = []
    for msgid in sorted(_template_ids()):
        message = by_id.get(msgid)
        if message is None or not message.string or message.fuzzy:
            problems.append(f"untranslated: {msgid!r}")
            continue
        if sorted(PLACEHOLDER.findall(msgid)) != sorted(PLACEHOLDER.findall(message.string)):
            problems.append(f"placeholders differ: {msgid!r} -> {message.string!r}")
        if message.string.count("<") != msgid.count("<"):
            problems.append(f"HTML tags differ: {msgid!r} -> {message.string!r}")
    assert not problems, "\n".join(problems[:20])


def test_spanish_and_portuguese_are_not_english() -> None:
    for language in ("es", "pt"):
        catalog = _catalog(language)
        same = [m.id for m in catalog if m.id and m.string == m.id and len(str(m.id).split()) > 3]
        assert len(same) == 0, f"{language}: left in English: {same[:5]}"


def test_translator_formats_and_falls_back() -> None:
    assert Translator("pt")("Language: {language}", language="Português") == "Idioma: Português"
    assert Translator("xx").language == "es"


def test_dates_in_reader_locale_and_zone() -> None:
    moment = datetime(2020, 3, 26, 17, 0, tzinfo=UTC)
    assert format_local_datetime(moment, "Europe/Madrid", "es").endswith("18:00")
    assert "quinta-feira" in format_local_datetime(moment, "America/Sao_Paulo", "pt")
    # CLDR puts a narrow no-break space before AM/PM.
    assert "11:00\u202fAM" in format_local_datetime(moment, "America/Mexico_City", "en")
