"""Finding place names in text and resolving them against the offline gazetteer.

``Gazetteer.find`` scans runs of capitalised words (with the lower-case particles of
transliterated Arabic names: "Deir ez-Zor", "Ras al Ain", "al-Rashedin"), looks every 1-4 word
n-gram up by its spelling key and its lossy consonant key, and keeps the best reading:

* a place in the article's countries beats one elsewhere; elsewhere needs a cue word or a
  large population (so "Hope" and "Police" stay words);
* cue words choose the kind: "Idlib province" is the division, "Idlib" the city, "the
  Baeedeen neighbourhood" a part of the city it is in, even when no gazetteer knows it;
* words before the name set the modifier ("south of", "outside", "countryside") and widen
  the precision to "district" where the act was around, not in, the place.

Lookups are dictionary hits on precomputed keys; nothing scans the gazetteer.
"""
from __future__ import annotations

import bisect
import functools
import math
import re
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from pathlib import Path
from typing import Sequence

import yaml

from ..knowledge.gazetteer import (DEFAULT_CITIES, KINDS, KNOWLEDGE_DIR, PRECISION_OF_KIND,
                                   GazetteerIndex, load_index)
from ..knowledge.gazetteer import plain_name as _plain_name

# Names repeat within and across articles: cache the string work.
plain_name = functools.lru_cache(maxsize=131072)(_plain_name)
from ..knowledge.names import skeleton, spelling_key, strip_accents
from ..records import Location


@dataclass
class PlaceMention:
    start: int
    end: int
    text: str  # the name as written (text[start:end])
    location: Location
    kind: str  # "populated" | "neighbourhood" | "admin1" | "country" | "region"
    modifier: str | None = None  # "south of", "outside", "countryside", "near", "area", ...
    score: float = 1.0  # confidence of the resolution, 0..1


# ---------------------------------------------------------------------------------------------
# Lexicon (cue words, stop words) from the knowledge folder


@dataclass
class _Lexicon:
    never: frozenset[str]
    names: frozenset[str]
    titles: frozenset[str]
    particles: frozenset[str]
    prefixes: frozenset[str]
    noun_hint: dict[str, str]  # cue noun -> "settlement" | "admin" | "countryside" | "neighbourhood" | "camp"
    neighbourhood_adjectives: frozenset[str]
    directions: frozenset[str]
    direction_adjectives: frozenset[str]
    modifiers: dict[str, str]  # phrase before the name -> normalised modifier
    widening: frozenset[str]

    @classmethod
    def load(cls) -> "_Lexicon":
        with open(KNOWLEDGE_DIR / "place_stopwords.yaml", encoding="utf-8") as f:
            stop = yaml.safe_load(f)
        with open(KNOWLEDGE_DIR / "place_cues.yaml", encoding="utf-8") as f:
            cues = yaml.safe_load(f)
        hint: dict[str, str] = {}
        for key, h in (("settlement_nouns", "settlement"), ("admin_nouns", "admin"),
                       ("countryside_nouns", "countryside"), ("neighbourhood_nouns", "neighbourhood"),
                       ("camp_nouns", "camp")):
            for w in cues.get(key) or ():
                hint[w] = h
        low = lambda xs: frozenset(str(x).lower() for x in xs or ())  # noqa: E731
        return cls(never=low(stop.get("never")) | _english_stop_words(), names=low(stop.get("names")),
                   titles=low(cues.get("titles")), particles=low(cues.get("particles")),
                   prefixes=low(cues.get("name_prefixes")), noun_hint=hint,
                   neighbourhood_adjectives=low(cues.get("neighbourhood_adjectives")),
                   directions=low(cues.get("directions")),
                   direction_adjectives=low(cues.get("direction_adjectives")),
                   modifiers={k.lower(): v for k, v in (cues.get("modifiers") or {}).items()},
                   widening=low(cues.get("widening_modifiers")))


def _english_stop_words() -> frozenset[str]:
    """spaCy's English stop words ("we", "can", "whole"), read from its data file without
    importing spaCy itself (which would double the load time)."""
    import importlib.util
    spec = importlib.util.find_spec("spacy")
    if spec is None or not spec.origin:
        return frozenset()
    path = Path(spec.origin).parent / "lang" / "en" / "stop_words.py"
    scope: dict = {}
    try:
        exec(compile(path.read_text(encoding="utf-8"), str(path), "exec"), scope)
    except (OSError, SyntaxError):
        return frozenset()
    return frozenset(scope.get("STOP_WORDS", ()))


# ---------------------------------------------------------------------------------------------
# Tokens and runs

_WORD = re.compile(r"[^\W\d_]+(?:['\u2019\-][^\W\d_]+)*")
_SENTENCE_END = re.compile(r"[.!?]+[\"'\u201d\u2019)\]]*\s+|\n+")
_HYPHEN_PARTICLE = re.compile(r"^(?:al|el|ar|as|ash|at|ad|adh|az|an|es|ed|ez|er|et|en|ul|l)-", re.I)


@dataclass
class _Tok:
    start: int
    end: int
    text: str
    lower: str
    name_like: bool  # can be part of a place name
    particle: bool  # a bare lower-case particle ("al", "ez"): only inside a name


