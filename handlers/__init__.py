"""Feature modules. Each has ``register(application)``; order matters only for fallbacks."""

from __future__ import annotations

from telegram.ext import Application

from handlers import (
    broadcast,
    catalog,
    errors,
    events,
    flows,
    groups,
    imports,
    memberships,
    onboarding,
    people,
    presence,
    privacy,
    questions,
    roles,
    surveys,
    tickets,
)


def register_all(application: Application) -> None:
    errors.register_guard(application)
    flows.register(application)
    onboarding.register(application)
    privacy.register(application)
    presence.register(application)
    memberships.register(application)
    roles.register(application)
    people.register(application)
    catalog.register(application)
    broadcast.register(application)
    events.register(application)
    surveys.register(application)
    imports.register(application)
    tickets.register(application)
    questions.register(application)
    groups.register(application)
    errors.register_fallbacks(application)
