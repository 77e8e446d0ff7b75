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
STRIDE = 1 << 22      # above any day's ordinal: a key's acts, then the next key's

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
    """The columns of the acts (in archive order) that the near-miss rule reads, and the acts
    filed by the keys a near miss shares with the act it may be (``found``).

    ``telling(a)``: whether a's toll can tell the same act (``score.telling``)."""

    def __init__(self, acts: Sequence, compatible: Callable[[str, str], bool],
                 telling: Callable[[object], bool], rule: Rule):
        self.rule = rule
        self._compatible = compatible
        self._telling = telling
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
        self.n_figures = np.fromiter((len(a.figures) for a in acts), dtype=np.int64, count=n)
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
        self._file(acts)

    # -- the acts by key ---------------------------------------------------------------------
    #
    # A near miss shares with the act it may be a governorate and an event type, both with a
    # telling toll, and is at most ``near_days`` away; or a country, an event type, telling
    # tolls and a day; or a governorate and a specific place (of compatible types) at most
    # ``near_days`` away. Each is a key; an act is filed under its keys (under the third, once
    # for each type it is compatible with), all of them in one array sorted by key and start
    # day, so that the acts of a batch find theirs in a few searches of it. A window starts
    # the longest span early: it holds more acts than it must, which the rule's conditions
    # on days (``_scored``) pass over.

    def _code(self, kind: int, a: np.ndarray, b: np.ndarray, t: np.ndarray) -> np.ndarray:
        return ((kind * self._span_a + a) * self._span_b + b) * self._span_t + t

    def _file(self, acts: Sequence) -> None:
        n = len(acts)
        self._span_a = max(len(self._ids["gov"]), len(self._ids["country"])) + 1
        self._span_b = len(self._ids["place"]) + 1
        self._span_t = len(self._ids["type"]) + 1
        self.telling = np.fromiter((self._telling(a) for a in acts), dtype=bool, count=n)
        with_gov = np.fromiter((bool(a.gov) for a in acts), dtype=bool, count=n)
        specific = np.fromiter((a.place_specific for a in acts), dtype=bool, count=n)
        zero = np.zeros(n, dtype=np.int64)
        told = np.flatnonzero(with_gov & self.telling)
        towns = np.flatnonzero(with_gov & specific)
        types = list(self._ids["type"])
        table = np.array([[self._compatible(t, u) for u in types] for t in types], dtype=bool).reshape(
            len(types), len(types))
        # (town, query type) for each type the town's act is compatible with
        at, query_type = np.nonzero(table[:, self.type[towns]].T)
        at = towns[at]
        codes = np.concatenate([self._code(0, self.gov[told], zero[told], self.type[told]),
                                self._code(1, self.country[told], zero[told], self.type[told]),
                                self._code(2, self.gov[at], self.place[at], query_type)])
        ranks = np.concatenate([told, told, at])
        order = np.lexsort((ranks, self.d0[ranks], codes))
        self._keys, which = np.unique(codes[order], return_inverse=True)
        self._filed = which.astype(np.int64) * STRIDE + self.d0[ranks[order]]
        self._filed_ranks = ranks[order]
        self._longest = int((self.d1 - self.d0).max()) if n else 0

    def found(self, xs: Sequence) -> tuple[np.ndarray, np.ndarray]:
        """(owner, rank): the acts that may be near misses of each act of ``xs`` (``owner``:
        its place in ``xs``), each once, among them some the rule then passes over."""
        rule = self.rule
        n = len(self.d0)
        owner, code, days = [], [], []
        extra = []   # (owner, ranks) of acts of a type no act has (``_unknown_type``)
        for i, x in enumerate(xs):
            if x.d0 is None or not x.gov or not n:
                continue
            gov, t = self._id("gov", x.gov), self._id("type", x.event_type)
            place = self._id("place", x.place_key) if x.place_specific else -1
            if t < 0:
                if gov >= 0 and place >= 0:
                    extra.append((i, self._unknown_type(gov, place)))
                continue   # none shares its type (the first two keys)
            if self._telling(x):
                if gov >= 0:
                    owner.append(i)
                    code.append(self._code(0, gov, 0, t))
                    days.append(rule.near_days)
                if (country := self._id("country", x.country)) >= 0:
                    owner.append(i)
                    code.append(self._code(1, country, 0, t))
                    days.append(0)
            if gov >= 0 and place >= 0:
                owner.append(i)
                code.append(self._code(2, gov, place, t))
                days.append(rule.near_days)
        if not owner and not extra:
            return np.empty(0, dtype=np.intp), np.empty(0, dtype=np.intp)
        owner = np.array(owner, dtype=np.int64)
        code, days = np.array(code, dtype=np.int64), np.array(days, dtype=np.int64)
        at = np.searchsorted(self._keys, code)
        filed = (at < len(self._keys)) & (self._keys[np.minimum(at, len(self._keys) - 1)] == code) \
            if len(self._keys) else np.zeros(len(code), dtype=bool)
        owner, at, days = owner[filed], at[filed], days[filed]
        x0 = np.fromiter((xs[i].d0.toordinal() for i in owner), dtype=np.int64, count=len(owner))
        x1 = np.fromiter((xs[i].d1.toordinal() for i in owner), dtype=np.int64, count=len(owner))
        first = np.searchsorted(self._filed, at * STRIDE + x0 - days - self._longest, "left")
        last = np.searchsorted(self._filed, at * STRIDE + x1 + days, "right")
        counts = last - first
        total = int(counts.sum())
        # the positions first..last of each window, one after another
        pos = np.arange(total) - np.repeat(np.cumsum(counts) - counts, counts) + np.repeat(first, counts)
        pairs = [np.repeat(owner, counts) * n + self._filed_ranks[pos]]
        pairs += [i * n + ranks for i, ranks in extra]
        pairs = np.sort(np.concatenate(pairs))
        pairs = pairs[np.concatenate(([True], pairs[1:] != pairs[:-1]))] if len(pairs) else pairs
        return pairs // n, pairs % n

    def _unknown_type(self, gov: int, place: int) -> np.ndarray:
        """The acts of a governorate and specific place: those an act of an event type no act
        has may meet there (the rule asks which types are compatible)."""
        return np.flatnonzero((self.gov == gov) & (self.place == place))

    def _bits(self, sides) -> list[tuple[int, np.uint64]]:
        table = self._ids["side"]
        return [(k // 64, np.uint64(1 << (k % 64))) for s in sides if (k := table.get(s)) is not None]

    def _types_for(self, t: str) -> np.ndarray:
        """Whether each event type of the table is compatible with ``t``."""
        got = self._compatible_with.get(t)
        if got is None:
            got = self._compatible_with[t] = np.array([self._compatible(t, u) for u in self._ids["type"]], dtype=bool)
        return got

    def _id(self, kind: str, value) -> int:
        return self._ids[kind].get(value, -1)

    def near_misses(self, xs: Sequence) -> list[Scored]:
        """For each act of ``xs``: the acts that are its near misses on other days and those
        in another governorate, each scored by the scalar rule (``_outlets``), best first
        (ties: the first in archive order), those that score nothing left out. All at once:
        an act's few candidates cost no more than their share of the arrays."""
        return self._scored(xs, *self.found(xs))

    def scored(self, xs: Sequence, ranks: Sequence[np.ndarray]) -> list[Scored]:
        """As ``near_misses``, among the candidates ``ranks`` of each act of ``xs``."""
        lengths = np.fromiter(map(len, ranks), dtype=np.intp, count=len(xs))
        owner = np.repeat(np.arange(len(xs)), lengths)
        return self._scored(xs, owner, np.concatenate(ranks).astype(np.intp) if len(xs) else owner)

    def _scored(self, xs: Sequence, owner: np.ndarray, r: np.ndarray) -> list[Scored]:
        rule = self.rule
        k = len(xs)
        if not len(r):
            return [Scored([], [], [0, 0, 0], 0)] * k
        # the columns of the acts scored, one row each, then one per candidate; the
        # conditions on days and places first (they leave few of a dense archive's
        # candidates), then the event types of those left
        x0 = np.fromiter((x.d0.toordinal() for x in xs), dtype=np.int64, count=k)[owner]
        x1 = np.fromiter((x.d1.toordinal() for x in xs), dtype=np.int64, count=k)[owner]
        xgov = np.fromiter((self._id("gov", x.gov) if x.gov else -2 for x in xs), dtype=np.int64, count=k)[owner]
        xcountry = np.fromiter((self._id("country", x.country) for x in xs), dtype=np.int64, count=k)[owner]
        d0, d1, gov = self.d0[r], self.d1[r], self.gov[r]
        gap = np.where(x1 < d0, d0 - x1, np.where(d1 < x0, x0 - d1, 0))
        on_days = (gap >= NEAR_DAYS_FROM) & (gap <= rule.near_days) & (gov == xgov)
        elsewhere = (gap == 0) & (xgov != -2) & (gov != self._id("gov", None)) & (gov != xgov) \
            & (self.country[r] == xcountry)
        keep = np.flatnonzero(on_days | elsewhere)
        r, owner, gap, on_days = r[keep], owner[keep], gap[keep], on_days[keep]
        compatible = np.stack([self._types_for(x.event_type) for x in xs])[owner, self.type[r]]
        keep = np.flatnonzero(compatible)
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
        out = np.zeros(len(r))
        same = np.flatnonzero(xtoll & self.toll[r] & (self.type[r] == xtype))
        if not len(same):
            return out
        owner, r = owner[same], r[same]
        xblo = np.fromiter((x.blo if x.has_toll else 0 for x in xs), dtype=np.float64, count=k)[owner]
        xbhi = np.fromiter((x.bhi if x.has_toll else 0 for x in xs), dtype=np.float64, count=k)[owner]
        width = max((len(x.figures) for x in xs), default=0)
        xfig = np.full((k, max(width, 1)), np.nan)
        for i, x in enumerate(xs):
            if x.figures:
                xfig[i, :len(x.figures)] = sorted(x.figures)
        # a figure of ours that one of theirs is within 10% (or 1) of: the largest counts. Each
        # act's figures come first in its row (the rest NaN, which is within nothing), so only
        # the pairs of columns both fill are compared
        hit = np.zeros((len(r), xfig.shape[1]), dtype=bool)
        ours_n = np.fromiter((len(x.figures) for x in xs), dtype=np.int64, count=k)[owner]
        theirs_n = self.n_figures[r]
        for a in range(xfig.shape[1]):
            rows_a = np.flatnonzero(ours_n > a)
            if not len(rows_a):
                break
            for b in range(self.figures.shape[1]):
                rows = rows_a[theirs_n[rows_a] > b]
                if not len(rows):
                    break
                ours, theirs = xfig[owner[rows], a], self.figures[r[rows], b]
                hit[rows, a] |= np.abs(ours - theirs) <= np.maximum(1.0, 0.1 * np.maximum(ours, theirs))
        shared = hit.any(axis=1)
        rarity = _rarity(np.where(hit, xfig[owner], -np.inf).max(axis=1))
        blo, bhi = self.blo[r], self.bhi[r]
        close = self.close(xblo, xbhi, blo, bhi)
        wide = (bhi > 2 * blo + 1) | (xbhi > 2 * xblo + 1)
        near = _rarity(np.minimum(xbhi, bhi)) * np.where(wide, 0.5, 1.0)
        out[same] = np.where(shared, rarity, np.where(close, near, 0.0))
        return out

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
