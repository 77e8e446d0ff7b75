"""Near misses scored many at a time: the score's rule for another outlet's act that looks
like the same act on other days or in another governorate (``Verifier._outlets``: the day
and place conditions, ``score._identity``), over arrays of candidates.

An act's near misses are searched among the acts of its governorate's fortnight and of its
country's day, which grow with the archive's density: comparing them one by one in Python
made verification grow faster than the archive. Only the most telling near miss of each
kind counts, so the acts are held here as columns (in the candidates' archive order) and an
act's candidates are scored by a few array operations; the caller walks the best of them.

The arithmetic is the scalar rule's, term for term and in the same order (the same sums
of the same floats), so the scores are the same bit for bit; tolls merely close are told by
the ratio of their figures, not its logarithm (``close``).
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Callable, Hashable, Sequence

import numpy as np

NEAR_DAYS_FROM = 2    # a near miss on other days is at least this many days away

Best = tuple[list[float], list[int]]   # scores, best first, and the candidates' ranks


@dataclass(frozen=True, slots=True)
class Scored:
    """One act's near misses: those on other days and those in another governorate, as
    ``Best``; slices of its batch's lists, cut when read (most acts never read them)."""

    scores: list[float]
    ranks: list[int]
    bounds: list[int]
    at: int

    def on_days(self) -> Best:
        a, b = self.bounds[self.at], self.bounds[self.at + 1]
        return self.scores[a:b], self.ranks[a:b]

    def elsewhere(self) -> Best:
        a, b = self.bounds[self.at + 1], self.bounds[self.at + 2]
        return self.scores[a:b], self.ranks[a:b]

    def __bool__(self) -> bool:
        return self.bounds[self.at] < self.bounds[self.at + 2]


@dataclass(frozen=True)
class Rule:
    """The constants of the scalar rule (``score``): how far a near miss on other days may
    be, how close two tolls must be, the weights of a shared place and a shared side."""

    near_days: int
    figure_ratio: float          # exp of the log tolerance: tolls within this ratio are close
    figure_tol: float            # the log tolerance itself (for ratios at the edge)
    place: float = 0.8
    side: float = 0.2


def _rarity(v: np.ndarray) -> np.ndarray:
    """``score._rarity`` of each value."""
    return np.where(v < 3, 0.0, np.where(v < 6, 0.5, np.where(v < 15, 0.8, 1.0)))


