"""Casualty figures: numbers, their qualifiers, and the victims they count.

``parse_number`` reads a number as written ("1,400", "1400", "twenty-one", "a dozen");
``parse_count`` reads a quantity phrase into the spec's Count (low / best / high);
``find_figures`` finds, in one clause, the figures of killed and injured people with their
victim category and article offsets.

The finder works on tokens, left to right, in three steps: quantity phrases with the victim
noun they count ("at least 30 Islamic State fighters"); groups of figures that describe one
victim set ("48 civilians ... including 9 children"); and, per group, the casualty
predicate that gives the outcome ("were killed", "killing", "the death toll reached"). The
words live in ``knowledge/lang/en/victims.yaml``; the code holds only the grammar.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Iterable

from ..knowledge.caseless import fold, folded
from ..knowledge.lang import lexicon
from ..records import Count

__all__ = ["Figure", "find_figures", "parse_count", "parse_number"]


# --- lexicon ---------------------------------------------------------------------------------

_LEX: dict[str, Any] = lexicon("victims")


class _Phrases:
    """Multi-word phrases looked up by their first (or last) word, longest first."""

    def __init__(self, items: Iterable[tuple[str, Any]]):
        self.by_first: dict[str, list[tuple[tuple[str, ...], Any]]] = {}
        self.by_last: dict[str, list[tuple[tuple[str, ...], Any]]] = {}
        for phrase, value in items:
            words = tuple(phrase.lower().split())
            self.by_first.setdefault(words[0], []).append((words, value))
            self.by_last.setdefault(words[-1], []).append((words, value))
        for table in (self.by_first, self.by_last):
            for lst in table.values():
                lst.sort(key=lambda x: -len(x[0]))

    def match(self, words: list[str], i: int) -> tuple[int, Any] | None:
        """(length, value) of the longest phrase starting at words[i]."""
        if i >= len(words):
            return None
        for phrase, value in self.by_first.get(words[i], ()):
            n = len(phrase)
            if tuple(words[i:i + n]) == phrase:
                return n, value
        return None

    def match_ending(self, words: list[str], k: int) -> tuple[int, Any] | None:
        """(length, value) of the longest phrase ending at words[k] (inclusive)."""
        if k < 0:
            return None
        for phrase, value in self.by_last.get(words[k], ()):
            n = len(phrase)
            if k - n + 1 >= 0 and tuple(words[k - n + 1:k + 1]) == phrase:
                return n, value
        return None


def _words(items: Iterable[str]) -> frozenset[str]:
    return frozenset(w.lower() for w in items)


_PLURAL: dict[str, str] = {}
_SINGULAR: dict[str, str] = {}
for _cat, _forms in _LEX["nouns"].items():
    for _w in _forms.get("plural", []):
        _PLURAL[_w.lower()] = _cat
    for _w in _forms.get("singular", []):
        _SINGULAR[_w.lower()] = _cat
_BY_WORK_HEADS = frozenset(w.lower().split()[-1] for forms in _LEX["civilians_by_work"].values() for w in forms)
for _w in _LEX["civilians_by_work"]["plural"]:
    _PLURAL[_w.lower()] = "civilians"
for _w in _LEX["civilians_by_work"]["singular"]:
    _SINGULAR[_w.lower()] = "civilians"
# Nouns of several words ("civil defence workers"): their category beats their last word's
_COMPOUNDS = _Phrases([(w, c) for w, c in (*_PLURAL.items(), *_SINGULAR.items()) if " " in w])
_UNARMED = _words(_LEX["unarmed_members"])
_AMBIGUOUS_NOUNS = _words(_LEX["ambiguous_nouns"])
_INHERENT: dict[str, str] = {w.lower(): out for out, ws in _LEX["inherent"].items() for w in ws}
_ANAPHORS = _words(_LEX["anaphors"])
_MEMBER_NOUNS = frozenset({"members", "member", "leaders", "leader"})

# predicate tables: value = (outcome, flag) with flag "" | "noun" | "comb"
_after_items: list[tuple[str, tuple[str, str]]] = []
_before_items: list[tuple[str, tuple[str, str]]] = []
for _out, _p in _LEX["predicates"].items():
    _after_items += [(w, (_out, "")) for w in _p.get("after", [])]
    _before_items += [(w, (_out, "")) for w in _p.get("before", [])]
    _before_items += [(w, (_out, "noun")) for w in _p.get("noun_only", [])]
    _after_items += [(w, (_out, "comb")) for w in _p.get("combatants_only", [])]
    _before_items += [(w, (_out, "comb")) for w in _p.get("combatants_only", [])]
_PRED_AFTER = _Phrases(_after_items)
_PRED_BEFORE = _Phrases(_before_items)
# one-word predicates ("killed", "wounding"); the first words of longer ones ("lost their
# lives", "among the dead") only end a noun phrase
_PRED_WORDS = frozenset(p for p, _ in _after_items + _before_items if " " not in p)
_PRED_FIRST = frozenset(p.split()[0] for p, _ in _after_items + _before_items)
_GLUE = _words(_LEX["predicate_glue"])
_BEFORE_GLUE = _words(_LEX["before_glue"])
_BLOCKERS = _words(_LEX["blockers"])
_DESCRIPTIVE = _words(_LEX["descriptive_participles"])
_CLAUSE_STOPS = _words(_LEX["clause_stops"])
_SUBSET_GAPS = frozenset(tuple(c.lower().split()) for c in _LEX["subset_connectors"])
_SUPERSET_GAPS = frozenset(tuple(c.lower().split()) for c in _LEX["superset_connectors"])
_TOLL_WORDS = _words(_LEX["toll_words"])
_TOLL_LINKS = _words(_LEX["toll_links"])
_QUALIFIERS = _Phrases((q, kind) for kind, qs in _LEX["qualifiers"].items() for q in qs)
_VAGUE = _Phrases((k, int(v)) for k, v in _LEX["vague"].items())
_CUMULATIVE = [re.compile(p, re.IGNORECASE) for p in _LEX["cumulative_patterns"]]
_NOT_CUMULATIVE = re.compile(_LEX["cumulative_exception"], re.IGNORECASE)
_CUMULATIVE_MIN = int(_LEX.get("cumulative_min", 10000))
_CUMULATIVE_REACH = 100  # characters between a marker and the figure it dates

# --- grammar (English, not domain knowledge) -------------------------------------------------

_UNITS = {w: i for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen".split())}
_TENS = {w: 10 * (i + 2) for i, w in enumerate(
    "twenty thirty forty fifty sixty seventy eighty ninety".split())}
_SCALES = {"hundred": 100, "thousand": 1000, "million": 1_000_000, "billion": 1_000_000_000}
# The words a quantity may start with (beside digits and "forty-three"), as one set: every
# word of every clause is asked
_QUANTITY_FIRST = frozenset([*_QUALIFIERS.by_first, *_VAGUE.by_first, *_UNITS, *_SCALES,
                             "a", "an", "half", "between"])
_MONTHS = frozenset(
    "january february march april may june july august september october november december "
    "jan feb mar apr jun jul aug sep sept oct nov dec".split())
_WEEKDAYS = frozenset(
    "monday tuesday wednesday thursday friday saturday sunday mondays tuesdays wednesdays "
    "thursdays fridays saturdays sundays".split())
_FUNCTION = frozenset(
    "a an the this that these those its their his her our my your in on at near across during "
    "after since when as while from with by including among amongst and or but to into onto "
    "of for against inside outside around between over under within without throughout "
    "north south east west northern southern eastern western yesterday today tonight "
    "overnight last earlier later also more others it they he she we who which whom whose "
    "were was is are be been being have has had will would could may might said says "
    "according there here not no".split())
_ALLOWED_AFTER_BARE = _FUNCTION | _WEEKDAYS | _PRED_FIRST | _GLUE | _BLOCKERS | _ANAPHORS
_CURRENCY = frozenset("$ £ € us$ usd dollars".split())
_TIME_AFTER = frozenset("am pm gmt utc hrs o'clock % percent per".split())
_COMMA_FREE_YEAR = re.compile(r"^(?:19|20)\d\d$")
_DIGITS = re.compile(r"^(?:\d{1,3}(?:,\d{3})+|\d+)$")
_DECIMAL = re.compile(r"^\d+\.\d+$")
_RANGE_TOKEN = re.compile(r"^(\d+)-(\d+)$")
_PLUS_TOKEN = re.compile(r"^(\d[\d,]*)-(?:plus|odd)$")
_TOKEN = re.compile(r"(?:\d{1,3}(?:,\d{3})+(?!\d)|\d+)(?:\.\d+)?(?:-\w+)*"  # 1,400 / 10-15
                    r"|\w+(?:['\u2019\-]\w+)*|[^\w\s]")
_KILLED_PARTICIPLES = frozenset({"killed", "wounded", "injured", "dead"})
_DETERMINERS = frozenset("the its their his her those these them whom".split())
_WERE = frozenset({"were", "are", "was"})
_QUOTES = frozenset({'"', "\u201c", "\u201d", "'", "\u2019"})


# --- numbers ---------------------------------------------------------------------------------

def _number_at(words: list[str], i: int) -> tuple[int, int] | None:
    """(value, end) of the number written from words[i], digits or words."""
    n = len(words)
    if i >= n:
        return None
    w = words[i]
    if _DIGITS.match(w) or _DECIMAL.match(w):
        value: float = float(w.replace(",", ""))
        j = i + 1
        while len(w) <= 3 and j < n and len(words[j]) == 3 and words[j].isdigit() and value < 1000:
            value = value * 1000 + int(words[j])  # "1 000": thousands set apart by a space
            j += 1
        if j < n and words[j] in _SCALES:
            value *= _SCALES[words[j]]
            j += 1
        elif _DECIMAL.match(w):
            return None  # 1.7 alone is a measure, not a head count
        return int(value), j
    total = 0
    current = 0
    seen = False
    j = i
    if w in ("a", "an"):
        if i + 1 < n and words[i + 1] == "dozen":
            return 12, i + 2
        if i + 1 < n and words[i + 1] in _SCALES:
            return _SCALES[words[i + 1]], i + 2
        return None
    if w == "half" and words[i + 1:i + 3] == ["a", "dozen"]:
        return 6, i + 3
    while j < n:
        t = words[j]
        parts = t.split("-")
        if all(p in _UNITS or p in _TENS for p in parts) and len(parts) <= 2:
            v = sum(_UNITS.get(p, 0) + _TENS.get(p, 0) for p in parts)
            if seen and current % 100 and not (current % 10 == 0 and current % 100 >= 20 and v < 10):
                break  # "five six" is two numbers, not one
            current += v
            seen = True
        elif t in _SCALES and (seen or j == i):
            current = max(current, 1) * _SCALES[t]
            if _SCALES[t] >= 1000:
                total += current
                current = 0
            seen = True
        elif t == "dozen" and seen:
            current = max(current, 1) * 12
        elif t == "and" and seen and j > i and words[j - 1] in _SCALES and j + 1 < n and \
                all(p in _UNITS or p in _TENS for p in words[j + 1].split("-")):
            pass  # "one hundred and twenty"
        else:
            break
        j += 1
    if not seen:
        return None
    return total + current, j


def parse_number(words: str) -> int | None:
    """The number written in ``words`` ("14", "1,400", "twenty-one", "a dozen"), else None."""
    toks = [m.group(0).lower() for m in _TOKEN.finditer(words)]
    if not toks:
        return None
    if len(toks) == 1:
        m = _PLUS_TOKEN.match(toks[0])
        if m:
            return int(m.group(1).replace(",", ""))
    got = _number_at(toks, 0)
    if got is None or got[1] != len(toks):
        return None
    return got[0]


@dataclass
class _Quantity:
    i: int  # first token
    j: int  # one past the last token
    low: int | None
    best: int | None
    high: int | None
    qualified: bool
    one: bool = False  # "a", "an", "one", "another": a single victim


def _quantity_at(words: list[str], raw: list[str], i: int) -> _Quantity | None:
    """The quantity phrase (qualifier + number or vague word) starting at words[i]."""
    n = len(words)
    kind = None
    k = i
    q = _QUALIFIERS.match(words, k)
    if q is not None:
        kind = q[1]
        k += q[0]
    if k >= n:
        return None
    low = best = high = None
    if words[k] == "between":
        a = _number_at(words, k + 1)
        if a and a[1] < n and words[a[1]] == "and":
            b = _number_at(words, a[1] + 1)
            if b and b[0] > a[0]:
                return _checked(words, raw, _Quantity(i, b[1], a[0], a[0], b[0], True))
        return None
    vague = _VAGUE.match(words, k)
    if vague is not None:
        j = k + vague[0]
        return _checked(words, raw, _Quantity(i, j, vague[1], None, None, kind is not None))
    tok = words[k]
    m = _RANGE_TOKEN.match(tok)
    if m and int(m.group(2)) > int(m.group(1)):
        return _checked(words, raw, _Quantity(i, k + 1, int(m.group(1)), int(m.group(1)),
                                              int(m.group(2)), True))
    m = _PLUS_TOKEN.match(tok)
    if m:
        v = int(m.group(1).replace(",", ""))
        if tok.endswith("plus"):
            return _checked(words, raw, _Quantity(i, k + 1, v, v, None, True))
        return _checked(words, raw, _Quantity(i, k + 1, None, v, None, True))
    num = _number_at(words, k)
    if num is None:
        return None
    v, j = num
    if j < n and words[j] == "to" and kind is None:
        b = _number_at(words, j + 1)
        if b and b[0] > v:
            return _checked(words, raw, _Quantity(i, b[1], v, v, b[0], True))
    if words[j:j + 2] == ["or", "more"] and kind is None:
        return _checked(words, raw, _Quantity(i, j + 2, v, v, None, True))
    if kind in (None, "approx"):
        best = v
    elif kind == "lower":
        low = best = v
    else:  # upper, near
        best = high = v
    return _checked(words, raw, _Quantity(i, j, low, best, high, kind is not None))


def _checked(words: list[str], raw: list[str], q: _Quantity) -> _Quantity | None:
    """Drop numbers that are money, percentages, times, dates or years."""
    prev = words[q.i - 1] if q.i > 0 else ""
    nxt = words[q.j] if q.j < len(words) else ""
    short = q.j - q.i == 1 and len(words[q.i]) <= 2
    if prev in _CURRENCY or prev in ("no", "number", "no.") or nxt in _TIME_AFTER or \
            (short and ":" in (prev, nxt)):
        return None  # "$2 million", "40 percent", "at 22:33"
    if prev in _MONTHS and raw[q.i - 1][:1].isupper():
        return None  # "May 31"
    if nxt in _MONTHS and raw[q.j][:1].isupper():
        return None  # "31 May"
    if q.j - q.i == 1 and _COMMA_FREE_YEAR.match(words[q.i]) and (
            nxt not in _PLURAL or not raw[q.j][:1].islower() or prev[:1].isdigit()):
        return None  # "in 2015", "since 2011", "June 3 2015 Militants ..."
    return q


def parse_count(phrase: str) -> Count | None:
    """The spec's Count for a quantity phrase ("at least 58", "dozens", "a child")."""
    text = phrase.strip()
    toks = [m.group(0) for m in _TOKEN.finditer(text)]
    words = [t.lower() for t in toks]
    if not words:
        return None
    q = _quantity_at(words, toks, 0)
    if q is None:
        q = _single_at(words, 0)
    if q is None:
        return None
    return Count(q.low, q.best, q.high, text)


