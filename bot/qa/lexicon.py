"""What words mean for the answerer, in Spanish, Portuguese and English (all folded):
the cues of each intent, the words that name a kind of thing (course, videoconference…),
words that carry no content, and a cross-language table of concepts so that ``soldagem``
finds ``soldadura`` and ``Uruguai`` finds ``Uruguay``."""

from __future__ import annotations

import re

from bot.qa.concept_table import CONCEPT_TABLE, DEMONYMS

# ------------------------------------------------------------------ intents
# Patterns over the folded question; when several match, INTENT_PRIORITY decides. The words
# of every matched cue are not content (see ``engine._cue_words``).
INTENT_PATTERNS: list[tuple[str, str]] = [
    (
        "timezone",
        r"\b(zona horaria|huso horario|fuso horario|fuso|time zone|timezone|que zona|"
        r"qual zona|which zone|what zone|en mi hora|na minha hora|in my time|mi horario|"
        r"in my country|where i live|en mi pais|no meu pais|donde vivo|onde moro|"
        r"hora de (uruguay|brasil|argentina|mexico|chile|colombia|peru|montevideo)|"
        r"hora local|local time|horario local|hora (de|do) (otro|outro) pais|"
        r"(hora|horario)s? (\w+ ){0,3}(errad[oa]s?|equivocad[oa]s?|incorrect[oa]s?|mal)|"
        r"wrong time|times? (is|are) wrong)\b",
    ),
    (
        "reminders",
        r"\b(recordatorios?|lembretes?|reminders?|remind me|me avisan|me avisas|avisos?|"
        r"me lembra\w*|notificaciones?|notificacoes|notifications?|alertas?)\b",
    ),
    (
        "platform",
        r"\b((plataformas?|platforms?)( (usa|usan|usara|utiliza|uses|use|is it on))?|"
        r"que aplicacion|qual aplicativo|which app|what app|"
        r"por donde se transmite|por onde|que programa|qual programa|which software)\b",
    ),
    (
        "pace",
        r"\b(ritmo|autoasistid\w*|autoguiad\w*|autoaprendizaje|autoinstrucciona\w*|"
        r"self[- ]paced|own pace|at my pace|tutorad\w*|tutoria|tutoriad\w*|tutored|con tutor|"
        r"com tutor|with a tutor|autoinstruciona\w*|sin tutor|sem tutor|tiene tutor|tem tutor|"
        r"has a tutor)\b",
    ),
    (
        "provider",
        r"\b(quien (lo |la )?(dicta|ofrece|organiza|imparte|da|brinda)|quienes (lo )?dictan|"
        r"quem (oferece|organiza|ministra|da|promove)|who (offers|runs|organi[sz]es|teaches|"
        r"provides|gives|is offering)|provider|proveedor|fornecedor|ofrecido por|"
        r"oferecido por|offered by|que institucion|qual instituicao|which institution|"
        r"organizador|organizer|organiser)\b",
    ),
    (
        "modality",
        r"\b(modalidad|modalidade|modality|formato|format|a distancia|distancia|"
        r"(es|e|sera|is it|is the course|will it be|vai ser) (presencial|virtual|online|"
        r"semipresencial|hibrido|in person|remote)|blended|semipresencial\w*|hibrid[oa]s?|hybrid|"
        r"face to face|in person)\b",
    ),
    (
        "deadline",
        r"\b(plazos?|prazos?|deadline|fecha limite|data limite|hasta cuando|ate quando"
        r"|ultimo dia|last day|cierre de (las )?inscripcion\w*|encerramento das "
        r"inscric\w*|closing date|inscripciones? (cierra|cierran|hasta)|"
        r"inscricoes? (fecha|fecham|vai ate|ate)|inscripcion cierra|inscricao fecha|"
        r"enrol\w* (close|closes|until|by)|registration (close|closes)|apply by|"
        r"until when)\b",
    ),
    (
        "certificate",
        r"\b(certificados?|certificate|certificates|diplomas?|constancias?|"
        r"certified|dan certificado|da certificado|emite[mn]? certificado|"
        r"get a certificate)\b",
    ),
    (
        "cost",
        r"\b(cuesta|cuestan|costo|coste|precio|precios|gratis|gratuit\w*|pagar|pago|"
        r"arancel|valor|custa|custam|custo|preco|pagamento|free|cost|costs|price|pagos|"
        r"pagas|pagados|pagadas|de pago|"
        r"fee|fees|pay|paid|cuanto sale|quanto e|how much|de graca|pagan|pagam|paga)\b",
    ),
    (
        "duration",
        r"\b((cuantas|quantas) (horas|hs|hrs)|how many (hours|hrs)|duracion|duracao|duration|"
        r"how long|cuanto dura|quanto dura|quanto tempo|cuanto tiempo|carga horaria|"
        r"horas tiene|horas tem|dura|duran|durara|cuantos dias|quantos dias|"
        r"how many days|how many weeks|cuantas semanas|quantas semanas)\b",
    ),
    (
        "languages",
        r"\b(idiomas?|lenguas?|languages?|linguas?|en que idioma|em que idioma|taught|"
        r"dictado|dictan|impartido|imparten|ministrado|ensinado|"
        r"in which language|en ingles|em ingles|in english|en portugues|"
        r"em portugues|in portuguese|en espanol|em espanhol|in spanish|en castellano|"
        r"em castelhano|in castilian)\b",
    ),
    (
        "link",
        r"\b(link|links|enlace|enlaces|liga|url|zoom|webex|teams|acceder|acceso|"
        r"acessar|acesso|entrar|conectar\w*|unirme|unirse|join|videollamada|"
        r"sala (virtual|de zoom|zoom|de (la )?reunion|da reuniao)|"
        r"endereco|direccion web)\b",
    ),
    (
        "enroll",
        r"\b(inscrib\w*|inscripci\w*|inscrev\w*|inscric\w*|matricul\w*|enrol\w*|"
        r"register\w*|registr\w*|sign up|signup|postul\w*|apply|application|anot\w*|"
        r"cadastr\w*|hacer el curso|fazer o curso|take the course)\b",
    ),
    (
        "time",
        r"\b(a que hora|que hora|que horas|a que horas|what time|hora|horario|"
        r"at what time)\b",
    ),
    (
        "where",
        r"\b(donde|onde|where|lugar|sede|ubicacion|localizacao|location|venue|"
        r"ciudad|cidade|city|based)\b",
    ),
    (
        "next_event",
        r"\b(proxim[oa]s?|prox|siguiente|next|nxt|upcoming|que viene|que vem|"
        r"vindour[oa]s?|se vienen?|que vienen|vem ai|coming up|coming soon)\b",
    ),
    (
        "topic",
        r"\b(hay (algun|alguna|un|cursos?)|tienen (algun|cursos?)|existe (algun|alguna|"
        r"algum|alguma|um|curso)|tem (algum|alguma|curso)|ha (algum|alguma|curso)|"
        r"algun[oa]? curso|algum curso|alguma videoconferencia|is there|are there|"
        r"any courses?|cursos (de|sobre|en|em)|courses (on|about|in)|ofrecen|oferecem|"
        r"do you offer|algo sobre|algo de|alguma coisa (de|sobre)|algo (de|sobre)|something on|"
        r"something about|anything on|anything about)\b",
    ),
    (
        "when",
        r"\b((?<!para )(?<!pa )(?<!pra )(?<!por si )cuando|quando|when|fecha|fechas|data|"
        r"datas|date|dates|empieza|empiezan|"
        r"comienza|comienzan|inicia|inician|inicio|comeca|comecam|start|starts|begin|"
        r"arranca|arrancan|arrancam|"
        r"begins|termina|terminan|acaba|ends|que dia|what day)\b",
    ),
    (
        "what_is",
        r"\b(que es|que son|o que e|o que sao|what is|what are|whats|de que trata|"
        r"sobre que|trata sobre|trata de|about what|what about|explica\w*|"
        r"me cuentas|conta mais|tell me about|describe|resumen|resumo|summary|"
        r"para que sirve|para que serve|significa|means?|"
        r"(cuant|quant)[oa]s (?!horas|hs|hrs|dias|semanas)\w+|"
        r"how many (?!hours|hrs|days|weeks)\w+)\b",
    ),
]
INTENT_PRIORITY = [
    "timezone",
    "reminders",
    "deadline",
    "certificate",
    "cost",
    "duration",
    "languages",
    "platform",
    "provider",
    "pace",
    "modality",
    "link",
    "enroll",
    "time",
    "where",
    "next_event",
    "topic",
    "when",
    "what_is",
]
COMPILED_INTENTS = {name: re.compile(pattern) for name, pattern in INTENT_PATTERNS}
# A trouble: how to get past it is what an FAQ entry tells ("no funciona", "no me llegó el
# link", "I can't log in"); its words say what is asked, not about what.
TROUBLE = re.compile(
    r"\b(no funciona|nao funciona|not working|doesn'?t work|does not work|no anda|no me deja|"
    r"nao me deixa|won'?t let me|no puedo|no consigo|nao consigo|nao posso|can'?t|cannot|"
    r"unable to|me equivoque|me confundi|errei|made a mistake|by mistake|por error|por engano|"
    # what should have come and did not
    r"no me (llego|llega|aparece)|no llego|nao (chegou|recebi|aparece|vejo)|no recibi|no veo|"
    r"didn'?t (get|receive)|did not (get|receive)|haven'?t (got|received)|never got|"
    # an error message where something should open
    r"(da|dan|dio|sale|salta|aparece|deu|dando|gives|shows|throws) (un |um |an )?(error|erro)|"
    r"(error|erro) (message|mensagem|mensaje)|"
    # what cannot be found or seen
    r"(don'?t|do not|can'?t|cannot) (see|find)|no encuentro|nao encontro|nao acho)"
)
# "how do tutored courses work": "work" asks how, it is not the subject (nor "funcionan")
HOW_IT_WORKS = re.compile(
    r"\bhow (do|does|will|would) (\w+ ){0,5}(work|works)\b|"
    r"\bcomo (\w+ ){0,5}(funciona|funcionan|funcionam)\b"
)
# "how do I …" or a trouble: a procedure, answered by the FAQ ("how long"/"how much" are not).
PROCEDURAL = re.compile(
    r"\b(how (do|can|does|should|to)|como (hago|faco|puedo|posso|se |me |mi |minha|meu|"
    r"cambio|mudo|troco|funciona|entro|contesto|respondo|lo |la |los |las |le |bajo|recibo|recebo|"
    r"faz\b|fazer\b|"
    r"hacen?\b|hacemos|fazemos|descargo|consigo|obtengo|obtenho|recupero|baixo|pido|peco)|"
    r"como\W*$|"
    # "¿qué hago?", "o que faço para…"; not "cursos que faço quando quiser"
    r"(que|o que) (hago|faco)(\W*$|\W+(para|pra|p|si|se|ahora|agora|con|com)\b)|"
    r"(cambiar|cambio|mudar|mudo|trocar|troco|change|switch|set|poner|pongo|configurar) "
    r"(el |o |the |my |mi |meu |de |of )?(idioma|lengua|lingua|language)|"
    r"what (do|should|can) i do|where (do|can|should) i|donde (puedo|tengo que|debo)|"
    r"donde (encuentro|consigo|busco|veo)|onde (encontro|acho|assisto|vejo)|"
    r"where (can|do) (i|we) (watch|see)|"
    r"onde (posso|devo|tenho que)|"
    # what the asker would like to do: how to do it ("our institute would like to present…")
    # (not "I'd like to know when…", a polite question)
    r"((would|we.?d|i.?d) like to|we want to|(me|nos) gustaria|gostaria(mos)? de|"
    r"quisieramos|queremos(?= \w+(ar|er|ir)\b))"
    r" (?!know|ask|see|saber|conocer|conhecer|preguntar|perguntar|ver)|"
    + TROUBLE.pattern.removeprefix("\\b(")
)
# "what is on in October", "eventos de mañana": the records of a time, listed.
LISTING = re.compile(
    r"\b(actividades|atividades|activities|agenda|calendario|calendar|programacion|"
    r"programacao|programme|program|schedule|whats on|what is on|what s on|que hay|"
    r"o que tem|o que ha|what is there|what are there|what events|que eventos|quais eventos|"
    r"que cursos|quais cursos|what courses|which events|which courses|cuales eventos|"
    r"lista|listado|listagem|list|todos|todas|all|every|tudo|hay algo|tem algo|anything|"
    r"happening|going on|o que rola|que rola|planned|previsto|previstos|previstas|"
    r"programado|programados|programadas|"
    r"scheduled|planeado|planeados|agendado|agendados|marcado|marcados)\b"
)
# "courses still open for enrolment"
OPEN = re.compile(
    r"\b(abiert[oa]s?|abert[oa]s?|open|still|todavia|ainda|aun|disponibles?|disponive(l|is)|"
    r"available)\b"
)
# "was it cancelled?", "is it still on?": the status of an event.
STATUS = re.compile(
    r"\b(cancelad\w*|cancelou|cancelled|canceled|cancel\w*|suspend\w*|suspens\w*|anulad\w*|"
    r"postergad\w*|pospuest\w*|aplazad\w*|adiad\w*|postponed|postpone|reprogramad\w*|"
    r"rescheduled|sigue en pie|still on|still happening|still going ahead|confirmad\w*|"
    r"se mantiene|mantem|se realiza|vai acontecer|vai ter mesmo|va a haber igual|"
    r"going ahead|status|estado|vai rolar|ainda vai|sigue programad\w*|"
    r"is it still)\b"
)
LATEST = re.compile(r"\b(ultim[oa]s?|last|latest)\b")
# Courses "ending this month" are matched on their last day, not their first.
ENDING = re.compile(
    r"\b(termina|terminan|acaba|acabam|terminam|ends|end|finish\w*|finaliza\w*|"
    r"(hasta|ate|until|till) (que|what|which) dia|until what day|until which day)\b"
)

