"""`sitrep link` and `sitrep eval links`.

    sitrep link [--db URL] [--full]
    sitrep eval links PAIRS.jsonl ARTICLES... [--pred FILE] [--json OUT]

`sitrep link` links again what changed since the last link (articles stored or replaced
since: ``sitrep.link.incremental``), or, with `--full` (and where there is no last link to
start from), recomputes the linked incidents and wire-copy groups of the whole database; then
brings the reconciled incidents they make up to date (the view ``reconciled_incidents``,
``reconciled_members``, ``outlet_stats``).

`sitrep eval links` scores linking against hand-labelled article pairs. It reads the
articles given, keeps those the pairs name, extracts them (or takes their records from
`--pred`, JSON Lines from `sitrep extract`), stores them in a temporary SQLite database,
links, and reads the links back. The scoring rules:

- a pair is predicted "same" when some linked incident holds incidents of both articles;
  precision, recall and F1 of "same" over the labelled pairs;
- `unsure` pairs (the labeller's doubt, mostly an article that only restates an act as
  background) are scored twice: with their label as given ("all pairs", the headline
  figure) and left out ("sure pairs only");
- wire copies: a pair is predicted a copy when both articles are in one wire group;
  precision and recall over the pairs, against `wire_copy`;
- an id the pairs name but the inputs lack makes its pairs "predicted different" and is
  listed; an id shared by several input rows with different texts stands for all of them;
  rows with one text (the store keeps one article) share its links.
"""
from __future__ import annotations

import json
import os
import sys
import tempfile
from typing import Any, TextIO

from . import PROGRESS_HELP
from .helptext import examples

MAX_ERRORS = 40


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "link", help="link incidents and group wire copies in the database (incrementally by default)",
        description="Link the incidents of different articles that report one act (blocked by "
                    "date and place, scored on event type, perpetrator, figures and text) and "
                    "group the articles that reprint one wire story, then write the reconciled "
                    "incidents (the view reconciled_incidents). The default is incremental: only "
                    "the incidents near the articles stored or replaced since the last "
                    "link are scored and clustered again (a full link runs when there is no last "
                    "link to start from); --full links the whole database again.",
        epilog=examples("sitrep link --db sitrep.db",
                        "sitrep link --db sitrep.db --full",
                        "sitrep link --db postgresql://localhost/news"))
    p.add_argument("--db", metavar="URL",
                   help="database: a path, sqlite:///path or postgresql://... (default sitrep.db)")
    p.add_argument("--full", action="store_true",
                   help="link the whole database again instead of what changed since the last link "
                        "(the default is incremental)")
    p.add_argument("--progress", action="store_true", help=PROGRESS_HELP)
    p.set_defaults(func=cmd_link)


def cmd_link(args, out: TextIO, err: TextIO) -> int:
    from .. import incident_index
    from ..link.incremental import link_store
    from . import database_errors, database_failure, open_existing_store, progress_bar

    bar = progress_bar(err, 2, "step", args.progress, desc="linking")
    try:
        with open_existing_store(args.db) as store, bar:
            # streamed when full: linking keeps the columns it reads, not the incidents
            run = link_store(store, full=args.full, progress=bar.set_description)
            bar.update(1)
            bar.set_description("writing reconciled incidents")
            # The reconciled incidents, their members and the outlet statistics are written
            # now, so that the database holds what `sitrep incidents` lists (a reader of the
            # file sees them without `sitrep serve` having run): updated where the links
            # changed when the index was current before (incident_index.update), else built.
            incident_index.refresh(store)
            reconciled = int(store.index_facets()["total"])
            counts = store.counts()
            totals = store.link_totals()
            bar.update(1)
    except database_errors() as exc:
        return database_failure(exc, err)
    how = ("full link" if not run.incremental else
           f"incremental: {run.articles_changed} articles changed since the last link, "
           f"{run.incidents_read} incidents scored, {run.links_replaced} links replaced by {run.links_written}")
    print(f"{counts['articles']} articles, {counts['incidents']} incidents: {totals[0]} linked incidents "
          f"joining {totals[1]} incidents; {totals[2]} wire groups of articles within them ({how})", file=out)
    print(f"{reconciled} reconciled incidents written to the view reconciled_incidents", file=out)
    return 0


def link_summary(links, n_articles: int, n_incidents: int) -> str:
    wires = sum(len(lk.wire_groups) for lk in links)
    linked = sum(len(lk.members) for lk in links)
    return (f"{n_articles} articles, {n_incidents} incidents: {len(links)} linked incidents "
            f"joining {linked} incidents; {wires} wire groups of articles within them")