def _single_at(words: list[str], i: int) -> _Quantity | None:
    """One victim: "a woman", "another child", "one of its commanders", "one soldier"."""
    if i >= len(words) or words[i] not in ("a", "an", "another", "one"):
        return None
    k = i + 1
    if words[i] == "one" and k < len(words) and words[k] == "of":
        k += 1
        if k < len(words) and words[k] in _DETERMINERS:
            k += 1
        if k < len(words) and words[k] in _PLURAL:
            return _Quantity(i, i + 1, None, 1, None, False, one=True)
        return None
    for m in range(k, min(k + 3, len(words))):
        if words[m] in _SINGULAR:
            return _Quantity(i, i + 1, None, 1, None, False, one=True)
        if words[m].endswith("-old"):
            continue  # "a 10-year-old boy"
        if words[m] in _FUNCTION or not words[m][:1].isalpha():
            return None
    return None


# --- figures ---------------------------------------------------------------------------------

@dataclass
class Figure:
    """A count of killed or injured people in one clause, with article offsets."""

    start: int
    end: int
    text: str  # the quantity phrase as written: the Count's text
    count: Count
    outcome: str  # "killed" | "injured"
    category: str  # "total" | "civilians" | "children" | "women" | "combatants"
    noun: str | None  # the victim noun as written ("IS fighters"), None when only implied
    group: int  # figures of one victim set share a group id (unique within one call)
    cumulative: bool = False  # a toll over a long period: background, not an incident


