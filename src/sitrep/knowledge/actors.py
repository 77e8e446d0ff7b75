"""The actor and claimant dictionary: names in a text to canonical actors and sources.

The knowledge is ``knowledge/actors.yaml`` (its header says how aliases match), extended
by the YAML files given to :meth:`ActorDictionary.load` or listed in ``SITREP_ACTORS``.
Matching works on word tokens through a trie per dictionary, longest match first, so a
2,000-character article costs a fraction of a millisecond and "Hezbollah al-Nujaba" is
never read as "Hezbollah". Besides aliases, two small grammars cover what a list cannot:
an actor's adjective before a means noun ("Syrian or Russian warplanes", "Turkish
artillery"), and a generic head after a name ("ISIL terrorists" is one IS mention, not IS
plus "terrorists").
"""
from __future__ import annotations

import bisect
import functools
import os
import re
from collections import Counter
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any, Sequence

from .compiled import load_yaml
from .names import name_key, strip_accents
from ..records import FAKES_ACTORS

ENV_VAR = "SITREP_ACTORS"
ACTOR, CLAIMANT, VOICE = "actor", "claimant", "voice"
# voices: the generic sources the extractor finds by grammar ("activists said"), listed only
# to give each one name; they are never looked for in a text (find_claimants reads CLAIMANT).
_SECTIONS = {ACTOR: "actors", CLAIMANT: "claimants", VOICE: "voices"}
_ENTRY_SECTIONS = tuple(_SECTIONS.values())
_MEANS_KINDS = ("air", "ground", "naval", "unspecified")
_ENTRY_KEYS = {"name", "fakes", "countries", "aliases", "context_aliases", "adjectives",
               "context_adjectives", "perpetrator", "name_is_alias", "part_of"}
_LIST_KEYS = ("countries", "aliases", "context_aliases", "adjectives", "context_adjectives", "part_of")
_CUE_KEYS = ("qualifier", "held", "held_before", "skip", "agent_before", "supporter_before",
             "speaker_before", "speech_before", "speaker_after", "speaker_skip",
             "target_before", "target_after", "listener_before", "agent_after", "of_open",
             "opponent_before", "accused_before", "undergoer_before")

# An abbreviation with dots ("U.S.", "U.N.") is one token; so is a word with apostrophes
# inside ("Hay'at", "Assad's"). Hyphens separate tokens: "al-Nusra" = "al Nusra".
_TOKEN = re.compile(r"(?:[^\W\d_]\.)+[^\W\d_]\b\.?|[^\W_]+(?:['\u2019`][^\W_]+)*")
_WORD_CHAR = re.compile(r"\w")
# What may stand between two words of one name.
_JOIN = re.compile(r"[ \t\r\n\u00a0\-\u2010\u2011\u2013]{1,3}")
_HYPHEN = re.compile(r"\s?[\-\u2010\u2011]\s?")
_COMMA_JOIN = re.compile(r"\s*[,/&]\s*")
_CLOSING = re.compile(r"\)\s{1,2}")  # the bracket after names in brackets, before their head
# Punctuation that ends the look-back for a cue ("..., backed by" belongs to another phrase).
_STOP = re.compile(r"[.,;:!?()\[\]]")
_EXACT_WORD = re.compile(r"[A-Z]{1,3}")
_CONJ = frozenset(("and", "or", "andor"))
# "the Nusra Front and what it called other terrorist groups": one set of actors.
_CALLED = frozenset("what it they called other others".split())
_RENAMING = frozenset("known as formerly also now".split())
# Nouns after a party that make a voice of it, not the party acting.
_VOICE_NOUNS = frozenset("""spokesman spokeswoman spokesperson spokesmen source sources official officials
    statement statements commander commanders media website websites channel television tv news
    command""".split())
# Adjectives that may stand between a name and its generic head.
_HEAD_ADJECTIVES = frozenset("militant jihadist islamist armed allied foreign rival hardline extremist "
                             "radical sunni shiite shia kurdish arab local takfiri terrorist".split())
_TIME_WORDS = frozenset("on monday tuesday wednesday thursday friday saturday sunday overnight yesterday "
                        "today tonight reportedly allegedly again finally recently apparently continued "
                        "continues continue kept keep keeps began begin begins started start starts "
                        "to".split())
# Words between a number and the group its dead belonged to ("12 suspected Maoists").
_COUNT_SKIP = frozenset("suspected alleged hardcore senior top wanted more other woman women female".split())
_NUMBER_WORDS = frozenset("""two three four five six seven eight nine ten eleven twelve thirteen fourteen
    fifteen sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety
    hundred hundreds dozen dozens scores thousands""".split())
_IRREGULAR_PARTICIPLES = frozenset("""shot hit struck taken driven beaten caught held seen thrown blown overrun
    slain hurt cut led""".split())
_OPEN_PARTICIPLES = frozenset("""involved engaged believed suspected reported said thought known alleged
    supposed expected based stationed deployed positioned equipped armed backed supported
    allied affiliated linked headed""".split())
# Words after a participle that make it a passive ("fighters killed in the raid").
_PASSIVE_TAIL = frozenset("in during by when on at near after while as overnight".split())
_END = ""  # trie key of a node's payload: no word normalises to the empty string


@dataclass
class ActorMention:
    start: int
    end: int
    text: str
    canonical: str
    role: str  # "actor" or "claimant"
    means: str | None  # "air", "ground", "naval" or None


@dataclass
class ActorRole:
    """An actor mention's part in its phrase (offsets relative to the phrase)."""

    start: int
    end: int
    names: list[str]  # canonical actors that may act (not "civilians")
    role: str  # agent, subject, plain, supporter, speaker, target, held, victim
    group: int  # coordinated mentions share a group ("Syrian and Russian jets")


# The roles that make a perpetrator, strongest first; "subject" counts as "agent".
_TIERS = ("agent", "plain", "supporter", "speaker")


