"""Analysts' corrections laid over the machine's reconciled incidents, at read time.

    reviewed = apply(links, incidents, keys, corrections)
    reviewed.incidents     # what reconcile_all gives, with every correction applied
    reviewed.orphans       # corrections whose incident is gone: listed for review, never dropped

Nothing stored is changed: the extracted incidents and the links stay as the machine made
them, and each correction is applied again every time the incidents are reconciled. That is
what lets a correction survive re-extraction by a newer extractor and re-linking: it names
its incident by member keys (``'<article content hash>:<position>'``), and here it goes to the
incident that now holds most of those members (or, when a newer extractor renumbered an
article's incidents, most of those articles).

In order: merges and splits regroup the linked incidents (in the order they were made); claim
corrections change copies of the member incidents' claims (so that low/best/high and the
flags follow them); everything is reconciled; then each field correction sets its field, the
later of two on one field winning. Each incident carries ``review``: its status
("reviewed" when confirmed, "corrected" when anything was changed), the fields changed, its
history (every correction that reached it, in order) and the ACLED coding a reviewer set.
"""
from __future__ import annotations

import copy
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from ..reconcile import Attribution, ReconciledIncident, reconcile_all, reconcile_groups
from ..records import Count, Location
from ..store.model import REVIEW_STATUSES as STATUSES, Correction, LinkedIncident, StoredIncident

STRUCTURAL = ("merge", "split")


@dataclass
class Reviewed:
    incidents: list[ReconciledIncident]
    orphans: list[Correction] = field(default_factory=list)


def status(r: ReconciledIncident) -> str:
    return (r.review or {}).get("status") or "unreviewed"


def claim_key(member_key: str, position: int) -> str:
    return f"{member_key}/{position}"


def apply(links: list[LinkedIncident], incidents: list[StoredIncident], keys: dict[int, str],
          corrections: list[Correction]) -> Reviewed:
    """The reconciled incidents of ``links`` over ``incidents`` (as ``reconcile_all``) with
    ``corrections`` (in order) applied; ``keys``: stored incident pk -> member key."""
    if not corrections:
        return Reviewed(reconcile_all(links, incidents))
    groups = _Groups(links, incidents, keys)
    orphans: list[Correction] = []
    applied: dict[int, list[Correction]] = defaultdict(list)   # group id -> corrections
    for c in corrections:
        if c.action in STRUCTURAL:
            touched = groups.merge(c) if c.action == "merge" else groups.split(c)
            if touched is None:
                orphans.append(c)
            for gid in touched or ():
                applied[gid].append(c)
    by_pk = {si.pk: si for si in incidents}
    wrong: dict[int, set[int]] = defaultdict(set)             # incident pk -> claims marked wrong
    edits: dict[tuple[int, int], dict] = {}                    # (incident pk, claim) -> what is set
    for c in corrections:
        if c.action == "set" and c.field == "claim":
            pk_pos = _claim_target(c, groups.pk_of_key)
            if pk_pos is None or pk_pos[0] not in by_pk or pk_pos[1] >= len(by_pk[pk_pos[0]].incident.claims):
                orphans.append(c)
                continue
            # each part the later correction gives wins, on the machine's claim (so that a
            # claim marked wrong and then right again has its figures back)
            edits.setdefault(pk_pos, {}).update({k: v for k, v in c.new.items() if k != "claim"})
    for (pk, position), edit in edits.items():
        by_pk[pk] = _corrected_claim(by_pk[pk], position, edit, wrong)
    out = reconcile_groups(groups.links(), by_pk)
    by_id = {r.id: r for r in out}
    unapplied = {c.uid for c in orphans}   # claims gone: listed once, and in no history
    for c in corrections:
        if c.action in STRUCTURAL or c.uid in unapplied:
            continue
        gid = groups.find(c.target)
        if gid is None or gid not in by_id:
            orphans.append(c)
            continue
        applied[gid].append(c)
    for gid, cs in applied.items():
        r = by_id.get(gid)
        if r is not None:
            _review(r, sorted(cs, key=lambda c: c.seq or 0), keys, by_pk, wrong)
    orphans.sort(key=lambda c: c.seq or 0)
    return Reviewed(out, orphans)


