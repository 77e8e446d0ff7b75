"""A lexicon's alternation dispatched on the first character of the word it starts at.

Python's ``re`` tries every alternative of ``(?<![\\w-])(?:A|B|...)`` at every word: with the
event words' hundreds of phrases, that was a twentieth of the extractor's time. Two phrases
that begin with different letters never match at the same place, so the alternation can be
split by the letter a phrase may begin with, each part behind a look-ahead for its letter:
at a word only the phrases that can start there are tried, in their order, and the first
that matches (and is followed by what the pattern asks) is the same as before. A phrase whose
first letter cannot be read off its pattern is kept in every part.
"""
from __future__ import annotations

import re
from re import _constants as sre  # the parser's opcodes: a pattern's structure, read, not changed
from re import _parser


def first_chars(pattern: str) -> frozenset[str] | None:
    """The characters a match of ``pattern`` can begin with, or None when that is not known
    (a class such as ``\\S``, a match that may be empty)."""
    try:
        return _first(_parser.parse(pattern))
    except Exception:  # a construct the reading below does not know: assume any start
        return None


def _first(items) -> frozenset[str] | None:
    out: set[str] = set()
    for op, av in items:
        if op in (sre.AT, sre.ASSERT, sre.ASSERT_NOT):
            continue  # zero width: the next item begins the match
        if op is sre.LITERAL:
            return frozenset(out | {chr(av)})
        if op is sre.SUBPATTERN:
            got = _first(av[3])
        elif op is sre.BRANCH:
            alts = [_first(alt) for alt in av[1]]
            got = None if any(a is None for a in alts) else frozenset().union(*alts)
        elif op is sre.IN:
            got = _class(av)
        elif op in (sre.MAX_REPEAT, sre.MIN_REPEAT):
            got = _first(av[2])
            if got is not None and av[0] == 0:
                out |= got  # optional: the match may begin here or with what follows
                continue
        else:
            return None
        return None if got is None else frozenset(out | got)
    return None  # every item may be empty


def _class(items) -> frozenset[str] | None:
    out: set[str] = set()
    for op, av in items:
        if op is sre.LITERAL:
            out.add(chr(av))
        elif op is sre.RANGE and av[1] - av[0] < 64:
            out.update(chr(c) for c in range(av[0], av[1] + 1))
        else:
            return None  # a negated or category class
    return frozenset(out)


def _leading_group(pattern: str) -> tuple[list[str], str] | None:
    """``(?:A|B|C)rest`` as ([A, B, C], rest), where the group is neither optional nor
    repeated; None for any other pattern."""
    if not pattern.startswith("(?:"):
        return None
    depth, i, cut, alts = 0, 0, 3, []
    in_class = False
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\":
            i += 2
            continue
        if in_class:
            in_class = ch != "]"
        elif ch == "[":
            in_class = True
            if pattern[i + 1:i + 2] == "]":
                i += 1  # "[]...]": the first bracket is a member
        elif ch == "(":
            depth += 1
        elif ch == "|" and depth == 1:
            alts.append(pattern[cut:i])
            cut = i + 1
        elif ch == ")":
            depth -= 1
            if depth == 0:
                rest = pattern[i + 1:]
                if rest[:1] in ("?", "*", "+", "{"):
                    return None
                return [*alts, pattern[cut:i]], rest
        i += 1
    return None


def _readings(phrase: str) -> list[tuple[frozenset[str] | None, str]]:
    """A phrase as (first characters, pattern) pieces to file under those characters: a
    phrase that opens with a choice of words ("(?:seized|found) ...") is filed once per
    first letter, each copy holding only the choices that start with it."""
    split = _leading_group(phrase)
    if split is None:
        return [(first_chars(phrase), phrase)]
    alts, rest = split
    firsts = [first_chars(a) for a in alts]
    if any(f is None for f in firsts):
        return [(first_chars(phrase), phrase)]
    out = []
    for c in sorted(set().union(*firsts)):
        mine = [a for a, f in zip(alts, firsts) if c in f]
        out.append((frozenset(c), f"(?:{'|'.join(mine)}){rest}"))
    return out


def dispatched(kinds: list[tuple[str, list[str]]]) -> tuple[str, dict[str, str]]:
    """The alternation of named groups ``(?P<name>p1|p2|...)|...`` (``kinds``: each group's
    name and phrases, in the order they are to be tried) split by first character: its
    source, and the name of each of its groups -> the group it stands for."""
    readings = {p: _readings(p) for _, phrases in kinds for p in phrases}
    starts = sorted(set().union(*(f for rs in readings.values() for f, _ in rs if f is not None)))
    parts: list[str] = []
    names: dict[str, str] = {}
    for k, c in enumerate([*starts, None]):  # None: a character no phrase is known to start with
        groups = []
        for name, phrases in kinds:
            mine = [piece for p in phrases for f, piece in readings[p]
                    if f is None or (c is not None and c in f)]
            if mine:
                names[f"{name}_{k}"] = name
                groups.append(f"(?P<{name}_{k}>{'|'.join(mine)})")
        if not groups:
            continue
        guard = f"(?={re.escape(c)})" if c is not None else \
            f"(?![{''.join(re.escape(s) for s in starts)}])" if starts else ""
        parts.append(f"{guard}(?:{'|'.join(groups)})")
    return "|".join(parts), names
