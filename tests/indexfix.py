"""The incident index as stored, for comparing an index updated in place with a rebuild
(tests/test_incident_index.py, tests/test_link_incremental.py)."""
from __future__ import annotations

import sqlite3

import pytest

from sitrep import incident_index
from sitrep.store import Store, open_store


def index_tables(store) -> dict:
    """The index's tables as they are stored (rows sorted), and the meta rows it keeps. The
    actor and place values by what they hold, not their ids: an update numbers a new value
    after the highest, where a rebuild numbers them all in order of first use."""
    q = store.db.query
    out = {t: sorted((tuple(int(v) if isinstance(v, bool) else v for v in row) for row in q(f"SELECT * FROM {t}")),
                     key=repr)
           for t in ("reconciled_docs", "reconciled_members", "reconciled_outlets", "outlet_stats")}
    values = {}
    for table, column in (("reconciled_actors", "actors"), ("reconciled_places", "place_keys")):
        values[table] = {i: v for i, v, _ in q(f"SELECT id, {column}, n FROM {table}")}
        out[table] = sorted((v, n) for _, v, n in q(f"SELECT id, {column}, n FROM {table}"))
    cols = Store._INDEX_COLUMNS
    rows = []
    for row in q(f"SELECT {', '.join(cols)} FROM reconciled"):
        row = dict(zip(cols, (int(v) if isinstance(v, bool) else v for v in row)))
        row["actors_id"] = values["reconciled_actors"][row["actors_id"]]
        row["places_id"] = values["reconciled_places"][row["places_id"]]
        rows.append(tuple(row.values()))
    out["reconciled"] = sorted(rows, key=repr)
    out["meta"] = sorted(tuple(r) for r in q("SELECT key, value FROM meta WHERE key IN "
                                             "('facets', 'index_max_span', 'index_version')"))
    return out


def rebuilt_tables(store, path) -> dict:
    """``index_tables`` of a full rebuild of a copy of the SQLite ``store`` (written to
    ``path``), the store itself left as it is."""
    with sqlite3.connect(str(path)) as copy:
        store.db.conn.backup(copy)
    copy.close()
    with open_store(str(path)) as twin:
        incident_index.build(twin)
        return index_tables(twin)


def refreshed_from_the_log(store, monkeypatch) -> None:
    """``refresh(store)``, which must update the index from the store's change log: neither
    a rebuild nor a comparison of every grouping may run."""
    with monkeypatch.context() as m:
        m.setattr(incident_index, "build", lambda s: pytest.fail("rebuilt"))
        m.setattr(incident_index, "_compared", lambda s: pytest.fail("compared every grouping"))
        assert incident_index.refresh(store) is True
    assert store.index_version() == store.fingerprint()
