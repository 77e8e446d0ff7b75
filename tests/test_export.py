"""Exports: ACLED and UCDP GED CSV with their column names and codes, valid GeoJSON, JSON Lines, PLOVER."""
import csv
import io
import json
import math

import pytest

from sitrep.export import (
    death_range, export, plover_event, priogrid_gid, ucdp_row, acled_row, to_geojson,
)
from sitrep.records import Claim, Count, Incident, Location, Span
from sitrep.reconcile import ReconciledIncident, reconcile
from sitrep.store.model import LinkedIncident, StoredIncident

# The column names exactly as the datasets spell them (ACLED export since 2023; UCDP GED 23.1+).
ACLED_HEADER = [
    "event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type",
    "sub_event_type", "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2",
    "interaction", "civilian_targeting", "iso", "region", "country", "admin1", "admin2", "admin3",
    "location", "latitude", "longitude", "geo_precision", "source", "source_scale", "notes",
    "fatalities", "tags", "timestamp"]
UCDP_HEADER = (
    "id,relid,year,active_year,code_status,type_of_violence,conflict_dset_id,conflict_new_id,"
    "conflict_name,dyad_dset_id,dyad_new_id,dyad_name,side_a_dset_id,side_a_new_id,side_a,"
    "side_b_dset_id,side_b_new_id,side_b,number_of_sources,source_article,source_office,"
    "source_date,source_headline,source_original,where_prec,where_coordinates,"
    "where_description,adm_1,adm_2,latitude,longitude,geom_wkt,priogrid_gid,country,"
    "country_id,region,event_clarity,date_prec,date_start,date_end,deaths_a,deaths_b,"
    "deaths_civilians,deaths_unknown,best,high,low,gwnoa,gwnob").split(",")


# --- building reconciled incidents ---------------------------------------------------------

def claim(by, killed=None, injured=None, denial=False, evidence=None):
    def c(v):
        return Count(*v) if isinstance(v, tuple) else Count(best=v)
    return Claim(by, {k: c(v) for k, v in (killed or {}).items()},
                 {k: c(v) for k, v in (injured or {}).items()}, denial,
                 [Span(0, len(evidence), evidence)] if evidence else [])


def incident(link_id, *reports, wire_groups=()):
    """reports: (article_id, outlet, published, Incident) tuples -> one ReconciledIncident."""
    members = {}
    for i, (aid, outlet, published, inc) in enumerate(reports):
        pk = link_id * 100 + i
        members[pk] = StoredIncident(pk, pk, aid, outlet, published, 0, inc)
    return reconcile(LinkedIncident(link_id, list(members), [list(g) for g in wire_groups]), members)


def act(event_type="air_strike", date="2017-10-06", date_end=None, date_precision="day",
        place="Mayadeen", admin1="Deir ez-Zor", country="SY", lat=35.02, lon=40.45,
        precision="town", perpetrator=("Russian forces",), target=None, claims=()):
    return Incident(event_type, date, date_end, date_precision,
                    Location(place, admin1, country, lat, lon, precision), list(perpetrator),
                    target, list(claims))


@pytest.fixture
def sample():
    strike = incident(
        7,
        ("a1", "Reuters", "2017-10-07", act(claims=[
            claim("Syrian Observatory for Human Rights", {"total": (15, 15, None), "civilians": 15},
                  evidence="at least 15 civilians were killed")])),
        ("a2", "AFP", "2017-10-07", act(claims=[claim("Russian Defence Ministry", {"total": (None, 80, 80)})])),
    )
    clash = incident(
        8,
        ("b1", "AP", "2016-09-20", act(event_type="armed_clash", date="2016-09-18", date_end="2016-09-20",
                                       date_precision="range", place="Aleppo", admin1="Aleppo",
                                       lat=36.2, lon=37.16, perpetrator=["Syrian government forces"],
                                       target="Islamic State",
                                       claims=[claim("Syrian Observatory for Human Rights",
                                                     {"total": 12, "combatants": 12, })])),
    )
    month = incident(
        9,
        ("c1", "BBC", "2022-05-02", act(event_type="shelling", date="2022-04-01", date_precision="month",
                                        place="Kharkiv Oblast", admin1="Kharkiv Oblast", country="UA",
                                        lat=49.5, lon=36.5, precision="admin1",
                                        claims=[claim("reporter", {"total": 4}, {"total": 9})])),
    )
    no_place = incident(
        10,
        ("d1", "SANA", "2015-03-01", act(event_type="explosion", date="2015", date_precision="year",
                                         place="Syria", admin1=None, lat=None, lon=None,
                                         precision="country", perpetrator=["unknown"], claims=[])),
    )
    far_east = incident(
        11,
        ("e1", "Rappler", "2017-06-01", act(event_type="territory_change", date="2017-05-31",
                                            place="Marawi", admin1="Lanao del Sur", country="PH",
                                            lat=8.0, lon=124.29, perpetrator=["Islamic State"],
                                            claims=[claim("Philippine military", {"combatants": 3})])),
    )
    return [strike, clash, month, no_place, far_east]


