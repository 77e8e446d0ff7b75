"""The errors of one article's predictions, sorted into the error classes of issue 9.

Only what can be told apart mechanically from the gold, the predictions and their matching
is classified; the classes (``CLASSES``) name the issue's number in their meaning. The
rules, in the order they are tried:

A missed gold incident (no predicted incident matched it):
  * ``no_record``: the article has no prediction at all (refused, or failed).
  Otherwise an unmatched prediction within a day may be the act at the wrong place. Each
  such prediction explains one missed gold incident at most, taken in this order (those of
  the gold's event type first, then the classes as listed, then gold order):
  * ``place_too_coarse``: it lies in the gold's admin1 (or the gold's country, at country
    precision) at a coarser precision than the gold's (the city for a quarter, the
    province for a village);
  * ``place_too_fine``: it names a place inside the gold's admin1 or country where the gold
    gives only that admin1 or country;
  * ``place_elsewhere``: it lies in the gold's admin1 (or gives none) at another place as
    fine as the gold's;
  * ``place_ambiguous``: it has the gold's place name (name_key) in another admin1 or
    country (a name resolved to the wrong place);
  and otherwise:
  * ``acts_merged``: a matched prediction of the same event type within a day in the same
    admin1 stands for this act as well as for the one it matched;
  * ``missed_act``: none of these.
A spurious prediction (matched to no gold incident) that explains no missed one above:
  * ``split_act``: it shares event type and admin1, within a day, with a matched gold
    incident (one act recorded twice);
  * ``spurious_act``: otherwise (a non-act, background, or an act the gold leaves out).
A matched pair, per wrong field:
  * ``event_type_wrong``, ``date_wrong``, ``admin1_wrong``;
  * ``numbers_missing`` (the gold gives a count the prediction lacks), ``numbers_extra``
    (the reverse), ``numbers_wrong`` (both give it, no value shared), per count field;
  * ``victim_as_perpetrator`` where a predicted perpetrator is named in the gold's target,
    else ``perpetrator_wrong``;
  * per claimant: ``claimant_missing`` (a gold claimant not predicted), ``claimant_junk``
    (a predicted one that holds a figure or an act word, which no source's name does:
    a sentence fragment), ``claimant_extra`` (any other predicted one not in the gold).
"""
from __future__ import annotations

import re
from collections import Counter
from typing import Any

from sitrep.records import Incident, Location

from .fields import FIELD_CHECKS, FIELD_VALUES, count_values, describe, perpetrators
from .matching import dates_admissible
from .places import FINE, key, rank, same_admin1

# class -> what it means, with the number of the error class it belongs to
CLASSES: dict[str, str] = {
    "no_record": "11 the article has no prediction (refused or failed)",
    "place_too_coarse": "1 the act predicted at a coarser place of the gold's admin1",
    "place_too_fine": "1 the act predicted at a town where the gold gives only the province",
    "place_elsewhere": "1 the act predicted at another place of the gold's admin1",
    "place_ambiguous": "5 the gold's place name resolved in another admin1 or country",
    "acts_merged": "6 one prediction stands for this act and another",
    "missed_act": "2 no prediction of the act",
    "split_act": "3 a second prediction of a matched act (type, admin1, day)",
    "spurious_act": "4 a prediction of no gold act",
    "event_type_wrong": "- event type of a matched act",
    "date_wrong": "- date of a matched act",
    "admin1_wrong": "- admin1 of a matched act",
    "numbers_missing": "7 a count the gold gives, not predicted",
    "numbers_extra": "6 a count predicted that the gold does not give",
    "numbers_wrong": "7 a count predicted with another value",
    "victim_as_perpetrator": "8 the gold's target given as perpetrator",
    "perpetrator_wrong": "8 perpetrator of a matched act",
    "claimant_missing": "9 a gold claimant not predicted",
    "claimant_junk": "9 a predicted claimant that is a sentence fragment",
    "claimant_extra": "9 a predicted claimant the gold does not have",
}
COUNT_FIELDS = ("killed_total", "killed_civilians", "killed_children", "injured_total")
# Words of a figure or of an act: a source's name holds none of them.
_JUNK = re.compile(r"\d|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|dozens?|hundreds?|"
                   r"killed|killing|dead|deaths?|toll|wounded|injured|injuring)\b", re.IGNORECASE)


def _item(cls: str, article_id: str, gold_index: int | None, g: Incident | None,
          p: Incident | None, detail: Any = None) -> dict[str, Any]:
    return {"class": cls, "article_id": article_id, "gold_index": gold_index,
            "gold": describe(g) if g else None, "predicted": describe(p) if p else None,
            "detail": detail}


def _admin1_unknown(a: Location, b: Location) -> bool:
    return not (a.admin1 or a.precision == "admin1") or not (b.admin1 or b.precision == "admin1")


def _place_class(g: Incident, p: Incident) -> str | None:
    """How an unmatched prediction within a day misplaces a missed gold act, if it does."""
    gl, pl = g.location, p.location
    same_country = not gl.country or not pl.country or gl.country == pl.country
    if pl.precision == "country" and same_country and gl.precision != "country":
        return "place_too_coarse"
    if gl.precision == "country" and same_country:
        return "place_too_fine"
    if same_country and (same_admin1(gl, pl) or _admin1_unknown(gl, pl)):
        if rank(pl) > rank(gl):
            return "place_too_coarse"
        return "place_elsewhere" if gl.precision in FINE else "place_too_fine"
    if key(gl.name) and key(gl.name) == key(pl.name):
        return "place_ambiguous"
    return None


