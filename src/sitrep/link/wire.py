"""Wire copies: articles that reprint one agency story.

A reprint is not an independent confirmation, so the articles that copy one wire story are
grouped. Two articles are copies when much of the text of the shorter one is in the longer
one:

- texts are cut into shingles of ``SHINGLE`` consecutive words (words folded as in
  ``tokens``: "Raqa" and "Raqqa", "air strike" and "airstrike" meet), each hashed to 64 bits;
- an outlet's boilerplate is not evidence: a shingle found in ``BOILERPLATE_DOCS`` or more
  articles of one outlet spread over more than ``WIRE_DAYS`` days (a standing background
  paragraph, a footer), or in more than ``MAX_DOCS`` articles in all, is dropped;
- the containment of a pair is the number of shingles they share over the shingles of the
  shorter; a pair is a copy at ``COPY`` or more, or at ``CREDITED_COPY`` or more when both
  articles, from two outlets, credit the same agency (AFP, Reuters, AP, "Agencies", ...: a
  credit line at the head or foot, "(AFP)", "told AFP", "an AFP correspondent"; photo
  credits do not count; one outlet's dispatches from one agency share its background
  paragraphs, so within an outlet only ``COPY`` counts), and always at least ``MIN_SHARED`` shingles (a sentence or two), published at most
  ``WIRE_DAYS`` days apart where both dates are known.

Copies are grouped by union-find, and two groups merge only if every article of one shares
at least ``RELATED`` of the shorter text with every article of the other, so a round-up
that quotes two wire stories does not make the two stories one.

Candidate pairs come from an inverted index of shingles (pairs that share one), never from
all pairs of articles.
"""
from __future__ import annotations

import re
from array import array
from dataclasses import dataclass
from typing import Callable, Iterable, Sequence

import numpy as np

from .features import day_number
from .tokens import all_ids

SHINGLE = 4
COPY = 0.5
CREDITED_COPY = 0.3
RELATED = 0.15
MIN_SHARED = 12
WIRE_DAYS = 3
BOILERPLATE_DOCS = 3
MAX_DOCS = 60
_ROWS = 2000  # docs whose shared counts are computed at a time
BUCKETS = 16  # shingles are grouped a sixteenth at a time (by their low bits)
_PRODUCT = 4_000_000  # entries of the doc-by-doc product computed at a time
_NO_DAY = -(1 << 40)   # an article of unknown date

AGENCIES = {
    "AFP": r"AFP|Agence France[- ]Presse",
    "Reuters": r"Reuters",
    "AP": r"AP|Associated Press",
    "Agencies": r"[Aa]gencies",
    "DPA": r"DPA|dpa",
    "Xinhua": r"Xinhua",
    "Anadolu": r"Anadolu(?: Agency)?|AA",
    "SANA": r"SANA",
    "TASS": r"TASS|Tass",
    "Sputnik": r"Sputnik",
    "IRNA": r"IRNA",
    "ANSA": r"ANSA",
    "EFE": r"EFE",
    "UPI": r"UPI",
}
_NOT_CREDIT = r"(?!\s*(?:/|[Pp]hoto|[Pp]ictures?|[Vv]ideo|[Gg]etty|[Ii]mages?|TV))"
_ATTRIBUTION = (
    r"(?:told|to|according to|via|cited by|quoted by|said to|speaking to)\s+(?:the\s+|an?\s+)?(?P<a>{a})\b"
    r"|(?:an?|the)\s+(?P<b>{a})\s+(?:correspondent|reporter|journalist|photographer|stringer|"
    r"tally|count|witness|team|crew|cameraman)"
    r"|\b(?P<c>{a})\s+(?:reported|reports|reporter|news agency|said|learned|has learned|contributed)"
    r"|\(\s*(?:[\w ]+\s+and\s+)?(?P<d>{a})\s*\)"
    r"|\band\s+(?P<e>{a})\s*$"
)
HEAD_CHARS = 300
TAIL_CHARS = 160


