"""Finding and resolving places in text (sitrep.knowledge.places). The sentences are ours."""
from __future__ import annotations

import dataclasses
import glob
import json
from pathlib import Path

import pytest

from sitrep.knowledge.places import Gazetteer, PlaceMention
from sitrep.knowledge.names import name_key
from sitrep.records import Location

SHARED = Path(__file__).resolve().parents[2] / "shared"


@pytest.fixture(scope="module")
def g() -> Gazetteer:
    return Gazetteer.load()


def places(g: Gazetteer, text: str, countries=("SY",)) -> list[PlaceMention]:
    found = g.find(text, list(countries))
    for m in found:  # offsets always point at the name as written
        assert text[m.start:m.end] == m.text
    return found


def one(g: Gazetteer, text: str, written: str, countries=("SY",)) -> PlaceMention:
    hits = [m for m in places(g, text, countries) if m.text == written]
    assert len(hits) == 1, [(m.text, m.location.name) for m in places(g, text, countries)]
    return hits[0]


def test_load_is_cached(g: Gazetteer) -> None:
    assert Gazetteer.load() is g


# -- transliterations -------------------------------------------------------------------------

@pytest.mark.parametrize("written,name,admin1", [
    ("Deir Ezzor", "Deir ez-Zor", "Deir ez-Zor"),
    ("Deir ez-Zor", "Deir ez-Zor", "Deir ez-Zor"),
    ("Deir el-Zour", "Deir ez-Zor", "Deir ez-Zor"),
    ("Dayr az Zawr", "Deir ez-Zor", "Deir ez-Zor"),
    ("Albu Kamal", "Albu Kamal", "Deir ez-Zor"),
    ("Abu Kamal", "Albu Kamal", "Deir ez-Zor"),
    ("Al-Bukamal", "Albu Kamal", "Deir ez-Zor"),
    ("Raqa", "Raqqa", "Raqqa"),
    ("Raqqa", "Raqqa", "Raqqa"),
    ("Ar-Raqqah", "Raqqa", "Raqqa"),
    ("Mayadeen", "Mayadeen", "Deir ez-Zor"),
    ("Al Mayadin", "Mayadeen", "Deir ez-Zor"),
    ("Khan Shaykhun", "Khan Sheikhoun", "Idlib"),
    ("Tall Abyad", "Tel Abyad", "Raqqa"),
])
def test_transliteration_variants_meet_on_one_english_name(g, written, name, admin1) -> None:
    m = one(g, f"Witnesses said the shelling of {written} went on through the night.", written)
    assert (m.location.name, m.location.admin1, m.location.country) == (name, admin1, "SY")
    assert m.location.precision == "town" and m.kind == "populated"
    assert m.location.lat is not None and m.location.lon is not None


def test_a_spelling_no_list_holds_still_resolves_at_home(g) -> None:
    m = one(g, "Regime jets pounded Deir Ezour again on Monday.", "Deir Ezour")
    assert m.location.name == "Deir ez-Zor"
    assert m.score < 1.0


# -- cues ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "Shelling hit villages across Idlib province overnight.",
    "Shelling hit villages across the province of Idlib overnight.",
    "Shelling hit villages in rural Idlib overnight.",
    "Shelling hit villages in the Idlib countryside overnight.",
])
def test_division_cues_give_the_admin1(g, text) -> None:
    m = [p for p in places(g, text) if p.location.name == "Idlib"]
    assert len(m) == 1
    assert m[0].kind == "admin1"
    assert (m[0].location.precision, m[0].location.admin1) == ("admin1", "Idlib")


def test_countryside_is_kept_as_the_modifier(g) -> None:
    assert one(g, "Fighting raged in the Idlib countryside.", "Idlib").modifier == "countryside"
    manbij = one(g, "Jets struck the Manbij countryside.", "Manbij")
    assert (manbij.kind, manbij.modifier, manbij.location.precision) == ("populated", "countryside", "district")


def test_a_bare_city_name_is_the_city(g) -> None:
    m = one(g, "A car bomb went off in Aleppo on Tuesday.", "Aleppo")
    assert (m.location.name, m.location.admin1, m.location.precision) == ("Aleppo", "Aleppo", "town")


def test_settlement_cue_with_adjectives(g) -> None:
    m = one(g, "Army units pushed into the eastern town of Mayadeen at dawn.", "Mayadeen")
    assert (m.kind, m.location.precision, m.modifier) == ("populated", "town", None)


@pytest.mark.parametrize("text,written,modifier", [
    ("Sixty fighters were killed south of Deir Ezzor.", "Deir Ezzor", "south of"),
    ("A convoy was bombed outside Aleppo.", "Aleppo", "outside"),
    ("Clashes broke out on the outskirts of Manbij.", "Manbij", "outskirts"),
])
def test_relative_positions_widen_to_district(g, text, written, modifier) -> None:
    m = one(g, text, written)
    assert m.modifier == modifier
    assert m.location.precision == "district"


