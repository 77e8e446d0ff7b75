from dataclasses import dataclass

import pytest

import sitrep
from sitrep.knowledge.actors import ActorMention
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


# --- speakers found from the phrase around the verb (sentences written for these tests) ----

def test_coordinated_sources_are_two_claimants():
    text = "Nine people were killed in the raid, state television and opposition activists said."
    att = attribute(text, claimant_in(text, "state television", "Syrian state media"), None, canon)
    assert att.names() == ["Syrian state media", "opposition activists"]
    text = "At least six died, according to the local council and a hospital doctor."
    assert attribute(text, [], None, canon).names() == ["local council", "hospital doctor"]


def test_fragments_of_the_sentence_are_never_claimants():
    for text in ("The shelling killed 14 people including women and children opposition activists said",
                 "Two villages were hit and four farmers killed, the hospital director told reporters",
                 "The blast wounded dozens of people who were later reported dead"):
        att = attribute(text, [], None, canon)
        assert att is None or att.claimed_by in ("opposition activists", "hospital director"), att
    assert attribute("Twenty fighters were reported killed in the clashes", [], "Monitor Y", canon) is None
    assert attribute("No group has claimed responsibility for the bombing", [], "Monitor Y", canon) is None


def test_another_bodys_generic_claimant_keeps_its_own_name():
    # "health ministry" alone would be the article's country's; qualified, it is another's
    text = "Three of the wounded later died in hospital, the Jordanian health ministry said."
    att = attribute(text, claimant_in(text, "health ministry", "Syrian health ministry"), None, canon)
    assert att.claimed_by == "Jordanian health ministry"
    text = "A PKK military source said 11 soldiers had been killed."
    att = attribute(text, claimant_in(text, "military source", "Syrian military sources"), None, canon)
    assert att.claimed_by == "PKK military source"


def test_a_spokesman_speaks_for_his_group_and_is_remembered():
    text = "Liwa al-Fath spokesman Omar Haddad said the convoy had been ambushed."
    actor = [ActorMention(0, 12, "Liwa al-Fath", "Syrian opposition forces", "actor", None)]
    people: dict = {}
    assert attribute(text, [], None, canon, actor, people).claimed_by == "Liwa al-Fath"
    assert attribute("Haddad said three of its fighters were wounded", [], "Other", canon, [],
                     people).claimed_by == "Liwa al-Fath"


def test_titles_and_outlets():
    assert attribute("Kirkuk governor Rakan Saeed said 12 people were killed",
                     [], None, canon).claimed_by == "Kirkuk governor"
    assert attribute("The pro-government website Sham Times reported that 30 militants died",
                     [], None, canon).claimed_by == "Sham Times"
    assert attribute('"They fired on the crowd," said Samir Nasser, a teacher in the town.',
                     [], None, canon).claimed_by == "Samir Nasser"
    assert attribute("A source at the Homs Police Command told the agency that a car bomb exploded",
                     [], None, canon).claimed_by == "Homs Police Command"


def test_a_source_speaking_without_figures_is_a_claimant():
    text = "Local residents said the jets had struck the bakery twice."
    assert attribute(text, [], None, canon).claimed_by == "local residents"


def test_a_generic_name_after_a_named_body_is_that_body():
    text = "The shelling killed two soldiers, the Coalition said."
    coalition = claimant_in(text, "the Coalition", "US-led coalition")
    assert attribute(text, coalition, None, canon, seen=["Syrian National Coalition"]).claimed_by == \
        "Syrian National Coalition"
    assert attribute(text, coalition, None, canon).claimed_by == "US-led coalition"


def test_an_appositive_without_commas_names_the_body():
    text = "The Idlib Media Office an activist group said 14 people died"
    assert attribute(text, [], None, canon).claimed_by == "Idlib Media Office"


@pytest.mark.parametrize("text,expected", [
    # a relative clause between the source and its verb
    ("Medics at the Dar al-Shifa Hospital, which treats the wounded of both sides, said 12 died",
     "Dar al-Shifa Hospital medics"),
    # the source a name is given to
    ("A witness named Karim who lost a brother in the blast described the scene", "witness"),
    ("An official with the Nour Brigade, formerly known as the Nour Battalion, said six died",
     "Nour Brigade official"),
    # rank is not part of the name, nor a word that only qualifies a body
    ("A senior Kurdish security official told reporters 9 people died", "Kurdish security official"),
    ("Iraq's official Al Sabah Agency put the death toll at 14", "Al Sabah Agency"),
    # reordered: "the directorate of health in X"
    ("Nine died, according to the directorate of health in Hama", "Hama health directorate"),
    # an adverb between subject and verb; a token glued to punctuation
    ("The government has strongly denied that its jets struck the town", "government"),
    ("Four people died in the fire, the monitor said.--AFP", "Monitor Y"),
    # a title before a person's initials and name; a noun of saying before the verb
    ("Two cadres surrendered, Rampur SP K. R. Menon said", "Rampur SP"),
    ("Unconfirmed reports, however, said four more were killed", "Unconfirmed reports"),
    # the one quoted speaks, not the outlet that quotes
    ("Shelling killed six people in the town, the radio quoted a local doctor as saying", "local doctor"),
    ("Seven fighters died, the channel cited medics as saying", "medics"),
    # the source of a toll or statement, not the document
    ("Eleven died in the raid, according to a new toll from the local council", "local council"),
    ("Eleven died in the raid, according to figures released by local officials", "local officials"),
])
def test_speakers_in_harder_phrases(text, expected):
    att = attribute(text, [], "Monitor Y", canon)
    assert att is not None and att.claimed_by == expected, att