def choose_perpetrators(roles: list[ActorRole]) -> list[str]:
    """The perpetrators among a phrase's actors, alternatives kept.

    The agent comes first: a name introduced by "by" or the subject of an act verb
    ("rebels stormed"), and of several agents the first with those coordinated with it
    ("shelled by the regime ... after a pilot was killed by rebels" is the regime's);
    else the names that stand plainly; else those named as backers ("backed by Russian
    jets") or as speakers ("regime forces said"). Targets ("air strikes on IS"), victims,
    holders of ground ("rebel-held") and civilians never.
    """
    for tier in _TIERS:
        found = [r for r in roles if r.names and ("agent" if r.role == "subject" else r.role) == tier]
        if not found:
            continue
        if tier == "agent":
            found = [r for r in found if r.group == found[0].group]
        return list(dict.fromkeys(n for r in found for n in r.names))
    return []


def _item(item: str | dict[str, Any]) -> tuple[str, bool | None, tuple[str, ...] | None]:
    """An alias as written: a string, or {alias, exact, countries}."""
    if isinstance(item, str):
        return item, None, None
    countries = item.get("countries")
    return item["alias"], item.get("exact"), tuple(countries) if countries else None


@dataclass
class _Entry:
    name: str
    role: str
    fakes: str | None
    countries: tuple[str, ...]
    perpetrator: bool
    part_of: frozenset[str] = frozenset()  # lowercased names of the forces it fights within


@dataclass
class _Hit:
    first: int  # token index of the first word
    last: int  # token index after the last word
    entries: list[int]
    means: str | None


def _norm(raw: str) -> str:
    s = raw.lower().replace("'", "").replace("\u2019", "").replace("`", "").replace(".", "")
    return s if s.isascii() else strip_accents(s)


def _lower(text: str) -> str:
    low = text.lower()
    if len(low) != len(text):  # a few letters lowercase to two characters: keep offsets
        low = "".join(c if len(c.lower()) != 1 else c.lower() for c in text)
    return low


def _exact_form(raw: str) -> str:
    r = raw.replace(".", "")
    if r.endswith(("'s", "\u2019s")):
        r = r[:-2]
    return r


class _Tokens:
    """The words of one text, with what the tries look up for each."""

    __slots__ = ("text", "low", "starts", "ends", "norms", "n", "_keys")

    def __init__(self, text: str) -> None:
        self.text = text
        self.low = low = _lower(text)
        ms = list(_TOKEN.finditer(low))
        self.starts = [m.start() for m in ms]
        self.ends = [m.end() for m in ms]
        # Most words are plain ASCII letters, already their own key; clean the rest.
        self.norms = [w if w.isalnum() and w.isascii() else _norm(w)
                      for w in (m.group() for m in ms)]
        self.n = len(ms)
        self._keys: list[tuple[str, ...] | None] = [None] * self.n

    @classmethod
    def of_tail(cls, text: str, whole: "_Tokens") -> "_Tokens | None":
        """The tokens of ``text`` where ``whole`` read "title\ntext" (the pipeline reads the
        title and text for the home countries, then the text for the actors): no token spans a
        line break, so they are the tail of the whole's, moved, not read again; None where
        ``text`` is not such a tail."""
        k = len(whole.text) - len(text)
        if k <= 0 or whole.text[k - 1] != "\n" or not whole.text.endswith(text):
            return None
        low = _lower(text)
        if not whole.low.endswith(low):  # lowercased otherwise in the whole (a final sigma)
            return None
        tk = cls.__new__(cls)
        tk.text, tk.low = text, low
        first = bisect.bisect_left(whole.starts, k)
        tk.starts = [s - k for s in whole.starts[first:]]
        tk.ends = [e - k for e in whole.ends[first:]]
        tk.norms = whole.norms[first:]
        tk.n = len(tk.starts)
        # a word's keys look at its neighbours: the first word's made again, the others' (the
        # same neighbours) those the whole made
        tk._keys = [None] + whole._keys[first + 1:] if tk.n else []
        return tk

    @classmethod
    def of_span(cls, text: str, whole: "_Tokens") -> "_Tokens | None":
        """The tokens of ``text`` where it is a stretch of ``whole``'s text (a clause of the
        article whose actors were found): the whole's tokens inside it, moved, not read again;
        None where it is no such stretch, or where reading it alone might split its words
        otherwise: a word of the whole runs across either end, or a word character follows
        it (the pattern's ``\\b`` and its greedy runs see the end of the text there)."""
        k = whole.text.find(text)
        if k < 0 or not text:
            return None
        end = k + len(text)
        if end < len(whole.text) and _WORD_CHAR.match(whole.text, end):
            return None
        low = _lower(text)
        if whole.low[k:end] != low:  # lowercased otherwise in the whole (a final sigma)
            return None
        starts = whole.starts
        first = bisect.bisect_left(starts, k)
        if first > 0 and whole.ends[first - 1] > k:
            return None  # a word of the whole begins before the stretch and runs into it
        last = bisect.bisect_left(starts, end, first)
        if last > first and whole.ends[last - 1] > end:
            return None  # ... or begins inside it and runs past its end
        tk = cls.__new__(cls)
        tk.text, tk.low = text, low
        tk.starts = [s - k for s in starts[first:last]]
        tk.ends = [e - k for e in whole.ends[first:last]]
        tk.norms = whole.norms[first:last]
        tk.n = last - first
        # a word's keys look at its neighbours: the first and last words' made again, the
        # others' (the same neighbours) those the whole made
        tk._keys = [None] + whole._keys[first + 1:last - 1] + [None] if tk.n > 2 else [None] * tk.n
        return tk

    def keys(self, j: int) -> tuple[str, ...]:
        """What token j may match in a trie: exact capitals, the word, the word less an "s"."""
        found = self._keys[j]
        if found is None:
            found = self._keys[j] = self._make_keys(j)
        return found

    def raw(self, j: int) -> str:
        return self.text[self.starts[j]:self.ends[j]]

    def _make_keys(self, j: int) -> tuple[str, ...]:
        norm = self.norms[j]
        s = self.starts[j]
        stem = norm[:-1] if len(norm) > 2 and norm[-1] == "s" else None
        if self.text[s:s + 2].isupper() and not self._shouting(j):
            exact = "=" + _exact_form(self.raw(j))
            return (exact, norm, stem) if stem else (exact, norm)
        return (norm, stem) if stem else (norm,)

    def candidates(self, first: frozenset[str]) -> list[int]:
        """Tokens that may start a name: a cheap superset, before any trie walk."""
        # each distinct word asked once: an article says most of its words more than once
        may = {w for w in set(self.norms) if w in first or w[:-1] in first}
        return [j for j, w in enumerate(self.norms) if w in may]

    def _shouting(self, j: int) -> bool:
        """Inside an all-capitals headline "IS" is the verb, not the group."""
        def caps(k: int) -> bool:
            if not 0 <= k < self.n:
                return False
            w = self.raw(k)
            return len(w) > 1 and w.isalpha() and w.isupper()
        return caps(j - 1) and caps(j + 1)

    def joined(self, j: int) -> bool:
        """Token j and token j+1 may be two words of one name."""
        return j + 1 < self.n and \
            _JOIN.fullmatch(self.text, self.ends[j], self.starts[j + 1]) is not None

    def gap(self, j: int) -> str:
        return self.text[self.ends[j]:self.starts[j + 1]] if j + 1 < self.n else ""