def test_near_and_area_keep_the_town(g) -> None:
    m = one(g, "Forty were killed around the town of Albu Kamal.", "Albu Kamal")
    assert (m.modifier, m.location.precision) == ("around", "town")
    m = one(g, "A command post was hit in the area of Mayadeen.", "Mayadeen")
    assert (m.modifier, m.location.precision) == ("area", "town")


def test_direction_of_a_province_stays_admin1(g) -> None:
    m = one(g, "Operations ended in the east of the central province of Homs.", "Homs")
    assert (m.kind, m.modifier, m.location.precision) == ("admin1", "east of", "admin1")


def test_names_that_include_their_cue_word(g) -> None:
    m = one(g, "Mortars fell on the Damascus countryside.", "Damascus countryside")
    assert m.location.name == "Rural Damascus" and m.kind == "admin1"
    m = one(g, "Rockets hit Douma in eastern Ghouta.", "eastern Ghouta")
    assert (m.location.name, m.kind, m.location.precision) == ("Eastern Ghouta", "region", "district")


# -- neighbourhoods and villages no gazetteer knows --------------------------------------------

def test_unknown_neighbourhood_of_a_named_city(g) -> None:
    m = one(g, "Shells hit the Qatarji neighbourhood of Aleppo on Friday.", "Qatarji")
    aleppo = g.lookup("Aleppo", ["SY"])
    assert (m.kind, m.location.name, m.location.precision) == ("neighbourhood", "Qatarji", "point")
    assert (m.location.admin1, m.location.lat, m.location.lon) == ("Aleppo", aleppo.lat, aleppo.lon)
    assert m.score < 1.0


def test_unknown_district_of_a_city_keeps_the_city_as_its_own_mention(g) -> None:
    found = places(g, "Raids killed nine in the southern Zebdiyeh district of Aleppo.")
    by_text = {m.text: m for m in found}
    assert by_text["Zebdiyeh"].kind == "neighbourhood" and by_text["Zebdiyeh"].location.admin1 == "Aleppo"
    assert by_text["Aleppo"].kind == "populated" and by_text["Aleppo"].location.precision == "town"


def test_unknown_neighbourhood_takes_the_last_town_named(g) -> None:
    text = "Barrel bombs fell on Homs on Sunday. Later five died in the Bab Dreib neighbourhood."
    m = one(g, text, "Bab Dreib")
    assert (m.location.admin1, m.location.precision) == ("Homs", "point")


def test_known_neighbourhood_and_city_before_it_split(g) -> None:
    found = places(g, "Mortars struck Aleppo Sheikh Maqsoud neighbourhood.")
    assert [(m.text, m.kind) for m in found] == [("Aleppo", "populated"), ("Sheikh Maqsoud", "neighbourhood")]


def test_neighbourhood_of_the_capital(g) -> None:
    m = one(g, "Mortars hit the Qassaa neighbourhood of the capital.", "Qassaa")
    assert m.location.admin1 == "Damascus"


def test_unknown_village_takes_admin1_from_its_sentence(g) -> None:
    m = one(g, "Four died in the village of Kafr Hamra in Aleppo province.", "Kafr Hamra")
    assert (m.kind, m.location.name, m.location.admin1, m.location.precision) == \
        ("populated", "Kafr Hamra", "Aleppo", "town")
    assert m.score <= 0.5
    m = one(g, "Four died in the village of Umm Kharaz at dawn.", "Umm Kharaz")
    assert m.location.admin1 is None


# -- context ------------------------------------------------------------------------------------

def test_country_context_chooses_between_places_of_one_name(g) -> None:
    lb = one(g, "Clashes erupted in Tripoli overnight.", "Tripoli", ["LB"])
    ly = one(g, "Clashes erupted in Tripoli overnight.", "Tripoli", ["LY"])
    assert (lb.location.country, lb.location.admin1) == ("LB", "North Lebanon")
    assert (ly.location.country, ly.location.admin1) == ("LY", "Tripoli")


def test_country_mentions_but_not_demonyms(g) -> None:
    found = places(g, "The Syrian army said Syrian jets had struck targets in Syria.")
    assert [(m.text, m.kind, m.location.precision) for m in found] == [("Syria", "country", "country")]


def test_dropped_apostrophes(g) -> None:
    found = places(g, "Air strikes kill dozens in Syrias Aleppos eastern districts")
    assert [(m.text, m.location.name) for m in found] == [("Syria", "Syria"), ("Aleppo", "Aleppo")]


def test_article_countries_ranks_by_evidence(g) -> None:
    text = ("Russian jets struck Idlib province, the Syrian Observatory said. Syria's government "
            "denied it. Talks are due in Moscow.")
    assert g.article_countries(text)[0] == "SY"
    assert "RU" not in g.article_countries(text)  # an aside does not widen the context
    assert g.article_countries("Kyiv said Russian drones hit Kharkiv Oblast and Odesa.")[0] == "UA"
    assert g.article_countries("Nothing here names a place.") == []


