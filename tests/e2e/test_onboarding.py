"""End-to-end: onboarding and member settings through the real bot over the emulator."""

from __future__ import annotations

import json

import pytest

from bot.devtools.local import LocalBot
from storage.members import get_member, update_member
from tests.helpers import seed_institutions

GREETING = {
    "es": "¿Qué idioma prefieres?",
    "pt": "Qual idioma você prefere?",
    "en": "Which language do you prefer?",
}
DONE = {"es": "¡Listo!", "pt": "Tudo pronto!", "en": "All set!"}


@pytest.mark.parametrize("language", ["es", "pt", "en"])
async def test_onboarding_in_each_language(bot: LocalBot, language: str) -> None:
    await seed_institutions(bot.db)
    user = bot.emulator.user(user_id=2001, first_name="Ana", language_code=language)
    await user.send("/start")
    hello = await user.next_message()
    assert GREETING[language] in hello.text
    assert hello.button_texts() == ["Español", "Português", "English"]
    member = await get_member(bot.db, 2001)
    assert member is not None and member.language == language and not member.onboarded

    names = {"es": "Español", "pt": "Português", "en": "English"}
    await user.press(hello, names[language])
    country = await user.next_message()
    await user.send("/cancel")  # mid-setup: nothing to drop, and the way on is said
    assert "/start" in (await user.next_message()).text
    uruguay = {"es": "Uruguay", "pt": "Uruguai", "en": "Uruguay"}[language]
    assert uruguay in country.button_texts()
    await user.press(country, uruguay)
    institution = await user.next_message()
    assert {"INEFOP", "UTU"} <= set(institution.button_texts())
    await user.press(institution, "UTU")
    done = await user.next_message()
    assert DONE[language] in done.text
    member = await get_member(bot.db, 2001)
    assert member is not None
    assert (member.institution_id, member.country, member.timezone) == (
        "utu",
        "UY",
        "America/Montevideo",
    )
    assert member.onboarded
    # a single-zone country: the zone in use is named, and how to change it
    city = {"es": "Montevideo", "pt": "Montevidéu", "en": "Montevideo"}[language]
    assert done.text.count(city) >= 2 and "/timezone Madrid" in done.text


async def test_typed_country_and_institution_count_as_their_buttons(bot: LocalBot) -> None:
    """A newcomer types the answers instead of pressing: "uruguai", then "inefop"; a
    question typed meanwhile is still a question."""
    await seed_institutions(bot.db)
    user = bot.emulator.user(user_id=2004, first_name="Ana", language_code="pt")
    await user.send("/start")
    await user.press(await user.next_message(), "Português")
    assert "Em qual país" in (await user.next_message()).text
    await user.send("quais cursos tem?")  # not a country: answered as a question
    assert "País:" not in (await user.next_message()).text
    await user.send("Uruguai")
    assert "País: Uruguai" in (await user.next_message()).text
    assert "INEFOP" in (await user.next_message()).button_texts()
    await user.send("inefop")
    assert "INEFOP" in (await user.next_message()).text
    assert "Tudo pronto" in (await user.next_message()).text
    member = await get_member(bot.db, 2004)
    assert member is not None and (member.country, member.institution_id) == ("UY", "inefop")
    assert member.onboarded


async def test_other_country_asks_the_time_zone_by_name(bot: LocalBot) -> None:
    await seed_institutions(bot.db)
    user = bot.emulator.user(user_id=2003, first_name="Lucía", language_code="es")
    await user.send("/start")
    hello = await user.next_message()
    await user.press(hello, "Español")
    country = await user.next_message()
    await user.press(country, "Otro país")
    zone = await user.next_message()  # no institution; the zone, not "All set" at once
    assert "¿En qué zona horaria estás?" in zone.text and "¡Listo!" not in zone.text
    assert zone.button_texts() == ["Mantener Montevideo"]
    await user.send("Narnia")
    assert "No conozco la zona horaria “Narnia”" in (await user.next_message()).text
    member = await get_member(bot.db, 2003)
    assert member is not None and not member.onboarded
    await user.send("Madrid")  # a city, as /timezone takes
    assert "Zona horaria: Madrid" in (await user.next_message()).text
    done = await user.next_message()
    assert DONE["es"] in done.text and "Madrid" in done.text and "/timezone" in done.text
    member = await get_member(bot.db, 2003)
    assert member is not None and member.onboarded
    assert (member.country, member.institution_id, member.timezone) == (None, None, "Europe/Madrid")
    await user.send("Lima")  # nothing waits for a zone any more
    member = await get_member(bot.db, 2003)
    assert member is not None and member.timezone == "Europe/Madrid"


