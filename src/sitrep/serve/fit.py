"""How an article that is not stored fits the database: for each incident extracted from it,
the reconciled incidents that may be the same act.

Candidates are the indexed incidents near it in time and place: their dates within a day of
its own (an incident dated only to its report, or not to a day, is looked for over the
``REPORT_DAYS`` before publication) in its country, and there at the same named place,
within ``NEAR_KM`` of it, in the same first-level division, or anywhere when either side is
known only to the country. Each candidate is scored as the linker scores a pair of incidents
(:func:`sitrep.link.scoring.part_scores`: event type, perpetrator, killed figures, evidence
wording, the articles' leads, place and date, weighted to a score in [0, 1]) against each of
its member incidents, keeping the best; from ``LINK_THRESHOLD`` on, a pair is as alike as the
pairs ``sitrep link`` joins. Whether the figures agree is reconciliation's rule
(:func:`sitrep.reconcile.figures_disagree`) between the incident's killed figure and the
candidate's. The reasons say, in words, what each part of the score found.
"""
from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field

import numpy as np

from ..knowledge.names import name_key
from ..link.blocking import distance_km
from ..link.features import from_incidents
from ..link.scoring import DEFAULT, combine, part_scores
from ..reconcile import ReconciledIncident, figures_disagree, reconcile
from ..records import Article, ArticleRecord, Incident
from ..store import Store
from ..store.model import IncidentQuery, LinkedIncident, StoredArticle, StoredIncident

NEAR_KM = 50.0          # places farther apart than this are not candidates (unless vague)
REPORT_DAYS = 2         # an act not dated to a day: the days before publication
MAX_CANDIDATES = 200    # reconciled incidents scored per extracted incident at most
MAX_FITS = 5            # candidates returned per extracted incident
LINK_THRESHOLD = DEFAULT.threshold


@dataclass
class Candidate:
    id: int
    score: float
    figures_agree: bool | None
    reasons: list[str] = field(default_factory=list)