def test_find_without_countries_uses_the_article_countries(g) -> None:
    m = [p for p in g.find("Government jets hit Manbij and Raqqa province in Syria.") if p.text == "Manbij"]
    assert m and m[0].location.country == "SY" and m[0].score == 1.0


# -- false positives ----------------------------------------------------------------------------

def test_common_words_people_and_organisations_are_not_places(g) -> None:
    text = ("Reuters said the Observatory reported that Assad and Bashar met on Monday. Islamic "
            "State, the Coalition, the Front, the Army, the Free Syrian Army, Said, Hope and the "
            "Police answered Daesh. Kerry and Hollande spoke. Of all this, Read more.")
    assert places(g, text) == []


def test_person_names_beside_a_place_name_are_not_places(g) -> None:
    found = places(g, "Commander Qasim Halabouni was killed in Qalamoun, said President Hadi.")
    assert [(m.text, m.location.name) for m in found] == [("Qalamoun", "Qalamoun")]


def test_small_foreign_places_need_their_own_name_and_a_cue(g) -> None:
    # "Tokhar" is spelt like a US town and a Sudanese one under the lossy keys; neither stands.
    m = one(g, "Coalition jets hit the village of Tokhar near Manbij.", "Tokhar")
    assert (m.location.country, m.location.name, m.location.admin1) == ("SY", "Tokhar", "Aleppo")
    m = one(g, "Shells landed in the Turkish border town of Akcakale.", "Akcakale")
    assert m.location.country == "TR"
    big = one(g, "Talks resumed in Geneva on Monday.", "Geneva")
    assert big.location.country == "CH" and big.score < 1.0


# -- other wars ---------------------------------------------------------------------------------

@pytest.mark.parametrize("text,countries,expected", [
    ("Iraqi forces advanced in Mosul and Fallujah as fighting spread across Anbar province.", ["IQ"],
     [("Mosul", "Mosul", "Nineveh", "town"), ("Fallujah", "Fallujah", "Anbar", "town"),
      ("Anbar", "Anbar", "Anbar", "admin1")]),
    ("Strikes hit Hodeidah port, Al Hudaydah airport, Taiz and Saada.", ["YE"],
     [("Hodeidah", "Hodeidah", "Hodeidah", "town"),
      ("Al Hudaydah airport", "Al Hudaydah airport", "Hodeidah", "point"),  # a facility at its town
      ("Taiz", "Taiz", "Taiz", "town"), ("Saada", "Saada", "Saada", "town")]),
    ("Shells fell on Kharkiv, on Kharkov's outskirts, on Bakhmut and Artemivsk in Donetsk oblast.", ["UA"],
     [("Kharkiv", "Kharkiv", "Kharkiv Oblast", "town"), ("Kharkov", "Kharkiv", "Kharkiv Oblast", "town"),
      ("Bakhmut", "Bakhmut", "Donetsk Oblast", "town"), ("Artemivsk", "Bakhmut", "Donetsk Oblast", "town"),
      ("Donetsk oblast", "Donetsk Oblast", "Donetsk Oblast", "admin1")]),
    ("Fighters shelled El Fasher and Al-Fashir in North Darfur.", ["SD"],
     [("El Fasher", "El Fasher", "North Darfur", "town"), ("Al-Fashir", "El Fasher", "North Darfur", "town"),
      ("North Darfur", "North Darfur", "North Darfur", "admin1")]),
    ("Strikes hit Khan Younis, the Jabalia camp and Rafah.", ["PS"],
     [("Khan Younis", "Khan Younis", "Gaza Strip", "town"), ("Jabalia camp", "Jabalia camp", "Gaza Strip", "town"),
      ("Rafah", "Rafah", "Gaza Strip", "town")]),
    ("A bomb killed four in Lashkar Gah, the capital of Helmand province.", ["AF"],
     [("Lashkar Gah", "Lashkar Gah", "Helmand", "town"), ("Helmand province", "Helmand", "Helmand", "admin1")]),
])
def test_places_of_other_wars(g, text, countries, expected) -> None:
    got = [(m.text, m.location.name, m.location.admin1, m.location.precision)
           for m in places(g, text, countries) if m.kind != "country"]
    assert got == expected


# -- lookups ------------------------------------------------------------------------------------

def test_lookup_prefers_the_countries_and_admin1_given(g) -> None:
    assert g.lookup("Deir Ezzor", ["SY"]).name == "Deir ez-Zor"
    assert g.lookup("Tripoli", ["LB"]).country == "LB"
    assert g.lookup("Tripoli", ["LY"]).country == "LY"
    assert g.lookup("Hama", ["SY"], admin1="Hama").admin1 == "Hama"
    assert g.lookup("Anbar", ["IQ"]).precision == "admin1"
    assert g.lookup("Rahibeh", ["SY"]).name == "Al-Ruhaybah"
    assert g.lookup("Zzyzzyx Qwerty", ["SY"]) is None


