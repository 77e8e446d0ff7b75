"""Capitals restored where a text's own casing says nothing: all lower case or all capitals.

The finders after this one read capitals: a place is a run of capitalised words, "IS" is the
group and "is" the verb, "May 3" a date and "may" a verb. A text typed all in lower case (or
shouted all in capitals) gives them nothing, so this component writes the capitals a cased
English text would carry where our knowledge says a word is a name:

* names the knowledge layer lists with their capitals (``knowledge/casing.py``): actors,
  claimants, sources, countries and demonyms, months and weekdays ("may" and "march" only
  beside a date or after "in", "since"...);
* acronyms whose lower-case twin is an English word ("us", "is", "un") only where that word
  cannot stand: after "the", before "-led", before a force or speaker noun ("is fighters",
  "un officials"), beside a speech verb, alone in brackets;
* gazetteer names of the article's countries written with a word English does not have
  ("idlib", "khan sheikhoun"); a name of English words only when a noun and nothing else
  names a large place, a division or one we curate ("aleppo", "gaza strip"), never "war",
  "hope" or "police"; small places only after a cue ("in", "near", "province");
* any other word English does not have (in news nineteen of twenty are names: people,
  villages, groups no list has), initials and vowel-less acronyms in capitals;
* sentence starts, the story's first word after a printed date, and "I".

Whether a word is English is read from the WordNet lemma lists of spaCy's model and our own
lexicons (``knowledge/english.py``). Only letters change case: the text keeps its length and
every offset, so evidence spans stay valid, and the pipeline writes the original characters
into the records (``restore_evidence``).
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Callable, Sequence

from ..knowledge.casing import TOKEN, CaseKnowledge, knowledge, letters, word_key
from ..knowledge.gazetteer import KINDS, GazetteerIndex, plain_name
from ..knowledge.names import spelling_key
from ..records import Incident

# n-grams and names recur across texts
_spelling_key = functools.lru_cache(maxsize=65536)(spelling_key)
_plain_name = functools.lru_cache(maxsize=65536)(plain_name)

# ---------------------------------------------------------------------------------------------
# Is the casing informative?

_UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_LOWER = _UPPER.lower()


def _count(text: str, letters: str) -> int:
    """How many of the text's characters are among ``letters``: a count per letter, not a
    list of every letter found (every article is asked)."""
    return sum(map(text.count, letters))

# the first letter of a sentence: at the start, after an end mark, after a line break
_START = re.compile(r"(?:^|[.!?][\"'\u201d\u2019)\]]*\s+|\n\s*)[\"'\u201c\u2018(\[]*([^\W\d_])")


def caseless(text: str) -> str | None:
    """"lower" or "upper" where the text's casing carries no information, else None.

    Cased English has a capital every sentence or so (1-10 % of its letters) and starts its
    sentences with one; a text typed in lower case has (almost) no capitals and lower-case
    sentence starts, a shouted one (almost) no lower-case letters.
    """
    up, low = _count(text, _UPPER), _count(text, _LOWER)
    if up + low < 4:
        return None
    if low <= 0.1 * (up + low):
        return "upper"
    if up > 0.02 * (up + low):
        return None
    starts = [m.group(1) for m in _START.finditer(text)]
    if not starts:
        return "lower" if up <= 0.005 * (up + low) else None
    return "lower" if sum(c.islower() for c in starts) >= 0.75 * len(starts) else None


# ---------------------------------------------------------------------------------------------
# What only recasing uses

_AMBIGUOUS_MONTHS = ("May", "March")  # also a verb and a noun: only beside a date or a cue
# abbreviations ("sun 16 apr 2017", "jun 06 2016"): only beside a date's numbers
_ABBREVIATED = ("Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug", "Sep", "Sept", "Oct", "Nov", "Dec",
                "Mon", "Tue", "Tues", "Wed", "Thu", "Thur", "Thurs", "Fri", "Sat", "Sun")
# words that, right before a month, make it one: "in may", "since march", "early may"
_MONTH_BEFORE = frozenset(("in", "since", "until", "till", "early", "late", "mid", "last", "next",
                           "this", "from", "between", "through", "during", "of"))
# words right before a name that make a place of it: "in x", "near x", "outside x"
_PLACE_BEFORE = frozenset(("in", "near", "at", "from", "to", "into", "of", "outside", "around",
                           "towards", "toward", "across", "between", "via", "through", "nearby",
                           "inside", "on", "and", "outskirts", "around", "entered", "captured",
                           "recaptured", "seized", "retook", "besieged", "shelled", "struck",
                           "hit", "bombed", "targeted", "stormed", "liberated"))
# abbreviations whose full stop ends no sentence
_ABBREVIATIONS = frozenset(("mr", "mrs", "ms", "dr", "gen", "lt", "col", "st", "sgt", "capt", "maj",
                            "brig", "prof", "rev", "no", "vs", "approx", "gov", "sen", "rep"))
_BIG = 100_000  # a place abroad, or one named by English words, must be this large
_METROPOLIS = 1_000_000  # ... and one abroad named by an English noun ("hub" is a city too)
_TOWN = 20_000  # a place at home this large needs no cue


# ---------------------------------------------------------------------------------------------
# Recasing one text


@dataclass
class _Tok:
    start: int
    end: int
    key: str
    free: bool  # written all in lower case here: its case may be set


class _Text:
    """One text being recased: its words and the characters written so far."""

    def __init__(self, base: str, kb: CaseKnowledge):
        self.base = base
        self.kb = kb
        self.out = list(base)
        # letters glued to a number ("23rd", "5km") keep their case
        self.toks = [_Tok(m.start(), m.end(), word_key(m.group()),
                          m.group().islower() and not base[m.start() - 1:m.start()].isdigit())
                     for m in TOKEN.finditer(base)]
        self.claimed = [False] * len(self.toks)

    def fork(self) -> "_Text":
        """A copy to write on, sharing the words."""
        other = object.__new__(_Text)
        other.base, other.kb, other.toks = self.base, self.kb, self.toks
        other.out, other.claimed = list(self.out), list(self.claimed)
        return other

    def word(self, i: int) -> str:
        t = self.toks[i]
        return self.base[t.start:t.end]

    def key(self, i: int) -> str:
        return self.toks[i].key if 0 <= i < len(self.toks) else ""

    def gap(self, i: int) -> str:
        """What stands between word i and word i+1."""
        if not 0 <= i < len(self.toks) - 1:
            return "."
        return self.base[self.toks[i].end:self.toks[i + 1].start]

    def joined(self, i: int) -> bool:
        g = self.gap(i)
        return g in (" ", "-", "\u2010", "\u2011") or (g.isspace() and len(g) <= 2 and "\n" not in g)

    def english(self, i: int) -> bool:
        return self.kb.is_english(self.toks[i].key)

    def set_case(self, i: int, form: str) -> None:
        """Word i takes the capitals of ``form`` (letter for letter where they have as many)."""
        t = self.toks[i]
        if not t.free:
            return
        pos = [p for p in range(t.start, t.end) if self.base[p].isalpha()]
        want = letters(form)
        if len(want) == len(pos) - (1 if self.word(i).lower().endswith(("'s", "\u2019s")) else 0):
            for p, c in zip(pos, want):
                if c.isupper():
                    self.out[p] = _upper(self.base[p])
        elif want[:1].isupper() and pos:
            self.out[pos[0]] = _upper(self.base[pos[0]])

    def capitalise(self, i: int) -> None:
        t = self.toks[i]
        if t.free:
            self.out[t.start] = _upper(self.base[t.start])

    def text(self) -> str:
        return "".join(self.out)


def _upper(c: str) -> str:
    u = c.upper()
    return u if len(u) == 1 else c


def _lower(c: str) -> str:
    lo = c.lower()
    return lo if len(lo) == 1 else c


def _known_phrases(tx: _Text) -> None:
    kb = tx.kb
    i, n = 0, len(tx.toks)
    while i < n:
        k = tx.key(i)
        longest = kb.longest.get(k, 0)
        if not longest and k.endswith("s"):
            longest = kb.longest.get(k[:-1], 0)
        found = 0
        for m in range(min(longest, n - i), 0, -1):
            if any(not tx.joined(j) for j in range(i, i + m - 1)):
                continue
            keys = tuple(tx.key(j) for j in range(i, i + m))
            form = kb.phrases.get(keys)
            if form is None and keys[-1].endswith("s"):  # "isils", "assads"
                form = kb.phrases.get(keys[:-1] + (keys[-1][:-1],))
            if form is not None:
                for j, w in zip(range(i, i + m), form):
                    tx.set_case(j, w)
                    tx.claimed[j] = True
                found = m
                break
        i += found or 1


def _acronyms(tx: _Text) -> None:
    """Acronyms whose twin is an English word, where the word cannot stand: "u.s.", "the us"
    (but "the car" only as in "the car said"), "us-led", "is fighters", "(who)"; one whose
    twin is only a noun also beside a speech verb ("afp reported", "told afp")."""
    kb = tx.kb
    for i, t in enumerate(tx.toks):
        form = kb.acronyms.get(t.key)
        if form is None or tx.claimed[i]:
            continue
        hyphen = tx.gap(i) in ("-", "\u2010", "\u2011")
        after_the = tx.key(i - 1) == "the" and tx.joined(i - 1)
        speaks = tx.joined(i) and tx.key(i + 1) in kb.speech_verbs
        noun = kb.english.noun_only(t.key)
        spoken_to = tx.joined(i - 1) and tx.key(i - 1) in kb.speech_verbs
        cue = "." in tx.word(i) or (after_the and (speaks or not noun)) or (noun and (speaks or spoken_to)) or \
            (hyphen and tx.key(i + 1) in kb.cue_hyphen) or \
            (tx.joined(i) and not hyphen and tx.key(i + 1) in kb.cue_nouns) or \
            (tx.base[t.start - 1:t.start] == "(" and tx.base[t.end:t.end + 1] == ")")
        if cue:
            tx.set_case(i, form)
            tx.claimed[i] = True


_DAY_OR_YEAR = re.compile(r"\s+(?:\d{1,2}(?:st|nd|rd|th)?|\d{4})\b")
_DAY_BEFORE = re.compile(r"\b\d{1,2}(?:st|nd|rd|th)?\s+$")


_CALENDAR = {w.lower(): w for w in _AMBIGUOUS_MONTHS + _ABBREVIATED}


def _ambiguous_calendar(tx: _Text) -> None:
    """"may 3", "3 may", "in may" (not "may be"); "jun 06", "sun 16 apr"."""
    for i, t in enumerate(tx.toks):
        form = _CALENDAR.get(t.key)
        if form is None or tx.claimed[i]:
            continue
        dated = _DAY_OR_YEAR.match(tx.base, t.end) or _DAY_BEFORE.search(tx.base[max(0, t.start - 8):t.start])
        cued = form in _AMBIGUOUS_MONTHS and tx.key(i - 1) in _MONTH_BEFORE and tx.joined(i - 1) and \
            not (tx.joined(i) and tx.key(i + 1) in ("be", "have", "not", "also", "well"))
        if dated or cued:
            tx.set_case(i, form)
            tx.claimed[i] = True


# -- gazetteer names ------------------------------------------------------------------------


def _place_case(tx: _Text, i: int, m: int) -> None:
    """A place name's capitals: every word, but the particles inside it ("Deir ez-Zor")."""
    for j in range(i, i + m):
        if j == i or tx.key(j) not in tx.kb.particles:
            tx.capitalise(j)
        tx.claimed[j] = True


