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
"""
from __future__ import annotations

import csv
import io
from collections import Counter
from pathlib import Path
from typing import Any, Iterable

NON_ACLED = frozenset({"MAN_MADE_DISASTER", "NATURAL_DISASTER", "DIPLO", "ORG_CRIME", "ATTRIB"})


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
    found = {str(d["article_id"]): len(d.get("incidents") or []) for d in predictions}
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
    }
