"""Candidates for comparison: acts bucketed by place and sorted by day, so that finding the
acts an act may be compared with costs what they number, not what the archive holds.

The score compares an act with another outlet's dated act only when

- they are dated at most ``link_days`` apart and share a governorate group, or (one of them
  without a governorate) a place key: the same act;
- both state a toll for the same event type and are dated at most ``near_days`` apart in one
  governorate group, or on overlapping days in one country: the same act on other days or
  in another governorate, if their figures agree;
- both name the same specific place (a town or point, not a governorate or country), at
  most ``near_days`` apart: the same act on other days.

``Candidates`` keeps one bucket per such key, each sorted by start day, acts of short spans
apart from long ones (so that the window a query reads is as narrow as the spans allow); a
query returns the acts of the buckets an act falls in whose dates lie within its window,
each once, in the archive's order (start day, then the order acts were given): the score's
tie-breaks depend on that order, so it must not depend on which bucket an act came from.
"""
from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Hashable, Iterable, Protocol

# A range-dated act spans at most ten days (longer spans are left undated): the window of a
# bucket of long spans reaches that far back; acts dated to the day or by report (three days)
# go to buckets of short spans.
MAX_SPAN_DAYS = 12
SHORT_SPAN_DAYS = 2


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
class _Bucket:
    starts: list[date] = field(default_factory=list)
    ranks: list[int] = field(default_factory=list)


def gap_days(a: Dated, b: Dated) -> int | None:
    if a.d0 is None or b.d0 is None:
        return None
    if a.d1 < b.d0:
        return (b.d0 - a.d1).days
    if b.d1 < a.d0:
        return (a.d0 - b.d1).days
    return 0


class Candidates:
    """Dated acts by the keys of the module docstring; ``near(x, link_days, near_days)``."""

    def __init__(self, acts: Iterable[Dated]):
        dated = sorted((a for a in acts if a.d0 is not None), key=lambda a: a.d0)
        self.acts = dated
        self._buckets: dict[Hashable, _Bucket] = defaultdict(_Bucket)
        for rank, a in enumerate(dated):
            for key in self._keys(a):
                b = self._buckets[(*key, (a.d1 - a.d0).days > SHORT_SPAN_DAYS)]
                b.starts.append(a.d0)
                b.ranks.append(rank)

    @staticmethod
    def _keys(a: Dated) -> list[tuple]:
        keys: list[tuple] = []
        if a.gov:
            keys.append(("gov", a.gov))
            if a.has_toll:
                keys.append(("gov-type", a.gov, a.event_type))
                keys.append(("country-type", a.country, a.event_type))
        if a.place_key:
            keys.append(("place", a.place_key))
            if a.place_specific:
                keys.append(("town", a.place_key))
        return keys

    def _window(self, key: tuple, x: Dated, days: int, out: set[int]) -> None:
        for long_spans, slack in ((False, SHORT_SPAN_DAYS), (True, MAX_SPAN_DAYS)):
            bucket = self._buckets.get((*key, long_spans))
            if bucket is None:
                continue
            lo = bisect_left(bucket.starts, x.d0 - timedelta(days=days + slack))
            hi = bisect_right(bucket.starts, x.d1 + timedelta(days=days))
            out.update(bucket.ranks[lo:hi])

    def near(self, x: Dated, link_days: int, near_days: int) -> list:
        """The acts, in archive order, that may be compared with ``x`` (module docstring),
        each at most ``near_days`` from it (``gap_days``)."""
        if x.d0 is None:
            return []
        ranks: set[int] = set()
        if x.gov:
            self._window(("gov", x.gov), x, link_days, ranks)
            if x.has_toll:
                self._window(("gov-type", x.gov, x.event_type), x, near_days, ranks)
                self._window(("country-type", x.country, x.event_type), x, 0, ranks)
        if x.place_key:
            self._window(("place", x.place_key), x, link_days, ranks)
            if x.place_specific:
                self._window(("town", x.place_key), x, near_days, ranks)
        out = []
        for r in sorted(ranks):
            y = self.acts[r]
            g = gap_days(x, y)
            if g is not None and g <= near_days:
                out.append(y)
        return out
