"""How soon the incident index shows a change at 100,000 reconciled incidents, updated in place
(``sitrep.incident_index.refresh``: ``catch_up`` and ``update``) against a full rebuild.

    python benchmarks/incremental.py [--db PATH] [--incidents N] [--repeat N] [--seed N] [--out DIR]

Builds a synthetic SQLite database (``benchmarks/synthetic.make_db``, as benchmarks/api.py
does, or copies ``--db PATH`` when that file exists: the copy is changed, never the file),
builds the index once (the full rebuild every change cost before: timed), then times
``--repeat`` times each (median reported):

- replaced: a random article stored again by a newer extractor (``Store.add`` answers
  "replaced"), then relinked (``sitrep.link.incremental.link_store``, what `sitrep link` and
  ``POST /api/link`` run), the index refreshed and the article's incidents read back through
  the index (what ``GET /api/incidents`` reads);
- relink: one new article reporting an indexed act (a copy of one of its incidents), then
  relinked (the linker joins it to the act), the index refreshed and the act read back;
- another process: one new article stored through a second connection, then the index
  refreshed by the first (as ``sitrep serve`` notices another process's ingest).

Each time runs from the write's commit to the read that shows it. Before the runs the store
is linked in full once (timed: what each relink cost before). Last, the updated index is
compared with a full rebuild of the same database, table by table (actor and place values by
what they hold), and the incrementally relinked links with a full link: any difference fails
the run. Results: benchmarks/results/incremental.json
and incremental.md.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import random
import shutil
import statistics
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "benchmarks"))


def _record(store, article_pk: int):
    from sitrep.records import Article, ArticleRecord, Summary
    a = store.article(article_pk)
    incidents = [si.incident for si in store.stored_incidents(
        [pk for pk, in store.db.query("SELECT pk FROM incidents WHERE article_pk = ?", (article_pk,))])]
    return (Article(a.article_id, a.text, a.title, a.published, a.outlet, a.source),
            ArticleRecord(a.article_id, a.published, incidents, a.summary or Summary()))


def _relinked(store, pk: int, kind: str, linking: dict, times: dict) -> list[int]:
    """Relink incrementally and read the article's incidents through the refreshed index,
    timing the linking and the whole from the same start."""
    from sitrep import incident_index
    from sitrep.link.incremental import link_store

    t0 = time.perf_counter()
    run_ = link_store(store)
    linking[kind].append(time.perf_counter() - t0)
    assert run_.incremental and run_.articles_changed >= 1, run_
    incident_index.refresh(store)
    shown = _shown(store, pk)
    times[kind].append(time.perf_counter() - t0)
    return shown


def _shown(store, article_pk: int) -> list[int]:
    """The article's incidents as the API lists them (through the index)."""
    ids = store.incidents_of_article(article_pk)
    for i in ids:
        store.index_incident(i)
    return ids


def index_state(store) -> dict:
    """The index's tables, rows sorted; actor and place values by what they hold."""
    from sitrep.store import Store
    q = store.db.query
    out = {t: sorted(map(repr, q(f"SELECT * FROM {t}"))) for t in
           ("reconciled_docs", "reconciled_members", "reconciled_outlets", "outlet_stats")}
    values = {}
    for table, column in (("reconciled_actors", "actors"), ("reconciled_places", "place_keys")):
        values[table] = dict(q(f"SELECT id, {column} FROM {table}"))
        out[table] = sorted(map(repr, q(f"SELECT {column}, n FROM {table}")))
    cols = list(Store._INDEX_COLUMNS)
    a, p = cols.index("actors_id"), cols.index("places_id")
    rows = []
    for row in q(f"SELECT {', '.join(cols)} FROM reconciled"):
        row = list(row)
        row[a], row[p] = values["reconciled_actors"][row[a]], values["reconciled_places"][row[p]]
        rows.append(repr(row))
    out["reconciled"] = sorted(rows)
    out["meta"] = sorted(map(repr, q("SELECT key, value FROM meta WHERE key IN ('facets', 'index_max_span')")))
    return out


def links_of(store) -> list:
    return sorted((lk.id, tuple(lk.members), tuple(map(tuple, lk.wire_groups))) for lk in store.links())


