"""What the database holds, as plain data classes shared by the stages after `store`.

`link`, `reconcile`, `verify` and `export` read these and know nothing of SQL; the store
turns them into rows and back.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from ..records import Incident, Summary


@dataclass
class StoredArticle:
    pk: int                    # the store's own key
    article_id: str            # the input's own id (FA-KES: unit_id); not unique across inputs
    content_hash: str          # sha256 of the normalised text: the identity of an article
    text: str
    title: str | None = None
    published: str | None = None
    outlet: str | None = None
    source: str | None = None
    extractor_version: str = ""
    summary: Summary | None = None


@dataclass
class StoredIncident:
    pk: int                    # the store's own key of this incident
    article_pk: int
    article_id: str
    outlet: str | None
    published: str | None
    index: int                 # position of the incident in its article's record
    incident: Incident


@dataclass
class LinkedIncident:
    """One real-world act: the incidents of several articles that report it."""

    id: int
    members: list[int]                                      # StoredIncident.pk
    wire_groups: list[list[int]] = field(default_factory=list)  # article pks that are copies of one wire story


@dataclass
class ReferenceRecord:
    """One record of a reference database (ACLED, UCDP GED, VDC victims, VDC daily totals)."""

    source: str                # "acled" | "ucdp" | "vdc" | "vdc-daily" | "airwars" | ...
    ref_id: str
    date: str | None
    date_end: str | None = None
    country: str | None = None  # ISO alpha-2
    admin1: str | None = None
    place: str | None = None
    lat: float | None = None
    lon: float | None = None
    event_type: str | None = None
    actor: str | None = None
    killed_low: int | None = None
    killed_best: int | None = None
    killed_high: int | None = None
    civilians: int | None = None
    raw: dict = field(default_factory=dict)


@dataclass
class Verification:
    article_pk: int
    article_id: str
    score: float               # 0..1, 1 = fits everything known
    reasons: list[dict] = field(default_factory=list)  # {"kind": ..., "detail": ..., "weight": ...}


# --- the reconciled-incident index (migrations 0002, 0004; built by sitrep.incident_index) -

@dataclass
class IndexedIncident:
    """One reconciled incident as the index stores it: filter columns and its JSON."""

    id: int
    event_type: str
    date: str | None
    date_end: str | None
    date_precision: str
    place: str | None
    admin1: str | None
    country: str | None
    lat: float | None
    lon: float | None
    perpetrator: str
    actors: list[str]          # every perpetrator's name, lower-cased
    place_keys: list[str]      # what place needles are matched against (sitrep.incident_index)
    killed: int | None
    injured: int | None
    number_of_sources: int
    n_reports: int
    disputed: bool
    flags: list[str]
    summary: dict              # the list item the API returns
    payload: dict              # ReconciledIncident.to_dict()
    members: list[tuple[int, int]] = field(default_factory=list)  # (article_pk, incident_pk)
    sub_event_type: str | None = None  # ACLED's (reconciled)
    review_status: str = "unreviewed"  # one of REVIEW_STATUSES (sitrep.review)
    grouping: str = ""         # its members and wire groups as JSON ("": not from one link)
    # what it gives each outlet's statistics: (outlet, member, figures, agreeing, disagrees)
    outlets: list[tuple[str, bool, int, int, bool]] = field(default_factory=list)


@dataclass
class OutletStats:
    outlet: str
    articles: int              # stored articles of this outlet
    figures: int               # its current killed figures compared with a reconciled figure
    agreeing: int              # ... of which agree (not reconcile.figures_disagree)
    wire_copies: int           # its articles that sit in a wire group with another article
    # JSON-able: {"partners": {outlet: n}, "disagreements": [reconciled ids], "wire": [[article ids]]}
    detail: dict = field(default_factory=dict)


@dataclass
class IndexExtension:
    """What ``Store.index_extension`` finds when a current index can take new articles
    without a rebuild (``sitrep.incident_index.add_articles``)."""

    article_pks: list[int]     # the new articles, ascending (above every other key)
    incident_pks: list[int]    # their stored incidents, ascending (above every other key)
    version: str               # the store's fingerprint now: the index's version once extended


@dataclass
class IncidentQuery:
    """The filters of the index (``Store.query_index`` and friends); every one given must hold.

    Build ``place_needles`` and the actor fields from user text with
    ``sitrep.incident_index.place_needles`` and ``actor_filter``: they give the semantics of
    ``sitrep.reconcile.select``.
    """

    since: str | None = None          # YYYY-MM-DD inclusive; kept if [date, date_end or date] overlaps
    until: str | None = None
    country: str | None = None        # ISO alpha-2, compared upper-case
    admin1: str | None = None         # compared case-insensitively
    place_needles: tuple[str, ...] = ()   # any one a substring of place_keys
    actor_exact: str | None = None    # lower-cased: one of actors exactly ('|' separates alternatives)
    actor_substring: str | None = None  # lower-cased: a substring of actors
    event_types: tuple[str, ...] = ()
    sub_event_types: tuple[str, ...] = ()  # ACLED's spellings
    disputed: bool = False
    min_killed: int | None = None
    review_status: tuple[str, ...] = ()   # any of these ("unreviewed", "reviewed", "corrected")


# --- analysts' corrections (migration 0005; applied by sitrep.review) ------------------------

# An incident nobody has looked at; one confirmed as it stands; one with anything changed.
REVIEW_STATUSES = ("unreviewed", "reviewed", "corrected")

@dataclass
class Correction:
    """One change an analyst made to one reconciled incident, kept beside the machine's record.

    ``target``: the incident's member keys (``'<article content hash>:<position>'``, what
    ``Store.incident_keys`` gives), which survive re-extraction and re-linking. ``action``:
    "set" (``field`` given ``new``), "review" (confirmed as it stands), "note", "merge" (``new``:
    the member keys of the incident merged into this one) or "split" (``new``: the member keys
    taken out of it, to stand as one incident of their own)."""

    action: str
    target: list[str]
    author: str
    created_at: str                 # ISO 8601, UTC
    uid: str                        # identity across databases
    field: str | None = None
    old: object = None              # JSON-able
    new: object = None              # JSON-able
    note: str | None = None
    seq: int | None = None          # the store's order; None until stored

    def to_dict(self) -> dict:
        return {"uid": self.uid, "seq": self.seq, "action": self.action, "field": self.field,
                "target": list(self.target), "old": self.old, "new": self.new, "note": self.note,
                "author": self.author, "created_at": self.created_at}