def _cued(tx: _Text, i: int, m: int) -> bool:
    """A place cue next to words i..i+m: "in x", "x province", "the town of x"."""
    kb = tx.kb
    before = tx.key(i - 1) if i > 0 and tx.joined(i - 1) else ""
    after = tx.key(i + m) if tx.joined(i + m - 1) else ""
    return before in _PLACE_BEFORE or before in kb.place_nouns or after in kb.place_nouns or \
        (before == "of" and tx.key(i - 2) in kb.place_nouns)


def _place_ok(tx: _Text, index: GazetteerIndex, i: int, m: int, home: set[str]) -> bool:
    """Whether words i..i+m name a gazetteer place of ``home`` (or a large one abroad)."""
    kb = tx.kb
    keys = [tx.key(j) for j in range(i, i + m)]
    words = [k for k in keys if k not in kb.particles]
    if not words:
        return False
    surface = tx.base[tx.toks[i].start:tx.toks[i + m - 1].end]
    if surface.endswith(("'s", "\u2019s")):
        surface = surface[:-2]  # "istanbul's"
    ids = index.ids(index.by_spelling, _spelling_key(surface))
    if not ids:
        return False
    english_words = all(kb.is_english(w) for w in words)
    plain = _plain_name(surface)
    for e in ids:
        kind, cc, pop, curated = KINDS[index.kind[e]], index.country[e], index.population[e], index.curated[e]
        written = plain == _plain_name(index.name[e])
        if kind == "country":
            ok = index.country_alias.get(plain) == cc
            strong = big = ok
        elif kind == "admin1":
            ok, strong, big = cc in home, True, True
        else:
            ok = cc in home or (written and pop >= _BIG)
            strong = bool(curated) or pop >= _TOWN
            big = bool(curated) or pop >= (_BIG if cc in home else _METROPOLIS)
        if not ok:
            continue
        if english_words:
            # "aleppo", "palmyra", "gaza strip": named as the place is, by a noun that is
            # nothing else (all of a single word), never "war", "hope", "white house"
            nouns = [kb.english.noun_only(w) for w in words]
            if written and big and (all(nouns) if len(words) == 1 else any(nouns)):
                return True
            continue
        if strong or _cued(tx, i, m):
            return True
    return False


