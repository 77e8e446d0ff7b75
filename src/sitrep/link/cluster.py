"""Linked pairs into clusters: union-find, strongest pairs first, with a guard.

Union-find alone chains: a vague incident ("air strikes in Aleppo province on Monday")
links to a strike in one town and to a strike in another, and the two different acts end
in one cluster. So each cluster keeps a summary of its members, and two clusters merge
only if the merged cluster still describes one act:

- at most one incident of each article (an article's incidents are different acts);
- all date spans within a day of each other (the latest start at most a day after the
  earliest end);
- all precisely located members (points, towns, districts) within the distance their
  coarsest precision allows (``2 * RADIUS_KM``);
- if any member is located only by its first-level division, no two members in different
  divisions;
- every pair of event types compatible (no veto in the scorer's table).

Pairs are taken in order of decreasing score, so an incident joins the act it fits best
before a weaker pair can pull it elsewhere.
"""
from __future__ import annotations

import math
from array import array

import numpy as np

from .blocking import KM_PER_DEG, RADIUS_KM, is_vague
from .features import DISTRICT, IncidentTable
from .scoring import TYPE_FIT

_INCOMPATIBLE = [sum(1 << b for b in range(TYPE_FIT.shape[0]) if TYPE_FIT[a, b] == 0)
                 for a in range(TYPE_FIT.shape[0])]
_MULTI = -2  # admin1 code of a cluster spanning several divisions


def _types_ok(mask: int) -> bool:
    m = mask
    while m:
        low = m & -m
        if mask & _INCOMPATIBLE[low.bit_length() - 1]:
            return False
        m ^= low
    return True


def union_clusters(t: IncidentTable, i: np.ndarray, j: np.ndarray, score: np.ndarray) -> np.ndarray:
    """A cluster label per row (the label is the smallest row of the cluster)."""
    n = len(t)
    # Per-row summaries, kept at each cluster's root, in compact arrays (this loop is Python)
    parent = array("q", range(n))
    size = array("q", [1]) * n
    s_start = array("q", t.start.astype(np.int64).tobytes())   # latest start in the cluster
    s_end = array("q", t.end.astype(np.int64).tobytes())       # earliest end
    vague_rows = is_vague(t)
    has_xy = ~np.isnan(t.lat) & ~np.isnan(t.lon) & (t.prec <= DISTRICT) & ~vague_rows
    lat = np.where(has_xy, t.lat, np.nan)
    lon = np.where(has_xy, t.lon, np.nan)
    lat0, lat1 = array("d", lat.tobytes()), array("d", lat.tobytes())   # bounding box of the
    lon0, lon1 = array("d", lon.tobytes()), array("d", lon.tobytes())   # precise places
    coarse = array("q", np.where(has_xy, t.prec, -1).astype(np.int64).tobytes())
    s_admin = array("q", t.admin1.astype(np.int64).tobytes())
    s_vague = array("b", vague_rows.astype(np.int8).tobytes())
    s_types = array("q", (np.int64(1) << t.etype.astype(np.int64)).tobytes())
    article = t.article
    s_articles: dict[int, set] = {}   # roots of clusters of two or more articles

    def find(x: int) -> int:
        root = x
        while parent[root] != root:
            root = parent[root]
        while parent[x] != root:
            parent[x], x = root, parent[x]
        return root

    order = np.lexsort((j, i, -score))  # strongest first; ties in a fixed order
    for c in range(0, len(order), 200_000):
        part = order[c:c + 200_000]
        for a, b in zip(i[part].tolist(), j[part].tolist()):
            ra, rb = find(a), find(b)
            if ra == rb:
                continue
            # dates: every span within a day of every other
            ms = max(s_start[ra], s_start[rb])
            me = min(s_end[ra], s_end[rb])
            if ms > me + 1:
                continue
            # event types: no two that cannot be one act
            tm = s_types[ra] | s_types[rb]
            if tm != s_types[ra] and tm != s_types[rb] and not _types_ok(tm):
                continue
            # first-level divisions: one, if any member is located by its division only
            aa, ab = s_admin[ra], s_admin[rb]
            adm = ab if aa == -1 else (aa if ab == -1 or ab == aa else _MULTI)
            vg = s_vague[ra] or s_vague[rb]
            if vg and adm == _MULTI:
                continue
            # precise places: all within the distance the coarsest precision allows
            ca, cb = coarse[ra], coarse[rb]
            if ca >= 0 and cb >= 0:
                y0, y1 = min(lat0[ra], lat0[rb]), max(lat1[ra], lat1[rb])
                x0, x1 = min(lon0[ra], lon0[rb]), max(lon1[ra], lon1[rb])
                dy = (y1 - y0) * KM_PER_DEG
                dx = (x1 - x0) * KM_PER_DEG * math.cos(math.radians((y0 + y1) / 2))
                cp = max(ca, cb)
                if math.hypot(dx, dy) > 2 * RADIUS_KM[cp]:
                    continue
            elif ca >= 0:
                y0, y1, x0, x1, cp = lat0[ra], lat1[ra], lon0[ra], lon1[ra], ca
            else:
                y0, y1, x0, x1, cp = lat0[rb], lat1[rb], lon0[rb], lon1[rb], cb
            # articles: at most one incident of each
            xa = s_articles.get(ra) or {int(article[ra])}
            xb = s_articles.get(rb) or {int(article[rb])}
            if not xa.isdisjoint(xb):
                continue
            if size[ra] < size[rb]:
                ra, rb, xa, xb = rb, ra, xb, xa
            parent[rb] = ra
            size[ra] += size[rb]
            xa |= xb
            s_articles[ra] = xa
            s_articles.pop(rb, None)
            s_start[ra], s_end[ra], s_types[ra], s_admin[ra], s_vague[ra] = ms, me, tm, adm, vg
            lat0[ra], lat1[ra], lon0[ra], lon1[ra], coarse[ra] = y0, y1, x0, x1, cp

    roots = np.frombuffer(parent, dtype=np.int64).copy()
    # compress: follow parents until stable (vectorised)
    while True:
        nxt = roots[roots]
        if np.array_equal(nxt, roots):
            break
        roots = nxt
    smallest = np.full(n, n, np.int64)
    np.minimum.at(smallest, roots, np.arange(n))
    return smallest[roots]
