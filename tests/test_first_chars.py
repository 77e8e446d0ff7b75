"""The event words' alternation split by first character finds what the plain one finds."""
import re

from sitrep.extract.first_chars import dispatched, first_chars

KINDS = [("g0", ["(?:car|truck) bombs?", "bomb", "blast", r"\S+ blasts", "shell(?:ing|ed)?"]),
         ("g1", ["(?<!no )clash\\w*", "(?:armed )?clashes", "car", "[bc]ombat", "(?:a|b)(?:c|d)x"])]
TEXTS = ["A car bomb and a truck bombs blast; shelling, no clashes but armed clashes.",
         "combat near the bomber's car", "big blasts, bcx adx bdx", "", "clash clashed xclash"]


def _plain(kinds):
    return re.compile(r"(?<![\w-])(?:" + "|".join(f"(?P<{n}>{'|'.join(ps)})" for n, ps in kinds) + r")(?![\w])")


def test_first_chars():
    assert first_chars("bombs?") == {"b"}
    assert first_chars("(?:car|truck) bomb") == {"c", "t"}
    assert first_chars("(?:armed )?clashes") == {"a", "c"}
    assert first_chars("(?<!no )clash") == {"c"}
    assert first_chars("[bc]ombat") == {"b", "c"}
    assert first_chars(r"\S+ blasts") is None
    assert first_chars("(?:x)?") is None


def test_same_matches_as_the_plain_alternation():
    source, names = dispatched(KINDS)
    split = re.compile(r"(?<![\w-])(?:" + source + r")(?![\w])")
    for text in TEXTS:
        want = [(m.span(), m.lastgroup) for m in _plain(KINDS).finditer(text)]
        got = [(m.span(), names[m.lastgroup]) for m in split.finditer(text)]
        assert got == want, text
