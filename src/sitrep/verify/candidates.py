"""Candidates for comparison: acts bucketed by place and sorted by day, so that finding the
acts an act may be compared with costs what they number, not what the archive holds.

An act is compared with another outlet's act only when both are dated and

- they share a governorate group (same act, or the same act on other days), or
- one of them has no governorate and they share a place key (the same act), or
- both state a toll for the same event type in one country on overlapping days (the same
  act in another governorate).

``Candidates`` keeps one bucket per such key, each sorted by start day; a query returns the
acts of the buckets an act falls in whose dates lie within the window asked, each once, in
the archive's order (start day, then the order acts were given): the score's tie-breaks
depend on that order, so it must not depend on which bucket an act came from.
"""
from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Hashable, Iterable, Protocol

# A range-dated act spans at most ten days (longer spans are left undated); a little more
# keeps the window safe for acts dated by report (three days).
MAX_SPAN_DAYS = 12


class Dated(Protocol):
    d0: date | None
    d1: date | None
    gov: str | None
    place_key: str
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
    """Dated acts by governorate group, by place key and by (country, event type) for
    those with a toll; ``near(x, days)`` as described in the module docstring."""

    def __init__(self, acts: Iterable[Dated]):
        dated = sorted((a for a in acts if a.d0 is not None), key=lambda a: a.d0)
        self.acts = dated
        self._gov: dict[Hashable, _Bucket] = defaultdict(_Bucket)
        self._place: dict[Hashable, _Bucket] = defaultdict(_Bucket)
        self._type: dict[Hashable, _Bucket] = defaultdict(_Bucket)
        for rank, a in enumerate(dated):
            buckets = []
            if a.gov:
                buckets.append(self._gov[a.gov])
                if a.has_toll:
                    buckets.append(self._type[(a.country, a.event_type)])
            if a.place_key:
                buckets.append(self._place[a.place_key])
            for b in buckets:
                b.starts.append(a.d0)
                b.ranks.append(rank)

    def _window(self, bucket: _Bucket | None, x: Dated, days: int, out: set[int]) -> None:
        if bucket is None:
            return
        lo = bisect_left(bucket.starts, x.d0 - timedelta(days=days + MAX_SPAN_DAYS))
        hi = bisect_right(bucket.starts, x.d1 + timedelta(days=days))
        out.update(bucket.ranks[lo:hi])

    def near(self, x: Dated, same_place_days: int, other_place_days: int) -> list:
        """The acts, in archive order, that may be compared with ``x``: of its governorate
        group within ``same_place_days``; of its place key (where one of the two has no
        governorate) and, when it states a toll, of its country and event type, within
        ``other_place_days``. Each within that many days of ``x`` (``gap_days``)."""
        if x.d0 is None:
            return []
        ranks: set[int] = set()
        if x.gov:
            self._window(self._gov.get(x.gov), x, same_place_days, ranks)
            if x.has_toll:
                self._window(self._type.get((x.country, x.event_type)), x, other_place_days, ranks)
        if x.place_key:
            self._window(self._place.get(x.place_key), x, other_place_days, ranks)
        out = []
        for r in sorted(ranks):
            y = self.acts[r]
            g = gap_days(x, y)
            limit = same_place_days if x.gov and x.gov == y.gov else other_place_days
            if g is not None and g <= limit:
                out.append(y)
        return out
