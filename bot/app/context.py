"""What handlers and jobs need at run time.

:class:`Services` is stored once in ``application.bot_data``. :class:`BotContext` is the
``CallbackContext`` of every update (through ``ContextTypes``): it gives the services, the
member behind the update and their translator, loaded once per update.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from telegram import Update
from telegram.ext import Application, CallbackContext, ExtBot
from telegram.request import BaseRequest

from bot.app.config import Settings
from bot.core.enums import Role
from bot.core.i18n import Translator, normalize_language, pick_text
from bot.messaging.menus import set_chat_menu
from storage.db import Database
from storage.erasure import is_erased
from storage.members import TelegramIdentity, ensure_member, get_member, up_to_date
from storage.models import Member
from storage.types import utcnow

if TYPE_CHECKING:
    from bot.jobs.reminders import ReminderScheduler
    from bot.messaging.delivery import DeliveryEngine
    from bot.qa.service import AnswererCache

SERVICES_KEY = "services"
AnyApp = Application[Any, Any, Any, Any, Any, Any]


@dataclass
class Services:
    settings: Settings
    db: Database
    clock: Callable[[], datetime] = utcnow
    delivery: DeliveryEngine | None = None
    reminders: ReminderScheduler | None = None
    answerer: AnswererCache | None = None
    # broadcast id -> (time of the last progress edit, sent count then): for the ETA shown
    broadcast_rates: dict[int, tuple[float, int]] = field(default_factory=dict)
    # broadcast id -> the progress text last shown (an identical edit is refused by Telegram)
    progress_shown: dict[int, str] = field(default_factory=dict)
    # The Bot API connections (updates and the rest): closed when serving ends, also after a
    # failed start, which PTB leaves with its requests open
    http: tuple[BaseRequest, ...] = ()
    # (chat, role, language) of the staff menus this process has checked: the menus published
    # at start miss a chat Telegram did not know yet, so a staff member's first update here
    # checks theirs once
    staff_menus: set[tuple[int, str, str]] = field(default_factory=set)

    def now(self) -> datetime:
        return self.clock()


def services_of(application: AnyApp) -> Services:
    services = application.bot_data[SERVICES_KEY]
    assert isinstance(services, Services)
    return services


def get_services(context: CallbackContext[Any, Any, Any, Any]) -> Services:
    return services_of(context.application)


def attach_services(application: AnyApp, svc: Services) -> None:
    application.bot_data[SERVICES_KEY] = svc


class BotContext(CallbackContext[ExtBot[None], dict[Any, Any], dict[Any, Any], dict[Any, Any]]):
    """The context of one update: ``ctx.svc``, ``ctx.member``, ``ctx.tr``, ``ctx.pick``.

    PTB builds one context per update and hands the same one to every handler group, so
    the member loaded by the first handler that needs it is there for all the others.
    """

    def __init__(
        self, application: AnyApp, chat_id: int | None = None, user_id: int | None = None
    ) -> None:
        super().__init__(application, chat_id=chat_id, user_id=user_id)
        self._member: Member | None = None
        self._tr: Translator | None = None

    @property
    def svc(self) -> Services:
        return services_of(self.application)

    @property
    def member(self) -> Member:
        """The member behind this update; :meth:`load_member` must have run."""
        if self._member is None:
            raise RuntimeError("the member of this update was not loaded")
        return self._member

    @property
    def tr(self) -> Translator:
        if self._tr is None or self._tr.language != self.member.language:
            self._tr = Translator(self.member.language)
        return self._tr

    def pick(self, texts: dict[str, str] | None) -> str:
        """A multilingual text in the member's language (else the default, else any)."""
        return pick_text(texts, self.tr.language, self.svc.settings.default_language)

    def remember(self, member: Member) -> None:
        """Keep a (changed) member for the rest of this update: language, zone, role."""
        self._member = member

    def _identity(self, update: Update) -> TelegramIdentity:
        user = update.effective_user
        if user is None:
            raise RuntimeError("update without a user")
        chat = update.effective_chat
        return TelegramIdentity(
            user_id=user.id,
            chat_id=chat.id if chat is not None and chat.type == "private" else user.id,
            first_name=user.first_name or "",
            last_name=user.last_name,
            username=user.username,
            language=normalize_language(user.language_code, self.svc.settings.default_language),
        )

    async def erased(self, update: Update) -> bool:
        """Whether the person behind ``update`` erased their data (the tombstone). A member
        row means no tombstone, so this is one read, whose member is kept for the update
        when :meth:`load_member` would change nothing in it."""
        who = self._identity(update)
        db = self.svc.db
        member = await get_member(db, who.user_id)
        if member is None:
            return await is_erased(db, who.user_id)
        if up_to_date(member, who, self.svc.settings.admin_ids):
            self._member = member
        return False

    async def load_member(self, update: Update) -> Member:
        """The member behind ``update``, created on first contact; loaded once per update."""
        who = self._identity(update)
        if self._member is None or self._member.user_id != who.user_id:
            settings = self.svc.settings
            self._member, _ = await ensure_member(
                self.svc.db,
                who,
                default_timezone=settings.default_timezone,
                admin_ids=settings.admin_ids,
            )
        await self._check_staff_menu(update, self._member)
        return self._member

    async def _check_staff_menu(self, update: Update, member: Member) -> None:
        """An organizer's or admin's chat menu: their role's commands, as /grant sets them,
        checked once per process (a configured admin's first contact, or a chat the menus
        published at start could not reach, not known to Telegram then)."""
        chat = update.effective_chat
        if chat is None or chat.type != "private" or member.role == Role.member:
            return
        menu = (chat.id, member.role, member.language)
        if menu not in self.svc.staff_menus:
            self.svc.staff_menus.add(menu)
            await set_chat_menu(self.bot, chat.id, Role(member.role), member.language)