def required_words(alternatives: str) -> tuple[str, ...]:
    """For a pattern of top-level alternatives without nested '|', a word each alternative's
    matches contain (its longest run of plain characters): a text holding none of them
    cannot match, so most texts skip an agency's patterns with a few substring tests.

    >>> required_words(r"Anadolu(?: Agency)?|AA")
    ('Anadolu', 'AA')
    >>> required_words(r"[Aa]gencies|Agence France[- ]Presse")
    ('gencies', 'Agence France')
    """
    out = []
    for alt in alternatives.split("|"):
        plain = re.sub(r"\[[^]]*\]|\((?:[^()]*)\)[?*]?|.[?*]|\\.", "\0", alt)
        out.append(max(plain.split("\0"), key=len))
    return tuple(out)


def _agency_patterns() -> list[tuple[str, tuple[str, ...], re.Pattern, re.Pattern]]:
    out = []
    for name, alt in AGENCIES.items():
        bare = re.compile(rf"(?<![\w/-])(?:{alt})(?![\w/-]){_NOT_CREDIT}")
        attributed = re.compile(_ATTRIBUTION.format(a=alt), re.M)
        out.append((name, required_words(alt), bare, attributed))
    return out


_PATTERNS = _agency_patterns()


def agency_credits(text: str, title: str | None = None) -> set[str]:
    """The agencies an article credits: by name at its head or foot, or attributed in it.

    >>> sorted(agency_credits("Strike kills 5 AFP Tuesday 3 Oct 2017 A strike killed..."))
    ['AFP']
    >>> agency_credits("(Reuters Photo) A warplane crashed in the town")
    set()
    """
    body = text
    if title and body.startswith(title):
        body = body[len(title):]
    head, tail = body[:HEAD_CHARS], body[-TAIL_CHARS:]
    found = set()
    for name, words, bare, attributed in _PATTERNS:
        if not any(w in body for w in words):
            continue
        if bare.search(head) or bare.search(tail) or attributed.search(body):
            found.add(name)
    return found


_MIX = np.uint64(0x9E3779B97F4A7C15)


def shingles(text: str, k: int = SHINGLE) -> np.ndarray:
    """The distinct shingle hashes of a text (int64): the word ids of ``k`` consecutive
    words mixed into one 64-bit number (the same in every run)."""
    ids = np.array(all_ids(text), np.uint64)
    if len(ids) < k:
        return np.zeros(0, np.int64)
    h = np.zeros(len(ids) - k + 1, np.uint64)
    with np.errstate(over="ignore"):
        for x in range(k):
            h = (h ^ ids[x:len(ids) - k + 1 + x]) * _MIX
            h ^= h >> np.uint64(29)
    return np.unique((h >> np.uint64(1)).astype(np.int64))


@dataclass
class WireDoc:
    key: int                 # the caller's id (article pk)
    text: str
    title: str | None = None
    outlet: str | None = None
    published: str | None = None


def _docs(articles: Iterable) -> list[WireDoc]:
    out = []
    for a in articles:
        if isinstance(a, WireDoc):
            out.append(a)
        else:
            out.append(WireDoc(a.pk, a.text or "", a.title, a.outlet, a.published))
    return out


@dataclass
class WireColumns:
    """What the wire-copy search reads of a set of articles, without their texts: each
    article's distinct shingles (flat, article after article), its outlet (a code of the
    name lowercased) and its day. ``text_of(key)``: an article's (text, title), asked only
    for the few articles whose agency credits can make a pair a copy. ``WireReader`` builds
    it from a stream (a full link reads every article of the store and keeps none)."""

    keys: np.ndarray        # int64 article keys, in the order read
    sizes: np.ndarray       # int64: how many shingles each holds
    flat: np.ndarray        # int64 shingle hashes, ``sizes[k]`` of them for article k
    outlet: np.ndarray      # int32 outlet codes
    day: np.ndarray         # int64 day numbers (``_NO_DAY``: unknown)
    text_of: Callable[[int], tuple[str, str | None]]

    def __len__(self) -> int:
        return len(self.keys)

    def take_shingles(self) -> np.ndarray:
        """The shingles, let go by the columns (their largest part, read once by the search:
        the columns are not searched twice)."""
        flat, self.flat = self.flat, None
        if flat is None:
            raise ValueError("these wire columns were searched already")
        return flat