def _gazetteer_names(tx: _Text, index: GazetteerIndex, countries: Sequence[str]) -> None:
    kb = tx.kb
    # with no country named, the countries at war our knowledge covers
    home = set(countries) or {cc for cc, _ in index.admin1_entry}
    n = len(tx.toks)
    keys = [t.key for t in tx.toks]
    open_ = [t.free and not c for t, c in zip(tx.toks, tx.claimed)]
    particle = [k in kb.particles for k in keys]
    stop = [k in kb.english.stop and not p for k, p in zip(keys, particle)]
    joined = [tx.joined(j) for j in range(n)]
    # a span of English words that are more than nouns ("killed", "the war") names no place
    # this step may write: worth no lookup
    namish = [not kb.is_english(k) or kb.english.noun_only(k) for k in keys]
    i = 0
    while i < n:
        found = 0
        if open_[i] and not stop[i]:
            for m in range(min(4, n - i), 0, -1):
                last = i + m - 1
                if not all(open_[i:i + m]) or not all(joined[i:last]) or any(stop[i:i + m]) or \
                        particle[last] or not any(namish[i:i + m]) or \
                        (m > 1 and keys[last] in kb.place_nouns) or \
                        tx.toks[last].end - tx.toks[i].start < 3:
                    continue
                if _place_ok(tx, index, i, m, home):
                    _place_case(tx, i, m)
                    for j in range(i, i + m):
                        open_[j] = False
                    found = m
                    break
        i += found or 1


