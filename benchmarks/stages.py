"""The database stages at scale: `sitrep link` and `sitrep verify`, time and peak memory.

    python benchmarks/stages.py synthetic [N ...] [--work DIR] [--out DIR]
    python benchmarks/stages.py dense [N ...] [--work DIR] [--out DIR]

``synthetic``: the synthetic world of ``benchmarks/synthetic.py`` with N reconciled
incidents (default 10,000, 40,000 and 160,000): acts spread over 2016-2024, so a larger
archive is denser per day as well as longer. ``dense``: the FA-KES dev articles
(``../shared/data/fakes-dev.csv``, extracted once) stored again and again under new ids, each
copy's text marked as its own, until N articles (default 4,000 and 20,000): every act is
reported by N/395 copies that are also wire copies of each other, the worst case for the
candidate search and for wire-copy counting.

Each database is made once under ``--work`` (default a folder in the system's temporary
one), in a process of its own, and kept as made; each run links a copy of it with `sitrep
link --full` (the default, incremental, would find nothing changed in a database linked
before: the copy keeps every run's links and index work the same), then verifies it. Each
command runs in a process of its own, as a user runs it, and is timed with its peak resident
memory (the child's maximum RSS: the parent stays small, since a child's figure starts from
what it was forked from), and its CPU time (user and system: other jobs on the machine move
it less than the wall clock). The growth exponent between
two sizes is log(t2 / t1) / log(n2 / n1): 1 is linear, 2 quadratic.

Results: benchmarks/results/stages-{synthetic,dense}.json and .md.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "benchmarks"))

FAKES_DEV = ROOT.parent / "shared" / "data" / "fakes-dev.csv"
SIZES = {"synthetic": (10_000, 40_000, 160_000), "dense": (4_000, 20_000)}


def sitrep(*args: str, stdout=subprocess.DEVNULL) -> dict:
    """Run the CLI in a child; its seconds, peak RSS (MB) and standard error."""
    t0 = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "sitrep.cli", *args], stdout=stdout,
                            stderr=subprocess.PIPE, text=True, cwd=ROOT)
    err = proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - t0
    if os.waitstatus_to_exitcode(status) not in (0, 1):
        raise RuntimeError(f"sitrep {' '.join(args)} failed: {err[-2000:]}")
    return {"seconds": round(seconds, 2), "cpu_seconds": round(usage.ru_utime + usage.ru_stime, 2),
            "peak_rss_mb": round(usage.ru_maxrss / 1024, 1),
            "stderr": err.strip().splitlines()[-1:]}


def synthetic_db(path: Path, n: int) -> dict:
    out = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "synthetic.py"), str(path), "--incidents", str(n)],
                         check=True, capture_output=True, text=True).stdout
    return json.loads(out)


def dense_db(path: Path, n: int, work: Path) -> dict:
    """FA-KES dev articles stored again under new ids until ``n`` articles."""
    from sitrep.records import Article
    from sitrep.store import open_store

    base = work / "fakes-dev.db"
    if not base.exists():
        sitrep("ingest", str(FAKES_DEV), "--db", str(base))
    with open_store(str(base)) as store:
        originals = list(store.records())
    with open_store(str(path)) as store:
        copies, k = [], 0
        while len(copies) < n:
            for art, rec in originals[: n - len(copies)]:
                aid = f"{art.article_id}-copy{k}"
                text = f"{art.text}\n\n[{aid}]"   # its own text: the store keeps one per text
                copies.append((Article(aid, text, art.title, art.published, art.outlet),
                               type(rec)(aid, rec.published, rec.incidents, rec.summary)))
            k += 1
        for start in range(0, len(copies), 2000):
            store.add_many(copies[start:start + 2000], "dense-copy")
        counts = store.counts()
    return {"articles": counts["articles"], "stored_incidents": counts["incidents"]}


def exponents(sizes: list[int], values: list[float]) -> list[float | None]:
    from link import growth_exponents
    return [None if e is None else round(e, 3) for e in growth_exponents(sizes, values)]


def run(kind: str, sizes: list[int], work: Path) -> dict:
    rows = []
    for n in sizes:
        db = work / f"{kind}-{n}.db"
        t0 = time.perf_counter()
        made = None
        if not db.exists():
            tmp = db.with_suffix(".tmp")
            tmp.unlink(missing_ok=True)
            made = synthetic_db(tmp, n) if kind == "synthetic" else dense_db(tmp, n, work)
            tmp.rename(db)
        build_s = time.perf_counter() - t0
        run_db = work / f"{kind}-{n}-run.db"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{run_db}{suffix}").unlink(missing_ok=True)
        shutil.copy(db, run_db)
        link = sitrep("link", "--full", "--db", str(run_db))
        verify = sitrep("verify", "--db", str(run_db), "--format", "json")
        rows.append({"n": n, "made": made, "build_seconds": round(build_s, 1), "link": link, "verify": verify})
        print(json.dumps(rows[-1]), file=sys.stderr)
    return {
        "kind": kind, "when": dt.datetime.now().isoformat(timespec="seconds"), "cpus": os.cpu_count(),
        "python": sys.version.split()[0], "rows": rows,
        "load": os.getloadavg(),
        "exponents": {"link": exponents(sizes, [r["link"]["seconds"] for r in rows]),
                      "verify": exponents(sizes, [r["verify"]["seconds"] for r in rows]),
                      "link_cpu": exponents(sizes, [r["link"]["cpu_seconds"] for r in rows]),
                      "verify_cpu": exponents(sizes, [r["verify"]["cpu_seconds"] for r in rows])},
    }


def markdown(r: dict) -> str:
    unit = "reconciled incidents" if r["kind"] == "synthetic" else "articles"
    out = [f"# Link and verify at scale: {r['kind']} ({r['when']}, {r['cpus']} CPUs, Python {r['python']})", "",
           f"Command: `python benchmarks/stages.py {r['kind']} {' '.join(str(x['n']) for x in r['rows'])}`", "",
           f"| {unit} | link (s) | link CPU (s) | link peak RSS (MB) | verify (s) | verify CPU (s) | verify peak RSS (MB) |",
           "| ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for x in r["rows"]:
        out.append(f"| {x['n']:,} | {x['link']['seconds']} | {x['link']['cpu_seconds']} | {x['link']['peak_rss_mb']:.0f} | "
                   f"{x['verify']['seconds']} | {x['verify']['cpu_seconds']} | {x['verify']['peak_rss_mb']:.0f} |")
    e = r["exponents"]
    out += ["", "Growth exponents between consecutive sizes (1 = linear, 2 = quadratic): "
            f"link {' / '.join(map(str, e['link']))}; verify {' / '.join(map(str, e['verify']))}; in CPU "
            f"time (user and system, which other jobs on the machine move less than the wall clock): "
            f"link {' / '.join(map(str, e['link_cpu']))}; verify {' / '.join(map(str, e['verify_cpu']))}.",
            f"Load average at the end (1, 5, 15 min): {', '.join(f'{v:.2f}' for v in r['load'])}.", ""]
    return "\n".join(out)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("kind", choices=sorted(SIZES))
    ap.add_argument("sizes", nargs="*", type=int)
    ap.add_argument("--work", default=os.path.join(tempfile.gettempdir(), "sitrep-bench-stages"))
    ap.add_argument("--out", default=str(ROOT / "benchmarks" / "results"))
    args = ap.parse_args(argv)
    work = Path(args.work)
    work.mkdir(parents=True, exist_ok=True)
    result = run(args.kind, sorted(args.sizes or SIZES[args.kind]), work)
    out = Path(args.out)
    (out / f"stages-{args.kind}.json").write_text(json.dumps(result, indent=1) + "\n")
    (out / f"stages-{args.kind}.md").write_text(markdown(result))
    print(markdown(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