def test_admin1_of_and_fakes_location(g) -> None:
    assert g.admin1_of(Location("Douma", None, "SY", 33.57, 36.40)) == "Rural Damascus"
    assert g.admin1_of(Location("x", "Ar-Raqqah", "SY")) == "Raqqa"
    assert g.admin1_of(Location("Syria", None, "SY", precision="country")) is None
    assert g.fakes_location(Location("Douma", "Rural Damascus", "SY")) == "damascus"
    assert g.fakes_location(Location("Deir ez-Zor", "Deir ez-Zor", "SY", precision="admin1")) == "deir ezzor"
    assert g.fakes_location(Location("Qamishli", None, "SY", 37.05, 41.23)) == "hasakeh"
    assert g.fakes_location(Location("Mosul", "Nineveh", "IQ")) == ""
    assert g.fakes_location(Location("Syria", None, "SY", precision="country")) == ""


# -- the hand-annotated examples ----------------------------------------------------------------

GOLD_FLOOR = 0.78  # measured 120/149 (0.805) on the 53 dev articles; the misses are mostly villages
# and quarters no gazetteer of ours has, named outside the evidence of their incident


@pytest.mark.skipif(not (SHARED / "data" / "gold").is_dir(), reason="shared gold data not present")
def test_gold_locations_are_found(g) -> None:
    hits, misses = 0, []
    files = sorted(glob.glob(str(SHARED / "data" / "gold" / "*.gold.json")))
    for f in files:
        gold = json.loads(Path(f).read_text(encoding="utf-8"))
        art = json.loads(Path(f.replace(".gold.json", ".article.json")).read_text(encoding="utf-8"))
        text = art["text"]
        found = g.find(text, g.article_countries((art.get("title") or "") + "\n" + text))
        for inc in gold["incidents"]:
            loc = inc["location"]
            spans = [(e["start"], e["end"]) for c in inc["claims"] for e in c["evidence"]]
            same = lambda l: name_key(l.name) == name_key(loc["name"]) and \
                name_key(l.admin1 or "") == name_key(loc["admin1"] or "")  # noqa: E731
            ok = any(same(m.location) for m in found if any(s <= m.start < e for s, e in spans))
            if not ok:
                looked = g.lookup(loc["name"], [loc["country"]])
                ok = looked is not None and name_key(looked.admin1 or "") == name_key(loc["admin1"] or "")
            hits += ok
            if not ok:
                misses.append(f"{Path(f).name}: {loc['name']} ({loc['admin1']})")
    total = hits + len(misses)
    print(f"\ngold locations found: {hits}/{total} = {hits / total:.3f}; misses: {misses}")
    assert total >= 30
    assert hits / total >= GOLD_FLOOR


# -- places beyond the gazetteer (issue 9, classes 1 and 5) ------------------------------------

def test_unknown_village_takes_its_district_from_the_sentence(g) -> None:
    m = one(g, "Gunmen shot two farmers dead in Pondhuri village of Latehar district on Sunday.",
            "Pondhuri", ("IN",))
    district = one(g, "Gunmen shot two farmers dead in Pondhuri village of Latehar district on Sunday.",
                   "Latehar", ("IN",)).location
    assert (m.location.name, m.location.admin1, m.location.country) == ("Pondhuri", "Jharkhand", "IN")
    # the village is a village; its point is its district's (no gazetteer has its own)
    assert m.location.precision == "town" and m.score <= 0.5
    assert (m.location.lat, m.location.lon) == (district.lat, district.lon)


def test_unknown_village_in_a_province_has_no_point_of_its_own(g) -> None:
    m = one(g, "A drone hit the hamlet of Qaryat Zuhur in Raqqa province.", "Qaryat Zuhur")
    assert (m.location.admin1, m.location.precision, m.location.lat) == ("Raqqa", "town", None)


def test_unknown_village_takes_the_province_of_the_sentence_before(g) -> None:
    text = "Jets pounded rebel-held Idlib province. The strikes hit the village of Umm Jurn overnight."
    assert one(g, text, "Umm Jurn").location.admin1 == "Idlib"


def test_unknown_village_takes_the_province_of_the_sentence_after(g) -> None:
    # the article's places lie in two provinces, so only the next sentence can say
    text = ("Fighting went on in Daraa and in Homs. Elsewhere the night was calm. Jets hit the "
            "village of Umm Jurn overnight. The village lies near Saraqib.")
    assert one(g, text, "Umm Jurn").location.admin1 == "Idlib"


def test_a_district_resolves_to_the_division_with_its_state(g) -> None:
    m = one(g, "Police fought rebels in Latehar district for two hours.", "Latehar", ("IN",))
    assert (m.kind, m.location.precision, m.location.admin1) == ("region", "district", "Jharkhand")
    # written with a capital, the cue noun still says what the name is
    m = one(g, "Police fought rebels in Latehar District for two hours.", "Latehar", ("IN",))
    assert (m.location.precision, m.location.admin1) == ("district", "Jharkhand")


