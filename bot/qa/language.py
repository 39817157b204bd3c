"""Which language a short question is written in: Spanish, Portuguese or English.

Marker words (folded) vote with weights that favour the unambiguous ones ("hoje", "when",
"cuando"), as do letters (ñ, ã, ç) and endings (-ción, -ção, -tion). A question that does not
tell its language clearly keeps the reader's.
"""

from __future__ import annotations

from bot.core.text import fold
from bot.qa.text import LANGUAGES, words


def _weights(spec: str) -> dict[str, float]:
    """``"el:2 los:2 y:1.5"`` → {"el": 2.0, …}."""
    pairs = (item.rpartition(":") for item in spec.split())
    return {word: float(weight) for word, _, weight in pairs}


# Words that tell a language apart (folded); weights favour the unambiguous ones.
_MARKERS: dict[str, dict[str, float]] = {
    "es": _weights(
        "el:2 los:2 las:2 del:2 y:1.5 cuando:2 donde:1.5 hay:2 curso:0.5 cursos:0.5 una:1 "
        "esta:0.5 cuanto:2 cuesta:2 puedo:1.5 tiene:1 inscribo:2 inscribirme:2 hora:1 "
        "proxima:1 proximo:1 empieza:2 comienza:2 gratis:1 enlace:2 sobre:0.5 como:0.5 "
        "que:0.5 semana:0.5 mes:0.5 es:1 son:1 cual:1.5 ano:0.5 dan:1.5 hoy:2 manana:2 "
        "reunion:2 inscripcion:2 idioma:1 tengo:1.5 puedes:1.5 entrar:0.3 lo:1 se:0.5 "
        "al:1.5 desde:1.5 hasta:1.5 ingles:1 sale:1"
    ),
    "pt": _weights(
        "o:1.5 os:2 do:2 da:1.5 dos:2 das:2 e:1 quando:2 onde:2 tem:2 ha:1 uma:2 um:2 "
        "curso:0.5 quanto:2 custa:2 posso:2 voce:3 nao:3 inscrevo:2 inscrever:2 hora:0.5 "
        "horas:0.5 proxima:1 proximo:1 comeca:3 inicia:1 gratuito:0.5 no:1 na:2 nas:2 "
        "nos:1 sobre:0.5 como:0.5 que:0.5 semana:0.5 mes:0.5 e':1 sao:2 qual:2 ano:0.5 "
        "hoje:3 amanha:3 reuniao:3 inscricao:3 lingua:1 idioma:0.5 pelo:2 pela:2 meu:2 "
        "minha:2 ate:1.5 em:2 ao:2 videoconferencia:0.2 certificado:0.2 ingles:0.5 dao:2 "
        "tenho:1"
    ),
    "en": _weights(
        "the:3 a:1 an:2 of:2 and:2 is:2 are:2 when:3 where:3 how:3 what:3 course:2 "
        "courses:2 does:3 do:1 there:2 for:1.5 with:2 about:2 my:2 i:2 can:2 which:2 "
        "will:2 next:2 free:1.5 link:0.5 time:1.5 start:2 starts:2 begin:2 cost:2 much:2 "
        "get:1.5 meeting:2 event:2 events:2 english:1 on:1.5 to:1.5 in:1 it:1.5 this:1.5 "
        "you:2 any:2 join:2 week:2 month:2 today:2 tomorrow:3 enrol:2 enroll:2 register:1"
    ),
}
_CHAR_HINTS = (
    ("ñ", "es", 3),
    ("¿", "es", 3),
    ("¡", "es", 3),
    ("ã", "pt", 3),
    ("õ", "pt", 3),
    ("ç", "pt", 3),
    ("ê", "pt", 2),
    ("ô", "pt", 1.5),
)
_SUFFIX_HINTS = (
    ("cion", "es", 1.5),
    ("ciones", "es", 1.5),
    ("cao", "pt", 1.5),
    ("coes", "pt", 1.5),
    ("tion", "en", 1.5),
    ("ing", "en", 1),
)


def detect_language(text: str, fallback: str) -> str:
    """The language a short question is written in; ``fallback`` when it is unclear."""
    lowered = text.lower()
    scores = dict.fromkeys(LANGUAGES, 0.0)
    for char, language, weight in _CHAR_HINTS:
        if char in lowered:
            scores[language] += weight
    for word in (fold(w) for w in words(text)):
        for language in LANGUAGES:
            scores[language] += _MARKERS[language].get(word, 0.0)
        for suffix, language, weight in _SUFFIX_HINTS:
            if word.endswith(suffix) and len(word) > len(suffix) + 2:
                scores[language] += weight
    best = max(LANGUAGES, key=lambda lang: (scores[lang], lang == fallback))
    ranked = sorted(scores.values(), reverse=True)
    if ranked[0] < 1.5 or ranked[0] - ranked[1] < 0.75:
        return fallback
    return best
