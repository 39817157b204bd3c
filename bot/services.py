"""What handlers need at run time, stored once in ``application.bot_data``."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from telegram.ext import Application, CallbackContext

from bot.config import Settings
from storage.db import Database
from storage.types import utcnow

if TYPE_CHECKING:
    from bot.delivery import DeliveryEngine

SERVICES_KEY = "services"


@dataclass
class Services:
    settings: Settings
    db: Database
    clock: Callable[[], datetime] = utcnow
    delivery: DeliveryEngine | None = None
    extras: dict[str, Any] = field(default_factory=dict)

    def now(self) -> datetime:
        return self.clock()


def services_of(application: Application[Any, Any, Any, Any, Any, Any]) -> Services:
    services = application.bot_data[SERVICES_KEY]
    assert isinstance(services, Services)
    return services


def get_services(context: CallbackContext[Any, Any, Any, Any]) -> Services:
    return services_of(context.application)


def attach_services(application: Application[Any, Any, Any, Any, Any, Any], svc: Services) -> None:
    application.bot_data[SERVICES_KEY] = svc