@dataclass
class _Mention:
    q: _Quantity
    ne: int  # one past the victim noun phrase (== q.j when the noun is only implied)
    head: tuple[int, int] | None  # token span of the noun as written
    category: str | None  # None: take it from the figure before ("9 others")
    inherent: str | None = None  # "bodies" are dead without a verb
    subset: bool = False  # "four were children", "four of them": part of a set named elsewhere
    implied: bool = False
    ambiguous: bool = False
    text_end: int = 0  # one past the last token of the Count's text
    text_start: int = -1


def _is_word(w: str) -> bool:
    return w[:1].isalpha()


def _plural_like(w: str) -> bool:
    """A lowercase plural noun that is not a victim ("strikes", "tankers"): ends the phrase."""
    return (w.endswith("s") and not w.endswith(("ss", "ous", "us", "is")) and "-" not in w
            and len(w) > 3)


def _victims_after(words: list[str], raw: list[str], q: _Quantity) -> _Mention | None:
    """The victim noun phrase after a quantity, or the bare quantity when the noun is implied."""
    n = len(words)
    k = q.j
    if k < n and words[k] in _QUOTES and k + 1 < n and not q.one:
        k += 1  # '"scores" of rebels'
    if q.one and words[q.i] == "one" and k < n and words[k] == "of":
        k += 1
        if k < n and words[k] in _DETERMINERS:
            k += 1
        if k < n and words[k] in _PLURAL:
            cat = _member_category(words, k, k) if words[k] in _MEMBER_NOUNS else _PLURAL[words[k]]
            return _Mention(q, k + 1, (k, k + 1), cat, text_end=k + 1)
        return None
    if k < n and words[k] == "of":
        k2 = k + 1
        if k2 < n and words[k2] in _DETERMINERS:
            k2 += 1
        if k2 < n and (_number_at(words, k2) is not None or words[k2 - 1] in ("them", "those", "whom")):
            if words[k2 - 1] in ("them", "those", "whom"):
                return _subset_or_implied(words, q, k2)
            return None  # "six of the 13 killed": the 13 is the figure
        k = k2
        partitive = True
    elif k < n and words[k] in _WERE and k + 1 < n and words[k + 1] in _PLURAL:
        # "Of the dead four were children"
        h = k + 1
        return _Mention(q, h + 1, (h, h + 1), _PLURAL[words[h]], subset=True, text_end=q.j)
    else:
        partitive = False
    table = _SINGULAR if q.one else _PLURAL
    head = None
    inherent = None
    mod_cat = None  # "20 civilian deaths": the modifier says who died
    start = k
    m = k
    while m < n and m < start + 6:
        w = words[m]
        if w in table or (w in _PLURAL and not q.one):
            head = m
            while head + 1 < n and words[head + 1] in table:
                head += 1
            break
        if w in _KILLED_PARTICIPLES and m + 1 < n and words[m + 1] in table:
            inherent = "injured" if w in ("wounded", "injured") else "killed"
            m += 1
            continue
        if w in _AMBIGUOUS_NOUNS:
            return _Mention(q, m + 1, (m, m + 1), "total", ambiguous=True, text_end=q.j)
        if w in _ANAPHORS and m == start and w != "more" and w != "other":
            return _Mention(q, m + 1, (m, m + 1), None, text_end=m + 1)
        if w in ("more", "other") and m == start:
            m += 1
            continue
        if w in _SINGULAR and not q.one:
            if m + 1 < n and (words[m + 1] in _KILLED_PARTICIPLES or words[m + 1] in _WERE):
                head = m  # "12 Gunman Killed": a headline's singular
                break
            mod_cat = _SINGULAR[w]
            m += 1
            continue
        if w.endswith("-old") or (w == "and" and m > start and m + 1 < n and
                                  _is_word(words[m + 1]) and words[m + 1] not in _FUNCTION and
                                  _number_at(words, m + 1) is None):
            m += 1  # "a 9-year-old girl", "30 army and rebel fighters"
            continue
        if raw[m].isupper() and len(raw[m]) > 1:
            m += 1  # an acronym ("IS fighters"), never the verb "is"
            continue
        if w in _FUNCTION or w in _PRED_FIRST or w in _BLOCKERS:
            break
        if not _is_word(w) and w not in ("(", ")", "'", "\u2019"):
            break
        if raw[m][:1].islower() and (_plural_like(w) or w.endswith(("ing", "ed")) and "-" not in w):
            break
        m += 1
    if head is None:
        if q.one or partitive:
            return None  # "one of the highest tolls": a part of something, not of people
        first = words[q.j] if q.j < n else ""
        if first and _is_word(first) and raw[q.j][:1].islower() and first not in _ALLOWED_AFTER_BARE:
            return None  # "50 air strikes", "12 nations": not people
        if first in ("more", "other") and q.j + 1 < n and raw[q.j + 1][:1].islower() and \
                _plural_like(words[q.j + 1]):
            return None  # "two other towns"
        if first in _QUOTES and q.j + 1 < n and words[q.j + 1] in ("more", "other"):
            first = words[q.j + 1]  # '"dozens" more were hurt'
            end = q.j + 2
        else:
            end = q.j + 1 if first in ("more", "other") else q.j
        cat = None if first in ("more", "other") else "total"
        text_end = q.j
        if not q.qualified and first in _KILLED_PARTICIPLES:
            text_end = q.j + 1  # "31 killed", "74 wounded"
        return _Mention(q, end, None, cat, implied=True, text_end=text_end)
    hw = words[head]
    if hw in _AMBIGUOUS_NOUNS:
        return _Mention(q, head + 1, (start, head + 1), "total", ambiguous=True, text_end=q.j)
    if not q.one and hw not in _PLURAL and not (head + 1 < n and (
            words[head + 1] in _KILLED_PARTICIPLES or words[head + 1] in _WERE)):
        return None
    cat = _member_category(words, start, head) if hw in _MEMBER_NOUNS else \
        table.get(hw) or _PLURAL.get(hw) or _SINGULAR.get(hw)
    compound = _COMPOUNDS.match_ending(words, head)
    if compound is not None and head - compound[0] + 1 >= start:
        cat = compound[1]
    if mod_cat is not None and hw in _INHERENT:
        cat = mod_cat
    if q.one and head + 1 < n and _is_word(words[head + 1]) and raw[head + 1][:1].islower() and \
            words[head + 1] not in _ALLOWED_AFTER_BARE:
        return None  # "a civilian car": an adjective, not a victim
    end = head + 1
    # "troops and militia", "women and children": one set named by two nouns
    if not q.one and end + 1 < n and words[end] == "and":
        second = _second_noun(words, raw, end + 1)
        if second is not None:
            other = _PLURAL[words[second]]
            if other != cat:
                civil = {"civilians", "children", "women"}
                cat = "civilians" if {cat, other} <= civil else "total"
            end = second + 1
    adjacent = head == q.j and start == q.j
    text_end = q.j
    if q.one or (adjacent and (not q.qualified or cat in ("children", "women"))) or \
            (words[q.i] == "one" and words[q.j] == "of"):
        text_end = head + 1  # "a woman", "one of its commanders": the noun is the count
    if inherent is None:
        inherent = _INHERENT.get(hw)
    return _Mention(q, end, (start, head + 1), cat, inherent=inherent, text_end=text_end)


