"""A shared PostgreSQL store under concurrency: two `sitrep ingest --db postgresql://...`
processes and one `--engine ray --num-workers 2` run, started together over overlapping
inputs, end with every article stored exactly once: the database equals (canonical dump) the
one a single process makes from the union of the inputs. Skips without PostgreSQL (tests/pg.py)."""
import io
import json
import re
import subprocess
import sys
import time

import pytest

from pg import dump, sample_articles, store_url  # noqa: F401
from sitrep.store import ingest_paths, open_store

COPIES_PER_PART = 4  # 4 parts of 4 copies of the 11 English samples: 176 distinct articles
RUNS = {  # each run reads three of the four parts, in an order that makes them meet
    "ray": (["part3", "part2", "part1"], ["--engine", "ray", "--num-workers", "2"]),
    "cli-1": (["part0", "part1", "part2"], []),
    "cli-2": (["part1", "part2", "part3"], []),
}


@pytest.fixture(scope="module")
def parts(tmp_path_factory):
    root = tmp_path_factory.mktemp("parts")
    arts = sample_articles()
    paths = {}
    for p in range(4):
        path = root / f"part{p}.jsonl"
        with open(path, "w", encoding="utf-8") as fh:
            for k in range(p * COPIES_PER_PART, (p + 1) * COPIES_PER_PART):
                for a in arts:
                    fh.write(json.dumps({"id": f"{a.article_id}-{k}", "title": a.title, "outlet": a.outlet,
                                         "published": a.published, "text": f"{a.text}\n\nFile copy {k}."},
                                        ensure_ascii=False) + "\n")
        paths[f"part{p}"] = str(path)
    return paths, 4 * COPIES_PER_PART * len(arts)


@pytest.fixture(scope="module")
def single_dump(parts, tmp_path_factory):
    paths, n = parts
    url = str(tmp_path_factory.mktemp("single") / "single.db")
    with open_store(url) as store:
        tally = ingest_paths(store, [paths[f"part{p}"] for p in range(4)], progress=False, err=io.StringIO())
    assert (tally.added, tally.failed) == (n, 0)
    return dump(url)


def stored(url: str) -> int:
    with open_store(url) as store:
        return store.counts()["articles"]


@pytest.mark.slow
@pytest.mark.parametrize("store_url", ["postgresql"], indirect=True)
def test_concurrent_ingests_store_every_article_exactly_once(store_url, parts, single_dump):
    pytest.importorskip("ray")
    paths, n = parts
    with open_store(store_url):
        pass  # the schema exists before the runs race (as `sitrep ingest` would make it)
    procs = {}
    for name, (ps, extra) in RUNS.items():
        procs[name] = subprocess.Popen([sys.executable, "-m", "sitrep.cli", "ingest",
                                        *[paths[p] for p in ps], "--db", store_url, *extra],
                                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        if name == "ray":  # Ray takes seconds to start: let it begin storing, then race it
            deadline = time.time() + 120
            while stored(store_url) < 3 and procs[name].poll() is None and time.time() < deadline:
                time.sleep(0.05)
    added = 0
    for name, proc in procs.items():
        _, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, f"{name}: {err}"
        m = re.search(r"(\d+) articles read, (\d+) extracted, 0 failed; (\d+) added, 0 replaced, (\d+) already stored", err)
        assert m, f"{name}: {err}"
        read, _, add, unchanged = map(int, m.groups())
        assert read == 3 * n // 4 and add + unchanged == read, f"{name}: {err}"
        added += add
    assert added == n  # each article added by exactly one of the three runs
    assert dump(store_url) == single_dump