class _Trie:
    """Word trie: each node a dict from word key to child; payloads under ``_END``."""

    def __init__(self) -> None:
        self.root: dict[str, Any] = {}

    def add(self, keys: Sequence[str], payload: Any) -> None:
        if not keys:
            return
        node = self.root
        for k in keys:
            node = node.setdefault(k, {})
        node.setdefault(_END, []).append(payload)

    def walk(self, tk: _Tokens, i: int) -> list[tuple[int, list]]:
        """Every (end, payloads) of a name starting at token i, shortest first."""
        out: list[tuple[int, list]] = []
        node = self.root
        made = tk._keys  # the keys made so far, read here without a call (a walk per candidate word)
        j = i
        while j < tk.n:
            for k in made[j] or tk.keys(j):
                child = node.get(k)
                if child is not None:
                    break
            else:
                break
            j += 1
            payloads = child.get(_END)
            if payloads:
                out.append((j, payloads))
            if len(child) == (1 if payloads else 0) or not tk.joined(j - 1):
                break  # a leaf, or the next word is not part of this name
            node = child
        return out

    def match_keys(self, keys: Sequence[str]) -> list | None:
        node = self.root
        for k in keys:
            node = node.get(k)
            if node is None:
                return None
        return node.get(_END)


def _alias_keys(alias: str, exact: bool | None = None, possessive: bool = False) -> list[str]:
    """Trie keys of an alias as written in the YAML (see its header for the rules)."""
    keys = []
    for m in _TOKEN.finditer(alias):
        raw = m.group()
        bare = raw.replace(".", "")
        if exact is True or (exact is None and _EXACT_WORD.fullmatch(bare)):
            keys.append("=" + _exact_form(raw))
        elif raw.endswith(("'s", "\u2019s")) and not possessive:
            keys.append(_norm(raw[:-2]))  # "Assad's forces" = "Assad forces" = "Assads forces"
        else:
            keys.append(_norm(raw))
    return keys


def _cue_regex(phrases: Sequence[str], at_end: bool) -> re.Pattern[str]:
    """One pattern for a cue list over a space-joined string of normalised words."""
    alts = sorted({" ".join(_norm(w) for w in p.split()) for p in phrases}, key=len, reverse=True)
    body = "|".join(re.escape(a) for a in alts) or "(?!)"
    return re.compile(rf"(?:^| )(?:{body})$" if at_end else rf"^(?:{body})(?: |$)")