def _second_noun(words: list[str], raw: list[str], k: int) -> int | None:
    """ "troops and militia", "soldiers and pro-regime militiamen": a second noun, no number."""
    for m in range(k, min(k + 3, len(words))):
        w = words[m]
        if w in _PLURAL:
            if m + 1 < len(words) and words[m + 1] in _PLURAL:
                return None  # "women and children fighters"? too odd to guess
            return m
        if w in _FUNCTION or w in _PRED_FIRST or w in _BLOCKERS or not _is_word(w) or \
                (raw[m][:1].islower() and _plural_like(w)) or _number_at(words, m) is not None:
            return None
    return None


def _subset_or_implied(words: list[str], q: _Quantity, k: int) -> _Mention:
    """ "six of them were children" / "six of them were killed"."""
    n = len(words)
    if k < n and words[k] in _WERE and k + 1 < n and words[k + 1] in _PLURAL:
        return _Mention(q, k + 2, (k + 1, k + 2), _PLURAL[words[k + 1]], subset=True, text_end=q.j)
    if k < n and words[k] in _PLURAL:  # "21 civilians, eleven of them children"
        return _Mention(q, k + 1, (k, k + 1), _PLURAL[words[k]], subset=True, text_end=q.j)
    return _Mention(q, k, None, "total", subset=True, implied=True, text_end=q.j)


