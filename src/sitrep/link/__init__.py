"""The link stage: incidents of different articles that report one act become one
``LinkedIncident``, and articles that reprint one wire story are grouped.

    from sitrep.link import link_incidents, wire_groups
    links = link_incidents(store.incidents(), {a.pk: a for a in store.articles()})

Steps (one module each): ``features`` turns incidents into numpy columns; ``copies`` lets
the first of an article's exact copies stand for the others; ``blocking``
finds candidate pairs by date and place keys; ``scoring`` scores them; ``cluster`` joins
linked pairs by union-find with a guard against chaining; ``wire`` groups wire copies.
Reads the records and the store's data classes; nothing of the stages after it.
"""
from __future__ import annotations

from dataclasses import dataclass
from array import array
from typing import Iterable, Iterator, Mapping, Protocol

import numpy as np

from ..store.model import LinkedIncident, StoredArticle, StoredIncident
from .blocking import candidate_chunks
from .cluster import union_clusters
from .copies import link_collapsed
from .features import IncidentTable, from_incidents, has_articles
from .scoring import DEFAULT, Weights, score_pairs
from .wire import agency_credits, read_columns, wire_groups


@dataclass
class LinkResult:
    """What ``link_table`` found: a cluster label per row and the linked pairs."""

    labels: np.ndarray      # int64: rows with one label report one act
    pairs_i: np.ndarray     # the candidate pairs that reached the threshold (exact copies
    pairs_j: np.ndarray     # collapsed: those of the first copies, one more for each other)
    scores: np.ndarray
    candidates: int         # how many candidate pairs were scored


def link_table(t: IncidentTable, weights: Weights = DEFAULT, collapse: bool = True) -> LinkResult:
    """Block, score and cluster the rows of an ``IncidentTable``, a chunk of candidate
    pairs at a time (only the pairs that reach the threshold are kept). With ``collapse``,
    exact copies of an article are linked once, through the first of them (``copies``):
    the same clusters; the pairs are those of the representatives, and one pair per copy
    that joins them (a copy is not paired with every row its representative is)."""
    if collapse:
        found = link_collapsed(t, weights, _link_rows)
        if found is not None:
            return LinkResult(*found)
    return _link_rows(t, weights)


def _link_rows(t: IncidentTable, weights: Weights) -> LinkResult:
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
                   articles: "Mapping[int, StoredArticle] | ArticleSource | None" = None,
                   weights: Weights = DEFAULT, words: "ReadWords | None" = None,
                   collapse: bool = True) -> list[LinkedIncident]:
    """One ``LinkedIncident`` per act that two or more incidents report (of different
    articles); an incident no other article reports is in none (``reconcile_all`` lets it
    stand alone). Each carries the wire groups among its members' articles (two or more
    articles reprinting one story), from ``articles`` (``{pk: StoredArticle}``, whose leads
    also feed the score; without it, no wire groups), or from a source of them (a ``Store``:
    ``ArticleSource``), streamed twice, for the leads and for the wire-copy search, and
    held as numbers only (the texts of an archive's articles are not kept). Ordered by their first member, which
    is also each one's id (so that a relink of part of the store numbers a link as a full one
    does). ``collapse``: as for ``link_table``. ``incidents`` are read once, in order: a stream (``Store.iter_incidents``) keeps
    no more of them in memory than the columns linking reads. ``words``: filled with the
    words read (what ``incremental`` keeps between links)."""
    pks = array("q")

    def rows() -> Iterator[StoredIncident]:
        for si in incidents:
            pks.append(si.pk)
            yield si

    leads: dict = {} if words is not None else None
    table, tokens = from_incidents(rows(), articles, leads_out=leads)
    if words is not None:
        words.incidents = np.frombuffer(pks, np.int64).copy() if len(pks) else np.zeros(0, np.int64)
        words.article = table.article.copy()
        words.evidence = tokens
        words.leads = leads
    del tokens
    if not len(table):
        return []
    result = link_table(table, weights, collapse)
    article = table.article
    del table
    found: list = []
    if not has_articles(articles):
        groups = []
    else:
        groups = wire_groups(articles.values() if isinstance(articles, Mapping) else read_columns(articles),
                             found=found)
    if words is not None:
        words.boilerplate = found[0] if found else np.zeros(0, np.int64)
    group_of = {pk: g for g in groups for pk in g}
    labels = result.labels
    members: dict[int, list[int]] = {}
    for row in np.flatnonzero(np.bincount(labels, minlength=len(labels))[labels] > 1).tolist():
        members.setdefault(int(labels[row]), []).append(row)
    links = []
    for rows_ in sorted(members.values(), key=lambda rs: min(pks[r] for r in rs)):
        arts = {int(article[r]) for r in rows_}
        member_pks = sorted(pks[r] for r in rows_)
        links.append(LinkedIncident(id=member_pks[0], members=member_pks, wire_groups=wires_within(arts, group_of)))
    return links


def wires_within(arts: set[int], group_of: Mapping[int, list[int]]) -> list[list[int]]:
    """The wire groups among the articles ``arts`` (of one linked incident): each group of
    ``group_of`` (article -> its group) cut to them, where two or more remain."""
    wires, seen = [], set()
    for pk in sorted(arts):
        g = group_of.get(pk)
        if g is None or id(g) in seen:
            continue
        seen.add(id(g))
        inside = [a for a in g if a in arts]
        if len(inside) >= 2:
            wires.append(inside)
    return wires


class ArticleSource(Protocol):
    """Where a link may read the articles instead of a mapping of them (a ``Store`` is one):
    ``articles()`` streams them in key order; ``article(pk)`` reads one again."""

    def articles(self) -> Iterable[StoredArticle]: ...

    def article(self, pk: int) -> StoredArticle | None: ...


@dataclass
class ReadWords:
    """The words a link read: each row's incident key, article and evidence word ids, and each
    article's lead word ids (``from_incidents``)."""

    incidents: np.ndarray = None
    article: np.ndarray = None
    evidence: list = None
    leads: dict = None
    boilerplate: np.ndarray = None   # the shingles the wire-copy search left out


__all__ = ["ArticleSource", "IncidentTable", "LinkResult", "ReadWords", "Weights", "agency_credits", "from_incidents",
           "link_incidents", "link_table", "wire_groups", "wires_within"]
