"""The acts of one comparison profile, held so that the score's work on them runs in C.

In a dense archive one act is reported by many copies under other ids: the score compares
them once (one profile) but must still count each copy, list its article among the
partners and leave out the article being scored. Looping over the copies in Python for
each act scored makes verification grow with the square of the copies; ``Members`` keeps
the acts, their article ids and their article keys as parallel tuples, so that the set
and dict operations the score needs (``without``, ``split``, ``raise_weights``) run at C
speed, and remembers its splits by link so that copies of one act share them.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from itertools import compress, repeat
from typing import Callable, Hashable, Iterable, Sequence

# A split is remembered only for profiles at least this large: small ones are cheaper to
# split again than to look up.
REMEMBER_SPLITS = 8


@dataclass(eq=False)
class Members:
    """Acts in archive order with their article ids (``ids``) and article keys (``arts``)."""

    acts: tuple
    ids: tuple[str, ...]
    arts: tuple[int, ...]
    _where: dict[int, list[int]] | None = field(default=None, repr=False)
    _splits: dict[Hashable, tuple["Members | None", "Members | None"]] | None = field(default=None, repr=False)

    @classmethod
    def of(cls, acts: Sequence) -> "Members":
        return cls(tuple(acts), tuple(a.article_id for a in acts), tuple(a.article_pk for a in acts))

    def __len__(self) -> int:
        return len(self.acts)

    def __iter__(self):
        return iter(self.acts)

    def __getitem__(self, i: int):
        return self.acts[i]

    def without(self, articles: set[int]) -> "Members | None":
        """These acts less those of ``articles`` (order kept); None when none is left."""
        arts = self.arts
        if len(arts) == 1:
            return None if arts[0] in articles else self
        if len(arts) < REMEMBER_SPLITS:
            if articles.isdisjoint(arts):
                return self
            where = self._positions()
        else:
            # a large profile: looked up by article, not read through
            where = self._positions()
            if where.keys().isdisjoint(articles):
                return self
        gone = sorted(i for a in articles if (at := where.get(a)) for i in at) \
            if len(articles) < len(where) else \
            sorted(i for a, at in where.items() if a in articles for i in at)
        if len(gone) == len(arts):
            return None
        keep = [(lo + 1, hi) for lo, hi in zip([-1] + gone, gone + [len(arts)]) if hi > lo + 1]
        return Members(sum((self.acts[a:b] for a, b in keep), ()), sum((self.ids[a:b] for a, b in keep), ()),
                       sum((arts[a:b] for a, b in keep), ()))

    def _positions(self) -> dict[int, list[int]]:
        """Article key -> the positions of its acts (made once)."""
        if self._where is None:
            self._where = {}
            for i, a in enumerate(self.arts):
                self._where.setdefault(a, []).append(i)
        return self._where

    def split(self, key: Hashable, inside: Callable[[object], bool]) -> tuple["Members | None", "Members | None"]:
        """(the acts for which ``inside`` holds, the others), each None when empty; ``key``
        names ``inside`` so that large profiles split once per key (None: not remembered)."""
        if len(self.acts) == 1:
            return (self, None) if inside(self.acts[0]) else (None, self)
        if key is not None and self._splits is not None and key in self._splits:
            return self._splits[key]
        flags = [inside(a) for a in self.acts]
        if all(flags):
            out: tuple[Members | None, Members | None] = (self, None)
        elif not any(flags):
            out = (None, self)
        else:
            out = (self._pick(flags), self._pick([not f for f in flags]))
        if key is not None and len(self.acts) >= REMEMBER_SPLITS:
            if self._splits is None:
                self._splits = {}
            self._splits[key] = out
        return out

    def _pick(self, flags: list[bool]) -> "Members":
        return Members(tuple(compress(self.acts, flags)), tuple(compress(self.ids, flags)),
                       tuple(compress(self.arts, flags)))


def raise_weights(weights: dict[int, float], arts: Iterable[int], c: float) -> None:
    """``weights[a] = max(weights.get(a), c)`` for each article in order, new ones appended
    in the order met: what ``for a in arts: if weights.get(a, -1.0) < c: weights[a] = c``
    does, with the loop in C (``compress`` reads ``weights`` as ``update`` writes it, so an
    article met twice is raised once)."""
    weights.update(zip(compress(arts, map(c.__gt__, map(weights.get, arts, repeat(-1.0)))), repeat(c)))