def run(incidents, fmt):
    buf = io.StringIO()
    skipped = export(incidents, fmt, buf)
    return buf.getvalue(), skipped


# --- a GeoJSON validator: the RFC 7946 rules that matter to QGIS and geojson.io -------------

GEOMETRY_DEPTH = {"Point": 0, "MultiPoint": 1, "LineString": 1, "MultiLineString": 2,
                  "Polygon": 2, "MultiPolygon": 3}


def _no_constants(name):
    raise ValueError(f"{name} is not JSON (RFC 8259 has no NaN or Infinity)")


def geojson_errors(text: str) -> list[str]:
    """Every breach of the GeoJSON rules in ``text``; empty when it is valid."""
    try:
        doc = json.loads(text, parse_constant=_no_constants)
    except ValueError as exc:
        return [f"not strict JSON: {exc}"]
    errors = []

    def number(x):
        return isinstance(x, (int, float)) and not isinstance(x, bool) and math.isfinite(x)

    def position(p, where):
        if not isinstance(p, list) or len(p) not in (2, 3) or not all(number(x) for x in p):
            errors.append(f"{where}: a position is 2 or 3 finite numbers, got {p!r}")
            return
        lon, lat = p[0], p[1]
        if not -180 <= lon <= 180:
            errors.append(f"{where}: longitude {lon} out of range (positions are [longitude, latitude])")
        if not -90 <= lat <= 90:
            errors.append(f"{where}: latitude {lat} out of range (positions are [longitude, latitude])")

    def coords(c, depth, where):
        if depth == 0:
            position(c, where)
        elif not isinstance(c, list):
            errors.append(f"{where}: coordinates must be an array")
        else:
            for i, x in enumerate(c):
                coords(x, depth - 1, f"{where}[{i}]")

    def geometry(g, where):
        if g is None:
            return
        if not isinstance(g, dict) or g.get("type") not in GEOMETRY_DEPTH and g.get("type") != "GeometryCollection":
            errors.append(f"{where}: not a GeoJSON geometry: {g!r}")
            return
        if g["type"] == "GeometryCollection":
            for i, sub in enumerate(g.get("geometries") or []):
                geometry(sub, f"{where}.geometries[{i}]")
            return
        if "coordinates" not in g:
            errors.append(f"{where}: a {g['type']} needs coordinates")
            return
        coords(g["coordinates"], GEOMETRY_DEPTH[g["type"]], f"{where}.coordinates")

    if not isinstance(doc, dict) or doc.get("type") != "FeatureCollection":
        return ["the top level must be a FeatureCollection object"]
    if "crs" in doc:
        errors.append("RFC 7946 removed the crs member: coordinates are WGS 84")
    if not isinstance(doc.get("features"), list):
        return errors + ["a FeatureCollection has a features array"]
    ids = set()
    for i, f in enumerate(doc["features"]):
        where = f"features[{i}]"
        if not isinstance(f, dict) or f.get("type") != "Feature":
            errors.append(f"{where}: not a Feature")
            continue
        if "geometry" not in f:
            errors.append(f"{where}: a Feature has a geometry member (null allowed)")
        else:
            geometry(f["geometry"], f"{where}.geometry")
        if "properties" not in f or not (f["properties"] is None or isinstance(f["properties"], dict)):
            errors.append(f"{where}: a Feature has a properties member, an object or null")
        if "id" in f:
            if not (isinstance(f["id"], str) or number(f["id"])):
                errors.append(f"{where}: an id is a string or a number")
            elif f["id"] in ids:
                errors.append(f"{where}: id {f['id']!r} repeats")
            ids.add(f["id"])
    return errors


