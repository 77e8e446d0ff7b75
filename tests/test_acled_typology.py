"""ACLED's typology: the one definition of event types, the coding rules, and the acts outside
sitrep's violent kinds that the extractor now reports. Every sentence here is our own."""
from __future__ import annotations

import pytest

import sitrep
from sitrep.knowledge.event_types import (acled_coding, by_case_label, event_types, related,
                                          sitrep_type_of, sub_event_types)
from sitrep.records import EVENT_TYPES

# ACLED's six event types and 25 sub-event types, spelt as ACLED spells them.
ACLED = {
    "Battles": {"Armed clash", "Government regains territory", "Non-state actor overtakes territory"},
    "Explosions/Remote violence": {"Chemical weapon", "Air/drone strike", "Suicide bomb",
                                   "Shelling/artillery/missile attack", "Remote explosive/landmine/IED",
                                   "Grenade"},
    "Violence against civilians": {"Sexual violence", "Attack", "Abduction/forced disappearance"},
    "Protests": {"Peaceful protest", "Protest with intervention", "Excessive force against protesters"},
    "Riots": {"Violent demonstration", "Mob violence"},
    "Strategic developments": {"Agreement", "Arrests", "Change to group/activity", "Disrupted weapons use",
                               "Headquarters or base established", "Looting/property destruction",
                               "Non-violent transfer of territory", "Other"},
}


def test_the_file_defines_acleds_25_sub_event_types_with_exact_spellings():
    subs = sub_event_types()
    assert len(subs) == 25
    assert {name: s.event_type for name, s in subs.items()} == \
        {name: et for et, names in ACLED.items() for name in names}
    assert len(by_case_label()) == 25  # one CASE label each


def test_disorder_types_follow_acleds_category_table():
    subs = sub_event_types()
    assert subs["Air/drone strike"].disorder_type == "Political violence"
    assert subs["Peaceful protest"].disorder_type == "Demonstrations"
    assert subs["Violent demonstration"].disorder_type == "Demonstrations"
    assert subs["Mob violence"].disorder_type == "Political violence"
    assert subs["Excessive force against protesters"].disorder_type == "Political violence; Demonstrations"
    assert subs["Arrests"].disorder_type == "Strategic developments"


def test_every_sitrep_type_has_its_codes_and_words():
    assert EVENT_TYPES == tuple(event_types())
    assert EVENT_TYPES[-1] == "other"
    for name, t in event_types().items():
        assert t.label and t.colour.startswith("#")
        assert t.fakes_cause in ("shelling", "explosion", "chemical and toxic gases", "shooting", "unknown")
        if name != "other":
            assert t.phrases, name
            assert t.acled in sub_event_types(), name
            assert sub_event_types()[t.acled].sitrep == name
    # the spec's table: every sub-event type maps to one of sitrep's types
    assert {s.sitrep for s in sub_event_types().values()} <= set(EVENT_TYPES)


def test_related_types_are_symmetric_pairs_of_known_types():
    for pair, fit in related().items():
        assert len(pair) == 2 and pair <= set(EVENT_TYPES) and 0 < fit < 1


# --- the coding rules ------------------------------------------------------------------

@pytest.mark.parametrize("args, kwargs, sub", [
    (("air_strike",), {}, "Air/drone strike"),
    (("explosion", ["Grenade"]), {}, "Grenade"),
    (("explosion",), {}, "Remote explosive/landmine/IED"),
    (("territory_change",), {"perpetrator": "the army"}, "Government regains territory"),
    (("territory_change",), {"perpetrator": "Islamic State", "perpetrator_kind": "rebel"},
     "Non-state actor overtakes territory"),
    (("territory_change", ["Non-violent transfer of territory"]), {}, "Non-violent transfer of territory"),
    (("armed_clash",), {}, "Armed clash"),
    (("armed_clash",), {"target_kind": "civilians"}, "Attack"),
    (("armed_clash",), {"civilians_killed": 4}, "Attack"),  # no armed side against the gunmen
    (("shooting_or_execution",), {"target_kind": "rebel", "combatants_killed": 3}, "Armed clash"),
    (("shooting_or_execution",), {}, "Attack"),
    (("other", ["Peaceful protest"]), {}, "Peaceful protest"),
    (("other", ["Peaceful protest", "Protest with intervention"]), {}, "Protest with intervention"),
    (("other", ["Peaceful protest", "Arrests"]), {}, "Protest with intervention"),
    (("other", ["Peaceful protest", "Protest with intervention"]), {"injured": 5},
     "Excessive force against protesters"),
    (("shooting_or_execution", ["Peaceful protest"]), {"killed": 2}, "Excessive force against protesters"),
    (("armed_clash", ["Peaceful protest"]), {}, "Violent demonstration"),
    (("other", ["Peaceful protest", "Violent demonstration"]), {}, "Violent demonstration"),
    (("other", ["Mob violence", "Peaceful protest"]), {}, "Mob violence"),
    (("other", ["Agreement"]), {}, "Agreement"),
    (("other", ["Change to group/activity", "Arrests"]), {}, "Arrests"),  # higher rank wins
    (("other",), {"civilians_killed": 2}, "Attack"),
    (("other",), {}, "Other"),
])
def test_acled_coding_rules(args, kwargs, sub):
    disorder, event_type, got = acled_coding(*args, **kwargs)
    assert got == sub
    assert event_type == sub_event_types()[sub].event_type
    assert disorder == sub_event_types()[sub].disorder_type