class WireReader:
    """``WireColumns`` an article at a time (``add``), in flat arrays."""

    def __init__(self) -> None:
        self.keys, self.sizes, self.flat = array("q"), array("q"), array("q")
        self.outlet, self.day = array("i"), array("q")
        self._outlets: dict[str, int] = {}

    def add(self, key: int, text: str, outlet: str | None, published: str | None) -> None:
        sh = shingles(text)
        self.keys.append(key)
        self.sizes.append(len(sh))
        self.flat.frombytes(sh.tobytes())
        self.outlet.append(self._outlets.setdefault((outlet or "").lower(), len(self._outlets)))
        self.day.append(day_number(published) or _NO_DAY)

    def columns(self, text_of: Callable[[int], tuple[str, str | None]]) -> WireColumns:
        def col(values: array, dtype) -> np.ndarray:
            return np.frombuffer(values, dtype) if len(values) else np.zeros(0, dtype)

        return WireColumns(col(self.keys, np.int64), col(self.sizes, np.int64), col(self.flat, np.int64),
                           col(self.outlet, np.int32), col(self.day, np.int64), text_of)


def read_columns(source) -> WireColumns:
    """The columns of every article of ``source`` (a ``Store``, or anything with its
    ``articles()``, a stream read once, and ``article(pk)``, asked again for a text whose
    credits count), holding no text."""
    reader = WireReader()
    for a in source.articles():
        reader.add(a.pk, a.text or "", a.outlet, a.published)

    def text_of(pk: int) -> tuple[str, str | None]:
        a = source.article(pk)
        return (a.text or "", a.title) if a is not None else ("", None)

    return reader.columns(text_of)


def wire_columns(articles: Iterable) -> WireColumns:
    """The columns of ``StoredArticle`` rows or ``WireDoc``, one per key (the last given)."""
    if isinstance(articles, WireColumns):
        return articles
    docs = {d.key: d for d in _docs(articles)}
    reader = WireReader()
    for d in docs.values():
        reader.add(d.key, d.text, d.outlet, d.published)
    return reader.columns(lambda k: (docs[k].text, docs[k].title))


def _shared_counts(flat: np.ndarray, doc: np.ndarray, n: int, rows: int = _ROWS
                   ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(a, b, shared) for every pair of docs a < b sharing a shingle, ordered by (a, b).

    The product of the doc x shingle incidence matrix with its transpose counts the shingles
    each pair shares without listing one entry per (shingle, pair), which on a corpus of many
    copies is far more than the pairs themselves; ``rows`` docs at a time bound the memory
    by the pairs of those rows."""
    col, df = np.unique(flat, return_inverse=True, return_counts=True)[1:]
    common = df[col] >= 2    # a shingle of one doc pairs nothing
    return _shared_by_product(doc[common], col[common], len(df), n, rows)


def _shared_by_product(doc: np.ndarray, col: np.ndarray, n_cols: int, n: int, rows: int = _ROWS,
                       sizes: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``_shared_counts`` from the incidence entries (doc, shingle column) of the shingles
    two docs or more hold. With ``sizes`` (each doc's shingles), only the pairs sharing at
    least ``RELATED`` of the shorter's are kept. The product is taken ``rows`` docs at a time,
    fewer where their shingles are common (at most about ``_PRODUCT`` entries at a time)."""
    from scipy import sparse

    x = sparse.csr_matrix((np.ones(len(doc), np.int32), (doc, col)), shape=(n, n_cols))
    del doc, col
    xt = x.T.tocsr()
    # each doc's partners, counted with repeats: a bound on its row of the product
    reach = x @ np.bincount(x.indices, minlength=n_cols).astype(np.int64)
    ends = np.cumsum(reach)
    parts_a, parts_b, parts_s = [], [], []
    r0 = 0
    while r0 < n:
        done = int(ends[r0 - 1]) if r0 else 0
        r1 = min(r0 + rows, max(r0 + 1, int(np.searchsorted(ends, done + _PRODUCT, side="right"))))
        prod = (x[r0:r1] @ xt).tocoo()
        a = prod.row.astype(np.int64) + r0
        b = prod.col.astype(np.int64)
        keep = a < b
        if sizes is not None:
            keep &= prod.data / np.maximum(np.minimum(sizes[a], sizes[b]), 1) >= RELATED
        order = np.lexsort((b[keep], a[keep]))
        parts_a.append(a[keep][order])
        parts_b.append(b[keep][order])
        parts_s.append(prod.data[keep][order].astype(np.int64))
        del prod, a, b, keep, order
        r0 = r1
    if not parts_a:
        return np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0, np.int64)
    return np.concatenate(parts_a), np.concatenate(parts_b), np.concatenate(parts_s)