class ActorDictionary:
    """Aliases to canonical actors (perpetrators, targets) and claimants (sources)."""

    def __init__(self, data: dict[str, Any]) -> None:
        self._entries: list[_Entry] = []
        self._by_name: dict[str, dict[str, int]] = {role: {} for role in _SECTIONS}
        self._alias = {role: _Trie() for role in _SECTIONS}
        self._adj = _Trie()
        self._nouns = _Trie()
        self._heads = _Trie()
        self._lossy: dict[str, dict[str, set[int]]] = {role: {} for role in _SECTIONS}
        self._last: tuple[tuple[str, tuple[str, ...]], _Tokens, list[_Hit]] | None = None
        # the tokens of the last text read whole (an article): its clauses' are taken from them
        self._article: _Tokens | None = None
        for kind in _MEANS_KINDS:
            for noun in data["means"].get(kind, []):
                self._nouns.add(_alias_keys(noun), None if kind == "unspecified" else kind)
        for head in data["heads"]:
            self._heads.add(_alias_keys(head), True)
        for role, section in _SECTIONS.items():
            for raw in data[section]:
                self._add_entry(role, raw)
            for name in data["ignore"].get(section, []):
                self._alias[role].add(_alias_keys(name), (-1, False, None, None))
        cues = data["cues"]
        self._skip = frozenset(_norm(w) for w in cues["skip"])
        self._qualifier = frozenset(_norm(w) for w in cues["qualifier"])
        self._held = frozenset(_norm(w) for w in cues["held"])
        self._speaker_skip = frozenset(_norm(w) for w in cues["speaker_skip"])
        # between a subject and its verb: "regime forces on Friday stormed"
        self._agent_skip = self._speaker_skip | _TIME_WORDS
        self._held_before = _cue_regex(cues["held_before"], True)
        self._supporter_before = _cue_regex(cues["supporter_before"], True)
        self._speaker_before = _cue_regex(cues["speaker_before"], True)
        self._speech_before = _cue_regex(cues["speech_before"], True)
        self._agent_before = _cue_regex(cues["agent_before"], True)
        self._undergoer_before = _cue_regex(cues["undergoer_before"], True)
        self._target_before = _cue_regex(cues["target_before"], True)
        self._listener_before = _cue_regex(cues["listener_before"], True)
        self._speaker_after = _cue_regex(cues["speaker_after"], False)
        self._target_after = _cue_regex(cues["target_after"], False)
        self._agent_after = _cue_regex(cues["agent_after"], False)
        self._opponent_before = _cue_regex(cues["opponent_before"], True)
        self._accused_before = _cue_regex(cues["accused_before"], True)
        # Nouns whose "of" phrase names who they are ("fighters of IS", "dozens of rebels"):
        # the phrase's role is the noun's. After any other noun ("the funeral of a Taliban
        # commander", "the shelling of the Houthis") the actor is acted upon.
        self._of_open = frozenset(_norm(w) for w in cues["of_open"])
        # First words of names, lowercased as token norms are (exact keys too): a token
        # whose norm (or norm less a final "s") is not here starts nothing.
        firsts = {ACTOR: set(self._alias[ACTOR].root) | set(self._adj.root),
                  CLAIMANT: set(self._alias[CLAIMANT].root), VOICE: set(self._alias[VOICE].root)}
        self._first_lower = {role: frozenset(_norm(k.lstrip("=")) for k in keys)
                             for role, keys in firsts.items()}

    # --- building -------------------------------------------------------------------------

    def _add_entry(self, role: str, raw: dict[str, Any]) -> None:
        idx = len(self._entries)
        name = raw["name"]
        self._entries.append(_Entry(name, role, raw.get("fakes"),
                                    tuple(raw.get("countries") or ()),
                                    bool(raw.get("perpetrator", True)),
                                    frozenset(n.lower() for n in raw.get("part_of") or ())))
        self._by_name[role][name.lower()] = idx
        aliases = list(raw.get("aliases") or [])
        written = {(a if isinstance(a, str) else a["alias"]).lower() for a in aliases}
        if raw.get("name_is_alias", True) and name.lower() not in written:
            aliases.append(name)
        for context, items in ((False, aliases), (True, raw.get("context_aliases") or [])):
            for item in items:
                text, exact, where = _item(item)
                keys = _alias_keys(text, exact)
                if role == ACTOR and len(keys) > 1 and keys[0] == "the":
                    # "the regime" is "regime": an actor's article carries nothing, and
                    # "the" would make every third word a candidate
                    keys = keys[1:]
                self._alias[role].add(keys, (idx, context, where, self._means_of(keys)))
                if not context:
                    self._lossy[role].setdefault(name_key(text), set()).add(idx)
        if role == ACTOR:
            for context, items in ((False, raw.get("adjectives") or []),
                                   (True, raw.get("context_adjectives") or [])):
                for item in items:
                    text, exact, where = _item(item)
                    self._adj.add(_alias_keys(text, exact, possessive=True), (idx, context, where))

    def _means_of(self, keys: list[str]) -> str | None:
        """The means an alias names by its last words ("Syrian air force" -> air)."""
        for k in range(len(keys)):
            payloads = self._nouns.match_keys(keys[k:])
            if payloads:
                return payloads[0]
        return None

    @classmethod
    def load(cls, extra_paths: Sequence[str] = ()) -> "ActorDictionary":
        """The bundled dictionary, then SITREP_ACTORS files, then ``extra_paths``, merged."""
        env = os.environ.get(ENV_VAR, "")
        paths = tuple(p for p in env.split(os.pathsep) if p.strip())
        paths += tuple(str(p) for p in extra_paths)
        return _load_cached(paths)

    # --- matching -------------------------------------------------------------------------

    def _resolve(self, payloads: list, rank: dict[str, int]) -> int | None:
        """The entry a match stands for, in the article's countries; -1 for an ignored name."""
        best, best_key = None, None
        for p in payloads:
            idx, context, where = p[0], p[1], p[2]
            if idx < 0:
                return -1
            key = None
            for pos, c in enumerate(where or self._entries[idx].countries):
                r = rank.get(c)
                if r is not None and (key is None or (r, pos) < key):
                    key = (r, pos)
            if key is None:
                if context:
                    continue
                key = (len(rank) + 1, 0)  # a plain alias counts anywhere, after the local ones
            if best_key is None or key < best_key:
                best, best_key = idx, key
        return best

    def _alias_hit(self, role: str, tk: _Tokens, i: int, rank: dict[str, int]) -> _Hit | None:
        for end, payloads in reversed(self._alias[role].walk(tk, i)):
            idx = self._resolve(payloads, rank)
            if idx is not None:
                means = next((p[3] for p in payloads if p[0] == idx), None)
                return _Hit(i, end, [idx] if idx >= 0 else [], means)
        return None

    def _adjective(self, tk: _Tokens, i: int, rank: dict[str, int]) -> tuple[int, int | None] | None:
        found = self._adj.walk(tk, i)
        if not found:
            return None
        for end, payloads in reversed(found):
            idx = self._resolve(payloads, rank)
            if idx is not None:
                return end, idx
        return found[-1][0], None  # a context adjective out of its context: keeps the structure

    def _next_adjective(self, tk: _Tokens, k: int) -> int | None:
        """Where the next coordinated adjective starts after one ending before token k."""
        if k >= tk.n:
            return None
        gap = tk.gap(k - 1)
        if _COMMA_JOIN.fullmatch(gap) or _HYPHEN.fullmatch(gap):
            if tk.norms[k] in _CONJ and tk.joined(k):
                return k + 1
            return k
        if tk.norms[k] in _CONJ and _JOIN.fullmatch(gap) and tk.joined(k):
            return k + 1
        return None

    def _composition(self, tk: _Tokens, i: int, rank: dict[str, int]) -> _Hit | None:
        """Adjectives before a means noun: "Syrian and Russian jets", "regime artillery"."""
        adjs: list[int | None] = []
        best: _Hit | None = None
        j: int | None = i
        while j is not None:
            found = self._adjective(tk, j, rank)
            if found is None:
                break
            k, idx = found
            adjs.append(idx)
            if tk.joined(k - 1):
                nouns = self._nouns.walk(tk, k)
                if nouns:
                    end, payloads = nouns[-1]
                    entries = list(dict.fromkeys(a for a in adjs if a is not None))
                    best = _Hit(i, end, entries, payloads[0])
            j = self._next_adjective(tk, k)
        return best if best is not None and best.entries else None

    def _head_end(self, tk: _Tokens, end: int) -> int:
        """Where a mention ends with its generic head: "ISIL terrorists", and past an
        adjective, "al-Nusra Front jihadist rebels" (one actor, not the Front and rebels)."""
        k = end
        while k < tk.n and k - end < 2 and tk.norms[k] in _HEAD_ADJECTIVES and tk.joined(k - 1):
            k += 1
        # "The Islamic State (ISIS, ISIL) terrorist group": the head after the names in brackets
        closing = k < tk.n and k > 0 and _CLOSING.fullmatch(tk.gap(k - 1)) is not None
        if k < tk.n and (tk.joined(k - 1) or closing):
            heads = self._heads.walk(tk, k)
            if heads:
                return heads[-1][0]
        return end

    def _scan(self, role: str, tk: _Tokens, rank: dict[str, int]) -> list[_Hit]:
        hits: list[_Hit] = []
        free = 0  # the first token not inside an earlier match
        alias_root, adj_root = self._alias[role].root, self._adj.root
        for i in tk.candidates(self._first_lower[role]):
            if i < free:
                continue
            ks = tk.keys(i)
            hit = self._alias_hit(role, tk, i, rank) if not alias_root.keys().isdisjoint(ks) else None
            if role == ACTOR and not adj_root.keys().isdisjoint(ks):
                comp = self._composition(tk, i, rank)
                if comp is not None and (hit is None or comp.last > hit.last):
                    hit = comp
            if hit is None:
                continue
            free = hit.last
            if not hit.entries:
                continue  # an ignored name: "Syrian National Coalition" is no coalition
            if self._is_qualifier(tk, hit):
                continue  # "pro-regime media" is no statement of the regime
            if role == ACTOR:
                hit.last = free = self._head_end(tk, hit.last)
            hits.append(hit)
        return hits

    def _is_qualifier(self, tk: _Tokens, hit: _Hit) -> bool:
        """ "US-backed", "al-Qaeda-linked", "anti-IS", "pro-Iranian": not the actor itself."""
        last = hit.last
        if last < tk.n and _HYPHEN.fullmatch(tk.gap(last - 1)) and tk.norms[last] in self._qualifier:
            return True
        first = hit.first
        return first > 0 and tk.norms[first - 1] in ("anti", "pro") and \
            _JOIN.fullmatch(tk.gap(first - 1)) is not None

    # --- cues -----------------------------------------------------------------------------

    def _before(self, tk: _Tokens, first: int, words: int = 4) -> str:
        """The words before a mention, determiners and qualifiers passed over, as one string."""
        out: list[str] = []
        j = first - 1
        while j >= 0 and len(out) < words:
            if _STOP.search(tk.gap(j)):
                break
            w = tk.norms[j]
            if not out and (w in self._skip or w.isdigit()):
                j -= 1
                continue
            if not out and w in self._qualifier and j > 0 and _HYPHEN.fullmatch(tk.gap(j - 1)):
                # "to Russian-backed Syrian government forces": look past "Russian-backed",
                # "al-Qaeda-linked" and the like, hyphenated words and all
                j -= 2
                while j >= 0 and _HYPHEN.fullmatch(tk.gap(j)):
                    j -= 1
                continue
            out.append(w)
            j -= 1
        return " ".join(reversed(out))

    def _after(self, tk: _Tokens, last: int, skip: frozenset[str], words: int = 3) -> str:
        out: list[str] = []
        j = last
        while j < tk.n and len(out) < words:
            if _STOP.search(tk.gap(j - 1)):
                break
            w = tk.norms[j]
            if not out and w in skip:
                j += 1
                continue
            out.append(w)
            j += 1
        return " ".join(out)

    def _spoken(self, tk: _Tokens, hit: _Hit) -> bool:
        return bool(self._speaker_after.search(self._after(tk, hit.last, self._speaker_skip))
                    or self._speech_before.search(self._before(tk, hit.first)))

    def _role_in_phrase(self, tk: _Tokens, hit: _Hit) -> str:
        last = hit.last
        if last < tk.n and _JOIN.fullmatch(tk.gap(last - 1)) and tk.norms[last] in self._held:
            return "held"  # "rebel-held", "IS-controlled": whose ground, not who acted
        before = self._before(tk, hit.first)
        if self._held_before.search(before):
            return "held"
        if self._supporter_before.search(before):
            return "supporter"
        if self._speaker_before.search(before):
            # "citing an IS statement that ...": the party's statement speaks, of any doer
            first = self._after(tk, last, self._speaker_skip, words=1)
            return "voice" if first in _VOICE_NOUNS else "speaker"
        if self._undergoer_before.search(before):
            return "victim"  # "the biggest loss suffered by Russian forces": whose loss it was
        if self._agent_before.search(before):
            return "agent"
        if self._opponent_before.search(before) or self._accused_before.search(before):
            # "killed in clashes with SFs", "blamed the regime": the other side, the accused
            return "plain"
        acts = self._acts(self._after(tk, last, self._agent_skip, words=4))
        if acts and (before.endswith(" of") and self._target_before.search(before) or
                     self._force_from(before)):
            return "subject"  # "members of al-Nusra killing the pilot", "snipers from IS shot"
        if self._target_before.search(before) or (self._of_owned(before) and not self._act_noun(tk, hit)):
            return "target"
        after = self._after(tk, last, self._speaker_skip, words=4)
        if self._speaker_after.search(after):
            # "regime forces said": the party speaks of what it did; "YPG spokesman", "an
            # army statement": a voice of the party, which need not have acted
            return "voice" if after.split()[0] in _VOICE_NOUNS else "speaker"
        if acts:
            return "subject"
        if self._target_after.search(self._after(tk, last, frozenset())) or self._passive(tk, last):
            return "target"
        if self._counted(tk, hit.first):
            return "victim"  # "some 120 Daesh fighters and 60 mercenaries were killed"
        return "plain"

    def _act_noun(self, tk: _Tokens, hit: _Hit) -> bool:
        """The mention names an act, not a force ("a series of Russian air strikes")."""
        return hit.means is not None and tk.norms[hit.last - 1] not in self._of_open

    def _passive(self, tk: _Tokens, last: int) -> bool:
        """The subject of a passive ("a Maoist cadre was arrested", "IS fighters were
        driven out"): acted upon. Participles that say what one did stay open ("were
        involved in", "were believed to have")."""
        words = self._after(tk, last, frozenset(("also", "reportedly", "allegedly")), words=3).split() + ["", ""]
        if words[0] in ("was", "were", "is", "are"):
            verb = words[2] if words[1] == "being" else words[1]
        elif words[0] in ("has", "have", "had") and words[1] == "been":
            verb = words[2]
        else:
            return False
        return (verb.endswith("ed") or verb in _IRREGULAR_PARTICIPLES) and verb not in _OPEN_PARTICIPLES

    def _force_from(self, before: str) -> bool:
        """ "snipers from", "fighters of": armed men of the party named next."""
        words = before.split()
        return len(words) >= 2 and words[-1] in ("of", "from") and words[-2] in self._of_open

    def _of_owned(self, before: str) -> bool:
        """ "the funeral of a Taliban commander", "the capital of IS": the "of" phrase of a
        noun that is no force names whom the noun belongs to, not who acted."""
        words = before.split()
        return len(words) >= 2 and words[-1] == "of" and words[-2] not in self._of_open

    def _acts(self, after: str) -> bool:
        """The mention is the subject of an act verb in the active voice ("IS fighters
        stormed", "the regime has killed"); "rebels killed in the fighting" is a passive."""
        m = self._agent_after.search(after)
        if not m:
            return False
        rest = after[m.end():].split()
        if rest[:1] == ["at"] and rest[1:2] in (["least"], ["most"]):
            return True  # "killed at least 30"
        return not rest or rest[0] not in _PASSIVE_TAIL

    def _coordinated(self, tk: _Tokens, a: _Hit, b: _Hit) -> bool:
        """Only "and"/"or" (and determiners) stand between two mentions."""
        words = tk.norms[a.last:b.first]
        if not any(w in _CONJ for w in words):
            return False
        if any(_STOP.search(tk.gap(j)) for j in range(a.last - 1, b.first - 1)):
            return False
        return all(w in _CONJ or w in self._skip or w in _CALLED for w in words)

    @staticmethod
    def _described(tk: _Tokens, h: _Hit) -> bool:
        """The mention is a description ("terrorist groups"), not a name: no capital in it."""
        return tk.text[tk.starts[h.first]:tk.ends[h.last - 1]].islower()

    def _appositive(self, tk: _Tokens, a: _Hit, b: _Hit) -> bool:
        """The second mention renames the first: "Daesh (the so-called IS) fighters",
        "al-Qaeda's affiliate, known as the Fatah al-Sham Front"."""
        words = tk.norms[a.last:b.first]
        if len(words) > 3:
            return False
        if "(" in tk.gap(a.last - 1):
            return all(w in self._skip for w in words)
        return "known" in words and all(w in self._skip or w in _RENAMING for w in words)

    def _counted(self, tk: _Tokens, first: int) -> bool:
        """A number stands before the mention: "40 IS fighters", "up to 80 (IS) fighters"."""
        j = first - 1
        while j >= 0 and (tk.norms[j] in self._skip or tk.norms[j] in _COUNT_SKIP) and not tk.norms[j].isdigit():
            j -= 1
        if j < 0 or _STOP.search(tk.gap(j).replace("(", "")):
            return False
        return tk.norms[j].isdigit() or tk.norms[j] in _NUMBER_WORDS

    # --- public API -----------------------------------------------------------------------

    def _mentions(self, role: str, tk: _Tokens, hits: list[_Hit]) -> list[ActorMention]:
        out = []
        for h in hits:
            start, end = tk.starts[h.first], tk.ends[h.last - 1]
            for idx in h.entries:
                out.append(ActorMention(start, end, tk.text[start:end], self._entries[idx].name,
                                        role, h.means))
        return out

    @staticmethod
    def _rank(countries: Sequence[str]) -> dict[str, int]:
        rank: dict[str, int] = {}
        for c in countries:
            rank.setdefault(c.upper(), len(rank))
        return rank

    def _actor_scan(self, text: str, countries: Sequence[str]) -> tuple[_Tokens, list[_Hit]]:
        """Tokens and actor matches of a text; the last text's are kept, because the pipeline
        asks for the actors and then the claimants of the same article."""
        key = (text, tuple(countries))
        last = self._last
        if last is not None and last[0] == key:
            return last[1], last[2]
        tk = (_Tokens.of_tail(text, last[1]) if last is not None else None) or \
            (_Tokens.of_span(text, self._article) if self._article is not None else None)
        if tk is None:
            tk = self._article = _Tokens(text)
        hits = self._scan(ACTOR, tk, self._rank(countries))
        self._last = (key, tk, hits)
        return tk, hits

    def find_actors(self, text: str, countries: Sequence[str] = ()) -> list[ActorMention]:
        """Actor mentions in text order; a coordinated "Syrian or Russian jets" gives one each."""
        tk, hits = self._actor_scan(text, countries)
        return self._mentions(ACTOR, tk, hits)

    def home_countries(self, text: str) -> list[str]:
        """The countries of the national actors a text names (those the dictionary places in
        one country), most named first: where a text names no country, its armed groups and
        forces say where it is ("CPI-Maoist cadres ambushed ..." is India)."""
        tk, hits = self._actor_scan(text, ())
        seen: Counter[str] = Counter()
        for h in hits:
            for idx in h.entries:
                where = self._entries[idx].countries
                if len(where) == 1:
                    seen[where[0]] += 1
        return [c for c, _ in seen.most_common()]

    def find_claimants(self, text: str, countries: Sequence[str] = ()) -> list[ActorMention]:
        """Names of sources. A listener ("told AFP", "speaking to SANA") is not one, and a name
        that is also an actor ("the army", "SDF") counts only next to a verb of saying."""
        tk, actors = self._actor_scan(text, countries)
        hits = self._scan(CLAIMANT, tk, self._rank(countries))
        return self._mentions(CLAIMANT, tk, self._spoken_claimants(tk, hits, actors))

    def _spoken_claimants(self, tk: _Tokens, hits: list[_Hit], actors: list[_Hit]) -> list[_Hit]:
        kept = []
        for h in hits:
            if self._listener_before.search(self._before(tk, h.first)):
                continue
            first = h.first
            if h.last - first > 1 and tk.norms[first] in ("the", "a", "an"):
                first += 1  # "the army": actor aliases drop their article
            if any(a.first < first < a.last for a in actors):
                continue  # the tail of a longer name: "Syrian Army" in "Free Syrian Army"
            is_actor = any(a.first <= first and a.last >= h.last for a in actors)
            if is_actor and not self._spoken(tk, h):
                continue
            kept.append(h)
        return kept

    def perpetrators(self, text: str, countries: Sequence[str] = ()) -> list[str]:
        """The canonical actors a phrase names as doing the act, alternatives kept (see
        :func:`choose_perpetrators`)."""
        return choose_perpetrators(self.roles(text, countries))

    def roles(self, text: str, countries: Sequence[str] = ()) -> list[ActorRole]:
        """Each actor mention of a phrase with the role it plays there, in text order."""
        tk, hits = self._actor_scan(text, countries)
        out = []
        for gi, (group, role) in enumerate(self._groups(tk, hits)):
            for h in group:
                names = [self._entries[i].name for i in h.entries if self._entries[i].perpetrator]
                out.append(ActorRole(tk.starts[h.first], tk.ends[h.last - 1], names, role, gi))
        return out

    def _groups(self, tk: _Tokens, hits: list[_Hit]) -> list[tuple[list[_Hit], str]]:
        """Runs of coordinated mentions with the role of the run: its first member's that is
        not plain ("fighters of X and the so-called Y": both targets; "X and Y stormed": both
        subjects; "X and Y said": both speakers)."""
        out: list[tuple[list[_Hit], list[str]]] = []
        for h in hits:
            role = self._role_in_phrase(tk, h)
            prev = out[-1][0][-1] if out else None
            if prev is not None and self._appositive(tk, prev, h) and \
                    self._described(tk, prev) and not self._described(tk, h):
                # "terrorist groups (Nusra Front)": the name says who the description is
                out[-1][0][-1] = h
                out[-1][1][-1] = role if out[-1][1][-1] == "plain" else out[-1][1][-1]
            elif prev is not None and (self._coordinated(tk, prev, h) or self._appositive(tk, prev, h)):
                out[-1][0].append(h)
                out[-1][1].append(role)
            else:
                out.append(([h], [role]))
        return [(group, next((r for r in roles if r != "plain"), "plain")) for group, roles in out]

    def canonical(self, name: str, countries: Sequence[str] = (), role: str | None = None) -> str | None:
        """Any alias or canonical name -> canonical; None when the dictionary does not know it.

        Without ``role`` a claimant reading wins ("the army" -> "Syrian army", as a source),
        then an actor's, then a generic voice's ("Activists", "activist" -> "activists");
        ``role="actor"`` asks for the actor ("Syrian army" -> "Syrian government forces").
        Context aliases need ``countries``.
        """
        s = re.sub(r"^(?:the|a|an)\s+", "", name.strip().strip("\"'\u201c\u201d "), flags=re.IGNORECASE)
        if not s:
            return None
        # A canonical name is itself first ("Syrian army" the claimant is named so); then
        # aliases, a source's before an actor's unless the caller says which it wants.
        roles = [role] if role else [CLAIMANT, ACTOR, VOICE]
        for r in roles:
            idx = self._by_name[r].get(s.lower())
            if idx is not None:
                return self._entries[idx].name
        tk = _Tokens(s)
        rank = self._rank(countries)
        for r in roles:
            hits = self._scan(r, tk, rank)
            if len(hits) == 1 and hits[0].first == 0 and hits[0].last == tk.n and hits[0].entries:
                return self._entries[hits[0].entries[0]].name
        key = name_key(s)
        if len(key) >= 4:
            for r in roles:
                found = self._lossy[r].get(key)
                if found and len(found) == 1:
                    return self._entries[next(iter(found))].name
        return None

    def fakes_actor(self, canonical: str) -> str:
        """The FA-KES actor value of a canonical actor; "unknown" when it has none."""
        idx = self._by_name[ACTOR].get(canonical.lower())
        if idx is None:
            name = self.canonical(canonical, role=ACTOR)
            idx = self._by_name[ACTOR].get(name.lower()) if name else None
        fakes = self._entries[idx].fakes if idx is not None else None
        return fakes or "unknown"

    def is_perpetrator(self, canonical: str) -> bool:
        """False for actors that are only ever victims ("civilians")."""
        idx = self._by_name[ACTOR].get(canonical.lower())
        return idx is None or self._entries[idx].perpetrator

    def same_side(self, a: str, b: str) -> bool:
        """Whether two canonical actors can be one force's names for one act: the same, or
        one part of the other ("US forces" within the "US-led coalition")."""
        return a.lower() == b.lower() or self.part_of(a, b) or self.part_of(b, a)

    def part_of(self, part: str, whole: str) -> bool:
        """Whether the actor ``part`` fights within ``whole`` (the dictionary's ``part_of``)."""
        i = self._by_name[ACTOR].get(part.lower())
        return i is not None and whole.lower() in self._entries[i].part_of

    def names(self, role: str = ACTOR) -> list[str]:
        """The canonical names of one section, in dictionary order."""
        return [e.name for e in self._entries if e.role == role]


