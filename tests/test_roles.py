"""Who did what to whom, and who says so, in whole articles written for these tests."""
from __future__ import annotations

import pytest

from sitrep.knowledge.actors import ActorDictionary
from sitrep.extract.pipeline import default_pipeline
from sitrep.records import Article


def extract(text: str, published: str = "2020-03-04"):
    return default_pipeline()(Article("roles", text, None, published)).incidents


def perpetrators(text: str) -> list[list[str]]:
    return [i.perpetrator for i in extract(text)]


def claimants(text: str) -> set[str]:
    return {c.claimed_by for i in extract(text) for c in i.claims}


@pytest.fixture(scope="module")
def d() -> ActorDictionary:
    return ActorDictionary.load()


# --- victims and targets are not perpetrators -----------------------------------------------

@pytest.mark.parametrize("text,expected", [
    # a post of group X shelled by Y is Y's act
    ("Government troops shelled a Houthi post near Saada on Monday, killing five fighters.",
     ["Yemeni government forces"]),
    ("A Houthi post near Saada was shelled by Saudi-led coalition jets on Monday, killing four fighters.",
     ["Saudi-led coalition"]),
    # the dead of a funeral, the commander mourned, are not who struck
    ("A suicide bomber struck the funeral of a Taliban commander in Kandahar on Sunday, killing 9 people.",
     ["unknown"]),
    # those killed "by" an agent, and the agent's weapons
    ("Twelve people were killed by government forces in the town of Douma on Monday.",
     ["Syrian government forces"]),
    ("Two children were killed by regime bombs in Douma on Monday.", ["Syrian government forces"]),
    ("Five people were killed in rebel shelling of government-held districts of Aleppo on Monday.",
     ["Syrian opposition forces"]),
    # counted dead are victims, even named by their group
    ("Some 30 IS fighters were killed in Russian air strikes near Palmyra on Tuesday.", ["Russian forces"]),
    # the side that suffered the loss, named by "by", is no agent (issue 9, class 8)
    ("Five soldiers were killed near Palmyra on Tuesday, the heaviest loss suffered by Russian forces this year.",
     ["unknown"]),
])
def test_victims_and_targets_are_not_perpetrators(text, expected):
    assert perpetrators(text)[0] == expected


@pytest.mark.parametrize("text,expected", [
    ("IS militants stormed a checkpoint near Palmyra", ["Islamic State"]),
    ("the army on Friday retook the village from the rebels", ["Syrian government forces"]),
    ("the regime has killed at least 30 people in a shelling attack after a pilot was killed by rebels",
     ["Syrian government forces"]),
    ("a bomb went off at the funeral of a Houthi commander", []),
    ("government troops shelled a Houthi post", ["Syrian government forces"]),
    ("fighters killed in the raid were buried by their comrades of the Nusra Front", []),
    ("some 120 Daesh (the so-called IS) fighters were killed in a series of Russian air strikes",
     ["Russian forces"]),
    ("al-Nusra Front jihadist rebels seized the hill", ["Hayat Tahrir al-Sham"]),
])
def test_roles_in_a_phrase(d, text, expected):
    assert d.perpetrators(text, ["SY"]) == expected


@pytest.mark.parametrize("text,expected", [
    ("Suspected Naxalites opened fire on a CRPF patrol", ["Maoists"]),
    ("Two CPI-Maoist cadres were killed in an encounter with SFs in the forest", ["Indian security forces"]),
    ("a Maoist leader was arrested by the police", ["Indian security forces"]),
    ("an exchange of fire between the police and the Maoists", ["Indian security forces", "Maoists"]),
    ("six suspected Maoists were killed when DRG jawans raided the camp", ["Indian security forces"]),
])
def test_the_war_in_india_has_its_own_actors(d, text, expected):
    assert d.perpetrators(text, ["IN"]) == expected


@pytest.mark.parametrize("text,expected", [
    ("IS fighters were driven out of the town by Kurdish forces", ["Syrian Democratic Forces"]),
    ("rebels were involved in the attack", ["Syrian opposition forces"]),
    ("the army has continued advancing towards the dam", ["Syrian government forces"]),
    ("ten soldiers were killed in clashes with IS near the airport", ["Islamic State"]),
])
def test_passive_subjects_and_the_other_side(d, text, expected):
    assert d.perpetrators(text, ["SY"]) == expected