_PLACE_ORDER = ("place_too_coarse", "place_too_fine", "place_elsewhere", "place_ambiguous")


def _misplaced(gold: list[Incident], pred: list[Incident], missed: list[int],
               used_p: set[int]) -> dict[int, tuple[str, int]]:
    """gold index -> (place class, predicted index), one prediction per missed gold."""
    options = []
    for i in missed:
        for j, p in enumerate(pred):
            if j in used_p or not dates_admissible(gold[i], p):
                continue
            cls = _place_class(gold[i], p)
            if cls is not None:
                options.append(((gold[i].event_type != p.event_type, _PLACE_ORDER.index(cls),
                                 i, j), cls))
    out: dict[int, tuple[str, int]] = {}
    taken: set[int] = set()
    for (_, _, i, j), cls in sorted(options):
        if i not in out and j not in taken:
            out[i] = (cls, j)
            taken.add(j)
    return out


def _missed(article_id: str, i: int, g: Incident, pred: list[Incident],
            pairs: dict[int, int], misplaced: dict[int, tuple[str, int]]) -> dict[str, Any]:
    if i in misplaced:
        cls, j = misplaced[i]
        return _item(cls, article_id, i, g, pred[j], FIELD_VALUES["place"](pred[j]))
    for gi, j in pairs.items():
        p = pred[j]
        if gi != i and p.event_type == g.event_type and dates_admissible(g, p) \
                and same_admin1(g.location, p.location):
            return _item("acts_merged", article_id, i, g, p)
    return _item("missed_act", article_id, i, g, None)


def _spurious(article_id: str, j: int, p: Incident, gold: list[Incident],
              pairs: dict[int, int]) -> dict[str, Any]:
    for gi in pairs:
        g = gold[gi]
        if g.event_type == p.event_type and dates_admissible(g, p) \
                and same_admin1(g.location, p.location):
            return _item("split_act", article_id, gi, g, p)
    return _item("spurious_act", article_id, None, None, p)


def _pair(article_id: str, i: int, g: Incident, p: Incident) -> list[dict[str, Any]]:
    out = []
    for name in ("event_type", "date", "admin1"):
        if not FIELD_CHECKS[name](g, p):
            out.append(_item(f"{name}_wrong", article_id, i, g, p,
                             [FIELD_VALUES[name](g), FIELD_VALUES[name](p)]))
    for name in COUNT_FIELDS:
        if FIELD_CHECKS[name](g, p):
            continue
        kind, category = name.split("_")
        gv, pv = count_values(g, kind, category), count_values(p, kind, category)
        cls = "numbers_missing" if not pv else "numbers_extra" if not gv else "numbers_wrong"
        out.append(_item(cls, article_id, i, g, p, [name, sorted(gv), sorted(pv)]))
    if not FIELD_CHECKS["perpetrator"](g, p):
        target = (g.target or "").lower()
        victim = any(x and x != "unknown" and x in target for x in perpetrators(p))
        out.append(_item("victim_as_perpetrator" if victim else "perpetrator_wrong",
                         article_id, i, g, p, [sorted(perpetrators(g)), sorted(perpetrators(p))]))
    gold_names = {c.claimed_by.strip().lower() for c in g.claims}
    pred_names = {c.claimed_by.strip().lower(): c.claimed_by.strip() for c in p.claims}
    for name in sorted(gold_names - set(pred_names)):
        out.append(_item("claimant_missing", article_id, i, g, p, name))
    for low in sorted(set(pred_names) - gold_names):
        cls = "claimant_junk" if _JUNK.search(pred_names[low]) else "claimant_extra"
        out.append(_item(cls, article_id, i, g, p, pred_names[low]))
    return out


def classify(article_id: str, gold: list[Incident], pred: list[Incident],
             pairs: list[tuple[int, int]], has_record: bool = True) -> list[dict[str, Any]]:
    """Every classified error of one article, gold order first, then spurious predictions."""
    if not has_record:
        return [_item("no_record", article_id, i, g, None) for i, g in enumerate(gold)]
    matched = dict(pairs)
    used_p = set(matched.values())
    misplaced = _misplaced(gold, pred, [i for i in range(len(gold)) if i not in matched], used_p)
    explained = {j for _, j in misplaced.values()}
    out: list[dict[str, Any]] = []
    for i, g in enumerate(gold):
        if i in matched:
            out += _pair(article_id, i, g, pred[matched[i]])
        else:
            out.append(_missed(article_id, i, g, pred, matched, misplaced))
    for j, p in enumerate(pred):
        if j not in used_p and j not in explained:
            out.append(_spurious(article_id, j, p, gold, matched))
    return out


def counts(items: list[dict[str, Any]]) -> dict[str, int]:
    """Errors per class, in the order of ``CLASSES`` (classes with none left out)."""
    seen = Counter(e["class"] for e in items)
    return {cls: seen[cls] for cls in CLASSES if seen[cls]}