def test_sitrep_type_follows_the_spec_table():
    assert sitrep_type_of("Violent demonstration", "armed_clash") == "other"
    assert sitrep_type_of("Excessive force against protesters", "shooting_or_execution") == "shooting_or_execution"
    assert sitrep_type_of("Excessive force against protesters", "other") == "other"
    assert sitrep_type_of("Non-violent transfer of territory", "armed_clash") == "territory_change"
    assert sitrep_type_of("Abduction/forced disappearance", "other") == "abduction"
    assert sitrep_type_of("Arrests", "other") == "other"
    assert sitrep_type_of("Air/drone strike", "air_strike") == "air_strike"


def test_unknown_event_type_is_refused():
    with pytest.raises(ValueError, match="unknown event type"):
        acled_coding("tsunami")


# --- extraction: what each kind of act becomes -------------------------------------------

def coded(text: str) -> list[tuple[str, str, str]]:
    rec = sitrep.extract(text, published="2024-03-10")
    return [(i.event_type, i.sub_event_type, i.location.name) for i in rec.incidents]


@pytest.mark.parametrize("text, event_type, sub", [
    ("Thousands of teachers marched through Nairobi on Friday demanding higher pay.",
     "other", "Peaceful protest"),
    ("Police used tear gas to disperse hundreds of demonstrators in Harare on Saturday.",
     "other", "Protest with intervention"),
    ("Security forces shot dead four protesters during a rally in Khartoum on Thursday.",
     "shooting_or_execution", "Excessive force against protesters"),
    ("Rioters set up barricades and threw stones at police in Lagos on Monday.",
     "other", "Violent demonstration"),
    ("An angry mob lynched two men accused of stealing cattle in a village near Kano on Tuesday.",
     "other", "Mob violence"),
    ("Police arrested twelve suspected gang members in Mombasa on Wednesday.",
     "other", "Arrests"),
    ("The two factions signed a ceasefire agreement in Doha on Saturday.",
     "other", "Agreement"),
    ("Soldiers seized 40 rifles and 2,000 rounds of ammunition from a truck near Gao on Sunday.",
     "other", "Disrupted weapons use"),
    ("Turkish troops set up a new military post near Atarib on Monday.",
     "other", "Headquarters or base established"),
    ("Militiamen looted shops and torched houses in Bunia on Friday.",
     "other", "Looting/property destruction"),
    ("A hand grenade thrown into a crowded market in Kabul killed three people on Sunday.",
     "explosion", "Grenade"),
    ("Government troops recaptured the town of Palmyra from rebels on Tuesday.",
     "territory_change", "Government regains territory"),
])
def test_each_kind_of_act_is_an_incident_with_its_sub_event_type(text, event_type, sub):
    got = coded(text)
    assert got and got[0][:2] == (event_type, sub), got


@pytest.mark.parametrize("text", [
    "An earthquake killed at least 40 people in the mountains north of Herat on Monday.",
    "A gas cylinder exploded in a restaurant in Karachi on Friday, killing five people.",
    "Floods killed twelve villagers in Sindh province on Sunday.",
    # an industrial accident, and the sentence after it that goes on with it
    "A storage tank at a chemical plant near Basra exploded on Monday. Six workers were injured.",
    # the words of violence inside the accident's own words ("plane") are no act
    "Eleven people were killed when a cargo plane crashed near Goma on Tuesday.",
    "A volcanic eruption killed 30 villagers in the highlands on Sunday.",
])
def test_deaths_by_nature_or_accident_are_no_incident(text):
    assert coded(text) == []


@pytest.mark.parametrize("text,event_type", [
    ("A bomb exploded outside a factory in Quetta on Monday, killing four workers.", "explosion"),
    ("Militants blew up a gas pipeline near Arish on Friday.", "explosion"),
])
def test_a_device_or_a_doer_at_an_industrial_site_is_an_act(text, event_type):
    got = coded(text)
    assert got and got[0][0] == event_type, got


def test_a_seizure_of_weapons_is_not_a_seizure_of_a_town():
    [(event_type, sub, _)] = coded("Police seized twelve pistols in a raid in Peshawar on Monday.")
    assert (event_type, sub) == ("other", "Disrupted weapons use")


def test_weapons_seized_are_objects_not_acts():
    [(event_type, sub, _)] = coded("Soldiers seized rockets, mortar rounds and two IEDs in a raid "
                                   "on a farm near Kunduz on Tuesday.")
    assert (event_type, sub) == ("other", "Disrupted weapons use")