def _boilerplate(flat: np.ndarray, doc: np.ndarray, outlet: np.ndarray, days: np.ndarray) -> np.ndarray:
    """The shingles (sorted) that are an outlet's boilerplate (in ``BOILERPLATE_DOCS`` or more
    of its articles over more than ``WIRE_DAYS`` days, or of unknown day) or in more than
    ``MAX_DOCS`` articles; ``flat``/``doc``: each entry's shingle and article."""
    if len(flat) == 0:
        return np.zeros(0, np.int64)
    order = np.lexsort((days[doc], outlet[doc], flat))
    f, o, dd = flat[order], outlet[doc[order]], days[doc[order]]
    del order
    new = np.ones(len(f), bool)
    new[1:] = (f[1:] != f[:-1]) | (o[1:] != o[:-1])
    del o
    first = np.flatnonzero(new)
    del new
    count = np.diff(np.append(first, len(f)))
    last = np.append(first[1:], len(f)) - 1
    spread = dd[last].astype(np.int64) - dd[first]
    unknown_day = dd[first] < 0
    bad_group = (count >= BOILERPLATE_DOCS) & ((spread > WIRE_DAYS) | unknown_day)
    bad = np.unique(f[first[bad_group]])
    uniq, df = np.unique(flat, return_counts=True)
    return np.union1d(bad, uniq[df > MAX_DOCS])


def copy_pair_arrays(articles: Iterable | WireColumns, boilerplate: np.ndarray | None = None,
                     found: list | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """``copy_pairs`` as four arrays (on an archive, millions of related pairs: as tuples
    they would weigh twenty times more); ``articles`` may be their ``WireColumns``."""
    cols = wire_columns(articles)
    n = len(cols)
    if n < 2:
        return np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0), np.zeros(0, np.int64)
    flat = cols.take_shingles()
    # 32-bit columns where they fit: on a large archive these arrays are its largest
    doc = np.repeat(np.arange(n, dtype=np.int32), cols.sizes)
    outlet = cols.outlet
    days = np.where(cols.day == _NO_DAY, -1, cols.day).astype(np.int32)
    key = cols.keys
    # Everything below groups entries by shingle, so it runs on one bucket of shingles (by
    # their low bits) at a time: the same result with the temporary arrays of a bucket
    bucket = np.empty(len(flat), np.uint8)
    for c in range(0, len(flat), 1 << 22):
        bucket[c:c + (1 << 22)] = flat[c:c + (1 << 22)] & (BUCKETS - 1)
    sizes = np.zeros(n, np.int64)
    bads, pair_doc, pair_col, n_cols = [], [], [], 0
    # boilerplate given: each bucket is tested against its own part of it (an incremental
    # link's few hundred articles against the whole store's boilerplate, sixteen times)
    given_bucket = boilerplate & (BUCKETS - 1) if boilerplate is not None else None
    for b in range(BUCKETS):
        m = bucket == b
        f, d = flat[m], doc[m]
        del m
        bad = _boilerplate(f, d, outlet, days) if boilerplate is None else boilerplate[given_bucket == b]
        keep = ~np.isin(f, bad)
        if boilerplate is None:
            bads.append(bad)
        f, d = f[keep], d[keep]
        del keep
        sizes += np.bincount(d, minlength=n)
        _, col, df = np.unique(f, return_inverse=True, return_counts=True)
        common = df[col] >= 2    # a shingle of one doc pairs nothing
        pair_doc.append(d[common])
        pair_col.append((col[common] + n_cols).astype(np.int32 if n_cols + len(df) < 2**31 else np.int64))
        n_cols += len(df)
    del flat, doc, bucket, cols
    if boilerplate is None and found is not None:
        found.append(np.unique(np.concatenate(bads)) if bads else np.zeros(0, np.int64))
    a, b, shared = _shared_by_product(np.concatenate(pair_doc), np.concatenate(pair_col), n_cols, n,
                                      sizes=sizes)
    del pair_doc, pair_col
    smaller = np.minimum(sizes[a], sizes[b])
    contain = shared / np.maximum(smaller, 1)
    keep = contain >= RELATED   # below it a pair is neither a copy nor related
    a, b, contain, shared = a[keep], b[keep], contain[keep], shared[keep]
    ka, kb = key[a], key[b]
    return np.minimum(ka, kb), np.maximum(ka, kb), contain, shared


