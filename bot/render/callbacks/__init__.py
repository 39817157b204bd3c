"""Typed callback data: one frozen dataclass per prefix (see :class:`CallbackData`).

Each feature declares its buttons' data in a module of this package; handlers build data
with ``Thing(...).pack()`` and read it with ``Thing.parse(query.data)``, and register their
``CallbackQueryHandler`` with ``Thing.pattern()``.
"""

from bot.render.callbacks.base import CallbackData, CallbackTooLong, registered_prefixes

__all__ = ["CallbackData", "CallbackTooLong", "registered_prefixes"]
