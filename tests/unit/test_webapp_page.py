"""The Mini App page's sources: every text it shows is in the catalogs, no user text can
become HTML, nothing is loaded from the internet, and the first load stays small."""

from __future__ import annotations

import re
from pathlib import Path

from bot.core.i18n import Translator
from bot.webapp.pages import page_strings
from bot.webapp.strings import PAGE_STRINGS

STATIC = Path(__file__).resolve().parents[2] / "bot" / "webapp" / "static"
CALL = re.compile(r'\bt\("((?:[^"\\]|\\.)*)"')


def _scripts() -> dict[str, str]:
    return {p.name: p.read_text(encoding="utf-8") for p in sorted((STATIC / "js").glob("*.js"))}


def test_every_page_text_is_listed_for_the_catalogs() -> None:
    used = {m for source in _scripts().values() for m in CALL.findall(source)}
    assert used - set(PAGE_STRINGS) == set(), "add them to bot/webapp/strings.py"
    assert set(PAGE_STRINGS) - used == set(), "no longer used by the page"


def test_strings_are_translated() -> None:
    spanish = page_strings("es")
    assert spanish["Going"] == Translator("es")("Going") == "Voy"
    assert page_strings("pt")["Survey board"] == "Painel de pesquisas"
    assert all(page_strings("en")[m] == m for m in PAGE_STRINGS)


def test_no_html_sinks_and_nothing_from_outside() -> None:
    for name, source in _scripts().items():
        for sink in (
            "innerHTML",
            "outerHTML",
            "insertAdjacentHTML",
            "document.write",
            "eval(",
            "new Function",
        ):
            assert sink not in source, f"{name} uses {sink}"
    for path in STATIC.rglob("*"):
        if path.is_file() and path.suffix in {".js", ".css", ".html", ".svg"}:
            text = path.read_text(encoding="utf-8")
            assert not re.search(r"""(src|href|url\()\s*=?\s*["']?(https?:)?//""", text), path.name
            assert "@import" not in text and "<style" not in text and "style=" not in text


def test_first_load_is_small() -> None:
    total = sum(p.stat().st_size for p in STATIC.rglob("*") if p.is_file())
    assert total <= 300 * 1024, total