def copy_pairs(articles: Iterable, boilerplate: np.ndarray | None = None,
               found: list | None = None) -> list[tuple[int, int, float, int]]:
    """(key_a, key_b, containment, shared) for every pair of articles sharing at least
    ``RELATED`` of the shorter one's shingles (boilerplate left out); key_a < key_b.
    ``boilerplate``: the shingles to leave out, as found over a larger corpus (sorted; an
    incremental link reads a few days but leaves out what the whole store shows to be
    boilerplate); else found here, and appended to ``found`` when given."""
    return list(zip(*(x.tolist() for x in copy_pair_arrays(articles, boilerplate, found))))


def wire_groups(articles: Iterable, boilerplate: np.ndarray | None = None,
                found: list | None = None) -> list[list[int]]:
    """Groups (two or more article keys, sorted) of copies of one wire story.

    ``articles`` are ``StoredArticle`` rows (keys: ``pk``), ``WireDoc`` or their
    ``WireColumns``; ``boilerplate`` and ``found`` as for ``copy_pairs``.
    """
    cols = wire_columns(articles)
    credits: dict[int, set[str]] = {}

    def credited_by(k: int) -> set[str]:
        # only the articles of a pair that credits could make a copy are read for credits
        if k not in credits:
            credits[k] = agency_credits(*cols.text_of(k))
        return credits[k]

    by_key = np.argsort(cols.keys, kind="stable")
    keys, day, outlet = cols.keys[by_key], cols.day[by_key], cols.outlet[by_key]
    del by_key
    ka, kb, contain, shared = copy_pair_arrays(cols, boilerplate, found)
    ia, ib = np.searchsorted(keys, ka), np.searchsorted(keys, kb)
    dated = (day[ia] != _NO_DAY) & (day[ib] != _NO_DAY)
    near = ~dated | (np.abs(day[ia] - day[ib]) <= WIRE_DAYS)
    ok = near & (shared >= MIN_SHARED)
    del dated, near, shared
    copy = ok & (contain >= COPY)
    credited = np.flatnonzero(ok & ~copy & (outlet[ia] != outlet[ib]) & (contain >= CREDITED_COPY))
    del ok
    # what a group merge checks, as sorted pair codes (a dict of tuples weighs 20 times more);
    # made after the tests above, each array let go once read (an archive relates millions)
    code = ia * len(keys) + ib
    del ia, ib
    order = np.argsort(code, kind="stable")
    related_code = code[order]
    del code
    related_value = contain[order]
    del order
    for p in credited.tolist():
        copy[p] = bool(credited_by(int(ka[p])) & credited_by(int(kb[p])))
    e = np.flatnonzero(copy)
    e = e[np.lexsort((kb[e], ka[e], -contain[e]))]
    edges = list(zip(contain[e].tolist(), ka[e].tolist(), kb[e].tolist()))
    index_of = {k: i for i, k in enumerate(keys.tolist())}

    def related(x: int, y: int) -> float:
        c = index_of[min(x, y)] * len(keys) + index_of[max(x, y)]
        at = int(np.searchsorted(related_code, c))
        return float(related_value[at]) if at < len(related_code) and related_code[at] == c else 0.0

    group: dict[int, list[int]] = {}

    def fits(xs: Sequence[int], ys: Sequence[int]) -> bool:
        return all(related(x, y) >= RELATED for x in xs for y in ys)

    for _, a, b in edges:
        ga, gb = group.get(a, [a]), group.get(b, [b])
        if ga is gb or not fits(ga, gb):
            continue
        merged = ga + gb
        for k in merged:
            group[k] = merged
    seen, out = set(), []
    for g in group.values():
        if id(g) not in seen:
            seen.add(id(g))
            out.append(sorted(g))
    return sorted(out)