def test_the_article_country_comes_from_its_districts(g) -> None:
    # no country named: a district of India is evidence enough, and an Indian town must
    # not be read as the smaller Gaya of Niger
    text = "Rebels set fire to a school in Gaya district on Monday."
    assert g.article_countries(text)[0] == "IN"
    m = one(g, text, "Gaya", g.article_countries(text))
    assert (m.location.country, m.location.admin1) == ("IN", "Bihar")


def test_a_town_read_far_outside_its_stated_district_is_a_local_place(g) -> None:
    text = "Three rebels died at Kotra village under the Konch police station of Gaya district."
    m = one(g, text, "Konch", ("IN",))
    assert (m.location.admin1, m.guessed) == ("Bihar", True)


def test_a_place_west_of_a_city_lies_by_that_city(g) -> None:
    # GeoNames' only Mansoura of Syria is in Raqqa province, far east of Aleppo
    m = one(g, "Shells hit the village of Mansoura, just west of Aleppo.", "Mansoura")
    assert m.location.admin1 == "Aleppo"
    m = one(g, "Shells hit the village of Mansoura, west of Raqqa.", "Mansoura")
    assert m.location.admin1 == "Raqqa"


def test_distance_from_a_town_is_around_it_not_in_it(g) -> None:
    m = one(g, "A roadside bomb went off 20 km from Kirkuk.", "Kirkuk", ("IQ",))
    assert (m.location.name, m.location.precision) == ("Kirkuk", "district")
    assert one(g, "A roadside bomb went off in Kirkuk.", "Kirkuk", ("IQ",)).location.precision == "town"


def test_a_capital_for_its_government_is_no_place(g) -> None:
    found = places(g, "Kyiv resumed talks with Moscow after shelling hit Kharkiv.", ("UA",))
    assert [m.location.name for m in found] == ["Kyiv", "Kharkiv"]
    assert not places(g, "A deal between Ankara and Moscow held.", ("SY",))
    assert "Damascus" not in [m.location.name for m in places(g, "Damascus denied the report.")]
    assert [m.location.name for m in places(g, "A car bomb went off in Damascus.")] == ["Damascus"]
    # a government capital gives no country to the article
    assert g.article_countries("Kyiv resumed talks with Moscow after shelling hit Donetsk.")[0] == "UA"


def test_facilities_are_named_at_their_town(g) -> None:
    m = one(g, "Militants stormed the Tabqa air base at dawn.", "Tabqa air base")
    assert (m.location.name, m.location.admin1, m.location.precision) == ("Tabqa air base", "Raqqa", "point")
    assert m.location.lat is not None
    # one facility, one name: the shorter mention takes the fuller one
    found = places(g, "The fight for Tabqa base went on. Tabqa air base fell on Sunday.")
    assert {m.location.name for m in found} == {"Tabqa air base"}


def test_features_and_villages_named_by_a_noun_after_them(g) -> None:
    text = "Troops clashed with rebels in Kalmadih forest near Kotra village in Latehar District."
    names = {m.text: m.location for m in places(g, text, ("IN",))}
    assert names["Kalmadih forest"].admin1 == "Jharkhand" and names["Kalmadih forest"].precision == "district"
    assert names["Kotra"].admin1 == "Jharkhand"


def test_plural_nouns_and_creeds_name_no_place(g) -> None:
    assert not [m for m in places(g, "Troops relieved two besieged Shiite villages.") if m.guessed]
    assert not places(g, "Maoist cadres attacked a patrol.", ("IN",))


def test_listed_villages_all_take_the_cue(g) -> None:
    found = places(g, "Jets struck the villages of Kafr Zeyta, Tal Hadiya and Deir Sunbul.")
    assert [m.text for m in found] == ["Kafr Zeyta", "Tal Hadiya", "Deir Sunbul"]


def test_villages_listed_before_a_plural_noun_are_each_one(g) -> None:
    found = places(g, "The army took control of Jubb Hamza, Tell Zaid and Arak villages on Monday.")
    assert [m.text for m in found] == ["Jubb Hamza", "Tell Zaid", "Arak"]
    # a plural noun after a single word that is no name describes ("two Shiite villages")
    assert places(g, "Shells hit two Shiite villages and the Kurdish towns.") == []


def test_a_headline_capital_does_not_make_a_district(g) -> None:
    found = places(g, "Related: Rebels Continue Shelling Kurdish District Of Aleppo Amid Talks")
    assert not [m for m in found if m.guessed]


def test_a_village_far_from_all_the_texts_places_is_a_local_one(g) -> None:
    # GeoNames' only Kotra of India lies hundreds of km away, in another state
    text = "Gunmen shot three villagers in Latehar district. The attack was at Kotra village."
    m = one(g, text, "Kotra", ("IN",))
    assert (m.location.admin1, m.guessed) == ("Jharkhand", True)