def _name_like(word: str, particles: frozenset[str]) -> bool:
    if len(word) < 2 or (word[0].islower() and "-" not in word):
        return False
    parts = re.split(r"[\-]", word)
    first = parts[0]
    if _HYPHEN_PARTICLE.match(word) and len(parts) > 1:
        # "al-Bab", "ez-Zor": the part after the particle carries the capital
        rest = parts[1:]
    elif first[:1].isupper():
        rest = parts[1:]
    else:
        return False
    # "US-backed", "Kurdish-led", "rebel-held": an adjective, not a name
    for p in rest:
        if p[:1].islower() and p.lower() not in particles:
            return False
    return any(p[:1].isupper() for p in parts)


def _tokens(text: str, lex: _Lexicon) -> list[_Tok]:
    out = []
    for m in _WORD.finditer(text):
        w, end = m.group(), m.end()
        if w[-2:] in ("'s", "\u2019s") and len(w) > 3:  # "Kharkov's": the possessive is no part of it
            w, end = w[:-2], end - 2
        lw = w.lower()
        out.append(_Tok(m.start(), end, w, lw, _name_like(w, lex.particles),
                        lw in lex.particles and w.islower()))
    return out


def _runs(toks: list[_Tok], text: str) -> list[list[int]]:
    """Indexes of tokens forming candidate name runs: name-like words joined by single spaces,
    with bare particles allowed between two of them."""
    runs: list[list[int]] = []
    cur: list[int] = []

    def flush() -> None:
        while cur and toks[cur[-1]].particle:
            cur.pop()
        if cur:
            runs.append(list(cur))
        cur.clear()

    for i, t in enumerate(toks):
        joined = bool(cur) and text[toks[cur[-1]].end:t.start] in (" ", "-")
        if t.name_like:
            if not joined:
                flush()
            cur.append(i)
        elif t.particle and joined and not toks[cur[-1]].particle:
            cur.append(i)
        else:
            flush()
    flush()
    return runs


# ---------------------------------------------------------------------------------------------
# Cues


@dataclass
class _Cue:
    hint: str | None = None  # settlement | admin | countryside | neighbourhood | camp
    modifier: str | None = None
    container_after: int | None = None  # offset where "of Aleppo" begins after the cue


def _words_before(text: str, pos: int, n: int = 8) -> list[str]:
    return re.findall(r"[a-z]+(?:-[a-z]+)*", text[max(0, pos - 80):pos].lower())[-n:]


_NAMED_PART_OF = re.compile(r"[A-Z][\w\-']*\s+([a-z]+)\s+of\s+(?:the\s+)?$")


def _pre_cue(words: list[str], lex: _Lexicon, before: str = "") -> _Cue:
    """Cue words right before a name; ``before`` is the raw text just before it."""
    cue = _Cue()
    k = len(words)
    if k >= 2 and words[-1] == "of" and words[-2] in lex.noun_hint:
        cue.hint = lex.noun_hint[words[-2]]
        m = _NAMED_PART_OF.search(before[-60:])
        if cue.hint == "neighbourhood" and m and lex.noun_hint.get(m.group(1)) == "neighbourhood":
            cue.hint = "settlement"  # "the Al-Ferdous district of Aleppo": Aleppo holds it
        if cue.hint == "countryside":
            cue.modifier = "countryside"
        k -= 2
        # skip the noun phrase's own words: "the besieged eastern town of X"
        j = k
        while j > 0 and k - j < 4 and words[j - 1] not in ("of", "in", "on", "at", "to", "from",
                                                           "into", "and", "by", "near", "outside",
                                                           "around", "towards", "toward", "across"):
            j -= 1
        k = j
    if k == 0:
        return cue
    w = words[k - 1]
    two = " ".join(words[max(0, k - 2):k])
    three = " ".join(words[max(0, k - 3):k])
    if w == "of" and k >= 2 and words[k - 2] in lex.directions:
        cue.modifier = f"{words[k - 2]} of"
    elif three in lex.modifiers:
        cue.modifier = lex.modifiers[three]
    elif two in lex.modifiers:
        cue.modifier = lex.modifiers[two]
    elif w in lex.modifiers:
        cue.modifier = lex.modifiers[w]
        if w == "rural":
            cue.hint = "countryside"
    elif w in lex.direction_adjectives and cue.hint is None:
        cue.modifier = w
    return cue


_AFTER_WORD = re.compile(r"[a-z]+")


def _post_cue(text: str, end: int, lex: _Lexicon) -> _Cue:
    """Cue words right after a name: "X province", "X countryside", "the X neighbourhood of Y"."""
    cue = _Cue()
    if not text[end:end + 1].isspace():
        return cue
    words = []
    pos = end
    for m in _AFTER_WORD.finditer(text, end, min(len(text), end + 60)):
        if text[pos:m.start()].strip():  # punctuation or a capitalised word ends the cue
            break
        words.append((m.group(), m.end()))
        pos = m.end()
        if len(words) == 4:
            break
    if words and words[0][0] == "refugee":
        words = words[1:]
    if not words:
        return cue
    k = 0
    if words[0][0] in lex.neighbourhood_adjectives and len(words) > 1 and \
            lex.noun_hint.get(words[1][0]) == "neighbourhood":
        k = 1
    h = lex.noun_hint.get(words[k][0])
    if h is None:
        if words[0][0] == "area":
            cue.modifier = "area"
        return cue
    cue.hint = h
    if h == "countryside":
        cue.modifier = "countryside"
    if len(words) > k + 1 and words[k + 1][0] in ("of", "in"):
        cue.container_after = words[k + 1][1]
    return cue


# ---------------------------------------------------------------------------------------------
# The gazetteer