# ------------------------------------------------------------------ kinds of record
KIND_WORDS: dict[str, frozenset[str]] = {
    "course": frozenset(
        "curso cursos course courses capacitacion capacitaciones capacitacao capacitacoes "
        "clase clases aula aulas training trainings class classes diplomado diplomados".split()
    ),
    "event": frozenset(
        "evento eventos event events videoconferencia videoconferencias videoconference "
        "videoconferences videoconf videoconfs webinar webinars webinario seminario "
        "seminarios seminar seminars reunion reuniones reuniao reunioes meeting meetings "
        "encuentro encuentros encontro encontros taller talleres oficina oficinas workshop "
        "workshops conferencia conferencias conference conferences charla charlas palestra "
        "palestras talk talks videochamada videollamada vc cumbre summit panel session sessions "
        "sesion sesiones sessao sessoes jornada jornadas foro foros forum forums".split()
    ),
}
EVENT_KIND_WORDS: dict[str, frozenset[str]] = {
    "videoconference": frozenset(
        "videoconferencia videoconferencias videoconference videoconferences vc videoconf "
        "videoconfs videollamada videochamada".split()
    ),
    "webinar": frozenset("webinar webinars webinario".split()),
    "meeting": frozenset(
        "reunion reuniones reuniao reunioes meeting meetings encuentro encuentros encontro "
        "encontros cumbre summit".split()
    ),
    "workshop": frozenset("taller talleres oficina oficinas workshop workshops".split()),
}
# Kinds of event that are the same thing to a member (an online talk): "the next webinar",
# when none is coming, is the next videoconference.
AKIN_KINDS = {"webinar": "videoconference", "videoconference": "webinar"}
# In person or online: a filter on events (with or without a place), not content.
MODALITY_WORDS: dict[str, str] = {
    word: "in-person"
    for word in "presencial presenciales presenciais presencialmente person face-to-face "
    "in-person onsite".split()
} | {word: "online" for word in "virtual virtuales virtuais online remoto remota remote".split()}

