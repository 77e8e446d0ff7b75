"""The store stage: articles and their incident records in SQLite (default) or PostgreSQL.

    from sitrep.store import open_store, ingest_paths
    with open_store("sitrep.db") as store:          # or "postgresql://user@host:port/db"
        tally = ingest_paths(store, ["samples"])
        for si in store.incidents():
            ...

Imports the records, the readers and the extractor; nothing of the stages after it.
"""
from __future__ import annotations

from .db import Database, DatabaseError, parse_url
from .ingest import Tally, ingest_paths
from .model import (Correction, IncidentQuery, IndexedIncident, LinkedIncident, OutletStats, ReferenceRecord,
                    StoredArticle, StoredIncident, Verification)
from .repository import ADDED, REPLACED, UNCHANGED, Store, content_hash, normalise_text, open_store

__all__ = [
    "ADDED", "REPLACED", "UNCHANGED", "Correction",
    "Database", "DatabaseError", "IncidentQuery", "IndexedIncident", "LinkedIncident", "OutletStats",
    "ReferenceRecord", "Store", "StoredArticle",
    "StoredIncident", "Tally", "Verification", "content_hash", "ingest_paths",
    "normalise_text", "open_store", "parse_url",
]
