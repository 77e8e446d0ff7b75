"""Reference readers: each format to ReferenceRecords with our admin1 names, ISO countries,
event types and actors; bad rows reported one line each, never raised."""
from pathlib import Path

import pytest

from sitrep.verify.references import (FORMATS, admin1_name, canonical_actor, country_code,
                                      read_reference, sniff_format)

ACLED = """event_id_cnty,event_date,year,country,admin1,admin2,location,latitude,longitude,event_type,sub_event_type,actor1,actor2,fatalities,notes
SYR12345,04 April 2017,2017,Syria,Idleb,Maaret An Numan,Khan Shaykhun,35.4397,36.6511,Explosions/Remote violence,Chemical weapon,Military Forces of Syria (2000-),Civilians (Syria),70,Sarin attack
SYR12346,2017-04-07,2017,Syria,Rural Damascus,Duma,Duma,33.57,36.40,Battles,Armed clash,Opposition Rebels (Syria),Military Forces of Syria (2000-),4,
SYR12347,not a date,2017,Syria,Aleppo,,Aleppo,36.2,37.1,Battles,Armed clash,Unidentified Armed Group (Syria),,2,
SYR12348,2017-04-08,2017,Syria,Aleppo,,Aleppo,36.2,37.1,Battles,Armed clash,Islamic State (Syria),,-3,
YEM1,2018-06-01,2018,Yemen,Al Hudaydah,,Hodeidah,14.8,42.95,Explosions/Remote violence,Air/drone strike,Military Forces of Saudi Arabia,,12,
"""

UCDP = """id,relid,year,type_of_violence,side_a,side_b,country,adm_1,adm_2,where_coordinates,latitude,longitude,date_start,date_end,deaths_civilians,best,low,high,source_article
401,SYR-2017-1,2017,1,Government of Syria,Syrian insurgents,Syria,Idlib governorate,,Khan Shaykhun town,35.44,36.65,2017-04-04 00:00:00.000,2017-04-04 00:00:00.000,70,74,58,100,AFP
402,SYR-2017-2,2017,3,IS,Civilians,Syria,Dayr az Zawr governorate,,Mayadin town,35.02,40.45,2017-10-01,2017-10-03,,12,10,15,
403,SYR-2017-3,2017,2,SDF,IS,Syria,Ar Raqqah governorate,,,,,,,,5,5,5,
"""

VDC = """uid,Province,Sex,Status,Age,Date of death,Martyrdom location,Cause of Death,Direct Cause of Death,Actors,Type of Weapon,Rank / Military situation
1,Damascus Suburbs,Adult - Male,Civilian,0,2016-02-03,Damascus Suburbs: Douma,Warplane shelling,,Russian troops,,
2,Idlib,Child - Female,Civilian,0,2016-02-03,,Shelling,,Syrian government and affiliated militias,Artillery,
3,Sweida,Adult - Male,Non-Civilian,0,2016-02-04,,Shooting,,Not identified,,FSA
4,Other Nationalities,Adult - Male,Civilian,0,2016-02-05,,Explosion,,,,
5,Aleppo,Adult - Male,Civilian,0,,,Shooting,,,,
6,Hasakeh,Adult - Male,Civilian,0,31/02/2016,,Shooting,,,,
"""

VDC_DAILY = """day,Aleppo,Damascus,Damascus Suburbs,Daraa,Deir Ezzor,Hama,Hasakeh,Homs,Idlib,Lattakia,Quneitra,Raqqa,Sweida,Tartous
2017-04-03,2.0,0.0,1.0,0.0,0.0,0.0,0.0,0.0,5.0,0.0,0.0,0.0,0.0,0.0
2017-04-04,3.0,0.0,0.0,0.0,0.0,0.0,0.0,0.0,88.0,0.0,0.0,0.0,0.0,0.0
2017-04-05,x,0.0,0.0,0.0,0.0,0.0,0.0,0.0,4.0,0.0,0.0,0.0,0.0,0.0
"""

VDC_CAUSE = """day,Chemical Weapon,Detention,Execution,Explosion,Lack of Medical Access,Shelling,Shooting,Siege,Unknown
2017-04-04,80.0,0.0,0.0,0.0,0.0,10.0,1.0,0.0,0.0
"""

