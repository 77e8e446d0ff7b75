"""Exact copies: articles linking cannot tell apart are blocked, scored and clustered once.

A dense archive holds many reprints of one article under other ids (a wire story run word
for word). Each incident of k reprints pairs with its k - 1 twins and with the k copies of
every other report of the act, so blocking, scoring and the union-find's walk cost k^2
pairs, only to put every copy where the first one goes.

Two articles are exact copies here when linking reads the same of them: the same lead (word
ids and weights) and the same incidents, row for row, in every column that blocking,
scoring and clustering read (evidence words and weights included); only the article
differs. The first of them (by its first row) stands for the others, and the link runs on
the representatives alone. Why that gives the links of the whole table:

- a copy's row scores with any third row as its representative's does, and is a candidate
  of it when the representative is: both depend on the columns only;
- each pair with a copy sorts after the same pair with the representative (equal score,
  a larger row), and the cluster guard reads summaries (span, types, division, box of
  places) that a copy of a member leaves as they are: so a copy joins the cluster its
  representative is in when it meets it, and is refused where the representative was;
- two copies of one row form a pair of their own (``self_pairs``: a candidate when the
  row meets itself in blocking, linked at the score of the row with itself): then the
  copies join each other even where the representative links to nothing else.

Left out on purpose: a pair of two different incidents of copies of one article (incident
1 of a reprint with incident 2 of another). One article's incidents are different acts,
which the guard already holds for the article itself; its reprints say nothing new.
"""
from __future__ import annotations

from dataclasses import fields, replace
from typing import Callable

import numpy as np

from .blocking import candidate_chunks
from .features import IncidentTable
from .scoring import Weights, score_pairs

# The columns of one value per row (the evidence words are read through tok_ptr).
_ROW_COLUMNS = [f.name for f in fields(IncidentTable)
                if f.name not in ("article", "tok_ptr", "tok_id", "tok_w", "doc", "doc_ptr", "doc_id", "doc_w")]


def representatives(t: IncidentTable) -> np.ndarray | None:
    """Per row, the row that stands for it (itself unless its article is an exact copy of
    an earlier one: the same row of that article); None when no article is a copy."""
    n = len(t)
    if n == 0:
        return None
    cols = np.empty(n, [(name, getattr(t, name).dtype) for name in _ROW_COLUMNS])
    for name in _ROW_COLUMNS:
        cols[name] = getattr(t, name)
    width = cols.dtype.itemsize
    flat = cols.tobytes()
    tok_id, tok_w, ptr = t.tok_id.tobytes(), t.tok_w.tobytes(), t.tok_ptr.tolist()
    doc_id, doc_w, dptr = t.doc_id.tobytes(), t.doc_w.tobytes(), t.doc_ptr.tolist()
    iw, ww, did, dw = t.tok_id.itemsize, t.tok_w.itemsize, t.doc_id.itemsize, t.doc_w.itemsize

    def row_key(r: int) -> bytes:
        a, b = ptr[r], ptr[r + 1]
        return flat[r * width:(r + 1) * width] + tok_id[a * iw:b * iw] + tok_w[a * ww:b * ww]

    def lead_key(d: int) -> bytes:
        if d < 0:
            return b""
        a, b = dptr[d], dptr[d + 1]
        return doc_id[a * did:b * did] + doc_w[a * dw:b * dw]

    order = np.argsort(t.article, kind="stable")   # each article's rows, in table order
    _, first, count = np.unique(t.article[order], return_index=True, return_counts=True)
    rep = np.arange(n, dtype=np.int64)
    seen: dict[tuple, np.ndarray] = {}
    copies = False
    doc = t.doc.tolist()
    for a in np.argsort(order[first], kind="stable").tolist():   # articles by their first row
        rows = order[first[a]:first[a] + count[a]]
        key = (lead_key(doc[int(rows[0])]), *map(row_key, rows.tolist()))
        earlier = seen.setdefault(key, rows)
        if earlier is not rows:
            rep[rows] = earlier
            copies = True
    return rep if copies else None


