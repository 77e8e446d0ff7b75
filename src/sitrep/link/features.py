"""Incidents as columns of numbers: what blocking, scoring and clustering read.

Linking works on an ``IncidentTable`` of numpy arrays, one row per incident, so that a
million incidents fit in memory and every step is vectorised. ``from_incidents`` builds it
from the store's ``StoredIncident`` rows; the benchmark builds one directly.
"""
from __future__ import annotations

import datetime as _dt
import math
from array import array
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Callable, Iterable, Mapping, Sequence

import numpy as np
import yaml

from ..knowledge.names import name_key
from ..records import EVENT_TYPES, PLACE_PRECISIONS
from .tokens import content_ids

# Place precision codes (finer is lower), as in records.PLACE_PRECISIONS.
POINT, TOWN, DISTRICT, ADMIN1, COUNTRY = range(5)
PREC_CODE = {p: i for i, p in enumerate(PLACE_PRECISIONS)}
# Date precision codes; only these three place an act in time closely enough to link it.
DAY, RANGE, REPORT, VAGUE = 0, 1, 2, 3
DATE_CODE = {"day": DAY, "range": RANGE, "report": REPORT}
MAX_SPAN_DAYS = 7   # longer stated spans are summaries (spec: cumulative tolls over 7 days)
# An act dated by its report (precision "report": the text gives no day) happened on the
# publication day or the day before ("overnight", "yesterday" left unsaid): its span is both.
REPORT_LAG_DAYS = 1
TYPE_CODE = {t: i for i, t in enumerate(EVENT_TYPES)}
MAX_TOKENS = 40     # the evidence words kept per incident, by weight
LEAD_CHARS = 1000   # an article's lead: the title and the text's first characters
DOC_TOKENS = 100    # the lead's words kept, by weight


@dataclass
class IncidentTable:
    """One row per incident. Missing values: -1 for codes, NaN for numbers."""

    article: np.ndarray     # int64, the article each incident comes from
    start: np.ndarray       # int32 day number (proleptic ordinal) of the span's first day
    end: np.ndarray         # int32 day number of its last day (== start for one day)
    date_prec: np.ndarray   # int8: DAY, RANGE, REPORT or VAGUE (never linked)
    lat: np.ndarray         # float64
    lon: np.ndarray         # float64
    prec: np.ndarray        # int8 place precision code: POINT .. COUNTRY
    capital: np.ndarray     # bool: a town named like its admin1 ("Idlib" in Idlib): the
    #                         text may mean the province, so it also links as admin1
    admin1: np.ndarray      # int64 code of (country, admin1), -1 unknown
    place: np.ndarray       # int64 code of (country, place name key), -1 none
    etype: np.ndarray       # int8 event type code
    perp: np.ndarray        # int64 bit mask of perpetrators (0: unknown)
    side: np.ndarray        # int64 bit mask of the perpetrators' sides (0: unknown)
    killed_lo: np.ndarray   # float64: least figure of killed (total) over the claims
    killed_hi: np.ndarray   # float64: greatest figure
    tok_ptr: np.ndarray     # int64 (n+1,): row i's evidence words are tok_id[ptr[i]:ptr[i+1]]
    tok_id: np.ndarray      # int32 word ids, sorted and unique within a row
    tok_w: np.ndarray       # float32 TF-IDF weights, each row of unit length
    doc: np.ndarray = None      # int64: row of the incident's article in doc_ptr (-1: no text)
    doc_ptr: np.ndarray = None  # the articles' leads as TF-IDF rows, as tok_*
    doc_id: np.ndarray = None
    doc_w: np.ndarray = None

    def __post_init__(self) -> None:
        if self.doc is None:
            self.doc = np.full(len(self.article), -1, np.int64)
            self.doc_ptr = np.zeros(1, np.int64)
            self.doc_id = np.zeros(0, np.int32)
            self.doc_w = np.zeros(0, np.float32)

    def __len__(self) -> int:
        return len(self.article)

    @property
    def linkable(self) -> np.ndarray:
        """Rows placed closely enough in time and space to be linked at all."""
        return (self.date_prec < VAGUE) & (self.prec < COUNTRY)


def day_number(iso: str | None) -> int | None:
    if not iso:
        return None
    try:
        return _dt.date.fromisoformat(iso[:10]).toordinal()
    except ValueError:
        return None


