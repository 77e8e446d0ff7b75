"""The consistency score measured end to end on the dev data, in memory (no database needed).

    .venv/bin/python benchmarks/verify.py [--seed N] [--no-link] [--out DIR]

1. Extracts the FA-KES dev articles (``../shared/data/fakes-dev.csv``) with the pipeline and
   loads the reference samples of ``../shared/data/reference/`` (VDC victims, VDC daily deaths
   by governorate and by cause, Airwars, Syrian Archive).
2. FA-KES labels: scores every dev article against the other 404 and the reference data;
   reports ROC AUC of the score for credible (label 1) against fake (0), accuracy at the fixed
   threshold 0.5 (credible when score >= 0.5), the majority-class baseline, and, marked as
   optimistic, the accuracy at the best threshold chosen on the same data.
3. Falsified copies: every dev article that another outlet also reported (a ``same`` pair of
   ``links-dev.jsonl`` that is not ``unsure``) gets one altered copy per kind
   (``sitrep.verify.falsify``); the copy is scored in the original's place (the original left
   out of the comparison, everything else in). Reports the ROC AUC of the score at telling
   originals (positive) from copies, overall and per kind.

Incidents of the same act are found by the score's own rule (same days, governorate and
compatible type), and, unless ``--no-link``, also by ``sitrep.link`` where that module is
present; the altered copy is then linked afresh with everything else.
Results: benchmarks/results/verify.json and verify.md.
"""
from __future__ import annotations

import argparse
import json
import platform
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data"
REFERENCE_FILES = (
    ("vdc-victims-sample-2015-2018.csv", "vdc"),
    ("vdc-daily-deaths-by-province.csv", "vdc-daily"),
    ("vdc-daily-deaths-by-cause.csv", "vdc-daily"),
    ("airwars-syria-sample-2016-2017.csv", "airwars"),
    ("syrian-archive-incidents-2012-2017.csv", "syrian-archive"),
)


def roc_auc(pos: list[float] | np.ndarray, neg: list[float] | np.ndarray) -> float:
    """P(score of a random positive > score of a random negative), ties counting one half
    (the Mann-Whitney U statistic over n_pos * n_neg), with numpy only."""
    pos, neg = np.asarray(pos, float), np.asarray(neg, float)
    if not len(pos) or not len(neg):
        return float("nan")
    allv = np.concatenate([pos, neg])
    order = np.argsort(allv, kind="mergesort")
    ranks = np.empty(len(allv))
    sorted_v = allv[order]
    # average ranks over ties
    i = 0
    while i < len(sorted_v):
        j = i
        while j + 1 < len(sorted_v) and sorted_v[j + 1] == sorted_v[i]:
            j += 1
        ranks[order[i:j + 1]] = (i + j) / 2 + 1
        i = j + 1
    r_pos = ranks[: len(pos)].sum()
    u = r_pos - len(pos) * (len(pos) + 1) / 2
    return float(u / (len(pos) * len(neg)))


def load_dev(csv_path: Path):
    from sitrep.extract.pipeline import default_pipeline
    from sitrep.ingest import IngestError, read_inputs
    from sitrep.verify.memory import stored_from_records

    arts = [a for a in read_inputs([str(csv_path)]) if not isinstance(a, IngestError)]
    pairs = [(a, r) for a, r in default_pipeline().pipe(arts) if not isinstance(r, Exception)]
    return stored_from_records(pairs)


def load_reference(folder: Path):
    from sitrep.verify.references import read_reference
    records, errors = [], []
    for name, fmt in REFERENCE_FILES:
        p = folder / name
        if p.exists():
            records.extend(read_reference(p, fmt, errors))
    return records, errors


def try_link(incidents, articles):
    try:
        from sitrep.link import link_incidents  # type: ignore[attr-defined]
    except ImportError:
        return None, None
    return link_incidents, link_incidents(incidents, {a.pk: a for a in articles})


def _local_links(link_fn, articles, incidents, original, own_incidents, own_article=None):
    """Link-stage output for ``own_incidents`` (the original's, or a copy's standing in for
    it) with the other articles' incidents dated within a few days of them."""
    if link_fn is None:
        return None
    near = _near_incidents(incidents, own_incidents, original.pk)
    want = {si.article_pk for si in near}
    arts = {a.pk: a for a in articles if a.pk in want}
    arts[(own_article or original).pk] = own_article or original
    return link_fn(near + list(own_incidents), arts)


