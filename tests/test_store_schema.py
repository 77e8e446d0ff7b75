"""The schema: created by numbered migrations from an empty database, recorded in
schema_version, a no-op when run again; SQLite in WAL mode; the keys and indexes the later
stages (concurrent ingest, the HTTP API) rely on. On SQLite and PostgreSQL alike."""
import pytest

from pg import store_url  # noqa: F401  (fixture: an empty SQLite file or PostgreSQL schema)
from sitrep.store import Database, DatabaseError, open_store, parse_url
from sitrep.store import migrations
from sitrep.store.migrations import LATEST, Migration, current_version, migrate

TABLES = {"schema_version", "articles", "incidents", "claims", "counts", "evidence", "links",
          "link_members", "wire_groups", "reference", "verifications"}


def indexed_columns(db: Database, table: str) -> set[str]:
    """First columns of the table's indexes (unique constraints included)."""
    if db.dialect == "sqlite":
        names = [r[1] for r in db.query(f"PRAGMA index_list({table})")]
        return {db.query(f"PRAGMA index_info({n})")[0][2] for n in names}
    rows = db.query("SELECT a.attname FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid "
                    "JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = i.indkey[0] "
                    "WHERE c.relname = ? AND c.relnamespace = current_schema()::regnamespace", (table,))
    return {r[0] for r in rows}


def test_migrations_from_empty_to_latest_then_a_no_op(store_url):
    with open_store(store_url) as store:
        assert store.applied_migrations == list(range(1, LATEST + 1))
        assert TABLES <= set(store.db.tables())
        versions = store.db.query("SELECT version, name FROM schema_version ORDER BY version")
        assert [v for v, _ in versions] == list(range(1, LATEST + 1))
        assert versions[0][1] == "initial"
    with open_store(store_url) as store:
        assert store.applied_migrations == []
        assert migrate(store.db) == []
        assert current_version(store.db) == LATEST
        assert store.db.query("SELECT version, name FROM schema_version ORDER BY version") == versions


def test_keys_and_indexes_for_the_later_stages(store_url):
    with open_store(store_url) as store:
        db = store.db
        assert "content_hash" in indexed_columns(db, "articles")
        assert {"date", "admin1", "country", "event_type", "killed_best", "article_pk"} <= \
            indexed_columns(db, "incidents")
        assert {"source", "date", "country"} <= indexed_columns(db, "reference")


def test_a_failing_migration_leaves_nothing_behind(store_url, monkeypatch):
    with open_store(store_url) as store:
        real = migrations.available()

        class Broken(Migration):
            def run(self, db):
                db.execute("CREATE TABLE half_done (x INTEGER)")
                raise RuntimeError("killed half-way")

        monkeypatch.setattr(migrations, "available",
                            lambda: real + [Broken(len(real) + 1, "broken", "x.sql")])
        with pytest.raises(RuntimeError):
            migrate(store.db)
        assert current_version(store.db) == LATEST
        assert "half_done" not in store.db.tables()


def test_a_newer_schema_is_refused(store_url):
    with open_store(store_url) as store:
        store.db.execute("INSERT INTO schema_version (version, name, applied_at) VALUES (?, ?, ?)",
                         (LATEST + 1, "future", "2099-01-01"))
    with pytest.raises(DatabaseError, match="newer"):
        open_store(store_url)


def test_sqlite_runs_in_wal_mode_with_foreign_keys(tmp_path):
    with open_store(str(tmp_path / "x.db")) as store:
        db = store.db
        assert db.one("PRAGMA journal_mode")[0] == "wal"
        assert db.one("PRAGMA foreign_keys")[0] == 1
        assert db.one("PRAGMA synchronous")[0] == 1  # NORMAL
        assert db.one("PRAGMA busy_timeout")[0] >= 1000


def test_default_database_is_sitrep_db_in_the_working_directory(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with open_store() as store:
        assert store.dialect == "sqlite"
    assert (tmp_path / "sitrep.db").exists()
    with open_store("sqlite:///other.db"):
        pass
    assert (tmp_path / "other.db").exists()


@pytest.mark.parametrize("url, expected", [
    (None, ("sqlite", "sitrep.db")),
    ("data/x.db", ("sqlite", "data/x.db")),
    ("sqlite:///x.db", ("sqlite", "x.db")),
    ("sqlite:////abs/x.db", ("sqlite", "/abs/x.db")),
    ("postgresql://u@h:5432/db", ("postgresql", "postgresql://u@h:5432/db")),
    ("postgres://u@h/db", ("postgresql", "postgres://u@h/db")),
])
def test_database_urls(url, expected):
    assert parse_url(url) == expected


def test_unknown_url_scheme_is_an_error():
    with pytest.raises(ValueError, match="mysql"):
        parse_url("mysql://u@h/db")


def test_unreachable_postgresql_is_a_clear_error():
    with pytest.raises(DatabaseError, match="cannot connect to PostgreSQL"):
        open_store("postgresql://nobody@127.0.0.1:1/none?connect_timeout=2")
