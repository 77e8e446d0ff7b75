"""Linking at scale: synthetic incident claims, time and peak memory at three sizes.

    python benchmarks/link.py [SIZE ...] [--seed N] [--out DIR]

Defaults: 10,000, 100,000 and 1,000,000 claims. Each size runs in a fresh process (so the
peak memory is its own) that generates the claims directly as numpy columns, the shape
linking reads (``sitrep.link.features.IncidentTable``), without the extractor, and then
times ``sitrep.link.link_table`` (blocking, scoring, clustering) on them. The growth
exponent between two sizes is log(t2 / t1) / log(n2 / n1): 1 is linear, 2 quadratic.

The synthetic world keeps its density as it grows, as a real archive does (more claims
means more days of war, not more claims per day): about 150 acts a day among 5,000 towns of
a 600 km square in 14 provinces, town popularity skewed (Zipf); each act is reported by
1 + Poisson(1.5) claims, each claim blurring it as reports do: a day-, range- or
report-dated date, a point, town, district, province or provincial-capital place, a
related event type now and then, an unknown or allied perpetrator, a toll off by up to a
third or missing, and a share of the act's words plus words of its own. Three claims make
an article, whose lead is their words. Because the acts are known, the run also reports
pairwise precision and recall of the clusters against them (a sanity check, not a
quality figure: the real one is `sitrep eval links`).

Results: benchmarks/results/link.json and link.md.
"""
from __future__ import annotations

import argparse
import datetime as dt
import gc
import json
import math
import os
import platform
import resource
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

DEFAULT_SIZES = (10_000, 100_000, 1_000_000)
ACTS_PER_DAY = 150
TOWNS = 5_000
PROVINCES = 14
MEAN_EXTRA_REPORTS = 1.5
CLAIMS_PER_ARTICLE = 3
VOCABULARY = 50_000
ACT_WORDS = 10
OWN_WORDS = 3


def growth_exponents(sizes, values) -> list[float | None]:
    """log(v2 / v1) / log(n2 / n1) between consecutive sizes (None where undefined)."""
    out = []
    for (n1, v1), (n2, v2) in zip(zip(sizes, values), zip(sizes[1:], values[1:])):
        if n1 <= 0 or n2 <= 0 or n1 == n2 or not v1 or not v2 or v1 <= 0 or v2 <= 0:
            out.append(None)
        else:
            out.append(math.log(v2 / v1) / math.log(n2 / n1))
    return out


