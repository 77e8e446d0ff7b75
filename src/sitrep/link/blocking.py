"""Candidate pairs: incidents close in time and place, found by keys, never by all pairs.

Two incidents are candidates when their date spans overlap or touch (one day apart at
most) and their places agree in one of three ways:

- the same place (country and ``name_key`` of the name), where one of them has no
  coordinates (with coordinates on both sides, the distance decides: two towns of one name
  far apart are two towns);
- both located at a point, town or district, no farther apart than the sum of the radii of
  their precisions (``RADIUS_KM``: a point 3 km, a town 8 km, a district 20 km);
- one of them known only to its first-level division (precision ``admin1``, or a place
  named like its division, "Idlib" in Idlib, which a text often uses for the province), and
  both in that division.

Each incident is written under keys (day, place key / grid cell / admin1) for the days of
its span ("lives") and looked up under the keys for its span widened by a day ("probes").
The grid has two cell sizes: points and towns meet on a fine grid whose cell is the largest
distance two of them may be apart, districts on a coarse one; probing the 3 x 3 cells
around an incident's own finds every incident within one cell's size. Looking keys up in
a sorted array keeps the cost proportional to the number of candidates, not of all pairs.
"""
from __future__ import annotations

from typing import Iterator

import numpy as np

from .features import ADMIN1, DISTRICT, POINT, TOWN, IncidentTable

RADIUS_KM = {POINT: 3.0, TOWN: 8.0, DISTRICT: 20.0}
FINE_CELL_KM = 2 * RADIUS_KM[TOWN]        # points and towns: at most 16 km apart
COARSE_CELL_KM = 2 * RADIUS_KM[DISTRICT]  # with a district: at most 40 km apart
KM_PER_DEG = 111.2

_FINE, _COARSE, _ADMIN1, _PLACE = 1, 2, 3, 4
_CHUNK = 50_000  # incidents probed at a time (bounds the memory of the join)
_PAIRS = 2_000_000  # and pairs joined at a time, where the probes meet many


def radius_km(prec: np.ndarray) -> np.ndarray:
    """The radius of each place precision (NaN where it has none: admin1, country)."""
    r = np.full(len(prec), np.nan)
    for p, km in RADIUS_KM.items():
        r[prec == p] = km
    return r


def distance_km(lat1, lon1, lat2, lon2) -> np.ndarray:
    """Great-circle distance (equirectangular: exact enough below a few hundred km)."""
    mid = np.radians((lat1 + lat2) / 2.0)
    dx = (lon2 - lon1) * np.cos(mid)
    dy = lat2 - lat1
    return KM_PER_DEG * np.sqrt(dx * dx + dy * dy)


def is_vague(t: IncidentTable) -> np.ndarray:
    """Rows whose place may stand for a whole first-level division."""
    return (t.prec == ADMIN1) | t.capital


def _cells(t: IncidentTable, size_km: float) -> tuple[np.ndarray, np.ndarray]:
    y = np.floor(t.lat * KM_PER_DEG / size_km)
    x = np.floor(t.lon * KM_PER_DEG * np.cos(np.radians(t.lat)) / size_km)
    return x, y


