"""The hand-made table of concepts: groups of words (folded) in Spanish, Portuguese and
English that mean one thing for the answerer ("soldadura", "soldagem", "welding"). Each
group's words also index as the concept ``~name`` (see :mod:`bot.qa.lexicon`). A word may
be in several groups. Only general words a focal point would use belong here, never a
record's title.
"""

from __future__ import annotations

CONCEPT_TABLE = """
weld: soldadura soldaduras soldagem solda soldar soldador soldadores welding weld welder welders
green: verde verdes green greener ambiental ambientales ambientais environmental sostenibilidad
  eco eco-friendly ecofriendly
  ambiente medioambiente environment ecologia ecology
  sustentabilidade sustainability sostenible sustentavel sustainable ecologico ecological clima
  climate climatico climatica carbono carbon coal carvao descarbonizacion descarbonizacao
  decarbonization decarbonisation emisiones emissoes emissions
job: empleo empleos emprego empregos job jobs trabajo trabajos trabalho trabalhos work
  employment ocupacion ocupacao occupation ocupacional occupational ocupaciones ocupacoes
  occupations
data: datos dados data bigdata macrodatos analitica analytics analisis analise analysis
cert: certificacion certificacao certification certificaciones certificacoes certifications
  certificar certify acreditacion acreditacao accreditation
certificate: certificado certificados certificate certificates diploma diplomas constancia
skill: competencia competencias competence competences competencies competency habilidad
  habilidades habilidade skill skills destreza destrezas qualificacao qualificacoes
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
curriculum: curricular curriculo curriculos curriculum curricula diseno desenho design disenar
  desenhar armar elaborar
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
  foresight demanda demand futuro future prospeccion prospeccao prospecting
market: mercado mercados market markets laboral labor labour vacante vacantes vacancy vacancies
observatory: observatorio observatorios observatory observatories
youth: joven jovenes jovem jovens youth young juventud juventude
migrant: migrante migrantes migrant migrants migracion migracao migration inmigrante
  inmigrantes imigrante imigrantes immigrant immigrants refugiado refugiados refugee refugees
  extranjero extranjeros extranjera extranjeras estrangeiro estrangeiros foreigner foreigners
care: cuidado cuidados care caregiving caregivers cuidadora cuidadoras cuidador cuidadores
  carer carers caregiver cuidar
elderly: elderly older mayores idoso idosos idosa idosas anciano ancianos ancianas velhice
  vejez seniors envejecimiento envelhecimento ageing aging
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
platform: plataforma platform campus moodle ava eva site website sitio portal
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
  escola escolas colegio instituto institutos institute institutes
recording: grabacion grabaciones gravacao gravacoes recording recordings video videos
  missed
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
reskill: reconversion reconversao reskilling reskill requalificacao recualificacion
  recapacitacion upskilling
yearend: yearend yearreview
region-caribbean: caribe caribbean caribeno caribenos caribena caribenas caribenho caribenhos
  caribenha caribenhas
region-central-america: centroamerica centroamericano centroamericana centroamericanos
  centroamericanas centroamerican
region-andes: andino andina andinos andinas andean
focal: focal focales focais referente contacto contato contact contactar contatar
  escribir escribo escribirle escrever escrevo
network: red rede network miembro miembros membro membros member members afiliar afiliacion
  membresia membership
join: unirse unirme une unir sumar suma sumarse incorporar incorpora incorporarse entrar
  entra participar participo join joins become adherir adesao conectar conecto conectarme
  conectarse connect connecting
enroll: inscribir inscribirme inscribirse inscribo inscripcion inscripciones anotar anotarme
  apuntar apuntarme apuntarse apunto apuntate
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
  tour tours
  turistico turistica tourist restaurante restaurantes restaurant restaurants sala mesa
  mesero meseros camarero camareros mozo mozos garcom garcons waiter waiters waitress bar
  bares barman barmen bartender bartenders bartending coctel cocteles cocteleria coquetel drinks
cook: gastronomia gastronomy gastronomic cocina cozinha cooking cook cooks cocinero
  cocineros cozinheiro cozinheiros chef chefs culinaria culinary
mining: mineria mineracao mining minero mineros minera mineras mineiro mineiros miner miners
  mina minas mine mines subterranea subterraneo subterranean subsolo underground
accident: accidente accidentes acidente acidentes accident accidents siniestro lesion injury
  injuries riesgo riscos risco risk risks
safety: seguridad seguranca safety sst osh prevencion prevencao prevention
construction: construccion construcao construction edificacion edificacao building buildings
  techo techos tejado tejados telhado telhados roof roofs roofing reconstruir reconstruccion
  reconstrucao reconstruction rebuild rebuilding
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
  sordo sorda sordos sordas surdo surda surdos surdas deaf sordera surdez deafness ciego ciega
  ciegos ciegas cego cega cegos cegas blind ceguera cegueira blindness
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
  passar passei approve complete completing completed completar concluir
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
  baja abandono unenroll unenrol unregister deregister desinscribir desinscribirme
  desinscrever
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
  barco barcos navio navios buque buques ship ships vessel vessels
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
closing: cierre clausura encerramento fechamento closing closure balanco balancos
store: guardar guarda guardan guardam armazenar armazena almacenar almacena store stores
  stored
leave: jubilo jubilar jubilado jubilada jubilacion aposentou aposentar aposentado aposentada
  saiu salio left
  aposentadoria retired retire retirement renuncio renunciou resigned saliente outgoing left
english: ingles inglesa english
spanish: espanol espanola castellano spanish espanhol
portuguese: portugues portuguesa portuguese
french: frances francesa french
machinery: maquinaria maquinarias maquina maquinas maquinario maquinarios machinery machine
  machines excavadora excavadoras escavadeira escavadeiras excavator excavators cargador
  cargadores carregadeira carregadeiras loader loaders retroexcavadora retroescavadeira backhoe
  bulldozer bulldozers topadora grua gruas guindaste guindastes crane cranes tractor tractores
  trator tratores tractors
maintenance: mantenimiento manutencao maintenance reparacion reparaciones reparo reparos repair
  repairs conserto
disaster: huracan huracanes furacao furacoes hurricane hurricanes ciclon ciclones ciclone
  cyclone cyclones tormenta tormentas tempestade tempestades storm storms terremoto terremotos
  sismo sismos earthquake earthquakes inundacion inundaciones enchente enchentes flood floods
  desastre desastres disaster disasters catastrofe catastrofes resiliencia resiliente
  resilience resilient
verify: verificar verifico verifica verificacion verificacao verify verification comprobar
  compruebo comprueba comprobacion comprovar comprova comprovacao conferir confere validar
  valida validacion validacao validate validation autentico autentica autenticidad
  autenticidade authentic authenticity genuine genuino genuina legitimo legitima falso falsa
  fake falsificado real
visa: visa visas visado visados visto vistos
discount: descuento descuentos desconto descontos discount discounts rebaja rebajas reducido
  reduced bonificacion
tasting: catacion catador catadores catadora cata catar cupping cupper cuppers tasting taster
  tasters provador provadores provadora degustacion degustacao degustador degustadores
coffee: cafe cafes coffee cafetero cafetera cafeteros cafeicultor cafeicultores caficultor
  caficultores caficultura cafeicultura barista baristas
oil: petroleo petroleos oil petrolero petrolera petroleros petroleras petroleira petroleiro
  hidrocarburo hidrocarburos hidrocarboneto hidrocarbonetos hydrocarbon hydrocarbons gas
offshore: offshore
cruise: crucero cruceros cruzeiro cruzeiros cruise cruises crucerista cruceristas cruzeirista
  cruzeiristas
music: musica musical musicales musicais music musico musicos musician musicians
film: cine cinema film films filme filmes pelicula peliculas movie movies audiovisual
  audiovisuales audiovisuais
animation: animacion animaciones animacao animacoes animation animations
creative: creativa creativo creativas creativos criativa criativo criativas criativos creative
  creatividad criatividade creativity
invoice: factura facturas fatura faturas invoice invoices receipt receipts recibo recibos
  comprobante comprobantes comprovante comprovantes notafiscal facturacion faturamento billing
  fiscal fiscales fiscais tax taxes impuestos impostos
"""

# What a person or institution of a country is called ("brasileño", "Peruvian"): each word
# also indexes as the country's concept (bot.qa.lexicon). A word ending in "*" stands for
# its Spanish and Portuguese forms (-o, -a, -os, -as); English words also take an "s".
DEMONYMS = """
ar: argentin* argentine argentinian
bo: bolivian* bolivian
br: brasilen* brasileir* brazilian
cl: chilen* chilean
co: colombian* colombian
cr: costarricense costarricenses costarriquenh* costarican
cu: cuban* cuban
do: dominican* dominican
ec: ecuatorian* equatorian* ecuadorian ecuadorean
sv: salvadoren* salvadorenh* salvadoran
gt: guatemaltec* guatemalan
hn: honduren* hondurenh* honduran
mx: mexican* mexican
ni: nicaraguense nicaraguenses nicaraguan
pa: panamen* panamenh* panamanian
py: paraguay* paraguai* paraguayan
pe: peruan* peruvian
uy: uruguay* uruguai* uruguayan
ve: venezolan* venezuelan* venezuelan
jm: jamaican* jamaican
tt: trinitense trinitenses trinidadian
ht: haitian* haitian
"""