class Codes:
    """Small integer codes for strings (actors, places), assigned on first sight."""

    def __init__(self) -> None:
        self.codes: dict[str, int] = {}

    def __call__(self, key: str | None) -> int:
        if not key:
            return -1
        return self.codes.setdefault(key, len(self.codes))


@lru_cache(maxsize=1)
def actor_sides() -> dict[str, str]:
    """Actor name -> its side, from the actor dictionary's FA-KES family (``fakes``).

    Allies that reporting often confuses ("Syrian or Russian warplanes", the coalition and
    US forces) share a side; a perpetrator of the same side is half a match.
    """
    data = yaml.safe_load((resources.files("sitrep.knowledge") / "actors.yaml")
                          .read_text(encoding="utf-8")) or {}
    sides: dict[str, str] = {}
    for entry in data.get("actors") or []:
        name, side = entry.get("name"), entry.get("fakes")
        if name and side and side != "unknown":
            sides.setdefault(name, side)
    return sides


def killed_range(incident) -> tuple[float, float]:
    """Least and greatest figure of killed (total, else civilians) over the claims."""
    values = []
    for claim in incident.claims:
        if claim.denial:
            continue
        for cat in ("total", "civilians", "combatants"):
            count = claim.killed.get(cat)
            if count is None:
                continue
            for v in (count.low, count.best, count.high):
                if v is not None and v > 0:
                    values.append(float(v))
            break
    if not values:
        return float("nan"), float("nan")
    return min(values), max(values)


def evidence_text(incident) -> str:
    return " ".join(span.text for claim in incident.claims for span in claim.evidence)


def article_lead(title: str | None, text: str | None) -> str:
    """The title and the first ``LEAD_CHARS`` of the text (where the news is)."""
    text = text or ""
    if title and not text.startswith(title):
        text = f"{title}. {text}"
    return text[:LEAD_CHARS]


@dataclass
class Corpus:
    """What the TF-IDF weights count over when it is more than the rows at hand (an
    incremental link reads a few days of the store but weighs words as the whole store does):
    how many incidents and leads, and a function from word ids to how many of them hold each."""

    incidents: int
    evidence_df: Callable[[np.ndarray], np.ndarray]
    leads: int
    lead_df: Callable[[np.ndarray], np.ndarray]