def test_a_participle_takes_the_subject_of_its_clause():
    text = "Deputy Minister Omar Aziz cast doubt on the report, saying 40 had died"
    assert attribute(text, [], None, canon).claimed_by == "Deputy Minister"


def test_a_second_source_giving_the_same_toll_is_a_claim_on_the_act():
    rec = sitrep.extract("Two car bombs in the city of Homs on Wednesday killed at least 18 people, "
                         "state news agency SANA reported. The Syrian Observatory for Human Rights "
                         "reported the same toll in the twin bombing in the Akrameh neighbourhood of Homs.",
                         published="2014-10-01")
    [inc] = rec.incidents
    assert inc.location.name == "Akrameh"
    assert sorted((c.claimed_by, c.killed["total"].value()) for c in inc.claims) == [
        ("SANA", 18), ("Syrian Observatory for Human Rights", 18)]


def test_a_second_source_naming_the_doer_of_an_unattributed_act_is_a_claim_on_it():
    # the first telling names no doer; the second, with its own toll, names one: one act,
    # two rival claims, the doer from the telling that names it
    rec = sitrep.extract("An air strike on the village of Kafr Nabl in Idlib province on Monday killed "
                         "at least 12 people, the Syrian Observatory for Human Rights said. The Local "
                         "Coordination Committees said the raid on Kafr Nabl was carried out by Russian "
                         "jets and put the toll at 15.", published="2016-05-03")
    [inc] = rec.incidents
    assert inc.perpetrator == ["Russian forces"]
    assert sorted((c.claimed_by, c.killed["total"].value()) for c in inc.claims) == [
        ("Local Coordination Committees", 15), ("Syrian Observatory for Human Rights", 12)]


def test_a_bare_name_points_back_to_the_body_named_before_even_if_it_had_not_spoken():
    rec = sitrep.extract("The Syrian Coalition called on the UN Security Council to act after the chemical "
                         "attack on Saraqib on Tuesday killed 40 people. In a statement the Coalition said "
                         "the regime had used chlorine in the attack.", published="2017-04-04")
    assert {c.claimed_by for i in rec.incidents for c in i.claims} == {"reporter", "Syrian Coalition"}


def test_a_risen_toll_is_another_claim_on_the_act_just_told():
    rec = sitrep.extract("Rebels took control of a base near the town of Azaz on Sunday, the army said. "
                         "Air strikes on the village of Tal Rifaat on Monday killed five civilians, the "
                         "Syrian Observatory for Human Rights said. Opposition websites said the death "
                         "toll had risen to nine after homes were targeted.", published="2016-07-20")
    strike = next(i for i in rec.incidents if i.location.name == "Tal Rifaat")
    assert sorted((c.claimed_by, c.killed["total"].value()) for c in strike.claims) == [
        ("Syrian Observatory for Human Rights", 5), ("opposition websites", 9)]


def test_the_turkish_armys_statements_are_the_turkish_militarys_claims():
    rec = sitrep.extract("Fourteen Islamic State fighters were killed as they attacked the village of Akhtarin "
                         "on Saturday, the Turkish army said in a statement.", published="2016-10-09")
    [inc] = rec.incidents
    assert [c.claimed_by for c in inc.claims] == ["Turkish military"]


def test_a_bare_word_of_a_bodys_name_said_later_is_that_body():
    text = ("The truce is being broken in Aleppo, the Russian centre for reconciliation in Syria said "
            "on Friday. Militants shot dead 12 men in Aleppo on Friday, the centre said.")
    rec = sitrep.extract(text, published="2016-08-12")
    assert [c.claimed_by for i in rec.incidents for c in i.claims] == ["Russian Defence Ministry"]


def test_a_document_of_the_source_named_before_is_its_word():
    text = ("Rebels broke the truce, the Russian centre for reconciliation said on Friday. According to "
            "the bulletin Nusra Front militants executed 40 gunmen in Aleppo on Friday.")
    rec = sitrep.extract(text, published="2016-08-12")
    assert [c.claimed_by for i in rec.incidents for c in i.claims] == ["Russian Defence Ministry"]


def test_claiming_persons_is_a_toll_not_a_statement():
    assert attribute("The rebels attacked the army, which claimed several persons in the clashes",
                     [], "Monitor Y", canon) is None


def test_the_army_speaking_after_another_force_is_the_army():
    text = ("Drones hit a market in Tawila in Sudan's North Darfur on Friday, killing nine people, the Rapid "
            "Support Forces said. The army said its aircraft had struck positions east of Tawila on Saturday, "
            "killing 20 fighters.")
    rec = sitrep.extract(text, published="2025-01-27")
    claimants = {c.claimed_by for i in rec.incidents for c in i.claims}
    assert "Sudanese Armed Forces" in claimants


def test_the_army_after_another_states_military_is_that_military():
    import functools
    from sitrep.knowledge.actors import ActorDictionary
    canonical = functools.partial(ActorDictionary.load().canonical, countries=["SY"])
    text = "The shelling killed two soldiers, the army said."
    army = claimant_in(text, "the army", "Syrian army")
    actors = [ActorMention(text.index("army"), text.index("army") + 4, "army", "Syrian government forces",
                           "actor", "ground")]
    assert attribute(text, army, None, canonical, actors, {}, ["Turkish military"]).claimed_by == \
        "Turkish military"
    # an armed group is no army: "the army" after the RSF is the army
    assert attribute(text, army, None, canonical, actors, {}, ["Rapid Support Forces"]).claimed_by == \
        "Syrian army"
