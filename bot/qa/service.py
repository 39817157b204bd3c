"""The answerer for the current catalog: rebuilt when the store's catalog changes."""

from __future__ import annotations

import asyncio

from bot.qa.engine import Answerer, Catalog
from storage import catalog as catalog_store
from storage.db import Database


class AnswererCache:
    """One index per catalog version; a cheap stamp query tells when to rebuild."""

    def __init__(self) -> None:
        self._stamp: tuple[object, ...] | None = None
        self._answerer: Answerer | None = None
        self._lock = asyncio.Lock()

    async def get(self, db: Database) -> Answerer:
        stamp = await catalog_store.catalog_stamp(db)
        if self._answerer is not None and stamp == self._stamp:
            return self._answerer
        async with self._lock:
            if self._answerer is None or stamp != self._stamp:
                courses, events, faqs = await catalog_store.all_catalog(db)
                catalog = Catalog(courses, events, faqs)
                # Building is CPU work; a thread keeps other chats answering meanwhile.
                self._answerer = await asyncio.to_thread(Answerer, catalog)
                self._stamp = stamp
        return self._answerer
