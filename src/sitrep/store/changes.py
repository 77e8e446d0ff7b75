"""The log of what the index must look at again, written where the store changes.

    changes = IndexChanges(store.db)
    changes.replacing(article_pk)         # before a replaced article's incidents are deleted
    changes.incidents(pks)                # incidents whose grouping may have changed
    changes.everything()                  # links saved whole: the log no longer suffices
    found = changes.since(seq, upto)      # (incidents, indexed ids), or None: read everything

Table ``index_changes`` (migration 0008). The store's fingerprint carries the last ``seq``
(``last``), so an index's version says up to where it has read; ``forget_before`` trims what
every index has read. Knows SQL, nothing of the index.
"""
from __future__ import annotations

from typing import Iterable

from .db import Database

INCIDENT, INDEXED, EVERYTHING = 0, 1, 2
# PostgreSQL advisory lock held by a writer of the log until it commits, so that entries
# commit in the order of their seq: a reader that saw seq N has seen every entry below it
# (else a writer slower to commit could land below what an index has read, and be skipped).
# SQLite writers queue on the database lock already.
CHANGES_LOCK = 0x5173_7265_7003


class IndexChanges:
    def __init__(self, db: Database) -> None:
        self.db = db

    def last(self) -> int:
        row = self.db.one("SELECT MAX(seq) FROM index_changes")
        return int(row[0]) if row and row[0] is not None else 0

    # -- writing (inside the caller's transaction) ------------------------------------------

    def incidents(self, pks: Iterable[int]) -> None:
        self._write(INCIDENT, pks)

    def replacing(self, article_pk: int) -> None:
        """Before the article's incidents are deleted: they, and the indexed incidents that
        hold them (the delete takes their member rows along, and with them what names them)."""
        self.incidents(int(r[0]) for r in self.db.query("SELECT pk FROM incidents WHERE article_pk = ?",
                                                        (int(article_pk),)))
        self._write(INDEXED, (int(r[0]) for r in self.db.query(
            "SELECT DISTINCT incident_id FROM reconciled_members WHERE article_pk = ?", (int(article_pk),))))

    def everything(self) -> None:
        """Links saved whole: an index older than this compares everything. What came before
        is dropped (no reader can use it any more), the new entry kept: seq goes on growing
        (SQLite numbers a key after the highest left)."""
        self._lock()
        self.db.execute("INSERT INTO index_changes (kind, key) VALUES (?, 0)", (EVERYTHING,))
        self.db.execute("DELETE FROM index_changes WHERE seq < ?", (self.last(),))

    def _write(self, kind: int, keys: Iterable[int]) -> None:
        rows = [(kind, k) for k in sorted({int(k) for k in keys})]
        if rows:
            self._lock()
            self.db.executemany("INSERT INTO index_changes (kind, key) VALUES (?, ?)", rows)

    def _lock(self) -> None:
        if self.db.dialect == "postgresql":
            self.db.execute("SELECT pg_advisory_xact_lock(?)", (CHANGES_LOCK,))

    def forget_before(self, seq: int) -> None:
        """Drop the entries an index at ``seq`` has read (there is one index), keeping the last."""
        self.db.execute("DELETE FROM index_changes WHERE seq < ?", (min(int(seq), self.last()),))

    # -- reading ----------------------------------------------------------------------------

    def since(self, seq: int, upto: int) -> tuple[set[int], set[int]] | None:
        """The incidents and the indexed ids logged after ``seq``, up to ``upto``; None when
        links were saved whole meanwhile, or ``seq`` was trimmed away (the log cannot say)."""
        # Entries go a prefix at a time: one at or below ``seq`` still here means none after
        # it went (an index written by a build that read before another's update may be older
        # than what was trimmed); at 0, none may have gone (keys count from 1).
        first = self.db.one("SELECT MIN(seq) FROM index_changes")[0]
        if first is not None and int(first) > max(int(seq), 1):
            return None
        incidents: set[int] = set()
        indexed: set[int] = set()
        for kind, key in self.db.query("SELECT kind, key FROM index_changes WHERE seq > ? AND seq <= ?",
                                       (int(seq), int(upto))):
            if int(kind) == EVERYTHING:
                return None
            (incidents if int(kind) == INCIDENT else indexed).add(int(key))
        return incidents, indexed
