"""Text folding: one rule for comparing what people type with what the data says."""

from __future__ import annotations

import unicodedata


def fold(text: str) -> str:
    """Lower case without accents: ``Formação`` → ``formacao``."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def fold_words(text: str) -> str:
    """:func:`fold` with separators unified, for names: "São_Paulo" -> "sao paulo"."""
    return " ".join(fold(text).replace("_", " ").replace("-", " ").split())