class _Groups:
    """The linked incidents (lone incidents included, numbered as ``reconcile_all`` numbers
    them: by their smallest member), regrouped by merges and splits (a merge keeps the
    smaller id, which is the smallest member of both; a split-off part is numbered after
    every other)."""

    def __init__(self, links: list[LinkedIncident], incidents: list[StoredIncident], keys: dict[int, str]) -> None:
        present = {si.pk for si in incidents}
        self.article_of = {si.pk: si.article_pk for si in incidents}
        self.pk_of_key = {k: pk for pk, k in keys.items() if pk in present}
        self.pks_of_hash: dict[str, list[int]] = defaultdict(list)
        for k, pk in self.pk_of_key.items():
            self.pks_of_hash[k.split(":", 1)[0]].append(pk)
        self.groups: dict[int, LinkedIncident] = {}
        held: set[int] = set()
        for link in links:
            members = [pk for pk in link.members if pk in present]
            held.update(link.members)
            if members:
                self.groups[min(members)] = LinkedIncident(min(members), members,
                                                           [list(g) for g in link.wire_groups])
        for pk in sorted(present - held):
            self.groups[pk] = LinkedIncident(pk, [pk])
        self.where = {pk: gid for gid, g in self.groups.items() for pk in g.members}
        self.next_id = max(self.groups, default=0) + 1

    def links(self) -> list[LinkedIncident]:
        return list(self.groups.values())

    def find(self, target: list[str]) -> int | None:
        """The group holding most of the members ``target`` names; failing any, most of its
        articles' incidents (a newer extractor may have renumbered them); ties: the lower id."""
        votes = Counter(self.where[self.pk_of_key[k]] for k in target if k in self.pk_of_key)
        if not votes:
            votes = Counter(self.where[pk] for h in {str(k).split(":", 1)[0] for k in target}
                            for pk in self.pks_of_hash.get(h, ()))
        if not votes:
            return None
        return min(votes, key=lambda gid: (-votes[gid], gid))

    def merge(self, c: Correction) -> list[int] | None:
        a, b = self.find(c.target), self.find(list(c.new or []))
        if a is None or b is None:
            return None
        if a != b:   # (equal: re-linking has joined them already)
            keep, gone = min(a, b), max(a, b)
            g, other = self.groups[keep], self.groups.pop(gone)
            g.members += other.members
            g.wire_groups += other.wire_groups
            for pk in other.members:
                self.where[pk] = keep
            a = keep
        return [a]

    def split(self, c: Correction) -> list[int] | None:
        gid = self.find(c.target)
        if gid is None:
            return None
        g = self.groups[gid]
        out = [pk for pk in (self.pk_of_key.get(k) for k in c.new or []) if pk in g.members]
        if not out:
            return None
        if len(out) == len(g.members):   # nothing would be left: it stands alone already
            return [gid]
        nid = self.next_id
        self.next_id += 1
        g.members = [pk for pk in g.members if pk not in out]
        articles = {self.article_of[pk] for pk in out}
        self.groups[nid] = LinkedIncident(nid, out, [w for w in g.wire_groups if len(articles.intersection(w)) > 1])
        for pk in out:
            self.where[pk] = nid
        return [gid, nid]


def _claim_target(c: Correction, pk_of_key: dict[str, int]) -> tuple[int, int] | None:
    ref = str((c.new or {}).get("claim") or "")
    member, _, position = ref.rpartition("/")
    if member not in pk_of_key or not position.isdigit():
        return None
    return pk_of_key[member], int(position)


