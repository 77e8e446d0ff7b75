"""Altered copies of an article's record, to measure whether the score tells them apart.

Four kinds (``KINDS``), each applied to every incident of the article that it can change,
deterministic for a given seed and article id:

``figures``      every killed and injured figure (low, best, high) multiplied by 3 or divided by
                 3 (rounded, never below 1), the direction drawn per article; the summary's
                 ``nb_*`` likewise
``date``         the act moved a week, +7 or -7 days, drawn per article: incident dates, end
                 dates, the summary date *and the publication date* move together, so that the
                 copy stays internally consistent (a fake would be dated after its story)
``perpetrator``  each named perpetrator replaced by an actor of another side (FA-KES classes),
                 the same replacement for the same actor throughout the article; a plausible
                 one (an air strike goes to a side with aircraft, a suicide bombing to a
                 non-state group), so that the internal check does not give the copy away
``place``        each Syrian governorate replaced by another (never one the article already
                 names, nor Damascus for Rural Damascus or back), the location set
                 to that governorate's capital (its admin1 itself when the original was only
                 the governorate); the summary's location likewise

A kind an article offers nothing to (no figure, no date, no named perpetrator, no Syrian
governorate) returns None: no copy is made, since it would equal the original. The text and
evidence spans are left as they were: the copy is a record, what an extractor would have
produced from the altered story.
"""
from __future__ import annotations

import copy
import random
from dataclasses import dataclass, field, replace
from datetime import date, timedelta

from ..knowledge.actors import ActorDictionary
from ..records import ArticleRecord, Count, Location, Summary
from ..store.model import StoredArticle, StoredIncident

KINDS = ("figures", "date", "perpetrator", "place")

# Governorates of Syria with the capital a moved place is set to (admin1.yaml's point).
SY_CAPITALS: dict[str, tuple[str, float, float]] = {
    "Al-Hasakah": ("Hasakah", 36.5024, 40.7477), "Latakia": ("Latakia", 35.5312, 35.7909),
    "Quneitra": ("Quneitra", 33.126, 35.8246), "Raqqa": ("Raqqa", 35.9528, 39.0079),
    "As-Suwayda": ("As-Suwayda", 32.709, 36.5695), "Daraa": ("Daraa", 32.6189, 36.1021),
    "Deir ez-Zor": ("Deir ez-Zor", 35.3359, 40.1408), "Rural Damascus": ("Douma", 33.5718, 36.4027),
    "Aleppo": ("Aleppo", 36.2012, 37.1612), "Hama": ("Hama", 35.1318, 36.7578),
    "Homs": ("Homs", 34.724, 36.7256), "Idlib": ("Idlib", 35.9306, 36.6339),
    "Damascus": ("Damascus", 33.5102, 36.2913), "Tartus": ("Tartus", 34.889, 35.8866),
}
FAKES_GOV = {"Al-Hasakah": "hasakeh", "Latakia": "lattakia", "Quneitra": "quneitra", "Raqqa": "raqqa",
             "As-Suwayda": "suwayda", "Daraa": "daraa", "Deir ez-Zor": "deir ezzor", "Rural Damascus": "damascus",
             "Aleppo": "aleppo", "Hama": "hama", "Homs": "homs", "Idlib": "idlib", "Damascus": "damascus",
             "Tartus": "tartous"}
_TWINS = {"Damascus": "Rural Damascus", "Rural Damascus": "Damascus"}

# Actors a swapped perpetrator is drawn from (Syria), with their FA-KES side.
SWAP_POOL: tuple[tuple[str, str], ...] = (
    ("Syrian government forces", "syrian government or russian troops"),
    ("Russian forces", "syrian government or russian troops"),
    ("US-led coalition", "international coalition forces"),
    ("Turkish forces", "international coalition forces"),
    ("Islamic State", "the organization of the islamic state in iraq and the levant - isis"),
    ("Hayat Tahrir al-Sham", "al-nusra front"),
    ("Syrian opposition forces", "armed opposition groups"),
    ("Syrian Democratic Forces", "self administration forces"),
)
_AIR = {"Syrian government forces", "Russian forces", "US-led coalition", "Turkish forces"}
_NON_STATE = {"Islamic State", "Hayat Tahrir al-Sham", "Syrian opposition forces", "Syrian Democratic Forces"}


@dataclass
class Alteration:
    kind: str
    detail: str                       # "figures x3", "date +7 days", ...
    record: ArticleRecord             # the altered copy
    changes: list[tuple[int, str, object, object]] = field(default_factory=list)  # (incident, field, old, new)


def _rng(seed: int, article_id: str, kind: str) -> random.Random:
    return random.Random(f"{seed}:{article_id}:{kind}")


def _side(actor: str) -> str:
    for name, s in SWAP_POOL:
        if name == actor:
            return s
    from .score import side
    return side(actor)


def _scale(v: int | None, factor: int, up: bool) -> int | None:
    if v is None:
        return None
    if up:
        return v * factor
    return max(1, round(v / factor)) if v > 0 else 0


def _shift(d: str | None, days: int) -> str | None:
    if not d:
        return d
    try:
        return (date.fromisoformat(d[:10]) + timedelta(days=days)).isoformat()
    except ValueError:
        return d