def _unknown_after_cue(tx: _Text) -> None:
    """"the village of x": a word no English lexicon has, after a settlement noun, is its name."""
    kb = tx.kb
    for i in range(2, len(tx.toks)):
        if tx.key(i - 1) != "of" or tx.key(i - 2) not in kb.settlement_nouns or \
                not (tx.joined(i - 2) and tx.joined(i - 1)):
            continue
        m = 1
        while m < 3 and i + m < len(tx.toks) and tx.joined(i + m - 1) and \
                (tx.key(i + m - 1) in kb.prefixes or tx.key(i + m - 1) in kb.particles or
                 tx.key(i + m) in kb.particles):
            m += 1
        while m > 1 and tx.key(i + m - 1) in kb.particles:
            m -= 1
        span = range(i, i + m)
        if any(tx.claimed[j] or not tx.toks[j].free for j in span):
            continue
        if all(tx.english(j) and tx.key(j) not in kb.prefixes for j in span) or tx.english(i + m - 1):
            continue
        _place_case(tx, i, m)


def _unknown_words(tx: _Text) -> None:
    """A word neither English nor ours is a name: in cased news nineteen of twenty such words
    carry a capital (people, places, groups no list has: "qatrji", "abdel"). Initials
    ("s.r.p.") and short words without a vowel ("drg", "crpf") are acronyms: all capitals."""
    for i, t in enumerate(tx.toks):
        if not t.free or tx.claimed[i] or len(t.key) < 2 or tx.english(i):
            continue
        if t.key in _ABBREVIATIONS:
            tx.capitalise(i)  # "dr", "st": a title or a saint, not an acronym
        elif "." in tx.word(i) or (len(t.key) <= 5 and not re.search(r"[aeiou]", t.key)):
            tx.set_case(i, t.key.upper())
        elif len(t.key) >= 3:
            tx.capitalise(i)


_SENTENCE_END = re.compile(r"[.!?][\"'\u201d\u2019)\]]*\s+|\n\s*")


_LEAD = re.compile(r"[\"'\u201c\u2018(\[\s]*")