# -- evaluation ------------------------------------------------------------------------------

def read_pairs(path: str) -> list[dict]:
    pairs = []
    with open(path, encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            line = line.strip()
            if not line:
                continue
            try:
                d = json.loads(line)
                pairs.append({"a": str(d["a"]), "b": str(d["b"]), "label": d["label"],
                              "wire_copy": bool(d.get("wire_copy", False)),
                              "unsure": bool(d.get("unsure", False)), "why": d.get("why", "")})
            except (ValueError, KeyError, TypeError) as exc:
                raise ValueError(f"{path}:{n}: not a pair ({exc})") from exc
    return pairs


def _prf(tp: int, fp: int, fn: int) -> dict[str, Any]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"tp": tp, "fp": fp, "fn": fn, "precision": p, "recall": r, "f1": f}


def score_pairs(pairs: list[dict], same: dict[tuple[str, str], bool],
                wire: dict[tuple[str, str], bool]) -> dict[str, Any]:
    """The report over labelled pairs, given the predictions per (a, b)."""
    rows = []
    for p in pairs:
        key = (p["a"], p["b"])
        rows.append({**p, "pred_same": same[key], "pred_wire": wire[key]})

    def prf(subset):
        tp = sum(1 for r in subset if r["label"] == "same" and r["pred_same"])
        fp = sum(1 for r in subset if r["label"] != "same" and r["pred_same"])
        fn = sum(1 for r in subset if r["label"] == "same" and not r["pred_same"])
        return {"pairs": len(subset), **_prf(tp, fp, fn)}

    wtp = sum(1 for r in rows if r["wire_copy"] and r["pred_wire"])
    wfp = sum(1 for r in rows if not r["wire_copy"] and r["pred_wire"])
    wfn = sum(1 for r in rows if r["wire_copy"] and not r["pred_wire"])
    errors = [r for r in rows if (r["label"] == "same") != r["pred_same"] or r["wire_copy"] != r["pred_wire"]]
    return {
        "kind": "links",
        "all_pairs": prf(rows),
        "sure_pairs": prf([r for r in rows if not r["unsure"]]),
        "wire": {"pairs": len(rows), "gold": wtp + wfn, **_prf(wtp, wfp, wfn)},
        "errors": errors,
        "pairs": rows,
    }


def format_links_report(r: dict) -> str:
    from ..evaluate.report import table

    out = [f"Link evaluation: {r['all_pairs']['pairs']} labelled pairs, {r.get('articles', 0)} articles, "
           f"{r.get('incidents', 0)} incidents, {r.get('linked', 0)} linked incidents with several members",
           ""]
    rows = []
    for name, key in (("same incident, all pairs", "all_pairs"), ("same incident, sure pairs only", "sure_pairs")):
        m = r[key]
        rows.append([name, m["pairs"], m["tp"], m["fp"], m["fn"], m["precision"], m["recall"], m["f1"]])
    w = r["wire"]
    rows.append(["wire copy", w["pairs"], w["tp"], w["fp"], w["fn"], w["precision"], w["recall"], w["f1"]])
    out.append(table(["measure", "pairs", "tp", "fp", "fn", "precision", "recall", "f1"], rows))
    if r.get("missing"):
        out += ["", f"Articles named by the pairs but not in the inputs: {', '.join(r['missing'])}"]
    errs = r["errors"]
    if errs:
        out += ["", f"Errors ({len(errs)}):"]
        out.append(table(["a", "b", "gold", "predicted", "why"], [
            [e["a"], e["b"],
             e["label"] + (" (wire)" if e["wire_copy"] else "") + (" ?" if e["unsure"] else ""),
             ("same" if e["pred_same"] else "different") + (" (wire)" if e["pred_wire"] else ""),
             e["why"][:90]] for e in errs[:MAX_ERRORS]]))
        if len(errs) > MAX_ERRORS:
            out.append(f"... {len(errs) - MAX_ERRORS} more (see the JSON report)")
    return "\n".join(out)


def _records_from(path: str) -> dict[str, Any]:
    from ..records import ArticleRecord

    out: dict[str, Any] = {}
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                rec = ArticleRecord.from_dict(json.loads(line))
                out.setdefault(rec.article_id, rec)
    return out