def _member_category(words: list[str], start: int, head: int) -> str:
    """ "ISIL members" fight; "family members" and "members of the civil defence" do not."""
    around = " " + " ".join(words[max(0, start - 1):head] + ["|"] + words[head + 1:head + 6]) + " "
    return "total" if any(f" {u} " in around for u in _UNARMED) else "combatants"


def _tokenize(text: str) -> tuple[list[str], list[str], list[int], list[int]]:
    ms = list(_TOKEN.finditer(text))
    raw = [m.group(0) for m in ms]
    return [t.lower() for t in raw], raw, [m.start() for m in ms], [m.end() for m in ms]


def _without_asides(words: list[str], raw: list[str], starts: list[int], ends: list[int]
                    ) -> tuple[list[str], list[str], list[int], list[int]]:
    """The tokens without short parenthesised asides that hold no number ("Syrian Democratic
    Forces (SDF) killed 35", "35 Daesh (banned in Russia) militants"): a noun phrase and its
    verb read as if the aside were not there. The spans stay the text's own offsets."""
    drop: set[int] = set()
    i = 0
    while i < len(words):
        if words[i] == "(":
            close = next((j for j in range(i + 1, min(len(words), i + _ASIDE_MAX + 2)) if words[j] in "()"), None)
            if close is not None and words[close] == ")" and \
                    not any(_number_at(words, j) for j in range(i + 1, close)):
                drop.update(range(i, close + 1))
                i = close
        i += 1
    if not drop:
        return words, raw, starts, ends
    keep = [i for i in range(len(words)) if i not in drop]
    return [words[i] for i in keep], [raw[i] for i in keep], [starts[i] for i in keep], [ends[i] for i in keep]


_ASIDE_MAX = 8  # words inside an aside; a longer parenthesis is a sentence of its own


def _segments(words: list[str], raw: list[str]) -> list[tuple[int, int]]:
    """Token ranges between sentence or clause ends (";", "." but not "U.S.")."""
    out = []
    s = 0
    for i, w in enumerate(words):
        if w in (";", "?", "!") or (w == "." and not (i > 0 and len(raw[i - 1]) == 1)):
            if i > s:
                out.append((s, i))
            s = i + 1
    if s < len(words):
        out.append((s, len(words)))
    return out


def _mentions(words: list[str], raw: list[str], s: int, e: int) -> list[_Mention]:
    out: list[_Mention] = []
    seg = words[:e]  # nothing past the segment's end may be read
    i = s
    while i < e:
        w = seg[i]
        found = None
        if not (i > 0 and seg[i - 1] == "no"):
            if w[:1].isdigit() or w in _QUANTITY_FIRST or w.split("-", 1)[0] in _TENS:
                # ("forty-three" starts with its tens)
                q = _quantity_at(seg, raw, i)
                found = _victims_after(seg, raw, q) if q is not None else None
            if found is None and w in ("a", "an", "another", "one"):
                q = _single_at(seg, i)
                found = _victims_after(seg, raw, q) if q is not None else None
        if found is not None:
            found.text_start = found.q.i
            out.append(found)
            i = max(found.ne, found.q.j)
            continue
        i += 1
    return out