def synthetic_table(n: int, seed: int = 0):
    """``n`` synthetic claims as an IncidentTable, and the act each claim reports."""
    from sitrep.link.features import (ADMIN1, DAY, DISTRICT, POINT, RANGE, REPORT, TOWN,
                                      IncidentTable, tfidf_from_flat)
    from sitrep.knowledge.event_types import related_pairs
    from sitrep.records import EVENT_TYPES

    rng = np.random.default_rng(seed)
    # the world: towns with a province each, popularity skewed
    t_lat = rng.uniform(32.5, 37.5, TOWNS)
    t_lon = rng.uniform(35.5, 42.0, TOWNS)
    t_prov = (np.floor((t_lat - 32.5) / 5.0 * 4).clip(0, 3) * 4
              + np.floor((t_lon - 35.5) / 6.5 * 4).clip(0, 3)).astype(np.int64) % PROVINCES
    capital_town = np.full(PROVINCES, -1)
    for p in range(PROVINCES):
        members = np.flatnonzero(t_prov == p)
        if len(members):
            capital_town[p] = members[0]
    popularity = 1.0 / np.arange(1, TOWNS + 1) ** 0.8
    popularity /= popularity.sum()

    # acts, then claims: 1 + Poisson extra reports each, until n claims
    n_acts = int(n / (1 + MEAN_EXTRA_REPORTS) * 1.1) + 10
    reports = 1 + rng.poisson(MEAN_EXTRA_REPORTS, n_acts)
    while reports.sum() < n:
        reports = np.append(reports, 1 + rng.poisson(MEAN_EXTRA_REPORTS, n_acts))
    act = np.repeat(np.arange(n_acts), reports)[:n]
    n_acts = int(act[-1]) + 1
    days = max(1, n_acts // ACTS_PER_DAY)
    a_day = 736_000 + rng.integers(0, days, n_acts)
    a_town = rng.choice(TOWNS, n_acts, p=popularity)
    type_p = np.array([.30, .25, .12, .10, .04, .02, .10, .03, .03, .01])
    a_type = rng.choice(len(EVENT_TYPES), n_acts, p=type_p / type_p.sum())
    a_perp = rng.integers(0, 12, n_acts)
    a_killed = np.where(rng.random(n_acts) < 0.8, np.floor(rng.lognormal(1.8, 1.2, n_acts)) + 1, np.nan)

    # each claim blurs its act
    town = a_town[act]
    u = rng.random(n)
    date_prec = np.where(u < 0.7, DAY, np.where(u < 0.9, REPORT, RANGE)).astype(np.int8)
    day = a_day[act]
    start = day.copy()
    end = day.copy()
    pub = day + (rng.random(n) < 0.5)
    start[date_prec == REPORT] = pub[date_prec == REPORT] - 1
    end[date_prec == REPORT] = pub[date_prec == REPORT]
    rng_mask = date_prec == RANGE
    start[rng_mask] -= rng.integers(0, 2, int(rng_mask.sum()))
    end[rng_mask] += rng.integers(0, 2, int(rng_mask.sum()))

    u = rng.random(n)
    prec = np.select([u < 0.15, u < 0.75, u < 0.85, u < 0.95], [POINT, TOWN, DISTRICT, ADMIN1], TOWN).astype(np.int8)
    capital = u >= 0.95
    province = t_prov[town]
    jitter = np.select([prec == POINT, prec == DISTRICT], [0.02, 0.05], 0.0)
    lat = t_lat[town] + rng.normal(0, 1, n) * jitter
    lon = t_lon[town] + rng.normal(0, 1, n) * jitter
    place = town.astype(np.int64)
    place[prec == ADMIN1] = TOWNS + province[prec == ADMIN1]
    cap = capital_town[province[capital]]
    lat[capital], lon[capital], place[capital] = t_lat[cap], t_lon[cap], cap
    prec[capital] = TOWN

    etype = a_type[act].astype(np.int8)
    related = [(EVENT_TYPES.index(x), EVENT_TYPES.index(y)) for x, y, _ in related_pairs()]
    swap = rng.random(n) < 0.15
    for x, y in related:
        m = swap & (etype == x)
        etype[m] = y
        swap &= ~m
    perp_code = a_perp[act]
    u = rng.random(n)
    perp = np.where(u < 0.3, 0, np.int64(1) << perp_code).astype(np.int64)
    ally = u > 0.9
    perp[ally] = np.int64(1) << ((perp_code[ally] // 2) * 2 + 1 - perp_code[ally] % 2)
    side = np.where(perp == 0, 0, np.int64(1) << (perp_code // 2)).astype(np.int64)
    killed = a_killed[act] * rng.uniform(0.67, 1.33, n)
    killed[rng.random(n) < 0.3] = np.nan
    killed = np.round(killed)

    # words: the act's (a Zipf draw over the vocabulary) and the claim's own
    zipf_p = 1.0 / np.arange(1, VOCABULARY + 1)
    zipf_p /= zipf_p.sum()
    act_words = rng.choice(VOCABULARY, (n_acts, ACT_WORDS), p=zipf_p)
    keep = rng.random((n, ACT_WORDS)) < 0.6
    own = rng.choice(VOCABULARY, (n, OWN_WORDS), p=zipf_p)
    rows = np.repeat(np.arange(n), ACT_WORDS)
    words = act_words[act].ravel()
    k = keep.ravel()
    row_all = np.concatenate([rows[k], np.repeat(np.arange(n), OWN_WORDS),
                              np.arange(n)])  # and the place name
    word_all = np.concatenate([words[k], own.ravel(), VOCABULARY + place])
    ptr, ids, w = tfidf_from_flat(n, row_all, word_all)

    # articles: claims of one period, three at a time
    order = np.lexsort((rng.random(n), start))  # by day, in random order within a day
    article = np.empty(n, np.int64)
    article[order] = np.arange(n) // CLAIMS_PER_ARTICLE
    n_articles = int(article.max()) + 1
    doc_ptr, doc_id, doc_w = tfidf_from_flat(n_articles, article[row_all], word_all, 100)

    table = IncidentTable(
        article=article, start=start.astype(np.int32), end=end.astype(np.int32),
        date_prec=date_prec, lat=lat, lon=lon, prec=prec, capital=capital,
        admin1=province.astype(np.int64), place=place, etype=etype, perp=perp, side=side,
        killed_lo=killed, killed_hi=killed, tok_ptr=ptr, tok_id=ids, tok_w=w,
        doc=article.copy(), doc_ptr=doc_ptr, doc_id=doc_id, doc_w=doc_w)
    return table, act


def pairwise_quality(labels: np.ndarray, truth: np.ndarray) -> dict:
    """Pairwise precision and recall of clusters against the true acts (no pair listing)."""
    def pairs(counts):
        counts = counts.astype(np.float64)
        return float((counts * (counts - 1) / 2).sum())

    _, joint = np.unique(labels.astype(np.int64) * (int(truth.max()) + 1) + truth, return_counts=True)
    _, pred = np.unique(labels, return_counts=True)
    _, gold = np.unique(truth, return_counts=True)
    both, p, g = pairs(joint), pairs(pred), pairs(gold)
    precision = both / p if p else 1.0
    recall = both / g if g else 1.0
    return {"precision": precision, "recall": recall}


def rss_mb() -> float:
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def peak_mb() -> float:
    """Peak resident memory since the last ``reset_peak`` (VmHWM), else since the start."""
    try:
        with open("/proc/self/status") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def reset_peak() -> bool:
    """Reset the peak resident memory to the current one (Linux: clear_refs 5)."""
    try:
        with open("/proc/self/clear_refs", "w") as fh:
            fh.write("5")
        return True
    except OSError:
        return False


def run_one(n: int, seed: int) -> dict:
    from sitrep.link import link_table

    t0 = time.perf_counter()
    table, act = synthetic_table(n, seed)
    gen_s = time.perf_counter() - t0
    gc.collect()
    reset = reset_peak()
    base = rss_mb()
    t0 = time.perf_counter()
    result = link_table(table)
    seconds = time.perf_counter() - t0
    peak = peak_mb()
    quality = pairwise_quality(result.labels, act)
    return {
        "claims": n, "seconds": round(seconds, 3), "claims_per_second": round(n / seconds),
        "generate_seconds": round(gen_s, 3),
        "rss_before_mb": round(base, 1), "peak_rss_mb": round(peak, 1),
        "link_peak_mb": round(max(0.0, peak - base), 1),
        "peak_is_linking_only": reset,
        "candidate_pairs": int(result.candidates), "linked_pairs": int(len(result.scores)),
        "clusters": int(len(np.unique(result.labels))),
        "synthetic_pairwise_precision": round(quality["precision"], 4),
        "synthetic_pairwise_recall": round(quality["recall"], 4),
    }


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("sizes", nargs="*", type=int, default=list(DEFAULT_SIZES))
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--out", default=str(ROOT / "benchmarks" / "results"))
    ap.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.child:
        print(json.dumps(run_one(args.child, args.seed)))
        return 0
    sizes = sorted(args.sizes)
    runs = []
    for n in sizes:
        proc = subprocess.run([sys.executable, __file__, "--child", str(n), "--seed", str(args.seed)],
                              capture_output=True, text=True, check=True)
        run = json.loads(proc.stdout.strip().splitlines()[-1])
        runs.append(run)
        print(f"{n:>10,} claims: {run['seconds']:8.2f} s, peak {run['peak_rss_mb']:7.1f} MB "
              f"(linking +{run['link_peak_mb']:.1f} MB), {run['candidate_pairs']:,} candidates, "
              f"{run['linked_pairs']:,} linked pairs", file=sys.stderr)
    report = {
        "benchmark": "link", "when": dt.datetime.now().isoformat(timespec="seconds"),
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count(),
                    "platform": platform.platform()},
        "world": {"acts_per_day": ACTS_PER_DAY, "towns": TOWNS, "provinces": PROVINCES,
                  "claims_per_act": 1 + MEAN_EXTRA_REPORTS, "claims_per_article": CLAIMS_PER_ARTICLE},
        "seed": args.seed, "runs": runs,
        "growth_time": growth_exponents([r["claims"] for r in runs], [r["seconds"] for r in runs]),
        "growth_memory": growth_exponents([r["claims"] for r in runs], [r["link_peak_mb"] for r in runs]),
        "growth_candidates": growth_exponents([r["claims"] for r in runs], [r["candidate_pairs"] for r in runs]),
    }
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    (out / "link.json").write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")
    (out / "link.md").write_text(markdown(report), encoding="utf-8")
    print(markdown(report))
    return 0


def markdown(r: dict) -> str:
    lines = [f"# Linking benchmark ({r['when']}, {r['machine']['cpus']} CPUs, Python {r['machine']['python']})", "",
             "| claims | time (s) | claims/s | peak RSS (MB) | linking's own peak (MB) | candidate pairs | linked pairs | synthetic pairwise P / R |",
             "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for x in r["runs"]:
        lines.append(f"| {x['claims']:,} | {x['seconds']:.2f} | {x['claims_per_second']:,} | {x['peak_rss_mb']:.0f} | "
                     f"{x['link_peak_mb']:.0f} | {x['candidate_pairs']:,} | {x['linked_pairs']:,} | "
                     f"{x['synthetic_pairwise_precision']:.3f} / {x['synthetic_pairwise_recall']:.3f} |")
    def fmt(v):
        return " / ".join("-" if e is None else f"{e:.2f}" for e in v)
    lines += ["", f"Growth exponents between consecutive sizes (1 = linear, 2 = quadratic): "
                  f"time {fmt(r['growth_time'])}; linking memory {fmt(r['growth_memory'])}; "
                  f"candidate pairs {fmt(r['growth_candidates'])}.", ""]
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
