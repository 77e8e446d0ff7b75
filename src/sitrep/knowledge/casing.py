"""Names with their capitals, as the knowledge layer writes them: what restoring the casing of
an all-lowercase or all-capitals text (``extract/truecase.py``) may write.

Read from our own files and nothing else: actors, claimants and sources (actors.yaml,
sources.yaml), countries' aliases and demonyms (countries.yaml), the countries of the
gazetteer, months and weekdays; acronyms whose lower-case twin is an English word ("us",
"is", "un") are kept apart, to be written only where the word cannot stand. The lower-case
words of our lexicons (event_types.yaml, lang/en/victims.yaml, place_cues.yaml, the actor dictionary's
nouns and cues) count as English beside WordNet's (``english.py``).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import resources
from typing import Sequence

from .english import English, english
from .gazetteer import GazetteerIndex
from .lang import lexicon

# months and weekdays are names; "may" and "march" are also words, and the recaser decides them
MONTHS = ("January", "February", "April", "June", "July", "August", "September", "October",
          "November", "December")
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
# English words that neither WordNet (open-class words only) nor spaCy's stop list has
FUNCTION_WORDS = frozenset(("amid", "amidst", "whilst", "versus", "unto"))

# words: dotted abbreviations ("u.s."), letters with inner apostrophes ("hay'at", "assad's")
TOKEN = re.compile(r"(?:[^\W\d_]\.){2,}|[^\W\d_]+(?:['\u2019][^\W\d_]+)*")


def word_key(word: str) -> str:
    """What a word is looked up by: lower case, without dots, apostrophes or a possessive."""
    w = word.lower()
    if w.endswith(("'s", "\u2019s")) and len(w) > 3:
        w = w[:-2]
    return w.replace(".", "").replace("'", "").replace("\u2019", "")


def letters(word: str) -> str:
    """The letters whose case a word's form decides (a possessive's "s" is not one)."""
    if word.lower().endswith(("'s", "\u2019s")) and len(word) > 3:
        word = word[:-2]
    return "".join(c for c in word if c.isalpha())


@dataclass
class CaseKnowledge:
    """What recasing knows: names with their capitals and the cues around acronyms."""

    phrases: dict[tuple[str, ...], tuple[str, ...]]  # word keys -> the words as written
    longest: dict[str, int]  # first word key -> the longest phrase it starts
    acronyms: dict[str, str]  # key -> capitals of an acronym that is also an English word
    cue_nouns: frozenset[str]  # "fighters", "forces", "officials": make "is", "us" names
    cue_hyphen: frozenset[str]  # "led", "backed", "held": "us-led", "is-held"
    speech_verbs: frozenset[str]  # "said", "reported", "told": "the un said", "told afp"
    particles: frozenset[str]
    prefixes: frozenset[str]
    place_nouns: frozenset[str]  # "town", "province", "neighbourhood", "camp"
    settlement_nouns: frozenset[str]  # those after which an unknown word is a name
    english: English
    vocabulary: frozenset[str]  # the lower-case words of our own lexicons ("airstrikes")

    def is_english(self, key: str) -> bool:
        return key in self.english or key in self.vocabulary or key in FUNCTION_WORDS


def _strings(items) -> list[str]:
    return [it if isinstance(it, str) else it.get("alias", "") for it in items or ()]


def _yaml(name: str):
    import yaml
    return yaml.safe_load(resources.files("sitrep.knowledge").joinpath(name).read_text(encoding="utf-8"))


# nouns after an acronym that make it a name: the actor dictionary's heads and means nouns,
# and the sources' nouns ("un officials", "us envoy")
_SOURCE_NOUNS = ("spokesman", "spokeswoman", "spokesperson", "official", "officials", "source",
                 "sources", "statement", "commander", "commanders", "media", "website", "envoy",
                 "chief", "agency", "report", "mission", "command", "group", "army", "force",
                 "correspondent", "reporter", "photographer", "journalist", "news")


def _known_names() -> tuple[list[str], set[str], frozenset[str], frozenset[str], frozenset[str]]:
    """Names as the knowledge layer writes them, the proper adjectives among them (demonyms,
    actors' adjectives: "Syrian", "Kurdish"), the nouns and the words after a hyphen that make
    an acronym a name, and the speech verbs after a source."""
    actors, sources, countries = _yaml("actors.yaml"), _yaml("sources.yaml"), _yaml("countries.yaml")
    names: list[str] = []
    demonyms: set[str] = set()
    for section in ("actors", "claimants"):
        for e in actors.get(section) or ():
            names.append(e["name"])
            for k in ("aliases", "context_aliases", "adjectives", "context_adjectives"):
                names += _strings(e.get(k))
            for k in ("adjectives", "context_adjectives"):
                demonyms.update(word_key(a) for a in _strings(e.get(k))
                                if a[:1].isupper() and not a.isupper() and " " not in a)
    for nouns in (actors.get("means") or {}).values():
        names += _strings(nouns)
    for ignored in (actors.get("ignore") or {}).values():
        names += _strings(ignored)
    names += list((sources.get("names") or {}).keys())
    for entry in (countries or {}).values():
        names += _strings((entry or {}).get("aliases"))
        demonyms.update(word_key(d) for d in (entry or {}).get("demonyms") or ())
    cues = actors.get("cues") or {}
    nouns = set(_strings(actors.get("heads"))) | set(_SOURCE_NOUNS)
    for means in (actors.get("means") or {}).values():
        nouns.update(_strings(means))
    hyphen = set(_strings(cues.get("qualifier"))) | set(_strings(cues.get("held"))) | {"led", "brokered"}
    speech = {w for w in _strings(cues.get("speaker_after")) if w not in nouns}
    speech.update(w for w in _strings(cues.get("listener_before")) if " " not in w)  # "told afp"
    return names, demonyms, frozenset(word_key(w) for n in nouns for w in TOKEN.findall(n)), \
        frozenset(hyphen), frozenset(speech)


def _vocabulary() -> frozenset[str]:
    """The lower-case words our lexicons use, English whether WordNet has them or not
    ("airstrikes", "governorate", "ceasefire"); names there carry capitals and are left out."""
    words: set[str] = set()

    def walk(node) -> None:
        if isinstance(node, str):
            # plain phrases only: a regular expression's alternatives may name months, places
            if not any(c.isupper() for c in node) and not re.search(r"[\\()\[\]|?*+{}]", node):
                words.update(re.findall(r"[a-z]{3,}", node))
        elif isinstance(node, dict):
            for k, v in node.items():
                walk(k)
                walk(v)
        elif isinstance(node, (list, tuple)):
            for v in node:
                walk(v)

    types = _yaml("event_types.yaml")
    walk(types["classes"])
    for section in ("types", "acled"):
        for entry in types[section].values():
            walk(entry.get("phrases"))
    walk(_yaml("place_cues.yaml"))
    walk(lexicon("victims"))
    actors = _yaml("actors.yaml")
    for k in ("means", "heads", "cues"):
        walk(actors.get(k))
    for section in ("actors", "claimants"):
        for e in actors.get(section) or ():
            walk(e.get("context_aliases"))
    return frozenset(words)


_BUILT: dict[str, CaseKnowledge] = {}


def knowledge(index: GazetteerIndex | None = None) -> CaseKnowledge:
    """What recasing knows, built once per gazetteer (whose country names it adds)."""
    key = index.fingerprint if index is not None else ""
    kb = _BUILT.get(key)
    if kb is None:
        countries = [index.name[e] for e in index.country_entry.values()] if index is not None else []
        kb = _BUILT[key] = _build(countries)
    return kb


def _build(countries: list[str]) -> CaseKnowledge:
    eng = english()
    names, demonyms, cue_nouns, cue_hyphen, speech_verbs = _known_names()
    phrases: dict[tuple[str, ...], tuple[str, ...]] = {}
    acronyms: dict[str, str] = {}

    def add(words: Sequence[str]) -> None:
        keys = tuple(word_key(w) for w in words)
        if keys not in phrases:
            phrases[keys] = tuple(words)

    vocabulary = _vocabulary()
    for name in countries:  # "South Sudan", "Chad", "Jordan": a country's name is a name
        add(TOKEN.findall(name))
    for name in names + [d.capitalize() for d in demonyms] + list(MONTHS) + list(WEEKDAYS):
        words = TOKEN.findall(name)
        if not words or not any(c.isupper() for c in name):
            continue
        if len(words) == 1 and word_key(words[0]) in vocabulary:
            continue  # a word our lexicons write in lower case ("western" Aleppo)
        if len(words) > 1:
            add(words)
            continue
        w, k = words[0], word_key(words[0])
        readings = eng.readings(k)
        if len(letters(w)) > 1 and letters(w).isupper():
            # an acronym: its lower-case twin may be a word ("us", "car", "who")
            if readings and not (eng.noun_only(k) and len(k) >= 4):
                acronyms.setdefault(k, w)
            else:
                add(words)
        elif not readings or eng.noun_only(k) or k in demonyms or name in MONTHS + WEEKDAYS:
            add(words)  # "Hezbollah", "Kurds", "Syrian"; not "Western", "Amnesty"
    longest: dict[str, int] = {}
    for keys in phrases:
        longest[keys[0]] = max(longest.get(keys[0], 0), len(keys))
    cues = _yaml("place_cues.yaml")
    low = lambda xs: frozenset(str(x).lower() for x in xs or ())  # noqa: E731
    settlement = low(cues.get("settlement_nouns")) | low(cues.get("neighbourhood_nouns")) | \
        low(cues.get("camp_nouns"))
    return CaseKnowledge(phrases, longest, acronyms, cue_nouns, cue_hyphen, speech_verbs,
                         low(cues.get("particles")),
                         low(cues.get("name_prefixes")),
                         settlement | low(cues.get("admin_nouns")) | low(cues.get("countryside_nouns")),
                         settlement, eng, vocabulary)