def _pred_after(words: list[str], k: int, e: int) -> tuple[str, str, int] | None:
    """Outcome right after a noun phrase: ("killed"|"injured"|"blocked"|"ambiguous", flag, end).

    The end is negative when the predicate follows the noun bare, with no auxiliary: then it
    may be the noun's own active verb ("a bomber killed 9 people")."""
    k0 = k
    for _ in range(6):
        if k >= e:
            return None
        got = _PRED_AFTER.match(words, k)
        if got is not None:
            end = k + got[0]
            outcome, flag = got[1]
            if end < e and words[end] == "or":
                return "ambiguous", "", end
            if end + 1 < e and words[end] == "and" and (
                    words[end + 1] in _PRED_WORDS or words[end + 1] in _BLOCKERS):
                return "ambiguous", "", end
            return outcome, flag, (-end if k == k0 else end)
        if words[k] in _BLOCKERS:
            return "blocked", "", k + 1
        if words[k] not in _GLUE and words[k] not in _QUOTES:
            return None
        k += 1
    return None


def _pred_before(words: list[str], k: int, s: int) -> tuple[str, str] | None:
    """Outcome of a predicate just before a quantity ("killed 25", "claiming the lives of")."""
    for _ in range(3):
        if k < s:
            return None
        got = _PRED_BEFORE.match_ending(words, k)
        if got is not None:
            first = k - got[0] + 1
            if first - 2 >= s and words[first - 1] in ("or", "and") and (
                    words[first - 2] in _PRED_WORDS or words[first - 2] in _BLOCKERS):
                return "ambiguous", ""
            if k + 1 < len(words) and words[k + 1] == "or":
                return "ambiguous", ""
            return got[1]
        if words[k] in _BLOCKERS:
            return "blocked", ""
        if words[k] not in _BEFORE_GLUE:
            return None
        k -= 1
    return None


def _toll_before(words: list[str], k: int, s: int) -> str | None:
    """ "the death toll ... rose to at least 63": the number ends a toll."""
    j = k
    while j >= s and k - j < 4 and words[j] in _TOLL_LINKS:
        j -= 1
    # with a linking verb the toll may be far back; without one only a headline's length
    reach = 25 if j < k else 8
    for t in range(j, max(s, j - reach) - 1, -1):
        if words[t] in _TOLL_WORDS:
            nxt = words[t + 1:t + 4]
            hurt = "wounded" in nxt or "injured" in nxt or "injuries" in nxt
            return "injured" if hurt else "killed"
        if words[t] == "number" and any(w in _PRED_WORDS or w in _INHERENT or w == "victims"
                                        for w in words[t + 1:t + 9]):
            nxt = words[t + 1:t + 9]
            return "injured" if ("wounded" in nxt or "injured" in nxt) else "killed"
    return None


def _subset_gap(gap: tuple[str, ...]) -> bool:
    """ "including" right before the figure makes it part of the set before it, whatever
    stands between ("48 civilians dying including 9 children", "12 villagers of the hamlet were
    killed including five"), unless a new clause begins in between."""
    for n in range(len(gap)):
        if gap[n:] in _SUBSET_GAPS:
            return not any(w in _CLAUSE_STOPS or w in _BLOCKERS or w in ("and", "while")
                           for w in gap[:n])
    return False


def _stops_search(w: str, r: str) -> bool:
    """A word that starts another clause or names another event ends a predicate search."""
    if w in _CLAUSE_STOPS:
        return True
    return (r[:1].islower() and len(w) >= 5 and w.endswith("ed") and "-" not in w
            and w not in _DESCRIPTIVE and w not in _PRED_WORDS)


def _pred_far_after(words: list[str], raw: list[str], k: int, e: int,
                    starts: set[int]) -> tuple[str, str] | None:
    for t in range(k, min(e, k + 15)):
        if t in starts:
            return None
        got = _PRED_AFTER.match(words, t)
        if got is not None:
            end = t + got[0]
            if end < e and words[end] == "or":
                return "ambiguous", ""
            if (end in starts or end + 1 in starts) and words[t - 1] not in _WERE:
                return None  # "a sniper from the Front shot dead two people": its subject, not its victim
            return got[1]
        if words[t] in _BLOCKERS:
            return "blocked", ""
        if _stops_search(words[t], raw[t]):
            return None
    return None


def _pred_far_before(words: list[str], raw: list[str], k: int, s: int,
                     ends: set[int]) -> tuple[str, str] | None:
    for t in range(k, max(s, k - 8) - 1, -1):
        if t + 1 in ends:
            return None
        got = _PRED_BEFORE.match_ending(words, t)
        if got is not None:
            return got[1]
        if words[t] in _BLOCKERS or _stops_search(words[t], raw[t]):
            return None
    return None


def _valid(outcome: tuple[str, str] | None, head: _Mention) -> tuple[str, str] | None:
    """A predicate's outcome if its conditions hold for this noun phrase."""
    if outcome is None:
        return None
    out, flag = outcome[0], outcome[1]
    if flag == "noun" and head.implied:
        return None
    if flag == "comb" and head.category != "combatants":
        return None
    return out, flag


def _sum(parts: list[Count]) -> Count:
    """Parts of one victim set ("30 militants and 12 fighters") add up bound by bound."""
    best = sum(p.best for p in parts) if all(p.best is not None for p in parts) else None
    low = high = None
    if any(p.low is not None for p in parts) and all(p.high is None for p in parts):
        low = sum(p.low if p.low is not None else (p.best or 0) for p in parts)
    if any(p.high is not None for p in parts) and all(p.low is None for p in parts):
        high = sum(p.high if p.high is not None else (p.best or 0) for p in parts)
    return Count(low, best, high)