def test_riot_police_at_a_march_is_no_riot():
    [(event_type, sub, _)] = coded("Riot police dispersed hundreds of marchers in Minsk on Sunday.")
    assert (event_type, sub) == ("other", "Protest with intervention")


def test_an_undated_protest_in_a_report_of_violence_is_background():
    """An act outside the violent kinds needs a day of its own or a toll in a dated report."""
    got = coded("An air strike killed nine people in Idlib on Sunday. Residents have often "
                "protested against the siege.")
    assert [x[:2] for x in got] == [("air_strike", "Air/drone strike")]


def test_a_protest_does_not_pass_its_type_to_the_next_toll():
    got = coded("Hundreds protested in Aleppo on Friday. In Idlib, an air strike killed six people on Friday.")
    assert ("other", "Peaceful protest", "Aleppo") in got
    assert any(t == "air_strike" and place == "Idlib" for t, _, place in got)


def test_violent_acts_keep_their_types():
    """The violent kinds are unchanged by the new acts beside them."""
    got = coded("Russian jets bombed the town of Saraqib on Monday, killing 11 civilians.")
    assert got[0][:2] == ("air_strike", "Air/drone strike")


def test_a_country_toll_localised_to_its_town_keeps_the_finer_kind():
    got = coded("Two suicide bombers killed 12 people in northern Nigeria on Friday. Officials said "
                "20 others were wounded in the explosions in the town of Maiduguri.")
    assert [x[:2] for x in got] == [("suicide_bombing", "Suicide bomb")]
    assert got[0][2] == "Maiduguri"


def test_a_place_taken_in_fighting_is_a_change_of_control():
    # ACLED codes a battle in which a side takes the place as the change of territory: two
    # tellings of one act, the capture and the fighting, keep the first telling's kind
    from importlib import import_module
    merged_type = import_module("sitrep.extract.incidents").merged_type
    assert merged_type("territory_change", "armed_clash") == "territory_change"
    assert merged_type("armed_clash", "territory_change") == "armed_clash"
    assert merged_type("explosion", "suicide_bombing") == "suicide_bombing"


def test_the_speakers_side_is_not_who_took_the_place():
    [(_, sub, _)] = coded("An army spokesman said that rebels took over three villages near "
                          "Goma on Sunday.")
    assert sub == "Non-state actor overtakes territory"
    [(_, sub, _)] = coded("According to a police official, insurgents gained control of a border "
                          "post in Kunar province on Sunday.")
    assert sub == "Non-state actor overtakes territory"


def test_a_place_taken_after_the_other_side_left_is_a_non_violent_transfer():
    [(event_type, sub, _)] = coded("Rebel fighters entered the town of Ras al-Ain on Sunday and "
                                   "took control of it after government troops pulled out.")
    assert (event_type, sub) == ("territory_change", "Non-violent transfer of territory")


def test_an_interception_is_disrupted_weapons_use_only_of_weapons():
    [(_, sub, _)] = coded("Air defences intercepted two missiles over Kharkiv on Monday.")
    assert sub == "Disrupted weapons use"
    got = coded("Customs officers intercepted a lorry carrying counterfeit cigarettes near Dover on "
                "Monday, a major haul.")
    assert all(sub != "Disrupted weapons use" for _, sub, _ in got), got


def test_a_toll_of_dead_and_wounded_with_no_split_is_still_an_act():
    [(event_type, sub, _)] = coded("Government troops killed and wounded dozens of militants in "
                                   "Deir ez-Zor province on Sunday.")
    assert (event_type, sub) == ("armed_clash", "Armed clash")


def test_violent_clashes_between_armed_sides_are_no_riot():
    got = coded("Rebels attacked an army post near Tal Tamr on Thursday, triggering violent clashes "
                "between the two sides.")
    assert got and got[0][:2] == ("armed_clash", "Armed clash"), got


def test_grenades_seized_are_objects_not_a_grenade_attack():
    [(event_type, sub, _)] = coded("Troops seized AK rifles and grenades in Imphal on Monday.")
    assert (event_type, sub) == ("other", "Disrupted weapons use")


@pytest.mark.parametrize("text", [
    "More than forty rebels surrendered to the army in Beni on Monday.",
    "Some 70 armed opposition fighters surrendered in Yei on Tuesday and joined the state forces.",
    "The government and the rebel movement began peace talks in Juba on Wednesday.",
])
def test_surrenders_and_talks_are_agreements(text):
    got = coded(text)
    assert got and got[0][:2] == ("other", "Agreement"), got


def test_people_captured_are_no_place_taken():
    got = coded("Troops killed ten militants and captured two others alive near Kismayo on Monday.")
    assert got and all(event_type != "territory_change" for event_type, _, _ in got), got
    got = coded("The army seized control of the town of Jilib on Monday and captured a senior "
                "militant commander there.")
    assert got and got[0][0] == "territory_change", got


def test_a_protest_that_descends_into_violence_is_a_riot():
    got = coded("Police fired tear gas at hundreds of demonstrators in Harare on Friday as the rally "
                "descended into chaos.")
    assert got and got[0][1] == "Violent demonstration", got
