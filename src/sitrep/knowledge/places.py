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
import dataclasses
import functools
import math
import re
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from pathlib import Path
from typing import Sequence

from .compiled import load_yaml
from .gazetteer import (DEFAULT_CITIES, KINDS, KNOWLEDGE_DIR, PRECISION_OF_KIND,
                                   GazetteerIndex, load_index)
from .gazetteer import plain_name as _plain_name

# Names repeat within and across articles: cache the string work.
plain_name = functools.lru_cache(maxsize=131072)(_plain_name)
from .english import english
from .names import name_key, skeleton, spelling_key, strip_accents
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
    guessed: bool = False  # named from a cue word alone, no gazetteer entry


# ---------------------------------------------------------------------------------------------
# Lexicon (cue words, stop words) from the knowledge folder


@dataclass
class _Lexicon:
    never: frozenset[str]
    names: frozenset[str]
    titles: frozenset[str]
    particles: frozenset[str]
    prefixes: frozenset[str]
    # cue noun (one or two words) -> "settlement" | "admin" | "countryside" | "neighbourhood" |
    # "camp" | "district" | "subdistrict" | "feature" | "facility"
    noun_hint: dict[str, str]
    neighbourhood_adjectives: frozenset[str]
    directions: frozenset[str]
    direction_adjectives: frozenset[str]
    modifiers: dict[str, str]  # phrase before the name -> normalised modifier
    widening: frozenset[str]
    noun_firsts: frozenset[str] = frozenset()  # first words of the two-word cue nouns
    place_prefixes: frozenset[str] = frozenset()  # first words only places' names start with

    @functools.cached_property
    def cue_firsts(self) -> frozenset[str]:
        """The words a cue after a name may start with (``_post_cue``)."""
        return frozenset(self.noun_hint) | self.noun_firsts | self.neighbourhood_adjectives | {"area", "refugee"}

    @classmethod
    def load(cls) -> "_Lexicon":
        stop = load_yaml((KNOWLEDGE_DIR / "place_stopwords.yaml").read_text(encoding="utf-8"), "place_stopwords.yaml")
        cues = load_yaml((KNOWLEDGE_DIR / "place_cues.yaml").read_text(encoding="utf-8"), "place_cues.yaml")
        hint: dict[str, str] = {}
        for key, h in (("settlement_nouns", "settlement"), ("admin_nouns", "admin"),
                       ("countryside_nouns", "countryside"), ("neighbourhood_nouns", "neighbourhood"),
                       ("camp_nouns", "camp"), ("district_nouns", "district"),
                       ("subdistrict_nouns", "subdistrict"), ("feature_nouns", "feature"),
                       ("facility_nouns", "facility")):
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
                   widening=low(cues.get("widening_modifiers")),
                   noun_firsts=frozenset(k.split()[0] for k in hint if " " in k),
                   place_prefixes=low(cues.get("place_prefixes")))


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


@dataclass(slots=True)  # hundreds an article, each read many times
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
    readings = _readings(lex)
    out = []
    for m in _WORD.finditer(text):
        w, end = m.group(), m.end()
        if w[-2:] in ("'s", "\u2019s") and len(w) > 3:  # "Kharkov's": the possessive is no part of it
            w, end = w[:-2], end - 2
        r = readings.get(w)
        if r is None:
            r = readings[w] = _reading(w, lex)
        if r[0] is None:
            # "Maharashtra-Chhattisgarh border", "the Kiul-Gaya line": two places, not one name
            a, first, second = m.start(), r[1], r[2]
            out.append(_Tok(a, a + len(first), first, first.lower(), True, False))
            out.append(_Tok(a + len(first) + 1, end, second, second.lower(), True, False))
            continue
        if r[3]:
            out.append(_Tok(m.start(), end, w, r[0], r[1], r[2]))
    return out


def _reading(w: str, lex: _Lexicon) -> tuple:
    """What ``_tokens`` makes of a word: (None, first, second) for two names joined by a
    hyphen, else (lower case, name-like?, particle?, kept?). A word kept is one a name or
    a demonym may be: name-like, a particle, or capitalised; the others (most words) only
    end runs of names, and the text between two tokens of a run (" " or "-") shows that
    no word lies between them, so they are left out."""
    lw = w.lower()
    parts = w.split("-")
    if len(parts) == 2 and all(len(p) >= 4 and p[0].isupper() and p[1:].islower() for p in parts) and \
            parts[0].lower() not in lex.prefixes:
        return (None, parts[0], parts[1])
    name_like = _name_like(w, lex.particles)
    particle = lw in lex.particles and w.islower()
    return (lw, name_like, particle, name_like or particle or w[:1].isupper())


# Each word's reading, made once per lexicon (words recur across an article and articles).
_READINGS: dict[int, tuple[_Lexicon, dict[str, tuple]]] = {}
MAX_READINGS = 200_000  # then started again: a large archive's vocabulary is unbounded


def _readings(lex: _Lexicon) -> dict[str, tuple]:
    got = _READINGS.get(id(lex))
    if got is None or got[0] is not lex or len(got[1]) > MAX_READINGS:
        got = _READINGS[id(lex)] = (lex, {})  # the lexicon kept alive: its id stays its own
    return got[1]


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
        elif cur:  # most words are in no run: nothing to flush
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
    plural: bool = False  # "the villages of A and B": the cue covers the names listed after it
    # the cue noun written with a capital ("Latehar District", "the District of X"): the
    # name of a division, never a city's quarter
    capital: bool = False
    noun: str = ""  # the cue noun after the name, as written ("air base")
    noun_end: int | None = None  # offset where that noun ends


_LINE_WORD = re.compile(r"[A-Za-z]{4,}")
_LISTED = re.compile(r"\s*(?:,\s*(?:and\s+|or\s+)?|\s+(?:and|or)\s+)(?:the\s+)?")
# words that introduce a person's name
_PERSON_BEFORE = re.compile(r"\b(?:identified as|named|alias|known as|called|nicknamed)\s+$", re.IGNORECASE)
# Settlement nouns that may stand right before a name, without "of"
_NOUN_BEFORE_NAME = frozenset({"village", "villages", "town", "towns", "hamlet", "hamlets"})
# Adjectives of faith or people before a plural noun ("Shiite villages", "Kurdish towns")
_ADJECTIVE_END = re.compile(r"(?:ite|ites|ian|ians|ish|ese|ic|ist)$")
# "Maoist", "Islamists", "Baathist": a follower of a creed, never a place
_IDEOLOGY = re.compile(r"[a-z]{3,}ists?$")
_TITLE_LOWER = frozenset({"with", "from", "into", "over", "after", "near", "amid", "than", "that",
                          "says", "said"})


def _title_case(text: str, pos: int) -> bool:
    """Whether the words from pos on are written in title case (a headline, a caption, a list
    of related links): no lower-case word of four letters or more but a few function words."""
    b = text.find("\n", pos)
    window = text[pos:min(b if b >= 0 else len(text), pos + 120)]
    stop = _SENTENCE_END.search(window)
    words = _LINE_WORD.findall(window[:stop.start()] if stop else window)
    return len(words) >= 5 and all(w[0].isupper() or w in _TITLE_LOWER for w in words)


# The names listed before the last one of "A, B and C villages" (each one to three words)
_LISTED_BEFORE = re.compile(r"(?<![\w'-])(?P<names>(?:[A-Z][\w'\-]+(?: [A-Z][\w'\-]+){0,2},? )+)and $")
_LIST_SEP = re.compile(r",\s*")


def _plural_settlements(cue: _Cue) -> bool:
    return cue.noun.endswith("s") and cue.hint in ("settlement", "district", "neighbourhood", "camp")


_LOWER_WORD = re.compile(r"[a-z]+(?:-[a-z]+)*")


def _words_before(text: str, pos: int, n: int = 8) -> list[str]:
    # a cue ends with its sentence: "... east of the town. Total of 24 ..." names no town
    window = _SENTENCE_END.split(text[max(0, pos - 80):pos])[-1]
    return _LOWER_WORD.findall(window.lower())[-n:]


_SENTENCE_END = re.compile(r"(?<=[a-z]{2}[.!?])\s+")


