"""The score of a candidate pair: do two incidents report the same act?

Seven parts, each in [0, 1], weighted and summed (``Weights``); a pair links when the sum
reaches ``Weights.threshold``:

- event type: the same type 1; types that reporting of one act often mixes ("shelling"
  for an air raid, a "blast" for a suicide bombing, clashes that take a village) less
  (each type's ``related`` in knowledge/event_types.yaml); types that cannot be one act (an execution and an air strike) veto the pair;
- perpetrator: a shared actor 1; allies of one side (Syrian and Russian jets: the actor
  dictionary's FA-KES family) 0.6; opposing sides 0; either unknown 0.5 (no evidence);
- figures of killed: overlapping (within a fifth) 1, same order 0.6, far apart 0.2, one
  side without a figure 0.5 (tolls rise over days, so a difference is weak evidence);
- text: cosine of the TF-IDF vectors of the claims' evidence sentences;
- lead: cosine of the TF-IDF vectors of the two articles' leads (title and first 1,000
  characters, where the news is), 0.5 where an article has no text;
- place: the same named place 1 (0.8 when one side is coarse); a place within the distance
  of the precisions inside a coarser one (a quarter in its town) 0.7; two places of one
  precision under two names 0.4, however near (two quarters of a city are two places); the
  same first-level division only 0.4;
- date: the same day 1, overlapping spans 0.8, with a report-dated side 0.6, a day apart 0.

The weights were set by hand, in round numbers, and checked on the labelled FA-KES dev
pairs for a plateau (F1 moves by a few points when any weight moves by 0.05).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..knowledge.event_types import related
from ..records import EVENT_TYPES
from .blocking import distance_km, is_vague, radius_km
from .features import DAY, TOWN, IncidentTable


@dataclass(frozen=True)
class Weights:
    etype: float = 0.20
    perp: float = 0.10
    figures: float = 0.10
    text: float = 0.15
    doc: float = 0.15
    place: float = 0.15
    date: float = 0.15
    threshold: float = 0.54
    nested_place: float = 0.7
    other_place: float = 0.4
    admin1_place: float = 0.4
    next_day: float = 0.0


DEFAULT = Weights()

OTHER_FIT = 0.3  # "other" against anything


def type_matrix() -> np.ndarray:
    n = len(EVENT_TYPES)
    m = np.zeros((n, n))
    idx = {t: i for i, t in enumerate(EVENT_TYPES)}
    # pairs of event types that reports of one act mix, with how well they fit
    for pair, v in related().items():
        a, b = sorted(pair)
        m[idx[a], idx[b]] = m[idx[b], idx[a]] = v
    m[idx["other"], :] = m[:, idx["other"]] = OTHER_FIT
    np.fill_diagonal(m, 1.0)
    return m


TYPE_FIT = type_matrix()


def cosine(t: IncidentTable, i: np.ndarray, j: np.ndarray, chunk: int = 50_000) -> np.ndarray:
    """Cosine of the evidence vectors of each pair (rows are unit length)."""
    return csr_cosine(t.tok_ptr, t.tok_id, t.tok_w, i, j, chunk)


def doc_cosine(t: IncidentTable, i: np.ndarray, j: np.ndarray) -> np.ndarray:
    """Cosine of the leads of the pair's articles; 0.5 where either has no text. Computed
    once per pair of articles, however many incident pairs they share."""
    di, dj = t.doc[i], t.doc[j]
    out = np.full(len(i), 0.5)
    ok = (di >= 0) & (dj >= 0)
    if ok.any():
        a, b = np.minimum(di[ok], dj[ok]), np.maximum(di[ok], dj[ok])
        n_docs = len(t.doc_ptr)
        code, inverse = np.unique(a * n_docs + b, return_inverse=True)
        cos = csr_cosine(t.doc_ptr, t.doc_id, t.doc_w, code // n_docs, code % n_docs, 20_000)
        out[ok] = cos[inverse]
    return out


def csr_cosine(ptr, ids, w, i: np.ndarray, j: np.ndarray, chunk: int = 50_000) -> np.ndarray:
    """Dot products of rows i[k] and j[k] of a CSR matrix of unit rows."""
    out = np.zeros(len(i))
    for c in range(0, len(i), chunk):
        out[c:c + chunk] = _cosine(ptr, ids, w, i[c:c + chunk], j[c:c + chunk])
    return out


def _gather(ptr, ids, w, rows: np.ndarray):
    start, stop = ptr[rows], ptr[rows + 1]
    cnt = stop - start
    total = int(cnt.sum())
    pair = np.repeat(np.arange(len(rows), dtype=np.int64), cnt)
    pos = np.repeat(start - (np.cumsum(cnt) - cnt), cnt) + np.arange(total)
    return pair, ids[pos].astype(np.int64), w[pos]


def _cosine(ptr, ids, w_, i: np.ndarray, j: np.ndarray) -> np.ndarray:
    pa, ta, wa = _gather(ptr, ids, w_, i)
    pb, tb, wb = _gather(ptr, ids, w_, j)
    key = np.concatenate([pa << 32 | ta, pb << 32 | tb])
    w = np.concatenate([wa, wb])
    order = np.argsort(key, kind="stable")
    key, w = key[order], w[order]
    dup = np.flatnonzero(key[1:] == key[:-1])
    return np.bincount(key[dup] >> 32, weights=w[dup] * w[dup + 1], minlength=len(i))


def part_scores(t: IncidentTable, i: np.ndarray, j: np.ndarray, text: bool = True,
                w: "Weights" = None) -> dict[str, np.ndarray]:
    """Each part of the score of the pairs (i[k], j[k]), as arrays (without ``text``, the
    two text parts are left at 0)."""
    w = w or DEFAULT
    parts: dict[str, np.ndarray] = {}
    parts["etype"] = TYPE_FIT[t.etype[i], t.etype[j]]

    pi, pj = t.perp[i], t.perp[j]
    known = (pi != 0) & (pj != 0)
    perp = np.full(len(i), 0.5)
    perp[known] = 0.0
    perp[known & ((t.side[i] & t.side[j]) != 0)] = 0.6
    perp[known & ((pi & pj) != 0)] = 1.0
    parts["perp"] = perp

    lo_i, hi_i, lo_j, hi_j = t.killed_lo[i], t.killed_hi[i], t.killed_lo[j], t.killed_hi[j]
    both = ~np.isnan(lo_i) & ~np.isnan(lo_j)
    fig = np.full(len(i), 0.5)
    with np.errstate(invalid="ignore", divide="ignore"):
        overlap = (lo_i <= hi_j * 1.2 + 1) & (lo_j <= hi_i * 1.2 + 1)
        ratio = np.minimum(hi_i, hi_j) / np.maximum(lo_i, lo_j)
    fig[both] = np.where(overlap[both], 1.0, np.where(ratio[both] >= 0.5, 0.6, 0.2))
    parts["figures"] = fig

    parts["text"] = cosine(t, i, j) if text else np.zeros(len(i))
    parts["doc"] = doc_cosine(t, i, j) if text else np.zeros(len(i))

    same = (t.place[i] >= 0) & (t.place[i] == t.place[j])
    vague = is_vague(t)
    either_vague = vague[i] | vague[j]
    ri, rj = radius_km(t.prec[i]), radius_km(t.prec[j])
    with np.errstate(invalid="ignore"):
        near = distance_km(t.lat[i], t.lon[i], t.lat[j], t.lon[j]) <= ri + rj
    # two places of one precision under different names are two places, however near;
    # a place inside a coarser one (a quarter in its town) may be the same
    nested = near & (t.prec[i] != t.prec[j])
    place = np.where(nested, w.nested_place, np.where(near, w.other_place, 0.0))
    fine = (t.prec[i] <= TOWN) & (t.prec[j] <= TOWN)
    place = np.where(same, np.where(fine & ~either_vague, 1.0, 0.8), place)
    admin = either_vague & (t.admin1[i] >= 0) & (t.admin1[i] == t.admin1[j])
    place = np.where(either_vague & ~same, np.maximum(np.where(admin, w.admin1_place, 0.0), place), place)
    parts["place"] = place

    si, ei, sj, ej = t.start[i], t.end[i], t.start[j], t.end[j]
    overlap = (si <= ej) & (sj <= ei)
    day_both = (t.date_prec[i] == DAY) & (t.date_prec[j] == DAY)
    report = (t.date_prec[i] == 2) | (t.date_prec[j] == 2)
    date = np.where(overlap, np.where(day_both, 1.0, np.where(report, 0.6, 0.8)), w.next_day)
    parts["date"] = date
    return parts


def combine(parts: dict[str, np.ndarray], w: Weights = DEFAULT) -> np.ndarray:
    s = (w.etype * parts["etype"] + w.perp * parts["perp"] + w.figures * parts["figures"]
         + w.text * parts["text"] + w.doc * parts["doc"] + w.place * parts["place"]
         + w.date * parts["date"])
    return np.where(parts["etype"] > 0, s, 0.0)


def score_pairs(t: IncidentTable, i: np.ndarray, j: np.ndarray, w: Weights = DEFAULT) -> np.ndarray:
    """The score of each pair. The text parts cost most, so they are computed only for the
    pairs whose score could still reach the threshold (the others keep a score below it)."""
    parts = part_scores(t, i, j, text=False, w=w)
    score = combine(parts, w)
    need = np.flatnonzero((parts["etype"] > 0) & (score + w.text + w.doc >= w.threshold))
    if len(need):
        score[need] += w.doc * doc_cosine(t, i[need], j[need])
        need = need[score[need] + w.text >= w.threshold]
        if len(need):
            score[need] += w.text * cosine(t, i[need], j[need])
    return score