def _corrected_claim(si: StoredIncident, position: int, new: dict, wrong: dict[int, set[int]]) -> StoredIncident:
    """A copy of ``si`` with its claim at ``position`` corrected as ``new`` says."""
    out = copy.copy(si)
    out.incident = copy.copy(si.incident)
    out.incident.claims = list(si.incident.claims)
    claim = copy.copy(out.incident.claims[position])
    if "claimed_by" in new:
        claim.claimed_by = new["claimed_by"]
    for group in ("killed", "injured"):
        if group in new:
            setattr(claim, group, {k: Count(v.get("low"), v.get("best"), v.get("high"), "corrected by a reviewer")
                                   for k, v in new[group].items()})
    if new.get("wrong"):
        # A wrong claim stays listed with its evidence but counts for nothing.
        wrong[si.pk].add(position)
        claim.killed, claim.injured, claim.denial = {}, {}, False
    out.incident.claims[position] = claim
    return out


def claim_keys(members: list[int], keys: dict[int, str], by_pk: dict[int, StoredIncident]) -> list[str]:
    """The key of each claim of a reconciled incident whose ``members`` are given, in the order
    of its ``claims`` (reconciliation lists each member's claims in member order)."""
    return [claim_key(keys.get(pk, ""), j) for pk in members if pk in by_pk
            for j in range(len(by_pk[pk].incident.claims))]


def _review(r: ReconciledIncident, cs: list[Correction], keys: dict[int, str],
            by_pk: dict[int, StoredIncident], wrong: dict[int, set[int]]) -> None:
    corrected: list[str] = []
    acled = None
    for c in cs:
        if c.action in STRUCTURAL:
            corrected.append(c.action)
        elif c.action == "set":
            corrected.append("claims" if c.field == "claim" else c.field or "")
            acled = _set(r, c, acled)
    wrong_keys = {claim_key(keys.get(pk, ""), j) for pk, js in wrong.items() for j in js}
    r.review = {
        "status": _status(corrected, any(c.action == "review" for c in cs)),
        "corrected": sorted(set(corrected)),
        "acled": acled,
        "wrong_claims": [i for i, k in enumerate(claim_keys(r.members, keys, by_pk)) if k in wrong_keys],
        "history": [c.to_dict() for c in cs],
    }


def _status(corrected: list[str], confirmed: bool) -> str:
    return "corrected" if corrected else "reviewed" if confirmed else "unreviewed"


def extend_review(review: dict | None, c: Correction) -> dict:
    """An incident's ``review`` after one more confirmation or note ``c``, the latest of all:
    what ``apply`` gives (they change nothing else, so the incident need not be reconciled
    again)."""
    if c.action not in ("review", "note"):
        raise ValueError(f"only a confirmation or a note extends a review, not {c.action!r}")
    old = review or {"corrected": [], "acled": None, "wrong_claims": [], "history": []}
    history = [*old["history"], c.to_dict()]
    return {"status": _status(old["corrected"], any(h["action"] == "review" for h in history)),
            "corrected": old["corrected"], "acled": old["acled"], "wrong_claims": old["wrong_claims"],
            "history": history}


def _set(r: ReconciledIncident, c: Correction, acled: dict | None) -> dict | None:
    """Apply one "set" correction to ``r``; the ACLED coding as it now stands."""
    v = c.new
    if c.field == "event_type":
        r.event_type = v
    elif c.field == "acled":
        # the reviewer's coding is the incident's: filters, the index and exports read it
        r.disorder_type, r.acled_event_type, r.sub_event_type = (
            v["disorder_type"], v["acled_event_type"], v["sub_event_type"])
        return dict(v)
    elif c.field == "date":
        r.date, r.date_end, r.date_precision = v["date"], v.get("date_end"), v["date_precision"]
    elif c.field == "location":
        r.location = Location.from_dict(v)
    elif c.field == "perpetrator":
        # The reviewer's word settles who did it: no source stands behind it, and no dispute remains.
        r.perpetrators = [Attribution(actor=name) for name in v]
        r.flags = [f for f in r.flags if f != "perpetrator_disputed"]
    return acled


__all__ = ["apply", "extend_review", "Reviewed", "STATUSES", "status", "claim_key", "claim_keys"]
