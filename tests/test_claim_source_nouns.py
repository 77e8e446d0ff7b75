"""Source nouns are whole words: "President" is no resident, "pro-opposition" media are not
the opposition (issue 14 found both in an older pattern that had no word-start anchor)."""
import pytest

import sitrep


def claimants(text: str) -> list[str]:
    rec = sitrep.extract(text, published="2017-03-01")
    return [c.claimed_by for i in rec.incidents for c in i.claims]


@pytest.mark.parametrize("text, source", [
    ("Air strikes killed 12 people in Douma on Monday, President Bashar al-Assad said.", "President"),
    ("The President said air strikes killed 12 people in Douma on Monday.", "President"),
    ("Air strikes killed 12 people in Douma on Monday, residents said.", "residents"),
    ("Government air strikes killed 12 people in Douma on Monday, a pro-opposition website said.",
     "pro-opposition website"),
    ("Pro-opposition activists said air strikes killed 12 people in the town of Douma on Monday.",
     "Pro-opposition activists"),
    ("Air strikes killed 12 people in Douma on Monday, the opposition said.", "opposition"),
])
def test_a_source_noun_is_a_whole_word(text, source):
    assert claimants(text) == [source]