class Misses:
    """The columns of the acts (in archive order) that the near-miss rule reads."""

    def __init__(self, acts: Sequence, compatible: Callable[[str, str], bool], rule: Rule):
        self.rule = rule
        self._compatible = compatible
        self._ids: dict[str, dict[Hashable, int]] = {"gov": {}, "country": {}, "type": {}, "place": {}, "side": {}}
        n = len(acts)

        def ids(kind: str, values) -> np.ndarray:
            table = self._ids[kind]
            return np.fromiter((table.setdefault(v, len(table)) for v in values), dtype=np.int64, count=n)

        self.d0 = np.fromiter((a.d0.toordinal() for a in acts), dtype=np.int64, count=n)
        self.d1 = np.fromiter((a.d1.toordinal() for a in acts), dtype=np.int64, count=n)
        self.gov = ids("gov", (a.gov or None for a in acts))
        self.country = ids("country", (a.country for a in acts))
        self.type = ids("type", (a.event_type for a in acts))
        self.place = ids("place", (a.place_key if a.place_specific else None for a in acts))
        self.toll = np.fromiter((a.has_toll for a in acts), dtype=bool, count=n)
        self.blo = np.fromiter((a.blo if a.has_toll else 0 for a in acts), dtype=np.float64, count=n)
        self.bhi = np.fromiter((a.bhi if a.has_toll else 0 for a in acts), dtype=np.float64, count=n)
        width = max((len(a.figures) for a in acts), default=0)
        self.figures = np.full((n, max(width, 1)), np.nan)
        for i, a in enumerate(acts):
            if a.figures:
                self.figures[i, :len(a.figures)] = sorted(a.figures)
        sides = self._ids["side"]
        for a in acts:
            for s in sorted(a.sides):
                sides.setdefault(s, len(sides))
        self.sides = np.zeros((n, max(1, -(-len(sides) // 64))), dtype=np.uint64)
        for i, a in enumerate(acts):
            for w, bit in self._bits(a.sides):
                self.sides[i, w] |= bit
        self._compatible_with: dict[str, np.ndarray] = {}

    def _bits(self, sides) -> list[tuple[int, np.uint64]]:
        table = self._ids["side"]
        return [(k // 64, np.uint64(1 << (k % 64))) for s in sides if (k := table.get(s)) is not None]

    def _types_for(self, t: str) -> np.ndarray:
        """Whether each event type of the table is compatible with ``t``."""
        got = self._compatible_with.get(t)
        if got is None or len(got) < len(self._ids["type"]):
            got = self._compatible_with[t] = np.array([self._compatible(t, u) for u in self._ids["type"]], dtype=bool)
        return got

    def _id(self, kind: str, value) -> int:
        return self._ids[kind].get(value, -1)

    def scored(self, xs: Sequence, ranks: Sequence[np.ndarray]) -> list[Scored]:
        """For each act of ``xs`` with its candidates ``ranks``: those that are near misses on
        other days and those in another governorate, each scored by the scalar rule
        (``_outlets``), best first (ties: the first in archive order), those that score
        nothing left out. All of them at once: an act's few candidates cost no more than
        their share of the arrays."""
        rule = self.rule
        k = len(xs)
        lengths = np.fromiter(map(len, ranks), dtype=np.intp, count=k)
        if not lengths.sum():
            return [Scored([], [], [0, 0, 0], 0)] * k
        owner = np.repeat(np.arange(k), lengths)
        r = np.concatenate(ranks).astype(np.intp, copy=False)
        # the columns of the acts scored, one row each, then one per candidate
        x0 = np.fromiter((x.d0.toordinal() for x in xs), dtype=np.int64, count=k)[owner]
        x1 = np.fromiter((x.d1.toordinal() for x in xs), dtype=np.int64, count=k)[owner]
        xgov = np.fromiter((self._id("gov", x.gov) if x.gov else -2 for x in xs), dtype=np.int64, count=k)[owner]
        xcountry = np.fromiter((self._id("country", x.country) for x in xs), dtype=np.int64, count=k)[owner]
        compatible = np.stack([self._types_for(x.event_type) for x in xs])[owner, self.type[r]]
        d0, d1, gov = self.d0[r], self.d1[r], self.gov[r]
        gap = np.where(x1 < d0, d0 - x1, np.where(d1 < x0, x0 - d1, 0))
        on_days = compatible & (gap >= NEAR_DAYS_FROM) & (gap <= rule.near_days) & (gov == xgov)
        elsewhere = compatible & (gap == 0) & (xgov != -2) & (gov != self._id("gov", None)) & (gov != xgov) \
            & (self.country[r] == xcountry)
        keep = np.flatnonzero(on_days | elsewhere)
        r, owner, gap, on_days = r[keep], owner[keep], gap[keep], on_days[keep]
        toll = self._toll(xs, owner, r)
        xplace = np.fromiter((self._id("place", x.place_key) if x.place_specific else -2 for x in xs),
                             dtype=np.int64, count=k)[owner]
        with_place = toll + np.where(self.place[r] == xplace, rule.place, 0.0)
        xsides = np.zeros((k, self.sides.shape[1]), dtype=np.uint64)
        for i, x in enumerate(xs):
            for w, bit in self._bits(x.sides):
                xsides[i, w] |= bit
        shared_side = ((self.sides[r] & xsides[owner]) != 0).any(axis=1)
        with_place = with_place + np.where((with_place > 0) & shared_side, rule.side, 0.0)
        toll = toll + np.where((toll > 0) & shared_side, rule.side, 0.0)
        score = np.where(on_days, np.minimum(1.0, with_place) * np.minimum(1.0, (gap - 1) / 4),
                         np.minimum(1.0, toll))
        some = np.flatnonzero(score > 0)
        score, r, owner, kind = score[some], r[some], owner[some], (~on_days[some]).astype(np.intp)
        order = np.lexsort((r, -score, kind, owner))
        score, r, group = score[order].tolist(), r[order].tolist(), (owner * 2 + kind)[order]
        bounds = np.searchsorted(group, np.arange(2 * k + 1)).tolist()
        return [Scored(score, r, bounds, 2 * i) for i in range(k)]

    def _toll(self, xs: Sequence, owner: np.ndarray, r: np.ndarray) -> np.ndarray:
        """``_identity``'s toll term for each candidate ``r`` of ``xs[owner]``: a figure both
        state (the larger, the rarer), else best figures within the tolerance (halved where a
        range is wide); of the same event type, both with a toll."""
        k = len(xs)
        xtoll = np.fromiter((x.has_toll for x in xs), dtype=bool, count=k)[owner]
        xtype = np.fromiter((self._id("type", x.event_type) for x in xs), dtype=np.int64, count=k)[owner]
        same = xtoll & self.toll[r] & (self.type[r] == xtype)
        xblo = np.fromiter((x.blo if x.has_toll else 0 for x in xs), dtype=np.float64, count=k)[owner]
        xbhi = np.fromiter((x.bhi if x.has_toll else 0 for x in xs), dtype=np.float64, count=k)[owner]
        width = max((len(x.figures) for x in xs), default=0)
        xfig = np.full((k, max(width, 1)), np.nan)
        for i, x in enumerate(xs):
            if x.figures:
                xfig[i, :len(x.figures)] = sorted(x.figures)
        ours, theirs = xfig[owner][:, :, None], self.figures[r][:, None, :]
        # a figure of ours that one of theirs is within 10% (or 1) of: the largest counts
        hit = (np.abs(ours - theirs) <= np.maximum(1.0, 0.1 * np.maximum(ours, theirs))).any(axis=2)
        shared = hit.any(axis=1)
        rarity = _rarity(np.where(hit, xfig[owner], -np.inf).max(axis=1))
        blo, bhi = self.blo[r], self.bhi[r]
        close = self.close(xblo, xbhi, blo, bhi)
        wide = (bhi > 2 * blo + 1) | (xbhi > 2 * xblo + 1)
        near = _rarity(np.minimum(xbhi, bhi)) * np.where(wide, 0.5, 1.0)
        return np.where(same, np.where(shared, rarity, np.where(close, near, 0.0)), 0.0)

    def close(self, xlo: np.ndarray, xhi: np.ndarray, blo: np.ndarray, bhi: np.ndarray) -> np.ndarray:
        """Whether ``log_distance`` of the best figures is within the tolerance: they overlap,
        or the ratio of the nearer ends (a float division, as the scalar rule's) is within
        ``figure_ratio``; a ratio at the edge is decided by ``math.log`` as the scalar rule."""
        above = xhi < blo                      # theirs above ours
        below = bhi < xlo
        with np.errstate(divide="ignore", invalid="ignore"):
            ratio = np.where(above, (blo + 1) / (xhi + 1), np.where(below, (xlo + 1) / (bhi + 1), 1.0))
        close = ratio <= self.rule.figure_ratio
        for i in np.flatnonzero(np.abs(ratio - self.rule.figure_ratio) <= 1e-9):
            close[i] = math.log(float(ratio[i])) <= self.rule.figure_tol
        return close
