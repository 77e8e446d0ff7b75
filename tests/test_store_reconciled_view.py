"""The database after `sitrep ingest` and `sitrep link` holds what `sitrep incidents` lists:
the view reconciled_incidents, one row per reconciled incident, with the rows of the index
tied to the rows they refer to by foreign keys. On SQLite and PostgreSQL alike."""
import json

import pytest

from clitools import run
from oldschema import add_as_first_release
from pg import store_url  # noqa: F401  (fixture: an empty SQLite file or PostgreSQL schema)
from sitrep.store import open_store

# Two outlets on one strike (linked into one incident), a third article on another act.
ARTICLES = [
    {"id": "view-a", "outlet": "Northern Courier", "published": "2019-03-12",
     "text": "An air strike on a market in the town of Maarat al-Numan killed eleven civilians on "
             "Monday, the Syrian Observatory for Human Rights said."},
    {"id": "view-b", "outlet": "Valley Post", "published": "2019-03-12",
     "text": "Eleven civilians were killed on Monday when warplanes struck a market in Maarat "
             "al-Numan, in Idlib province, rescuers said."},
    {"id": "view-c", "outlet": "Valley Post", "published": "2019-05-02",
     "text": "Shelling by government forces killed four people in the village of Kafr Nabl on "
             "Wednesday, local activists said."},
]


def _ingest(url, tmp_path) -> None:
    src = tmp_path / "view.jsonl"
    src.write_text("".join(json.dumps(a) + "\n" for a in ARTICLES), encoding="utf-8")
    code, _, err = run(["ingest", str(src), "--db", url])
    assert code == 0, err


def _listed(url) -> list[dict]:
    code, out, err = run(["incidents", "--db", url, "--format", "json"])
    assert code == 0, err
    return json.loads(out)


def _view(url) -> list[tuple]:
    with open_store(url) as store:
        return store.db.query("SELECT id, killed, record FROM reconciled_incidents ORDER BY id")


@pytest.mark.parametrize("store_url", ["sqlite", "postgresql"], indirect=True)
def test_sql_and_sitrep_incidents_give_the_same_incidents(store_url, tmp_path):
    _ingest(store_url, tmp_path)
    # before any link each stored incident stands alone, in the view as in the listing
    assert [r[0] for r in _view(store_url)] == [i["id"] for i in _listed(store_url)]
    code, out, err = run(["link", "--db", store_url])
    assert code == 0, err
    assert "reconciled_incidents" in out
    listed = _listed(store_url)
    rows = _view(store_url)
    assert len(rows) == len(listed) >= 2
    assert [r[0] for r in rows] == [i["id"] for i in listed]
    assert [json.loads(r[2]) for r in rows] == listed
    # the strike both outlets report is one reconciled incident made of two articles' incidents
    with open_store(store_url) as store:
        members = store.db.query("SELECT m.incident_id, COUNT(DISTINCT a.outlet) FROM reconciled_members m "
                                 "JOIN articles a ON a.pk = m.article_pk GROUP BY m.incident_id")
        assert max(n for _, n in members) == 2
        stats = dict(store.db.query("SELECT outlet, articles FROM outlet_stats"))
        assert stats == {"Northern Courier": 1, "Valley Post": 2}


@pytest.mark.parametrize("store_url", ["sqlite", "postgresql"], indirect=True)
def test_index_rows_refer_to_rows_by_foreign_keys(store_url, tmp_path):
    _ingest(store_url, tmp_path)
    run(["link", "--db", store_url])
    with open_store(store_url) as store:
        db = store.db
        with pytest.raises(Exception):  # a member of no stored incident is refused
            with db.transaction():
                db.execute("INSERT INTO reconciled_members (incident_id, article_pk, incident_pk) "
                           "SELECT id, 1, 999999 FROM reconciled LIMIT 1")
        # an article deleted takes its member rows along
        pk = db.one("SELECT pk FROM articles WHERE article_id = 'view-c'")[0]
        with db.transaction():
            db.execute("DELETE FROM articles WHERE pk = ?", (pk,))
        assert db.one("SELECT COUNT(*) FROM reconciled_members WHERE article_pk = ?", (pk,))[0] == 0


def _database_of_schema(store_url, version: int):
    """A database as a release of schema ``version`` left it (its migrations applied, the
    ARTICLES stored by the first release's writer): the open Database."""
    from datetime import datetime, timezone

    import sitrep
    from sitrep.store.db import Database
    from sitrep.store.migrations import available

    db = Database(store_url)
    for mig in available()[:version]:
        with db.transaction():
            db.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, "
                       "name TEXT NOT NULL, applied_at TEXT NOT NULL)")
            mig.run(db)
            db.execute("INSERT INTO schema_version (version, name, applied_at) VALUES (?, ?, ?)",
                       (mig.version, mig.name, datetime.now(timezone.utc).isoformat()))
    for a in ARTICLES:
        add_as_first_release(db, a["id"], a["text"], a["published"], a["outlet"],
                             sitrep.extract(a["text"], published=a["published"]).incidents)
    return db


@pytest.mark.parametrize("store_url", ["sqlite", "postgresql"], indirect=True)
def test_a_database_of_the_previous_schema_is_upgraded_whole(store_url):
    from sitrep import incident_index

    # a database as the previous release left it: migrations 1 and 2, three articles stored
    # by its writer, an index built
    db = _database_of_schema(store_url, 2)
    with db.transaction():
        db.execute("INSERT INTO meta (key, value) VALUES ('index_version', 'built by the previous release')")
    assert not db.table_exists("reconciled_incidents")
    db.close()
    # opened by this release: the index tables are made again, and the index is marked unbuilt
    with open_store(store_url) as store:
        assert store.index_version() is None
        assert store.db.one("SELECT COUNT(*) FROM reconciled_incidents")[0] == 0
        assert incident_index.refresh(store) is True
    assert len(_view(store_url)) == len(_listed(store_url)) == 3


@pytest.mark.parametrize("store_url", ["sqlite", "postgresql"], indirect=True)
def test_an_index_of_schema_5_is_rebuilt_with_its_groupings(store_url, monkeypatch):
    """Migration 0006 adds the groupings and outlet contributions an update reads: an index
    built before it is marked unbuilt, rebuilt whole, and from then on updated in place."""
    import sitrep
    from sitrep import incident_index

    db = _database_of_schema(store_url, 5)
    with db.transaction():
        db.execute("INSERT INTO meta (key, value) VALUES ('index_version', 'built under schema 5')")
        db.execute("INSERT INTO meta (key, value) VALUES ('facets', '{}')")
        db.execute("INSERT INTO meta (key, value) VALUES ('index_max_span', '0')")
    db.close()
    with open_store(store_url) as store:
        assert store.applied_migrations[0] == 6
        assert store.index_version() is None and not store.has_index()
        assert incident_index.update(store) is False   # nothing to update: rebuilt
        assert incident_index.refresh(store) is True
        groupings = store.index_groupings()
        assert groupings and all(g == json.dumps([[i], []], separators=(",", ":")) for i, g in groupings.items())
        assert store.db.one("SELECT COUNT(*) FROM reconciled_outlets")[0] >= len(groupings)
        pks = sorted(groupings)
        store.save_links([sitrep.store.LinkedIncident(1, pks[:2])])
        monkeypatch.setattr(incident_index, "build", lambda st: pytest.fail("rebuilt"))
        assert incident_index.refresh(store) is True
        assert store.index_groupings()[pks[0]] == json.dumps([pks[:2], []], separators=(",", ":"))