def take(t: IncidentTable, rows: np.ndarray) -> IncidentTable:
    """The table of these rows (the leads are shared: ``doc`` still points into them)."""
    start, stop = t.tok_ptr[rows], t.tok_ptr[rows + 1]
    cnt = stop - start
    pos = np.repeat(start - (np.cumsum(cnt) - cnt), cnt) + np.arange(int(cnt.sum()))
    ptr = np.zeros(len(rows) + 1, np.int64)
    np.cumsum(cnt, out=ptr[1:])
    return replace(t, article=t.article[rows], doc=t.doc[rows], tok_ptr=ptr, tok_id=t.tok_id[pos],
                   tok_w=t.tok_w[pos], **{name: getattr(t, name)[rows] for name in _ROW_COLUMNS})


def self_pairs(t: IncidentTable, rows: np.ndarray, weights: Weights) -> tuple[np.ndarray, np.ndarray, int]:
    """(linked, score, candidates) of the pair two copies of each row would make: the rows
    and a second copy of them under other articles, blocked and scored as a link does."""
    m = len(rows)
    two = take(t, np.concatenate([rows, rows]))
    two.article = np.concatenate([two.article[:m], -1 - two.article[m:]])   # no article's key
    found = np.zeros(m, bool)
    for i, j in candidate_chunks(two):
        twin = j == i + m
        found[i[twin]] = True
    at = np.flatnonzero(found)
    score = np.zeros(m)
    if len(at):
        score[at] = score_pairs(two, at, at + m, weights)
    return found & (score >= weights.threshold), score, len(at)


def link_collapsed(t: IncidentTable, weights: Weights, link: Callable):
    """``link`` (``link_table`` without the collapse) run on the representatives, its labels
    and pairs given back to every row; None when no article is a copy of another."""
    rep = representatives(t)
    if rep is None:
        return None
    n = len(t)
    reps = np.flatnonzero(rep == np.arange(n))
    r = link(take(t, reps), weights)
    # the representatives' pairs and clusters, in rows of t (reps is increasing: the order
    # of rows, and so each cluster's smallest row, is kept)
    pi, pj, ps = reps[r.pairs_i], reps[r.pairs_j], r.scores
    label_of = reps[r.labels]
    clustered = np.bincount(r.labels, minlength=len(reps))[r.labels] > 1
    copies = np.flatnonzero(rep != np.arange(n))
    at = np.searchsorted(reps, rep[copies])                 # each copy's representative
    doubled = np.unique(at)
    twin_ok, twin_s, twin_candidates = self_pairs(t, reps[doubled], weights)
    twin_linked = np.zeros(len(reps), bool)
    twin_linked[doubled] = twin_ok
    twin_score = np.zeros(len(reps))
    twin_score[doubled] = twin_s
    labels = np.arange(n, dtype=np.int64)
    labels[reps] = label_of
    joins = clustered[at] | twin_linked[at]
    labels[copies[joins]] = label_of[at[joins]]
    # pairs at the threshold that connect what the whole table's would: a copy with its
    # representative where two copies link, else with the representative's best partner
    side = np.concatenate([r.pairs_i, r.pairs_j])
    other = np.concatenate([r.pairs_j, r.pairs_i])
    best_s = np.concatenate([ps, ps])
    order = np.lexsort((-best_s, side))
    side, other, best_s = side[order], other[order], best_s[order]
    head = np.ones(len(side), bool)
    head[1:] = side[1:] != side[:-1]
    partner = np.full(len(reps), -1, np.int64)
    partner_s = np.zeros(len(reps))
    partner[side[head]] = other[head]
    partner_s[side[head]] = best_s[head]
    mate = np.where(twin_linked[at], reps[at], np.where(partner[at] >= 0, reps[np.maximum(partner[at], 0)], -1))
    mate_s = np.where(twin_linked[at], twin_score[at], partner_s[at])
    has = mate >= 0
    ci, cj = np.minimum(copies[has], mate[has]), np.maximum(copies[has], mate[has])
    code = np.concatenate([pi * n + pj, ci * n + cj])
    score = np.concatenate([ps, mate_s[has]])
    order = np.argsort(code, kind="stable")
    code, score = code[order], score[order]
    return labels, code // n, code % n, score, r.candidates + twin_candidates
