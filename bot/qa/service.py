"""The answerer for the current catalog: rebuilt when the store's catalog changes, or
what organizers taught it (learned FAQ entries, other phrasings: ``storage.learning``)."""

from __future__ import annotations

import asyncio

from bot.qa.documents import provider_countries
from bot.qa.engine import Answerer, Catalog
from storage import catalog as catalog_store
from storage import institutions, learning
from storage.db import Database
from storage.models import Institution


class AnswererCache:
    """One index per catalog version; a cheap stamp query tells when to rebuild."""

    def __init__(self) -> None:
        self._stamp: tuple[object, ...] | None = None
        self._answerer: Answerer | None = None
        self._lock = asyncio.Lock()

    async def get(self, db: Database) -> Answerer:
        # The catalog's and what was learned, in one query (it runs for every question).
        # The institutions count too: their countries are where courses' providers are.
        stamp = await catalog_store.catalog_stamp(db, *learning.LEARNED, Institution)
        if self._answerer is not None and stamp == self._stamp:
            return self._answerer
        async with self._lock:
            if self._answerer is None or stamp != self._stamp:
                catalog = await load_catalog(db)
                # Building is CPU work; a thread keeps other chats answering meanwhile.
                self._answerer = await asyncio.to_thread(Answerer, catalog)
                self._stamp = stamp
        return self._answerer


async def load_catalog(db: Database) -> Catalog:
    """The data file's records, the learned FAQ entries, the accepted phrasings and where
    the institutions that provide courses are."""
    courses, events, faqs = await catalog_store.all_catalog(db)
    known = {faq.id for faq in faqs}
    extra = [learning.as_faq(f) for f in await learning.learned_faqs(db) if f.id not in known]
    phrasings: dict[str, list[tuple[str, str]]] = {}
    for phrasing in await learning.all_phrasings(db):
        phrasings.setdefault(f"{phrasing.kind}:{phrasing.record_id}", []).append(
            (phrasing.text, phrasing.language)
        )
    countries = provider_countries(await institutions.list_institutions(db))
    return Catalog(courses, events, [*faqs, *extra], phrasings, countries)
