"""The records of the output contract (spec/incidents.md), as plain typed data classes.

Every stage imports these and nothing else from its neighbours. Each record converts to and
from the spec's JSON shape (``to_dict`` / ``from_dict``) so that a record survives a round
trip through JSON unchanged.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .knowledge.event_types import event_types

EVENT_TYPES = tuple(event_types())  # the spec's order (knowledge/event_types.yaml)
DATE_PRECISIONS = ("day", "range", "month", "year", "report", "unknown")
PLACE_PRECISIONS = ("point", "town", "district", "admin1", "country")
PRECISION_RANK = {p: i for i, p in enumerate(PLACE_PRECISIONS)}  # finer places rank lower
VICTIM_CATEGORIES = ("total", "civilians", "children", "women", "combatants")

FAKES_LOCATIONS = (
    "aleppo", "damascus", "idlib", "deir ezzor", "raqqa", "homs", "hasakeh", "hama", "daraa",
    "lattakia", "quneitra", "tartous", "suwayda",
)
FAKES_ACTORS = (
    "syrian government or russian troops",
    "the organization of the islamic state in iraq and the levant - isis",
    "international coalition forces", "armed opposition groups", "self administration forces",
    "al-nusra front", "unknown",
)
FAKES_CAUSES = ("shelling", "explosion", "chemical and toxic gases", "shooting", "execution", "unknown")


@dataclass
class Article:
    """One input article, as the readers produce it."""

    article_id: str
    text: str
    title: str | None = None
    published: str | None = None  # ISO date, YYYY-MM-DD
    outlet: str | None = None
    source: str | None = None  # where it came from: "path", "path:row 12", "-"
    published_from: str | None = None  # "dateline", "metadata", "option" or None


@dataclass
class Span:
    start: int
    end: int
    text: str

    def to_dict(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end, "text": self.text}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "Span":
        return cls(int(d["start"]), int(d["end"]), d.get("text", ""))


@dataclass
class Count:
    low: int | None = None
    best: int | None = None
    high: int | None = None
    text: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"low": self.low, "best": self.best, "high": self.high, "text": self.text}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "Count":
        return cls(d.get("low"), d.get("best"), d.get("high"), d.get("text", ""))

    def value(self) -> int | None:
        """The single figure to compare or sum: best, else low, else high."""
        for v in (self.best, self.low, self.high):
            if v is not None:
                return v
        return None


def _counts_to_dict(counts: dict[str, Count]) -> dict[str, Any]:
    return {k: counts[k].to_dict() for k in VICTIM_CATEGORIES if k in counts}


def _counts_from_dict(d: dict[str, Any] | None) -> dict[str, Count]:
    return {k: Count.from_dict(v) for k, v in (d or {}).items()}


@dataclass
class Claim:
    claimed_by: str
    killed: dict[str, Count] = field(default_factory=dict)
    injured: dict[str, Count] = field(default_factory=dict)
    denial: bool = False
    evidence: list[Span] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "claimed_by": self.claimed_by,
            "killed": _counts_to_dict(self.killed),
            "injured": _counts_to_dict(self.injured),
            "denial": self.denial,
            "evidence": [e.to_dict() for e in self.evidence],
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "Claim":
        return cls(
            claimed_by=d["claimed_by"],
            killed=_counts_from_dict(d.get("killed")),
            injured=_counts_from_dict(d.get("injured")),
            denial=bool(d.get("denial", False)),
            evidence=[Span.from_dict(e) for e in d.get("evidence", [])],
        )


@dataclass
class Location:
    name: str
    admin1: str | None = None
    country: str | None = None  # ISO 3166 alpha-2
    lat: float | None = None
    lon: float | None = None
    precision: str = "town"

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "admin1": self.admin1, "country": self.country,
                "lat": self.lat, "lon": self.lon, "precision": self.precision}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "Location":
        return cls(d.get("name") or "", d.get("admin1"), d.get("country"), d.get("lat"),
                   d.get("lon"), d.get("precision") or "town")


@dataclass
class Incident:
    event_type: str
    date: str | None
    date_end: str | None
    date_precision: str
    location: Location
    perpetrator: list[str]
    target: str | None = None
    claims: list[Claim] = field(default_factory=list)
    # ACLED's coding beside sitrep's own type (spec "ACLED typology"), ACLED's exact spellings
    disorder_type: str | None = None
    acled_event_type: str | None = None
    sub_event_type: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "event_type": self.event_type,
            "disorder_type": self.disorder_type,
            "acled_event_type": self.acled_event_type,
            "sub_event_type": self.sub_event_type,
            "date": self.date,
            "date_end": self.date_end,
            "date_precision": self.date_precision,
            "location": self.location.to_dict(),
            "perpetrator": list(self.perpetrator),
            "target": self.target,
            "claims": [c.to_dict() for c in self.claims],
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "Incident":
        return cls(
            event_type=d["event_type"],
            date=d.get("date"),
            date_end=d.get("date_end"),
            date_precision=d.get("date_precision") or "unknown",
            location=Location.from_dict(d.get("location") or {}),
            perpetrator=list(d.get("perpetrator") or ["unknown"]),
            target=d.get("target"),
            claims=[Claim.from_dict(c) for c in d.get("claims", [])],
            disorder_type=d.get("disorder_type"),
            acled_event_type=d.get("acled_event_type"),
            sub_event_type=d.get("sub_event_type"),
        )


def incident_figures(inc: "Incident") -> tuple[int | None, int | None, int | None, int | None]:
    """Killed low, best (the lowest best any claim gives), high, and injured best of an
    incident across its claims: the one-line figures of tables, CSV rows and the store."""
    killed = [c.killed["total"] for c in inc.claims if "total" in c.killed]
    injured = [c.injured["total"] for c in inc.claims if "total" in c.injured]
    lows = [k.low for k in killed if k.low is not None]
    bests = [k.value() for k in killed if k.value() is not None]
    highs = [k.high for k in killed if k.high is not None]
    inj = [k.value() for k in injured if k.value() is not None]
    return (min(lows) if lows else None, min(bests) if bests else None,
            max(highs) if highs else None, min(inj) if inj else None)


@dataclass
class Summary:
    date: str | None = None
    location: str = ""
    actor: str = "unknown"
    cause_of_death: str = "unknown"
    nb_civilians: int = 0
    nb_children: int = 0
    nb_women: int = 0
    nb_noncivilians: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {"date": self.date, "location": self.location, "actor": self.actor,
                "cause_of_death": self.cause_of_death, "nb_civilians": self.nb_civilians,
                "nb_children": self.nb_children, "nb_women": self.nb_women,
                "nb_noncivilians": self.nb_noncivilians}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "Summary":
        return cls(**{k: d[k] for k in cls.__dataclass_fields__ if k in d})


@dataclass
class ArticleRecord:
    """What ``extract`` emits for one article: exactly the spec's four fields."""

    article_id: str
    published: str | None
    incidents: list[Incident] = field(default_factory=list)
    summary: Summary = field(default_factory=Summary)

    def to_dict(self) -> dict[str, Any]:
        return {
            "article_id": self.article_id,
            "published": self.published,
            "incidents": [i.to_dict() for i in self.incidents],
            "summary": self.summary.to_dict(),
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "ArticleRecord":
        return cls(
            article_id=str(d["article_id"]),
            published=d.get("published"),
            incidents=[Incident.from_dict(i) for i in d.get("incidents", [])],
            summary=Summary.from_dict(d.get("summary") or {}),
        )
