"""Words that carry no content in questions, in Spanish, Portuguese and English (folded):
articles, prepositions, pronouns, and the politeness and "I want to know" of a question."""

from __future__ import annotations

STOPWORDS: dict[str, frozenset[str]] = {
    "es": frozenset(
        (
            "a al algo algun alguna alguno algunos ante con contra de del desde donde el ella "
            "ellos en entre era es esa ese eso esta estan este esto estos fue ha han hasta "
            "hay la las le les lo los me mi mis muy mas nos o otra otro para pero por que "
            "quien se ser si sin sobre son su sus tambien te tengo tiene tienen ti tu tus un "
            "una uno unos usted y ya yo cual cuales hola gracias favor porfa por-favor quiero "
            "quisiera saber necesito podrias puedes puedo dime decime hacer va vamos hacia nuestro "
            "nuestra nuestros nuestras cada nunca demasiado demasiados demasiadas mucho muchos "
            "muchas quiera quieras pa despues luego mismo misma antes conmigo nadie alguien "
            "aca aqui alla ahi ninguna ninguno ningun"
        ).split()
    ),
    "pt": frozenset(
        (
            "a ao aos as com como da das de dela dele do dos e ela ele eles em entre era essa "
            "esse esta este eu foi ha isso isto ja la mais mas me meu meus minha minhas muito "
            "na nas nem nosso nossa nossos nossas "
            "no nos o os ou para pela pelo por qual quais que quem se sem ser seu sua suas "
            "sao tem tambem te tenho ter tu um uma uns umas voce voces ola oi obrigado "
            "obrigada favor quer quero queria saber preciso pode podem posso diga fazer vai "
            "vou nao cada nunca muitos muitas demais quiser queira ta to tava depois mesmo "
            "mesma antes comigo ninguem alguem algum alguma alguns algumas "
            "aqui ali nenhum nenhuma"
        ).split()
    ),
    "en": frozenset(
        (
            "a an and any are as at be been but by can could do does for from had has have hi "
            "hello i if in into is it its me my of on or our please so some than thanks that "
            "the their them then there these they this to us was we were what which who will "
            "with would you your tell know want need get let about over something wanna gonna "
            "one never each too later afterwards really before after not nobody didn doesn "
            "don isn aren wasn weren won haven hasn couldn shouldn wouldn she he her him his hers "
            "someone somebody somewhere anyone anybody anywhere"
        ).split()
    ),
}
ALL_STOPWORDS = frozenset().union(*STOPWORDS.values())