# --- loading ------------------------------------------------------------------------------

def _read_yaml(text: str, where: str) -> dict[str, Any]:
    data = load_yaml(text, Path(where).name) or {}
    if not isinstance(data, dict):
        raise ValueError(f"{where}: the actor dictionary must be a YAML mapping")
    unknown = set(data) - {"means", "heads", "cues", "ignore", *_ENTRY_SECTIONS}
    if unknown:
        raise ValueError(f"{where}: unknown section(s) {sorted(unknown)}")
    for section in _ENTRY_SECTIONS:
        for e in data.get(section) or []:
            _check_entry(e, section, where)
    # YAML 1.1 reads a bare on/off/yes/no as a boolean: a word list must hold only strings.
    lists = [("heads", data.get("heads") or [])]
    for section in ("means", "cues", "ignore"):
        lists += [(f"{section}.{k}", v or []) for k, v in (data.get(section) or {}).items()]
    for label, words in lists:
        bad = [w for w in words if not isinstance(w, str)]
        if bad:
            raise ValueError(f"{where}: {label}: not a string: {bad!r} (quote it)")
    return data


def _check_entry(e: Any, section: str, where: str) -> None:
    if not isinstance(e, dict) or not isinstance(e.get("name"), str) or not e["name"].strip():
        raise ValueError(f"{where}: every {section} entry needs a name: {e!r}")
    bad = set(e) - _ENTRY_KEYS
    if bad:
        raise ValueError(f"{where}: {e['name']}: unknown key(s) {sorted(bad)}")
    if e.get("fakes") is not None and e["fakes"] not in FAKES_ACTORS:
        raise ValueError(f"{where}: {e['name']}: fakes must be one of {FAKES_ACTORS}")
    for key in _LIST_KEYS:
        for item in e.get(key) or []:
            ok = isinstance(item, str) or (isinstance(item, dict) and isinstance(item.get("alias"), str))
            if not ok:
                raise ValueError(f"{where}: {e['name']}: bad {key} item {item!r}")