_WORD_AT_END = re.compile(r"([A-Za-z]+)\s+$")
_NAMED_PART_OF = re.compile(r"[A-Z][\w\-']*\s+([A-Za-z]+)\s+of\s+(?:the\s+)?$")


def _pre_cue(words: list[str], lex: _Lexicon, before: str = "") -> _Cue:
    """Cue words right before a name; ``before`` is the raw text just before it."""
    cue = _Cue()
    k = len(words)
    if k >= 2 and words[-1] == "of" and words[-2] in lex.noun_hint:
        cue.hint = lex.noun_hint[words[-2]]
        m = _NAMED_PART_OF.search(before[-60:])
        if cue.hint in ("neighbourhood", "district") and m and \
                lex.noun_hint.get(m.group(1).lower()) in ("neighbourhood", "district"):
            # "the Al-Ferdous district of Aleppo": Aleppo holds it; "Wayanad District of
            # Kerala": a state holds a District
            cue.hint = None if m.group(1)[0].isupper() else "settlement"
        if cue.hint == "countryside":
            cue.modifier = "countryside"
        k -= 2
        cue.plural = words[-2].endswith("s")
        cue.capital = bool(re.search(r"\b[A-Z]\w*\s+of\s+(?:the\s+)?$", before[-40:]))
        # skip the noun phrase's own words: "the besieged eastern town of X"
        j = k
        while j > 0 and k - j < 4 and words[j - 1] not in ("of", "in", "on", "at", "to", "from",
                                                           "into", "and", "by", "near", "outside",
                                                           "around", "towards", "toward", "across"):
            j -= 1
        k = j
    elif k >= 1 and words[-1] in _NOUN_BEFORE_NAME:
        # "two villages Tokhar and Hoshariyeh", as translations write it
        cue.hint, cue.plural = "settlement", words[-1].endswith("s")
        k -= 1
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


_AFTER_WORD = re.compile(r"[A-Za-z]+(?:-[A-Za-z]+)?")


def _post_cue(text: str, end: int, lex: _Lexicon) -> _Cue:
    """Cue words right after a name: "X province", "X District", "X air base", "the X
    neighbourhood of Y". A cue noun may be capitalised ("Latehar District"); any other
    capitalised word ends the cue."""
    cue = _Cue()
    if not text[end:end + 1].isspace():
        return cue
    words = []
    pos = end
    for m in _AFTER_WORD.finditer(text, end, min(len(text), end + 60)):
        w = m.group()
        if text[pos:m.start()].strip():  # punctuation ends the cue
            break
        if w[0].isupper() and not (len(words) < 2 and (w.lower() in lex.noun_hint or
                                                       w.lower() in lex.noun_firsts)):
            break
        words.append((w.lower(), m.end()))
        if len(words) == 1 and words[0][0] not in lex.cue_firsts:
            return cue  # most names: no cue noun, adjective or "area" after them
        pos = m.end()
        if len(words) == 4:
            break
    if words and words[0][0] == "refugee":
        words = words[1:]
    if not words:
        return cue
    k = 0
    if words[0][0] in lex.neighbourhood_adjectives and len(words) > 1 and \
            lex.noun_hint.get(words[1][0]) in ("neighbourhood", "district"):
        k = 1
    two = " ".join(w for w, _ in words[k:k + 2]) if len(words) > k + 1 else ""
    if two in lex.noun_hint:
        h, last = lex.noun_hint[two], k + 1
    else:
        h, last = lex.noun_hint.get(words[k][0]), k
    if h is None:
        if words[0][0] == "area":
            cue.modifier = "area"
        return cue
    cue.hint = h
    cue.noun = text[words[k][1] - len(words[k][0]):words[last][1]]
    cue.capital = cue.noun[:1].isupper()
    cue.noun_end = words[last][1]
    if h == "countryside":
        cue.modifier = "countryside"
    if len(words) > last + 1 and words[last + 1][0] in ("of", "in"):
        cue.container_after = words[last + 1][1]
    return cue


# ---------------------------------------------------------------------------------------------
# The gazetteer


def _place_at(m: PlaceMention, container: Location) -> None:
    """Put a place no gazetteer knows in the place that holds it: its admin1 and country, and
    the container's point where that point is near it (a town or a district holding it; a
    province's centre says nothing of where a village lies). The precision stays the place's
    own: a village is a town-level place wherever its point comes from, and "district" would
    claim that the village's name is a district's."""
    loc = m.location
    loc.admin1, loc.country = container.admin1, container.country
    if container.precision in ("point", "town", "district"):
        loc.lat, loc.lon = container.lat, container.lon


def _common_word(word: str) -> bool:
    """An English word that is more than a noun ("home", "central", "range"): a place's name
    may be a noun ("Aleppo" is one in WordNet) but seldom a verb or an adjective too."""
    readings = english().readings(word)
    return bool(readings) and readings != {"noun"}


def _round(x: float) -> float | None:
    return None if math.isnan(x) else round(float(x), 4)


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    if any(math.isnan(v) for v in (lat1, lon1, lat2, lon2)):
        return math.inf
    dx = (lon2 - lon1) * math.cos(math.radians((lat1 + lat2) / 2))
    return 111.2 * math.hypot(lat2 - lat1, dx)


_BIG_CITY = 100_000  # a place outside the article's countries needs this many people, or a cue
# "X District": the word after a name that makes GeoNames' districts evidence of a country
_DISTRICT_AFTER = re.compile(r"\s+(?:district|District|DISTRICT)\b")
_DISTRICT_WEIGHT = 100_000  # a district counts as a town of this many people
# Towns' names are weak evidence of a country: places of this many people or more, and as
# much as one town's name known in one country alone, less a little
_WEAK_POPULATION = 1000
_WEAK_MIN = 0.6
# Words before a capital or a country that make it its government: dealings with it
_GOVERNMENT_BEFORE = re.compile(
    r"\b(?i:talks|negotiations?|relations|ties|dialogue|deal|agreement|accord|contacts?|pressure|"
    r"cooperation|co-operation|coordination|rapprochement|rift|dispute|tensions?|meeting|summit|"
    r"(?:backed|supported|sponsored|armed|funded)\s+by|support\s+(?:of|from)|ally\s+of|allies\s+of)"
    r"\s+(?i:with|between|from|by|of)?\s*(?:[A-Z][\w'-]+\s+(?i:and|or)\s+)?$")
# ... or the capital acting or speaking as its government ("Damascus denied", "Moscow says")
_GOVERNMENT_AFTER = re.compile(
    r"(?:\s+and\s+[A-Z][\w'-]+)?\s+(?:says?|said|accused|accuses|denied|denies|claims?|claimed|"
    r"announced|announces|blamed|blames|insists?|insisted|warned|warns|demanded|demands|"
    r"rejected|rejects|condemned|condemns|vowed|vows|agreed|agrees|refused|refuses)\b")
# What may stand between a place and the district or state holding it: "X village under the
# Y police station limits in Z District", "X, in Z" (names, cue nouns, a few function words),
# ending on a preposition of containment and the part of the province it may name ("in rural Z")
_CONTAINED = re.compile(
    r"(?:[\s,]|\b(?:the|a|an|and|or|of|in|under|within|at|near|area|areas|limits|jurisdiction|village|town|"
    r"block|mandal|tehsil|taluka?|police|station|outpost|sub-division|subdivision|division|forest|"
    r"range|panchayat)\b|\b[A-Z][\w'-]*\b|\([^()]{0,40}\))*?\b(?:in|of|under|within)(?:\s+the)?\s+"
    r"(?:(?:rural|northern|southern|eastern|western|central|north|south|east|west)\s+)?")
# "Khan Sheikhoun in Idlib", "Tal Rifaat, in rural Aleppo": the place after holds the one before
_HELD_IN = re.compile(r"\s*,?\s*(?:in|of)\s+(?:the\s+)?(?:(?:rural|northern|southern|eastern|western|central|"
                      r"north|south|east|west)\s+)?")