def test_the_validator_catches_what_breaks_maps():
    good = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "id": 1, "geometry": {"type": "Point", "coordinates": [124.29, 8.0]},
         "properties": {}}]}
    assert geojson_errors(json.dumps(good)) == []
    swapped = json.loads(json.dumps(good))
    swapped["features"][0]["geometry"]["coordinates"] = [8.0, 124.29]
    assert any("latitude" in e for e in geojson_errors(json.dumps(swapped)))
    assert geojson_errors('{"type": "FeatureCollection", "features": [{"type": "Feature", '
                          '"geometry": {"type": "Point", "coordinates": [NaN, 1]}, "properties": {}}]}')
    no_props = json.loads(json.dumps(good))
    del no_props["features"][0]["properties"]
    assert geojson_errors(json.dumps(no_props))
    with_crs = dict(good, crs={"type": "name"})
    assert geojson_errors(json.dumps(with_crs))


# --- GeoJSON -------------------------------------------------------------------------------

def test_geojson_is_valid_lon_lat_and_reports_what_it_leaves_out(sample):
    text, skipped = run(sample, "geojson")
    assert geojson_errors(text) == []
    doc = json.loads(text)
    assert skipped == [(10, "no coordinates")]
    by_id = {f["id"]: f for f in doc["features"]}
    assert sorted(by_id) == [7, 8, 9, 11]
    assert by_id[7]["geometry"]["coordinates"] == [40.45, 35.02]      # [longitude, latitude]
    assert by_id[11]["geometry"]["coordinates"] == [124.29, 8.0]
    props = by_id[7]["properties"]
    assert props["killed_best"] == 15 and props["killed_high"] == 80
    assert props["article_ids"] == "a1; a2"
    assert all(not isinstance(v, (dict, list)) for f in doc["features"] for v in f["properties"].values())


def test_geojson_leaves_out_broken_coordinates(sample):
    sample[0].location.lat = float("nan")
    sample[1].location.lat = 95.0
    doc, skipped = to_geojson(sample)
    assert {i for i, _ in skipped} == {7, 8, 10}
    assert geojson_errors(json.dumps(doc, allow_nan=False)) == []


# --- ACLED ---------------------------------------------------------------------------------

def test_acled_header_and_conventions(sample):
    text, skipped = run(sample, "acled")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert next(csv.reader(io.StringIO(text))) == ACLED_HEADER
    assert skipped == [(10, "dated only to the year")]     # ACLED needs at least the month
    by_id = {r["event_id_cnty"]: r for r in rows}
    strike = by_id["SYR7"]
    assert strike["event_date"] == "2017-10-06" and strike["year"] == "2017"
    assert strike["time_precision"] == "1" and strike["geo_precision"] == "1"
    assert (strike["disorder_type"], strike["event_type"], strike["sub_event_type"]) == (
        "Political violence", "Explosions/Remote violence", "Air/drone strike")
    assert strike["fatalities"] == "15"           # the conservative figure, not 80
    # ACLED's own actor names, so that rows join to ACLED's
    assert strike["actor1"] == "Military Forces of Russia (2000-)" and strike["inter1"] == "External/Other forces"
    # civilians killed by an air strike are actor2; civilian_targeting marks violence against civilians only
    assert strike["actor2"] == "Civilians (Syria)" and strike["civilian_targeting"] == ""
    assert strike["interaction"] == "External/Other forces-Civilians"
    assert strike["iso"] == "760" and strike["country"] == "Syria" and strike["region"] == "Middle East"
    assert strike["latitude"] == "35.0200" and strike["longitude"] == "40.4500"
    assert "Reuters" in strike["source"] and "Syrian Observatory for Human Rights" in strike["source"]
    clash = by_id["SYR8"]
    assert (clash["event_type"], clash["sub_event_type"]) == ("Battles", "Armed clash")
    assert clash["time_precision"] == "2" and clash["event_date"] == "2016-09-19"   # the span's middle
    assert clash["actor1"] == "Military Forces of Syria (2000-)"
    assert clash["actor2"] == "Islamic State (Syria)" and clash["interaction"] == "State forces-Rebel group"
    month = by_id["UKR9"]
    assert month["time_precision"] == "3" and month["event_date"] == "2022-04-15"
    assert month["geo_precision"] == "3" and month["fatalities"] == "4"
    taken = by_id["PHL11"]
    assert taken["sub_event_type"] == "Non-state actor overtakes territory"


