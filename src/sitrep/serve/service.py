"""The server's state: one store per worker thread, the incident index kept fresh, and
answers cached by index version.

FastAPI runs the routes in a pool of threads; a SQLite connection belongs to the thread
that opened it, so each thread opens its own store (PostgreSQL alike) and keeps it.

The index (:mod:`sitrep.incident_index`) is refreshed when the app is created, and on
requests at most every ``CHECK_SECONDS``: another process may ingest or link meanwhile
(the store's fingerprint, a few aggregates on keys, is the cheap marker of that). New
articles only are taken in without a rebuild (``incident_index.catch_up``), links saved or
articles replaced by an update where they changed (``incident_index.update``). The
request that finds it stale otherwise rebuilds it under a lock while the others go on reading the
previous index (the rebuild replaces it in one transaction). Writes made through the API
bring it up to date before they answer, so that what they stored is listed at once: a new
article extends the index by its own incidents (``incident_index.add_article``, milliseconds)
when nothing else changed since the index was built; any other write updates it where the
store changed, or rebuilds it where that cannot be vouched for (``incident_index.refresh``).
"""
from __future__ import annotations

import logging
import threading
import time
from collections import OrderedDict
from typing import Any, Callable

from .. import incident_index
from ..store import ADDED, Store, open_store

log = logging.getLogger("sitrep.serve")

CHECK_SECONDS = 2.0
CACHE_ENTRIES = 64


class Service:
    def __init__(self, db_url: str | None) -> None:
        self.db_url = db_url
        self._local = threading.local()
        self._opened: list[Store] = []
        self._opened_lock = threading.Lock()
        self._index_lock = threading.Lock()
        self._checked_at = 0.0
        self._cache: OrderedDict[tuple, Any] = OrderedDict()
        self._cache_lock = threading.Lock()

    # -- stores -----------------------------------------------------------------------------

    def store(self) -> Store:
        """This thread's store."""
        store = getattr(self._local, "store", None)
        if store is None:
            store = open_store(self.db_url)
            self._local.store = store
            with self._opened_lock:
                self._opened.append(store)
        return store

    def fresh(self) -> Store:
        """This thread's store, with the index re-checked if the last check is old enough."""
        store = self.store()
        now = time.monotonic()
        if now - self._checked_at >= CHECK_SECONDS:
            self._checked_at = now
            if self._index_lock.acquire(blocking=False):
                try:
                    incident_index.refresh(store)
                finally:
                    self._index_lock.release()
        return store

    def rebuild(self, store: Store) -> None:
        """Bring the index up to date now (after a write), waiting for a rebuild under way."""
        with self._index_lock:
            incident_index.refresh(store)
            self._checked_at = time.monotonic()

    def index_after_add(self, store: Store, status: str, article_pk: int | None, fingerprint_before: str) -> bool:
        """Bring the index up to date after ``store.add`` answered ``status`` for the article
        ``article_pk``, ``fingerprint_before`` taken before that ``add``: a new article ("added")
        extends a current index by its incidents; anything else, or an extension refused or
        failed, rebuilds it (when stale). Under the index lock,
        as ``rebuild``. Whether the index was extended."""
        if status != ADDED or article_pk is None:
            return self._update_or_refresh(store, None, "")
        return self._update_or_refresh(store, lambda: incident_index.add_article(store, article_pk, fingerprint_before),
                                       f"extending the incident index by article {article_pk}")

    def index_after_review(self, store: Store, incident_id: int, correction, fingerprint_before: str) -> bool:
        """As ``index_after_add``, after a confirmation or a note on the indexed incident
        ``incident_id`` (``incident_index.add_review``: its row updated in place, when nothing
        else changed; else a rebuild). Whether it was updated in place."""
        return self._update_or_refresh(
            store, lambda: incident_index.add_review(store, incident_id, correction, fingerprint_before),
            f"updating the review of incident {incident_id} in the index")

    def _update_or_refresh(self, store: Store, update: Callable[[], bool] | None, what: str) -> bool:
        """Under the index lock: ``update()`` (an index brought up to date in place; whether it
        applied), else, or when it fails, a rebuild when stale."""
        with self._index_lock:
            updated = False
            if update is not None:
                try:
                    updated = update()
                except Exception:  # the full rebuild below still brings the index up to date
                    log.exception("%s failed; rebuilding it", what)
            if not updated:
                incident_index.refresh(store)
            self._checked_at = time.monotonic()
            return updated

    def refresh_now(self) -> None:
        """At startup, in the caller's thread: the index fresh, errors raised to the caller."""
        store = open_store(self.db_url)
        try:
            with self._index_lock:
                incident_index.refresh(store)
                self._checked_at = time.monotonic()
        finally:
            store.close()

    def close(self) -> None:
        with self._opened_lock:
            stores, self._opened = self._opened, []
        for store in stores:
            try:
                store.close()
            except Exception:  # a SQLite connection refuses to be closed by another thread
                pass

    # -- cache ------------------------------------------------------------------------------

    def cached(self, store: Store, key: tuple, make: Callable[[], Any]) -> Any:
        """``make()``, remembered for the current index version (a rebuild makes it stale)."""
        full = (store.index_version(), *key)
        with self._cache_lock:
            if full in self._cache:
                self._cache.move_to_end(full)
                return self._cache[full]
        value = make()
        with self._cache_lock:
            self._cache[full] = value
            while len(self._cache) > CACHE_ENTRIES:
                self._cache.popitem(last=False)
        return value


__all__ = ["Service", "CHECK_SECONDS"]
