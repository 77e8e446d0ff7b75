"""Lower-cased text with lower-case twins of the patterns matches where the case-insensitive
patterns match, at the same offsets (knowledge/caseless.py)."""
import re

import pytest

from sitrep.extract import claims, clauses, counts, events, victims
from sitrep.knowledge.caseless import fold, folded, lower_literals
from sitrep.knowledge.event_types import mishap_words

TEXTS = [
    "Syrian Government AIR STRIKES killed 12 people in Douma, activists said.",
    "ISTANBUL: İstanbul police detaINED ſix men; a blast at the KİLİS crossing wounded two",
    "Since the start of the war more than 400,000 people have been KILLED, the UN said",
    "He did not deny that Russian jets had struck the town; it was not involved, he said.",
    "\u201cThey were shelled,\u201d said the Observatory's head, Rami Abdel Rahman.",
    "Kelvin \u212a and dotless \u0131 and final \u03a3 and \u00c9cole d\u00e9fense",
    "",
]

PATTERNS = [claims._ANY_CUE, claims._DENIAL,
            claims._NOT_DENIAL, claims._LISTENER, claims._TOLL_VERB, victims.CUE, victims._LIST,
            clauses.IRREALIS, clauses.BACKGROUND, clauses.DOWNED, mishap_words(),
            *counts._CUMULATIVE, counts._NOT_CUMULATIVE]


def test_the_event_words_are_compiled_as_twins_alone():
    # events.py compiles only the lower-case twin: it matches folded text where the
    # case-insensitive pattern matches the text as written
    for twin in (events._triggers()[0], events._cues()[0]):
        assert not twin.flags & re.IGNORECASE
        pattern = re.compile(twin.pattern, re.IGNORECASE)
        for text in TEXTS:
            want = [(m.start(), m.end(), m.lastgroup) for m in pattern.finditer(text)]
            got = [(m.start(), m.end(), m.lastgroup) for m in twin.finditer(fold(text))]
            assert got == want, text


def test_fold_keeps_every_offset():
    for text in TEXTS:
        assert len(fold(text)) == len(text)


@pytest.mark.parametrize("pattern", PATTERNS, ids=lambda p: p.pattern[:30])
def test_twin_matches_where_the_case_insensitive_pattern_does(pattern):
    twin = folded(pattern)
    for text in TEXTS:
        want = [(m.start(), m.end(), m.lastgroup) for m in pattern.finditer(text)]
        got = [(m.start(), m.end(), m.lastgroup) for m in twin.finditer(fold(text))]
        assert got == want, text


def test_the_four_letters_that_case_insensitive_matching_maps_to_ascii():
    rx = re.compile(r"\b(?:kill|six|is)\b", re.IGNORECASE)
    for text in ("\u212aILL", "\u017fix", "\u0130S", "\u0131s"):
        assert bool(folded(rx).search(fold(text))) == bool(rx.search(text)) is True


def test_escapes_and_group_names_keep_their_case():
    assert lower_literals(r"(?P<Big>A\S\W)(?P=Big)[A-Z]\B") == r"(?P<Big>a\S\W)(?P=Big)[a-z]\B"


def test_a_case_sensitive_pattern_has_no_twin():
    with pytest.raises(ValueError):
        folded(re.compile(r"[A-Z]\w+"))


def test_words_are_read_from_the_text_as_written():
    [t] = events.find_triggers("The AIR Strike hit", 10)
    assert (t.start, t.end, t.text) == (14, 24, "AIR Strike")


def test_a_clause_pattern_found_through_its_twin_as_through_itself():
    """mentions._found: a case-insensitive pattern is looked for as its twin over the clause
    folded once, and finds what the pattern finds; a case-sensitive one is searched as it is."""
    from sitrep.extract.clauses import BACKGROUND, CONTINUATION, IRREALIS, SHOT_DOWN
    from sitrep.extract.mentions import _found
    from sitrep.knowledge.caseless import fold
    plain = re.compile(r"\bIn the meantime\b")
    clauses = ["The Jets WERE SHOT DOWN over the city", "rebels COULD attack", "Another 5 were killed",
               "In the meantime, troops advanced", "in the meantime troops advanced",
               "Over The Course Of the war", "\u0130F the strikes go on", "shot do\u017fn", ""]
    for c in clauses:
        for p in (BACKGROUND, CONTINUATION, IRREALIS, SHOT_DOWN, plain):
            assert _found(p, c, fold(c)) == (p.search(c) is not None), (p.pattern[:30], c)
