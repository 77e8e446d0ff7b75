"""Score predicted article summaries against the crowd fields of a FA-KES-layout CSV.

These rules are part of what we report.

Input. A CSV with at least ``unit_id`` and the crowd fields (location, actor,
cause_of_death, nb_civilians, nb_children, nb_women, nb_noncivilians), read as UTF-8 and,
failing that, cp1252. Predictions: article records (dicts) joined on ``article_id ==
unit_id`` (both stripped strings). Every CSV row is scored on its own, so a unit_id that
appears on several rows (FA-KES has a few, annotated differently) is scored once per row.
Rows without a prediction are counted as ``missing`` and not scored; predictions without a
row are counted as ``unmatched_predictions``. A prediction's summary is read through
``Summary.from_dict``, so a missing summary field takes the Summary default.

Fields, accuracy = right / rows scored for that field:
  * location, actor, cause_of_death: equal after strip and lower-casing.
  * nb_civilians, nb_children, nb_women, nb_noncivilians: ``exact`` (equal integers) and
    ``within_10pct``: |pred - crowd| <= 0.1 * max(pred, crowd) (so 0 against 0 is right and
    0 against anything else is not). A row whose crowd value is not an integer is left out
    of that field's count.

Confusions: per field, the disagreeing (crowd, predicted) pairs with how often each occurs,
most frequent first (ties in first-seen order), at most ``TOP_CONFUSIONS`` of them.
"""
from __future__ import annotations

import csv
import io
from collections import Counter
from pathlib import Path
from typing import Any, Iterable

from sitrep.records import Summary

CATEGORICAL = ("location", "actor", "cause_of_death")
NUMERIC = ("nb_civilians", "nb_children", "nb_women", "nb_noncivilians")
FIELDS = CATEGORICAL + NUMERIC
TOP_CONFUSIONS = 10


def read_crowd(csv_path: str | Path) -> list[dict[str, str]]:
    """The CSV's rows as dicts of strings."""
    raw = Path(csv_path).read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        # cp1252 leaves five bytes undefined; replacing them beats refusing a whole file
        # over one stray byte in an article body we never read.
        text = raw.decode("cp1252", errors="replace")
    reader = csv.DictReader(io.StringIO(text, newline=""))
    needed = {"unit_id", *FIELDS}
    lacking = needed - set(reader.fieldnames or ())
    if lacking:
        raise ValueError(f"{csv_path}: missing columns {sorted(lacking)}")
    return list(reader)


def _text(v: Any) -> str:
    return str(v if v is not None else "").strip().lower()


def _int(v: Any) -> int | None:
    try:
        f = float(str(v).strip())
    except ValueError:
        return None
    return int(f) if f.is_integer() else None


def within_10pct(pred: int, crowd: int) -> bool:
    # Integer form of |pred - crowd| <= 0.1 * max(pred, crowd), free of float rounding.
    return 10 * abs(pred - crowd) <= max(pred, crowd)


Joined = list[tuple[dict[str, str], dict[str, Any]]]


def _pairs(predictions: Iterable[dict], rows: list[dict[str, str]]
           ) -> tuple[Joined, list[str], int]:
    """(row, predicted summary) for rows with a prediction; missing unit_ids; unjoined count."""
    by_id = {str(d["article_id"]).strip(): d for d in predictions}
    row_ids = {r["unit_id"].strip() for r in rows}
    joined: Joined = []
    missing: list[str] = []
    for row in rows:
        pred = by_id.get(row["unit_id"].strip())
        if pred is None:
            missing.append(row["unit_id"].strip())
        else:
            joined.append((row, Summary.from_dict(pred.get("summary") or {}).to_dict()))
    return joined, missing, len(set(by_id) - row_ids)


def _values(field: str, row: dict[str, str], summary: dict[str, Any]
            ) -> tuple[str | int | None, str | int]:
    """(crowd, predicted) normalised for comparison; crowd None when unreadable."""
    if field in CATEGORICAL:
        return _text(row[field]), _text(summary.get(field))
    pred = _int(summary.get(field))
    return _int(row[field]), 0 if pred is None else pred


def score_fakes(predictions: Iterable[dict], csv_path: str | Path) -> dict:
    """Per-field accuracy of predicted summaries against the CSV's crowd fields."""
    rows = read_crowd(csv_path)
    joined, missing, unmatched = _pairs(predictions, rows)
    fields: dict[str, dict[str, Any]] = {}
    confusions: dict[str, list[list[Any]]] = {}
    for field in FIELDS:
        n = right = near = 0
        wrong: Counter[tuple[Any, Any]] = Counter()
        for row, summary in joined:
            crowd, pred = _values(field, row, summary)
            if crowd is None:
                continue
            n += 1
            if crowd == pred:
                right += 1
            else:
                wrong[(crowd, pred)] += 1
            if field in NUMERIC and within_10pct(pred, crowd):  # type: ignore[arg-type]
                near += 1
        entry: dict[str, Any] = {"n": n, "right": right, "accuracy": right / n if n else None}
        if field in NUMERIC:
            entry.update(within_10pct=near, accuracy_within_10pct=near / n if n else None)
        fields[field] = entry
        confusions[field] = [[c, p, k] for (c, p), k in wrong.most_common(TOP_CONFUSIONS)]
    return {
        "kind": "fakes",
        "csv": str(csv_path),
        "rows": len(rows),
        "scored": len(joined),
        "missing": len(missing),
        "missing_ids": missing,
        "unmatched_predictions": unmatched,
        "fields": fields,
        "confusions": confusions,
    }


def disagreements(predictions: Iterable[dict], csv_path: str | Path, field: str,
                  n: int = 20) -> list[dict]:
    """The first ``n`` rows (CSV order) where the summary's ``field`` differs from the crowd's.

    Numeric fields disagree when not exactly equal; rows whose crowd value is unreadable are
    skipped, as in ``score_fakes``.
    """
    if field not in FIELDS:
        raise ValueError(f"unknown field {field!r}; choose from {', '.join(FIELDS)}")
    joined, _, _ = _pairs(predictions, read_crowd(csv_path))
    out: list[dict] = []
    for row, summary in joined:
        if len(out) >= n:
            break
        crowd, pred = _values(field, row, summary)
        if crowd is not None and crowd != pred:
            out.append({"unit_id": row["unit_id"].strip(), "title": row.get("article_title", ""),
                        "field": field, "crowd": crowd, "predicted": pred})
    return out
