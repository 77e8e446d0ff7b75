from dataclasses import dataclass

from sitrep.extract.claims import attribute, is_denial, quote_state


@dataclass
class M:
    start: int
    end: int
    canonical: str


def canon(name):
    return {"civil defence worker": "White Helmets"}.get(name.lower())


def claimant_in(text, name, canonical):
    i = text.index(name)
    return [M(i, i + len(name), canonical)]


def test_named_claimant_next_to_verb_of_saying():
    text = "Air strikes killed 12 people, the Syrian Observatory for Human Rights said."
    att = attribute(text, claimant_in(text, "Syrian Observatory for Human Rights", "SOHR"), None, canon)
    assert att.claimed_by == "SOHR" and not att.denial


def test_according_to_unknown_source_is_named_as_written():
    text = "More than 30 people were injured according to an activist contacted in the city"
    att = attribute(text, [], None, canon)
    assert att.claimed_by == "activist"


def test_source_noun_phrase_is_canonicalised():
    text = "A civil defence worker said at least 32 people were killed"
    assert attribute(text, [], None, canon).claimed_by == "White Helmets"


def test_pronoun_and_adding_stand_for_the_last_claimant():
    assert attribute("adding some 40 fighters were killed near the town", [], "Ministry X", canon).claimed_by == "Ministry X"
    assert attribute("It said 45 militants had been killed", [], "Monitor Y", canon).claimed_by == "Monitor Y"


def test_no_attribution_gives_none():
    assert attribute("Shells hit the market on Friday killing nine", [], "Monitor Y", canon) is None


def test_denials():
    assert is_denial("The ministry denied its jets had struck the market")
    assert not is_denial("a coalition source did not deny that air strikes had been carried out")
    text = "The ministry denied that its aircraft had carried out the raid"
    att = attribute(text, claimant_in(text, "The ministry", "Defence Ministry"), None, canon)
    assert att.denial and att.claimed_by == "Defence Ministry"


def test_quotes_spanning_sentences():
    text = '"We were hit at dawn. Nine people died," the mayor said.'
    spans = quote_state(text)
    assert spans == [(0, text.index(",\"") + 2)]
