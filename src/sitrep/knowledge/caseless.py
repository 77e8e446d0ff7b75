"""Case-insensitive patterns without ``re.IGNORECASE``: lower-case the text once, match it
with the pattern's lower-case twin.

Python's ``re`` gives a case-insensitive pattern that opens with ``\\b`` or a look-behind no
prefix scan: every alternative is tried at every character, which made the lexicons'
alternations (event words, cues of speech, cumulative tolls) the extractor's costliest
Python. The same pattern without the flag, over lower-case text, matches at the same offsets
three to five times faster.

``fold`` keeps every offset (one character for one), so a match's span in the folded text
is its span in the text as written; read the words from the text as written, not from the
match. The four letters that ``re.IGNORECASE`` matches to an ASCII letter but that
``str.lower`` does not turn into it (dotted and dotless i, long s; the Kelvin sign lowers to
k by itself) are mapped to it first, so a twin matches wherever the original would.
"""
from __future__ import annotations

import re

# "İ".lower() is two characters (it would shift every offset after it).
_TO_ASCII = str.maketrans({"\u0130": "i", "\u0131": "i", "\u017f": "s"})


def fold(text: str) -> str:
    """``text`` in lower case, character for character."""
    return text.translate(_TO_ASCII).lower() if not text.isascii() else text.lower()


def folded(pattern: re.Pattern[str]) -> re.Pattern[str]:
    """The twin of a case-insensitive pattern, for text passed through ``fold``: its literal
    letters in lower case (escapes such as ``\\S`` or ``\\W`` kept), without the flag."""
    # Kept by identity: a pattern's hash reads its whole compiled program (20 us for the
    # event words' alternation), too slow to look up per clause.
    got = _TWINS.get(id(pattern))
    if got is None or got[0] is not pattern:
        if not pattern.flags & re.IGNORECASE:
            raise ValueError(f"not a case-insensitive pattern: {pattern.pattern[:60]!r}")
        twin = re.compile(lower_literals(pattern.pattern), pattern.flags & ~re.IGNORECASE)
        got = _TWINS[id(pattern)] = (pattern, twin)  # the pattern kept alive: its id stays its own
    return got[1]


_TWINS: dict[int, tuple[re.Pattern[str], re.Pattern[str]]] = {}


def lower_literals(source: str) -> str:
    """A pattern's source with its letters in lower case, except the letter of an escape and
    the syntax and names of groups ("(?P<name>", "(?P=name)")."""
    out = []
    i, n = 0, len(source)
    while i < n:
        ch = source[i]
        if ch == "\\":
            out.append(source[i:i + 2])
            i += 2
            continue
        if source.startswith(("(?P<", "(?P="), i):
            close = source.index(">" if source[i + 3] == "<" else ")", i)
            out.append(source[i:close + 1])
            i = close + 1
            continue
        out.append(ch.lower())
        i += 1
    return "".join(out)
