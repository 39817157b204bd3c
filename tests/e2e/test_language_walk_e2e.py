"""Every command in each language (es, pt, en) as member, organizer and admin, over the
emulator with the sample data: no English left in es/pt replies, no Spanish or Portuguese
in English ones (tests/e2e/language_check.py says how words are read).
"""

from __future__ import annotations

import asyncio
import re
from dataclasses import dataclass

import pytest
import yaml

from bot.core.i18n import Translator
from bot.devtools.emulator import EmulatedUser
from bot.devtools.local import LocalBot, local_bot
from bot.devtools.sample import load_sample_data, sample_bytes
from bot.render.commands import commands_for
from storage.members import set_role, update_member
from storage.models import Role
from tests.conftest import ADMIN_ID
from tests.e2e.language_check import Leak, data_strings, leaks

pytestmark = pytest.mark.strict_api
LANGUAGES = ("es", "pt", "en")
ROLES = (Role.member, Role.organizer, Role.admin)
ZONES = {"es": "America/Montevideo", "pt": "America/Sao_Paulo", "en": "America/Jamaica"}
# Commands that open a conversation: /cancel closes it before the next command.
FLOWS = {"newevent", "broadcast", "newsurvey", "institution"}
NOT_WALKED = {"forgetme", "stop"}  # they end the walk; walked last
EXTRA = ["/events past", "/course no-such-course", "/event no-such-event", "/timezone Atlantis"]
EXTRA += ["/language klingon", "/nonsense", "hola", "olá", "hello"]


@dataclass(frozen=True)
class Reply:
    language: str
    role: Role
    sent: str
    text: str


async def replies_to(user: EmulatedUser, sent: str) -> list[str]:
    """What the bot answers to one input: texts, captions and button labels."""
    await user.send(sent)
    texts = []
    timeout = 5.0
    while True:
        try:
            message = await user.next_message(timeout=timeout)
        except TimeoutError:
            return texts
        texts.append(message.text or message.caption or "")
        texts += message.button_texts()
        timeout = 0.4


async def walk(bot: LocalBot, user_id: int, language: str, role: Role) -> list[Reply]:
    user = bot.emulator.user(user_id=user_id, first_name="Walker", language_code=language)
    await replies_to(user, "/help")
    await update_member(bot.db, user_id, onboarded=True, timezone=ZONES[language])
    if role is not Role.member:
        await set_role(bot.db, user_id, role)
    names = [c.name for c in commands_for(role) if c.name not in NOT_WALKED]
    inputs = [f"/{name}" for name in names] + EXTRA + [f"/{n}" for n in sorted(NOT_WALKED)]
    found = []
    for sent in inputs:
        for text in await replies_to(user, sent):
            found.append(Reply(language, role, sent, text))
        if sent.removeprefix("/") in FLOWS:
            for text in await replies_to(user, "/cancel"):
                found.append(Reply(language, role, "/cancel", text))
    return found


_WALKED: list[Reply] = []  # the walk is done once; the tests below read it


async def walked(url: str) -> list[Reply]:
    if not _WALKED:
        async with local_bot(database_url=url, admin_ids=(ADMIN_ID,)) as bot:
            await load_sample_data(bot.db, bot.settings, now=bot.services.now())
            people = [
                (9100 + 10 * index + rank, language, role)
                for index, language in enumerate(LANGUAGES)
                for rank, role in enumerate(ROLES)
            ]
            results = await asyncio.gather(*(walk(bot, *person) for person in people))
        _WALKED.extend(reply for replies in results for reply in replies)
    return _WALKED


DATA = data_strings(yaml.safe_load(sample_bytes()))


def found_leaks(walked: list[Reply], language: str) -> list[tuple[Reply, Leak]]:
    return [
        (reply, leak)
        for reply in walked
        if reply.language == language
        for leak in leaks(language, reply.text, DATA)
    ]


def describe(found: list[tuple[Reply, Leak]]) -> str:
    return "\n".join(
        f"{r.role.value} {r.sent!r}: “{leak.word}” in {r.text[:300]!r}" for r, leak in found
    )


async def test_every_reply_is_in_its_language(sqlite_url: str) -> None:
    replies = await walked(sqlite_url)
    for language in LANGUAGES:
        assert sum(r.language == language for r in replies) > 3 * 40
    found = [(r, leak) for language in LANGUAGES for r, leak in found_leaks(replies, language)]
    assert not found, describe(found)


USTED = re.compile(
    r"\b(usted|envíe|elija|escriba|consulte|pulse|toque|seleccione|indique|ingrese|haga|"
    r"marque|cuéntenos|contacte|corrija|respete|coordine|responda)\b",
    re.IGNORECASE,
)


def test_sample_data_speaks_spanish_as_the_bot_does() -> None:
    """The bot says *tú*; the sample file's Spanish (FAQ answers, surveys) does too, and
    names the buttons as the bot labels them."""
    raw = yaml.safe_load(sample_bytes())
    spanish = [t for t in data_strings(_texts_in(raw, "es"))]
    assert len(spanish) > 100
    formal = [t for t in spanish if USTED.search(t)]
    assert not formal, formal
    tr = Translator("es")
    join = tr("▶️ Join").removeprefix("▶️ ")
    faq = next(f for f in raw["faq"] if "videoconferencia" in f["question"]["es"])
    assert f"«{join}»" in faq["answer"]["es"]


def _texts_in(value: object, language: str) -> list[str]:
    """The ``language`` texts of every ``{es: ..., pt: ..., en: ...}`` in the file."""
    found: list[str] = []
    if isinstance(value, dict):
        if isinstance(value.get(language), str):
            found.append(value[language])
        for key, inner in value.items():
            if key not in ("es", "pt", "en"):
                found += _texts_in(inner, language)
    elif isinstance(value, list):
        for inner in value:
            found += _texts_in(inner, language)
    return found