# "X, just west of Y", "X, 20 km north of Y", "X near the town of Y": X lies by Y
_BESIDE = re.compile(
    r"\s*,?\s*(?:(?:just|some|about|roughly|around|nearly)\s+)?(?:\d+\s*(?:km|kms|kilometres|kilometers|miles)\s+)?"
    r"(?:(?:north|south|east|west|northeast|northwest|southeast|southwest|north-east|north-west|"
    r"south-east|south-west)\s+of|near|outside|close\s+to|on\s+the\s+outskirts\s+of|"
    r"(?:area|areas|part|parts|suburbs?|outskirts|locality)\s+of)\s+"
    r"(?:the\s+)?(?:(?:\w+\s+)?(?:city|town|village|capital)\s+(?:of\s+)?)?")
_BESIDE_KM = 60
# "the X area" ends its noun phrase there ("the X area committee" is a body, not a place)
_AREA_ENDS = re.compile(r"\s+area\b(?=\s*(?:[,.;:)]|$)|\s+(?:in|of|on|at|near|under|and|or|where|which|that|was|"
                        r"were|is|are|has|had|to|from|for|with|during|after|before|since|when|while|by|"
                        r"along|between|close|within|around|outside)\b)", re.IGNORECASE)
_PLACE_PREPOSITIONS = frozenset({"in", "on", "at", "near", "from", "into", "towards", "toward", "outside",
                                 "around", "targeting", "targeted", "hit", "hitting", "struck", "shelled",
                                 "bombed", "stormed", "captured", "seized"})
# A village of fewer people than this, this far from all the text's other places, is another
# village of the same name
_LONELY_POPULATION = 20_000
_LONELY_KM = 200
# Cue words that name an unknown place by themselves ("the village of X", "X forest").
_NAMED_BY_CUE = ("settlement", "neighbourhood", "camp", "district", "subdistrict", "feature", "facility")
# The kind, precision and confidence of a place known only from its cue word, before the
# place that holds it gives it a point.
_FALLBACK_KIND = {"neighbourhood": ("neighbourhood", "point", 0.6), "district": ("region", "district", 0.5),
                  "subdistrict": ("region", "district", 0.45), "feature": ("populated", "district", 0.4),
                  "facility": ("populated", "point", 0.45)}
_FUZZY_MIN = 0.75  # similarity of spelling keys for a consonant-skeleton match
_FUZZY_CUED = 0.88
# How far from the point of the district (state) a sentence puts a town in it may lie.
_IN_DISTRICT_KM = 100
_IN_ADMIN1_KM = 300  # the same outside the countries at war, after a cue word
# How far from the state a sentence puts it in a town read in the next state may lie (its
# border towns; GeoNames and the text may draw the line differently there).
_BORDER_KM = 30


@dataclass
class _Choice:
    id: int
    score: float
    exact: bool
    sim: float


@dataclass
class _Reading:
    """How a mention was read, so that it can be read again once the whole text is known."""

    start: int
    end: int
    hint: str | None
    modifier: str | None
    mode: str  # "plain" | "around" (the area named after a town) | "named" (a facility at a town)
    cue: _Cue
    choice: _Choice