@pytest.mark.parametrize("text,expected", [
    # the group's names in brackets and its generic head are one actor
    ("The Islamic State (ISIS, Daesh) terrorist group has executed 30 of its fighters", ["Islamic State"]),
    # "and what it called other ...": one set of actors
    ("the Nusra Front and what it called other terrorist groups had killed 40 people",
     ["Hayat Tahrir al-Sham", "Syrian opposition forces"]),
    # a "terrorist attack" in state media names no one
    ("a terrorist rocket attack hit a school in the city", []),
    ("Russian jets destroy a Daesh training center near Palmyra", ["Russian forces"]),
    # a voice of a party is not the party acting; the accused of "blamed on" is
    ("gunmen attacked the village, a YPG spokesman and Turkish security sources told reporters", []),
    ("the attack, which the regime blamed on the rebels", ["Syrian opposition forces"]),
    ("the army has continued advancing towards the dam where IS fighters remain", ["Syrian government forces"]),
])
def test_names_and_heads(d, text, expected):
    assert d.perpetrators(text, ["SY"]) == expected


# --- claimants --------------------------------------------------------------------------------

def test_two_coordinated_sources_give_two_claims():
    text = ("Air strikes killed 11 people in the town of Maarat al-Numan on Monday, official media "
            "and opposition activists said.")
    names = claimants(text)
    assert {"Syrian state media", "activists"}  # one name for the voice (actors.yaml voices) <= names


def test_a_source_that_speaks_without_figures_gives_a_claim_without_figures():
    text = ("At least 20 people were killed when a car bomb exploded in the town of Azaz. "
            "State television said the bombing had targeted a crowded market.")
    incident = extract(text)[0]
    by = {c.claimed_by: c for c in incident.claims}
    assert "Syrian state media" in by
    assert not by["Syrian state media"].killed and not by["Syrian state media"].injured


def test_the_interior_ministry_of_the_story_is_its_countrys():
    text = ("KABUL - A bomb exploded at a market in Kandahar on Sunday, killing nine people, "
            "the interior ministry said. The Taliban denied involvement.")
    names = claimants(text)
    assert "Afghan interior ministry" in names
    assert "Taliban" not in names or all(c.denial for i in extract(text) for c in i.claims
                                         if c.claimed_by == "Taliban")


def test_claimants_are_never_fragments_of_sentences():
    text = ("Government shelling killed 14 people including women and children in Douma on Monday "
            "opposition activists said. Three more died of their wounds at a field hospital on "
            "Tuesday medics told reporters.")
    for name in claimants(text):
        assert name in ("activists", "medics", "reporter"), name


def test_an_outlet_relaying_a_named_source_is_not_a_source_of_its_own():
    text = ("Five civilians were wounded in a rocket attack on the Midan district of Aleppo, "
            "according to SANA. In a statement to SANA, a source at the Aleppo Police Command said "
            "that rockets hit residential buildings.")
    names = claimants(text)
    assert "Aleppo Police Command" in names and "SANA" not in names


def test_those_killed_and_wounded_are_not_who_acted():
    d = ActorDictionary.load()
    roles = d.roles("soldiers killed and wounded many Houthi fighters near the airport", ["YE"])
    assert [(r.names, r.role) for r in roles] == [(["Houthis"], "target")]


def test_a_partys_statement_relayed_by_others_is_a_voice_not_the_doer():
    d = ActorDictionary.load()
    roles = d.roles("local media reported citing a Houthi statement that a gunman had opened fire", ["YE"])
    assert [(r.names, r.role) for r in roles] == [(["Houthis"], "voice")]
    assert d.perpetrators("local media reported citing a Houthi statement that a gunman had opened fire",
                          ["YE"]) == []


def test_fighters_described_after_their_name_and_the_side_that_repelled_them():
    import sitrep
    text = ("Islamic State militants launched an assault on a Kurdish-held town on Saturday. The hardline "
            "fighters attacked Kobane, which is held by the YPG militia, before dawn, a YPG spokesman said. "
            "He said the YPG had crushed the attack.")
    rec = sitrep.extract(text, published="2016-02-27")
    assert [(i.event_type, i.perpetrator) for i in rec.incidents] == [("armed_clash", ["Islamic State"])]


def test_armed_men_from_a_party_who_act_are_that_partys():
    """Issue 9, class 8: "snipers from X shot", "a gunman of X opened fire": X acted."""
    import sitrep
    for text in ("Snipers from the Islamic State shot dead two people in the town of Hajin on Monday.",
                 "A sniper from the Islamic State shot dead two people in the town of Hajin on Monday."):
        rec = sitrep.extract(text, published="2018-09-12")
        assert [i.perpetrator for i in rec.incidents] == [["Islamic State"]], text


def test_a_description_renamed_in_parentheses_is_the_named_party():
    """Issue 9, class 8: "terrorist groups (Nusra Front) shelled": the name says who; a
    description and its name are one doer, not two."""
    import sitrep
    text = "Mortar shells fired by the armed groups (Islamic State) killed two people in the town of Hajin on Monday."
    rec = sitrep.extract(text, published="2018-09-12")
    assert [i.perpetrator for i in rec.incidents] == [["Islamic State"]]
