"""Refresh the gettext catalogs: extract message ids, merge them into es/pt/en.

Run ``python locales/update.py`` (``make messages``) after adding or changing user-facing
strings. Message ids are English, so the English catalog is filled with the ids themselves;
the Spanish and Portuguese catalogs keep their translations and list what is new as empty
(the i18n test fails until someone translates it).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
LANGUAGES = ("es", "pt", "en")
KEYWORDS = ["-k", "tr", "-k", "N_", "-k", "ngettext:1,2", "-k", "tr.ngettext:1,2"]


def main() -> int:
    pot = HERE / "messages.pot"
    pybabel = [sys.executable, "-m", "babel.messages.frontend"]
    subprocess.run(
        [
            *pybabel,
            "extract",
            "-F",
            str(HERE / "babel.cfg"),
            *KEYWORDS,
            "--no-location",
            "--sort-output",
            "--omit-header",
            "-o",
            str(pot),
            str(ROOT),
        ],
        check=True,
        cwd=ROOT,
    )
    for language in LANGUAGES:
        po = HERE / language / "LC_MESSAGES" / "messages.po"
        action = "update" if po.exists() else "init"
        extra = ["--no-fuzzy-matching", "--ignore-obsolete"] if action == "update" else []
        subprocess.run(
            [*pybabel, action, "-i", str(pot), "-d", str(HERE), "-l", language, *extra],
            check=True,
            cwd=ROOT,
        )
    fill_english(HERE / "en" / "LC_MESSAGES" / "messages.po")
    return 0


def fill_english(path: Path) -> None:
    with path.open("rb") as handle:
        catalog = read_po(handle, locale="en")
    for message in catalog:
        if not message.id:
            continue
        if isinstance(message.id, tuple):
            if not all(message.string):
                message.string = message.id
        elif not message.string:
            message.string = message.id
        message.flags.discard("fuzzy")
    with path.open("wb") as handle:
        write_po(handle, catalog, width=100, omit_header=False)


if __name__ == "__main__":
    raise SystemExit(main())
