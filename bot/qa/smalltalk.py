"""What is not a question about the catalog: small talk and questions out of scope.

Greetings, thanks, yes/no, stray digits and emoji get a short reply saying what the bot can
do; they are never kept as unanswered questions. Questions about the weather, the news and
the like are out of scope: the bot says so instead of offering the nearest course or event.
Phone-style spellings ("q dia empieza", "vc sabe", "wen") are rewritten into plain words
before anything else reads the question.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from bot.qa.lexicon import COMPILED_INTENTS, KIND_WORDS
from bot.qa.text import fold

RECORD_KINDS = KIND_WORDS["course"] | KIND_WORDS["event"]

# word (folded) → (kind, languages); the language says how to reply when it is all there
# is. "filler" words ("muchas", "very", "you") go with the others but are never enough alone.
_SMALL_TALK: dict[str, tuple[str, list[str]]] = {}
for _kind, _language, _words in (
    (
        "greeting",
        "es",
        "hola holaa holaaa buenas buenos buen dia dias tardes noches que tal holis saludos "
        "saludo estas estan andas",
    ),
    ("greeting", "pt", "ola oi oii oie bom boa dia tarde noite tudo bem beleza td"),
    (
        "greeting",
        "en",
        "hi hii hello hey heya hiya good morning afternoon evening howdy yo there are "
        "doing whats up sup",
    ),
    (
        "thanks",
        "es",
        "gracias grax graciass genial perfecto excelente vale dale listo buenisimo barbaro "
        "joya entendido agradezco agradecido agradecida",
    ),
    (
        "thanks",
        "pt",
        "obrigado obrigada obg brigado brigada valeu vlw otimo perfeito massa show entendi "
        "agradeco",
    ),
    (
        "thanks",
        "en",
        "thanks thank thx tnx ty tysm cheers great perfect awesome cool nice got "
        "understood appreciated appreciate",
    ),
    ("filler", "es", "muchas mil muchisimas muy como va todo bien por la tu su ayuda"),
    ("filler", "pt", "muito muita como vai pela sua ajuda"),
    ("filler", "en", "you very much lot so it how for the your help"),
    ("yesno", "es", "si no claro bueno ok okay okey oka nada jaja jajaja entiendo"),
    ("yesno", "pt", "sim nao certo blz ta kkk kkkk haha ah entao"),
    ("yesno", "en", "yes no yeah yep yup nope sure ok okay k fine alright lol hmm oh"),
    ("bye", "es", "chau chao adios hasta luego pronto nos vemos"),
    ("bye", "pt", "tchau ate logo mais breve"),
    ("bye", "en", "bye goodbye see later soon cya"),
):
    for _word in _words.split():
        _languages = _SMALL_TALK.setdefault(_word, (_kind, []))[1]
        if _language not in _languages:
            _languages.append(_language)

# Subjects the network's catalog never covers.
OFF_TOPIC = re.compile(
    r"\b(clima|tiempo hace|tempo faz|(que|qual|what) (tiempo|tempo|weather) (va a |vai |will )?"
    r"(hacer|hace|hara|fazer|faz|fara|be|is)|weather|temperatura|temperature|lluvia|llueve|chuva|"
    r"chove|rain|raining|pronostico|previsao do tempo|forecast|noticias|noticia|news|"
    r"headlines|futbol|futebol|football|soccer|partido de|jogo do|final score|the score of|"
    r"score of the|mundial|copa do|"
    r"el partido|o jogo|the match|quien gano|quem ganhou|who won|"
    r"world cup|horoscopo|horoscope|receta|receita|recipe|chiste|piada|joke|bitcoin|"
    r"dolar|cotizacion|cotacao|exchange rate|stock market|bolsa de valores|loteria|"
    r"lottery|elecciones|eleicoes|election|elections|presidente|president|pelicula|"
    r"peliculas|filme|filmes|movie|movies|cancion|musica|song|songs|restaurante|"
    r"restaurant|pizza|trafico|transito|traffic|cuantos anos tienes|how old are you|"
    r"eres un bot|eres un robot|are you a bot|are you a robot|voce e um robo|chatgpt|"
    r"llover|llovera|chover|vai chover|"
    r"capital de|capital da|capital do|capital of|pasaje|pasajes|passagem|passagens|"
    r"plane ticket|flights?|vuelos?|"
    r"voos?|hotel|hoteles|hoteis|visa|visto|hospital|hospitales|hospitais|farmacias?|pharmacy|"
    r"nearest|mas cercan[oa])\b"
    # sums ("quanto é 15% de 200?", "what is 12 x 7")
    r"|\b(cuanto es|quanto e|quanto da|how much is|what is|whats)\s+\d+([.,]\d+)?\s*"
    r"(%\s*(de|of)|x|\*|/|\+|-|mas|menos|por|vezes|plus|minus|times)\s*\d"
    # "what time is it?" alone (not "what time is it on Thursday")
    r"|^\W*(a )?(que hora es|que horas sao|que horas sao agora|what time is it)"
    r"( ahora| agora| now)?( (en|em|in) \w+( \w+)?)?\W*$"
)

# Phone-style spellings → the word meant (folded, lower case); "vc" before a verb is
# "você" (it otherwise stands for "videoconferencia").
_SHORTHAND = {
    "q": "que",
    "k": "que",
    "ke": "que",
    "qe": "que",
    "pq": "por que",
    "xq": "por que",
    "porq": "por que",
    "tb": "tambien",
    "tbm": "tambem",
    "tmb": "tambien",
    "wen": "when",
    "wat": "what",
    "wht": "what",
    "whn": "when",
    "wich": "which",
    "whic": "which",
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
    "oq": "o que",
    "qto": "quanto",
    "qnto": "quanto",
    "qt": "quanto",
    "qnt": "quanto",
    "cmo": "como",
    "dps": "depois",
    "vcs": "vocês",
    "cmg": "comigo",
    "ppl": "people",
    "xfa": "por favor",
    "porfa": "por favor",
    "porfi": "por favor",
    "abt": "about",
    "smth": "something",
    "sth": "something",
    "smthg": "something",
    "tmrw": "tomorrow",
    "tmr": "tomorrow",
    "tmrrw": "tomorrow",
    "2day": "today",
    "2morrow": "tomorrow",
    "tmw": "tomorrow",
    "mtg": "meeting",
    "wk": "week",
    "cert": "certificate",
    "reg": "register",
    "wher": "where",
    "whr": "where",
    "hwo": "how",
    "b4": "before",
    "thru": "through",
    "dnde": "donde",
    "cndo": "cuando",
    "kndo": "cuando",
    "kuando": "cuando",
    "cuado": "cuando",
    "ond": "onde",
    "aond": "onde",
}
_SHORT_WORD = re.compile(r"(?<![\w@/.:])(" + "|".join(map(re.escape, _SHORTHAND)) + r")(?![\w/.:])")
_VOCE = re.compile(
    r"(?<![\w/])vc(?=\s+(sabe|sabes|tem|tens|pode|podes|poderia|conhece|me|ja|quer|acha)\b)"
)


# "la video", "una video": the feminine says a videoconference ("el video" is a recording)
_LA_VIDEO = re.compile(
    r"(?i)\b(la|las|una|esta|esa|cada|pr[oó]xima|pr[oó]ximas|[uú]ltima)\s+(videos?)\b"
)


def _videoconference(match: re.Match[str]) -> str:
    plural = "s" if match.group(2).endswith("s") else ""
    return f"{match.group(1)} {match.group(2)[:5]}conferencia{plural}"


def expand_shorthand(text: str) -> str:
    """The question with phone-style abbreviations written out ("q dia" → "que dia", "la
    video" → "la videoconferencia")."""
    text = _VOCE.sub("você", text, count=0) if "vc" in text.lower() else text
    text = _LA_VIDEO.sub(_videoconference, text)
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
    if all(k == "filler" for k in kinds):
        return None
    kind = next((k for k in ("thanks", "greeting", "bye", "yesno") if k in kinds), "yesno")
    # Words of one language only tell the language ("ok" and "no" are in all three).
    single = [f[1][0] for f in found if f and len(f[1]) == 1]
    if not single:
        single = [f[1][0] for f in found if f]  # the first language it was listed in
    language = max(dict.fromkeys(single), key=single.count) if single else None
    return (kind, language)


# What only a course or event tells ("the deadline to sign up", "algo sobre…"): a question
# asking it of a subject the catalog has is for the catalog, whatever the subject.
ASKS_A_RECORD = re.compile(
    "|".join(COMPILED_INTENTS[name].pattern for name in ("deadline", "enroll", "certificate"))
    + r"|\b(algo|alguma coisa|something|anything) (sobre|de|on|about)\b"
)


def off_topic(
    folded: str,
    in_catalog: Callable[[str], bool] = lambda _word: False,
    in_faq: Callable[[str], bool] = lambda _word: False,
) -> bool:
    """A subject the catalog never covers, unless the question asks for a course or an
    event on it ("curso de chatgpt para profes", "taller para hoteles", "webinar sobre el
    clima" are for the catalog to answer), or asks what only a record tells of subjects
    that ``in_catalog`` says some record is about ("the deadline to sign up for English for
    hotel staff", "algo sobre empleos en música y cine"), or ``in_faq`` says an FAQ entry
    asks about them (the organizers' "visa letter for the meeting")."""
    found = [match.group(0) for match in OFF_TOPIC.finditer(folded)]
    if not found:
        return False
    if any(word in RECORD_KINDS for word in re.findall(r"\w+", folded)):
        return False
    if all(in_faq(word) for phrase in found for word in phrase.split()):
        return False
    subjects = all(in_catalog(word) for phrase in found for word in phrase.split())
    return not (subjects and ASKS_A_RECORD.search(folded))