def _near_incidents(incidents, copy_incidents, original_pk: int, days: int = 3):
    from datetime import date, timedelta
    ds = [date.fromisoformat(si.incident.date[:10]) for si in copy_incidents if si.incident.date]
    if not ds:
        return []
    lo, hi = (min(ds) - timedelta(days=days)).isoformat(), (max(ds) + timedelta(days=days)).isoformat()
    return [si for si in incidents if si.article_pk != original_pk and si.incident.date
            and lo <= si.incident.date[:10] <= hi]


def fakes_labels(csv_path: Path) -> dict[str, int]:
    import csv
    with open(csv_path, encoding="utf-8", errors="replace", newline="") as fh:
        return {r["unit_id"]: int(r["label"]) for r in csv.DictReader(fh) if r.get("label") in ("0", "1")}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--no-link", action="store_true", help="use the score's own same-act rule only")
    ap.add_argument("--data", default=str(DATA))
    ap.add_argument("--out", default=str(ROOT / "benchmarks" / "results"))
    args = ap.parse_args(argv)
    data = Path(args.data)

    from sitrep.verify.score import ReferenceIndex, Verifier

    t0 = time.perf_counter()
    articles, incidents = load_dev(data / "fakes-dev.csv")
    t_extract = time.perf_counter() - t0
    refs, ref_errors = load_reference(data / "reference")
    index = ReferenceIndex(refs)
    link_fn, links = (None, None) if args.no_link else try_link(incidents, articles)
    t_load = time.perf_counter() - t0
    verifier = Verifier(articles, incidents, index, links)

    # -- FA-KES labels ------------------------------------------------------------------------
    t1 = time.perf_counter()
    labels = fakes_labels(data / "fakes-dev.csv")
    results = verifier.verify()
    t_verify = time.perf_counter() - t1
    scored = [(v.score, labels[v.article_id]) for v in results if v.article_id in labels]
    s = np.array([x for x, _ in scored])
    y = np.array([l for _, l in scored])
    auc_fakes = roc_auc(s[y == 1], s[y == 0])
    acc_05 = float(np.mean((s >= 0.5) == (y == 1)))
    majority = float(max(y.mean(), 1 - y.mean()))
    thresholds = np.unique(np.concatenate([s, [1.01]]))
    accs = [(float(np.mean((s >= t) == (y == 1))), float(t)) for t in thresholds]
    best_acc, best_t = max(accs)
    contradicted = float(np.mean([any(r["weight"] for r in v.reasons) for v in results
                                  if v.article_id in labels]))
    kinds_fired: dict[str, int] = {}
    for v in results:
        for k in {r["kind"] for r in v.reasons if r["weight"]}:
            kinds_fired[k] = kinds_fired.get(k, 0) + 1
    # what each family of evidence says about the labels on its own (AUC of minus its penalty;
    # of the support for agreement), and a bootstrap interval for the score's AUC
    lab = [v for v in results if v.article_id in labels]
    y_l = np.array([labels[v.article_id] for v in lab])
    families = {}
    for fam in ("outlet", "reference", "internal", "support"):
        vals = np.array([_family(v, fam) for v in lab])
        families[fam] = round(roc_auc(vals[y_l == 1], vals[y_l == 0]), 4)
    rng = np.random.default_rng(0)
    boots = []
    for _ in range(1000):
        i = rng.integers(0, len(s), len(s))
        if 0 < y[i].sum() < len(i):
            boots.append(roc_auc(s[i][y[i] == 1], s[i][y[i] == 0]))
    auc_ci = [round(float(np.percentile(boots, 2.5)), 4), round(float(np.percentile(boots, 97.5)), 4)]
    # per-reason AUC direction: does any single kind separate the labels?
    by_kind_auc = {}
    for k in sorted(kinds_fired):
        has = np.array([any(r["kind"] == k and r["weight"] for r in v.reasons) for v in results
                        if v.article_id in labels])
        by_kind_auc[k] = {"articles": int(has.sum()), "share_credible_with": round(float(y[has].mean()), 3)
                          if has.any() else None}

    # -- falsified copies ---------------------------------------------------------------------
    t2 = time.perf_counter()
    pairs = [json.loads(line) for line in open(data / "links-dev.jsonl", encoding="utf-8")]
    same = [p for p in pairs if p["label"] == "same" and not p.get("unsure")]
    partner_ids = sorted({p["a"] for p in same} | {p["b"] for p in same})
    plain = Verifier(articles, incidents, index)  # links come per article, original or copy
    falsify, per_article = falsification(plain, link_fn, articles, incidents, partner_ids, args.seed)
    t_falsify = time.perf_counter() - t2
    falsify_own = falsification(plain, None, articles, incidents, partner_ids, args.seed)[0] if link_fn else None

    report = {
        "when": time.strftime("%Y-%m-%d %H:%M:%S"),
        "machine": f"{platform.machine()} {platform.python_version()}",
        "seed": args.seed,
        "linking": "sitrep.link + own rule" if link_fn else "own rule (same days, governorate, compatible type)",
        "articles": len(articles), "incidents": len(incidents), "reference_records": len(refs),
        "reference_errors": len(ref_errors),
        "fakes": {"articles": int(len(s)), "credible": int(y.sum()), "auc": round(auc_fakes, 4),
                  "auc_95ci_bootstrap": auc_ci, "auc_by_family": families,
                  "accuracy_at_0.5": round(acc_05, 4), "majority_baseline": round(majority, 4),
                  "best_threshold_accuracy_optimistic": round(best_acc, 4), "best_threshold": round(best_t, 4),
                  "share_with_a_contradiction": round(contradicted, 4),
                  "mean_score_credible": round(float(s[y == 1].mean()), 4),
                  "mean_score_fake": round(float(s[y == 0].mean()), 4),
                  "reasons": by_kind_auc},
        "falsified": falsify,
        "falsified_own_rule_only": falsify_own,
        "seconds": {"extract_and_load": round(t_load, 2), "extract": round(t_extract, 2),
                    "verify_405": round(t_verify, 2), "falsify_and_score": round(t_falsify, 2),
                    "total": round(time.perf_counter() - t0, 2)},
        "per_article": per_article,
    }
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    (out / "verify.json").write_text(json.dumps(report, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    (out / "verify.md").write_text(markdown(report), encoding="utf-8")
    print(markdown(report))
    return 0


_REFERENCE_AGAINST = {"vdc-daily", "vdc", "events"}


def _family(v, fam: str) -> float:
    """Minus the penalty of one family of reasons (or, for "support", the agreement found)."""
    if fam == "support":
        return sum(r.get("support", 0.0) for r in v.reasons if r["kind"] == "outlet_agreement")
    total = 0.0
    for r in v.reasons:
        ref = r.get("against") in _REFERENCE_AGAINST or r.get("source") == "vdc-daily-cause"
        internal = r["kind"] in ("date_after_publication", "figures_inconsistent", "implausible_perpetrator")
        kind = "reference" if ref else "internal" if internal else "outlet"
        if kind == fam:
            total += r["weight"]
    return total


def falsification(plain, link_fn, articles, incidents, partner_ids, seed):
    """Score each original and its altered copies; AUC overall and per kind."""
    from sitrep.verify.falsify import KINDS, falsify_stored

    by_id = {a.article_id: a for a in articles}
    incs_of: dict[int, list] = {}
    for si in incidents:
        incs_of.setdefault(si.article_pk, []).append(si)
    originals, copies = [], {k: [] for k in KINDS}
    per_article = []
    next_pk = max(a.pk for a in articles) + 1
    next_ipk = max(si.pk for si in incidents) + 1
    for aid in partner_ids:
        art = by_id.get(aid)
        if art is None or not incs_of.get(art.pk):
            continue
        # originals and copies alike are linked afresh with the incidents dated near them
        # (linking is local in time), so that both are judged by the same partners
        orig = plain.score_article(art, links=_local_links(link_fn, articles, incidents, art, incs_of[art.pk]))
        originals.append(orig.score)
        row = {"article_id": aid, "original": orig.score}
        for kind in KINDS:
            made = falsify_stored(art, incs_of[art.pk], kind, seed, pk=next_pk, first_incident_pk=next_ipk)
            if made is None:
                continue
            c_art, c_incs, alt = made
            next_pk += 1
            next_ipk += len(c_incs)
            c_links = _local_links(link_fn, articles, incidents, art, c_incs, c_art)
            cv = plain.score_article(c_art, c_incs, exclude={art.pk}, links=c_links)
            copies[kind].append((orig.score, cv.score, alt.detail))
            row[kind] = {"score": cv.score, "detail": alt.detail,
                         "reasons": sorted({r["kind"] for r in cv.reasons if r["weight"]})}
        per_article.append(row)

    all_copies = [c for k in KINDS for _, c, _ in copies[k]]
    out = {"linking": "sitrep.link and the score's own rule" if link_fn else "the score's own rule only",
           "originals": len(originals), "copies": len(all_copies),
           "auc_overall": round(roc_auc(originals, all_copies), 4), "by_kind": {}}
    for k in KINDS:
        orig_k = [o for o, _, _ in copies[k]]
        copy_k = [c for _, c, _ in copies[k]]
        paired = np.mean([1.0 if o > c else 0.5 if o == c else 0.0 for o, c, _ in copies[k]]) if copies[k] else float("nan")
        out["by_kind"][k] = {"copies": len(copy_k), "auc": round(roc_auc(orig_k, copy_k), 4),
                             "paired_win_rate": round(float(paired), 4),
                             "mean_original": round(float(np.mean(orig_k)), 4) if orig_k else None,
                             "mean_copy": round(float(np.mean(copy_k)), 4) if copy_k else None}
    for direction in ("x3", "/3"):
        sub = [(o, c) for o, c, d in copies["figures"] if d.endswith(direction)]
        out["by_kind"][f"figures {direction}"] = {
            "copies": len(sub), "auc": round(roc_auc([o for o, _ in sub], [c for _, c in sub]), 4),
            "paired_win_rate": round(float(np.mean([1.0 if o > c else 0.5 if o == c else 0.0 for o, c in sub])), 4)
            if sub else None}
    return out, per_article


def markdown(r: dict) -> str:
    f, z = r["fakes"], r["falsified"]
    lines = [
        f"# Consistency score on the dev data ({r['when']}, seed {r['seed']})",
        "",
        f"{r['articles']} FA-KES dev articles, {r['incidents']} incidents, {r['reference_records']} reference "
        f"records; same-act partners by {r['linking']}.",
        "",
        "## FA-KES labels (credible vs fake)",
        "",
        "| measure | value |",
        "| --- | --- |",
        f"| ROC AUC of the score (95% bootstrap interval) | **{f['auc']}** ({f['auc_95ci_bootstrap'][0]}-"
        f"{f['auc_95ci_bootstrap'][1]}) |",
        "| AUC of each family alone: " + ", ".join(f"{k} {v}" for k, v in f["auc_by_family"].items()) + " | |",
        f"| accuracy, credible when score >= 0.5 | {f['accuracy_at_0.5']} |",
        f"| majority-class baseline | {f['majority_baseline']} |",
        f"| accuracy at the best threshold ({f['best_threshold']}), chosen on these data: optimistic | "
        f"{f['best_threshold_accuracy_optimistic']} |",
        f"| mean score, credible / fake | {f['mean_score_credible']} / {f['mean_score_fake']} |",
        f"| articles with any contradiction | {f['share_with_a_contradiction']} |",
        "",
        "## Falsified copies (originals reported by another outlet vs altered copies)",
        "",
        f"{z['originals']} originals (dev articles another outlet also reported: `same` pairs of "
        f"links-dev.jsonl, not `unsure`), {z['copies']} copies; partners by {z['linking']}. "
        f"AUC overall: **{z['auc_overall']}** (bar 0.85)",
        "",
        "| kind | copies | AUC | paired win rate | mean score original / copy |",
        "| --- | --- | --- | --- | --- |",
    ]
    for k, v in z["by_kind"].items():
        lines.append(f"| {k} | {v['copies']} | {v['auc']} | {v.get('paired_win_rate', '')} | "
                     f"{v.get('mean_original', '')} / {v.get('mean_copy', '')} |")
    own = r.get("falsified_own_rule_only")
    if own:
        lines += ["", f"With the score's own same-act rule only (no sitrep.link): AUC overall **{own['auc_overall']}**; "
                  + ", ".join(f"{k} {v['auc']}" for k, v in own["by_kind"].items() if " " not in k) + "."]
    sec = r["seconds"]
    lines += ["", f"Time: {sec['total']} s in all (extraction and loading {sec['extract_and_load']} s, "
                  f"scoring 405 articles {sec['verify_405']} s, copies {sec['falsify_and_score']} s).", ""]
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