def find_figures(sentence: str, offset: int = 0) -> list[Figure]:
    """Figures of killed and injured people in one sentence or clause.

    ``offset`` is the sentence's position in the article, so that spans are article offsets.
    """
    words, raw, starts, ends = _without_asides(*_tokenize(sentence))
    figures: list[Figure] = []
    markers: list[tuple[int, int]] | None = None
    for s, e in _segments(words, raw):
        mentions = _mentions(words, raw, s, e)
        if not mentions:
            continue
        if markers is None:
            low, not_cumulative = fold(sentence), folded(_NOT_CUMULATIVE)
            markers = [(mm.start(), mm.end()) for rx in _CUMULATIVE for mm in folded(rx).finditer(low)
                       if not not_cumulative.search(low, max(0, mm.start() - 80), mm.start())]
        groups, conj = _link_groups(words, mentions)
        for g in groups:
            for m in g[1:]:
                if m.category == "civilians" and m.head is not None and words[m.head[1] - 1] in _BY_WORK_HEADS:
                    m.category = "total"  # "six people including a journalist": a part of the six
        _resolve_anaphors(groups)
        outcome, inherited = _outcomes(words, raw, s, e, mentions, groups, conj)
        merged_into = _compounds(groups, conj, outcome, inherited)
        for gi, g in enumerate(groups):
            got = outcome[gi]
            if got is None or got[0] not in ("killed", "injured") or gi in merged_into:
                continue
            partners = [groups[b][0] for b, a in merged_into.items() if a == gi]
            emitted = _emit(sentence, offset, starts, ends, g, partners, got[0], len(figures))
            _mark_cumulative(emitted, offset, markers)
            figures.extend(emitted)
    _renumber(figures)
    return figures


def _link_groups(words: list[str], mentions: list[_Mention]) -> tuple[list[list[_Mention]],
                                                                      list[tuple[int, int]]]:
    """Figures that describe one victim set ("48 civilians including 9 children", "15
    children were among 27 people"), head first; and pairs of groups joined by "and"."""
    groups: list[list[_Mention]] = []
    conj: list[tuple[int, int]] = []
    gi_of: dict[int, int] = {}
    for idx, m in enumerate(mentions):
        if idx == 0:
            groups.append([m])
            gi_of[idx] = 0
            continue
        prev = mentions[idx - 1]
        gap = tuple(w for w in words[prev.ne:m.q.i] if w not in (",", "(", ")"))
        pg = gi_of[idx - 1]
        if _subset_gap(gap) or (m.subset and gap == () and (not m.implied or not prev.implied)):
            # "30 people, ten of them women", "two soldiers (one of them an officer)"
            groups[pg].append(m)  # "... including 9 children", "30 people, ten of them women"
            gi_of[idx] = pg
        elif gap in _SUPERSET_GAPS and len(groups[pg]) == 1:
            groups[pg].insert(0, m)  # the later, larger set heads the group
            gi_of[idx] = pg
        elif gap in ((), ("and",), ("as", "well", "as")) and groups[pg][0] is not prev \
                and not m.implied and m.category is not None and \
                _pred_after(words, m.ne, len(words)) is None:
            groups[pg].append(m)  # "including 25 children and 15 women"
            gi_of[idx] = pg
        else:
            groups.append([m])
            gi_of[idx] = len(groups) - 1
            if (gap == ("and",) or (gap == () and not prev.implied and not m.implied)) and \
                    not prev.subset and not m.subset:
                conj.append((pg, len(groups) - 1))
    return groups, conj


def _resolve_anaphors(groups: list[list[_Mention]]) -> None:
    """ "others", "more": the set of the figure before, when it is civilians or fighters."""
    last_cat = "total"
    for g in groups:
        for m in g:
            if m.category is None:
                m.category = last_cat
        head = g[0]
        last_cat = head.category if head.category in ("civilians", "combatants") else "total"


_Outcome = tuple[str, str] | None


def _outcomes(words: list[str], raw: list[str], s: int, e: int, mentions: list[_Mention],
              groups: list[list[_Mention]], conj: list[tuple[int, int]]
              ) -> tuple[list[_Outcome], dict[int, int]]:
    """Each group's outcome: adjacent predicates first, then what the noun says by itself
    ("bodies"), then the partner of "and", then predicates farther away."""
    # A bare number does not stop the search for a verb ("ten civilians and one aid
    # worker were killed").
    starts_set = {m.q.i for m in mentions if not m.implied}
    starts_all = {m.q.i for m in mentions} | {m.q.i + 1 for m in mentions if m.q.qualified}
    ends_set = {m.ne for m in mentions}
    outcome: list[_Outcome] = []
    dead: set[int] = set()
    for gi, g in enumerate(groups):
        got = _adjacent_outcome(words, s, e, mentions, g, starts_all)
        if got == "dead":
            dead.add(gi)
            outcome.append(None)
        else:
            outcome.append(got)  # type: ignore[arg-type]
    for gi, g in enumerate(groups):
        if gi not in dead and outcome[gi] is None:
            inh = next((m.inherent for m in g if m.inherent), None)
            if inh:
                outcome[gi] = (inh, "")  # "4 martyrs and 9 injured": martyrs are dead
    inherited: dict[int, int] = {}
    for a, b in conj:
        if a in dead or b in dead:
            continue
        if outcome[a] is None and outcome[b] is not None:
            outcome[a] = _valid(outcome[b], groups[a][0])
            inherited[a] = b
        elif outcome[b] is None and outcome[a] is not None:
            outcome[b] = _valid(outcome[a], groups[b][0])
            inherited[b] = a
    for gi, g in enumerate(groups):
        if gi in dead or outcome[gi] is not None or all(m.implied for m in g):
            continue  # a bare number needs its verb right beside it
        outcome[gi] = _far_outcome(words, raw, s, e, g, starts_set, ends_set)
    return outcome, inherited


