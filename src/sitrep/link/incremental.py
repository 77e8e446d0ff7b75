"""Linking the store: in full, or only where it changed since the last link.

    from sitrep.link.incremental import link_store
    run = link_store(store)              # incremental where it can vouch for it, else full
    run = link_store(store, full=True)   # everything blocked, scored and clustered again

A full link (``full_link``) reads every incident, links them (``link_incidents``), saves the
links, and keeps what it read of each article (``Store.link_state``: its stamp, its lead's
and its incidents' evidence words, and how many incidents and leads hold each word).

An incremental link (``relink``) takes the articles stored or replaced since then.
Clustering is union-find over the pairs that reach the threshold, so a cluster depends only
on the pairs of its connected component (in the graph of those pairs): the components that
hold a changed incident, or a surviving member of a link that lost one, are linked again,
and every other link is kept. To find those components it reads the incidents of the days
around the changed ones (the candidate bucketing looks no further than a day either side of
a span), blocks, scores and clusters them as a full link does, and widens the days until no
incident of an affected component lies at their edge. Words are weighted over the whole
store, from the kept counts, with the full link's arithmetic, so the rescored pairs score as
in a full link; wire copies are found among the articles of those days, leaving out the
shingles the last full link found to be boilerplate.

Where it stays short of a full link: the counts of words move with every article, so a full
link would also rescore, by a hair, pairs far from the change, and a pair within that hair
of the threshold can fall the other way (on the FA-KES dev articles, added one at a time to
300 and relinked after each, one pair of 142 links: 0.5401 when linked, 0.5397 in a full
link forty articles later); the wire groups of the relinked incidents are found among the
articles of the days read (a copy chained through an article outside them is not seen),
leaving out the boilerplate the last full link found (a shingle the new articles make
boilerplate is left out only from the next full link on); the perpetrator codes are the
days' own (the same as a full link's wherever fewer than 63 actors occur). `sitrep link
--full` now and then removes the drift. It does not apply, and a full link runs, when there
is no state, when the links were saved by other means since (an older sitrep), or when more
than ``MAX_CHANGED`` articles changed. New articles are found by key (above the highest the
state holds: keys only grow, articles are never deleted), replaced ones from a log that
``Store.add`` writes, with the links their incidents were in (those a replacement can leave
short of a member: only they are counted).
"""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Callable

import numpy as np

from ..store import LinkedIncident, Store
from ..store.linkstate import BOILERPLATE, EVIDENCE, LEADS, ArticleState
from . import ReadWords, link_incidents, link_table, wire_groups, wires_within
from .features import MAX_SPAN_DAYS, REPORT_LAG_DAYS, Corpus, from_incidents
from .scoring import DEFAULT, Weights

MAX_CHANGED = 2000          # articles: beyond, one full link costs less than following them
# A row whose span touches days [a - 1, b + 1] (a candidate of a row within [a, b]) is dated
# (its ``date``) within [a - 1 - MAX_SPAN_DAYS, b + 1 + REPORT_LAG_DAYS + 1].
_BEFORE = MAX_SPAN_DAYS + 1
_AFTER = REPORT_LAG_DAYS + 2
_ABSENT = "?"               # the stamp of an article read but not stamped: changed next time


@dataclass
class LinkRun:
    """What a link did."""

    incremental: bool
    articles_changed: int = 0         # incremental: articles stored or replaced since
    incidents_read: int = 0           # incidents blocked and scored (the whole store when full)
    links_replaced: int = 0           # incremental: links dropped
    links_written: int = 0            # links written
    links: list[LinkedIncident] = field(default_factory=list)   # full: every link


def link_store(store: Store, full: bool = False, weights: Weights = DEFAULT,
               progress: Callable[[str], None] | None = None) -> LinkRun:
    """Link the store: incrementally unless ``full`` or the increment cannot be vouched for."""
    if not full:
        run = relink(store, weights)
        if run is not None:
            return run
    return full_link(store, weights, progress)


# -- full -------------------------------------------------------------------------------------