def test_acled_fatalities_are_zero_when_none_is_reported():
    r = incident(1, ("x", "AP", "2017-01-02", act(claims=[claim("reporter", injured={"total": 4})])))
    assert acled_row(r)["fatalities"] == 0


def test_acled_battles_name_an_unidentified_other_side():
    r = incident(1, ("x", "AP", "2017-01-02", act(event_type="armed_clash", perpetrator=["Syrian government forces"],
                                                  claims=[claim("reporter", {"combatants": 4})])))
    row = acled_row(r)
    assert (row["actor1"], row["inter1"]) == ("Military Forces of Syria (2000-)", "State forces")
    assert (row["actor2"], row["inter2"]) == ("Unidentified Armed Group (Syria)", "Political militia")
    assert row["interaction"] == "State forces-Political militia" and row["civilian_targeting"] == ""


def test_acled_uses_the_incidents_own_typology():
    protest = act(event_type="other", perpetrator=["unknown"], claims=[])
    protest.disorder_type, protest.acled_event_type, protest.sub_event_type = (
        "Demonstrations", "Protests", "Peaceful protest")
    row = acled_row(incident(1, ("x", "AP", "2017-10-07", protest)))
    assert (row["disorder_type"], row["event_type"], row["sub_event_type"]) == (
        "Demonstrations", "Protests", "Peaceful protest")
    assert (row["actor1"], row["inter1"], row["interaction"]) == ("Protesters (Syria)", "Protesters", "Protesters only")


def test_acled_violence_against_civilians_targets_civilians():
    r = incident(1, ("x", "AP", "2017-01-02", act(event_type="abduction", perpetrator=["Islamic State"],
                                                  country="IQ", place="Mosul", admin1="Nineveh",
                                                  claims=[claim("reporter", {})])))
    row = acled_row(r)
    assert row["event_type"] == "Violence against civilians" and row["civilian_targeting"] == "Civilians targeted"
    assert row["actor1"] == "Islamic State (Iraq)" and row["actor2"] == "Civilians (Iraq)"
    assert row["interaction"] == "Rebel group-Civilians"


def test_acled_second_perpetrator_is_assoc_actor_1_and_timestamp_is_the_latest_report():
    r = incident(1, ("a", "AP", "2017-10-07", act(claims=[claim("reporter", {"total": 3})])),
                 ("b", "AFP", "2017-10-09", act(perpetrator=["Syrian government forces"],
                                                claims=[claim("SOHR", {"total": 3})])))
    row = acled_row(r)
    assert row["actor1"] == "Military Forces of Russia (2000-)"
    assert row["assoc_actor_1"] == "Military Forces of Syria (2000-)"
    assert row["timestamp"] == 1507507200           # 2017-10-09T00:00:00Z


def test_acled_names_follow_the_period_and_country():
    before = acled_row(incident(1, ("x", "AP", "2020-05-02", act(date="2020-05-01", country="AF", place="Kunduz",
                                                                 admin1="Kunduz", perpetrator=["Taliban"]))))
    after = acled_row(incident(2, ("y", "AP", "2022-05-02", act(date="2022-05-01", country="AF", place="Kunduz",
                                                                admin1="Kunduz", perpetrator=["Taliban"]))))
    assert (before["actor1"], before["inter1"]) == ("Taliban", "Rebel group")
    assert (after["actor1"], after["inter1"]) == ("Military Forces of Afghanistan (2021-)", "State forces")


def test_acled_names_map_back_to_our_actors_when_acled_data_is_imported():
    from sitrep.verify.references import canonical_actor
    for name, on, where in (("Ukrainian forces", "2022-03-01", "UA"), ("ISWAP", "2020-01-01", "NG"),
                            ("Islamic State", "2016-01-01", "IQ"), ("Taliban", "2023-01-01", "AF")):
        assert canonical_actor(acled_row(incident(1, ("x", "AP", on, act(
            date=on, country=where, perpetrator=[name]))))["actor1"], where) == name


def test_acled_claims_no_precision_for_blank_coordinates():
    r = incident(1, ("x", "AP", "2017-01-02", act(lat=None, lon=None, claims=[claim("reporter", {"total": 2})])))
    row = acled_row(r)
    assert row["latitude"] == row["longitude"] == row["geo_precision"] == ""


# --- UCDP GED ------------------------------------------------------------------------------