def run(db: str, repeat: int, seed: int) -> dict:
    from sitrep import incident_index
    from sitrep.link.incremental import link_store
    from sitrep.records import Article, ArticleRecord
    from sitrep.store import content_hash, open_store

    rng = random.Random(seed)
    out: dict = {}
    with open_store(db) as store:
        t0 = time.perf_counter()
        total = incident_index.build(store)
        out["full_rebuild_s"] = round(time.perf_counter() - t0, 2)
        out["reconciled_incidents"] = total
        out["stored_incidents"] = store.counts()["incidents"]
        out["articles"] = store.counts()["articles"]
        n_articles = out["articles"]
        t0 = time.perf_counter()
        link_store(store, full=True)
        out["full_link_s"] = round(time.perf_counter() - t0, 2)
        t0 = time.perf_counter()
        incident_index.refresh(store)
        out["index_after_full_link_s"] = round(time.perf_counter() - t0, 2)

        times: dict[str, list[float]] = {"replaced": [], "relink": [], "another_process": []}
        linking: dict[str, list[float]] = {"replaced": [], "relink": []}
        for k in range(repeat):
            # replaced, then relinked (with the previous round's article of another process)
            pk = rng.randrange(1, n_articles + 1)
            article, record = _record(store, pk)
            assert store.add(article, record, f"99.{k}") == "replaced"
            shown = _relinked(store, pk, "replaced", linking, times)
            assert len(shown) == len(record.incidents) or not record.incidents, (pk, shown)

            # relink: a new report of an indexed act (a copy of one of its incidents)
            links = store.links()
            link = links[rng.randrange(len(links))]
            si = store.stored_incidents([link.members[0]])[0]
            text = f"{si.incident.event_type} reported again, report {seed}-{k}."
            new = Article(f"relink-{seed}-{k}", text, None, si.published, "Late Courier", "benchmark")
            assert store.add(new, ArticleRecord(new.article_id, si.published, [si.incident]), "99.0") == "added"
            incident_index.refresh(store)   # the new article alone first, as POST /api/articles leaves it
            new_pk = store.article_pk(content_hash(text))
            shown = _relinked(store, new_pk, "relink", linking, times)
            new_incident = int(store.db.one("SELECT pk FROM incidents WHERE article_pk = ?", (new_pk,))[0])
            assert shown == [store.incident_holding(new_incident)] and shown[0] != new_incident, shown

            # another process's ingest
            text = f"Another process's report {seed}-{k}."
            with open_store(db) as other:
                other.add(Article(f"other-{seed}-{k}", text, None, si.published, "Other Wire", "benchmark"),
                          ArticleRecord(f"other-{seed}-{k}", si.published, [si.incident]), "99.0")
            t0 = time.perf_counter()
            incident_index.refresh(store)
            shown = _shown(store, store.article_pk(content_hash(text)))
            times["another_process"].append(time.perf_counter() - t0)
            assert len(shown) == 1

        for name, ts in times.items():
            out[name] = {"median_s": round(statistics.median(ts), 3), "max_s": round(max(ts), 3),
                         "min_s": round(min(ts), 3), "n": len(ts)}
            if name in linking:
                out[name]["linking_median_s"] = round(statistics.median(linking[name]), 3)
        # the last process's articles, linked too, so that the links compared cover everything
        link_store(store)
        incident_index.refresh(store)
        updated = index_state(store)
        relinked = links_of(store)
        t0 = time.perf_counter()
        incident_index.build(store)
        out["final_rebuild_s"] = round(time.perf_counter() - t0, 2)
        same = index_state(store) == updated
        out["same_as_rebuild"] = same
        t0 = time.perf_counter()
        link_store(store, full=True)
        out["final_full_link_s"] = round(time.perf_counter() - t0, 2)
        full = links_of(store)
        out["links"] = len(full)
        out["links_same_as_full_link"] = relinked == full
        out["links_differing"] = len(set(relinked) ^ set(full))
        if not same:
            raise SystemExit("the updated index differs from a full rebuild")
        if relinked != full:
            raise SystemExit(f"the relinked links differ from a full link: {sorted(set(relinked) ^ set(full))[:10]}")
    return out


def write(result: dict, out_dir: Path, command: str) -> None:
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "incremental.json").write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    load = result.get("load_average") or {}
    lines = [f"# Index updates in place against a full rebuild ({result['when']}, {result['cpus']} CPUs, "
             f"Python {result['python']})", "", f"Command: `{command}`", "",
             f"Load average (1, 5, 15 min) at the start: {load.get('start')}, at the end: {load.get('end')}.", "",
             f"{result['reconciled_incidents']:,} reconciled incidents ({result['stored_incidents']:,} stored, "
             f"{result['articles']:,} articles, SQLite). A full rebuild: {result['full_rebuild_s']} s "
             f"(again at the end: {result['final_rebuild_s']} s). A full link: {result['full_link_s']} s "
             f"(again at the end: {result['final_full_link_s']} s), then the index brought up to date: "
             f"{result['index_after_full_link_s']} s.", "",
             "| change | reflected in the API (median) | of which linking | min | max | runs | before |",
             "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"]
    full_link = round(result["full_link_s"] + result["index_after_full_link_s"], 1)
    for name, label, before in (("replaced", "a replaced article, relinked", full_link),
                                ("relink", "a relink after one new article", full_link),
                                ("another_process", "another process's new article", result["full_rebuild_s"])):
        r = result[name]
        own = f"{r['linking_median_s']} s" if "linking_median_s" in r else "-"
        lines.append(f"| {label} | **{r['median_s']} s** | {own} | {r['min_s']} s | {r['max_s']} s | {r['n']} | "
                     f"{before} s |")
    lines += ["", "Before: a full link and the index brought up to date after it (a relink), a full rebuild "
              "(another process's article).", "",
              f"Updated index identical to a full rebuild of the same database: **{result['same_as_rebuild']}**; "
              f"incrementally relinked links identical to a full link ({result['links']:,} links): "
              f"**{result['links_same_as_full_link']}**.", ""]
    (out_dir / "incremental.md").write_text("\n".join(lines), encoding="utf-8")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--db", help="a synthetic database to copy (made with benchmarks/synthetic.py) when it exists")
    ap.add_argument("--incidents", type=int, default=100_000)
    ap.add_argument("--repeat", type=int, default=10)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--out", default=str(ROOT / "benchmarks" / "results"))
    args = ap.parse_args(argv)
    work = tempfile.mkdtemp(prefix="sitrep-incremental-")
    load_before = os.getloadavg()   # the machine may be shared: the timings are read with it
    db = os.path.join(work, "work.db")
    try:
        if args.db and os.path.exists(args.db):
            shutil.copy(args.db, db)
        else:
            from synthetic import make_db
            make_db(db, args.incidents, args.seed)
        result = run(db, args.repeat, args.seed)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    result.update(when=datetime.now().isoformat(timespec="seconds"), cpus=os.cpu_count(),
                  python=platform.python_version(), platform=platform.platform(),
                  load_average={"start": [round(x, 2) for x in load_before],
                                "end": [round(x, 2) for x in os.getloadavg()]})
    command = "python benchmarks/incremental.py" + (f" --repeat {args.repeat}" if args.repeat != 10 else "")
    write(result, Path(args.out), command)
    print(json.dumps(result, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
