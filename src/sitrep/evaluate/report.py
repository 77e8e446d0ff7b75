"""Plain-text rendering of an evaluation report (gold, FA-KES, SATP, CASE) for the terminal."""
from __future__ import annotations

import json
from typing import Any, Sequence

MAX_MISMATCHES = 40
MAX_ARTICLES = 60
MAX_REFUSED = 20


def table(header: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    """The rows under the header (sitrep.tables: fitted to the terminal, long cells wrapped);
    numbers right-aligned."""
    from ..tables import Column, render

    numeric = [all(isinstance(row[i], (int, float)) or row[i] is None for row in rows)
               for i in range(len(header))]
    columns = [Column(name or " ", numeric=numeric[i], whole_words=i < len(header) - 1)
               for i, name in enumerate(header)]
    return render(columns, [[_cell(v) for v in row] for row in rows]).rstrip("\n")


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
    if report.get("kind") == "satp":
        return _format_satp(report)
    if report.get("kind") == "case":
        return _format_case(report)
    raise ValueError("not an evaluation report (kind is not gold, fakes, satp or case)")


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


def _refused(r: dict, columns: Sequence[str]) -> list[str]:
    items = r["refused_items"]
    if not items:
        return []
    out = ["", f"Refused ({len(items)}):",
           table(columns, [[i[c] for c in columns] for i in items[:MAX_REFUSED]])]
    if len(items) > MAX_REFUSED:
        out.append(f"... {len(items) - MAX_REFUSED} more (see the JSON report)")
    return out


def _format_satp(r: dict) -> str:
    f, k = r["figures"], r["anyone_killed"]
    rows = [[name.replace("_", " "), v["right"], v["n"], v["accuracy"]] for name, v in f.items()]
    out = [f"SATP evaluation: {r['source']}",
           f"summaries {r['summaries']}, predicted {r['predicted']}, refused {r['refused']}, "
           f"unreadable lines {r['unreadable']}", "",
           table(["figure", "right", "n", "accuracy"], rows), "",
           table(["", "true pos", "false pos", "false neg", "precision", "recall", "f1"],
                 [["anyone killed", k["true_positive"], k["false_positive"], k["false_negative"],
                   k["precision"], k["recall"], k["f1"]]])]
    return "\n".join(out + _refused(r, ("id", "reason")))


def _format_case(r: dict) -> str:
    a, q = r["acled_yield"], r["non_acled_quiet"]
    out = [f"CASE evaluation: {r['source']}",
           f"snippets {r['snippets']}, refused {r['refused']}, unreadable rows {r['unreadable']}", "",
           table(["figure", "right", "n", "share"],
                 [["ACLED-class snippets with an incident", a["right"], a["n"], a["share"]],
                  ["other snippets without one", q["right"], q["n"], q["share"]]]), "",
           table(["label", "snippets", "with incident"],
                 [[lab, v["snippets"], v["with_incident"]] for lab, v in r["per_label"].items()])]
    if "classes" in r:
        acc = r["accuracy"]
        out += ["", f"ACLED sub-event classification: weighted F1 {r['weighted_f1']:.3f} over "
                    f"{len(r['classes'])} classes; accuracy {acc['share']:.3f} ({acc['right']}/{acc['n']}, "
                    "labels outside ACLED right when no event)", "",
                table(["class", "support", "predicted", "true pos", "precision", "recall", "f1"],
                      [[c, v["support"], v["predicted"], v["true_positive"], v["precision"],
                        v["recall"], v["f1"]] for c, v in r["classes"].items()]), "",
                "confusion (true label: predicted counts)"]
        out += [f"  {t}: " + ", ".join(f"{p} {n}" for p, n in row.items())
                for t, row in r["confusion"].items()]
        out += ["", f"mismatches ({len(r['mismatches'])})"]
        out += [f"  {m['id']}\t{m['label']}\t-> {m['predicted']}" for m in r["mismatches"]]
    return "\n".join(out + _refused(r, ("id", "label", "reason")))