def _merge(base: dict[str, Any], extra: dict[str, Any]) -> None:
    """Merge an extension into the base: same-name entries gain aliases, new ones append."""
    for kind, nouns in (extra.get("means") or {}).items():
        base["means"].setdefault(kind, []).extend(nouns or [])
    base["heads"].extend(extra.get("heads") or [])
    for k, words in (extra.get("cues") or {}).items():
        base["cues"].setdefault(k, []).extend(words or [])
    for k, names in (extra.get("ignore") or {}).items():
        base["ignore"].setdefault(k, []).extend(names or [])
    for section in _ENTRY_SECTIONS:
        index = {e["name"].lower(): e for e in base[section]}
        for e in extra.get(section) or []:
            old = index.get(e["name"].lower())
            if old is None:
                e = dict(e)
                base[section].append(e)
                index[e["name"].lower()] = e
                continue
            for key in _LIST_KEYS:
                if e.get(key):
                    have = list(old.get(key) or [])
                    old[key] = have + [x for x in e[key] if x not in have]
            for key in ("fakes", "perpetrator", "name_is_alias"):
                if key in e:
                    old[key] = e[key]


def _bundled_text() -> str:
    return (resources.files("sitrep.knowledge") / "actors.yaml").read_text(encoding="utf-8")


@functools.lru_cache(maxsize=8)
def _load_cached(paths: tuple[str, ...]) -> ActorDictionary:
    data = _read_yaml(_bundled_text(), "actors.yaml")
    for key in ("means", "cues", "ignore"):
        data[key] = dict(data.get(key) or {})
    for key in ("heads", *_ENTRY_SECTIONS):
        data[key] = list(data.get(key) or [])
    for k in _CUE_KEYS:
        data["cues"].setdefault(k, [])
    for p in paths:
        _merge(data, _read_yaml(Path(p).read_text(encoding="utf-8"), p))
    return ActorDictionary(data)