@dataclass
class _State:
    """What find() knows while it walks one text."""

    text: str
    countries: list[str]
    lower_words: set[str]
    sentence_starts: list[int]
    mentions: list[PlaceMention] = field(default_factory=list)
    pending: dict[int, tuple[str, _Cue]] = field(default_factory=dict)  # id(mention) -> cue
    readings: dict[int, "_Reading"] = field(default_factory=dict)  # id(mention) -> how it was read
    facilities: list[tuple[PlaceMention, str, str]] = field(default_factory=list)  # (mention, name, noun)
    listed: tuple[int, "_Cue"] | None = None  # where the last name under a plural cue ended

    _cues: dict[tuple[str, int], "_Cue"] = field(default_factory=dict)  # the cue words around an offset
    _before: dict[int, list[str]] = field(default_factory=dict)  # offset -> _words_before it

    def known(self, m: PlaceMention) -> bool:
        return id(m) not in self.pending

    def pre_cue(self, start: int, lex: "_Lexicon") -> "_Cue":
        cue = self._cues.get(("pre", start))
        if cue is None:
            cue = self._cues[("pre", start)] = _pre_cue(self.words_before(start), lex,
                                                        self.text[max(0, start - 80):start])
        return cue

    def words_before(self, pos: int) -> list[str]:
        """``_words_before`` the offset: asked again for each reading of a run's words."""
        got = self._before.get(pos)
        if got is None:
            got = self._before[pos] = _words_before(self.text, pos)
        return got

    def post_cue(self, end: int, lex: "_Lexicon") -> "_Cue":
        cue = self._cues.get(("post", end))
        if cue is None:
            cue = self._cues[("post", end)] = _post_cue(self.text, end, lex)
        return cue

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
        self._last_words: tuple[str, list[_Tok]] | None = None  # see _words
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
        elif hint == "district":
            s += {"region": 0.5, "populated": 0.25, "neighbourhood": 0.3, "admin1": -0.1, "country": -0.3}.get(kind, 0.0)
        elif hint in ("subdistrict", "facility", "feature"):
            s += {"populated": 0.3, "neighbourhood": 0.1, "region": 0.1, "admin1": -0.2, "country": -0.3}.get(kind, 0.0)
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
            # written exactly as the place's own name ("Adra", not Daraa's old "Adra"); a
            # province so written beats a town that only lists its name ("Bihar", not Bihar
            # Sharif), not the city that bears it ("Aleppo")
            s += 0.25 if kind == "admin1" and not self._town_named(surface, cc) else 0.1
        if anchor is not None and anchor.lat is not None and kind not in ("admin1", "country"):
            # of two places of one name, the one near the places around it ("Midan" of Aleppo)
            d = _km(anchor.lat, anchor.lon, ix.lat[i], ix.lon[i])
            s += 0.1 if d < 30 else 0.05 if d < 100 else 0.0
        return s

    def _town_named(self, surface: str, cc: str) -> bool:
        ix = self.index
        p = plain_name(surface)
        return any(ix.country[j] == cc and self._kind(j) == "populated" and plain_name(ix.name[j]) == p
                   for j in self._keys(surface)[1])

    def _choose(self, surface: str, countries: Sequence[str], hint: str | None,
                anchor: Location | None = None) -> _Choice | None:
        """The best acceptable reading of one surface form in running text, or None."""
        ranked = self._ranked(surface, countries, hint, anchor)
        return ranked[0] if ranked else None

    def _ranked(self, surface: str, countries: Sequence[str], hint: str | None,
                anchor: Location | None = None) -> list[_Choice]:
        """Every acceptable reading of one surface form, best first."""
        ix = self.index
        if len(surface) < 3:
            return []
        sk, exact, loose = self._keys(surface)
        out: list[_Choice] = []
        for i in exact:
            if not self._acceptable(surface, i, countries, hint):
                continue
            if self._kind(i) == "country":
                return [_Choice(i, 2.0, True, 1.0)]  # a country's own name beats any village alias
            out.append(_Choice(i, self._score(i, 1.0, countries, hint, anchor, surface), True, 1.0))
        out.sort(key=lambda c: -c.score)
        if out and ix.country[out[0].id] in countries:
            return out  # a listed spelling of a place in the article's countries
        # A looser spelling (same consonant skeleton) only for the article's main country,
        # where names come transliterated (the countries admin1.yaml keeps) or a cue word
        # says a place is named ("Mahabubnagar district").
        if not countries:
            return out
        if countries[0] in self._conflict:
            need = _FUZZY_MIN - (0.03 if hint else 0.0)
        elif hint in _NAMED_BY_CUE:
            need = _FUZZY_CUED
        else:
            return out
        exact_set = set(exact)
        for i in loose:
            if i in exact_set or ix.country[i] != countries[0] or self._kind(i) == "country":
                continue
            sim = self._similarity(sk, i)
            # a district after "district" may be spelt as loosely as in the countries at war
            if sim < (_FUZZY_MIN if hint == "district" and self._kind(i) == "region" else need):
                continue
            out.append(_Choice(i, self._score(i, 0.85 * sim, countries, hint, anchor, surface), False, sim))
        out.sort(key=lambda c: -c.score)
        return out

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
        if kind == "region" and not ix.curated[i]:
            # GeoNames' districts ("Sargodha District") only where the text calls them one:
            # their bare names are often towns' or people's
            return hint in ("district", "admin", "countryside") and (cc in countries or not countries)
        if ix.curated[i]:
            return cc in countries or not countries or hint is not None or ix.population[i] >= _BIG_CITY
        if cc in countries and cc in self._conflict:
            return True
        if countries and cc == countries[0] and hint in _NAMED_BY_CUE:
            return True  # "Keonjhar district": any listed name of a town of the article's country
        if not self._written_as(surface, i):
            return False
        if cc in countries:
            return True
        same = plain_name(surface) == plain_name(ix.name[i])
        pop = ix.population[i]
        if hint in _NAMED_BY_CUE:
            # "the Turkish border town of Akcakale", "the town of Kilis"; but "the town of
            # Milis in Idlib" is a Syrian village GeoNames lacks, not the Sardinian one, and a
            # district, a forest or a police station is the text's country's
            return cc in self._nationalities(*self._nationality_at) or pop >= 1_000_000 or \
                (same and pop >= 20_000 and hint in ("settlement", "neighbourhood", "camp"))
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

    def provincial_capital(self, country: str | None, admin1: str | None) -> Location | None:
        """The seat of a first-level division, for "the provincial capital": the town that
        bears the division's name (Idlib, Aleppo, Kandahar), else its most populous town."""
        if not country or not admin1:
            return None
        seats = self.__dict__.setdefault("_seats", {})
        if (country, admin1) not in seats:
            ix, want, best = self.index, name_key(admin1), None
            for i in range(len(ix)):
                if ix.admin1[i] == admin1 and ix.kind[i] == 0 and ix.country[i] == country:
                    rank = (name_key(ix.name[i]) == want, ix.population[i])
                    if best is None or rank > best[0]:
                        best = (rank, i)
            seats[(country, admin1)] = best[1] if best else None
        i = seats[(country, admin1)]
        return self._location(i) if i is not None else None

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

        toks = self._words(text)
        for t in toks:
            cc = ix.demonyms.get(t.lower)
            if cc and t.text[:1].isupper():
                add(cc, 1.0, t.start)
        capitals = self._capitals()
        lower = set(re.findall(r"\b[a-z]+\b", text))
        weak: dict[str, float] = {}
        for run in _runs(toks, text):
            i = 0
            while i < len(run):
                maybe: tuple[int, dict[str, float]] | None = None  # the longest weak reading
                # the second of two capitalised words is a surname more often than a town
                # ("Kutla Ansari", "Sitaram Khaiya"): only a country's name counts there
                surname = i > 0 and not toks[run[i - 1]].particle and \
                    not self._stopped(toks[run[i - 1]].text, None)
                for n in range(min(4, len(run) - i), 0, -1):
                    a, b = toks[run[i]], toks[run[i + n - 1]]
                    if toks[run[i]].particle or b.particle:
                        continue
                    surface = text[a.start:b.end]
                    if self._stopped(surface, None):
                        continue
                    district = bool(_DISTRICT_AFTER.match(text, b.end))
                    hit = self._evidence(surface, capitals, lower, district)
                    if hit is None and surface.endswith("s") and len(surface) > 4:
                        hit = self._evidence(surface[:-1], capitals, lower)
                    if hit and hit[1] >= 2.0 and (_GOVERNMENT_BEFORE.search(text, max(0, a.start - 60), a.start)
                                                  or _GOVERNMENT_AFTER.match(text, b.end)):
                        hit = (hit[0], 0.5)  # "talks with Moscow": the government, not the scene
                    if hit and hit[1] < 3.0 and i + n < len(run) and self._longer_name(toks[run[i + n]]):
                        hit = None  # "Praja Pratighatana", "Kabul Bank": the start of another name
                    if hit and not (surname and hit[1] < 3.0):
                        add(hit[0], hit[1], a.start)
                        i += n
                        break
                    if maybe is None and not score and not surname and len(surface) >= 4 and \
                            not (n == 1 and _common_word(a.lower)) and \
                            not (n == 1 and i + 1 < len(run) and a.lower in self.lex.prefixes):
                        w = self._weak_evidence(surface, district)
                        if w:
                            maybe = (n, w)
                else:
                    if maybe is not None:
                        for cc, w in maybe[1].items():
                            weak[cc] = weak.get(cc, 0.0) + w
                            first.setdefault(cc, toks[run[i]].start)
                    i += maybe[0] if maybe else 1
        if not score and weak:
            # No country, capital or division named: the countries whose towns the text
            # names, weighed by how surely each name is there (a terse summary of another war)
            lead = max(weak, key=lambda cc: weak[cc])
            if weak[lead] >= _WEAK_MIN:
                return [lead]
        if not score:
            return []
        top = max(score.values())
        keep = [cc for cc, s in score.items() if s == top or (s >= 2.0 and s > 0.5 * top)]
        return sorted(keep, key=lambda cc: (-score[cc], first[cc]))

    @functools.cached_property
    def _capitals_map(self) -> dict[int, str]:
        return {i: cc for cc, i in self.index.capital.items()}

    def _capitals(self) -> dict[int, str]:
        return self._capitals_map

    def _weak_evidence(self, surface: str, district: bool = False) -> dict[str, float]:
        """Countries a name may place the text in, each with its share of the name: the
        places written as they are named (and, before "district", the districts of that name),
        weighed by the log of their population, so that an Indian district town outweighs a
        Nigerien village of the same name, and a name found in many countries says little."""
        ix = self.index
        p = plain_name(surface)
        best: dict[str, int] = {}
        aliased: dict[str, int] = {}  # towns that list the name among their aliases
        for i in self._keys(surface)[1]:
            kind = self._kind(i)
            cc = ix.country[i]
            if kind == "region" and district:
                best[cc] = max(best.get(cc, 0), _DISTRICT_WEIGHT)
            elif kind == "populated" and ix.population[i] >= _WEAK_POPULATION:
                if plain_name(ix.name[i]) == p or i in ix.ids(ix.big_alias, p):
                    best[cc] = max(best.get(cc, 0), ix.population[i])
                elif district and ix.population[i] >= 10_000:
                    aliased[cc] = max(aliased.get(cc, 0), ix.population[i])
        if district and not best and not self._keys(surface)[1]:
            # "Palamau District": a district spelt as loosely as the finder reads one (where
            # no place bears the name as written)
            sk, _exact, loose = self._keys(surface)
            for i in loose:
                if self._kind(i) == "region" and self._similarity(sk, i) >= _FUZZY_MIN:
                    best[ix.country[i]] = _DISTRICT_WEIGHT
        # "Keonjhar District": the town's alias is evidence where no place bears the name itself
        best = best or aliased
        if not best:
            return {}
        logs = {cc: math.log10(pop + 100) for cc, pop in best.items()}
        total = sum(logs.values())
        weight = 2.0 if district else 1.0  # "X District" says a place is named; a bare word may not be one
        return {cc: weight * v / total for cc, v in logs.items()}

    def _longer_name(self, nxt: "_Tok") -> bool:
        """Whether a capitalised word after a place's name makes the two one longer name: a
        word that is neither a common word, a particle, nor a place itself."""
        if nxt.particle or self._stopped(nxt.text, None) or self._demonym(nxt.lower) or nxt.lower in self.lex.noun_hint:
            return False
        return not self._keys(nxt.text)[1]

    def _bigger_namesake(self, surface: str, i: int) -> bool:
        """Whether a bigger town elsewhere bears the same name ("Gaya" of India beside the
        Gaya of Niger): then the name says little of the country."""
        ix = self.index
        p = plain_name(surface)
        return any(ix.population[j] > ix.population[i] and ix.country[j] != ix.country[i]
                   and self._kind(j) == "populated" and plain_name(ix.name[j]) == p
                   for j in self._keys(surface)[1])

    def _evidence(self, surface: str, capitals: dict[int, str],
                  lower: set[str] | frozenset[str] = frozenset(), district: bool = False) -> tuple[str, float] | None:
        ix = self.index
        best: tuple[str, float] | None = None
        for i in self._keys(surface)[1]:
            kind = self._kind(i)
            if kind == "region" and district and not ix.curated[i]:
                w = 2.0  # "Latehar District": GeoNames' district of that name, as sure as a province
            elif kind == "country":
                if not self._country_named(surface, ix.country[i]):
                    continue
                w = 3.0
            elif kind == "admin1" and not ix.curated[i]:
                # GeoNames' divisions of other countries: "Jharkhand", "Ontario"; not a short
                # or common word ("Sud", "Capital", "Plateau" also written in lower case here)
                if len(surface) < 5 or surface.lower() in lower or plain_name(surface) != plain_name(ix.name[i]):
                    continue
                w = 1.5
            elif kind == "admin1":
                w = 2.0
            elif i in capitals and self._written_as(surface, i):
                w = 2.0
            elif ix.curated[i]:
                w = 1.0
            elif kind == "populated" and ix.country[i] in self._conflict and ix.population[i] >= 20_000 \
                    and plain_name(surface) == plain_name(ix.name[i]) and not self._bigger_namesake(surface, i):
                w = 1.0  # a town of a country at war, written as it is named ("Manbij")
            else:
                continue
            if best is None or w > best[1]:
                best = (ix.country[i], w)
        if best is None and district and not self._keys(surface)[1]:
            sk, _exact, loose = self._keys(surface)
            near = [i for i in loose if self._kind(i) == "region" and self._similarity(sk, i) >= _FUZZY_MIN]
            if len({ix.country[i] for i in near}) == 1:
                best = (ix.country[near[0]], 1.5)  # "Palamau District": a district spelt loosely
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
            # a dropped possessive ("al-Assads"), but not a doubled letter ("Hass" is no "has")
            if f.endswith("s") and len(f) > 3 and not f.endswith("ss"):
                forms.add(f[:-1])
        if forms & self.lex.never or _IDEOLOGY.search(s):
            return True
        if hint in _NAMED_BY_CUE:
            return False
        return bool(forms & self.lex.names)

    def _words(self, text: str) -> list[_Tok]:
        """``_tokens`` of a text. The pipeline reads "title\\ntext" for the countries, then the
        text for its places: no word spans a line break, so the text's words are the tail of
        the first reading's, moved, not read again."""
        last = self._last_words
        if last is not None:
            head, toks = last
            k = len(head) - len(text)
            if k > 0 and head[k - 1] == "\n" and head.endswith(text):
                return [_Tok(t.start - k, t.end - k, t.text, t.lower, t.name_like, t.particle)
                        for t in toks if t.start >= k]
        toks = _tokens(text, self.lex)
        self._last_words = (text, toks)
        return toks

    def find(self, text: str, countries: Sequence[str] = ()) -> list[PlaceMention]:
        """Every place named in the text, resolved. With no ``countries``, the article's
        own (``article_countries``) are the context."""
        countries = list(countries) or self.article_countries(text)
        st = _State(text, countries, set(re.findall(r"\b[a-z]+\b", text)), [0])
        st.sentence_starts += [m.end() for m in _SENTENCE_END.finditer(text)]
        toks = self._words(text)
        for whole in _runs(toks, text):
            for run in self._split_at_cue_nouns(st, toks, whole):
                self._scan_run(st, toks, run)
        st.mentions = [m for m in st.mentions if not self._government(st.text, m)]
        st.mentions.sort(key=lambda m: m.start)
        self._rechoose(st)
        self._provinces_holding(st)
        self._inside_containers(st)
        self._fill_fallbacks(st)
        self._one_name_per_facility(st)
        return st.mentions

    def _split_at_cue_nouns(self, st: _State, toks: list[_Tok], run: list[int]) -> list[list[int]]:
        """"Latehar District Police", "Tabqa Air Base": a cue noun written with a capital
        ends the name before it, and the words after it are read apart, unless the whole is
        itself a name ("Gaza City", "Islamic State")."""
        lex = self.lex
        if len(run) < 2 or _title_case(st.text, toks[run[0]].start):
            return [run]  # a headline capitalises every noun: its "District" says nothing
        out: list[list[int]] = []
        cur: list[int] = []
        j = 0
        while j < len(run):
            t = toks[run[j]]
            width = 0
            if cur and t.text[:1].isupper():
                if j + 1 < len(run) and f"{t.lower} {toks[run[j + 1]].lower}" in lex.noun_hint:
                    width = 2
                elif t.lower in lex.noun_hint:
                    width = 1
            if width:
                whole = st.text[toks[cur[0]].start:toks[run[j + width - 1]].end]
                if not self._named_whole(whole):
                    out.append(cur)
                    cur = []
                    j += width
                    continue
            cur.append(run[j])
            j += 1
        if cur:
            out.append(cur)
        return out

    def _named_whole(self, surface: str) -> bool:
        """Whether a name with a cue noun in it is a name as a whole ("Gaza City") or
        words that are no place ("Islamic State")."""
        if self._stopped(surface, None):
            return True
        ix = self.index
        return any(self._kind(i) != "region" and (ix.curated[i] or plain_name(ix.name[i]) == plain_name(surface))
                   for i in self._keys(surface)[1])

    def _scan_run(self, st: _State, toks: list[_Tok], run: list[int]) -> None:
        text = st.text
        post = st.post_cue(toks[run[-1]].end, self.lex)
        if post.hint in ("neighbourhood", "district"):
            # "(Aleppo) (Sheikh Maqsoud) neighbourhood": the city in front, if any, is named
            # apart; the rest is the neighbourhood, known to the gazetteer or not.
            while len(run) > 1 and self._stopped(toks[run[0]].text, None) and \
                    toks[run[0]].lower not in self.lex.prefixes and \
                    toks[run[0]].lower not in self.lex.direction_adjectives:
                run = run[1:]  # "In Aleppos Qaryat al-Ansari neighborhood"
            k = self._container_split(st, toks, run)
            if k:
                self._greedy(st, toks, run[:k])
            tail = run[k:]
            # "West Midnapore district" is a district's whole name; "West Aleppo" is Aleppo
            compass = post.hint == "district" and len(tail) > 1 and \
                toks[tail[0]].lower in self.lex.direction_adjectives
            m = self._try(st, toks, tail, 0, len(tail)) if compass else None
            while m is None and len(tail) > 1 and self._stopped(toks[tail[0]].text, None) and \
                    toks[tail[0]].lower not in self.lex.prefixes:
                tail = tail[1:]
            if len(tail) > 4:
                self._greedy(st, toks, tail[:-4])
                tail = tail[-4:]
            if m is None:
                m = self._try(st, toks, tail, 0, len(tail))
            if m is None and not self._stopped(text[toks[tail[0]].start:toks[tail[-1]].end], post.hint):
                m = self._fallback(st, toks[tail[0]].start, toks[tail[-1]].end, post.hint, post)
            if m is not None:
                st.mentions.append(m)
            return
        self._greedy(st, toks, run, post=post)

    def _greedy(self, st: _State, toks: list[_Tok], run: list[int], emit: bool = True,
                post: _Cue | None = None) -> bool:
        """Longest match first, left to right. Returns whether every word was covered."""
        text = st.text
        pre = st.pre_cue(toks[run[0]].start, self.lex)
        if pre.hint is None and st.listed is not None and \
                _LISTED.fullmatch(text, st.listed[0], toks[run[0]].start):
            pre = st.listed[1]  # "the villages of A, B and C": B and C are villages too
        if emit and pre.plural:
            st.listed = (toks[run[-1]].end, pre)
        covered = True
        after_name = False  # the word before was a capitalised word that is no place
        i = 0
        while i < len(run):
            if emit and covered and post is not None and post.hint in _NAMED_BY_CUE and 0 < len(run) - i <= 3 and \
                    self._unknown_tail(st, toks, run[i:], post):
                return False  # "Temelwada village", "Bakshibandh forest": a place no gazetteer knows
            if emit and i == 0 and post is not None and post.modifier == "area" and len(run) <= 2 and \
                    st.words_before(toks[run[0]].start)[-1:] == ["the"] and \
                    _AREA_ENDS.match(text, toks[run[-1]].end) and \
                    self._unknown_tail(st, toks, run, dataclasses.replace(post, hint="settlement", noun="area")):
                return False  # "strikes on the X area": a place no gazetteer knows, named
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
            n = self._prefixed_place(st, toks, run) if i == 0 and pre.hint is None else 0
            if n:
                # "air strikes on Tel X": a name only places bear, where a place stands
                a, b = toks[run[0]], toks[run[n - 1]]
                if emit:
                    st.mentions.append(self._fallback(st, a.start, b.end, "settlement", pre))
                i += n
                continue
            if i > 0 and pre.plural and pre.hint in _NAMED_BY_CUE and emit and \
                    any(m.start == toks[run[i - 1]].start or m.end == toks[run[i - 1]].end for m in st.mentions[-1:]):
                # "the districts of A B and C", its commas lost: the word after a
                # place of the list is the next place listed
                n = self._unknown_name_length(toks, run[i:])
                a, b = toks[run[i]], toks[run[i + n - 1]]
                if not self._stopped(text[a.start:b.end], pre.hint):
                    st.mentions.append(self._fallback(st, a.start, b.end, pre.hint, pre))
                    i += n
                    continue
            if i == 0 and pre.hint in _NAMED_BY_CUE:
                n = self._unknown_name_length(toks, run)
                a, b = toks[run[0]], toks[run[n - 1]]
                if not self._stopped(text[a.start:b.end], pre.hint):
                    if emit:
                        st.mentions.append(self._fallback(st, a.start, b.end, pre.hint, pre))
                    i += n
                    continue
            i += 1
        return covered

    def _prefixed_place(self, st: _State, toks: list[_Tok], run: list[int]) -> int:
        """How many words an unknown name takes that starts with a word only place names
        start with ("Tel", "Kafr", "Deir"), after a preposition of place: two or more, else 0."""
        a = toks[run[0]]
        if a.lower not in self.lex.place_prefixes or not a.text[:1].isupper():
            return 0
        before = st.words_before(a.start)[-1:]
        if not before or before[0] not in _PLACE_PREPOSITIONS:
            return 0
        n = self._unknown_name_length(toks, run)
        return n if n >= 2 else 0

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
        pre = st.pre_cue(start, self.lex) if i == 0 else _Cue()
        post = st.post_cue(end, self.lex) if i + n == len(run) else _Cue()
        # a noun right after the name is its own ("X village of Latehar District": Latehar
        # is the district, the village is X)
        hint = post.hint or pre.hint
        modifier = pre.modifier or post.modifier
        surface = text[start:end]

        # Names that take the cue word in ("Jabalia camp", "Damascus countryside", "rural
        # Damascus", "eastern Ghouta", "south Lebanon") are tried whole first.
        if i == 0 and pre.modifier and pre.modifier in ("countryside", *self.lex.direction_adjectives):
            m = _WORD_AT_END.search(text[max(0, start - 20):start])
            if m:
                s2 = start - len(m.group(0))
                got = self._whole(st, s2, end, text[s2:start].strip() + " " + surface)
                if got:
                    return got
        if i + n == len(run) and post.hint in ("camp", "countryside", "admin", "settlement", "facility",
                                               "district") and post.noun_end:
            got = self._whole(st, start, post.noun_end, text[start:post.noun_end])
            if got:
                return got

        if self._stopped(surface, hint):
            return None
        if n == 1 and a.lower in self.lex.particles:
            return None  # a bare "Al" or "Abu"
        edge_stopped = n > 1 and (self._stopped(a.text, None) or self._stopped(b.text, None))
        compass = a.lower in self.lex.direction_adjectives and hint in ("district", "admin")
        if edge_stopped and not compass and not any(plain_name(self.index.name[j]) == plain_name(surface)
                                                    for j in self._keys(surface)[1]):
            return None  # "The ISIL", "Daesh Attack", "Hama Media" ("The Hague" is a name)
        if self._demonym(a.lower) and (n == 1 or not self._keys(surface)[1]):
            return None  # "Syrian army", "Syrian Observatory"; "Saudi Arabia" is a name
        if i > 0 and toks[run[i - 1]].lower in self.lex.titles and not hint:
            return None
        run_start = toks[run[0]].start
        before = st.words_before(run_start)[-1:]
        if before and before[-1] in self.lex.titles and not hint and \
                re.fullmatch(r"[A-Za-z] ", text[max(0, run_start - 2):run_start]):
            return None  # "President Hadi", "a local resident Malik Kasab": every word a person's
        if i == 0:
            if not hint and _PERSON_BEFORE.search(text, max(0, start - 25), start):
                return None  # "identified as Nirmal", "alias Durga": a person
        sentence_initial = st.sentence(start) != st.sentence(start - 1) if start > 0 else True
        self._nationality_at = (text, start)
        if surface.isupper() and len(surface) <= 4 and not self._country_named(surface, "?"):
            if not any(self._kind(j) == "country" for j in self._keys(surface)[1]):
                return None  # an acronym ("IDA", "UEFA"), not a place
        container, strong = self._container(st, post, start) if hint in ("neighbourhood", "district") \
            else (None, False)
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
        if hint in _NAMED_BY_CUE and hint != "district" and kind == "populated" and \
                ix.country[choice.id] not in self._conflict and \
                not (choice.exact and self._written_as(surface, choice.id)) and not self._near_known(st, choice.id):
            # "Pondhuri village" is not the alias or look-alike of a town across the country:
            # outside the countries at war such a reading must lie by the text's other places
            return None
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
        cue = post if post.hint == hint else pre
        if hint == "district" and not cue.capital and kind != "admin1" and (strong or not choice.exact) and \
                container is not None and \
                container.lat is not None and self._population_of(container) >= _BIG_CITY and \
                _km(container.lat, container.lon, ix.lat[choice.id], ix.lon[choice.id]) > 50:
            return None  # "the district of X" beside a city: its quarter, not a division afar
        if hint == "district" and kind in ("populated", "neighbourhood"):
            if kind == "neighbourhood" or (not cue.capital and self._quarter_of(container, choice.id)):
                hint = "neighbourhood"  # "the Ferdous district" of a city named around it
            else:
                return self._read(st, _Reading(start, end, hint, modifier, "around", cue, choice))  # "Latehar district"
        if hint == "subdistrict" and kind in ("populated", "neighbourhood"):
            return self._read(st, _Reading(start, end, hint, modifier, "around", cue, choice))  # "X tehsil"
        if hint in ("facility", "feature") and cue.noun:
            if kind == "country" or not in_ctx:
                return None
            return self._read(st, _Reading(start, end, hint, modifier, "named", cue, choice))
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
        if kind != self._kind(choice.id) or hint in ("admin", "countryside"):
            return self._mention(st, start, end, choice, kind, hint, modifier, in_ctx)
        return self._read(st, _Reading(start, end, hint, modifier, "plain", cue, choice))

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
        j = ix.admin1_entry.get((cc, a), ix.other_admin1_entry.get((cc, a)))
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

    def _read(self, st: _State, r: _Reading) -> PlaceMention:
        m = self._build(st, r)
        st.readings[id(m)] = r
        return m

    def _build(self, st: _State, r: _Reading) -> PlaceMention:
        in_ctx = self.index.country[r.choice.id] in st.countries
        if r.mode == "around":
            return self._around(st, r.start, r.end, r.choice, r.modifier, in_ctx)
        if r.mode == "named":
            return self._named_at(st, r.start, r.cue, self._location(r.choice.id), r.choice, in_ctx)
        return self._mention(st, r.start, r.end, r.choice, self._kind(r.choice.id), r.hint, r.modifier, in_ctx)

    def _rechoose(self, st: _State) -> None:
        """Read again, with every place of its sentence known, a name several places bear:
        the one in the division the sentence names, or nearest its other places ("the
        village of X just west of CITY"), wins."""
        ix = self.index
        for k, m in enumerate(st.mentions):
            r = st.readings.get(id(m))
            if r is None:
                continue
            sent = st.sentence(m.start)
            ctx = [o for o in st.mentions if o is not m and st.known(o) and o.kind != "country"
                   and o.location.lat is not None and st.sentence(o.start) == sent]
            if not ctx:
                continue
            ranked = self._ranked(st.text[r.start:r.end], st.countries, r.hint)
            if len(ranked) < 2:
                continue
            within = {o.location.admin1 for o in ctx if o.location.precision in ("admin1", "district")}
            points = [o.location for o in ctx if o.location.precision != "admin1"]

            def fit(c: _Choice) -> float:
                i = c.id
                a1 = ix.name[i] if self._kind(i) == "admin1" else ix.admin1[i]
                d = min((_km(p.lat, p.lon, ix.lat[i], ix.lon[i]) for p in points), default=math.inf)
                return c.score + (0.3 if a1 and a1 in within else 0.0) + \
                    (0.2 if d < 30 else 0.1 if d < 100 else 0.0)

            best = max(ranked, key=fit)
            if best.id == r.choice.id or fit(best) <= fit(_Choice(r.choice.id, r.choice.score, True, 1.0)):
                continue
            r.choice = best
            new = self._build(st, r)
            for f in ("location", "kind", "score"):
                setattr(m, f, getattr(new, f))

    def _inside_containers(self, st: _State) -> None:
        """"X village under Y police station of Gaya District": a town read far outside the
        district or state the sentence puts it in is not that town but a place no gazetteer
        knows, placed in its container."""
        moved: dict[int, PlaceMention] = {}  # gazetteer entry read -> the mention placed instead
        for m in st.mentions:
            r = st.readings.get(id(m))
            if r is None or m.location.lat is None or m.location.precision not in ("town", "point", "district"):
                continue
            found = self._container_after(st, m) or self._lonely_village(st, m, r)
            if found is None or found[0].location.country != m.location.country:
                continue
            o, limit = found
            far = _km(o.location.lat, o.location.lon, m.location.lat, m.location.lon)
            # a province named as holding the place is not a guess: a reading in another
            # province is another place of that name unless it lies by the border
            slack = _BORDER_KM if o.location.precision == "admin1" else limit / 2
            if far <= limit and (m.location.admin1 == o.location.admin1 or far <= slack):
                continue
            if far <= limit and o.start > m.end and _BESIDE.fullmatch(st.text, m.end, o.start) and \
                    self._only_one(st, r, m.location.country):
                # "the town of X near the capital": the division line between a city and the
                # province around it says nothing where the country has one X only
                continue
            own = "town" if m.location.precision == "district" and m.kind != "region" else m.location.precision
            m.location = Location(" ".join(st.text[r.start:r.end].split()), None, None, None, None, own)
            m.kind, m.guessed, m.score = "populated", True, round(min(m.score, 0.5), 3)
            _place_at(m, o.location)
            st.readings.pop(id(m), None)
            if far > 2 * limit:
                moved.setdefault(r.choice.id, m)  # a namesake clearly elsewhere, not a near miss
        # one place per name in one article: "Al Maleh" named again without its container is
        # the Al Maleh placed by it, not the namesake the gazetteer would read alone
        for m in st.mentions:
            r = st.readings.get(id(m))
            if r is not None and r.choice.id in moved:
                first = moved[r.choice.id]
                m.location = dataclasses.replace(first.location)
                m.kind, m.guessed, m.score = first.kind, True, first.score
                st.readings.pop(id(m), None)

    def _provinces_holding(self, st: _State) -> None:
        """"the town of Khan Sheikhoun in Idlib": a city named as holding a town of its own
        province, where the province bears its name, is the province."""
        ix = self.index
        for k, m in enumerate(st.mentions):
            if k == 0 or m.kind != "populated" or m.location.precision != "town" or m.guessed:
                continue
            prev = st.mentions[k - 1]
            if prev.guessed or prev.kind not in ("populated", "neighbourhood") or \
                    prev.location.admin1 != m.location.admin1 or prev.location.name == m.location.name or \
                    not _HELD_IN.fullmatch(st.text, prev.end, m.start):
                continue
            j = ix.admin1_entry.get((m.location.country or "", m.location.admin1 or ""))
            if j is None or skeleton(spelling_key(ix.name[j])) != skeleton(spelling_key(m.location.name)):
                continue
            m.location, m.kind = self._location(j), "admin1"
            st.readings.pop(id(m), None)

    def _only_one(self, st: _State, r: _Reading, cc: str | None) -> bool:
        """Whether the gazetteer knows a single place of this name in the country."""
        ix = self.index
        return sum(ix.country[c.id] == cc for c in self._ranked(st.text[r.start:r.end], st.countries, r.hint)) == 1

    def _lonely_village(self, st: _State, m: PlaceMention, r: _Reading) -> tuple[PlaceMention, float] | None:
        """A village the text calls one ("X village", "the village of X") read in a small
        place far from every other place the text names: GeoNames has many villages of one
        name, and the text's is by its other places. Returns the nearest of those (as the
        place that should hold it) with the distance it may lie from it."""
        ix = self.index
        if r.hint != "settlement" or ix.population[r.choice.id] >= _LONELY_POPULATION or ix.curated[r.choice.id]:
            return None
        others = [o for o in st.mentions if o is not m and st.known(o) and not o.guessed and o.kind != "country"
                  and o.location.lat is not None and o.location.country == m.location.country]
        if not others:
            return None
        near = min(others, key=lambda o: _km(o.location.lat, o.location.lon, m.location.lat, m.location.lon))
        return (near, _LONELY_KM) if near.location.precision != "admin1" else (near, _IN_ADMIN1_KM)

    def _container_after(self, st: _State, m: PlaceMention) -> tuple[PlaceMention, float] | None:
        """The place named after another in its sentence as holding it or beside it, and how
        far from its point the other may lie: a district or state in a short stretch of prose
        ("X village under Y police station of Z District"), or a town it lies by ("X, just
        west of Y", "X near Y")."""
        sent = st.sentence(m.start)
        for o in st.mentions:
            if o.start < m.end or o is m or st.sentence(o.start) != sent or o.start - m.end > 120:
                continue
            if not st.known(o) or o.kind == "country" or o.location.lat is None:
                continue
            if o.location.precision in ("district", "admin1") and o.kind in ("region", "admin1") and \
                    _CONTAINED.fullmatch(st.text, m.end, o.start):
                return o, _IN_DISTRICT_KM if o.location.precision == "district" else _IN_ADMIN1_KM
            if o.location.precision in ("town", "point", "district") and _BESIDE.fullmatch(st.text, m.end, o.start):
                return o, _BESIDE_KM
        return None

    def _government(self, text: str, m: PlaceMention) -> bool:
        """A capital or a country standing for its government ("talks with Moscow",
        "pressure from Ankara", "a deal between Washington and Tehran"): no place."""
        if m.kind not in ("country", "populated") or m.guessed:
            return False
        if m.kind == "populated":
            cap = self.index.capital.get(m.location.country or "")
            if cap is None or self.index.name[cap] != m.location.name:
                return False
        return bool(_GOVERNMENT_BEFORE.search(text, max(0, m.start - 60), m.start)) or \
            (m.kind == "populated" and bool(_GOVERNMENT_AFTER.match(text, m.end)))

    def _near_known(self, st: _State, i: int, km: float = 150.0) -> bool:
        ix = self.index
        return any(m.location.lat is not None and m.kind != "country" and st.known(m) and
                   _km(m.location.lat, m.location.lon, ix.lat[i], ix.lon[i]) <= km for m in st.mentions)

    def _quarter_of(self, city: Location | None, i: int) -> bool:
        """Whether a town a text calls a "district" is a quarter of the big city named around it
        (Syrian and Iraqi reports call a city's quarters districts), not a division."""
        if city is None or city.lat is None or city.precision not in ("town", "point"):
            return False
        if self._population_of(city) < _BIG_CITY:
            return False
        return _km(city.lat, city.lon, self.index.lat[i], self.index.lon[i]) <= 25

    def _population_of(self, loc: Location) -> int:
        ix = self.index
        return max((ix.population[i] for i in self._keys(loc.name)[1]
                    if ix.country[i] == loc.country and self._kind(i) == "populated"), default=0)

    def _around(self, st: _State, start: int, end: int, choice: _Choice, modifier: str | None,
                in_ctx: bool) -> PlaceMention:
        """The division or area named after a town ("Latehar district", "X tehsil"): the
        town's point, at the precision of the area."""
        loc = self._location(choice.id, "district")
        score = (1.0 if choice.exact else 0.85 * choice.sim) * (1.0 if in_ctx else 0.75)
        return PlaceMention(start, end, st.text[start:end], loc, "region", modifier, round(min(1.0, score), 3))

    def _named_at(self, st: _State, start: int, cue: _Cue, at: Location, choice: _Choice | None,
                  in_ctx: bool) -> PlaceMention:
        """A facility or feature named after a place ("X air base", "X forest"): its own name
        and precision (a facility is a point, a forest an area), the place's point."""
        end = cue.noun_end or start
        name = " ".join(st.text[start:end].split())
        m = PlaceMention(start, end, st.text[start:end],
                         Location(name, None, None, None, None, "point" if cue.hint == "facility" else "district"),
                         "populated", None,
                         round(min(1.0, (1.0 if choice is None or choice.exact else 0.85 * choice.sim)
                                   * (1.0 if in_ctx else 0.75)), 3))
        _place_at(m, at)
        if cue.hint == "facility":
            st.facilities.append((m, name[:len(name) - len(cue.noun)].strip(), cue.noun.lower()))
        return m

    def _one_name_per_facility(self, st: _State) -> None:
        """"Tabqa base" after "Tabqa air base" is the air base: a facility keeps the fullest
        of the names the text gives it."""
        full: dict[str, str] = {}
        for _m, head, noun in st.facilities:
            k = spelling_key(head)
            if len(noun) > len(full.get(k, "")) and (k not in full or noun.endswith(full[k])):
                full[k] = noun
        for m, head, noun in st.facilities:
            best = full.get(spelling_key(head), noun)
            if best != noun and best.endswith(noun):
                m.location.name = f"{head} {best}"

    # -- places no gazetteer knows ------------------------------------------------------------

    def _fallback(self, st: _State, start: int, end: int, hint: str, cue: _Cue) -> PlaceMention:
        if hint in ("facility", "feature") and cue.noun_end and cue.noun_end > end:
            end = cue.noun_end  # "Bakshibandh forest": the feature's name takes its noun
        name = " ".join(st.text[start:end].split())
        cc = st.countries[0] if st.countries else None
        kind, precision, score = _FALLBACK_KIND.get(hint, ("populated", "town", 0.4))
        m = PlaceMention(start, end, st.text[start:end], Location(name, None, cc, None, None, precision),
                         kind, cue.modifier, score, guessed=True)
        if hint == "facility" and cue.noun and name.endswith(cue.noun):
            st.facilities.append((m, name[:len(name) - len(cue.noun)].strip(), cue.noun.lower()))
        st.pending[id(m)] = (hint, cue)  # its admin1 and point are filled once all mentions are known
        return m

    def _unknown_tail(self, st: _State, toks: list[_Tok], tail: list[int], post: _Cue) -> bool:
        """The words before a naming cue ("X village", "X forest", "X police station") as one
        name: the gazetteer's reading of them, else a place no gazetteer knows. Emits the
        mention and returns True, or returns False to let the words be read one by one."""
        m = self._try(st, toks, tail, 0, len(tail))
        if m is None:
            a, b = toks[tail[0]], toks[tail[-1]]
            surface = st.text[a.start:b.end]
            if len(tail) > 2 or self._stopped(surface, post.hint) or not self._may_name(st, toks, tail):
                return False
            if _plural_settlements(post) and _LISTED_BEFORE.search(st.text, max(0, a.start - 80), a.start) is None:
                return False  # "two Shiite villages": a plural noun after a name describes, not names
            if len(tail) == 1 and _ADJECTIVE_END.search(surface.lower()):
                return False
            m = self._fallback(st, a.start, b.end, post.hint, post)
        if _plural_settlements(post):
            self._listed_before(st, m.start, post)
        st.mentions.append(m)
        return True

    def _listed_before(self, st: _State, start: int, post: _Cue) -> None:
        """The names listed before the last under a plural noun ("Harbiyat and Anbaj
        villages"): each is a place of the noun's kind."""
        listed = _LISTED_BEFORE.search(st.text, max(0, start - 80), start)
        if listed is None:
            return
        for n in _LIST_SEP.split(listed.group("names").strip()):
            ns = listed.start("names") + listed.group("names").find(n)
            if not n or self._stopped(n, post.hint) or self._demonym(n.split()[0].lower()) or \
                    any(x.start <= ns < x.end for x in st.mentions):
                continue
            # (a name the gazetteer knows was read already, in its own run)
            st.mentions.append(self._fallback(st, ns, ns + len(n), post.hint, post))

    def _may_name(self, st: _State, toks: list[_Tok], tail: list[int]) -> bool:
        """Whether capitalised words may be an unknown place's name: not a demonym, an
        acronym, a title's person, a sentence's first word used elsewhere in lower case."""
        a = toks[tail[0]]
        if self._demonym(a.lower) or any(toks[j].particle for j in tail[:1]):
            return False
        if any(toks[j].text.isupper() and len(toks[j].text) <= 5 for j in tail):
            return False  # "CRPF camp", "BSF outpost": the force's, not a place's name
        before = st.words_before(a.start)[-1:]
        if before and before[-1] in self.lex.titles:
            return False
        words = [toks[j].lower for j in tail]
        if _common_word(words[0]) and (len(words) == 1 or all(english().readings(w) for w in words)):
            return False  # "Home Guard", "Red Sea port": English words, not a village's name
        sentence_initial = a.start == 0 or st.sentence(a.start) != st.sentence(a.start - 1)
        return not (sentence_initial and a.lower in st.lower_words)

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
            if hint in ("neighbourhood", "district"):
                c, strong = self._container(st, cue, m.start)
                if c is not None and (hint == "neighbourhood" or not cue.capital and (strong or c.precision == "town")
                                      and self._population_of(c) >= _BIG_CITY):
                    # a quarter of the city around it ("the Mallah district" of Aleppo)
                    m.kind, m.location.precision = "neighbourhood", "point"
                    m.location.admin1 = c.admin1
                    m.location.country = c.country
                    m.location.lat, m.location.lon = c.lat, c.lon
                    continue
                if hint == "neighbourhood":
                    continue
            self._place_in_context(st, m, cue)
            if m.location.admin1 is None and cue.noun == "area" and hint == "settlement":
                # "the X area" with nothing around it to place it: a name, not yet a place
                st.mentions.remove(m)
        st.pending.clear()

    def _place_in_context(self, st: _State, m: PlaceMention, cue: _Cue) -> None:
        """An unknown village, district or facility takes the admin1 and the point of the place
        that holds it ("X village of Y district", "X village near Y", a state named in the same
        sentence), at that place's precision or "district", whichever is coarser: the point is
        the container's, not the village's."""
        o = self._context_container(st, m, cue)
        if o is None:
            m.location.admin1 = None
            return
        _place_at(m, o.location)
        m.score = round(m.score * (0.8 if o.location.precision == "admin1" else 1.0), 3)

    def _context_container(self, st: _State, m: PlaceMention, cue: _Cue) -> PlaceMention | None:
        known = [o for o in st.mentions if o is not m and st.known(o) and o.kind != "country"
                 and o.location.lat is not None]
        if cue.container_after is not None:  # "X village of Latehar district"
            named = [o for o in known if cue.container_after <= o.start <= cue.container_after + 30]
            if named:
                return named[0]
        sent = st.sentence(m.start)
        same = [o for o in known if st.sentence(o.start) == sent]
        later = [o for o in same if o.start >= m.end and o.start - m.end <= 150]
        if later:
            return min(later, key=lambda o: o.start)  # "X village under Y police station in Z"
        earlier = [o for o in same if o.end <= m.start]
        if earlier:
            return max(earlier, key=lambda o: o.start)
        # the place the sentence before ended on ("... in Idlib province. The strikes hit the
        # village of X")
        before = [o for o in known if st.sentence(o.start) == sent - 1]
        if before:
            return before[-1]
        # or the one the next sentence names first ("... the village of X. The village lies
        # near Y")
        after = [o for o in known if st.sentence(o.start) == sent + 1]
        if after:
            return after[0]
        # no place beside it: the article's, when all its places lie in one division
        admin1 = {o.location.admin1 for o in known}
        if len(admin1) == 1 and None not in admin1:
            before = [o for o in known if o.start < m.start]
            return (before or known)[-1] if before else known[0]
        return None


__all__ = ["Gazetteer", "PlaceMention"]
