"""Scaling of extraction on Ray: articles per second for each worker count, over the same
articles, with the speed-up against 1 worker and each worker's peak memory.

    .venv/bin/python benchmarks/scale.py [WORKERS...] [--articles N] [--address ADDRESS] [--local]

    WORKERS      worker counts to measure (default: 1 2); e.g. 1 4 8 16 on a bigger machine
    --articles   how many articles (default 10,000; e.g. 1000 for a quick run)
    --address    join this Ray cluster instead of starting a local Ray for each count
    --local      also time the single-process engine (no Ray), as a reference row

The articles are generated from the bundled samples (samples/), deterministically: each is
one sample with its body sentences shuffled, its numbers and years changed, and a closing
reference line, so every text is distinct and the workload is the same on every machine.
For each count a fresh local Ray starts with that many CPUs; the workers load the pipeline
before the clock starts (the load is reported apart), then the whole batch is extracted
through `sitrep.engines.RayEngine.pipe`, as `sitrep extract --engine ray` does. Every run's
records are compared with the first one's (they must be identical). Peak memory per worker
is each worker process's maximum resident set size. Writes benchmarks/results/scale.json,
scale.md and scale.png (articles/s and speed-up against workers).
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import random
import re
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))


def base_articles():
    from sitrep.extract.pipeline import looks_english
    from sitrep.ingest import IngestError, read_inputs
    return [a for a in read_inputs([str(ROOT / "samples")])
            if not isinstance(a, IngestError) and looks_english(a.text)]


_SENT = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"'])")
_NUM = re.compile(r"\b\d{1,4}\b")


def vary(article, i: int, rng: random.Random):
    """One distinct variant of a sample: same opening (dateline, lead), shuffled body
    sentences, changed numbers and years, a closing reference line."""
    from dataclasses import replace
    paras = article.text.split("\n")
    sents = _SENT.split(" ".join(p for p in paras[1:] if p.strip())) if len(paras) > 1 else _SENT.split(article.text)
    lead = paras[0] if len(paras) > 1 else sents.pop(0)
    rng.shuffle(sents)

    def num(m):
        n = int(m.group())
        if 1990 <= n <= 2030:  # a year
            return str(min(2024, max(2000, n + rng.choice((-2, -1, 0, 1, 2)))))
        return str(max(1, n + rng.randint(-n // 3 - 1, n // 3 + 1)))

    body = _NUM.sub(num, " ".join(sents))
    text = f"{lead}\n{body}\n\nReference {i:06d}."
    return replace(article, article_id=f"{article.article_id}-v{i:06d}", text=text,
                   source=f"synthetic:{i}")


def make_articles(n: int, seed: int = 0):
    bases = base_articles()
    rng = random.Random(seed)
    return [vary(bases[i % len(bases)], i, rng) for i in range(n)]


def digest(results) -> str:
    h = hashlib.sha256()
    for art, rec in results:
        h.update((art.article_id + "\t" + (json.dumps(rec.to_dict(), sort_keys=True) if not isinstance(rec, Exception)
                                          else "ERR " + repr(rec)) + "\n").encode())
    return h.hexdigest()


def run_ray(workers: int, articles, address: str | None) -> dict:
    from sitrep.engines.ray_engine import RayEngine
    t0 = time.perf_counter()
    engine = RayEngine(address=address, num_workers=workers)
    try:
        engine.start()
        startup = time.perf_counter() - t0
        t1 = time.perf_counter()
        results = list(engine.pipe(articles))
        elapsed = time.perf_counter() - t1
        rss = engine.peak_rss()
    finally:
        engine.close()
    return {"engine": "ray", "workers": workers, "seconds": elapsed, "startup_s": startup,
            "articles_per_s": len(articles) / elapsed,
            "peak_rss_mb_per_worker": [r / 2**20 for r in rss],
            "failed": sum(isinstance(r, Exception) for _, r in results), "digest": digest(results)}


def run_local(articles) -> dict:
    from sitrep.engines.local import LocalEngine
    from sitrep.extract.pipeline import default_pipeline
    t0 = time.perf_counter()
    default_pipeline()(articles[0])  # load before the clock, as the Ray workers do
    startup = time.perf_counter() - t0
    t1 = time.perf_counter()
    results = list(LocalEngine().pipe(articles))
    elapsed = time.perf_counter() - t1
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    return {"engine": "local", "workers": 1, "seconds": elapsed, "startup_s": startup,
            "articles_per_s": len(articles) / elapsed, "peak_rss_mb_per_worker": [rss / 2**20],
            "failed": sum(isinstance(r, Exception) for _, r in results), "digest": digest(results)}


def write_outputs(report: dict, out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    (out / "scale.json").write_text(json.dumps(report, indent=1) + "\n")
    rows = report["runs"]
    lines = [f"# Extraction scaling on Ray ({report['when']}, {report['cpus']} CPUs, Python {report['python']})", "",
             f"{report['articles']:,} articles generated from the bundled samples (seed {report['seed']}); "
             f"pipeline load excluded from the timing (column 'start-up'). Command: `{report['command']}`", "",
             "| engine | workers | time (s) | articles/s | speed-up vs 1 worker | start-up (s) | peak RSS per worker (MB) | failed |",
             "| --- | ---: | ---: | ---: | ---: | ---: | --- | ---: |"]
    for r in rows:
        speed = f"{r['speedup']:.2f}" if r.get("speedup") is not None else ""
        rss = ", ".join(f"{x:.0f}" for x in r["peak_rss_mb_per_worker"])
        lines.append(f"| {r['engine']} | {r['workers']} | {r['seconds']:.1f} | {r['articles_per_s']:.1f} | {speed} | "
                     f"{r['startup_s']:.1f} | {rss} | {r['failed']} |")
    lines += ["", f"Records identical across all runs: **{'yes' if report['identical'] else 'NO'}**."]
    (out / "scale.md").write_text("\n".join(lines) + "\n")

    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    ray_rows = [r for r in rows if r["engine"] == "ray"]
    ws = [r["workers"] for r in ray_rows]
    fig, (a1, a2) = plt.subplots(1, 2, figsize=(10, 4))
    a1.plot(ws, [r["articles_per_s"] for r in ray_rows], "o-", label="Ray")
    if ray_rows and ray_rows[0]["workers"] == 1:
        base = ray_rows[0]["articles_per_s"]
        a1.plot(ws, [base * w for w in ws], "--", color="grey", label="linear")
        a2.plot(ws, ws, "--", color="grey", label="linear")
    for r in rows:
        if r["engine"] == "local":
            a1.axhline(r["articles_per_s"], color="tab:orange", linestyle=":", label="single process")
    a2.plot(ws, [r.get("speedup") or 0 for r in ray_rows], "o-", label="speed-up")
    a1.set(xlabel="workers", ylabel="articles / s", title="Throughput")
    a2.set(xlabel="workers", ylabel="speed-up vs 1 worker", title="Speed-up")
    for a in (a1, a2):
        a.set_xticks(ws)
        a.legend()
        a.grid(alpha=0.3)
    fig.suptitle(f"sitrep extraction on Ray: {report['articles']:,} articles, {report['cpus']} CPUs")
    fig.tight_layout()
    fig.savefig(out / "scale.png", dpi=100)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("workers", nargs="*", type=int, default=[1, 2], help="worker counts (default: 1 2)")
    ap.add_argument("--articles", type=int, default=10_000, help="articles to extract (default 10,000)")
    ap.add_argument("--address", help="a Ray cluster to join (default: a local Ray per count)")
    ap.add_argument("--local", action="store_true", help="also time the single-process engine")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--out", default=str(ROOT / "benchmarks" / "results"))
    args = ap.parse_args(argv)
    if any(w < 1 for w in args.workers):
        ap.error("worker counts must be at least 1")

    articles = make_articles(args.articles, args.seed)
    assert len({a.text for a in articles}) == len(articles), "generated texts must be distinct"
    runs = []
    if args.local:
        runs.append(run_local(articles))
        print(f"local: {runs[-1]['articles_per_s']:.1f} articles/s", file=sys.stderr)
    for w in args.workers:
        runs.append(run_ray(w, articles, args.address))
        print(f"ray, {w} worker(s): {runs[-1]['articles_per_s']:.1f} articles/s", file=sys.stderr)
    one = next((r["articles_per_s"] for r in runs if r["engine"] == "ray" and r["workers"] == 1), None)
    for r in runs:
        r["speedup"] = r["articles_per_s"] / one if one and r["engine"] == "ray" else None
    report = {"when": time.strftime("%Y-%m-%d %H:%M:%S"), "cpus": os.cpu_count(),
              "python": platform.python_version(), "articles": args.articles, "seed": args.seed,
              "command": "python benchmarks/scale.py " + " ".join(sys.argv[1:] if argv is None else argv),
              "identical": len({r["digest"] for r in runs}) == 1, "runs": runs}
    write_outputs(report, Path(args.out))
    print((Path(args.out) / "scale.md").read_text())
    return 0 if report["identical"] else 1


if __name__ == "__main__":
    sys.exit(main())