async def test_other_country_keeps_the_zone_with_a_button(bot: LocalBot) -> None:
    user = bot.emulator.user(user_id=2004, first_name="Ana", language_code="en")
    await user.send("/start")
    hello = await user.next_message()
    await user.press(hello, "English")
    country = await user.next_message()
    await user.press(country, "Other country")
    zone = await user.next_message()
    await user.press(zone, "Keep Montevideo")
    done = await user.next_message()
    assert DONE["en"] in done.text and "/timezone" in done.text and "Montevideo" in done.text
    member = await get_member(bot.db, 2004)
    assert member is not None and member.onboarded and member.timezone == "America/Montevideo"


async def test_language_switch_during_onboarding_and_multi_zone_country(bot: LocalBot) -> None:
    await seed_institutions(bot.db)
    user = bot.emulator.user(user_id=2002, first_name="João", language_code="en")
    await user.send("/start")
    hello = await user.next_message()
    await user.press(hello, "Português")
    country = await user.next_message()
    assert "Em qual país" in country.text
    await user.press(country, "Brasil")
    institution = await user.next_message()
    await user.press(institution, "SENAI")
    zones = await user.next_message()
    assert "fuso horário" in zones.text
    manaus = next(t for t in zones.button_texts() if t.startswith("Manaus"))
    await user.press(zones, manaus)
    done = await user.next_message()
    assert "Tudo pronto" in done.text
    member = await get_member(bot.db, 2002)
    assert member is not None and member.timezone == "America/Manaus"
    assert member.language == "pt" and member.institution_id == "senai"


async def test_a_triple_tap_on_a_wizard_button_asks_the_next_question_once(
    bot: LocalBot,
) -> None:
    """Three taps reach the bot before its edit takes the buttons away: one zone question,
    one "all set"."""
    await seed_institutions(bot.db)
    user = bot.emulator.user(user_id=2003, first_name="João", language_code="pt")
    await user.send("/start")
    await user.press(await user.next_message(), "Português")
    country = await user.next_message()
    await user.press(country, "Brasil")
    institution = await user.next_message()
    for _ in range(3):
        await user.press(institution, "SENAI")
    zones = await user.next_message()
    assert "fuso horário" in zones.text
    await user.expect_silence(0.5)  # no second zone question
    manaus = next(t for t in zones.button_texts() if t.startswith("Manaus"))
    for _ in range(3):
        await user.press(zones, manaus)
    assert "Tudo pronto" in (await user.next_message()).text
    await user.expect_silence(0.5)  # and one "all set"


async def test_the_welcome_stays_when_the_language_is_picked(bot: LocalBot) -> None:
    """Pressing a language keeps the welcome (its text, without the buttons) and adds the
    choice below it; the next step comes as a new message."""
    await seed_institutions(bot.db)
    user = bot.emulator.user(user_id=2004, first_name="Ana <b>", language_code="es")
    await user.send("/start")
    hello = await user.next_message()
    welcome = hello.text
    assert "Ana <b>" in welcome and "Cinterfor" in welcome
    await user.press(hello, "Português")
    country = await user.next_message()
    assert "Em qual país" in country.text and country.message_id != hello.message_id
    edited = bot.emulator.find_message(hello.chat_id, hello.message_id)
    assert edited is not None and edited.edits == 1 and edited.buttons == []
    assert edited.text.startswith(welcome)  # every word of the welcome, the name as typed
    assert edited.text.endswith("A partir de agora vou escrever para você em português.")