# ------------------------------------------------------------------ words without content
# What a question asks, not about what: never content when matching records.
QUESTION_NOISE = frozenset(
    "cuando quando when donde onde where como how que what cual qual which quien who hora "
    "horas time times empieza empiezan comienza comienzan inicia inician comeca comecam "
    "start starts begin begins termina terminan ends end final fin fim finish fecha fechas "
    "data datas date dates dia day link links enlace liga url proximo proxima proximos "
    "proximas next nxt prox siguiente upcoming cuanto quanto much many cuesta custa cost "
    "costs precio preco price gratis gratuito gratuita gratuitos gratuitas free graca "
    "hay tem tiene tienen existe there es son sao is are be dan da give gives get plazo "
    "prazo deadline ultimo ultima last dura duracion duracao long hours sale sirve serve "
    "tiempo tempo dias days semanas weeks meses months horario horarios schedule pasado "
    "pasados pasadas passado passados passadas passaram pasaron past anteriores previous "
    "este esta this "
    "mes month semana week ano year hoy hoje today cuantos cuantas quantos quantas "
    "actividad actividades atividade atividades activity activities happening pasando "
    "acontece acontecendo rolando rola rolar ocurre sucede until till starting started "
    "beginning ending empezando comenzando iniciando comecando arranca arrancan arrancam".split()
)
# Verbs and fillers: not content when matching courses and events (FAQ entries are still
# matched on the ones in the concepts below: "how do I change" is what some FAQs are about).
FILLERS = frozenset(
    "pasan pasar pasas mandan mandar manden mandaran envian enviar envien salen sale "
    "aparece aparecen hago hacer hace haria puedo puede pueden podes podria quiero queremos "
    "quisiera necesito necesitamos saber sabe conocer tengo tenemos tienes va van voy ir "
    "habra sera seria estan dar den decir dicen dime decime ver veo mirar buscar busco "
    "encuentro encontrar llega llegan queda quedan favor gente chicos passam passar mandam "
    "enviam faco faz fazem posso podem quero queria preciso sei tenho temos vai vao vou "
    "estao dao vejo procuro chega chegam fica ficam pra pro num numa gente pessoal galera "
    "send sends sent get gets got give gives show shown shows see find could would should "
    "shall need want did make made go going come happen happens take takes know tell let "
    "look guys folks you your we our hold held parte part conta cuenta cuentas contame "
    "conte cuentame recibo recibe recibire recibimos recibir receive recebo receber "
    "recebe usa usan uses utiliza keep keeps kept keeping say says saying said dice diz dizem "
    "sigue siguen continua continuam hice hizo fiz fez did done manda use usar used using "
    "utilizar supposed consigo consegue conseguir consigue llego recibi recebi chegou "
    "received coisa coisas cosa cosas thing things stuff like quiere quieren queremos querem "
    "tirar tiro sacar saco colocar coloco coloca poner pongo run runs pueda puedas puedan "
    "possa possam pude pudo pudimos pudieron pudiera consegui conseguiu lado solo solamente "
    "somente only mostra mostrar mostre mostrem mostrame muestra muestrame muestren".split()
)
# Names of the organisation itself: in every title, so they single out nothing among
# courses and events (they still find the FAQ entry about the organisation).
GENERIC = frozenset(
    "oit ilo cinterfor oit-cinterfor ilo-cinterfor oitcinterfor red rede network".split()
)
# This bot: FAQ entries are about it, courses and events are not.
SELF = frozenset({"bot"})