def test_a_place_named_in_the_next_sentence_locates_the_act() -> None:
    from sitrep.extract.pipeline import default_pipeline
    from sitrep.records import Article

    text = ("A car bomb killed six soldiers in Syria on Monday. "
            "The explosion took place in Tal Abyad, near the border.")
    record = default_pipeline()(Article("scene", text, published="2020-03-03"))
    assert [(i.event_type, i.location.name) for i in record.incidents] == [("explosion", "Tel Abyad")]


def test_a_person_introduced_by_name_is_no_place(g) -> None:
    found = places(g, "Police arrested a courier identified as Nirmal near Khunti.", ("IN",))
    assert [m.location.name for m in found] == ["Khunti"]


def test_the_words_after_a_title_or_a_persons_role_are_a_name_not_places(g) -> None:
    found = places(g, "A local resident Malik Kasab said a shell hit his house in Homs.")
    assert [m.location.name for m in found] == ["Homs"]
    found = places(g, "President Hama Ali met the envoy in Damascus.")
    assert [m.location.name for m in found] == ["Damascus"]
    # a place word after a role with a cue of place stays a place
    found = places(g, "An activist in Saraqib said the market was hit.")
    assert [m.location.name for m in found] == ["Saraqib"]


def test_a_state_written_as_itself_beats_a_town_that_lists_its_name(g) -> None:
    m = one(g, "The suspect, a trader from Bihar, was held at the border.", "Bihar", ("IN",))
    assert (m.kind, m.location.name) == ("admin1", "Bihar")
    # a city that bears its province's name is still the city
    assert one(g, "Shells fell on Aleppo at dawn.", "Aleppo").location.precision == "town"


def test_a_district_named_with_a_compass_word(g) -> None:
    m = one(g, "A mine went off in East Singhbhum District on Friday.", "East Singhbhum", ("IN",))
    assert (m.location.precision, m.location.admin1) == ("district", "Jharkhand")


def test_a_sentence_opening_word_does_not_hide_the_city_of_a_quarter(g) -> None:
    found = places(g, "In Aleppos Kallaseh neighborhood a shell killed two men.")
    assert [(m.text, m.location.admin1) for m in found] == [("Aleppo", "Aleppo"), ("Kallaseh", "Aleppo")]


def test_a_city_named_as_holding_a_town_of_its_province_is_the_province(g) -> None:
    found = places(g, "Jets struck the town of Maarat Misrin in Idlib on Monday.")
    assert [(m.text, m.location.precision) for m in found] == [("Maarat Misrin", "town"), ("Idlib", "admin1")]
    assert one(g, "Jets struck Idlib on Monday.", "Idlib").location.precision == "town"


def test_english_words_before_a_cue_name_no_village(g) -> None:
    found = places(g, "Blasts hit a market in the Red Sea port city of Hodeidah.", ("YE",))
    assert [m.location.name for m in found] == ["Hodeidah"]


def test_a_texts_armed_groups_say_its_country_where_it_names_none() -> None:
    # A terse incident summary names no country; its actors (an Indian insurgency, Indian
    # police) place it in India, not at a namesake town abroad.
    import sitrep
    rec = sitrep.extract("Maoist cadres shot dead two villagers in Narayanpur District on Monday, "
                         "police said.", published="2021-03-02")
    assert [(i.location.country, i.location.admin1) for i in rec.incidents] == [("IN", "Chhattisgarh")]


def test_newer_districts_are_known_over_an_older_namesake(g: Gazetteer) -> None:
    # Chhattisgarh's Bijapur District (formed 2007), not Karnataka's renamed one
    m = one(g, "an encounter in Bijapur District on Friday", "Bijapur", countries=("IN",))
    assert (m.location.admin1, m.location.precision) == ("Chhattisgarh", "district")
    # and districts GeoNames' division file lacks
    m = one(g, "a landmine blast in Gajapati District on Friday", "Gajapati", countries=("IN",))
    assert (m.location.admin1, m.location.precision) == ("Odisha", "district")


def test_where_someone_is_from_is_not_where_the_act_was() -> None:
    import sitrep
    rec = sitrep.extract("Police arrested a Maoist commander, a resident of Kurumbadi village in "
                         "Gaya District, near Chatra town in Jharkhand on Monday.", published="2015-06-02")
    assert [(i.location.name, i.location.admin1) for i in rec.incidents] == [("Chatra", "Jharkhand")]
    # residents as the subject of a clause are no one's origin
    rec = sitrep.extract("Residents of Kafr Nabl in Idlib said government jets struck the town on "
                         "Monday, killing four people.", published="2015-06-02")
    assert [i.location.name for i in rec.incidents] == ["Kafranbel"]


def _pm(name: str, admin1: str | None, precision: str, guessed: bool = False) -> PlaceMention:
    kind = {"district": "region", "admin1": "admin1"}.get(precision, "populated")
    return PlaceMention(0, len(name), name, Location(name, admin1, "IN", None, None, precision), kind,
                        guessed=guessed)


