"""Plain-text rendering of a gold or FA-KES report for the terminal."""
from __future__ import annotations

import json
from typing import Any, Sequence

MAX_MISMATCHES = 40
MAX_ARTICLES = 60


def table(header: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    """Columns padded to their widest cell; numbers right-aligned."""
    cells = [[_cell(v) for v in row] for row in [header, *rows]]
    widths = [max(len(r[i]) for r in cells) for i in range(len(header))]
    numeric = [all(isinstance(row[i], (int, float)) or row[i] is None for row in rows)
               for i in range(len(header))]
    lines = []
    for k, row in enumerate(cells):
        parts = [c.rjust(w) if numeric[i] and k else c.ljust(w)
                 for i, (c, w) in enumerate(zip(row, widths))]
        lines.append("  ".join(parts).rstrip())
        if k == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def _cell(v: Any) -> str:
    if v is None:
        return "-"
    if v == "":
        return '""'  # an empty prediction must stay visible in a confusion table
    if isinstance(v, float):
        return f"{v:.3f}"
    if isinstance(v, (list, dict)):
        return json.dumps(v, ensure_ascii=False)
    return str(v)


def format_report(report: dict) -> str:
    if report.get("kind") == "gold":
        return _format_gold(report)
    if report.get("kind") == "fakes":
        return _format_fakes(report)
    raise ValueError("not an evaluation report (kind is neither 'gold' nor 'fakes')")


def _format_gold(r: dict) -> str:
    inc, cl = r["incidents"], r["claimants"]
    out = [f"Gold evaluation: {r['articles']} articles in {r['gold_dir']}", "",
           table(["", "gold", "predicted", "matched", "precision", "recall", "f1"], [
               ["incidents", inc["gold"], inc["predicted"], inc["matched"],
                inc["precision"], inc["recall"], inc["f1"]],
               ["claimants", cl["gold"], cl["predicted"], cl["shared"],
                cl["precision"], cl["recall"], cl["f1"]],
           ]), "",
           "On matched incidents:",
           table(["field", "right", "matched", "accuracy"],
                 [[k, v["right"], v["matched"], v["accuracy"]] for k, v in r["fields"].items()]),
           ""]
    rows = r["per_article"]
    out.append(table(["article", "gold", "predicted", "matched", "prediction"],
                     [[a["article_id"], a["gold"], a["predicted"], a["matched"],
                       "yes" if a["has_prediction"] else "MISSING"]
                      for a in rows[:MAX_ARTICLES]]))
    if len(rows) > MAX_ARTICLES:
        out.append(f"... {len(rows) - MAX_ARTICLES} more articles")
    if r["extra_predictions"]:
        out.append(f"\nPredictions for articles not in the gold set: {len(r['extra_predictions'])}")
    errors = r.get("errors")
    if errors and errors["counts"]:
        from .errors import CLASSES
        out += ["", "Errors by class (the issue's class number first; every item in the JSON):",
                table(["class", "n", "meaning"],
                      [[c, n, CLASSES.get(c, "")] for c, n in errors["counts"].items()])]
    mm = r["mismatches"]
    if mm:
        out += ["", f"Mismatches ({len(mm)}):",
                table(["article", "incident", "field", "gold", "predicted"],
                      [[m["article_id"], m["incident"], m["field"], m["gold"], m["predicted"]]
                       for m in mm[:MAX_MISMATCHES]])]
        if len(mm) > MAX_MISMATCHES:
            out.append(f"... {len(mm) - MAX_MISMATCHES} more (see the JSON report)")
    return "\n".join(out)


def _format_fakes(r: dict) -> str:
    out = [f"FA-KES evaluation: {r['csv']}",
           f"rows {r['rows']}, scored {r['scored']}, missing {r['missing']}, "
           f"predictions without a row {r['unmatched_predictions']}", "",
           table(["field", "n", "right", "accuracy", "within 10%"],
                 [[k, v["n"], v["right"], v["accuracy"], v.get("accuracy_within_10pct")]
                  for k, v in r["fields"].items()])]
    for field, pairs in r["confusions"].items():
        if pairs:
            out += ["", f"Top confusions, {field}:",
                    table(["crowd", "predicted", "n"], [list(p) for p in pairs])]
    return "\n".join(out)