# ------------------------------------------------------------------ concepts
# Each group's words (folded) also index as the concept ``~name``.


def _parse_concepts(table: str) -> dict[str, tuple[str, ...]]:
    concepts: dict[str, list[str]] = {}
    name = ""
    for line in table.strip().splitlines():
        if not line.startswith(" ") and ":" in line:
            name, _, rest = line.partition(":")
            concepts[name] = rest.split()
        else:
            concepts[name] += line.split()
    return {key: tuple(dict.fromkeys(value)) for key, value in concepts.items()}


def _country_concepts() -> dict[str, tuple[str, ...]]:
    """Country names in the three languages (CLDR, through Babel) → ``~country-xx``."""
    from babel import Locale

    from bot.qa.text import fold, words

    names: dict[str, set[str]] = {}
    for locale in ("es", "pt_BR", "en"):
        for code, name in Locale.parse(locale).territories.items():
            if len(code) == 2 and code.isalpha() and code not in ("EU", "EZ", "UN", "QO"):
                names.setdefault(f"country-{code.lower()}", set()).update(
                    fold(w) for w in words(name) if len(w) > 3
                )
    for line in DEMONYMS.strip().splitlines():
        code, said = line.split(":")
        names[f"country-{code}"].update(form for w in said.split() for form in _forms(w))
    return {concept: tuple(sorted(items)) for concept, items in names.items()}