def from_incidents(incidents: Iterable, articles=None, corpus: Corpus | None = None,
                   leads_out: dict | None = None) -> tuple[IncidentTable, list[np.ndarray]]:
    """Build the table from ``StoredIncident`` rows (or anything with ``.incident`` and
    ``.article_pk``), read once in order (a stream will do: nothing of a row is kept but its
    columns); ``articles`` (``{pk: StoredArticle}``, or a source of them: ``lead_ids``) gives
    the leads. Returns the table and
    each row's evidence word ids (before weighting). ``corpus``: weigh words over it instead
    of over these rows; ``leads_out``: filled with each article's lead word ids."""
    article, start, end = array("q"), array("q"), array("q")
    date_prec, prec, etype, capital = array("b"), array("b"), array("b"), array("b")
    lat, lon, k_lo, k_hi = array("d"), array("d"), array("d"), array("d")
    admin1, place, perp, side = array("q"), array("q"), array("q"), array("q")
    # evidence word ids, flat (python lists weigh 5x), 32-bit (ids lie below 2**24)
    flat, lengths = array("i"), array("q")
    places, admins, actors, side_codes = Codes(), Codes(), Codes(), Codes()
    sides = actor_sides()
    for si in incidents:
        inc = si.incident
        article.append(si.article_pk)
        d0 = day_number(inc.date)
        code = DATE_CODE.get(inc.date_precision, VAGUE)
        s, e, c = 0, 0, VAGUE
        if d0 is not None and code != VAGUE:
            d1 = day_number(inc.date_end) if code == RANGE else d0
            d1 = d0 if d1 is None or d1 < d0 else min(d1, d0 + MAX_SPAN_DAYS - 1)
            if code == REPORT:
                d0 -= REPORT_LAG_DAYS
            s, e, c = d0, d1, code
        start.append(s)
        end.append(e)
        date_prec.append(c)
        loc = inc.location
        country = (loc.country or "").upper()
        p = PREC_CODE.get(loc.precision, COUNTRY)
        prec.append(p)
        has_xy = loc.lat is not None and loc.lon is not None
        lat.append(float(loc.lat) if has_xy else math.nan)
        lon.append(float(loc.lon) if has_xy else math.nan)
        akey = name_key(loc.admin1) if loc.admin1 else ""
        pkey = name_key(loc.name) if loc.name else ""
        admin1.append(admins(f"{country}|{akey}" if akey else None))
        place.append(places(f"{country}|{pkey}" if pkey else None))
        capital.append(bool(akey) and pkey == akey and p == TOWN)
        etype.append(TYPE_CODE.get(inc.event_type, TYPE_CODE["other"]))
        pm = sm = 0
        for actor in inc.perpetrator:
            if actor and actor != "unknown":
                pm |= 1 << (actors(actor) % 63)
                sm |= 1 << (side_codes(sides.get(actor, actor)) % 63)
        perp.append(pm)
        side.append(sm)
        lo, hi = killed_range(inc)
        k_lo.append(lo)
        k_hi.append(hi)
        ids = content_ids(evidence_text(inc))
        flat.extend(ids)
        lengths.append(len(ids))
    n = len(article)
    column = np.frombuffer
    flat_ids = column(flat, np.int32) if len(flat) else np.zeros(0, np.int32)
    row_lengths = column(lengths, np.int64) if n else np.zeros(0, np.int64)
    ptr, ids, w = tfidf_chunked(row_lengths, flat_ids, corpus=corpus and corpus.incidents,
                                df_of=corpus and corpus.evidence_df)
    table = IncidentTable(
        _col(article, np.int64), _col(start, np.int32), _col(end, np.int32), _col(date_prec, np.int8),
        _col(lat, np.float64), _col(lon, np.float64), _col(prec, np.int8), _col(capital, bool),
        _col(admin1, np.int64), _col(place, np.int64), _col(etype, np.int8), _col(perp, np.int64),
        _col(side, np.int64), _col(k_lo, np.float64), _col(k_hi, np.float64), ptr, ids, w)
    if has_articles(articles):
        leads_of = lead_ids(articles, np.unique(table.article).tolist())
        pks = [pk for pk, ids in leads_of.items() if len(ids)]   # no words: no evidence either way
        row_of = {pk: r for r, pk in enumerate(pks)}
        leads = [leads_of[pk] for pk in pks]
        if leads_out is not None:
            leads_out.update(leads_of)
        del leads_of
        table.doc = np.array([row_of.get(int(a), -1) for a in table.article.tolist()], np.int64)
        table.doc_ptr, table.doc_id, table.doc_w = tfidf_rows(leads, DOC_TOKENS, corpus and corpus.leads,
                                                              corpus and corpus.lead_df)
    return table, np.split(flat_ids, np.cumsum(row_lengths)[:-1]) if n else []


def has_articles(articles) -> bool:
    """Whether ``articles`` (a mapping, a source of them or None) gives any."""
    return bool(articles) if isinstance(articles, Mapping) else articles is not None


def lead_ids(articles, pks: Sequence[int]) -> dict[int, np.ndarray]:
    """The lead word ids (int32) of the articles of ``pks`` (sorted) that ``articles`` holds,
    by key in order: ``articles`` is ``{pk: StoredArticle}`` or a source of them (a ``Store``,
    or anything whose ``articles()`` streams them in key order: read once, keeping none)."""
    if isinstance(articles, Mapping):
        return {pk: np.array(content_ids(article_lead(articles[pk].title, articles[pk].text)), np.int32)
                for pk in sorted(set(pks) & set(articles))}
    wanted = set(pks)
    out = {a.pk: np.array(content_ids(article_lead(a.title, a.text)), np.int32)
           for a in articles.articles() if a.pk in wanted}
    return dict(sorted(out.items()))


def _col(values: array, dtype) -> np.ndarray:
    return np.array(values, dtype) if len(values) else np.zeros(0, dtype)


def tfidf_rows(tokens: Sequence[Sequence[int]], max_tokens: int = MAX_TOKENS, corpus: int | None = None,
               df_of: Callable[[np.ndarray], np.ndarray] | None = None):
    """CSR rows of unit-length TF-IDF weights (sublinear tf, smooth idf over these rows, or
    over a corpus: see ``tfidf_from_flat``)."""
    n = len(tokens)
    lengths = np.fromiter((len(t) for t in tokens), np.int64, n)
    flat = np.fromiter((t for ts in tokens for t in ts), np.int64, int(lengths.sum()))
    return tfidf_chunked(lengths, flat, max_tokens, corpus, df_of)


ROWS_AT_A_TIME = 20_000   # rows weighted at a time (an archive's leads: millions of words)


