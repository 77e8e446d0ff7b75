"""Each act's partners (the other acts of the links it is in), held once per set of links.

In a dense archive a link joins every copy of its reports, so a set of partners per act
holds as many acts as the act has copies, and all of them take room and time in proportion
to the square of the copies. The acts of one set of links share one set here; an act's
partners are that set less the act itself. Where the score walks an act's partners (rare:
those outside the profiles it met), ``ordered`` makes the set as it was made before, link
after link, so that it iterates in the same order.
"""
from __future__ import annotations

import operator
from functools import partial
from typing import Iterable

from ..store.model import LinkedIncident


class Partners:
    """``has(x, y)``: whether act ``y`` shares a link with act ``x``; ``any(x)``: whether ``x``
    has a partner; ``ordered(x)``: its partners as a set made link after link."""

    def __init__(self, links: Iterable[LinkedIncident] = (), parent: "Partners | None" = None):
        self._parent = parent
        # link (numbered in the order added) -> its members; act -> the links it is in
        self._members: list[tuple[int, ...]] = list(parent._members) if parent else []
        self._links: dict[int, tuple[int, ...]] = dict(parent._links) if parent else {}
        self._union: dict[tuple[int, ...], frozenset[int]] = dict(parent._union) if parent else {}
        self._own_from = len(self._members)              # the links added here, not by the parent
        for li in links:
            k = len(self._members)
            self._members.append(tuple(li.members))
            for m in dict.fromkeys(li.members):
                self._links[m] = self._links.get(m, ()) + (k,)

    def with_links(self, links: Iterable[LinkedIncident]) -> "Partners":
        """These partners and those of ``links`` (a copy's: this object is left as it is)."""
        return Partners(links, parent=self)

    def _acts(self, x: int) -> frozenset[int]:
        """The acts of x's links, x too."""
        key = self._links.get(x)
        if key is None:
            return frozenset()
        got = self._union.get(key)
        if got is None:
            got = self._union[key] = frozenset().union(*(self._members[k] for k in key))
        return got

    def has(self, x: int, y: int) -> bool:
        return y != x and y in self._acts(x)

    def acts_of(self, x: int) -> frozenset[int]:
        """The acts of x's links, x too: y is a partner of x when it is in them and is not x
        (``has``, for many y)."""
        return self._acts(x)

    def any(self, x: int) -> bool:
        acts = self._acts(x)
        return len(acts) > 1 or (len(acts) == 1 and x not in acts)

    def ordered(self, x: int) -> set[int]:
        """x's partners, as ``set.update`` with each of its links' members (x left out) made
        them: a parent's set copied first, as a copy's partners were."""
        key = self._links.get(x, ())
        out: set[int] = set()
        if self._parent is not None:
            if x in self._parent._links:
                out = set(self._parent.ordered(x))
            key = [k for k in key if k >= self._own_from]
        for k in key:
            out.update(filter(partial(operator.ne, x), self._members[k]))
        return out
