"""The link stage: incidents of different articles that report one act become one
``LinkedIncident``, and articles that reprint one wire story are grouped.

    from sitrep.link import link_incidents, wire_groups
    links = link_incidents(store.incidents(), {a.pk: a for a in store.articles()})

Steps (one module each): ``features`` turns incidents into numpy columns; ``blocking``
finds candidate pairs by date and place keys; ``scoring`` scores them; ``cluster`` joins
linked pairs by union-find with a guard against chaining; ``wire`` groups wire copies.
Reads the records and the store's data classes; nothing of the stages after it.
"""
from __future__ import annotations

from dataclasses import dataclass
from array import array
from typing import Iterable, Iterator, Mapping

import numpy as np

from ..store.model import LinkedIncident, StoredArticle, StoredIncident
from .blocking import candidate_chunks
from .cluster import union_clusters
from .features import IncidentTable, from_incidents
from .scoring import DEFAULT, Weights, score_pairs
from .wire import agency_credits, wire_groups


@dataclass
class LinkResult:
    """What ``link_table`` found: a cluster label per row and the linked pairs."""

    labels: np.ndarray      # int64: rows with one label report one act
    pairs_i: np.ndarray     # the candidate pairs that reached the threshold
    pairs_j: np.ndarray
    scores: np.ndarray
    candidates: int         # how many candidate pairs were scored


def link_table(t: IncidentTable, weights: Weights = DEFAULT) -> LinkResult:
    """Block, score and cluster the rows of an ``IncidentTable``, a chunk of candidate
    pairs at a time (only the pairs that reach the threshold are kept)."""
    n = len(t)
    kept, scores, candidates = [], [], 0
    for i, j in candidate_chunks(t):
        candidates += len(i)
        s = score_pairs(t, i, j, weights)
        ok = s >= weights.threshold
        kept.append(i[ok] * n + j[ok])
        scores.append(s[ok])
    code = np.concatenate(kept) if kept else np.zeros(0, np.int64)
    score = np.concatenate(scores) if scores else np.zeros(0)
    code, first = np.unique(code, return_index=True)  # a pair scored in two chunks
    i, j, score = code // n, code % n, score[first]
    labels = union_clusters(t, i, j, score)
    return LinkResult(labels, i, j, score, candidates)


def link_incidents(incidents: Iterable[StoredIncident],
                   articles: Mapping[int, StoredArticle] | None = None,
                   weights: Weights = DEFAULT) -> list[LinkedIncident]:
    """One ``LinkedIncident`` per act that two or more incidents report (of different
    articles); an incident no other article reports is in none (``reconcile_all`` lets it
    stand alone). Each carries the wire groups among its members' articles (two or more
    articles reprinting one story), from ``articles`` (``{pk: StoredArticle}``, whose leads
    also feed the score; without it, no wire groups). Ordered by their first member; ids
    count from 1. ``incidents`` are read once, in order: a stream (``Store.iter_incidents``)
    keeps no more of them in memory than the columns linking reads."""
    pks = array("q")

    def rows() -> Iterator[StoredIncident]:
        for si in incidents:
            pks.append(si.pk)
            yield si

    table, _ = from_incidents(rows(), articles)
    if not len(table):
        return []
    result = link_table(table, weights)
    article = table.article
    del table
    groups = wire_groups(articles.values()) if articles else []
    group_of = {pk: g for g in groups for pk in g}
    labels = result.labels
    members: dict[int, list[int]] = {}
    for row in np.flatnonzero(np.bincount(labels, minlength=len(labels))[labels] > 1).tolist():
        members.setdefault(int(labels[row]), []).append(row)
    links = []
    for n, rows_ in enumerate(sorted(members.values(), key=lambda rs: min(pks[r] for r in rs)), start=1):
        arts = {int(article[r]) for r in rows_}
        wires, seen = [], set()
        for pk in sorted(arts):
            g = group_of.get(pk)
            if g is None or id(g) in seen:
                continue
            seen.add(id(g))
            inside = [a for a in g if a in arts]
            if len(inside) >= 2:
                wires.append(inside)
        links.append(LinkedIncident(id=n, members=sorted(pks[r] for r in rows_), wire_groups=wires))
    return links


__all__ = ["IncidentTable", "LinkResult", "Weights", "agency_credits", "from_incidents",
           "link_incidents", "link_table", "wire_groups"]
