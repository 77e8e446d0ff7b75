"""The acts of one comparison profile, held so that the score's work on them does not grow
with the copies of an act.

In a dense archive one act is reported by many copies under other ids: the score compares
them once (one profile) but must still count each copy, list its article among the
partners and leave out the article being scored. Doing that copy by copy for each act
scored makes verification grow with the square of the copies. ``Members`` keeps a
profile's acts, their article ids and their article keys as parallel tuples and remembers
its splits by link, so that the copies of one act share them; ``without`` leaves the scored
article's acts out as a ``Part`` that copies nothing; ``ids_in`` and ``fold_weights`` sum
the partners' ids and weights once per set of parts (kept in a cache the verifier holds)
and take the articles left out off; ``raise_weights`` is the partner-weight loop in C.
"""
from __future__ import annotations

from collections import Counter
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
    stable: bool = False       # lives as long as the verifier: its identity may key a cache
    _where: dict[int, list[int]] | None = field(default=None, repr=False)
    _splits: dict[Hashable, tuple["Members | None", "Members | None"]] | None = field(default=None, repr=False)
    _artset: frozenset[int] | None = field(default=None, repr=False)

    # A Members is also the ``Part`` of itself that leaves nothing out.
    gone: tuple[int, ...] = ()
    gone_arts: frozenset[int] = frozenset()
    # how many acts, and the first: attributes, as a Part's (read once per entry scored)
    size: int = field(init=False, repr=False)
    first: object = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.size = len(self.acts)
        self.first = self.acts[0] if self.acts else None

    @property
    def base(self) -> "Members":
        return self

    @property
    def key(self) -> Hashable:
        """What names these acts in a cache: the object when it lasts, else its articles."""
        return id(self) if self.stable else (self.ids, self.arts)

    @property
    def artset(self) -> frozenset[int]:
        if self._artset is None:
            self._artset = frozenset(self.arts)
        return self._artset

    @classmethod
    def of(cls, acts: Sequence) -> "Members":
        return cls(tuple(acts), tuple(a.article_id for a in acts), tuple(a.article_pk for a in acts))

    def __len__(self) -> int:
        return len(self.acts)

    def __iter__(self):
        return iter(self.acts)

    def __getitem__(self, i: int):
        return self.acts[i]

    def without(self, articles: set[int]) -> "Members | Part | None":
        """These acts less those of ``articles`` (order kept; a ``Part`` that copies
        nothing); None when none is left."""
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
        return Part(self, tuple(gone))

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
            for m in out:
                if m is not None:
                    m.stable = self.stable
        return out

    def _pick(self, flags: list[bool]) -> "Members":
        return Members(tuple(compress(self.acts, flags)), tuple(compress(self.ids, flags)),
                       tuple(compress(self.arts, flags)))


def raise_weights(weights: dict[int, float], arts: Sequence[int], c: float) -> None:
    """``weights[a] = max(weights.get(a), c)`` for each article in order, new ones appended
    in the order met: what ``for a in arts: if weights.get(a, -1.0) < c: weights[a] = c``
    does, with the loop in C (``compress`` reads ``weights`` as ``update`` writes it, so an
    article met twice is raised once); one article (most parts) without the iterators."""
    if len(arts) == 1:
        a = arts[0]
        if c > weights.get(a, -1.0):
            weights[a] = c
        return
    weights.update(zip(compress(arts, map(c.__gt__, map(weights.get, arts, repeat(-1.0)))), repeat(c)))


class Part:
    """A profile's acts (``base``) less those at the positions ``gone`` (the articles left
    out of a comparison), read without copying the others: a dense archive's copies are
    counted from ``base``, whose sums are kept, and ``gone`` taken off."""

    __slots__ = ("base", "gone", "size", "first", "gone_arts", "_kept")

    def __init__(self, base: Members, gone: tuple[int, ...]):
        self.base, self.gone = base, gone
        self.size = len(base.acts) - len(gone)
        i = 0
        while i < len(gone) and gone[i] == i:   # gone is sorted
            i += 1
        self.first = base.acts[i]
        self.gone_arts = frozenset(base.arts[g] for g in gone)
        self._kept: Members | None = None

    def _members(self) -> Members:
        if self._kept is None:
            b, gone = self.base, list(self.gone)
            keep = [(lo + 1, hi) for lo, hi in zip([-1] + gone, gone + [len(b.acts)]) if hi > lo + 1]
            self._kept = Members(sum((b.acts[x:y] for x, y in keep), ()), sum((b.ids[x:y] for x, y in keep), ()),
                                 sum((b.arts[x:y] for x, y in keep), ()))
        return self._kept

    def __len__(self) -> int:
        return self.size

    def __iter__(self):
        return iter(self._members().acts)

    @property
    def acts(self) -> tuple:
        return self._members().acts

    @property
    def ids(self) -> tuple[str, ...]:
        return self._members().ids

    @property
    def arts(self) -> tuple[int, ...]:
        return self._members().arts


# Sums over parts are kept (``ids_in``, ``fold_weights``) when they hold this many acts.
KEEP_SUMS = 32


def ids_in(parts: Sequence, cache: dict | None) -> tuple[int, list[str]]:
    """(how many article ids the parts' acts have, the ten first in order): from the sums
    kept in ``cache`` for their bases, less the ids only gone acts have."""
    if cache is None or sum(p.size for p in parts) < KEEP_SUMS:
        ids = set().union(*(p.ids for p in parts))
        return len(ids), sorted(ids)[:10]
    key = tuple(p.base.key for p in parts)
    kept = cache.get(key)
    if kept is None:
        count: Counter[str] = Counter()
        for p in parts:
            count.update(p.base.ids)
        kept = cache[key] = (count, sorted(count))
    count, order = kept
    gone = Counter(p.base.ids[g] for p in parts for g in p.gone)
    removed = {i for i, k in gone.items() if count[i] == k}
    first = []
    for i in order:
        if i not in removed:
            first.append(i)
            if len(first) == 10:
                break
    return len(count) - len(removed), first


def fold_weights(folds: Sequence[tuple[float, object]], cache: dict | None) -> dict[int, float]:
    """Article key -> the largest confidence of the parts it has acts in, in the order met
    (``raise_weights`` over each part in turn). The articles left out are left out of every
    part alike, and each article's weight is its own: so the weights of the bases, kept in
    ``cache``, less the articles gone, are the same (``cache`` None: those of the parts)."""
    return folded_weights(folds, cache)[0]


def folded_weights(folds: Sequence[tuple[float, object]], cache: dict | None
                   ) -> tuple[dict[int, float], dict[int, float] | None, frozenset[int]]:
    """(``fold_weights``, the weights kept for the bases that they are made from, or None
    where none are kept, the articles gone from them): sums over the weights kept are made
    once for every article whose partners they are (``Verifier._summary``)."""
    if cache is None or sum(p.size for _, p in folds) < KEEP_SUMS:
        weights: dict[int, float] = {}
        for c, p in folds:
            raise_weights(weights, p.arts, c)
        return weights, None, frozenset()
    key = tuple((c, p.base.key) for c, p in folds)
    kept = cache.get(key)
    if kept is None:
        kept = cache[key] = {}
        for c, p in folds:
            raise_weights(kept, p.base.arts, c)
    weights = dict(kept)
    gone = frozenset().union(*(p.gone_arts for _, p in folds))
    for a in gone:
        weights.pop(a, None)
    return weights, kept, gone