# --- the export codes of the canonical actors (knowledge/export_codes.yaml) ------------------

@functools.lru_cache(maxsize=1)
def export_codes() -> dict[str, Any]:
    """``knowledge/export_codes.yaml``: the export formats' codes of our actors and countries."""
    text = (resources.files("sitrep.knowledge") / "export_codes.yaml").read_text(encoding="utf-8")
    return load_yaml(text, "export_codes.yaml") or {}


@functools.lru_cache(maxsize=1)
def _acled_patterns() -> tuple[tuple[re.Pattern[str], str], ...]:
    out = []
    for canonical, entry in (export_codes().get("actors") or {}).items():
        spec = (entry or {}).get("acled")
        names = [spec] if isinstance(spec, str) else [
            p if isinstance(p, str) else p["name"] for p in (spec or [])]
        for name in names:
            pattern = re.escape(name.lower()).replace(re.escape("{country}"), ".+")
            out.append(("{country}" in name, re.compile(pattern), canonical))
    # a name of its own ("Islamic State (Sahel)") before a country pattern ("Islamic State (...)")
    return tuple((p, c) for _, p, c in sorted(out, key=lambda t: t[0]))


def from_acled_name(name: str) -> str | None:
    """Our canonical actor for one of ACLED's actor names the export codes give ("Military
    Forces of Ukraine (2019-)" -> "Ukrainian forces"); None when they give none."""
    low = " ".join(name.split()).lower()
    return next((canonical for pattern, canonical in _acled_patterns() if pattern.fullmatch(low)), None)


@functools.lru_cache(maxsize=1)
def _kinds() -> dict[str, str]:
    return {name.lower(): (entry or {}).get("kind", "militia")
            for name, entry in (export_codes().get("actors") or {}).items()}


def actor_kind(name: str | None) -> str | None:
    """The kind of a canonical actor (state, coalition, rebel, militia, identity, civilians)
    where the export codes know it."""
    return _kinds().get(name.lower()) if name else None