AIRWARS = """incident_code,incident_date,location,governorate,country,civ_killed_min,civ_killed_max,children_killed,women_killed,men_killed,civ_injured_min,civ_injured_max,airwars_grading,belligerent,belligerent_relation,numbers_from,belligerent_position_note,url
RS1693,2016-11-26,"Sakhour, Aleppo",Aleppo,Syria,3,14,,,,12,12,Contested,"Russian Military; Syrian Regime",suspected,summary,,https://airwars.org/x
CS423,2016-12-30,"Debsi Afnan",Raqqa,Syria,5,,,,,,22,,US-led Coalition,alleged,,,https://airwars.org/y
"""

SYRIAN_ARCHIVE = """link,location,latitude,longitude,date_ddmmyyyy,date,violation_type,weapons,description
https://syrianarchive.org/database/46020,ALEPPO : Bab Road,36.206361,37.192694,17/01/2017,2017-01-17,Use of illegal weapons,"Chemical Weapons, Chlorine Gas",Chlorine gas attack that targeted Aleppo city
https://syrianarchive.org/database/45359,DAMASCUS : Marj al sultan,,,11/01/2017,2017-01-11,Use of illegal weapons,Cluster Munition,Cluster bombs attack in Damascus countryside
https://syrianarchive.org/database/1,IDLIB : Saraqib,,,,,Attack on civilians,,no date here
"""


def read(text, fmt, tmp_path, name="ref.csv"):
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    errors = []
    return read_reference(p, fmt, errors), errors, p


def test_names_map_to_ours():
    assert admin1_name("Damascus Suburbs", "SY") == "Rural Damascus"
    assert admin1_name("Sweida", "SY") == "As-Suwayda"
    assert admin1_name("Idlib governorate", "SY") == "Idlib"
    assert admin1_name("Lattakia", "SY") == "Latakia"
    assert admin1_name("Other Nationalities", "SY") is None
    assert country_code("Syria") == "SY"
    assert country_code("Yemen (North Yemen)") == "YE"
    assert canonical_actor("Military Forces of Syria (2000-)") == "Syrian government forces"
    assert canonical_actor("The organization of the Islamic State in Iraq and the Levant - ISIS") == "Islamic State"
    assert canonical_actor("Russian troops") == "Russian forces"
    assert canonical_actor("Self administration forces") == "Syrian Democratic Forces"
    assert canonical_actor("Not identified") is None


def test_acled(tmp_path):
    recs, errors, p = read(ACLED, "acled", tmp_path)
    assert [r.ref_id for r in recs] == ["SYR12345", "SYR12346", "YEM1"]
    r = recs[0]
    assert (r.source, r.date, r.country, r.admin1, r.place) == ("acled", "2017-04-04", "SY", "Idlib", "Khan Shaykhun")
    assert (r.event_type, r.actor, r.killed_best, r.lat) == ("chemical_attack", "Syrian government forces", 70, 35.4397)
    assert recs[1].admin1 == "Rural Damascus" and recs[1].actor == "Syrian opposition forces"
    assert recs[1].event_type == "armed_clash"
    assert recs[2].country == "YE" and recs[2].event_type == "air_strike"
    assert len(errors) == 2
    assert errors[0].startswith(f"{p}:row 4: ") and "not a date" in errors[0]
    assert errors[1].startswith(f"{p}:row 5: ") and "negative" in errors[1]


def test_ucdp(tmp_path):
    recs, errors, _ = read(UCDP, "ucdp", tmp_path)
    assert [r.ref_id for r in recs] == ["401", "402"]
    r = recs[0]
    assert (r.date, r.date_end, r.country, r.admin1) == ("2017-04-04", None, "SY", "Idlib")
    assert (r.killed_low, r.killed_best, r.killed_high, r.civilians) == (58, 74, 100, 70)
    assert r.actor == "Syrian government forces" and r.place == "Khan Shaykhun town"
    assert r.raw["type_of_violence"] == "state-based"
    assert recs[1].admin1 == "Deir ez-Zor" and recs[1].date_end == "2017-10-03"
    assert len(errors) == 1 and "row 4" in errors[0] and "date_start" in errors[0]


