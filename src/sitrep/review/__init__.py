"""Review: analysts' corrections as an overlay with history, applied wherever incidents are read.

    from sitrep import review
    reviewed = review.reconciled(store)          # every reconciled incident, corrections applied
    c = review.correction("set", target_keys, author="ana", field="location", new={...}, old=...)
    store.add_corrections([c])

``reconciled`` is the one place the overlay is applied: `sitrep incidents`, `sitrep export`
and the incident index (hence the HTTP API and the page) all read through it. The rules are
in :mod:`.overlay`; what may be corrected, and how values are checked, in :mod:`.fields`.
"""
from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from ..store import Store
from ..store.model import Correction, LinkedIncident, StoredIncident
from .fields import ACLED_SUB_EVENTS, FIELDS, check, check_note
from .overlay import STATUSES, Reviewed, apply, claim_key, claim_keys, extend_review, status

ACTIONS = ("set", "review", "note", "merge", "split")


def reconciled(store: Store, links: list[LinkedIncident] | None = None,
               incidents: list[StoredIncident] | None = None) -> Reviewed:
    """The store's reconciled incidents with its corrections applied (``links`` and
    ``incidents``: what the caller has read of the store already)."""
    links = store.links() if links is None else links
    incidents = store.incidents() if incidents is None else incidents
    corrections = store.corrections()
    keys = store.incident_keys() if corrections else {}
    return apply(links, incidents, keys, corrections)


def correction(action: str, target: list[str], *, author: str, field: str | None = None,
               new: Any = None, old: Any = None, note: str | None = None,
               created_at: str | None = None, uid: str | None = None) -> Correction:
    """A new correction, checked: ValueError names what is wrong."""
    if action not in ACTIONS:
        raise ValueError(f"action: unknown action {action!r} (one of {', '.join(ACTIONS)})")
    if not target or not all(isinstance(k, str) and ":" in k for k in target):
        raise ValueError("target: the member keys ('<article hash>:<position>') of the incident")
    if not isinstance(author, str) or not author.strip() or len(author) > 100:
        raise ValueError("author: a reviewer name of 1 to 100 characters")
    if action == "set":
        new = check(field or "", new)
    elif action in ("merge", "split"):
        if not isinstance(new, list) or not new or not all(isinstance(k, str) and ":" in k for k in new):
            raise ValueError(f"{action}: the member keys of the incidents concerned")
        field = None
    else:
        field, new = None, None
    note = check_note(note)
    if action == "note" and not note:
        raise ValueError("note: required")
    return Correction(action=action, target=list(target), author=author.strip(),
                      created_at=created_at or dt.datetime.now(dt.timezone.utc).isoformat(timespec="milliseconds"),
                      uid=uid or uuid.uuid4().hex, field=field, old=old, new=new, note=note)


def from_dict(d: Any) -> Correction:
    """A correction from its JSON (``Correction.to_dict``; a corrections export), checked."""
    if not isinstance(d, dict):
        raise ValueError("not a JSON object")
    for key in ("uid", "created_at"):
        if not isinstance(d.get(key), str) or not d[key].strip():
            raise ValueError(f"{key}: required")
    try:
        dt.datetime.fromisoformat(d["created_at"])
    except ValueError:
        raise ValueError(f"created_at: not an ISO 8601 time: {d['created_at']!r}") from None
    return correction(d.get("action"), d.get("target"), author=d.get("author"), field=d.get("field"),
                      new=d.get("new"), old=d.get("old"), note=d.get("note"),
                      created_at=d["created_at"], uid=d["uid"])


__all__ = ["reconciled", "correction", "from_dict", "apply", "extend_review", "Reviewed", "STATUSES", "ACTIONS", "FIELDS",
           "ACLED_SUB_EVENTS", "check", "status", "claim_key", "claim_keys"]