def _sentence_starts(tx: _Text) -> None:
    """The first word of each sentence (past opening quotes, not past a number), and "I"."""
    firsts = {_LEAD.match(tx.base, s).end() for s in
              [0] + [m.end() for m in _SENTENCE_END.finditer(tx.base)]}
    for i, t in enumerate(tx.toks):
        if t.key == "i" and tx.word(i) == "i":
            tx.capitalise(i)
        if t.start not in firsts:
            continue
        if i and tx.key(i - 1) in _ABBREVIATIONS | {"us", "un", "uk"} and tx.gap(i - 1).startswith("."):
            continue  # "dr. smith", "the u.s. military"
        if i and "." in tx.word(i - 1) and tx.gap(i - 1).startswith(" "):
            continue
        tx.capitalise(i)


def recase(text: str, mode: str, kb: CaseKnowledge, index: GazetteerIndex | None,
           countries: Sequence[str] = ()) -> str:
    """``text`` with the capitals restored; ``mode`` as :func:`caseless` says."""
    return _finish(_known(text, mode, kb), index, countries)


def _known(text: str, mode: str, kb: CaseKnowledge) -> _Text:
    """The first steps, which need no context: names, acronyms and dates our lists know."""
    if mode == "upper":
        # an all-capitals word becomes lower case first; a word the writer cased stays
        chars = list(text)
        for m in re.finditer(r"[^\W\d_]+", text):
            w = m.group()
            if w.isupper():
                chars[m.start():m.end()] = [_lower(c) for c in w]
        text = "".join(chars)
    tx = _Text(text, kb)
    _known_phrases(tx)
    _acronyms(tx)
    _ambiguous_calendar(tx)
    return tx


def _finish(tx: _Text, index: GazetteerIndex | None, countries: Sequence[str]) -> str:
    """The steps after: the gazetteer's names of ``countries``, unknown words, sentences."""
    if index is not None:
        _gazetteer_names(tx, index, countries)
    _unknown_after_cue(tx)
    _unknown_words(tx)
    _sentence_starts(tx)
    out = tx.text()
    assert len(out) == len(tx.base)
    return out


def recase_article(title: str | None, text: str, index: GazetteerIndex,
                   countries_of: Callable[[str], list[str]]) -> tuple[str | None, str] | None:
    """The title and text recased, or None where the text's casing is informative.

    Two passes: the first restores what needs no context (known names, sentence starts), so
    that ``countries_of`` finds the article's countries; the second adds the gazetteer's
    names of those countries."""
    mode = caseless(text) or (caseless(title) if title and not text.strip() else None)
    if mode is None:
        return None
    kb = knowledge(index)
    title_mode = caseless(title) if title else None
    head = _known(title, title_mode, kb) if title and title_mode else None
    body = _known(text, mode, kb)
    t1 = _finish(head.fork(), None, ()) if head else title
    countries = countries_of((t1 or "") + "\n" + _finish(body.fork(), None, ()))
    t2 = _finish(head, index, countries) if head else title
    return t2, _story_start(_finish(body, index, countries), text, title)


def _story_start(text: str, original: str, title: str | None) -> str:
    """The story's first word after a printed date ("monday 21 apr 2014 dozens of people")
    starts a sentence. The date is read as the readers read it, in lower case: page
    furniture before it ("ngo afp") has no capitals to be told by."""
    from ..ingest.datelines import find_dateline

    head = original.lower()
    found = find_dateline(head, title.lower() if title else None) if len(head) == len(text) else None
    if not found:
        return text
    m = re.compile(r"[\s,.:;\-\u2013\u2014|]*([a-z])").match(text, found[2])
    if m is None:
        return text
    return text[:m.start(1)] + m.group(1).upper() + text[m.end(1):]


# ---------------------------------------------------------------------------------------------
# The records keep the text as it was written


def restore_evidence(incidents: list[Incident], original: str, recased: str) -> None:
    """Evidence and count phrases as the original text writes them (same offsets)."""
    for inc in incidents:
        for claim in inc.claims:
            for ev in claim.evidence:
                ev.text = original[ev.start:ev.end]
            for counts in (claim.killed, claim.injured):
                for c in counts.values():
                    if not c.text:
                        continue
                    at = -1
                    for ev in claim.evidence:
                        k = recased.find(c.text, ev.start, ev.end)
                        if k >= 0:
                            at = k
                            break
                    if at < 0:
                        at = recased.find(c.text)
                    if at >= 0:
                        c.text = original[at:at + len(c.text)]
