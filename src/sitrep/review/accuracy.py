"""What the corrections say of the machine: per field, how often reviewers changed what the
extractor and the linker gave, over the incidents they reviewed (an accuracy estimate on the
user's own data, as `sitrep eval corrections` reports it).

An incident counts once it is reviewed or corrected. A field counts as changed when the value
it ends with differs from the machine's (the ``old`` of its first correction): a reviewer who
sets a value and sets it back changed nothing. ``claims``: a claim's source or figures
changed, or the claim marked wrong. ``linking``: merged or split.
"""
from __future__ import annotations

from typing import Iterable

from ..reconcile import ReconciledIncident

FIELDS = ("event_type", "acled", "date", "location", "perpetrator", "claims", "linking")


def changed_fields(r: ReconciledIncident) -> set[str]:
    first_old: dict[str, object] = {}
    last_new: dict[str, object] = {}
    out: set[str] = set()
    for h in (r.review or {}).get("history") or []:
        if h["action"] in ("merge", "split"):
            out.add("linking")
        elif h["action"] == "set" and h["field"] == "claim":
            old = {k: v for k, v in (h.get("old") or {}).items() if k != "claim"}
            new = {k: v for k, v in (h.get("new") or {}).items() if k != "claim"}
            if new.get("wrong") or any(_figures(new.get(k)) != _figures(old.get(k)) for k in ("killed", "injured")
                                       if k in new) or ("claimed_by" in new and new["claimed_by"] != old.get("claimed_by")):
                out.add("claims")
        elif h["action"] == "set":
            first_old.setdefault(h["field"], h.get("old"))
            last_new[h["field"]] = h.get("new")
    for name, new in last_new.items():
        if not _same(name, first_old[name], new):
            out.add(name)
    return out


def _figures(counts) -> dict:
    return {k: (v.get("low"), v.get("best"), v.get("high")) for k, v in (counts or {}).items()}


def _same(name: str, old, new) -> bool:
    if name == "acled":
        return bool(old) and old.get("sub_event_type") == (new or {}).get("sub_event_type")
    if isinstance(old, dict) and isinstance(new, dict):   # what the reviewer set is what counts
        return all(old.get(k) == v for k, v in new.items())
    return old == new


def accuracy(incidents: Iterable[ReconciledIncident]) -> dict:
    """{"reviewed": n, "fields": {field: {"changed": k, "accuracy": 1 - k/n}}}."""
    reviewed = [r for r in incidents if (r.review or {}).get("status") in ("reviewed", "corrected")]
    counts = {f: 0 for f in FIELDS}
    for r in reviewed:
        for f in changed_fields(r):
            counts[f] += 1
    n = len(reviewed)
    return {"reviewed": n,
            "fields": {f: {"changed": k, "accuracy": None if not n else round(1 - k / n, 4)} for f, k in counts.items()}}


def format_accuracy(report: dict) -> str:
    lines = [f"{report['reviewed']} reviewed incidents", f"{'field':<12} {'changed':>7} {'accuracy':>8}"]
    for f, v in report["fields"].items():
        acc = "-" if v["accuracy"] is None else f"{v['accuracy']:.1%}"
        lines.append(f"{f:<12} {v['changed']:>7} {acc:>8}")
    return "\n".join(lines)


__all__ = ["accuracy", "changed_fields", "format_accuracy", "FIELDS"]
