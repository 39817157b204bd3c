"""Phrases said in more words than one, written as one token before a text is indexed or a
question matched ("big data" → ``bigdata``, "log in" → ``login``, "end of year" →
``yearend``), and phrases whose words would otherwise mean something else ("climate
change" is no change, "punto focal" no point)."""

from __future__ import annotations

import re

PHRASES = (
    ("big data", "bigdata"),
    ("industria 4.0", "industria4"),
    ("industry 4.0", "industria4"),
    ("indústria 4.0", "industria4"),
    ("covid-19", "covid"),
    ("e-learning", "elearning"),
    ("inteligencia artificial", "ia"),
    ("inteligência artificial", "ia"),
    ("artificial intelligence", "ai"),
    # a course that starts, however it is put ("which courses kick off in May")
    ("kick off", "start"),
    ("kicks off", "starts"),
    ("kicking off", "starting"),
    # a recording: what is watched after the event ("can I watch it later")
    ("ver después", "rever"),
    ("ver despues", "rever"),
    ("ver más tarde", "rever"),
    ("ver mas tarde", "rever"),
    ("ver depois", "rever"),
    ("assistir depois", "rever"),
    ("watch later", "rewatch"),
    ("watch it later", "rewatch"),
    # skills learned at work are prior learning (its recognition: RPL)
    ("learned on the job", "prior learning"),
    ("learnt on the job", "prior learning"),
    ("learned at work", "prior learning"),
    ("learnt at work", "prior learning"),
    ("aprendido en el trabajo", "aprendizajes previos"),
    ("aprendieron en el trabajo", "aprendizajes previos"),
    ("aprendido trabajando", "aprendizajes previos"),
    ("aprendieron trabajando", "aprendizajes previos"),
    ("aprendido no trabalho", "aprendizagens prévias"),
    ("aprenderam no trabalho", "aprendizagens prévias"),
    ("aprendido trabalhando", "aprendizagens prévias"),
    ("aprenderam trabalhando", "aprendizagens prévias"),
    # teaching at a distance is a field ("ensino a distância"), not a course's modality
    ("ensino a distância", "elearning"),
    ("ensino a distancia", "elearning"),
    ("educação a distância", "elearning"),
    ("educação a distancia", "elearning"),
    ("educacao a distância", "elearning"),
    ("educacao a distancia", "elearning"),
    ("formação a distância", "elearning"),
    ("formação a distancia", "elearning"),
    ("formacao a distância", "elearning"),
    ("formacao a distancia", "elearning"),
    ("educación a distancia", "elearning"),
    ("educacion a distancia", "elearning"),
    ("formación a distancia", "elearning"),
    ("formacion a distancia", "elearning"),
    ("enseñanza a distancia", "elearning"),
    ("ensenanza a distancia", "elearning"),
    ("aprendizaje a distancia", "elearning"),
    ("aprendizagem a distância", "elearning"),
    ("aprendizagem a distancia", "elearning"),
    ("distance learning", "elearning"),
    ("distance education", "elearning"),
    # heading something is its direction ("quien está al frente de"), not facing it
    ("al frente de", "a la dirección de"),
    ("à frente da", "na direção da"),
    ("à frente do", "na direção do"),
    ("a frente da", "na direção da"),
    ("a frente do", "na direção do"),
    ("at the head of", "directing"),
    ("at the helm of", "directing"),
    # the year's close and its review: one occasion however it is put
    ("end of the year", "yearend"),
    ("end of year", "yearend"),
    ("end-of-year", "yearend"),
    ("year-end", "yearend"),
    ("year end", "yearend"),
    ("fin de año", "yearend"),
    ("fin del año", "yearend"),
    ("fin de ano", "yearend"),
    ("final del año", "yearend"),
    ("final de año", "yearend"),
    ("cierre del año", "yearend"),
    ("cierre de año", "yearend"),
    ("fim de ano", "yearend"),
    ("fim do ano", "yearend"),
    ("final do ano", "yearend"),
    ("encerramento do ano", "yearend"),
    ("year in review", "yearreview"),
    ("balance del año", "yearreview"),
    ("balance anual", "yearreview"),
    ("balanço do ano", "yearreview"),
    ("balanco do ano", "yearreview"),
    ("balanço anual", "yearreview"),
    # a training programme is a curriculum ("armar un programa de formación")
    ("programa de formación", "currículo"),
    ("programa de formacion", "curriculo"),
    ("programas de formación", "currículos"),
    ("programa de formação", "currículo"),
    ("programa de formacao", "curriculo"),
    ("programas de formação", "currículos"),
    ("training programme", "curriculum"),
    ("training program", "curriculum"),
    ("plan de estudios", "currículo"),
    # a climate change is no change of anything ("cambiar el idioma")
    ("climate change", "climate"),
    ("cambio climático", "climático"),
    ("cambio climatico", "climatico"),
    ("mudança climática", "climática"),
    ("mudanca climatica", "climatica"),
    ("mudanças climáticas", "climáticas"),
    ("mudancas climaticas", "climaticas"),
    # "again", "the platform", "forgot", "login": said in more words than one
    ("de nuevo", "nuevamente"),
    ("otra vez", "nuevamente"),
    ("de novo", "novamente"),
    ("outra vez", "novamente"),
    ("ambiente virtual", "ava"),
    ("entorno virtual", "eva"),
    ("aula virtual", "eva"),
    ("não lembro", "esqueci"),
    ("nao lembro", "esqueci"),
    ("no recuerdo", "olvide"),
    ("no me acuerdo", "olvide"),
    ("don't remember", "forgot"),
    ("dont remember", "forgot"),
    ("lugar de trabajo", "workplace"),
    ("local de trabalho", "workplace"),
    # talking to someone is contacting them (speaking a language is the language)
    ("hablar con", "contactar con"),
    ("hablo con", "contacto con"),
    ("falar com", "contatar com"),
    ("falo com", "contato com"),
    ("talk to", "contact"),
    ("talk with", "contact"),
    # telling the network about something is sharing it
    ("tell the network", "share with the network"),
    ("tell other institutions", "share with other institutions"),
    ("speak to", "contact"),
    ("speak with", "contact"),
    # asking the bot what it does, with nothing but stopwords
    ("what can you do", "what can the bot do"),
    ("what do you do", "what does the bot do"),
    ("que puedes hacer", "que puede hacer el bot"),
    ("qué puedes hacer", "que puede hacer el bot"),
    ("que sabes hacer", "que sabe hacer el bot"),
    ("qué sabes hacer", "que sabe hacer el bot"),
    ("o que você faz", "o que o bot faz"),
    ("o que voce faz", "o que o bot faz"),
    ("o que você sabe fazer", "o que o bot sabe fazer"),
    ("o que voce sabe fazer", "o que o bot sabe fazer"),
    ("copias de seguridad", "backups"),
    ("copia de seguridad", "backup"),
    ("cópias de segurança", "backups"),
    ("cópia de segurança", "backup"),
    ("copias de seguranca", "backups"),
    ("copia de seguranca", "backup"),
    # a focal point is one thing, not a point ("how do we replace our focal point?")
    ("puntos focales", "focales"),
    ("punto focal", "focal"),
    ("pontos focais", "focais"),
    ("ponto focal", "focal"),
    ("focal points", "focal"),
    ("focal point", "focal"),
    ("log in", "login"),
    ("sign in", "signin"),
    ("iniciar sesión", "login"),
    ("iniciar sesion", "login"),
    ("dados de acesso", "login"),
    ("datos de acceso", "login"),
    ("login details", "login"),
    ("aulas virtuales", "eva"),
    ("virtual classrooms", "eva"),
    ("virtual classroom", "eva"),
    # an oil rig is no learning platform ("plataforma de petróleo" asks no platform)
    ("plataforma de petróleo", "offshore petróleo"),
    ("plataforma de petroleo", "offshore petroleo"),
    ("plataformas de petróleo", "offshore petróleo"),
    ("plataformas de petroleo", "offshore petroleo"),
    ("plataformas petroleras", "offshore petroleras"),
    ("plataforma petrolera", "offshore petrolera"),
    ("plataformas petrolíferas", "offshore petroleo"),
    ("plataforma petrolífera", "offshore petroleo"),
    ("oil platform", "offshore oil"),
    ("oil rig", "offshore oil"),
    ("costa afuera", "offshore"),
    ("alto mar", "offshore"),
    ("alta mar", "offshore"),
    ("nota fiscal", "notafiscal"),
    # money towards a course: a scholarship
    ("financial aid", "scholarship"),
    ("financial support", "scholarship"),
    ("ayuda económica", "beca"),
    ("ayuda economica", "beca"),
    ("apoyo económico", "beca"),
    ("apoyo economico", "beca"),
    ("ajuda de custo", "bolsa"),
    ("apoio financeiro", "bolsa"),
    ("notas fiscais", "notafiscal"),
    # giving up a course, said as not going on with it
    ("no puedo seguir", "quiero abandonar"),
    ("no puedo continuar", "quiero abandonar"),
    ("não posso continuar", "quero desistir"),
    ("nao posso continuar", "quero desistir"),
    ("não consigo continuar", "quero desistir"),
    ("nao consigo continuar", "quero desistir"),
    ("can't continue", "want to withdraw"),
    ("cannot continue", "want to withdraw"),
    ("get through", "pass"),
    # someone else in a person's place: a replacement
    ("outra no lugar", "substituto"),
    ("outro no lugar", "substituto"),
    ("otra en su lugar", "reemplazo"),
    ("otro en su lugar", "reemplazo"),
    ("alguien nuevo", "reemplazo"),
    ("alguém novo", "substituto"),
    ("someone new", "replacement"),
)


