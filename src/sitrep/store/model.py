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