def test_ucdp_header_and_conventions(sample):
    text, skipped = run(sample, "ucdp")
    assert next(csv.reader(io.StringIO(text))) == UCDP_HEADER
    rows = {r["id"]: r for r in csv.DictReader(io.StringIO(text))}
    assert dict(skipped) == {10: "no death reported"}
    strike = rows["7"]
    assert (strike["low"], strike["best"], strike["high"]) == ("15", "15", "80")
    assert strike["type_of_violence"] == "3"                     # civilians only: one-sided
    assert strike["side_a"] == "Government of Russia (Soviet Union)" and strike["side_b"] == "Civilians"
    assert strike["deaths_civilians"] == "15" and strike["deaths_unknown"] == "0"
    assert strike["where_prec"] == "1" and strike["date_prec"] == "1"
    assert strike["date_start"] == strike["date_end"] == "2017-10-06"
    assert strike["number_of_sources"] == "2"
    assert strike["geom_wkt"] == "POINT (40.45 35.02)"
    assert strike["country"] == "Syria" and strike["country_id"] == "652" and strike["gwnoa"] == "365"
    assert "Reuters,2017-10-07,a1" in strike["source_article"]
    clash = rows["8"]
    assert clash["type_of_violence"] == "1"
    assert (clash["side_a"], clash["side_b"]) == ("Government of Syria", "Islamic State")
    assert clash["deaths_b"] == "12" and clash["deaths_a"] == "0"
    assert clash["date_prec"] == "2" and (clash["date_start"], clash["date_end"]) == ("2016-09-18", "2016-09-20")
    month = rows["9"]
    assert month["where_prec"] == "4" and month["date_prec"] == "4"
    assert (month["date_start"], month["date_end"]) == ("2022-04-01", "2022-04-30")
    # the other side is not named: GED would not code it, so no type of violence
    assert rows["11"]["type_of_violence"] == "" and rows["11"]["side_b"] == "unknown"
    for r in rows.values():
        parts = sum(int(r[k]) for k in ("deaths_a", "deaths_b", "deaths_civilians", "deaths_unknown"))
        assert parts == int(r["best"])
        assert int(r["low"]) <= int(r["best"]) <= int(r["high"])


def test_ucdp_codes_for_district_and_country_precision():
    district = incident(1, ("x", "AP", "2017-01-02", act(precision="district", claims=[claim("reporter", {"total": 2})])))
    country = incident(2, ("y", "AP", "2017-01-02", act(precision="country", lat=35.0, lon=38.0,
                                                         claims=[claim("reporter", {"total": 2})])))
    week = incident(3, ("z", "AP", "2017-01-08", act(date="2017-01-01", date_end="2017-01-07",
                                                      date_precision="range", claims=[claim("reporter", {"total": 2})])))
    assert ucdp_row(district)["where_prec"] == 3
    assert ucdp_row(country)["where_prec"] == 6
    assert ucdp_row(week)["date_prec"] == 3
    assert death_range(incident(4, ("w", "AP", "2017-01-02", act(claims=[])))) is None


def test_ucdp_report_dates_span_two_days_and_places_without_coordinates_are_not_exact():
    r = incident(1, ("x", "AP", "2017-01-02", act(date="2017-01-02", date_precision="report", lat=None, lon=None,
                                                  perpetrator=["unknown"], claims=[claim("reporter", {"total": 2})])))
    row = ucdp_row(r)
    assert (row["date_start"], row["date_end"], row["date_prec"]) == ("2017-01-01", "2017-01-02", 2)
    assert row["where_prec"] == 4 and row["latitude"] == "" and row["geom_wkt"] == ""
    assert row["type_of_violence"] == "" and row["side_a"] == "unknown"   # no identified side


def test_priogrid_cells():
    assert priogrid_gid(-89.9, -179.9) == 1
    assert priogrid_gid(-89.9, -179.4) == 2
    assert priogrid_gid(-89.4, -179.9) == 721
    assert priogrid_gid(89.9, 179.9) == 259200


# --- JSON Lines ----------------------------------------------------------------------------

def test_jsonl_round_trips(sample):
    text, skipped = run(sample, "jsonl")
    assert skipped == []
    lines = text.splitlines()
    assert len(lines) == len(sample)
    back = [ReconciledIncident.from_dict(json.loads(line)) for line in lines]
    assert [b.to_dict() for b in back] == [s.to_dict() for s in sample]
    first = json.loads(lines[0])
    assert first["article_ids"] == ["a1", "a2"] and first["number_of_sources"] == 2