def _round(x: float) -> float | None:
    return None if math.isnan(x) else round(float(x), 4)


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    if any(math.isnan(v) for v in (lat1, lon1, lat2, lon2)):
        return math.inf
    dx = (lon2 - lon1) * math.cos(math.radians((lat1 + lat2) / 2))
    return 111.2 * math.hypot(lat2 - lat1, dx)


_BIG_CITY = 100_000  # a place outside the article's countries needs this many people, or a cue
_FUZZY_MIN = 0.75  # similarity of spelling keys for a consonant-skeleton match


@dataclass
class _Choice:
    id: int
    score: float
    exact: bool
    sim: float


@dataclass
class _State:
    """What find() knows while it walks one text."""

    text: str
    countries: list[str]
    lower_words: set[str]
    sentence_starts: list[int]
    mentions: list[PlaceMention] = field(default_factory=list)
    pending: dict[int, tuple[str, _Cue]] = field(default_factory=dict)  # id(mention) -> cue

    def known(self, m: PlaceMention) -> bool:
        return id(m) not in self.pending

    def sentence(self, pos: int) -> int:
        return bisect.bisect_right(self.sentence_starts, pos) - 1


class Gazetteer:
    """Name lookups over the offline index, and place finding in text."""

    _loaded: dict[str, "Gazetteer"] = {}

    def __init__(self, index: GazetteerIndex, lexicon: _Lexicon):
        self.index = index
        self.lex = lexicon
        self._by_country: dict[str, list[int]] | None = None
        self._conflict = frozenset(cc for cc, _name in index.admin1_entry)
        # where _try is reading, for _acceptable to look at the words before the name (one
        # Gazetteer serves one text at a time; the pipeline does not share it across threads)
        self._nationality_at: tuple[str, int] = ("", 0)
        self._stopped = functools.lru_cache(maxsize=65536)(self._stopped_uncached)  # type: ignore[method-assign]
        self._written_as = functools.lru_cache(maxsize=131072)(self._written_as_uncached)  # type: ignore[method-assign]
        self._keys = functools.lru_cache(maxsize=65536)(self._keys_uncached)
        self._name_key = functools.lru_cache(maxsize=65536)(lambda i: spelling_key(index.name[i]))

    @classmethod
    def load(cls, which: str = DEFAULT_CITIES) -> "Gazetteer":
        """The shared instance (the index is built on first use, then cached on disk)."""
        g = cls._loaded.get(which)
        if g is None:
            g = cls._loaded[which] = cls(load_index(which), _Lexicon.load())
        return g

    # -- candidates ---------------------------------------------------------------------------

    def _keys_uncached(self, surface: str) -> tuple[str, tuple[int, ...], tuple[int, ...]]:
        """Spelling key, exact ids and consonant-skeleton ids for one surface form."""
        ix = self.index
        sk = spelling_key(surface)
        if len(sk) < 2:
            return sk, (), ()
        exact = ix.ids(ix.by_spelling, sk)
        loose = ix.ids(ix.by_skeleton, skeleton(sk)) if len(skeleton(sk)) >= 3 else ()
        return sk, exact, loose

    def _similarity(self, sk: str, i: int) -> float:
        """How close a spelling key is to entry i's name (vowels count here, not in the skeleton)."""
        return SequenceMatcher(None, sk, self._name_key(i)).ratio()

    def _kind(self, i: int) -> str:
        return KINDS[self.index.kind[i]]

    def _score(self, i: int, q: float, countries: Sequence[str], hint: str | None,
               anchor: Location | None = None, surface: str = "") -> float:
        ix = self.index
        kind = self._kind(i)
        cc = ix.country[i]
        s = q
        if countries and cc == countries[0]:
            s += 0.35
        elif cc in countries:
            s += 0.25
        if hint in ("admin", "countryside"):
            s += {"admin1": 0.5, "region": 0.2}.get(kind, 0.0)
        elif hint == "settlement":
            s += {"populated": 0.3, "neighbourhood": 0.1, "admin1": -0.2, "country": -0.3}.get(kind, 0.0)
        elif hint == "neighbourhood":
            s += {"neighbourhood": 0.4, "populated": 0.1, "admin1": -0.3, "country": -0.3}.get(kind, 0.0)
        elif hint == "camp":
            s += 0.3 if "camp" in ix.name[i].lower() else 0.0
        else:
            s += {"populated": 0.1, "region": 0.08, "neighbourhood": 0.05, "country": 0.3}.get(kind, 0.0)
        s += 0.1 * min(1.0, math.log10(ix.population[i] + 1) / 7)
        if ix.curated[i]:
            s += 0.05
        if surface and plain_name(surface) == plain_name(ix.name[i]):
            s += 0.1  # written exactly as the place's own name ("Adra", not Daraa's old "Adra")
        if anchor is not None and anchor.lat is not None and kind not in ("admin1", "country"):
            # of two places of one name, the one near the places around it ("Midan" of Aleppo)
            d = _km(anchor.lat, anchor.lon, ix.lat[i], ix.lon[i])
            s += 0.1 if d < 30 else 0.05 if d < 100 else 0.0
        return s

    def _choose(self, surface: str, countries: Sequence[str], hint: str | None,
                anchor: Location | None = None) -> _Choice | None:
        """The best acceptable reading of one surface form in running text, or None."""
        ix = self.index
        if len(surface) < 3:
            return None
        sk, exact, loose = self._keys(surface)
        best: _Choice | None = None
        for i in exact:
            if not self._acceptable(surface, i, countries, hint):
                continue
            if self._kind(i) == "country":
                return _Choice(i, 2.0, True, 1.0)  # a country's own name beats any village alias
            s = self._score(i, 1.0, countries, hint, anchor, surface)
            if best is None or s > best.score:
                best = _Choice(i, s, True, 1.0)
        if best is not None and ix.country[best.id] in countries:
            return best  # a listed spelling of a place in the article's countries
        # A looser spelling (same consonant skeleton) only for the article's main country,
        # and only where names come transliterated (the countries admin1.yaml keeps).
        if not countries or countries[0] not in self._conflict:
            return best
        need = _FUZZY_MIN - (0.03 if hint else 0.0)
        exact_set = set(exact)
        for i in loose:
            if i in exact_set or ix.country[i] != countries[0] or self._kind(i) == "country":
                continue
            sim = self._similarity(sk, i)
            if sim < need:
                continue
            s = self._score(i, 0.85 * sim, countries, hint, anchor, surface)
            if best is None or s > best.score:
                best = _Choice(i, s, False, sim)
        return best

    def _acceptable(self, surface: str, i: int, countries: Sequence[str], hint: str | None) -> bool:
        """Whether an exact key match may stand in running text.

        GeoNames' alternate names of places are full of English words and other languages'
        spellings ("Use" for the USA, "Seven", "Regan"), so outside the conflict countries of
        the article a place must be written as it is known: its name, or for a big city a
        name it is really known by.
        """
        ix = self.index
        kind = self._kind(i)
        cc = ix.country[i]
        if kind == "country":
            return self._country_named(surface, cc)
        if kind == "admin1":
            return cc in countries or hint in ("admin", "countryside")
        if ix.curated[i]:
            return cc in countries or not countries or hint is not None or ix.population[i] >= _BIG_CITY
        if cc in countries and cc in self._conflict:
            return True
        if not self._written_as(surface, i):
            return False
        if cc in countries:
            return True
        same = plain_name(surface) == plain_name(ix.name[i])
        pop = ix.population[i]
        if hint in ("settlement", "neighbourhood", "camp"):
            # "the Turkish border town of Akcakale", "the town of Kilis"; but "the town of
            # Milis in Idlib" is a Syrian village GeoNames lacks, not the Sardinian one
            return cc in self._nationalities(*self._nationality_at) or (same and pop >= 20_000) \
                or pop >= 1_000_000
        if pop >= _BIG_CITY:
            return True
        # a town of a neighbouring war, named as it is known: "Haditha" in a Syria report
        return same and cc in self._conflict and pop >= 10_000

    def _written_as_uncached(self, surface: str, i: int) -> bool:
        p, d = plain_name(surface), plain_name(self.index.name[i])
        if p == d or i in self.index.ids(self.index.big_alias, p):
            return True
        return SequenceMatcher(None, p, d).ratio() >= 0.9

    def _country_named(self, surface: str, cc: str) -> bool:
        p = plain_name(surface)
        if surface.replace(".", "").isupper() and len(p) <= 4:
            return self.index.country_alias.get(p.upper()) == cc
        return self.index.country_alias.get(p) == cc

    def _location(self, i: int, precision: str | None = None) -> Location:
        ix = self.index
        kind = self._kind(i)
        admin1 = ix.admin1[i]
        if kind == "admin1":
            admin1 = ix.name[i]
        return Location(name=ix.name[i], admin1=admin1, country=ix.country[i] or None,
                        lat=_round(ix.lat[i]), lon=_round(ix.lon[i]),
                        precision=precision or PRECISION_OF_KIND[kind])

    # -- public lookups -----------------------------------------------------------------------

    def lookup(self, name: str, countries: Sequence[str] = (), admin1: str | None = None) -> Location | None:
        """The place a name most likely means, preferring ``countries`` and ``admin1``."""
        name = " ".join(name.split())
        if not name or self._stopped(name, None):
            return None
        countries = list(countries)
        ix = self.index
        want = self._admin1_key(countries, admin1) if admin1 else None
        sk, exact, loose = self._keys(name)
        exact_set = set(exact)
        pairs = [(i, 1.0) for i in exact]
        for i in loose:
            if i in exact_set or (countries and ix.country[i] not in countries):
                continue
            sim = self._similarity(sk, i)
            if sim >= (_FUZZY_MIN if countries else 0.85):
                pairs.append((i, 0.85 * sim))
        best: tuple[float, int] | None = None
        for i, q in pairs:
            s = self._score(i, q, countries, None, None, name)
            if want is not None:
                a = ix.name[i] if self._kind(i) == "admin1" else ix.admin1[i]
                s += 0.5 if a and self._admin1_key([ix.country[i]], a) == want else -0.5
            if best is None or s > best[0]:
                best = (s, i)
        return self._location(best[1]) if best else None

    def _admin1_key(self, countries: Sequence[str], admin1: str) -> str:
        sk = spelling_key(admin1)
        for cc in countries or ():
            n = self.index.admin1_alias.get((cc, sk))
            if n:
                return skeleton(spelling_key(n))
        return skeleton(sk)

    def admin1_of(self, location: Location) -> str | None:
        """The first-level division of a location, as admin1.yaml names it."""
        ix = self.index
        cc = location.country
        if location.precision == "country":
            return None
        if location.precision == "admin1" and location.name:
            return ix.admin1_alias.get((cc or "", spelling_key(location.name)), location.admin1 or location.name)
        if location.admin1:
            return ix.admin1_alias.get((cc or "", spelling_key(location.admin1)), location.admin1)
        if cc and location.lat is not None and location.lon is not None:
            near = self._nearest(cc, location.lat, location.lon)
            if near is not None:
                return ix.admin1[near]
        if location.name:
            found = self.lookup(location.name, [cc] if cc else [])
            if found:
                return found.admin1
        return None

    def _nearest(self, cc: str, lat: float, lon: float, max_km: float = 60.0) -> int | None:
        if self._by_country is None:
            by: dict[str, list[int]] = {}
            for i, c in enumerate(self.index.country):
                if self.index.kind[i] == 0 and self.index.admin1[i]:
                    by.setdefault(c, []).append(i)
            self._by_country = by
        best, best_d = None, max_km
        for i in self._by_country.get(cc, ()):
            d = _km(lat, lon, self.index.lat[i], self.index.lon[i])
            if d < best_d:
                best, best_d = i, d
        return best

    def fakes_location(self, location: Location) -> str:
        """The FA-KES governorate spelling of a Syrian location, or ""."""
        if location.country not in ("SY", None) or location.precision == "country":
            return ""
        a = self.admin1_of(location) if location.country == "SY" else None
        if a is None and location.country is None:
            found = self.lookup(location.name, ["SY"])
            a = found.admin1 if found and found.country == "SY" else None
        return self.index.fakes.get(a or "", "")

    def article_countries(self, text: str) -> list[str]:
        """ISO2 codes ranked by evidence: country names, demonyms, capitals, admin1 names and
        our curated places. Countries with little evidence beside the main one are left out,
        so that an aside ("Russian jets", "talks in Moscow") does not widen the context."""
        ix = self.index
        score: dict[str, float] = {}
        first: dict[str, int] = {}

        def add(cc: str, w: float, pos: int) -> None:
            score[cc] = score.get(cc, 0.0) + w
            first.setdefault(cc, pos)

        toks = _tokens(text, self.lex)
        for t in toks:
            cc = ix.demonyms.get(t.lower)
            if cc and t.text[:1].isupper():
                add(cc, 1.0, t.start)
        capitals = {i: cc for cc, i in ix.capital.items()}
        for run in _runs(toks, text):
            i = 0
            while i < len(run):
                for n in range(min(4, len(run) - i), 0, -1):
                    a, b = toks[run[i]], toks[run[i + n - 1]]
                    if toks[run[i]].particle or b.particle:
                        continue
                    surface = text[a.start:b.end]
                    if self._stopped(surface, None):
                        continue
                    hit = self._evidence(surface, capitals)
                    if hit is None and surface.endswith("s"):
                        hit = self._evidence(surface[:-1], capitals)
                    if hit:
                        add(hit[0], hit[1], a.start)
                        i += n
                        break
                else:
                    i += 1
        if not score:
            return []
        top = max(score.values())
        keep = [cc for cc, s in score.items() if s == top or (s >= 2.0 and s > 0.5 * top)]
        return sorted(keep, key=lambda cc: (-score[cc], first[cc]))

    def _evidence(self, surface: str, capitals: dict[int, str]) -> tuple[str, float] | None:
        ix = self.index
        best: tuple[str, float] | None = None
        for i in self._keys(surface)[1]:
            kind = self._kind(i)
            if kind == "country":
                if not self._country_named(surface, ix.country[i]):
                    continue
                w = 3.0
            elif kind == "admin1":
                w = 2.0
            elif i in capitals and self._written_as(surface, i):
                w = 2.0
            elif ix.curated[i]:
                w = 1.0
            elif kind == "populated" and ix.country[i] in self._conflict and ix.population[i] >= 20_000 \
                    and plain_name(surface) == plain_name(ix.name[i]):
                w = 1.0  # a town of a country at war, written as it is named ("Manbij")
            else:
                continue
            if best is None or w > best[1]:
                best = (ix.country[i], w)
        return best

    # -- finding places in text ---------------------------------------------------------------

    def _demonym(self, word: str) -> bool:
        d = self.index.demonyms
        return word in d or (word.endswith("s") and word[:-1] in d)

    def _stopped_uncached(self, surface: str, hint: str | None) -> bool:
        s = strip_accents(surface).lower().replace("\u2019", "'")
        forms = {s}
        bare = re.sub(r"^(?:al|el|ar|as|ad|ash|at|az|an)[\s\-]", "", s)
        forms.add(bare)
        for f in list(forms):
            if f.endswith("s") and len(f) > 3:
                forms.add(f[:-1])
        if forms & self.lex.never:
            return True
        if hint in ("settlement", "neighbourhood", "camp"):
            return False
        return bool(forms & self.lex.names)

    def find(self, text: str, countries: Sequence[str] = ()) -> list[PlaceMention]:
        """Every place named in the text, resolved. With no ``countries``, the article's
        own (``article_countries``) are the context."""
        countries = list(countries) or self.article_countries(text)
        st = _State(text, countries, set(re.findall(r"\b[a-z]+\b", text)), [0])
        st.sentence_starts += [m.end() for m in _SENTENCE_END.finditer(text)]
        toks = _tokens(text, self.lex)
        for run in _runs(toks, text):
            self._scan_run(st, toks, run)
        self._fill_fallbacks(st)
        st.mentions.sort(key=lambda m: m.start)
        return st.mentions

    def _scan_run(self, st: _State, toks: list[_Tok], run: list[int]) -> None:
        text = st.text
        post = _post_cue(text, toks[run[-1]].end, self.lex)
        if post.hint == "neighbourhood":
            # "(Aleppo) (Sheikh Maqsoud) neighbourhood": the city in front, if any, is named
            # apart; the rest is the neighbourhood, known to the gazetteer or not.
            k = self._container_split(st, toks, run)
            if k:
                self._greedy(st, toks, run[:k])
            tail = run[k:]
            while len(tail) > 1 and self._stopped(toks[tail[0]].text, None) and \
                    toks[tail[0]].lower not in self.lex.prefixes:
                tail = tail[1:]
            if len(tail) > 4:
                self._greedy(st, toks, tail[:-4])
                tail = tail[-4:]
            m = self._try(st, toks, tail, 0, len(tail))
            if m is None and not self._stopped(text[toks[tail[0]].start:toks[tail[-1]].end], "neighbourhood"):
                m = self._fallback(st, toks[tail[0]].start, toks[tail[-1]].end, "neighbourhood", post)
            if m is not None:
                st.mentions.append(m)
            return
        self._greedy(st, toks, run)

    def _greedy(self, st: _State, toks: list[_Tok], run: list[int], emit: bool = True) -> bool:
        """Longest match first, left to right. Returns whether every word was covered."""
        text = st.text
        pre = _pre_cue(_words_before(text, toks[run[0]].start), self.lex, text[:toks[run[0]].start])
        covered = True
        after_name = False  # the word before was a capitalised word that is no place
        i = 0
        while i < len(run):
            found = None
            for n in range(min(4, len(run) - i), 0, -1):
                if toks[run[i]].particle or toks[run[i + n - 1]].particle:
                    continue
                m = self._try(st, toks, run, i, n, after_name)
                if m is not None:
                    found = (n, m)
                    break
            if found:
                if emit:
                    st.mentions.append(found[1])
                i += found[0]
                after_name = False
                continue
            covered = False
            t = toks[run[i]]
            after_name = not (t.particle or self._stopped(t.text, None) or self._demonym(t.lower))
            if i == 0 and pre.hint in ("settlement", "neighbourhood", "camp"):
                n = self._unknown_name_length(toks, run)
                a, b = toks[run[0]], toks[run[n - 1]]
                if not self._stopped(text[a.start:b.end], pre.hint):
                    if emit:
                        st.mentions.append(self._fallback(st, a.start, b.end, pre.hint, pre))
                    i += n
                    continue
            i += 1
        return covered

    def _container_split(self, st: _State, toks: list[_Tok], run: list[int]) -> int:
        """Where a run in front of "neighbourhood" splits into places it is in and the
        neighbourhood's own name: the first split whose front is all known places."""
        for k in range(1, len(run)):
            prev, nxt = toks[run[k - 1]], toks[run[k]]
            if prev.lower in self.lex.prefixes or prev.particle or nxt.particle:
                continue
            if len(run) - k > 4:
                continue
            if self._greedy(st, toks, run[:k], emit=False):
                return k
        return 0

    def _unknown_name_length(self, toks: list[_Tok], run: list[int]) -> int:
        """How many words of a run an unknown village name takes ("Tal Jabin" two, "Suluk" one)."""
        n = 1
        while n < min(3, len(run)):
            prev, nxt = toks[run[n - 1]], toks[run[n]]
            if prev.lower in self.lex.prefixes or prev.particle or _HYPHEN_PARTICLE.match(nxt.text):
                n += 1
            else:
                break
        while n > 1 and toks[run[n - 1]].particle:
            n -= 1
        return n

    def _try(self, st: _State, toks: list[_Tok], run: list[int], i: int, n: int,
             after_name: bool = False) -> PlaceMention | None:
        text = st.text
        a, b = toks[run[i]], toks[run[i + n - 1]]
        start, end = a.start, b.end
        pre = _pre_cue(_words_before(text, start), self.lex, text[max(0, start - 80):start]) if i == 0 else _Cue()
        post = _post_cue(text, end, self.lex) if i + n == len(run) else _Cue()
        hint = pre.hint or post.hint
        modifier = pre.modifier or post.modifier
        surface = text[start:end]

        # Names that take the cue word in ("Jabalia camp", "Damascus countryside", "rural
        # Damascus", "eastern Ghouta", "south Lebanon") are tried whole first.
        if i == 0 and pre.modifier and pre.modifier in ("countryside", *self.lex.direction_adjectives):
            m = re.search(r"([A-Za-z]+)\s+$", text[max(0, start - 20):start])
            if m:
                s2 = start - len(m.group(0))
                got = self._whole(st, s2, end, text[s2:start].strip() + " " + surface)
                if got:
                    return got
        if i + n == len(run) and post.hint in ("camp", "countryside", "admin", "settlement"):
            m = re.match(r"\s+(?:refugee\s+)?[a-z]+", text[end:end + 30])
            if m:
                got = self._whole(st, start, end + m.end(), text[start:end + m.end()])
                if got:
                    return got

        if self._stopped(surface, hint):
            return None
        if n == 1 and a.lower in self.lex.particles:
            return None  # a bare "Al" or "Abu"
        edge_stopped = n > 1 and (self._stopped(a.text, None) or self._stopped(b.text, None))
        if edge_stopped and not any(plain_name(self.index.name[j]) == plain_name(surface)
                                    for j in self._keys(surface)[1]):
            return None  # "The ISIL", "Daesh Attack", "Hama Media" ("The Hague" is a name)
        if self._demonym(a.lower) and (n == 1 or not self._keys(surface)[1]):
            return None  # "Syrian army", "Syrian Observatory"; "Saudi Arabia" is a name
        if i > 0 and toks[run[i - 1]].lower in self.lex.titles and not hint:
            return None
        if i == 0:
            before = _words_before(text, start, 1)
            if before and before[-1] in self.lex.titles and not hint and \
                    text[max(0, start - 2):start].strip() == "":
                return None
        sentence_initial = st.sentence(start) != st.sentence(start - 1) if start > 0 else True
        self._nationality_at = (text, start)
        if surface.isupper() and len(surface) <= 4 and not self._country_named(surface, "?"):
            if not any(self._kind(j) == "country" for j in self._keys(surface)[1]):
                return None  # an acronym ("IDA", "UEFA"), not a place
        container, strong = self._container(st, post, start) if hint == "neighbourhood" else (None, False)
        anchor = container or self._last_town(st, start)
        choice = self._choose(surface, st.countries, hint, anchor)
        if (choice is None or not choice.exact) and surface.endswith("s") and len(surface) > 4:
            # FA-KES dropped apostrophes: "Aleppos", "Syrias"
            bare = self._choose(surface[:-1], st.countries, hint, anchor)
            if bare is not None and bare.exact:
                choice, end, surface = bare, end - 1, surface[:-1]
        if choice is None:
            return None
        ix = self.index
        kind = self._kind(choice.id)
        in_ctx = ix.country[choice.id] in st.countries
        if pre.hint == "neighbourhood" and kind == "populated" and ix.population[choice.id] >= 50_000:
            hint = "settlement"  # "the central neighbourhoods of Damascus": the city holding them
        if not choice.exact and sentence_initial and not hint:
            return None
        if n == 1 and i + 1 < len(run) and self._first_of_longer_name(st, toks, run, i, choice, bool(hint)):
            return None
        if after_name and not hint and self._weak(choice, in_ctx):
            return None  # "John Kerry", "Rami Abdel Rahman": a surname, not a place
        if n == 1 and len(surface) <= 4 and kind in ("populated", "neighbourhood") and \
                not ix.curated[choice.id] and \
                SequenceMatcher(None, plain_name(surface), plain_name(ix.name[choice.id])).ratio() < 0.7:
            return None  # a short word matched through a far alias ("Day", "Mare")
        if n == 1 and not hint and kind not in ("country", "admin1") and surface.lower() in st.lower_words:
            # the word also runs in lower case here: a common word at a sentence start or in a title
            if not (in_ctx and choice.exact and (ix.population[choice.id] >= 20_000 or ix.curated[choice.id])):
                return None
        if hint == "neighbourhood" and kind in ("populated", "neighbourhood"):
            if strong and container is not None and container.lat is not None:
                d = _km(container.lat, container.lon, ix.lat[choice.id], ix.lon[choice.id])
                if d > (25 if kind == "neighbourhood" else 15):
                    return None
            elif not in_ctx:
                return None
        if hint in ("admin", "countryside") and kind == "populated":
            choice = self._admin_of_same_name(choice) or choice
            kind = self._kind(choice.id)
        return self._mention(st, start, end, choice, kind, hint, modifier, in_ctx)

    def _first_of_longer_name(self, st: _State, toks: list[_Tok], run: list[int], i: int,
                              choice: _Choice, cued: bool = False) -> bool:
        """A word that starts a longer name: "Bab" in "Bab Saba", "Qasim" in "Qasim Halabouni".
        A lone word followed by a capitalised word that is neither a place nor a stop word is
        most likely a person's or an organisation's first name."""
        tok, nxt = toks[run[i]], toks[run[i + 1]]
        if tok.lower in self.lex.prefixes:
            return True
        if cued and not (_HYPHEN_PARTICLE.match(nxt.text) or nxt.particle):
            return False  # after "the town of", only "X al-Y" reads as one longer name
        if not self._weak(choice, self.index.country[choice.id] in st.countries):
            return False
        if self._stopped(nxt.text, None) or self._demonym(nxt.lower):
            return False
        if nxt.particle:
            return len(run) > i + 2 and self._choose(" ".join(toks[j].text for j in run[i + 1:i + 3]),
                                                     st.countries, None) is None
        return self._choose(nxt.text, st.countries, None) is None

    def _weak(self, choice: _Choice, in_ctx: bool) -> bool:
        """A reading that a person's name beside it should overrule: anything abroad, or a
        small place at home that we do not keep ourselves."""
        ix = self.index
        if self._kind(choice.id) in ("admin1", "country"):
            return False
        if not in_ctx:
            return True
        return not ix.curated[choice.id] and ix.population[choice.id] < 50_000

    def _whole(self, st: _State, start: int, end: int, surface: str) -> PlaceMention | None:
        """A name that includes its cue word, accepted only as an exact curated or admin1 name."""
        ix = self.index
        _sk, exact, _fz = self._keys(surface)
        cands = [i for i in exact if ix.curated[i] or self._kind(i) == "admin1"]
        if not cands:
            return None
        best = max(cands, key=lambda i: self._score(i, 1.0, st.countries, None))
        if ix.country[best] not in st.countries and st.countries:
            return None
        choice = _Choice(best, 1.0, True, 1.0)
        return self._mention(st, start, end, choice, self._kind(best), None, None,
                             ix.country[best] in st.countries)

    def _admin_of_same_name(self, choice: _Choice) -> _Choice | None:
        """"Idlib province": the division the city Idlib gives its name to."""
        ix = self.index
        a = ix.admin1[choice.id]
        cc = ix.country[choice.id]
        if not a:
            return None
        j = ix.admin1_entry.get((cc, a))
        if j is None:
            return None
        if skeleton(spelling_key(a)) == skeleton(spelling_key(ix.name[choice.id])) or \
                skeleton(spelling_key(ix.name[choice.id])) in {skeleton(spelling_key(n)) for n in (a,)}:
            return _Choice(j, choice.score, choice.exact, choice.sim)
        # "Deir Ezzor province" where the city's display name differs from the division's
        for k in ix.ids(ix.by_spelling, spelling_key(ix.name[choice.id])):
            if k == j:
                return _Choice(j, choice.score, choice.exact, choice.sim)
        return None

    def _mention(self, st: _State, start: int, end: int, choice: _Choice, kind: str,
                 hint: str | None, modifier: str | None, in_ctx: bool) -> PlaceMention:
        precision = None
        if modifier and (modifier in self.lex.widening or modifier.endswith(" of")) and \
                kind in ("populated", "neighbourhood"):
            precision = "district"
        if hint == "neighbourhood" and kind == "populated" and self.index.population[choice.id] < 20_000 \
                and not precision:
            # a GeoNames "place" that the text calls a neighbourhood is a part of a city
            kind, precision = "neighbourhood", "point"
        loc = self._location(choice.id, precision)
        score = (1.0 if choice.exact else 0.85 * choice.sim) * (1.0 if in_ctx or kind == "country" else 0.75)
        return PlaceMention(start, end, st.text[start:end], loc, kind, modifier, round(min(1.0, score), 3))

    # -- places no gazetteer knows ------------------------------------------------------------

    def _fallback(self, st: _State, start: int, end: int, hint: str, cue: _Cue) -> PlaceMention:
        name = " ".join(st.text[start:end].split())
        cc = st.countries[0] if st.countries else None
        if hint == "neighbourhood":
            kind, precision, score = "neighbourhood", "point", 0.6
        else:
            kind, precision, score = "populated", "town", 0.4
        m = PlaceMention(start, end, st.text[start:end], Location(name, None, cc, None, None, precision),
                         kind, cue.modifier, score)
        st.pending[id(m)] = (hint, cue)  # its admin1 and point are filled once all mentions are known
        return m

    def _container(self, st: _State, cue: _Cue, pos: int) -> tuple[Location | None, bool]:
        """The city a neighbourhood lies in, and whether the text says so: "of Aleppo" after
        the cue, "of the capital", a town in the same sentence (all strong); else the last
        town named before it (weak)."""
        text = st.text
        if cue.container_after is not None:
            rest = text[cue.container_after:cue.container_after + 60]
            if re.match(r"\s*(?:the\s+)?capital\b", rest) and st.countries:
                cap = self.index.capital.get(st.countries[0])
                if cap is not None:
                    return self._location(cap), True
            m = re.match(r"\s*(?:the\s+)?(?:(?:city|town)\s+of\s+)?((?:[A-Z][\w\-]*\s?){1,3})", rest)
            if m:
                words = m.group(1).split()
                for n in range(len(words), 0, -1):
                    w = " ".join(words[:n])
                    for form in (w, w[:-1] if w.endswith("s") else None):
                        if not form:
                            continue
                        c = self._choose(form, st.countries, "settlement")
                        if c is not None and c.exact:
                            return self._location(c.id), True
        sent = st.sentence(pos)
        same = [m for m in st.mentions if st.sentence(m.start) == sent and m.kind == "populated"
                and st.known(m)]
        if same:
            return min(same, key=lambda m: abs(m.start - pos)).location, True
        before = [m for m in st.mentions if m.start < pos and m.kind == "populated" and st.known(m)]
        return (before[-1].location if before else None), False

    def _nationalities(self, text: str, pos: int) -> frozenset[str]:
        """Countries named by a demonym or a country name among the six words before pos."""
        words = re.findall(r"[A-Za-z]+", text[max(0, pos - 60):pos])[-6:]
        out = set()
        for w in words:
            cc = self.index.demonyms.get(w.lower()) or self.index.country_alias.get(plain_name(w))
            if cc:
                out.add(cc)
        return frozenset(out)

    def _last_town(self, st: _State, pos: int) -> Location | None:
        for m in reversed(st.mentions):
            if m.start < pos and m.kind in ("populated", "neighbourhood") and st.known(m) and \
                    m.location.lat is not None:
                return m.location
        return None

    def _fill_fallbacks(self, st: _State) -> None:
        waiting = [m for m in st.mentions if not st.known(m)]
        for m in waiting:
            hint, cue = st.pending[id(m)]
            if hint == "neighbourhood":
                c, _strong = self._container(st, cue, m.start)
                if c is not None:
                    m.location.admin1 = c.admin1
                    m.location.country = c.country
                    m.location.lat, m.location.lon = c.lat, c.lon
            else:
                sent = st.sentence(m.start)
                near = [o for o in st.mentions if o is not m and st.sentence(o.start) == sent
                        and o.kind != "country" and o.location.admin1 and st.known(o)]
                if near:
                    o = min(near, key=lambda o: abs(o.start - m.start))
                    m.location.admin1, m.location.country = o.location.admin1, o.location.country
                else:
                    m.location.admin1 = None
        st.pending.clear()


__all__ = ["Gazetteer", "PlaceMention"]
