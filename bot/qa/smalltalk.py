"""What is not a question about the catalog: small talk and questions out of scope.

Greetings, thanks, yes/no, stray digits and emoji get a short reply saying what the bot can
do; they are never kept as unanswered questions. Questions about the weather, the news and
the like are out of scope: the bot says so instead of offering the nearest course or event.
Phone-style spellings ("q dia empieza", "vc sabe", "wen") are rewritten into plain words
before anything else reads the question.
"""

from __future__ import annotations

import re

from bot.qa.text import fold

# word (folded) → (kind, language); the language says how to reply when it is all there is.
_SMALL_TALK: dict[str, tuple[str, str]] = {}
for _kind, _language, _words in (
    ("greeting", "es", "hola buenas buenos dias tardes noches que tal holis saludos"),
    ("greeting", "pt", "ola oi oie bom boa dia tarde noite tudo bem beleza"),
    ("greeting", "en", "hi hello hey hiya good morning afternoon evening howdy yo"),
    ("thanks", "es", "gracias muchas mil genial perfecto excelente vale dale listo"),
    ("thanks", "pt", "obrigado obrigada valeu brigado brigada otimo perfeito massa"),
    ("thanks", "en", "thanks thank you thx ty cheers great perfect awesome cool nice"),
    ("yesno", "es", "si no claro bueno ok okay okey nada"),
    ("yesno", "pt", "sim nao certo blz ta"),
    ("yesno", "en", "yes no yeah yep nope sure ok okay fine alright"),
    ("bye", "es", "chau chao adios hasta luego"),
    ("bye", "pt", "tchau ate logo mais"),
    ("bye", "en", "bye goodbye see later"),
):
    for _word in _words.split():
        _SMALL_TALK.setdefault(_word, (_kind, _language))

# Subjects the network's catalog never covers.
OFF_TOPIC = re.compile(
    r"\b(clima|tiempo hace|tempo faz|weather|temperatura|temperature|lluvia|chuva|rain|"
    r"pronostico|previsao do tempo|forecast|noticias|noticia|news|headlines|futbol|futebol|"
    r"football|soccer|partido de|jogo do|score|horoscopo|horoscope|receta|receita|recipe|"
    r"chiste|piada|joke|bitcoin|dolar|cotizacion|cotacao|exchange rate|stock market|"
    r"bolsa de valores|loteria|lottery)\b"
)

# Phone-style spellings → the word meant (folded, lower case); "vc" before a verb is
# "você" (it otherwise stands for "videoconferencia").
_SHORTHAND = {
    "q": "que",
    "k": "que",
    "ke": "que",
    "qe": "que",
    "pq": "porque",
    "xq": "porque",
    "porq": "porque",
    "tb": "tambien",
    "tbm": "tambem",
    "tmb": "tambien",
    "wen": "when",
    "wat": "what",
    "wht": "what",
    "whn": "when",
    "hw": "how",
    "u": "you",
    "ur": "your",
    "r": "are",
    "pls": "please",
    "plz": "please",
    "cdo": "cuando",
    "qdo": "quando",
    "qnd": "quando",
    "qndo": "quando",
    "dnd": "donde",
    "msm": "mesmo",
    "hj": "hoje",
    "amh": "amanha",
    "mñn": "mañana",
    "mnn": "mañana",
    "whats": "what is",
    "wats": "what is",
    "d": "de",
}
_SHORT_WORD = re.compile(r"(?<![\w@/.:])(" + "|".join(map(re.escape, _SHORTHAND)) + r")(?![\w/.:])")
_VOCE = re.compile(
    r"(?<![\w/])vc(?=\s+(sabe|sabes|tem|tens|pode|podes|poderia|conhece|me|ja|quer|acha)\b)"
)


def expand_shorthand(text: str) -> str:
    """The question with phone-style abbreviations written out ("q dia" → "que dia")."""
    text = _VOCE.sub("você", text, count=0) if "vc" in text.lower() else text
    return _SHORT_WORD.sub(lambda m: _SHORTHAND[m.group(1)], text)


def small_talk(text: str) -> tuple[str, str | None] | None:
    """``(kind, language)`` when the text is only small talk, digits or symbols, else None.

    The language is None when the words do not tell it (digits, emoji)."""
    tokens = re.findall(r"[^\W_]+", fold(text))
    if not tokens:
        return ("symbols", None)
    if all(t.isdigit() for t in tokens):
        return ("digits", None)
    if len(tokens) > 6:
        return None
    found = [_SMALL_TALK.get(t) for t in tokens]
    if any(f is None for f in found):
        return None
    kinds = [f[0] for f in found if f]
    languages = [f[1] for f in found if f]
    kind = next((k for k in ("thanks", "greeting", "bye", "yesno") if k in kinds), "yesno")
    language = max(set(languages), key=languages.count) if languages else None
    return (kind, language)


def off_topic(folded: str) -> bool:
    return bool(OFF_TOPIC.search(folded))
