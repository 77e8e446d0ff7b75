"""Score predicted incident records against hand-annotated gold files.

These rules are part of what we report; change them only with the figures they produce.

Input. Gold: every ``*.gold.json`` in a directory, each an article record of the spec
(``outlet`` and ``notes`` are ignored; locations may lack lat/lon). Predictions: article
records as dicts (``ArticleRecord.to_dict()``), joined to gold on ``article_id``. A gold
article without a prediction counts all its incidents as missed and is listed in
``missing_predictions``; predictions for articles not in the gold set are listed in
``extra_predictions`` and not scored. If an article_id is predicted twice, the last wins.

Matching (per article, one-to-one). A gold/predicted pair is admissible when
  * dates: each side spans [date, date_end] (date_end absent: the one day); the gap between
    the two spans is at most 1 day (so two single days differ by at most one; a range is
    widened by a day at each end and must overlap the other side). A null (or unreadable)
    date matches only a null date. "YYYY-MM" / "YYYY" span their month / year.
  * place (strict): the gold's finest place, judged by precision level. Point, town and
    district are fine levels, admin1 and country coarse ones.
      - Both fine: the predicted place is within 5 km of the gold's (``places.near``), or
        has the same name (name_key equal) or a known alias of it (one gazetteer entry
        carries both names), unless both sides give an admin1 and they differ (one name
        in two provinces is two places).
      - Both at admin1 precision in the same admin1 (name_key equal after the
        gazetteer's admin1 aliases), or both at country precision in the same country.
      - Otherwise no match: no credit for a province or a country where the other side
        names a town, nor for a town where the gold gives only the province.
    Gold files carry no coordinates, so a gold place is placed through the offline
    gazetteer: its entries of that name (by spelling, else by a close spelling of the same
    consonant skeleton) in the gold's country and admin1; a district-precision area may
    take a town of its name in another admin1 ("Damascus" suburbs in Rural Damascus). A
    place the gazetteer lacks matches by name or alias only.
Among admissible pairs, the assignment (scipy ``linear_sum_assignment``) first maximises
the number of pairs, then the summed similarity: same place 8, + event type equal 4,
+ perpetrator sets equal 2, + killed totals agree 1, + tie-breaks of 0.1 each for date,
admin1, killed civilians, killed children, injured total right, claimant sets equal and
the same place name (of two places within 5 km, the one of the gold's name).

Incidents. precision = matched / predicted, recall = matched / gold, F1 their harmonic
mean, micro over all gold articles. With a zero denominator the figure is 1.0 when both
counts are zero (nothing to find, nothing claimed) and 0.0 otherwise.

Fields, over matched pairs (accuracy = right / matched; None when nothing matched):
  * event_type: equal.
  * sub_event_type: ACLED's sub-event type equal.
  * date: ``date`` equal, and ``date_end`` equal where the gold has one; precision ignored.
  * admin1: name_key equal after the gazetteer's admin1 aliases of the gold's country
    (two missing admin1 are equal).
  * place: the strict place rule above; right on every matched pair by construction, kept
    so that reports keep their columns (place errors show as classified errors).
  * perpetrator: sets equal after strip and lower-casing.
  * killed_total, killed_civilians, killed_children, injured_total: take the value
    (best, else low, else high) of that count in every claim of each side; right when the
    two sets of values share a value, or both are empty.

Claimants, over matched pairs: the sets of ``claimed_by`` (stripped, lower-cased;
"reporter" counts like any claimant) are compared; true positives are the shared names,
summed over pairs; precision, recall and F1 as for incidents (None when nothing matched).

The report also holds ``per_article`` rows (gold / predicted / matched incidents) and
``mismatches``: every wrong field of a matched pair, every missed gold incident (field
``incident``, predicted null) and every spurious prediction (field ``incident``, gold null);
and ``errors``: the same mistakes sorted into the issue's error classes where that can be
told mechanically (``counts`` per class and the ``items``; the rules are in ``errors``).
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Iterable

from sitrep.records import ArticleRecord, Incident

from .errors import classify, counts
from .fields import FIELD_CHECKS, FIELD_VALUES, claimants, describe
from .matching import match_incidents

FIELDS = tuple(FIELD_CHECKS)


def prf(tp: int, predicted: int, gold: int) -> dict[str, float]:
    precision = tp / predicted if predicted else float(gold == 0)
    recall = tp / gold if gold else float(predicted == 0)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1}


def load_gold(gold_dir: str | Path) -> list[ArticleRecord]:
    """The gold articles of a directory, in file-name order."""
    paths = sorted(Path(gold_dir).glob("*.gold.json"))
    if not paths:
        raise FileNotFoundError(f"no *.gold.json files in {gold_dir}")
    return [ArticleRecord.from_dict(json.loads(p.read_text(encoding="utf-8"))) for p in paths]


class _Tally:
    """Running counts over all articles; kept together so score_gold reads as the rules."""

    def __init__(self) -> None:
        self.gold = self.predicted = self.matched = 0
        self.right = dict.fromkeys(FIELDS, 0)
        self.claim_tp = self.claim_pred = self.claim_gold = 0
        self.mismatches: list[dict[str, Any]] = []

    def add_pair(self, article_id: str, index: int, g: Incident, p: Incident) -> None:
        self.matched += 1
        for name, check in FIELD_CHECKS.items():
            if check(g, p):
                self.right[name] += 1
            else:
                self._mismatch(article_id, index, g, name, FIELD_VALUES[name](g),
                               FIELD_VALUES[name](p))
        gc, pc = claimants(g), claimants(p)
        self.claim_tp += len(gc & pc)
        self.claim_gold += len(gc)
        self.claim_pred += len(pc)
        if gc != pc:
            self._mismatch(article_id, index, g, "claimants", sorted(gc), sorted(pc))

    def _mismatch(self, article_id: str, index: int | None, g: Incident | None, field: str,
                  gold: Any, predicted: Any) -> None:
        self.mismatches.append({"article_id": article_id, "gold_index": index,
                                "incident": describe(g) if g else None, "field": field,
                                "gold": gold, "predicted": predicted})

    def add_unmatched(self, article_id: str, gold: list[Incident], pred: list[Incident],
                      pairs: list[tuple[int, int]]) -> None:
        used_g = {i for i, _ in pairs}
        used_p = {j for _, j in pairs}
        for i, g in enumerate(gold):
            if i not in used_g:
                self._mismatch(article_id, i, g, "incident", describe(g), None)
        for j, p in enumerate(pred):
            if j not in used_p:
                self._mismatch(article_id, None, None, "incident", None, describe(p))


def score_gold(predictions: Iterable[dict], gold_dir: str | Path) -> dict:
    """Score predicted article records against the gold files of ``gold_dir``."""
    gold_articles = load_gold(gold_dir)
    by_id = {str(d["article_id"]): ArticleRecord.from_dict(d) for d in predictions}
    gold_ids = {a.article_id for a in gold_articles}
    tally = _Tally()
    per_article = []
    errors: list[dict[str, Any]] = []
    missing = []
    for article in gold_articles:
        record = by_id.get(article.article_id)
        if record is None:
            missing.append(article.article_id)
        pred = record.incidents if record else []
        pairs = match_incidents(article.incidents, pred)
        for i, j in pairs:
            tally.add_pair(article.article_id, i, article.incidents[i], pred[j])
        tally.add_unmatched(article.article_id, article.incidents, pred, pairs)
        errors += classify(article.article_id, article.incidents, pred, pairs, record is not None)
        tally.gold += len(article.incidents)
        tally.predicted += len(pred)
        per_article.append({"article_id": article.article_id, "gold": len(article.incidents),
                            "predicted": len(pred), "matched": len(pairs),
                            "has_prediction": record is not None})

    m = tally.matched
    return {
        "kind": "gold",
        "gold_dir": str(gold_dir),
        "articles": len(gold_articles),
        "incidents": {"gold": tally.gold, "predicted": tally.predicted, "matched": m,
                      **prf(m, tally.predicted, tally.gold)},
        "fields": {name: {"right": tally.right[name], "matched": m,
                          "accuracy": tally.right[name] / m if m else None}
                   for name in FIELDS},
        "claimants": {"gold": tally.claim_gold, "predicted": tally.claim_pred,
                      "shared": tally.claim_tp,
                      **(prf(tally.claim_tp, tally.claim_pred, tally.claim_gold) if m
                         else dict.fromkeys(("precision", "recall", "f1")))},
        "per_article": per_article,
        "missing_predictions": missing,
        "extra_predictions": sorted(set(by_id) - gold_ids),
        "mismatches": tally.mismatches,
        "errors": {"counts": counts(errors), "items": errors},
    }