def test_a_town_named_with_its_district_lies_in_it() -> None:
    # "arrested at Khaira under ... of Jamui District": a Khaira in another state is a
    # namesake, not the scene; a village the gazetteer lacks stays
    from importlib import import_module
    within = import_module("sitrep.extract.mentions")._within_named_divisions
    district = _pm("Jamui", "Bihar", "district")
    elsewhere, here, unknown = _pm("Khaira", "Maharashtra", "town"), _pm("Khaira", "Bihar", "town"), \
        _pm("Harni", None, "town", guessed=True)
    assert within([elsewhere, district]) == [district]
    assert within([here, unknown, district]) == [here, unknown, district]
    assert within([elsewhere]) == [elsewhere]  # no district named: nothing to judge by
    # a place named relative to another ("Douma outside Damascus") is no division holding it
    outside = dataclasses.replace(_pm("Damascus", "Damascus", "district"), modifier="outside")
    town = _pm("Douma", "Rural Damascus", "town")
    assert within([town, outside]) == [town, outside]
    # ... but its countryside or outskirts are inside it
    rural = dataclasses.replace(_pm("Raqqa", "Raqqa", "admin1"), modifier="countryside")
    namesake = _pm("Salihiya", "Damascus", "point")
    assert within([namesake, rural]) == [rural]


def test_the_seat_of_a_province_is_the_town_of_its_name_else_its_largest(g) -> None:
    assert g.provincial_capital("SY", "Idlib").name == "Idlib"
    assert g.provincial_capital("AF", "Kandahar").precision == "town"
    assert g.provincial_capital("SY", "No Such Province") is None


def test_the_provincial_capital_is_the_seat_of_the_province_named() -> None:
    import sitrep
    for text in ("In Kandahar province, a bomb exploded in the provincial capital on Monday, killing four people.",
                 "In the southern province of Kandahar, gunmen attacked the militant-held provincial capital "
                 "on Monday, killing four people."):
        [inc] = sitrep.extract(text, published="2019-05-07").incidents
        assert (inc.location.name, inc.location.precision) == ("Kandahar", "town")


def test_where_the_shooters_were_is_not_where_their_fire_fell():
    import sitrep
    text = ("Gunmen positioned in the Bustan al-Qasr neighbourhood fired rockets on the al-Midan "
            "neighbourhood of Aleppo city on Thursday, killing a man and his wife.")
    rec = sitrep.extract(text, published="2016-04-29")
    assert [i.location.name for i in rec.incidents] == ["Al-Midan"]


def test_a_name_placed_by_its_container_keeps_that_place_when_named_again(g) -> None:
    # the gazetteer's only Al Maleh lies far in the south; the text places it north of Aleppo
    text = ("Thirty soldiers died in battles around Al Maleh north of Aleppo. For a week troops have "
            "fought for control of Al Maleh.")
    assert {(m.location.name, m.location.admin1) for m in places(g, text) if m.text == "Al Maleh"} == \
        {("Al Maleh", "Aleppo")}


def test_a_province_named_as_holding_a_town_rules_out_its_namesakes_elsewhere(g) -> None:
    """Issue 9, class 5: "the town of X in rural P": a town of that name in another province
    is not it, even within a day's drive; the place no gazetteer knows is put in P."""
    found = places(g, "Aircraft bombed a factory in the town of Mansoura in rural Aleppo.")
    town = next(p for p in found if p.text == "Mansoura")
    assert (town.location.admin1, town.location.lat) == ("Aleppo", None)


def test_a_town_near_the_capital_is_the_countrys_only_town_of_that_name(g) -> None:
    """Issue 9, class 5: a city that is a province of its own lies inside another province;
    "the town of X near the capital" is the country's one X though it lies in that other
    province, some way out."""
    town = one(g, "Artillery hit the town of Jayrud near Damascus on Sunday.", "Jayrud")
    assert (town.location.admin1, town.guessed) == ("Rural Damascus", False)
    assert town.location.lat is not None and abs(town.location.lat - 33.81) < 0.05


def test_an_unknown_name_that_only_places_bear_is_a_place(g) -> None:
    """Issue 9, class 1: "strikes on Tel X", "rockets hit Kafr Y": an Arabic name whose first
    word begins only place names, after a word of place, names a village the gazetteer lacks;
    the province of its sentence holds it. A person's name after such a word is not one."""
    found = {m.text: m for m in places(g, "Rockets hit Tel Safra in Hama province on Monday.")}
    assert found["Tel Safra"].guessed and found["Tel Safra"].location.admin1 == "Hama"
    assert "Khan Yaqub" not in {m.text for m in places(g, "The shelling was condemned by Khan Yaqub in Hama.")}
    assert "Tel Safra" not in {m.text for m in places(g, "Observers said Tel Safra was quiet in Hama.")}


