"""Score extraction of CASE 2021 news snippets: what is refused, what yields an incident.

These rules are part of what we report; change them only with the figures they produce.

Input. A tab-separated file with a header and the columns ``id``, ``EventSnippet`` and
``SubType`` (CSV quoting). A row without an id or a snippet is counted in ``unreadable``
and skipped. Predictions: article records joined on ``article_id == id``. A snippet without
a prediction was refused (or failed): it is counted and listed in ``refused`` (with the
reason where the caller knows it) and scored as yielding no incident.

Figures:
  * ``refused``: snippets without a record (the extractor refused them, e.g. "not English").
  * ``acled_yield``: of the snippets labelled with an ACLED sub-event type (every label but
    ``NON_ACLED``), the share whose record has at least one incident.
  * ``non_acled_quiet``: of the snippets labelled ``NON_ACLED`` (disasters, diplomacy,
    organised crime, attributions: no event for sitrep), the share whose record has none.
    A refused snippet has no incident, so it counts as quiet here: read the two together.
  * ``per_label``: snippets and snippets with an incident, per label.

ACLED classification (the shared task's measure). A snippet's predicted label is the CASE
label of the ACLED sub-event type of its record's first incident in text order (the act a
snippet leads with), ``NONE`` when it has no incident. The 25 ACLED labels are the classes;
the five labels outside ACLED (and ``NONE``) are "no event".

  * ``classes``: per ACLED label, support (snippets so labelled), predicted (snippets so
    predicted, any true label), true positives, precision, recall and F1.
  * ``weighted_f1``: the classes' F1 weighted by support (scikit-learn's "weighted" average
    over the 25 labels), as the shared task scored it.
  * ``accuracy``: over all snippets, the share whose prediction is right, where a snippet
    labelled outside ACLED is right when it is predicted as no event.
  * ``confusion``: per true label (the five outside ACLED as ``NO_EVENT``), the counts of
    each predicted label; ``mismatches`` lists every wrong snippet (id, label, predicted).
"""
from __future__ import annotations

import csv
import io
from collections import Counter
from pathlib import Path
from typing import Any, Iterable

from ..knowledge.event_types import sub_event_types

NON_ACLED = frozenset({"MAN_MADE_DISASTER", "NATURAL_DISASTER", "DIPLO", "ORG_CRIME", "ATTRIB"})
NO_EVENT = "NO_EVENT"


def read_case(path: str | Path, limit: int | None = None) -> tuple[list[dict[str, str]], int]:
    """The rows (id, text, label) of a CASE TSV (the first ``limit``), and how many rows
    could not be read."""
    raw = Path(path).read_text(encoding="utf-8-sig", errors="replace")
    reader = csv.DictReader(io.StringIO(raw, newline=""), delimiter="\t")
    missing = {"id", "EventSnippet", "SubType"} - set(reader.fieldnames or ())
    if missing:
        raise ValueError(f"{path}: missing columns {sorted(missing)}")
    out: list[dict[str, str]] = []
    unreadable = 0
    for row in reader:
        if limit is not None and len(out) >= limit:
            break
        sid, text = (row.get("id") or "").strip(), (row.get("EventSnippet") or "").strip()
        if not sid or not text:
            unreadable += 1
            continue
        out.append({"id": sid, "text": text, "label": (row.get("SubType") or "").strip()})
    return out, unreadable


def _share(k: int, n: int) -> dict[str, Any]:
    return {"right": k, "n": n, "share": k / n if n else None}


def score_case(predictions: Iterable[dict], rows: list[dict[str, str]], *, source: str = "",
               unreadable: int = 0, refused_reasons: dict[str, str] | None = None) -> dict:
    """Refusals and incident yield per class of label (the rules of the docstring)."""
    predictions = list(predictions)
    found = {str(d["article_id"]): len(d.get("incidents") or []) for d in predictions}
    predicted = {str(d["article_id"]): predicted_label(d) for d in predictions}
    reasons = refused_reasons or {}
    refused = []
    n = Counter()
    with_incident = Counter()
    for row in rows:
        count = found.get(row["id"])
        if count is None:
            refused.append({"id": row["id"], "label": row["label"],
                            "reason": reasons.get(row["id"], "no record")})
        n[row["label"]] += 1
        with_incident[row["label"]] += bool(count)
    acled = [lab for lab in n if lab not in NON_ACLED]
    other = [lab for lab in n if lab in NON_ACLED]
    return {
        "kind": "case",
        "source": source,
        "snippets": len(rows),
        "unreadable": unreadable,
        "refused": len(refused),
        "refused_items": refused,
        "acled_yield": _share(sum(with_incident[lab] for lab in acled), sum(n[lab] for lab in acled)),
        "non_acled_quiet": _share(sum(n[lab] - with_incident[lab] for lab in other),
                                  sum(n[lab] for lab in other)),
        "per_label": {lab: {"snippets": n[lab], "with_incident": with_incident[lab]}
                      for lab in sorted(n)},
        **classification(rows, predicted),
    }


def predicted_label(record: dict) -> str:
    """The CASE label of a record's first incident's ACLED sub-event type (``NO_EVENT`` for
    none)."""
    incidents = record.get("incidents") or []
    if not incidents:
        return NO_EVENT
    sub = incidents[0].get("sub_event_type")
    codes = {s.name: s.case for s in sub_event_types().values()}
    return codes.get(sub, NO_EVENT)


def classification(rows: list[dict[str, str]], predicted: dict[str, str]) -> dict:
    """Per-class precision, recall, F1, their support-weighted F1, accuracy and confusion."""
    classes = [s.case for s in sub_event_types().values()]
    truth = {r["id"]: (NO_EVENT if r["label"] in NON_ACLED else r["label"]) for r in rows}
    pred = {r["id"]: predicted.get(r["id"], NO_EVENT) for r in rows}
    confusion: dict[str, Counter] = {}
    for sid, t in truth.items():
        confusion.setdefault(t, Counter())[pred[sid]] += 1
    per_class = {}
    weighted = 0.0
    support_total = 0
    for c in classes:
        support = sum(1 for t in truth.values() if t == c)
        n_pred = sum(1 for p in pred.values() if p == c)
        tp = sum(1 for sid, t in truth.items() if t == c and pred[sid] == c)
        precision = tp / n_pred if n_pred else 0.0
        recall = tp / support if support else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        per_class[c] = {"support": support, "predicted": n_pred, "true_positive": tp,
                        "precision": precision, "recall": recall, "f1": f1}
        weighted += f1 * support
        support_total += support
    right = sum(1 for sid, t in truth.items() if pred[sid] == t)
    return {
        "classes": per_class,
        "weighted_f1": weighted / support_total if support_total else None,
        "accuracy": _share(right, len(truth)),
        "confusion": {t: dict(c.most_common()) for t, c in sorted(confusion.items())},
        "mismatches": [{"id": r["id"], "label": r["label"], "predicted": pred[r["id"]]}
                       for r in rows if pred[r["id"]] != truth[r["id"]]],
    }