# a phrase written as one token → how many words it is said in ("bigdata": 2)
JOINED = {
    token: len(phrase.split())
    for phrase, token in PHRASES
    if " " not in token and len(phrase.split()) > 1
}


def _trie_pattern(phrases: list[str]) -> str:
    """One regex for any of ``phrases``, shaped as their prefix tree: Python's ``re`` tries
    the alternatives of a flat ``a|b|c`` one by one at every position, a tree's only along
    the characters that match."""
    trie: dict[str, dict] = {}
    for phrase in phrases:
        node = trie
        for char in phrase:
            node = node.setdefault(char, {})
        node[""] = {}

    def branch(node: dict[str, dict]) -> str:
        alternatives = [re.escape(char) + branch(node[char]) for char in sorted(node) if char]
        if not alternatives:
            return ""
        joined = "(?:" + "|".join(alternatives) + ")"
        return joined + "?" if "" in node else joined

    return branch(trie)


ANY_PHRASE = re.compile(_trie_pattern([phrase for phrase, _ in PHRASES]))


def normalize_phrases(text: str) -> str:
    """``text`` in lower case, each phrase of the table replaced by its token, in the table's
    order (a later phrase may match what an earlier one wrote). Most texts hold none of them:
    one search says so, in a third of the time of trying each phrase."""
    lowered = text.lower()
    if not ANY_PHRASE.search(lowered):
        return lowered
    for phrase, token in PHRASES:
        lowered = lowered.replace(phrase, token)
    return lowered
