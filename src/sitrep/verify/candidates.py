"""Candidates for comparison as the same act: the acts that can be an act's other reports by
the score's rule, selected by buckets of place, event type and span, each sorted by day, so
that finding them costs what they number, not what the archive (or one of its days) holds.

The score compares an act ``x`` with another outlet's dated act ``y`` (``Verifier._outlets``)
and ``y`` counts only when

- it is the same act by the score's rule: at most ``link_days`` apart, of compatible types,
  in one governorate group, or (one of them without a governorate) at one place key;
- or the link stage joined them (its partners: ``near``'s ``partners``);
- or it may be the same act on other days or in another governorate: a near miss, which
  ``misses.Misses`` finds and scores apart, many acts at a time.

Any other act the score would meet only to pass over. The rule is a bucket key (an act is
filed under its own event type and under each type it is compatible with), and the acts of
a bucket are kept apart by span (days from first to last), so that a window on start days,
widened by the span, holds exactly the acts within so many days: no pair is filtered one by
one.

Before these rules the search reached more acts (``reaches``: every act of the governorate
within a day or two, say), among them partners that the score met there, in archive order,
rather than after the others; ``near`` keeps that order for the partners it is given, so
that the score's tie-breaks do not move. Acts come back each once, in the archive's order
(start day, then the order given): the score's tie-breaks depend on it, so it must not
depend on which bucket an act came from.
"""
from __future__ import annotations

from array import array
from bisect import bisect_left, bisect_right
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Callable, Iterable, Protocol

# The search before these rules (``reaches``): a range-dated act spans at most ten days
# (longer spans are left undated), and it read the acts of short spans (to the day or by
# report, three days) and of long ones in windows widened by these.
MAX_SPAN_DAYS = 12
SHORT_SPAN_DAYS = 2

COMPATIBLE = object()   # in a bucket's key: the acts of the types compatible with the next
# The keys whose acts are also filed by the types they are compatible with, so that a query
# of compatible types reads one bucket; the others' are read type by type (the place of an
# act without a governorate, which few are, is not worth the room)
FILED_COMPATIBLE = frozenset({"gov", "place-without-gov"})


class Dated(Protocol):
    d0: date | None
    d1: date | None
    gov: str | None
    place_key: str
    place_specific: bool
    country: str | None
    event_type: str

    @property
    def has_toll(self) -> bool: ...


@dataclass
class Near:
    """What ``Candidates.near`` finds for an act: the acts that may be the same act (or are
    its partners), in archive order, with their ranks (their places in ``Candidates.acts``)
    and those of them that the score's rule makes the same act."""

    acts: list
    ranks: list[int]
    by_rule: set[int]     # the ranks found by the score's rule of the same act (not as partners)


def gap_days(a: Dated, b: Dated) -> int | None:
    if a.d0 is None or b.d0 is None:
        return None
    if a.d1 < b.d0:
        return (b.d0 - a.d1).days
    if b.d1 < a.d0:
        return (a.d0 - b.d1).days
    return 0


