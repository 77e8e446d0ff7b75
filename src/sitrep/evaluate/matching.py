"""One-to-one matching of predicted incidents to gold incidents within one article.

Implements the admissibility and similarity rules stated in ``sitrep.evaluate.gold``.
"""
from __future__ import annotations

import datetime as dt

import numpy as np
from scipy.optimize import linear_sum_assignment

from sitrep.records import Incident

from .fields import FIELD_CHECKS, claimants, parse_day
from .places import key, same_place

DATE_SLACK_DAYS = 1

# Similarity weights. The tie-break weights sum to 0.7, below the smallest main weight, so
# they only choose between otherwise equal assignments (several incidents of one article
# often share a day and a town).
W_SAME_PLACE = 8.0
W_EVENT_TYPE, W_PERPETRATOR, W_KILLED_TOTAL = 4.0, 2.0, 1.0
W_TIE_BREAK = 0.1
TIE_BREAK_FIELDS = ("date", "admin1", "killed_civilians", "killed_children", "injured_total")
MAX_SIMILARITY = (W_SAME_PLACE + W_EVENT_TYPE + W_PERPETRATOR + W_KILLED_TOTAL
                  + W_TIE_BREAK * (len(TIE_BREAK_FIELDS) + 2))


def dates_admissible(gold: Incident, pred: Incident) -> bool:
    """Within a day: the gap between the two spans [date, date_end] is at most one day."""
    g = _span(gold)
    p = _span(pred)
    if g is None or p is None:
        return g is None and p is None
    gap = max(0, (p[0] - g[1]).days, (g[0] - p[1]).days)
    return gap <= DATE_SLACK_DAYS


def _span(inc: Incident) -> tuple[dt.date, dt.date] | None:
    start = parse_day(inc.date)
    if start is None:
        return None
    end = parse_day(inc.date_end) or start
    return start[0], max(start[1], end[1])


def similarity(gold: Incident, pred: Incident) -> float | None:
    """How alike an admissible pair is; None when the pair is not admissible."""
    if not dates_admissible(gold, pred):
        return None
    if not same_place(gold.location, pred.location):
        return None
    score = W_SAME_PLACE
    score += W_EVENT_TYPE * FIELD_CHECKS["event_type"](gold, pred)
    score += W_PERPETRATOR * FIELD_CHECKS["perpetrator"](gold, pred)
    score += W_KILLED_TOTAL * FIELD_CHECKS["killed_total"](gold, pred)
    score += W_TIE_BREAK * sum(FIELD_CHECKS[f](gold, pred) for f in TIE_BREAK_FIELDS)
    score += W_TIE_BREAK * (claimants(gold) == claimants(pred))
    # of two places within 5 km of the gold's, the one of the same name
    score += W_TIE_BREAK * (key(gold.location.name) == key(pred.location.name))
    return score


def match_incidents(gold: list[Incident], pred: list[Incident]) -> list[tuple[int, int]]:
    """Pairs (gold index, predicted index): most pairs first, then greatest similarity."""
    if not gold or not pred:
        return []
    sims = [[similarity(g, p) for p in pred] for g in gold]
    # A bonus larger than any assignment's total similarity makes the solver prefer one
    # more matched pair over any gain in similarity.
    bonus = MAX_SIMILARITY * (min(len(gold), len(pred)) + 1)
    weights = np.array([[0.0 if s is None else bonus + s for s in row] for row in sims])
    rows, cols = linear_sum_assignment(weights, maximize=True)
    return sorted((int(i), int(j)) for i, j in zip(rows, cols) if sims[i][j] is not None)
