"""Crash safety: `sitrep ingest` killed with SIGKILL half-way and started again ends with
exactly the records of an uninterrupted run, nothing lost and nothing twice. On SQLite and
PostgreSQL alike.

The kill is made deterministic without any hook in the product: the test watches the
database until at least KILL_AT articles are committed, then kills the process; every
article the killed run left is whole (its incident count matches its rows)."""
import io
import os
import signal
import subprocess
import sys
import time

import pytest

from pg import dump, store_url, write_copies  # noqa: F401
from sitrep.store import ingest_paths, open_store

COPIES = 25  # 25 copies of the 11 English samples (+ one bad item): 276 items
KILL_AT = 40


@pytest.fixture(scope="module")
def batch(tmp_path_factory):
    path = tmp_path_factory.mktemp("crash") / "batch.jsonl"
    n = write_copies(path, COPIES, extra=[{"id": "broken", "text": ""}])
    return path, n


@pytest.fixture(scope="module")
def clean_dump(batch, tmp_path_factory):
    """The database of one uninterrupted run (SQLite; the dumps are dialect-free)."""
    url = str(tmp_path_factory.mktemp("clean") / "clean.db")
    with open_store(url) as store:
        tally = ingest_paths(store, [str(batch[0])], progress=False, err=io.StringIO())
    assert tally.failed == 1 and tally.added == batch[1] - 1
    return dump(url)


def stored(url: str) -> int:
    if "://" not in url and not os.path.exists(url):
        return 0  # leave creating the SQLite file to the ingest
    try:
        with open_store(url) as store:
            return store.counts()["articles"]
    except Exception:  # the schema may not exist yet
        return 0


def test_kill_9_half_way_then_rerun_equals_an_uninterrupted_run(store_url, batch, clean_dump):
    path, n = batch
    proc = subprocess.Popen([sys.executable, "-m", "sitrep.cli", "ingest", str(path), "--db", store_url],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.time() + 180
        while stored(store_url) < KILL_AT:
            assert proc.poll() is None, proc.stderr.read().decode()
            assert time.time() < deadline, "the ingest stored nothing in time"
            time.sleep(0.01)
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.wait()
    assert proc.returncode == -signal.SIGKILL
    left = stored(store_url)
    assert KILL_AT <= left < n - 1, "the run was not killed half-way"

    with open_store(store_url) as store:  # whatever the kill left is whole
        whole = store.db.query(
            "SELECT a.n_incidents, COUNT(i.pk) FROM articles a LEFT JOIN incidents i "
            "ON i.article_pk = a.pk GROUP BY a.pk, a.n_incidents")
        assert all(expected == got for expected, got in whole)
        err = io.StringIO()
        tally = ingest_paths(store, [str(path)], progress=False, err=err)
    assert (tally.read, tally.unchanged, tally.added, tally.failed) == (n, left, n - 1 - left, 1)
    assert "error:" in err.getvalue() and "line" in err.getvalue()
    assert dump(store_url) == clean_dump


KILL_INSIDE = r'''
import os, signal, sys
from sitrep.records import Article, ArticleRecord, Claim, Count, Incident, Location, Span
from sitrep.store import open_store
from sitrep.store.repository import Store

def record(aid, n):
    inc = Incident("shelling", "2017-10-06", None, "day", Location("Douma", "Rif Dimashq", "SY"),
                   ["unknown"], claims=[Claim("SANA", killed={"total": Count(None, n, None, str(n))},
                                              evidence=[Span(0, 4, "Text")])])
    return ArticleRecord(aid, "2017-10-07", [inc] * n)

url, step = sys.argv[1], sys.argv[2]
store = open_store(url)
if step == "first":
    store.add(Article("a", "Text of a."), record("a", 2), "1.0")
    store.add(Article("b", "Text of b."), record("b", 3), "1.0")
    sys.exit(0)
real = Store._write_incidents
def half_then_die(self, pk, incidents):
    real(self, pk, incidents[:1])   # some rows of this article are written...
    os.kill(os.getpid(), signal.SIGKILL)   # ...and the process dies inside the transaction
Store._write_incidents = half_then_die
if step == "new":
    store.add(Article("c", "Text of c."), record("c", 3), "1.0")
else:  # a replacement killed half-way
    store.add(Article("b", "Text of b."), record("b", 1), "2.0")
'''


def test_kill_9_inside_an_article_transaction_leaves_all_or_nothing(store_url, tmp_path):
    script = tmp_path / "kill_inside.py"
    script.write_text(KILL_INSIDE)

    def run(step):
        return subprocess.run([sys.executable, str(script), store_url, step], capture_output=True, text=True)

    assert run("first").returncode == 0
    before = dump(store_url)
    for step in ("new", "replace"):
        done = run(step)
        assert done.returncode == -signal.SIGKILL, done.stderr
        assert dump(store_url) == before  # the killed article is absent; the replaced one intact
    with open_store(store_url) as store:
        assert {a.article_id: a.extractor_version for a in store.articles()} == {"a": "1.0", "b": "1.0"}
        assert store.counts()["incidents"] == 5