def _day(s: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(s[:10]) if s else None
    except ValueError:
        return None


def window(inc: Incident, published: str | None) -> tuple[str, str] | None:
    """The days to look in: the incident's span widened by a day; else before publication."""
    d0 = _day(inc.date)
    if d0 is not None and inc.date_precision in ("day", "range", "report"):
        d1 = max(d0, _day(inc.date_end) or d0) if inc.date_precision == "range" else d0
        if inc.date_precision == "report":
            d0 -= dt.timedelta(days=1)
        if (d1 - d0).days <= 7:
            return (d0 - dt.timedelta(days=1)).isoformat(), (d1 + dt.timedelta(days=1)).isoformat()
    p = _day(published)
    if p is None:
        return None
    return (p - dt.timedelta(days=REPORT_DAYS)).isoformat(), p.isoformat()


def _near(inc: Incident, loc: dict) -> bool:
    mine = inc.location
    if mine.precision == "country" or loc.get("precision") == "country":
        return True
    if mine.name and loc.get("name") and name_key(mine.name) == name_key(loc["name"]):
        return True
    if mine.admin1 and loc.get("admin1") and name_key(mine.admin1) == name_key(loc["admin1"]):
        return True
    if None not in (mine.lat, mine.lon, loc.get("lat"), loc.get("lon")):
        d = float(distance_km(np.float64(mine.lat), np.float64(mine.lon),
                              np.float64(loc["lat"]), np.float64(loc["lon"])))
        return d <= NEAR_KM
    return False


def candidates(store: Store, inc: Incident, published: str | None) -> list[dict]:
    """Payloads of the indexed incidents near ``inc`` in time and place (closest days first)."""
    days = window(inc, published)
    if days is None:
        return []
    country = (inc.location.country or "").upper() or None
    q = IncidentQuery(since=days[0], until=days[1], country=country)
    found = [p for p in store.index_payloads(q) if _near(inc, p.get("location") or {})]
    target = _day(inc.date) or _day(published)
    found.sort(key=lambda p: (abs(((_day(p.get("date")) or target) - target).days), p["id"]))
    return found[:MAX_CANDIDATES]


def killed_figure(si: StoredIncident) -> int | None:
    """The incident's killed figure by reconciliation's rule (as the candidates' figures are)."""
    return reconcile(LinkedIncident(0, [si.pk]), {si.pk: si}).killed_figure()


def fit_record(store: Store, article: Article, record: ArticleRecord) -> list[dict]:
    """One item per incident of ``record``: ``{"incident": i, "candidates": [...]}``."""
    new = [StoredIncident(pk=-(i + 1), article_pk=-1, article_id=record.article_id, outlet=article.outlet,
                          published=record.published, index=i, incident=inc)
           for i, inc in enumerate(record.incidents)]
    found = [candidates(store, si.incident, record.published) for si in new]
    member_pks = sorted({int(m) for payloads in found for p in payloads for m in p.get("members") or []})
    members = store.stored_incidents(member_pks) if member_pks else []
    leads: dict[int, StoredArticle] = {-1: StoredArticle(pk=-1, article_id=record.article_id, content_hash="",
                                                         text=article.text, title=article.title)}
    for pk in sorted({si.article_pk for si in members}):
        a = store.article(pk)
        if a is not None:
            leads[pk] = a
    rows = new + members
    table, _ = from_incidents(rows, leads)
    row_of = {si.pk: r for r, si in enumerate(rows)}
    out = []
    for k, (si, payloads) in enumerate(zip(new, found)):
        mine = killed_figure(si)
        scored = [_score(table, row_of, k, si, p, mine) for p in payloads]
        scored = [c for c in scored if c is not None and c.score > 0]
        scored.sort(key=lambda c: (-c.score, c.id))
        out.append({"incident": k, "candidates": [
            {"id": c.id, "summary": _summary(store, c.id), "score": round(c.score, 3),
             "figures_agree": c.figures_agree, "reasons": c.reasons} for c in scored[:MAX_FITS]]})
    return out


def _summary(store: Store, iid: int) -> dict | None:
    found = store.index_incident(iid)
    return found[0] if found else None


def _score(table, row_of: dict[int, int], k: int, si: StoredIncident, payload: dict,
           mine: int | None) -> Candidate | None:
    rows = [row_of[int(m)] for m in payload.get("members") or [] if int(m) in row_of]
    if not rows:
        return None
    i = np.full(len(rows), k, dtype=np.int64)
    j = np.array(rows, dtype=np.int64)
    parts = part_scores(table, i, j)
    scores = combine(parts)
    best = int(np.argmax(scores))
    part = {name: float(v[best]) for name, v in parts.items()}
    theirs = ReconciledIncident.from_dict(payload).killed_figure()
    agree = None if mine is None or theirs is None else not figures_disagree(mine, theirs)
    score = float(scores[best])
    return Candidate(int(payload["id"]), score, agree, reasons(si.incident, payload, part, mine, theirs, agree, score))


def reasons(inc: Incident, payload: dict, part: dict[str, float], mine: int | None,
            theirs: int | None, agree: bool | None, score: float) -> list[str]:
    out: list[str] = []
    a, b = _words(inc.event_type), _words(payload.get("event_type") or "other")
    if part["etype"] >= 1.0:
        out.append(f"same event type ({a})")
    elif part["etype"] > 0:
        out.append(f"related event types ({a}, {b})")
    else:
        out.append(f"event types that cannot be one act ({a}, {b})")
    out.append(_date_reason(inc, payload, part["date"]))
    out.append(_place_reason(inc, payload.get("location") or {}, part["place"]))
    perps = [p["actor"] for p in payload.get("perpetrators") or [] if p.get("actor") != "unknown"]
    ours = [p for p in inc.perpetrator if p and p != "unknown"]
    if part["perp"] >= 1.0:
        out.append(f"same perpetrator ({', '.join(sorted(set(ours) & set(perps))) or ours[0]})")
    elif part["perp"] >= 0.6:
        out.append(f"perpetrators on one side ({', '.join(ours)}; {', '.join(perps)})")
    elif ours and perps:
        out.append(f"perpetrators of different sides ({', '.join(ours)}; {', '.join(perps)})")
    else:
        out.append("the perpetrator is unknown on one side")
    if agree is None:
        out.append("no killed figure to compare" if mine is None and theirs is None else
                   f"killed: {_n(mine)} here, {_n(theirs)} in the database")
    else:
        out.append(f"killed: {mine} here, {theirs} in the database "
                   f"({'the figures agree' if agree else 'the figures disagree'})")
    if part["text"] > 0.05:
        out.append(f"similar evidence wording ({part['text']:.2f})")
    if score >= LINK_THRESHOLD:
        out.append(f"as alike as incidents that sitrep link joins (score {score:.2f}, the linker's "
                   f"threshold {LINK_THRESHOLD:.2f})")
    return out


def _n(v: int | None) -> str:
    return "none" if v is None else str(v)


def _words(event_type: str) -> str:
    return event_type.replace("_", " ")


def _date_reason(inc: Incident, payload: dict, date_part: float) -> str:
    theirs = payload.get("date") or "undated"
    if inc.date_precision not in ("day", "range", "report") or not inc.date:
        return f"the article gives no day for it (the database has {theirs})"
    if date_part >= 1.0:
        return f"same day ({inc.date})"
    if date_part > 0:
        return f"overlapping dates ({inc.date}; {theirs})"
    return f"a day or more apart ({inc.date}; {theirs})"


def _place_reason(inc: Incident, loc: dict, place_part: float) -> str:
    mine, theirs = inc.location.name or "?", loc.get("name") or "?"
    if place_part >= 1.0:
        return f"same place ({mine})"
    if place_part >= 0.8:
        return f"same place name, one of them less precise ({mine}; {theirs})"
    where = f"{mine}; {theirs}"
    if None not in (inc.location.lat, inc.location.lon, loc.get("lat"), loc.get("lon")):
        d = float(distance_km(np.float64(inc.location.lat), np.float64(inc.location.lon),
                              np.float64(loc["lat"]), np.float64(loc["lon"])))
        if math.isfinite(d):
            where += f", {d:.0f} km apart"
    same_admin1 = bool(inc.location.admin1) and inc.location.admin1 == loc.get("admin1")
    vague = "admin1" in (inc.location.precision, loc.get("precision"))
    if place_part > 0 and same_admin1 and vague:
        return f"same first-level division ({inc.location.admin1}; {where})"
    if place_part > 0:
        return f"nearby places ({where})"
    if same_admin1:
        return f"other places in {inc.location.admin1} ({where})"
    return f"different places ({where})"


__all__ = ["fit_record", "candidates", "window", "Candidate", "NEAR_KM", "MAX_FITS", "LINK_THRESHOLD"]