def tfidf_chunked(lengths: np.ndarray, flat: np.ndarray, max_tokens: int = MAX_TOKENS,
                  corpus: int | None = None, df_of: Callable[[np.ndarray], np.ndarray] | None = None,
                  rows: int = ROWS_AT_A_TIME):
    """As ``tfidf_from_flat`` over rows given by their lengths (row k's words are the next
    ``lengths[k]`` of ``flat``), ``rows`` rows at a time: a row's weights depend on its own
    words and on how many rows hold each word, so the document frequencies are counted
    first, a chunk at a time, and each chunk is then weighted with the same arithmetic as
    the whole: the same weights, bit for bit, with the temporary arrays of one chunk."""
    n = len(lengths)
    ends = np.concatenate([[0], np.cumsum(lengths)])
    spans = [(a, min(a + rows, n)) for a in range(0, n, rows)] or [(0, 0)]

    def chunk(a: int, b: int):
        return np.repeat(np.arange(b - a, dtype=np.int64), lengths[a:b]), flat[ends[a]:ends[b]]

    if df_of is None:
        words, counts = [], []
        for a, b in spans:
            row, ids = chunk(a, b)
            key = np.unique(row << 32 | ids.astype(np.int64))
            w, c = np.unique(key & 0xFFFFFFFF, return_counts=True)
            words.append(w)
            counts.append(c)
        keys, inverse = np.unique(np.concatenate(words), return_inverse=True)
        df = np.bincount(inverse, weights=np.concatenate(counts), minlength=len(keys)).astype(np.int64)
        df_of = lambda tok: df[np.searchsorted(keys, tok)]   # noqa: E731
        corpus = n if corpus is None else corpus
    ptrs, ids_, ws = [np.zeros(1, np.int64)], [], []
    for a, b in spans:
        row, ids = chunk(a, b)
        ptr, tok, w = tfidf_from_flat(b - a, row, ids, max_tokens, corpus, df_of)
        ptrs.append(ptr[1:] + ptrs[-1][-1])
        ids_.append(tok)
        ws.append(w)
    return (np.concatenate(ptrs), np.concatenate(ids_) if ids_ else np.zeros(0, np.int32),
            np.concatenate(ws) if ws else np.zeros(0, np.float32))


def tfidf_from_flat(n: int, row: np.ndarray, flat: np.ndarray, max_tokens: int = MAX_TOKENS,
                    corpus: int | None = None, df_of: Callable[[np.ndarray], np.ndarray] | None = None):
    """As ``tfidf_rows``, from parallel arrays of row numbers and word ids (any order).

    ``corpus`` (how many rows the corpus holds, default ``n``) and ``df_of`` (word ids ->
    how many of those rows hold each) may describe a larger corpus than these ``n`` rows: an
    incremental link weights the rows it rescores as a full link over the whole store does,
    with the same arithmetic, so that their weights are the full link's."""
    if len(flat) == 0:
        return np.zeros(n + 1, np.int64), np.zeros(0, np.int32), np.zeros(0, np.float32)
    key = row.astype(np.int64) << 32 | flat.astype(np.int64)
    key, tf = np.unique(key, return_counts=True)
    r = (key >> 32).astype(np.int64)
    tok = (key & 0xFFFFFFFF).astype(np.int64)
    if df_of is None:
        _, inv, df = np.unique(tok, return_inverse=True, return_counts=True)
        df_tok = df[inv]
    else:
        df_tok = df_of(tok)
    size = n if corpus is None else corpus
    w = (1.0 + np.log(tf)) * (np.log((1.0 + size) / (1.0 + df_tok)) + 1.0)
    if max_tokens:
        # keep each row's heaviest words: sort by row, then weight descending
        order = np.lexsort((-w, r))
        r, tok, w = r[order], tok[order], w[order]
        first = np.searchsorted(r, r, side="left")
        keep = (np.arange(len(r)) - first) < max_tokens
        r, tok, w = r[keep], tok[keep], w[keep]
        order = np.lexsort((tok, r))
        r, tok, w = r[order], tok[order], w[order]
    norm = np.sqrt(np.bincount(r, weights=w * w, minlength=n))
    w = w / norm[r]
    ptr = np.zeros(n + 1, np.int64)
    np.cumsum(np.bincount(r, minlength=n), out=ptr[1:])
    return ptr, tok.astype(np.int32), w.astype(np.float32)