def _extracted(articles, pred: str | None, err: TextIO):
    """(article, record) for each article; failures reported on ``err``."""
    from ..ingest import report_error
    if pred:
        records = _records_from(pred)
        for a in articles:
            rec = records.get(a.article_id)
            if rec is None:
                report_error(a.source or a.article_id, f"no record in {pred}", err)
                continue
            yield a, rec
        return
    from ..extract.pipeline import default_pipeline
    for a, result in default_pipeline().pipe(articles):
        if isinstance(result, Exception):
            report_error(a.source or a.article_id, f"extraction failed: {result}", err)
            continue
        yield a, result


def evaluate_links(pairs: list[dict], paths: list[str], *, pred: str | None = None,
                   err: TextIO = sys.stderr) -> dict[str, Any]:
    """Store the articles the pairs name in a temporary database, link, score."""
    from ..extract.pipeline import EXTRACTOR_VERSION
    from ..ingest import IngestError, read_inputs, report_error
    from ..link import link_incidents, wire_groups
    from ..store import content_hash, open_store

    named = {p["a"] for p in pairs} | {p["b"] for p in pairs}
    articles = []
    for item in read_inputs(paths, max_bytes=200_000_000):
        if isinstance(item, IngestError):
            report_error(item.source, item.reason, err)
        elif item.article_id in named:
            articles.append(item)
    with tempfile.TemporaryDirectory(prefix="sitrep-eval-links-") as tmp:
        store = open_store(os.path.join(tmp, "links.db"))
        try:
            for article, record in _extracted(articles, pred, err):
                store.add(article, record, EXTRACTOR_VERSION)
            stored = {a.pk: a for a in store.articles()}
            incidents = store.incidents()
            store.save_links(link_incidents(incidents, stored))
            links = store.links()
        finally:
            store.close()
    groups = wire_groups(stored.values())

    # an article is its text: rows whose texts are one (after the store's normalisation)
    # are one stored article, whichever id it was stored under
    pk_of_hash = {a.content_hash: a.pk for a in stored.values()}
    pks: dict[str, set[int]] = {}
    for a in articles:
        pk = pk_of_hash.get(content_hash(a.text))
        if pk is not None:
            pks.setdefault(a.article_id, set()).add(pk)
    article_of = {si.pk: si.article_pk for si in incidents}
    links_of: dict[int, set[int]] = {}
    for lk in links:
        for m in lk.members:
            links_of.setdefault(article_of[m], set()).add(lk.id)
    group_of = {pk: n for n, g in enumerate(groups) for pk in g}

    def same(a: str, b: str) -> bool:
        la = set().union(*(links_of.get(pk, set()) for pk in pks.get(a, ())))
        lb = set().union(*(links_of.get(pk, set()) for pk in pks.get(b, ())))
        return bool(la & lb)

    def copy(a: str, b: str) -> bool:
        ga = {group_of[pk] for pk in pks.get(a, ()) if pk in group_of}
        gb = {group_of[pk] for pk in pks.get(b, ()) if pk in group_of}
        return bool(ga & gb)

    keys = {(p["a"], p["b"]) for p in pairs}
    report = score_pairs(pairs, {k: same(*k) for k in keys}, {k: copy(*k) for k in keys})
    report.update({
        "articles": len(stored), "incidents": len(incidents),
        "linked": sum(1 for lk in links if len(lk.members) > 1),
        "wire_groups": groups,
        "missing": sorted(named - set(pks)),
        "rules": {"unsure": "all_pairs keeps unsure pairs with their label; sure_pairs leaves them out",
                  "same": "some linked incident holds incidents of both articles",
                  "wire": "both articles in one wire group"},
    })
    return report


def eval_links(args, out: TextIO, err: TextIO) -> int:
    """`sitrep eval links PAIRS.jsonl ARTICLES... [--pred FILE] [--json OUT]`."""
    if not args.articles:
        print("error: eval links needs the articles the pairs name (e.g. the FA-KES CSV)", file=err)
        return 2
    try:
        pairs = read_pairs(args.path)
    except (OSError, ValueError) as exc:
        print(f"error: {exc}", file=err)
        return 2
    report = evaluate_links(pairs, list(args.articles), pred=getattr(args, "pred", None), err=err)
    out.write(format_links_report(report) + "\n")
    if getattr(args, "json", None):
        with open(args.json, "w", encoding="utf-8") as fh:
            json.dump(report, fh, indent=1, ensure_ascii=False)
    return 0