def _forms(word: str) -> list[str]:
    """A demonym's forms: "peruan*" → peruano peruana peruanos peruanas; "haitian" and
    "haitians"."""
    if word.endswith("*"):
        return [word[:-1] + ending for ending in ("o", "a", "os", "as")]
    return [word] if word.endswith("s") else [word, f"{word}s"]


CONCEPTS: dict[str, tuple[str, ...]] = _parse_concepts(CONCEPT_TABLE) | _country_concepts()
# Word (folded) → concept tokens it stands for.
CONCEPT_OF: dict[str, tuple[str, ...]] = {}
for _name, _words in CONCEPTS.items():
    for _word in _words:
        CONCEPT_OF[_word] = (*CONCEPT_OF.get(_word, ()), f"~{_name}")


def _pattern_words(patterns: list[str]) -> set[str]:
    """The whole words written in regular expressions ("cuesta", "inscripcion"; not the
    stems such as ``inscrib\\w*``)."""
    found: set[str] = set()
    for pattern in patterns:
        found.update(re.findall(r"(?<![\\\w])[a-z]{4,}(?![\w\\(\[?*+{])", pattern))
    return found


def _date_words() -> set[str]:
    from bot.qa.dates import MONTHS, RELATIVE, WEEKDAYS

    found = {w for w in [*MONTHS, *WEEKDAYS] if len(w) > 3}
    return found | _pattern_words([pattern.pattern for pattern, _ in RELATIVE])


# The words of intent cues, listing cues and dates: they say what is asked.
CUE_WORDS = frozenset(
    _pattern_words([p for _, p in INTENT_PATTERNS])
    | _pattern_words([PROCEDURAL.pattern, LISTING.pattern, LATEST.pattern, ENDING.pattern])
    | _pattern_words([STATUS.pattern, OPEN.pattern])
    | _date_words()
) - {"cuant", "quant"}
# Words the spelling corrector must never "fix": it knows them (and fixes typos into them).
LEXICON_WORDS = frozenset(
    set(QUESTION_NOISE)
    | CUE_WORDS
    | KIND_WORDS["course"]
    | KIND_WORDS["event"]
    | set(MODALITY_WORDS)
    | FILLERS
    | GENERIC
    | set(CONCEPT_OF)
)
