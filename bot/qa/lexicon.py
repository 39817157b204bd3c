"""What words mean for the answerer, in Spanish, Portuguese and English (all folded):
the cues of each intent, the words that name a kind of thing (course, videoconference…),
words that carry no content, and a cross-language table of concepts so that ``soldagem``
finds ``soldadura`` and ``Uruguai`` finds ``Uruguay``."""

from __future__ import annotations

import re

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
        r"semipresencial|hibrido|in person|remote)|blended|semipresencial|hibrido|hybrid|"
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
        r"arancel|valor|custa|custam|custo|preco|pagamento|free|cost|costs|price|"
        r"fee|fees|pay|paid|cuanto sale|quanto e|how much|de graca|pagan|pagam|paga)\b",
    ),
    (
        "duration",
        r"\b(cuantas horas|quantas horas|how many hours|duracion|duracao|duration|"
        r"how long|cuanto dura|quanto dura|quanto tempo|cuanto tiempo|carga horaria|"
        r"horas tiene|horas tem|dura|duran|durara|cuantos dias|quantos dias|"
        r"how many days|how many weeks|cuantas semanas|quantas semanas)\b",
    ),
    (
        "languages",
        r"\b(idiomas?|lenguas?|languages?|linguas?|en que idioma|em que idioma|taught|"
        r"dictado|dictan|impartido|imparten|ministrado|ensinado|"
        r"in which language|en ingles|em ingles|in english|en portugues|"
        r"em portugues|in portuguese|en espanol|em espanhol|in spanish)\b",
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
        r"\b(cuando|quando|when|fecha|fechas|data|datas|date|dates|empieza|empiezan|"
        r"comienza|comienzan|inicia|inician|inicio|comeca|comecam|start|starts|begin|"
        r"begins|termina|terminan|acaba|ends|que dia|what day)\b",
    ),
    (
        "what_is",
        r"\b(que es|que son|o que e|o que sao|what is|what are|whats|de que trata|"
        r"sobre que|trata sobre|trata de|about what|what about|explica\w*|"
        r"me cuentas|conta mais|tell me about|describe|resumen|resumo|summary|"
        r"para que sirve|para que serve|significa|means?|"
        r"(cuant|quant)[oa]s (?!horas|dias|semanas)\w+|how many (?!hours|days|weeks)\w+)\b",
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
    r"didn'?t (get|receive)|did not (get|receive)|haven'?t (got|received)|never got)"
)
# "how do tutored courses work": "work" asks how, it is not the subject (nor "funcionan")
HOW_IT_WORKS = re.compile(
    r"\bhow (do|does|will|would) (\w+ ){0,5}(work|works)\b|"
    r"\bcomo (\w+ ){0,5}(funciona|funcionan|funcionam)\b"
)
# "how do I …" or a trouble: a procedure, answered by the FAQ ("how long"/"how much" are not).
PROCEDURAL = re.compile(
    r"\b(how (do|can|does|should|to)|como (hago|faco|puedo|posso|se |me |mi |minha|meu|"
    r"cambio|mudo|troco|funciona|entro|contesto|respondo|lo |la |los |las |le |bajo|"
    r"descargo|consigo|obtengo|obtenho|recupero|baixo|pido|peco)|como\W*$|"
    # "¿qué hago?", "o que faço para…"; not "cursos que faço quando quiser"
    r"(que|o que) (hago|faco)(\W*$|\W+(para|pra|p|si|se|ahora|agora|con|com)\b)|"
    r"what (do|should|can) i do|where (do|can|should) i|donde (puedo|tengo que|debo)|"
    r"onde (posso|devo|tenho que)|" + TROUBLE.pattern.removeprefix("\\b(")
)
# "what is on in October", "eventos de mañana": the records of a time, listed.
LISTING = re.compile(
    r"\b(actividades|atividades|activities|agenda|calendario|calendar|programacion|"
    r"programacao|programme|program|schedule|whats on|what is on|what s on|que hay|"
    r"o que tem|o que ha|what is there|what are there|what events|que eventos|quais eventos|"
    r"que cursos|quais cursos|what courses|which events|which courses|cuales eventos|"
    r"lista|listado|listagem|list|todos|todas|all|every|tudo|hay algo|tem algo|anything|"
    r"happening|planned|previsto|previstos|previstas|programado|programados|programadas|"
    r"scheduled|planeado|planeados|agendado|agendados|marcado|marcados)\b"
)
# "courses still open for enrolment"
OPEN = re.compile(
    r"\b(abiert[oa]s?|abert[oa]s?|open|still|todavia|ainda|aun|disponibles?|disponive(l|is)|"
    r"available)\b"
)
# "was it cancelled?", "is it still on?": the status of an event.
STATUS = re.compile(
    r"\b(cancelad\w*|cancelou|cancelled|canceled|cancel\w*|suspendid\w*|suspens\w*|"
    r"postergad\w*|pospuest\w*|aplazad\w*|adiad\w*|postponed|postpone|reprogramad\w*|"
    r"rescheduled|sigue en pie|still on|still happening|still going ahead|confirmad\w*|"
    r"se mantiene|mantem|se realiza|vai acontecer|vai ter mesmo|va a haber igual|"
    r"going ahead|status|estado)\b"
)
LATEST = re.compile(r"\b(ultim[oa]s?|last|latest)\b")
# Courses "ending this month" are matched on their last day, not their first.
ENDING = re.compile(r"\b(termina|terminan|acaba|acabam|terminam|ends|end|finish\w*|finaliza\w*)\b")