# --- PLOVER --------------------------------------------------------------------------------

def test_plover_fields(sample):
    text, _ = run(sample, "plover")
    events = [json.loads(line) for line in text.splitlines()]
    assert len(events) == len(sample)
    strike = events[0]
    for key in ("id", "date", "actor", "recipient", "event", "mode", "context", "event_loc",
                "quad_code", "dead", "injured", "event_text"):
        assert key in strike
    assert strike["event"] == ["ASSAULT"] and strike["mode"] == ["aerial"]
    assert strike["context"] == ["military"] and strike["quad_code"] == 4
    assert strike["actor"] == [{"entity_text": "Russian forces", "code": "RUS", "sector": "MIL"}]
    assert strike["recipient"][0]["sector"] == "CVL"
    assert strike["event_loc"]["lat"] == 35.02 and strike["event_loc"]["lon"] == 40.45
    assert strike["event_loc"]["resolved_place"] == "Mayadeen" and strike["event_loc"]["country_code"] == "SYR"
    assert strike["dead"] == 15 and strike["dead_high"] == 80
    assert strike["event_text"] == ["at least 15 civilians were killed"]
    clash = events[1]
    assert [a["entity_text"] for a in clash["actor"]] == ["Syrian government forces", "Islamic State"]
    assert clash["recipient"] == [] and clash["enddate"] == "2016-09-20"
    assert events[2]["mode"] == ["heavy-weapons"] and events[2]["injured"] == 9
    unknown = plover_event(sample[3])
    assert unknown["actor"] == [{"entity_text": "unknown", "sector": "UAF"}]
    assert "lat" not in unknown["event_loc"] and unknown["context"] == []   # no state force


def test_plover_location_has_geonames_ids_and_military_context_needs_state_forces():
    strike = plover_event(incident(1, ("x", "AP", "2017-01-02", act(claims=[claim("reporter", {"civilians": 2})]))))
    assert strike["event_loc"]["geonameid"] == 173480       # GeoNames' Al Mayadin
    assert strike["context"] == ["military"]
    rebels = plover_event(incident(2, ("y", "AP", "2017-01-02", act(
        perpetrator=["Islamic State"], precision="country", lat=None, lon=None, claims=[claim("reporter", {"civilians": 2})]))))
    assert rebels["event_loc"]["geonameid"] == 163843 and "lat" not in rebels["event_loc"]
    assert rebels["context"] == [] and rebels["recipient"][0]["sector"] == "CVL"


def test_police_are_state_forces_but_not_a_military_context():
    r = incident(1, ("x", "AP", "2019-05-02", act(
        event_type="armed_clash", date="2019-05-01", country="IN", place="Sukma", admin1="Chhattisgarh",
        perpetrator=["Maoists"], target="Indian security forces", claims=[claim("reporter", {"combatants": 3})])))
    row = acled_row(r)
    assert row["actor1"] == "CPI (Maoist): Communist Party of India (Maoist)" and row["inter1"] == "Rebel group"
    assert (row["actor2"], row["inter2"]) == ("Police Forces of India (2014-)", "State forces")
    assert plover_event(r)["context"] == []


def test_chemical_attacks_are_unconventional_in_a_cbrn_context():
    r = incident(1, ("x", "AP", "2017-04-05", act(event_type="chemical_attack", claims=[claim("WHO", {"total": 70})])))
    event = plover_event(r)
    assert event["mode"] == ["unconventional"] and event["context"] == ["military", "cbrn"]


def test_unknown_format_is_refused(sample):
    with pytest.raises(ValueError):
        export(sample, "shapefile", io.StringIO())


def test_an_incident_with_no_place_is_left_out_of_acled_and_ged_and_said_unknown():
    # A news snippet that names no place, not even a country: the incident is kept, unlocated;
    # ACLED and GED locate every event, so they leave it out and say why.
    nowhere = act(place="", admin1=None, country=None, lat=None, lon=None, precision="country",
                  event_type="shooting_or_execution", claims=[claim("police", {"total": 7})])
    r = incident(1, ("x", "AP", "2017-01-02", nowhere))
    assert acled_row(r) is None and ucdp_row(r) is None
    for fmt in ("acled", "ucdp"):
        assert export([r], fmt, io.StringIO()) == [(1, "no place")]
    event = plover_event(r)
    assert event["event_loc"]["resolved_place"] == "" and "Location unknown." in event["comment"]