def test_vdc_victims(tmp_path):
    recs, errors, _ = read(VDC, "vdc", tmp_path)
    assert [r.ref_id for r in recs] == ["1", "2", "3", "4"]
    assert [r.admin1 for r in recs] == ["Rural Damascus", "Idlib", "As-Suwayda", None]
    assert [r.event_type for r in recs] == ["air_strike", "shelling", "shooting_or_execution", "explosion"]
    assert [r.actor for r in recs] == ["Russian forces", "Syrian government forces", None, None]
    assert [r.civilians for r in recs] == [1, 1, 0, 1]
    assert all(r.killed_best == 1 and r.country == "SY" for r in recs)
    assert recs[0].place == "Douma"
    assert len(errors) == 2 and "row 6" in errors[0] and "row 7" in errors[1]


def test_vdc_daily_by_province_and_by_cause(tmp_path):
    recs, errors, _ = read(VDC_DAILY, "vdc-daily", tmp_path)
    got = {(r.date, r.admin1): r.killed_best for r in recs}
    assert got == {("2017-04-03", "Aleppo"): 2, ("2017-04-03", "Rural Damascus"): 1, ("2017-04-03", "Idlib"): 5,
                   ("2017-04-04", "Aleppo"): 3, ("2017-04-04", "Idlib"): 88, ("2017-04-05", "Idlib"): 4}
    assert all(r.source == "vdc-daily" for r in recs)
    assert len(errors) == 1 and "row 4" in errors[0] and "other columns were read" in errors[0]
    recs, errors, _ = read(VDC_CAUSE, "vdc-daily", tmp_path, "cause.csv")
    assert not errors
    got = {r.event_type: r.killed_best for r in recs}
    assert got == {"chemical_attack": 80, "shelling": 10, "shooting_or_execution": 1}
    assert all(r.source == "vdc-daily-cause" and r.admin1 is None for r in recs)


def test_airwars_and_syrian_archive(tmp_path):
    recs, errors, _ = read(AIRWARS, "airwars", tmp_path)
    assert not errors
    assert recs[0].actor == "Russian forces; Syrian government forces"
    assert (recs[0].killed_low, recs[0].killed_high, recs[0].event_type) == (3, 14, "air_strike")
    assert (recs[1].killed_low, recs[1].killed_high, recs[1].actor) == (5, 5, "US-led coalition")
    recs, errors, _ = read(SYRIAN_ARCHIVE, "syrian-archive", tmp_path, "sa.csv")
    assert [(r.ref_id, r.admin1, r.place, r.event_type) for r in recs] == [
        ("46020", "Aleppo", "Bab Road", "chemical_attack"), ("45359", "Damascus", "Marj al sultan", "air_strike")]
    assert len(errors) == 1 and "row 4" in errors[0]


def test_bad_files_are_reported_not_raised(tmp_path):
    errors = []
    assert read_reference(tmp_path / "missing.csv", "acled", errors) == []
    assert "cannot read" in errors[0]
    recs, errors, _ = read(VDC, "acled", tmp_path)  # the wrong format for the file
    assert recs == [] and "not this format" in errors[0]
    recs, errors, _ = read("", "vdc", tmp_path)
    assert recs == [] and "empty" in errors[0]
    recs, errors, _ = read(ACLED.replace("Khan Shaykhun,", 'Khan "Shaykhun,'), "acled", tmp_path)
    assert isinstance(recs, list)  # a broken quote never raises
    with pytest.raises(ValueError):
        read_reference(tmp_path / "x.csv", "nope")


@pytest.mark.parametrize("fmt", FORMATS)
def test_sniffed_format_of_each_fixture(tmp_path, fmt):
    text = {"acled": ACLED, "ucdp": UCDP, "vdc": VDC, "vdc-daily": VDC_DAILY, "airwars": AIRWARS,
            "syrian-archive": SYRIAN_ARCHIVE}[fmt]
    p = tmp_path / "f.csv"
    p.write_text(text)
    assert sniff_format(p) == fmt


SHARED = Path(__file__).resolve().parents[2] / "shared" / "data" / "reference"


@pytest.mark.skipif(not SHARED.exists(), reason="../shared/data not beside the checkout")
def test_the_shared_samples_read_without_a_bad_row():
    for name, fmt, n in (("vdc-victims-sample-2015-2018.csv", "vdc", 9484),
                         ("airwars-syria-sample-2016-2017.csv", "airwars", 27),
                         ("syrian-archive-incidents-2012-2017.csv", "syrian-archive", 3837)):
        errors = []
        assert len(read_reference(SHARED / name, fmt, errors)) == n
        assert errors == []
