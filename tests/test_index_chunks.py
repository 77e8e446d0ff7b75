"""The index is built and updated a chunk of incidents at a time (memory bounded at any
archive size); how large the chunks are changes nothing in what it holds."""
import importlib.util
import random
from pathlib import Path

import pytest

from sitrep import incident_index
from sitrep.records import Article, ArticleRecord
from sitrep.store import LinkedIncident, content_hash, open_store

ROOT = Path(__file__).resolve().parents[1]


def _bench(name):
    spec = importlib.util.spec_from_file_location(f"bench_{name}", ROOT / "benchmarks" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def synthetic_db(tmp_path_factory):
    path = tmp_path_factory.mktemp("chunks") / "synthetic.db"
    _bench("synthetic").make_db(str(path), 300, seed=4)
    return path


def test_chunked_build_and_update_hold_what_one_chunk_holds(synthetic_db, tmp_path, monkeypatch):
    index_state = _bench("incremental").index_state
    db = tmp_path / "w.db"
    db.write_bytes(synthetic_db.read_bytes())
    with open_store(str(db)) as store:
        incident_index.build(store)
        whole = index_state(store)
        monkeypatch.setattr(incident_index, "BUILD_CHUNK", 7)
        incident_index.build(store)
        assert index_state(store) == whole
        # a relink that changes many links, and a new article: updated in chunks of 7
        rng = random.Random(3)
        links = store.links()
        si = store.stored_incidents([links[0].members[0]])[0]
        text = "Reported again."
        store.add(Article("again", text, None, si.published, "Late", "test"),
                  ArticleRecord("again", si.published, [si.incident]), "9.0")
        new = int(store.db.one("SELECT pk FROM incidents WHERE article_pk = ?",
                               (store.article_pk(content_hash(text)),))[0])
        kept = [lk for lk in links if rng.random() < 0.5]
        kept[0] = LinkedIncident(kept[0].id, kept[0].members + [new], kept[0].wire_groups)
        store.save_links(kept)
        assert incident_index.update(store)
        updated = index_state(store)
        monkeypatch.setattr(incident_index, "BUILD_CHUNK", 5000)
        incident_index.build(store)
        assert index_state(store) == updated