def _adjacent_outcome(words: list[str], s: int, e: int, mentions: list[_Mention],
                      g: list[_Mention], starts_all: set[int]) -> _Outcome | str:
    """The outcome given by a predicate right beside the group, or "dead" when the group is
    not a casualty figure (evacuated, killed-or-wounded, the agent of the verb)."""
    head = g[0]
    first = min(g, key=lambda m: m.q.i)
    before = _pred_before(words, first.q.i - 1, s)
    got: _Outcome = None
    blocked = False
    if any(m.ambiguous for m in g):
        return "dead"
    for m in sorted(g, key=lambda m: m.q.i):
        a = _pred_after(words, m.ne, e)
        if a is None:
            continue
        if a[0] == "ambiguous":
            return "dead"
        if a[0] == "blocked":
            blocked = True  # decides only when nothing else gives an outcome
            continue
        if a[2] < 0 and -a[2] in starts_all and (not m.implied or before is not None):
            if m is head and len(g) == 1 and head.category == "combatants" and before is None and \
                    any(x.q.i in (-a[2], -a[2] - 1) and not x.implied and x.category is not None
                        for x in mentions):
                return "dead"  # "a bomber killed 9 people": the verb's subject
            continue  # "killed 9000 people wounded 30000": the next clause's verb
        if got is None:
            got = _valid((a[0], a[1]), head)
    if got is None and before is not None and before[0] in ("blocked", "ambiguous"):
        return "dead"
    if got is None:
        got = _valid(before, head)
    if got is None:
        t = _toll_before(words, first.q.i - 1, s)
        got = (t, "") if t else None
    if got is None and blocked:
        return "dead"
    return got


def _far_outcome(words: list[str], raw: list[str], s: int, e: int, g: list[_Mention],
                 starts_set: set[int], ends_set: set[int]) -> _Outcome:
    """A predicate farther away in the clause ("40 fighters from three countries ... were killed")."""
    head = g[0]
    first = min(g, key=lambda m: m.q.i)
    own = {m.q.i for m in g}
    far = None
    for m in sorted(g, key=lambda m: m.q.i):
        far = _pred_far_after(words, raw, m.ne, e, starts_set - own)
        if far is not None:
            break
    if far is not None:
        return None if far[0] in ("blocked", "ambiguous") else _valid(far, head)
    back = _pred_far_before(words, raw, first.q.i - 1, s, ends_set - {m.ne for m in g})
    return _valid(back, head)


def _compounds(groups: list[list[_Mention]], conj: list[tuple[int, int]],
               outcome: list[_Outcome], inherited: dict[int, int]) -> dict[int, int]:
    """ "30 IS fighters and 12 Kurdish militiamen had been killed": parts of one
    category that share one verb are summed (the gold records one combatants figure)."""
    merged_into: dict[int, int] = {}
    for a, b in conj:
        oa, ob = outcome[a], outcome[b]
        ma, mb = groups[a][0], groups[b][0]
        if (a in inherited or b in inherited) and oa and ob and oa[0] == ob[0] and \
                len(groups[a]) == 1 and len(groups[b]) == 1 and ma.category == mb.category and \
                a not in merged_into and b not in merged_into and not ma.implied and not mb.implied:
            merged_into[b] = a
    return merged_into


def _emit(sentence: str, offset: int, starts: list[int], ends: list[int], g: list[_Mention],
          partners: list[_Mention], out: str, group: int) -> list[Figure]:
    emitted: list[Figure] = []
    head = g[0]
    for pos, m in enumerate(g):
        if m is not head and m.category == "total":
            continue  # "9 civilians including a reporter": a part without a category
        if pos == 0 and partners:
            c = _sum([Count(m.q.low, m.q.best, m.q.high)] +
                     [Count(p.q.low, p.q.best, p.q.high) for p in partners])
            last = partners[-1]
            t0, t1 = m.text_start, last.head[1] if last.head else last.text_end
        else:
            c = Count(m.q.low, m.q.best, m.q.high)
            t0, t1 = m.text_start, m.text_end
        a0, a1 = starts[t0], ends[t1 - 1]
        c.text = sentence[a0:a1]
        emitted.append(Figure(offset + a0, offset + a1, c.text, c, out, m.category or "total",
                              _noun_text(sentence, starts, ends, m), group))
    # The gold records "17 civilians" as a total as well, when no total is stated for the set.
    if head.category in ("civilians", "combatants") and not head.subset:
        f0 = emitted[0]
        emitted.insert(1, Figure(f0.start, f0.end, f0.text,
                                 Count(f0.count.low, f0.count.best, f0.count.high, f0.count.text),
                                 out, "total", f0.noun, group))
    return emitted


def _mark_cumulative(emitted: list[Figure], offset: int, markers: list[tuple[int, int]]) -> None:
    """A toll near "since 2011", "the war has killed", or too large for one act."""
    lo = min(f.start for f in emitted) - offset
    hi = max(f.end for f in emitted) - offset
    big = any((f.count.value() or 0) >= _CUMULATIVE_MIN for f in emitted)
    near = any(ms - _CUMULATIVE_REACH <= hi and lo <= me + _CUMULATIVE_REACH for ms, me in markers)
    for f in emitted:
        f.cumulative = big or near


def _renumber(figures: list[Figure]) -> None:
    """Group ids 0, 1, 2 ... in order of appearance."""
    ids: dict[int, int] = {}
    for f in figures:
        f.group = ids.setdefault(f.group, len(ids))


def _noun_text(sentence: str, starts: list[int], ends: list[int], m: _Mention) -> str | None:
    if m.head is None:
        return None
    h0, h1 = m.head
    return sentence[starts[h0]:ends[h1 - 1]]