async def test_language_command(bot: LocalBot) -> None:
    user = bot.emulator.user(user_id=2003, first_name="Ana", language_code="es")
    await user.send("/language pt")
    assert "português" in (await user.next_message()).text.lower()
    await user.send("/language klingon")
    refusal = await user.next_message()
    assert "klingon" in refusal.text and refusal.button_texts() == [
        "Español",
        "Português",
        "English",
    ]
    member = await get_member(bot.db, 2003)
    assert member is not None and member.language == "pt"
    await user.send("/language English")
    assert "English" in (await user.next_message()).text
    member = await get_member(bot.db, 2003)
    assert member is not None and member.language == "en"


@pytest.mark.parametrize(
    ("typed", "zone", "city"),
    [
        ("Europe/Madrid", "Europe/Madrid", "Madrid"),
        ("Madrid", "Europe/Madrid", "Madrid"),
        ("São Paulo", "America/Sao_Paulo", "São Paulo"),
        ("sao paulo", "America/Sao_Paulo", "São Paulo"),
        ("america/mexico_city", "America/Mexico_City", "Mexico City"),
    ],
)
async def test_timezone_command_accepts_names_and_cities(
    bot: LocalBot, typed: str, zone: str, city: str
) -> None:
    user = bot.emulator.user(user_id=2004, first_name="Ana", language_code="en")
    await user.send(f"/timezone {typed}")
    answer = await user.next_message()
    assert f"Time zone set to {city}." in answer.text  # CLDR's city, not the IANA id
    member = await get_member(bot.db, 2004)
    assert member is not None and member.timezone == zone


@pytest.mark.parametrize("language", ["es", "pt", "en"])
async def test_unknown_timezone_is_refused_and_changes_nothing(
    bot: LocalBot, language: str
) -> None:
    user = bot.emulator.user(user_id=2005, first_name="Ana", language_code=language)
    await user.send("/timezone Mars/Olympus_Mons")
    answer = await user.next_message()
    assert "Mars/Olympus_Mons" in answer.text
    assert {"es": "No conozco", "pt": "Não conheço", "en": "I don't know"}[language] in answer.text
    member = await get_member(bot.db, 2005)
    assert member is not None and member.timezone == "America/Montevideo"


async def test_timezone_without_argument_offers_countries(bot: LocalBot) -> None:
    user = bot.emulator.user(user_id=2006, first_name="Ana", language_code="es")
    await user.send("/timezone")
    countries = await user.next_message()
    assert len(countries.button_texts()) <= 12  # regions first: 33 countries are too many
    await user.press(countries, "Centroamérica y México")
    await bot.emulator.wait_for(lambda: "México" in countries.button_texts())
    assert len(countries.button_texts()) <= 12
    await user.press(countries, "México")
    zones = await user.next_message()
    cancun = next(t for t in zones.button_texts() if t.startswith("Cancún"))
    await user.press(zones, cancun)
    await user.next_message()  # "Zona horaria: ..." (edited) or settings
    await bot.emulator.wait_for(lambda: True)
    member = await get_member(bot.db, 2006)
    assert member is not None and member.timezone == "America/Cancun"


async def test_institution_command(bot: LocalBot) -> None:
    await seed_institutions(bot.db)
    user = bot.emulator.user(user_id=2007, first_name="Ana", language_code="es")
    await user.send("/institution senai")
    answer = await user.next_message()
    assert "SENAI" in answer.text
    member = await get_member(bot.db, 2007)
    assert member is not None and member.institution_id == "senai" and member.country == "BR"

    await user.send("/institution Hogwarts")
    refusal = await user.next_message()
    assert "Hogwarts" in refusal.text and "Uruguay" in refusal.button_texts()
    member = await get_member(bot.db, 2007)
    assert member is not None and member.institution_id == "senai"


async def test_stop_then_start(bot: LocalBot) -> None:
    user = bot.emulator.user(user_id=2008, first_name="Ana", language_code="en")
    await user.send("/start")
    await user.next_message()
    await user.send("/stop")
    assert "/start" in (await user.next_message()).text
    member = await get_member(bot.db, 2008)
    assert member is not None and member.opted_out
    await user.send("/start")
    assert "Welcome back" in (await user.next_message()).text
    member = await get_member(bot.db, 2008)
    assert member is not None and not member.opted_out