def test_the_x_area_names_a_place_the_gazetteer_lacks(g) -> None:
    """Issue 9, class 1: "the X area" names X where no gazetteer knows it, in the province
    its sentence names; "the rebel-held area" names nothing, nor does "the X area committee"."""
    found = {m.text: m for m in places(g, "Shelling of the Zabdoun area in Homs province killed four men.")}
    assert found["Zabdoun"].guessed and found["Zabdoun"].location.admin1 == "Homs"
    assert [m.text for m in places(g, "Shelling of the Kurdish-held area in Homs province killed four.")] == ["Homs"]
    # a body named after an area is no place; nor is a name with nothing around to place it
    assert "Zabdoun" not in {m.text for m in places(g, "A member of the Zabdoun area committee was held in Homs.")}
    assert "Zabdoun" not in {m.text for m in places(g, "Shelling of the Zabdoun area killed four men.")}


def test_a_list_whose_commas_were_lost_still_names_each_place(g) -> None:
    """Issue 9, class 2: "in each of the districts of A B and C" with the commas lost: the
    unknown word after a listed place is the next place of the list, of the cue's kind."""
    text = "Strikes on Aleppo killed one civilian in each of the districts of Hanano Rawdan and Salah al-Din."
    found = {m.text: m for m in places(g, text)}
    assert {"Hanano", "Rawdan", "Salah al-Din"} <= set(found)
    assert found["Rawdan"].guessed and found["Rawdan"].location.admin1 == "Aleppo"
    # a singular cue names one place: its second word is that place's own
    assert "Rawdan" not in {m.text for m in places(g, "Strikes hit the district of Hanano Rawdan in Aleppo.")}


# Sentences of ours, with lower-case words between names, particles, possessives, hyphens
_RUN_TEXTS = [
    "Shelling hit Deir ez-Zor and Ras al Ain, then the town of al-Bab near Aleppo's outskirts.",
    "US-backed forces entered the Maharashtra-Chhattisgarh border area and the Kiul-Gaya line.",
    "The Syrian Observatory said that in the village of Tal Jabin al the strikes killed two.",
    "THE REBELS took Idlib; Free Syrian Army fighters and pro-regime militia clashed in Homs.",
    "President Assad's forces shelled al Qusayr and el Rastan, and the Kurdish-led SDF held Tabqa.",
]


def _all_tokens(text: str, g: Gazetteer) -> list:
    """Every word as a token, those left out as no name included (the reading before the
    tokens were thinned)."""
    from sitrep.knowledge import places as P
    out = []
    for m in P._WORD.finditer(text):
        w, end = m.group(), m.end()
        if w[-2:] in ("'s", "\u2019s") and len(w) > 3:
            w, end = w[:-2], end - 2
        r = P._reading(w, g.lex)
        if r[0] is None:
            a = m.start()
            out.append(P._Tok(a, a + len(r[1]), r[1], r[1].lower(), True, False))
            out.append(P._Tok(a + len(r[1]) + 1, end, r[2], r[2].lower(), True, False))
        else:
            out.append(P._Tok(m.start(), end, w, r[0], r[1], r[2]))
    return out


@pytest.mark.parametrize("text", _RUN_TEXTS)
def test_words_that_are_no_names_are_left_out_without_changing_the_runs(g: Gazetteer, text: str) -> None:
    from sitrep.knowledge import places as P
    kept = P._tokens(text, g.lex)
    every = _all_tokens(text, g)
    # only lower-case words that are no particle are left out
    assert [t for t in every if t.name_like or t.particle or t.text[:1].isupper()] == kept
    assert len(kept) < len(every)

    def spans(toks):
        return [(toks[r[0]].start, toks[r[-1]].end) for r in P._runs(toks, text)]

    assert spans(kept) == spans(every)
    assert spans(kept)  # the sentences name places


@pytest.mark.parametrize("text, end", [
    ("Aleppo province was shelled", 6), ("Sheikh Maqsoud neighbourhood of Aleppo", 14),
    ("Jabalia refugee camp", 7), ("Bab al-Hawa border crossing", 11), ("Tabqa air base", 5),
    ("Mayadeen said the army", 8), ("the Baeedeen area", 12), ("Latehar District Police", 7),
    ("Homs central district of the city", 4), ("Aleppo, a city", 6), ("Raqqa and Idlib", 5),
])
def test_a_cue_after_a_name_is_read_alike_with_its_first_word_looked_at_first(g: Gazetteer, text, end) -> None:
    """The cue after a name, read where its first word may start one, is the cue read from all
    its words (as before the first word was looked at alone)."""
    from sitrep.knowledge import places as P
    got = P._post_cue(text, end, g.lex)

    class Every(type(g.lex)):  # every word may start a cue: all of them read
        cue_firsts = _AnyWord()

    whole = P._post_cue(text, end, Every(**{f.name: getattr(g.lex, f.name) for f in dataclasses.fields(g.lex)}))
    assert got == whole


class _AnyWord:
    def __contains__(self, word: str) -> bool:
        return True