def full_link(store: Store, weights: Weights = DEFAULT,
              progress: Callable[[str], None] | None = None) -> LinkRun:
    say = progress or (lambda _: None)
    state = store.link_state
    stamps = state.all_stamps()   # before reading: an article replaced meanwhile is changed next time
    log_end = state.replaced_log_end()
    say("linking the articles' incidents")
    words = ReadWords()
    # the articles are streamed from the store (their leads, then their wire-copy columns),
    # not held: an archive's texts were the largest part of a full link's memory
    links = link_incidents(store.iter_incidents(), store, weights, words)
    say("saving links")
    saved = store.save_links(links)
    with store.db.transaction():
        state.replace(_states(words, stamps), _word_counts(words), saved, log_end)
    return LinkRun(incremental=False, incidents_read=len(words.incidents), links_written=len(links), links=links)


def _states(words: ReadWords, stamps: dict[int, str]):
    """Per article, what the link read of it."""
    evidence: dict[int, dict[int, np.ndarray]] = defaultdict(dict)
    for pk, article, ids in zip(words.incidents.tolist(), words.article.tolist(), words.evidence):
        evidence[article][pk] = ids
    for article in sorted(set(stamps) | set(evidence)):
        lead = words.leads.get(article) if words.leads else None
        yield ArticleState(article, stamps.get(article, _ABSENT),
                           lead if lead is not None else np.zeros(0, np.int64), evidence.get(article, {}))


def _word_counts(words: ReadWords) -> dict[int, dict[int, int]]:
    ev = [np.unique(ids) for ids in words.evidence]
    leads = [np.unique(ids) for ids in (words.leads or {}).values() if len(ids)]
    out = {}
    for kind, sets in ((EVIDENCE, ev), (LEADS, leads)):
        flat = np.concatenate(sets) if sets else np.zeros(0, np.int64)
        w, n = np.unique(flat, return_counts=True)
        out[kind] = dict(zip(w.tolist(), n.tolist()))
    out[BOILERPLATE] = dict.fromkeys(words.boilerplate.tolist(), 1)
    return out


# -- incremental ------------------------------------------------------------------------------

def relink(store: Store, weights: Weights = DEFAULT) -> LinkRun | None:
    """Link again only what changed since the last link (see the module); None where that
    cannot be vouched for (the caller links in full)."""
    state = store.link_state
    saved = state.links_stamp()
    if saved is None or saved != store.links_saved_at():
        return None
    changed, log_end = state.changed_articles()
    if not changed:
        return LinkRun(incremental=True)
    if len(changed) > MAX_CHANGED:
        return None
    before = state.articles(changed)
    stamps = state.stamps(changed)
    old_pks = {pk for a in before.values() for pk in a.evidence}
    new_incidents = store.stored_incidents(store.incidents_of_articles(changed))
    new_pks = {si.pk for si in new_incidents}

    # what the changed articles hold now, read as a full link reads them
    leads: dict[int, np.ndarray] = {}
    _, tokens = from_incidents(new_incidents, store.articles_by_pk(stamps), leads_out=leads)
    after: dict[int, ArticleState] = {
        pk: ArticleState(pk, stamp, np.zeros(0, np.int64), {}) for pk, stamp in stamps.items()}
    for si, ids in zip(new_incidents, tokens):
        after[si.article_pk].evidence[si.pk] = ids
    for pk, ids in leads.items():
        after[pk].lead = ids
    delta = _delta(before.values(), after.values())
    corpus = _corpus(store, state, delta, before.values(), after.values())

    # the links that lose a member go, their other members are linked again with the new
    # (a replaced article's incidents were deleted, and their membership with them: the links
    # short of a member are looked for only then, among those the replacement log names)
    short = state.replaced_links(log_end) if old_pks else False
    dropped = {lk.id: lk for lk in store.links_holding(old_pks | new_pks, short=True if short is None else short)}
    seeds = new_pks | {m for lk in dropped.values() for m in lk.members if m not in old_pks}
    found = _affected(store, seeds, corpus, weights)
    new_links: list[LinkedIncident] = []
    read = 0
    if found is not None:
        rows, table_pks, labels, articles, row_article = found
        read = len(table_pks)
        affected_pks = [table_pks[r] for r in rows]
        for lk in store.links_holding(affected_pks, short=False):
            dropped.setdefault(lk.id, lk)
        members: dict[int, list[int]] = defaultdict(list)
        for r in rows:
            members[int(labels[r])].append(r)
        groups = wire_groups(articles.values(), boilerplate=state.words(BOILERPLATE))
        group_of = {pk: g for g in groups for pk in g}
        for rs in members.values():
            if len(rs) < 2:
                continue
            pks = sorted(table_pks[r] for r in rs)
            arts = {row_article[r] for r in rs}
            new_links.append(LinkedIncident(id=pks[0], members=pks, wire_groups=wires_within(arts, group_of)))
        new_links.sort(key=lambda lk: lk.id)
    with store.db.transaction():
        stamp = store.replace_links(dropped, new_links)
        state.update(changed, after.values(), delta, stamp, log_end)
    return LinkRun(incremental=True, articles_changed=len(changed), incidents_read=read,
                   links_replaced=len(dropped), links_written=len(new_links))