# ------------------------------------------------------------------ kinds of record
KIND_WORDS: dict[str, frozenset[str]] = {
    "course": frozenset(
        "curso cursos course courses capacitacion capacitacao clase clases aula aulas "
        "training class classes diplomado".split()
    ),
    "event": frozenset(
        "evento eventos event events videoconferencia videoconferencias videoconference "
        "videoconferences videoconf videoconfs webinar webinars webinario seminario "
        "seminarios seminar seminars reunion reuniones reuniao reunioes meeting meetings "
        "encuentro encuentros encontro encontros taller talleres oficina oficinas workshop "
        "workshops conferencia conferencias conference conferences charla charlas palestra "
        "palestras videochamada videollamada vc cumbre summit panel session sessions sesion "
        "sesiones sessao sessoes jornada jornadas foro foros forum forums".split()
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
    "acontece acontecendo rolando ocurre sucede".split()
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
    "received".split()
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
_CONCEPT_TABLE = """
weld: soldadura soldaduras soldagem solda soldar soldador soldadores welding weld welder welders
green: verde verdes green greener ambiental ambientales ambientais environmental sostenibilidad
  eco eco-friendly ecofriendly
  ambiente medioambiente environment ecologia ecology
  sustentabilidade sustainability sostenible sustentavel sustainable ecologico ecological clima
  climate climatico climatica
job: empleo empleos emprego empregos job jobs trabajo trabajos trabalho trabalhos work
  employment ocupacion ocupacao occupation ocupacional occupational ocupaciones ocupacoes
  occupations
data: datos dados data bigdata macrodatos analitica analytics analisis analise analysis
cert: certificacion certificacao certification certificaciones certificacoes certifications
  certificar certify acreditacion acreditacao accreditation
certificate: certificado certificados certificate certificates diploma diplomas constancia
skill: competencia competencias competence competences competencies competency habilidad
  habilidades habilidade skill skills destreza destrezas
train: formacion formacao training capacitacion capacitacao entrenamiento treinamento
  ensenanza ensino teaching educacion educacao education vocational profesional profissional
  eftp tvet vet
teacher: docente docentes profesor profesores professor professores teacher teachers instructor
  instructores instrutor instrutores instructors formador formadores trainer trainers tutor profe
  profes profs
  tutores tutors didactica didatica didactic pedagogia pedagogy pedagogic pedagogica
assess: evaluacion evaluaciones avaliacao avaliacoes assessment assessments evaluar avaliar
  assess evaluation examen exame exam evaluador evaluadores avaliador avaliadores assessor
  evaluate evaluates evaluating assessing
  assessors evaluator evaluators
gender: genero gender mujer mujeres mulher mulheres women woman equidad equidade equity
  igualdad igualdade equality ninas girls meninas
digital: digital digitales digitais digitalizacion digitalizacao digitalization digitalisation
  tecnologia tecnologias technology technologies linea distancia distance elearning tic ict
  tecnologico
industry: industria industry industrial industrias industries industria4 manufactura
  manufacturing fabrica factory
lead: liderazgo lideranca leadership lider lideres leader leaders gestion gestao management
  directivo directivos gerencia
enterprise: empresa empresas enterprise enterprises company companies mype mypes mipyme
  mipymes pyme pymes mpe mpes mse mses msme msmes sme smes negocio negocios business
  microempresa microempresas microenterprise microenterprises
entrepreneur: emprendimiento empreendedorismo entrepreneurship emprendedor emprendedores
  empreendedor empreendedores entrepreneur entrepreneurs emprender empreender autoempleo
curriculum: curricular curriculo curriculum curricula diseno desenho design
qualif: cualificacion cualificaciones qualificacao qualificacoes qualification qualifications
  calificacion calificaciones marco marcos quadro quadros framework frameworks mnc nqf
apprentice: aprendizaje aprendizajes aprendizagem aprendizagens apprenticeship apprenticeships
  aprendiz aprendices apprentice apprentices dual pasantia estagio internship trainee trainees
  pasante pasantes estagiario estagiarios intern interns
quality: calidad qualidade quality
prior: previo previos previa previas prior reconocimiento reconhecimento recognition rpl rvcc
  rap rac vae
project: proyecto proyectos projeto projetos project projects
transversal: transversal transversales transversais cross-cutting crosscutting blandas soft
  socioemocionales socioemocionais
gap: brecha brechas lacuna lacunas gap gaps deficit mismatch desajuste
anticipate: anticipacion anticipacao anticipation anticipar anticipate prospectiva prospective
  foresight demanda demand futuro future
market: mercado mercados market markets laboral labor labour vacante vacantes vacancy vacancies
observatory: observatorio observatorios observatory observatories
youth: joven jovenes jovem jovens youth young juventud juventude
migrant: migrante migrantes migrant migrants migracion migracao migration inmigrante
  inmigrantes imigrante imigrantes immigrant immigrants refugiado refugiados refugee refugees
  extranjero extranjeros extranjera extranjeras estrangeiro estrangeiros foreigner foreigners
care: cuidado cuidados care caregiving caregivers cuidadora cuidadoras cuidador cuidadores
rural: rural rurales rurais campo agricola agricultura agriculture agro agricultor
  agricultores farmer farmers productor productores produtor produtores campesino campesinos
  agropecuario agropecuaria agronegocio agribusiness farming farm farms granja granjas fazenda
  fazendas cultivo cultivos crop crops
covid: covid covid-19 covid19 pandemia pandemic coronavirus cuarentena quarentena quarantine
  lockdown confinamiento confinamento
dialogue: dialogo dialogue tripartito tripartite sindicato sindicatos sindical union unions
  empleador empleadores empregador empregadores employer employers patronal bipartito
committee: comision comissao committee comite
budget: presupuesto orcamento budget programme
platform: plataforma platform campus moodle ava eva
ai: ia ai artificial chatgpt chatbot chatbots gpt generativa generativo generative genai llm
energy: energia energias energy renovable renovables renovavel renovaveis renewable renewables
solar: solar solares fotovoltaico fotovoltaica fotovoltaicos fotovoltaicas photovoltaic pv
wind: eolica eolico eolicas eolicos wind aerogenerador aerogeneradores turbina turbinas turbine
  turbines viento vento windmill windmills molino molinos
circular: circular reciclar reciclaje reciclagem recycling recycle reciclado reutilizar
  reutilizacion reaproveitar reaproveitamento reuse residuo residuos waste desecho desechos
  descarte
download: descargar descargo descarga descargas bajar bajo baixar baixo baixe download
  downloads
copy: copia copias duplicado duplicada copy copies reimprimir reemitir reprint again
  novamente nuevamente vuelvo volver reenviar resend perdi perdido perdida perdeu lost
lose: perdi perdido perder perdeu lost lose missed miss olvide olvido esqueci esqueceu forgot
  forget tardia tardias tardio tardios late
steam: steam stem ciencia ciencias science matematica matematicas mathematics ingenieria
  engenharia engineering
simulator: simulador simuladores simulator simulators simulacion simulacao simulation
profile: perfil perfiles perfis profile profiles
credential: credencial credenciales credenciais credential credentials insignia insignias
  badge badges microcredencial microcredentials
institution: institucion instituciones instituicao instituicoes institution institutions ifp
  ifps vti vtis institucional institutional college colleges school schools escuela escuelas
  escola escolas colegio
recording: grabacion grabaciones gravacao gravacoes recording recordings video videos
  watch assistir assisto assisti rever rewatch replay gravado gravados grabado grabados
  recorded transmision transmisiones transmissao transmissoes stream streaming livestream
  perdi perdeu
publication: publicacion publicaciones publicacao publicacoes publication publications
  material materiales materiais materials pubs biblioteca library
survey: encuesta encuestas pesquisa pesquisas questionario cuestionario survey surveys
  questionnaire formulario form
answer: contestar contesto contesta responder respondo responde answer answers reply
  completar completo preencher preencho fill
reply: respuesta respuestas resposta respostas consulta consultas duda dudas duvida duvidas
  query queries question questions pregunta preguntas pergunta perguntas
reminder: recordatorio recordatorios lembrete lembretes reminder reminders aviso avisos mensaje
  mensajes mensagem mensagens message messages spam
  alerta alertas notificacion notificaciones notificacao notificacoes notification
  notifications
timezone: zona fuso timezone huso
stop: stop detener parar cancelar cancel baja desuscribir unsubscribe dejar deixar silenciar
  mute desactivar desativar disable desligar apagar
language: idioma idiomas lengua lenguas lingua linguas language languages hablar habla hable
  falar fala fale speak speaks
focal: focal referente contacto contato contact contactar contatar talk
network: red rede network miembro miembros membro membros member members afiliar afiliacion
  membresia membership
join: unirse unirme une unir sumar suma sumarse incorporar incorpora incorporarse entrar
  entra participar participo join joins become adherir adesao conectar conecto conectarme
  conectarse connect connecting
enroll: inscribir inscribirme inscribirse inscribo inscripcion inscripciones anotar anotarme
  anotarse anoto inscrever inscrevo inscricao inscricoes matricula matricular matricularme
  enrol enroll enrolment enrollment register registration signup cadastro cadastrar take
  tomar cursar
change: cambiar cambio cambia modificar modifico mudar mudo muda trocar troco troca alterar
  altero change modify switch update actualizar atualizar corregir corrigir fix errei
  reemplazar reemplaza reemplazo substituir substitui substituto replace replacement
  sucesor successor
  equivoque
free: gratis gratuito gratuita gratuitos gratuitas free graca costo custo cost precio preco
  price pagar pay arancel fee
link: link links enlace enlaces liga url
videoconf: videoconferencia videoconferencias videoconference videoconferences vc vcs videoconf
  videoconfs videollamada videollamadas videochamada videochamadas
hour: hora horas horario horarios time times hour hours
health: salud saude health sanitario sanitaria healthcare hospital hospitales hospitais
  clinico clinica clinical medico medica medical
nursing: enfermeria enfermagem nursing enfermero enfermera enfermeiro enfermeira nurse nurses
patient: paciente pacientes patient patients
assistant: auxiliar auxiliares assistant assistants asistente asistentes assistente
  assistentes ayudante ayudantes aide aides
cyber: ciberseguridad ciberseguranca cybersecurity cyber ciber hacker hackers hackeo phishing
  ransomware ciberataque ciberataques cyberattack cyberattacks malware virus estafa estafas
  golpe golpes scam scams fraude fraudes fraud
email: correo correos email emails e-mail mail gmail correio
hospitality: hoteleria hotelaria hospitality hotel hoteles hoteis hotels turismo tourism
  turistico turistica tourist restaurante restaurantes restaurant restaurants sala mesa
  mesero meseros camarero camareros mozo mozos garcom garcons waiter waiters waitress bar
  bares barman barmen bartender bartenders coctel cocteles cocteleria coquetel drinks
cook: gastronomia gastronomy gastronomic cocina cozinha cooking cook cooks cocinero
  cocineros cozinheiro cozinheiros chef chefs culinaria culinary
mining: mineria mineracao mining minero mineros minera mineras mineiro mineiros miner miners
  mina minas mine mines subterranea subterraneo subterranean subsolo underground
accident: accidente accidentes acidente acidentes accident accidents siniestro lesion injury
  injuries riesgo riscos risco risk risks
safety: seguridad seguranca safety sst osh prevencion prevencao prevention
construction: construccion construcao construction edificacion edificacao building buildings
  obra obras albanil albaniles pedreiro builder builders bim
automotive: automotriz automotor automotores automovel automotive automobile vehiculo vehiculos
  veiculo veiculos vehicle vehicles auto autos carro carros car cars coche coches
  mecanica mecanico mecanicos mechanic mechanics mecatronica mechatronics garage garages
electric: electrico electrica electricos electricas eletrico eletrica electric electrical
  electricidad eletricidade electricity electromovilidad eletromobilidade electromobility
  electricista electricistas eletricista eletricistas electrician electricians ev evs
hydrogen: hidrogeno hidrogenio hydrogen electrolisis eletrolise electrolysis electrolizador
  electrolyser electrolyzer
plant: planta plantas usina usinas plant plants
water: agua aguas water hidrico hidrica riego rego irrigacao irrigation regadio hidraulica
textile: textil texteis textile textiles confeccion confeccao garment garments vestuario ropa
  roupa roupas clothes clothing costura sewing tela telas tecido tecidos fabric fabrics moda
  fashion prenda prendas
logistics: logistica logistics almacen almacenes armazem armazens warehouse warehouses
  almacenamiento armazenagem warehousing almacenista almacenistas montacargas autoelevador
  empilhadeira empilhadeiras forklift forklifts deposito depositos inventario inventory stock
  mercaderia mercaderias mercadoria mercadorias despacho shipping
transport: transporte transportes transport conductor conductores motorista motoristas driver
  drivers chofer choferes
operator: operador operadores operario operarios operator operators
standard: estandar estandares padrao padroes standard standards norma normas
disability: discapacidad discapacidades deficiencia deficiencias disability disabilities
  discapacitado discapacitados disabled silla cadeira wheelchair rampa rampas ramp ramps
  accesibilidad acessibilidade accessibility accesible acessivel accessible inclusion inclusao
  inclusive inclusivo inclusiva
student: alumno alumnos aluno alunos estudiante estudiantes estudante estudantes student
  students learner learners participante participantes participant participants
mentor: mentor mentores mentoring mentoria supervisar supervisor supervisores supervisao
  supervision supervise supervising supervisors
guidance: orientacion orientacao guidance counselling counseling counsellor counsellors
  counselor counselors orientador orientadores consejero consejeros
selfassess: autoevaluacion autoavaliacao self-assessment selfassessment autodiagnostico
  self-evaluation
passport: pasaporte pasaportes passaporte passaportes passport passports
login: login logon log-in signin sign-in usuario usuarios usuaria user username users account
  accounts contrasena contrasenas senha senhas password passwords clave claves pin
locked: bloqueado bloqueada bloqueo bloquear bloqueio locked lock lockout desbloqueo
  desbloquear desbloqueio unlock
recover: recuperar recupero recupera recover recovery reset restablecer redefinir redefino
  olvide olvidaste olvido esqueci esqueceu forgot forgotten
wrong: incorrecta incorrecto incorreta incorreto wrong invalid invalida invalido error erro
  errada errado equivocada
interpretation: interpretacion interpretacao interpretation traduccion traducao translation
  traducir traduzir translate interprete interpretes interpreter interpreters subtitulos
  legendas subtitles captions
pass: aprobar aprobado aprobada apruebo aprovar aprovado aprovada aprovacao pass passing passed
  passar passei approve
requirement: requisito requisitos requirement requirements cumplir
microphone: microfono microfone microphone mic audio sound sonido som camara camera escuchan
  escuchar ouvir ouvem hear
group: grupo grupos grupal group groups juntos juntas together varios varias several
  companeros companeras colega colegas colleague colleagues coworkers
share: compartir comparte compartilhar compartilha share difundir divulgar publicar publish
  contar presentar apresentar present
propose: proponer propongo propuesta propuestas propor proponho proposta propostas propose
  proposal proposals suggest suggestion sugerir sugerencia sugerencias sugestao sugestoes idea
  ideas ideia ideias
withdraw: retirar retirarme retiro withdraw withdrawal desistir desisto salir salgo sair saio
  drop quit abandonar
ict: programacion programacao programming programador programadores programmer programmers
  developer developers desarrollador desarrolladores desenvolvedor desenvolvedores software
  codigo coding informatica computing computer computers computadora computador ordenador
electronics: electronica eletronica electronics electronic electronico eletronico
refrigeration: refrigeracion refrigeracao refrigeration climatizacion climatizacao hvac
plumbing: plomeria plomero plomeros fontaneria fontanero encanador encanadores encanamento
  plumbing plumber plumbers gasfiter gasfiteria
beauty: belleza beleza beauty peluqueria peluquero cabeleireiro cabeleireira hairdressing
  hairdresser hairdressers estetica cosmetologia cosmetology barberia barbearia barber barbers
fishing: pesca pesquero pesquera pescador pescadores fishing fisheries fisher fishers
  acuicultura aquicultura aquaculture
forestry: forestal florestal forestry forest forests bosque bosques floresta florestas madera
  madeira wood timber
commerce: comercio commerce comercial commercial ventas venta vendas venda sales selling
  vendedor vendedores seller sellers retail minorista varejo
accounting: contabilidad contabilidade accounting contador contadores accountant accountants
  finanzas financas finance financiero financeiro financial
customer: atencion atendimento cliente clientes customer customers client clients
marketing: marketing mercadeo mercadotecnia publicidad publicidade advertising
childhood: infancia infantil criancas crianca ninez nino ninos ninas child children childhood
  preescolar kindergarten parvulario
indigenous: indigena indigenas indigenous originarios originarias
prison: carcel carceles prision prisiones penitenciario penitenciaria prisional prisionais
  prison prisons prisoner prisoners presos presas reclusos reclusas inmates
informal: informal informales informais informalidad informalidade informality
cooperative: cooperativa cooperativas cooperativismo cooperative cooperatives
productivity: productividad produtividade productivity productivo productiva produtivo
  produtiva productive
innovation: innovacion inovacao innovation innovar inovar innovate innovador inovador
  innovative
cooperation: cooperacion cooperacao cooperation
scholarship: beca becas bolsa bolsas scholarship scholarships grant grants
finance: financiamiento financiacion financiamento funding financing fondo fondos fundo fundos
  fund funds
food: alimento alimentos alimentario alimentaria alimentar food foods agroindustria
  agroindustrial agroindustry agrifood
port: puerto puertos porto portos port ports maritimo maritima maritime naval
aviation: aviacion aviacao aviation aeronautica aeronautics aeronautical
carpentry: carpinteria carpintaria carpentry carpintero carpinteros carpinteiro carpinteiros
  carpenter carpenters ebanisteria joinery
domestic: domestico domestica domesticos domesticas domestic
elderly: anciano ancianos idoso idosos elderly geriatria geriatric gerontologia gerontology
literacy: alfabetizacion alfabetizacao literacy
worker: trabajador trabajadores trabajadora trabajadoras trabalhador trabalhadores worker
  workers obrero obreros
staff: personal personnel staff funcionario funcionarios empleado empleados employee employees
  colaborador colaboradores
messaging: whatsapp telegram mensajeria messaging mensagens mensajes messages chat
return: volver vuelta regreso regresar retorno retornar voltar volta return returning
closing: cierre clausura encerramento fechamento closing closure
store: guardar guarda guardan guardam armazenar armazena almacenar almacena store stores
  stored
leave: jubilo jubilar jubilado jubilada jubilacion aposentou aposentar aposentado aposentada
  aposentadoria retired retire retirement renuncio renunciou resigned saliente outgoing left
"""


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
    return {concept: tuple(sorted(items)) for concept, items in names.items()}


CONCEPTS: dict[str, tuple[str, ...]] = _parse_concepts(_CONCEPT_TABLE) | _country_concepts()
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