def falsify_record(record: ArticleRecord, kind: str, seed: int = 0) -> Alteration | None:
    """An altered copy of ``record`` (same article_id), or None when the kind changes nothing."""
    if kind not in KINDS:
        raise ValueError(f"unknown alteration {kind!r}; one of {', '.join(KINDS)}")
    rng = _rng(seed, record.article_id, kind)
    rec = copy.deepcopy(record)
    changes: list[tuple[int, str, object, object]] = []
    if kind == "figures":
        up = rng.random() < 0.5
        for i, inc in enumerate(rec.incidents):
            for c in inc.claims:
                for what, counts in (("killed", c.killed), ("injured", c.injured)):
                    for cat, cnt in counts.items():
                        new = Count(_scale(cnt.low, 3, up), _scale(cnt.best, 3, up), _scale(cnt.high, 3, up), cnt.text)
                        if (new.low, new.best, new.high) != (cnt.low, cnt.best, cnt.high):
                            changes.append((i, f"{what}.{cat}", cnt.value(), new.value()))
                            counts[cat] = new
        if not any(f.startswith("killed") for _, f, _, _ in changes):
            return None
        s = rec.summary
        for f in ("nb_civilians", "nb_children", "nb_women", "nb_noncivilians"):
            setattr(s, f, _scale(getattr(s, f), 3, up))
        return Alteration(kind, "figures x3" if up else "figures /3", rec, changes)
    if kind == "date":
        days = 7 if rng.random() < 0.5 else -7
        for i, inc in enumerate(rec.incidents):
            if inc.date:
                changes.append((i, "date", inc.date, _shift(inc.date, days)))
                inc.date = _shift(inc.date, days)
                inc.date_end = _shift(inc.date_end, days)
        if not changes:
            return None
        rec.published = _shift(rec.published, days)
        rec.summary.date = _shift(rec.summary.date, days)
        return Alteration(kind, f"date {days:+d} days", rec, changes)
    if kind == "perpetrator":
        sides = {_side(p) for inc in rec.incidents for p in inc.perpetrator if p != "unknown"}
        mapping: dict[tuple[str, str], str] = {}
        for i, inc in enumerate(rec.incidents):
            known = [p for p in inc.perpetrator if p != "unknown"]
            if not known:
                continue
            need = "air" if inc.event_type == "air_strike" else "nonstate" if inc.event_type == "suicide_bombing" else ""
            new_list = []
            for p in known:
                key = (p, need)
                if key not in mapping:
                    pool = [a for a, s in SWAP_POOL if s not in sides and s != _side(p)
                            and (need != "air" or a in _AIR) and (need != "nonstate" or a in _NON_STATE)]
                    if not pool:
                        pool = [a for a, s in SWAP_POOL if s != _side(p)]
                    mapping[key] = rng.choice(pool)
                new_list.append(mapping[key])
            new_list = list(dict.fromkeys(new_list))
            changes.append((i, "perpetrator", list(inc.perpetrator), new_list))
            inc.perpetrator = new_list
        if not changes:
            return None
        main = changes[0][3][0]
        rec.summary.actor = ActorDictionary.load().fakes_actor(main)
        return Alteration(kind, "perpetrator swapped (" + ", ".join(
            f"{o} -> {n}" for (o, _), n in sorted(mapping.items())) + ")", rec, changes)
    # place
    govs = [inc.location.admin1 for inc in rec.incidents
            if inc.location.country in ("SY", None) and inc.location.admin1 in SY_CAPITALS]
    if not govs:
        return None
    own = set(govs) | {_TWINS[g] for g in govs if g in _TWINS}
    gmap: dict[str, str] = {}
    for g in sorted(set(govs)):
        pool = [t for t in SY_CAPITALS if t not in own and t not in gmap.values()]
        if not pool:
            pool = [t for t in SY_CAPITALS if t != g and t != _TWINS.get(g)]
        gmap[g] = rng.choice(sorted(pool))
    for i, inc in enumerate(rec.incidents):
        loc = inc.location
        if loc.admin1 not in gmap or loc.country not in ("SY", None):
            continue
        target = gmap[loc.admin1]
        name, lat, lon = SY_CAPITALS[target]
        new = (Location(target, target, "SY", lat, lon, "admin1") if loc.precision == "admin1"
               else Location(name, target, "SY", lat, lon, "town"))
        changes.append((i, "location", f"{loc.name} ({loc.admin1})", f"{new.name} ({new.admin1})"))
        inc.location = new
        if inc.target and loc.name and loc.name in inc.target:
            inc.target = inc.target.replace(loc.name, new.name)
    old = rec.summary.location
    for g, t in gmap.items():
        if FAKES_GOV.get(g) == old:
            rec.summary.location = FAKES_GOV[t]
            break
    return Alteration(kind, "place moved (" + ", ".join(f"{g} -> {t}" for g, t in sorted(gmap.items())) + ")",
                      rec, changes)


def falsify_stored(article: StoredArticle, incidents: list[StoredIncident], kind: str, seed: int = 0,
                   pk: int | None = None, first_incident_pk: int | None = None
                   ) -> tuple[StoredArticle, list[StoredIncident], Alteration] | None:
    """The altered copy of a stored article and its incidents, under new keys (``pk``, and
    incident keys from ``first_incident_pk``; by default the negatives of the originals)."""
    rec = ArticleRecord(article.article_id, article.published,
                        [si.incident for si in sorted(incidents, key=lambda s: s.index)],
                        copy.deepcopy(article.summary) if article.summary else Summary())
    alt = falsify_record(rec, kind, seed)
    if alt is None:
        return None
    new_pk = pk if pk is not None else -article.pk
    new_art = replace(article, pk=new_pk, published=alt.record.published, summary=alt.record.summary)
    new_incs = []
    for j, (si, inc) in enumerate(zip(sorted(incidents, key=lambda s: s.index), alt.record.incidents)):
        ipk = first_incident_pk + j if first_incident_pk is not None else -si.pk
        new_incs.append(StoredIncident(pk=ipk, article_pk=new_pk, article_id=si.article_id, outlet=si.outlet,
                                       published=alt.record.published, index=si.index, incident=inc))
    return new_art, new_incs, alt
