"""Which of our three languages a text is in: a small, honest guess from common words and
letters, to preselect a button (the person still confirms; None when unsure).

Each frequent word that belongs to only one of the languages counts one point, and a few
letters and endings that only one uses count too (ñ ¿ ¡ in Spanish; ã õ ç and -ção in
Portuguese). Words the languages share (``para``, ``a``, ``no``) count for none. A guess
needs two points and twice the points of the runner-up.
"""

from __future__ import annotations

import re

WORDS: dict[str, frozenset[str]] = {
    "es": frozenset(
        "el la los las del al y es en un una unos unas que por con para su sus se lo le les "
        "como más pero este esta estos estas ese esa muy también hay ser son está están "
        "hola gracias usted ustedes nosotros nuestro nuestra hasta desde cuando donde "
        "fue sobre entre todos todas cada año años día días hoy mañana semana red invitamos "
        "taller curso cursos encuentro reunión próximo próxima les".split()
    ),
    "pt": frozenset(
        "o os as do da dos das ao aos e é em um uma uns umas que por com para seu sua seus "
        "suas se no na nos nas como mais mas este esta isto esse essa muito também há ser "
        "são está estão olá obrigado obrigada você vocês nós nosso nossa até desde quando "
        "onde foi sobre entre todos todas cada ano anos dia dias hoje amanhã semana rede "
        "convidamos oficina curso cursos encontro reunião próximo próxima não".split()
    ),
    "en": frozenset(
        "the a an of and is are to in on at for with by from this that these those it its "
        "be was were will can you your we our they their he she his her not but or as "
        "hello thanks thank all each year years day days today tomorrow week network "
        "invite workshop course courses meeting next please join".split()
    ),
}
LETTERS: dict[str, re.Pattern[str]] = {
    "es": re.compile(r"[ñ¿¡]|ción\b|ciones\b"),
    "pt": re.compile(r"[ãõç]|ção\b|ções\b|lh|nh"),
    "en": re.compile(r"\b\w+'(s|t|re|ll|ve)\b|\bth\w+|\w+ing\b"),
}
TAGS = re.compile(r"<[^>]*>|&[a-z]+;|https?://\S+")
WORD = re.compile(r"[^\W\d_]+(?:'[a-z]+)?")


def _scores(text: str) -> dict[str, int]:
    words = WORD.findall(TAGS.sub(" ", text.lower()))
    scores = dict.fromkeys(WORDS, 0)
    for word in words:
        owners = [code for code, common in WORDS.items() if word in common]
        if len(owners) == 1:
            scores[owners[0]] += 1
    plain = " ".join(words)
    for code, pattern in LETTERS.items():
        scores[code] += min(3, len(pattern.findall(plain)))
    return scores


def guess_language(text: str) -> str | None:
    """``"es"``, ``"pt"``, ``"en"``, or None when the text does not say clearly."""
    scores = _scores(text)
    ranked = sorted(scores.items(), key=lambda item: item[1], reverse=True)
    (best, top), (_, second) = ranked[0], ranked[1]
    if top >= 2 and top >= 2 * second:
        return best
    return None