class Candidates:
    """Dated acts by the rules of the module docstring; ``near(x, partners)``.

    ``compatible(a, b)``: whether event types a and b may name one act."""

    def __init__(self, acts: Iterable[Dated], compatible: Callable[[str, str], bool],
                 link_days: int = 1, near_days: int = 14):
        dated = sorted((a for a in acts if a.d0 is not None), key=lambda a: a.d0)
        self.acts = dated
        self.link_days, self.near_days = link_days, near_days
        self._compatible = compatible
        self._rank: dict[int, int] = {id(a): r for r, a in enumerate(dated)}
        self._types: frozenset[str] = frozenset(a.event_type for a in dated)
        self._compatible_with: dict[str, tuple[str, ...]] = {}
        # the archive's event types each type is compatible with: an act is also filed
        # under each, so that a query of compatible types reads one bucket, not one a type
        filed_under = {u: tuple(t for t in sorted(self._types) if compatible(t, u)) for u in self._types}
        # (key, event type) or (key, COMPATIBLE, event type) -> span -> (starts, ranks): the
        # days as ordinals and the ranks in 32-bit arrays (an archive's acts are filed a few
        # times each)
        index: dict[tuple, dict[int, tuple[array, array]]] = defaultdict(dict)

        def file(key: tuple, span: int, start: int, rank: int) -> None:
            starts, ranks = index[key].setdefault(span, (array("i"), array("i")))
            starts.append(start)
            ranks.append(rank)

        for rank, a in enumerate(dated):
            span, start = (a.d1 - a.d0).days, a.d0.toordinal()
            for key in self._keys(a):
                file((*key, a.event_type), span, start, rank)
                if key[0] in FILED_COMPATIBLE:
                    for t in filed_under[a.event_type]:
                        file((*key, COMPATIBLE, t), span, start, rank)
        self._index = {k: tuple((span, *b) for span, b in v.items()) for k, v in index.items()}

    @staticmethod
    def _keys(a: Dated) -> list[tuple]:
        keys: list[tuple] = []
        if a.gov:
            keys.append(("gov", a.gov))
        elif a.place_key:
            keys.append(("place-without-gov", a.place_key))
        if a.place_key:
            keys.append(("place", a.place_key))
        return keys

    def _types_for(self, t: str) -> tuple[str, ...]:
        got = self._compatible_with.get(t)
        if got is None:
            got = self._compatible_with[t] = tuple(u for u in sorted(self._types) if self._compatible(t, u))
        return got

    def _window(self, key: tuple, x: Dated, days: int, out: set[int], compatible: bool = False) -> None:
        """The ranks of the acts of ``key`` of x's event type (``compatible``: of the types
        compatible with it) at most ``days`` from x: of each span, those starting from x's
        first day less days and span to its last day plus days."""
        t = x.event_type
        if not compatible:
            keys = ((*key, t),)
        elif t in self._types and key[0] in FILED_COMPATIBLE:
            keys = ((*key, COMPATIBLE, t),)
        else:    # a type the archive has not, or a key filed by type only: type by type
            keys = tuple((*key, u) for u in self._types_for(t))
        first, last = x.d0.toordinal() - days, x.d1.toordinal() + days
        for k in keys:
            for span, starts, ranks in self._index.get(k, ()):
                lo = bisect_left(starts, first - span)
                hi = bisect_right(starts, last, lo)
                if lo < hi:
                    out.update(ranks[lo:hi])

    def near(self, x: Dated, partners: Iterable[Dated] = ()) -> "Near":
        """The acts that may be the same act as x (module docstring), with those of
        ``partners`` (acts of this archive) that the search before reached, in archive order."""
        if x.d0 is None:
            return Near([], [], set())
        same: set[int] = set()
        if x.gov:
            self._window(("gov", x.gov), x, self.link_days, same, compatible=True)
            if x.place_key:
                self._window(("place-without-gov", x.place_key), x, self.link_days, same, compatible=True)
        elif x.place_key:
            self._window(("place", x.place_key), x, self.link_days, same, compatible=True)
        found = set(same)
        for y in partners:
            if y.d0 is not None and (r := self._rank[id(y)]) not in found and self.reaches(x, y):
                found.add(r)
        ranks = sorted(found)
        return Near([self.acts[r] for r in ranks], ranks, same)

    def reaches(self, x: Dated, y: Dated) -> bool:
        """Whether the search before these rules returned ``y`` for ``x``: an act at most
        ``near_days`` away whose start lay in one of its windows (by governorate and by place
        within ``link_days``; by governorate and event type within ``near_days`` and by
        country and event type on x's days, both with tolls; by specific place within
        ``near_days``), each widened by the slack of y's span."""
        g = gap_days(x, y)
        if g is None or g > self.near_days:
            return False
        slack = MAX_SPAN_DAYS if (y.d1 - y.d0).days > SHORT_SPAN_DAYS else SHORT_SPAN_DAYS

        def within(days: int) -> bool:
            return x.d0 - timedelta(days=days + slack) <= y.d0 <= x.d1 + timedelta(days=days)

        if x.gov:
            if y.gov == x.gov and within(self.link_days):
                return True
            if x.has_toll and y.has_toll and y.gov and y.event_type == x.event_type:
                if y.gov == x.gov and within(self.near_days):
                    return True
                if y.country == x.country and within(0):
                    return True
        if x.place_key and y.place_key == x.place_key:
            if within(self.link_days):
                return True
            if x.place_specific and y.place_specific and within(self.near_days):
                return True
        return False
