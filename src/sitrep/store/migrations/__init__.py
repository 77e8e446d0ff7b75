"""Numbered schema migrations, applied in order and recorded in ``schema_version``.

A migration is a file ``NNNN_name.sql`` (portable SQL, see ``db.Database.ddl``) or
``NNNN_name.py`` defining ``upgrade(db)``. Each runs in its own transaction together with the
row that records it, under a lock that one process holds at a time, so a migration killed
half-way leaves nothing behind and two processes opening a fresh database apply it once.
Never edit a migration once released: add the next number.
"""
from __future__ import annotations

import importlib
import re
from dataclasses import dataclass
from datetime import datetime, timezone
from importlib import resources

from ..db import Database, DatabaseError

_NAME = re.compile(r"^(\d{4})_([a-z0-9_]+)\.(sql|py)$")


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    filename: str

    def run(self, db: Database) -> None:
        if self.filename.endswith(".sql"):
            db.script(resources.files(__name__).joinpath(self.filename).read_text(encoding="utf-8"))
        else:
            module = importlib.import_module(f"{__name__}.{self.filename[:-3]}")
            module.upgrade(db)


def available() -> list[Migration]:
    found = []
    for entry in resources.files(__name__).iterdir():
        m = _NAME.match(entry.name)
        if m:
            found.append(Migration(int(m.group(1)), m.group(2), entry.name))
    found.sort(key=lambda mig: mig.version)
    versions = [mig.version for mig in found]
    if len(set(versions)) != len(versions) or versions != list(range(1, len(versions) + 1)):
        raise RuntimeError(f"migrations must be numbered 1..n without gaps: {versions}")
    return found


LATEST = len(available())


def current_version(db: Database) -> int:
    if not db.table_exists("schema_version"):
        return 0
    row = db.one("SELECT MAX(version) FROM schema_version")
    return int(row[0]) if row and row[0] is not None else 0


def migrate(db: Database) -> list[int]:
    """Bring the schema to the latest version; returns the versions applied (none: a no-op)."""
    migrations = available()
    latest = migrations[-1].version if migrations else 0
    version = current_version(db)
    if version > latest:
        raise DatabaseError(f"the database's schema version {version} is newer than this sitrep "
                            f"knows ({latest}); upgrade sitrep")
    applied: list[int] = []
    for mig in migrations:
        if mig.version <= version:
            continue
        with db.transaction():
            db.lock_for_migrations()
            db.execute("CREATE TABLE IF NOT EXISTS schema_version ("
                       "version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)")
            if db.one("SELECT 1 FROM schema_version WHERE version = ?", (mig.version,)):
                continue  # another process applied it while we waited for the lock
            mig.run(db)
            db.execute("INSERT INTO schema_version (version, name, applied_at) VALUES (?, ?, ?)",
                       (mig.version, mig.name, datetime.now(timezone.utc).isoformat(timespec="seconds")))
        applied.append(mig.version)
    return applied