async def test_settings_shows_everything_and_toggles(bot: LocalBot) -> None:
    user = bot.emulator.user(user_id=2009, first_name="Ana", language_code="pt")
    await user.send("/settings")
    settings = await user.next_message()
    assert "Idioma: Português" in settings.text
    assert "Fuso horário: Montevidéu (agora" in settings.text  # CLDR's city, in Portuguese
    assert "America/" not in settings.text
    await user.press(settings, "Desativar lembretes")
    await bot.emulator.wait_for(lambda: "Lembretes: desativados" in settings.text)
    member = await get_member(bot.db, 2009)
    assert member is not None and not member.reminders_enabled


async def test_help_lists_commands_for_the_role(bot: LocalBot) -> None:
    member = bot.emulator.user(user_id=2010, first_name="Ana", language_code="en")
    await member.send("/help")
    text = (await member.next_message()).text
    assert "/timezone" in text and "/grant" not in text
    admin = bot.emulator.user(user_id=9000, first_name="Root", language_code="en")
    await admin.send("/help")
    text = (await admin.next_message()).text
    assert "/grant" in text and "/audit" in text


async def test_forgetme_erases_after_confirmation(bot: LocalBot) -> None:
    user = bot.emulator.user(user_id=2011, first_name="Ana", language_code="es")
    await user.send("/forgetme")
    confirm = await user.next_message()
    await user.press(confirm, "fm:no")
    await bot.emulator.wait_for(lambda: "No se borró nada" in confirm.text)
    assert await get_member(bot.db, 2011) is not None
    await user.send("/forgetme")
    confirm = await user.next_message()
    await user.press(confirm, "fm:yes")
    await bot.emulator.wait_for(lambda: "borrados" in confirm.text)
    assert await get_member(bot.db, 2011) is None


async def test_command_menu_is_published_in_three_languages(bot: LocalBot) -> None:
    calls = [c for c in bot.emulator.calls_of("setMyCommands") if c.status == 200]
    languages = {c.params.get("language_code") for c in calls}
    assert {"es", "pt", "en"} <= languages
    spanish = next(c for c in calls if c.params.get("language_code") == "es")
    descriptions = {cmd["command"]: cmd["description"] for cmd in spanish.params["commands"]}
    assert "zona horaria" in descriptions["timezone"].lower()
    assert "grant" not in descriptions


async def test_an_organizer_made_elsewhere_gets_the_organizer_menu(bot: LocalBot) -> None:
    """A role set by the data or by another process (not /grant here): the person's first
    update to this process puts their role's commands in their chat menu."""
    user = bot.emulator.user(user_id=2016, first_name="Olga", language_code="es")
    await user.send("/help")
    await user.next_message()
    assert not [c for c in bot.emulator.calls_of("setMyCommands") if "2016" in str(c.params)]
    await update_member(bot.db, 2016, role="organizer")
    await user.send("/help")
    await user.next_message()
    calls = bot.emulator.calls_of("setMyCommands")
    mine = [c for c in calls if c.status == 200 and '"chat_id": 2016' in json.dumps(c.params)]
    assert len(mine) == 1
    assert "broadcast" in {cmd["command"] for cmd in mine[0].params["commands"]}
    await user.send("/events")  # checked once per process, not on every update
    await user.next_message()
    assert len([c for c in bot.emulator.calls_of("getMyCommands") if "2016" in str(c.params)]) == 1


@pytest.mark.parametrize(
    ("language", "typed", "said"),
    [
        ("es", "/evnts", "¿Quisiste decir /events?"),
        ("pt", "/setings", "Você quis dizer /settings?"),
        ("en", "/<b>x", "I don't know the command /<b>x."),
    ],
)
async def test_a_mistyped_command_gets_the_one_meant(
    bot: LocalBot, language: str, typed: str, said: str
) -> None:
    """A typo is answered with the command it was close to; markup in it is shown, not
    parsed (it used to make Telegram refuse the reply)."""
    user = bot.emulator.user(user_id=2015, first_name="Ana", language_code=language)
    await user.send(typed)
    answer = await user.next_message()
    assert said in answer.text