def _cell_code(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    x = np.nan_to_num(x).astype(np.int64) + (1 << 19)
    y = np.nan_to_num(y).astype(np.int64) + (1 << 19)
    return (x << 20) | y


def _key(kind: int, day: np.ndarray, code: np.ndarray) -> np.ndarray:
    return (np.int64(kind) << 60) | (day.astype(np.int64) << 40) | (code.astype(np.int64) & ((1 << 40) - 1))


def _entries(t: IncidentTable, rows: np.ndarray, probe: bool) -> tuple[np.ndarray, np.ndarray]:
    """(key, row) of the rows' lives (probe=False) or probes (probe=True)."""
    has_xy = ~np.isnan(t.lat) & ~np.isnan(t.lon)
    vague = is_vague(t)
    fx, fy = _cells(t, FINE_CELL_KM)
    cx, cy = _cells(t, COARSE_CELL_KM)
    keys, owners = [], []
    widen = 1 if probe else 0
    s = t.start[rows].astype(np.int64) - widen
    span = (t.end[rows].astype(np.int64) + widen) - s + 1
    for offset in range(int(span.max()) if len(rows) else 0):
        alive = offset < span
        r = rows[alive]
        day = s[alive] + offset
        prec = t.prec[r]
        xy = has_xy[r]
        fine = xy & (prec <= TOWN)
        coarse = xy & (prec <= DISTRICT)
        if probe:
            neighbours = [(dx, dy) for dx in (-1, 0, 1) for dy in (-1, 0, 1)]
            for dx, dy in neighbours:
                m = fine
                keys.append(_key(_FINE, day[m], _cell_code(fx[r[m]] + dx, fy[r[m]] + dy)))
                owners.append(r[m])
                m = coarse & (prec == DISTRICT)
                keys.append(_key(_COARSE, day[m], _cell_code(cx[r[m]] + dx, cy[r[m]] + dy)))
                owners.append(r[m])
            m = vague[r] & (t.admin1[r] >= 0)
        else:
            keys.append(_key(_FINE, day[fine], _cell_code(fx[r[fine]], fy[r[fine]])))
            owners.append(r[fine])
            keys.append(_key(_COARSE, day[coarse], _cell_code(cx[r[coarse]], cy[r[coarse]])))
            owners.append(r[coarse])
            m = t.admin1[r] >= 0
        keys.append(_key(_ADMIN1, day[m], t.admin1[r[m]]))
        owners.append(r[m])
        # by name: every named row lives there, rows without coordinates look there
        # (rows with coordinates find each other on the grid)
        m = (t.place[r] >= 0) & (~xy if probe else True)
        keys.append(_key(_PLACE, day[m], t.place[r[m]]))
        owners.append(r[m])
    if not keys:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    return np.concatenate(keys), np.concatenate(owners).astype(np.int64)


def place_agrees(t: IncidentTable, i: np.ndarray, j: np.ndarray) -> np.ndarray:
    """The place condition of a candidate pair (see the module's docstring)."""
    has_xy = ~np.isnan(t.lat) & ~np.isnan(t.lon)
    same = (t.place[i] >= 0) & (t.place[i] == t.place[j]) & ~(has_xy[i] & has_xy[j])
    ri, rj = radius_km(t.prec[i]), radius_km(t.prec[j])
    with np.errstate(invalid="ignore"):
        near = distance_km(t.lat[i], t.lon[i], t.lat[j], t.lon[j]) <= ri + rj
    vague = is_vague(t)
    admin = (vague[i] | vague[j]) & (t.admin1[i] >= 0) & (t.admin1[i] == t.admin1[j])
    return same | near | admin


def dates_touch(t: IncidentTable, i: np.ndarray, j: np.ndarray) -> np.ndarray:
    return (t.start[i] <= t.end[j] + 1) & (t.start[j] <= t.end[i] + 1)


def sorted_unique(x: np.ndarray) -> np.ndarray:
    """``np.unique`` by sorting (numpy's hash-based unique is slow on large int64 arrays)."""
    x = np.sort(x)
    if len(x) == 0:
        return x
    keep = np.empty(len(x), bool)
    keep[0] = True
    np.not_equal(x[1:], x[:-1], out=keep[1:])
    return x[keep]


def candidate_chunks(t: IncidentTable, chunk: int = _CHUNK) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """Candidate pairs (i < j, rows of different articles), a chunk of probing rows (and at
    most about ``_PAIRS`` pairs) at a time, so that memory stays bounded however many rows
    there are and however many reports each act has. Within a chunk each pair comes once; a
    pair met in two chunks may come from both."""
    rows = np.flatnonzero(t.linkable)
    # chunks are spans of time: a pair whose rows fall in two chunks is rare (at a border)
    rows = rows[np.argsort(t.start[rows], kind="stable")]
    live_key, live_row = _entries(t, rows, probe=False)
    order = np.argsort(live_key, kind="stable")
    live_key, live_row = live_key[order], live_row[order]
    for c in range(0, len(rows), chunk):
        probe_key, probe_row = _entries(t, rows[c:c + chunk], probe=True)
        order = np.argsort(probe_key, kind="stable")   # sorted probes search faster
        probe_key, probe_row = probe_key[order], probe_row[order]
        lo = np.searchsorted(live_key, probe_key, side="left")
        hi = np.searchsorted(live_key, probe_key, side="right")
        cnt = hi - lo
        hit = cnt > 0
        lo, cnt, probe_row = lo[hit], cnt[hit], probe_row[hit]
        # a dense archive (many reports of each act) gives many pairs per probe: the join
        # is made a bounded number of pairs at a time
        ends = np.cumsum(cnt)
        b0 = 0
        while b0 < len(cnt):
            done = int(ends[b0 - 1]) if b0 else 0
            b1 = max(b0 + 1, int(np.searchsorted(ends, done + _PAIRS, side="right")))
            pair = _joined(t, live_row, lo[b0:b1], cnt[b0:b1], probe_row[b0:b1])
            if pair is not None:
                yield pair
            b0 = b1


def _joined(t: IncidentTable, live_row: np.ndarray, lo: np.ndarray, cnt: np.ndarray,
            probe_row: np.ndarray) -> tuple[np.ndarray, np.ndarray] | None:
    """The candidate pairs (a < b) of probes that met ``cnt`` lives from ``lo`` on."""
    total = int(cnt.sum())
    if total == 0:
        return None
    n = len(t)
    starts = np.repeat(lo - (np.cumsum(cnt) - cnt), cnt)
    i = np.repeat(probe_row, cnt)
    j = live_row[starts + np.arange(total)]
    keep = t.article[i] != t.article[j]
    i, j = i[keep], j[keep]
    code = sorted_unique(np.minimum(i, j) * n + np.maximum(i, j))
    a, b = code // n, code % n
    keep = place_agrees(t, a, b) & dates_touch(t, a, b)
    return a[keep], b[keep]


def candidate_pairs(t: IncidentTable, chunk: int = _CHUNK) -> tuple[np.ndarray, np.ndarray]:
    """All candidate pairs (i < j) of rows from different articles, each once."""
    n = len(t)
    codes = [a * n + b for a, b in candidate_chunks(t, chunk)]
    if not codes:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    code = sorted_unique(np.concatenate(codes))
    return code // n, code % n