def _delta(before, after) -> dict[int, dict[int, int]]:
    """How the word counts move when the articles ``before`` become ``after``."""
    out: dict[int, dict[int, int]] = {EVIDENCE: defaultdict(int), LEADS: defaultdict(int), BOILERPLATE: {}}
    for states, sign in ((before, -1), (after, 1)):
        for a in states:
            for ids in a.evidence.values():
                for w in np.unique(ids).tolist():
                    out[EVIDENCE][w] += sign
            if len(a.lead):
                for w in np.unique(a.lead).tolist():
                    out[LEADS][w] += sign
    return out


def _corpus(store: Store, state, delta, before, after) -> Corpus:
    """The whole store's word counts, as they are once the change is counted."""
    incidents = int(store.db.one("SELECT COUNT(*) FROM incidents")[0])
    leads = state.counted_leads() - sum(1 for a in before if len(a.lead)) + sum(1 for a in after if len(a.lead))

    def df(kind: int) -> Callable[[np.ndarray], np.ndarray]:
        moved = delta[kind]

        def counts(words: np.ndarray) -> np.ndarray:
            base = state.word_counts(kind, words)
            return base + np.array([moved.get(w, 0) for w in words.tolist()], np.int64)
        return counts

    return Corpus(incidents, df(EVIDENCE), leads, df(LEADS))


def _iso(day: int) -> str:
    return dt.date.fromordinal(day).isoformat()


def _merged(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for a, b in sorted(spans):
        if out and a <= out[-1][1] + 1:
            out[-1] = (out[-1][0], max(out[-1][1], b))
        else:
            out.append((a, b))
    return out


def _affected(store: Store, seeds: set[int], corpus: Corpus, weights: Weights):
    """The rows of the connected components (pairs at the threshold) that hold a seed,
    linked: (rows, row -> incident key, cluster labels, {pk: article}, row -> article key),
    over the days read; None when no seed can be linked."""
    if not seeds:
        return None
    seed_rows = store.stored_incidents(seeds)
    t, _ = from_incidents(seed_rows)
    ok = t.linkable
    spans = _merged(list(zip(t.start[ok].tolist(), t.end[ok].tolist())))
    if not spans:
        return None
    while True:
        pks: set[int] = set()
        for a, b in spans:
            pks.update(store.incidents_dated(_iso(a - _BEFORE), _iso(b + _AFTER)))
        rows = store.stored_incidents(pks)
        articles = store.articles_by_pk({si.article_pk for si in rows})
        table, _ = from_incidents(rows, articles, corpus=corpus)
        result = link_table(table, weights)
        row_pks = [si.pk for si in rows]
        component = _components(len(table), result.pairs_i, result.pairs_j)
        seed_at = [r for r, pk in enumerate(row_pks) if pk in seeds]
        wanted = set(component[seed_at].tolist())
        affected = np.flatnonzero(np.isin(component, list(wanted)))
        # an affected row at the edge of the days read may have candidates beyond them
        lin = affected[table.linkable[affected]]
        starts, ends = table.start[lin].astype(np.int64), table.end[lin].astype(np.int64)
        inside = np.zeros(len(lin), bool)
        for a, b in spans:
            inside |= (starts >= a) & (ends <= b)
        if inside.all():
            return affected.tolist(), row_pks, result.labels, articles, table.article.tolist()
        spans = _merged(spans + list(zip(starts[~inside].tolist(), ends[~inside].tolist())))


def _components(n: int, i: np.ndarray, j: np.ndarray) -> np.ndarray:
    """A component label per row of the graph of pairs (i, j) (a few hundred rows: plain
    union-find; scipy's csgraph costs more to import than this takes)."""
    parent = list(range(n))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in zip(i.tolist(), j.tolist()):
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    return np.array([find(x) for x in range(n)], np.int64)
